import Foundation
import Hummingbird
import InyeonCore
import Synchronization

/// This instance's counts, per flag with a rollout running, of the signed-in people's requests by
/// whether the flag is on for them (the sticky bucket every evaluation uses): trials, server errors,
/// slow requests, and who had the feature. `RolloutDriver` takes them every few seconds into
/// `rollout_cohort_counts`, where every instance's are added up.
final class CohortCounter: Sendable {
    /// A rollout being counted: its flag, the start of its current step, its slow-request bound.
    struct Running: Sendable, Equatable {
        var flag: FeatureFlag
        var started: Date
        var slowRequestMilliseconds: Double
    }

    struct Key: Hashable, Sendable {
        var flag: FeatureFlag
        var started: Date
        var withFeature: Bool
        var measure: RolloutPlan.Guardrail.Measure
    }

    /// The latency histogram's bounds (ms); a request slower than every other bound counts under the last.
    static let latencyBounds = [5, 10, 25, 50, 100, 250, 500, 800, 1_000, 2_000, 5_000, 1_000_000_000]

    struct LatencyKey: Hashable, Sendable {
        var flag: FeatureFlag
        var started: Date
        var withFeature: Bool
        var boundMilliseconds: Int
    }

    struct Batch: Sendable {
        var counts: [Key: SequentialGuardrail.Counts] = [:]
        var latency: [LatencyKey: Int] = [:]
        var people: [FeatureFlag: (started: Date, ids: Set<UUID>)] = [:]
        var isEmpty: Bool { counts.isEmpty && latency.isEmpty && people.isEmpty }
    }

    private struct State {
        var running: [Running] = []
        var batch = Batch()
    }

    private let state = Mutex(State())

    /// The rollouts to count, as the database says now.
    func count(_ running: [Running]) {
        state.withLock { $0.running = running }
    }

    var running: [Running] { state.withLock { $0.running } }

    /// One request of `identity`, answered `status` after `milliseconds`.
    func record(identity: RequestIdentity, status: Int, milliseconds: Double, flags: FlagStore) {
        guard let person = identity.userID else { return }
        count(person, role: identity.role, flags: flags) { batch, rollout, enabled in
            Self.add(.serverErrors, status >= 500, rollout, enabled, to: &batch)
            Self.add(.slowRequests, milliseconds > rollout.slowRequestMilliseconds, rollout, enabled, to: &batch)
            let bound = Self.latencyBounds.first { Double($0) >= milliseconds } ?? Self.latencyBounds[Self.latencyBounds.count - 1]
            batch.latency[LatencyKey(flag: rollout.flag, started: rollout.started, withFeature: enabled, boundMilliseconds: bound), default: 0] += 1
            if enabled {
                var seen: (started: Date, ids: Set<UUID>) = batch.people[rollout.flag].flatMap { $0.started == rollout.started ? $0 : nil }
                    ?? (rollout.started, [])
                seen.ids.insert(person)
                batch.people[rollout.flag] = seen
            }
        }
    }

    /// A chat socket of `person` ended: `dropped` when it broke or the service closed it (not the
    /// person leaving). Counted by whether each rolling-out flag is on for them.
    func recordSocketEnd(person: UUID, dropped: Bool, flags: FlagStore) {
        count(person, role: .user, flags: flags) { batch, rollout, enabled in
            Self.add(.socketDrops, dropped, rollout, enabled, to: &batch)
        }
    }

    /// Evaluates each running rollout's flag for `person` (outside the lock), then counts under it.
    private func count(
        _ person: UUID, role: AppRole, flags: FlagStore, _ body: (inout Batch, Running, Bool) -> Void
    ) {
        let running = state.withLock { $0.running }
        guard !running.isEmpty else { return }
        let subject = person.uuidString.lowercased()
        let evaluations = running.map { rollout in
            (rollout, flags.rules(for: rollout.flag).evaluate(flag: rollout.flag, subject: subject, role: role.rawValue).enabled)
        }
        state.withLock { state in
            for (rollout, enabled) in evaluations { body(&state.batch, rollout, enabled) }
        }
    }

    /// One trial of `measure` for a cohort, an event or not.
    private static func add(
        _ measure: RolloutPlan.Guardrail.Measure, _ event: Bool, _ rollout: Running, _ withFeature: Bool, to batch: inout Batch
    ) {
        let key = Key(flag: rollout.flag, started: rollout.started, withFeature: withFeature, measure: measure)
        var counts = batch.counts[key] ?? .init(trials: 0, events: 0)
        counts.trials += 1
        if event { counts.events += 1 }
        batch.counts[key] = counts
    }

    /// What was counted since the last call.
    func take() -> Batch {
        state.withLock { state in
            defer { state.batch = Batch() }
            return state.batch
        }
    }

    /// Gives back a batch that could not be stored, to be stored with the next.
    func giveBack(_ batch: Batch) {
        state.withLock { state in
            for (key, counts) in batch.counts {
                var merged = state.batch.counts[key] ?? .init(trials: 0, events: 0)
                merged.trials += counts.trials
                merged.events += counts.events
                state.batch.counts[key] = merged
            }
            for (key, requests) in batch.latency { state.batch.latency[key, default: 0] += requests }
            for (flag, people) in batch.people {
                if let current = state.batch.people[flag], current.started == people.started {
                    state.batch.people[flag] = (people.started, current.ids.union(people.ids))
                } else if state.batch.people[flag] == nil {
                    state.batch.people[flag] = people
                }
            }
        }
    }
}

/// Counts each signed-in request into its cohorts; placed after authentication, so it knows who asked.
struct CohortMiddleware: RouterMiddleware {
    let counter: CohortCounter
    let flags: FlagStore

    func handle(_ request: Request, context: AppRequestContext, next: (Request, AppRequestContext) async throws -> Response) async throws -> Response {
        let start = ContinuousClock.now
        do {
            let response = try await next(request, context)
            record(context, status: Int(response.status.code), start: start)
            return response
        } catch {
            record(context, status: Int((error as? any HTTPResponseError)?.status.code ?? 500), start: start)
            throw error
        }
    }

    private func record(_ context: AppRequestContext, status: Int, start: ContinuousClock.Instant) {
        let duration = ContinuousClock.now - start
        let milliseconds = Double(duration.components.seconds) * 1000 + Double(duration.components.attoseconds) / 1e15
        counter.record(identity: context.identity, status: status, milliseconds: milliseconds, flags: flags)
    }
}
