import AsyncHTTPClient
import Foundation
import InyeonCore
import Logging
import NIOCore
import NIOHTTP1
import PostgresNIO
import ServiceLifecycle

/// Carries the rollout plans out. Every instance, every `interval`:
/// 1. stores what its `CohortCounter` counted, and learns which rollouts are running;
/// 2. tries the rollout lock (`pg_try_advisory_xact_lock`): the one instance that gets it decides,
///    for every running plan, in that same transaction (`RolloutPlan.decide` on what every
///    instance counted during the step), and acts: the next step, completion, or a rollback, with
///    the flag's setting, the plan's new place and an audit entry committed together. The lock
///    lasts only that transaction, so if the instance dies another decides at its next turn.
///
/// A rollback also tells the operators: a mail through the outbox (`ROLLOUT_ALERT_EMAIL`), in the
/// same transaction, and a JSON POST to `ROLLOUT_WEBHOOK_URL` after the commit.
struct RolloutDriver: Service {
    let database: Database
    let repository: RolloutRepository
    let counter: CohortCounter
    let flags: FlagStore
    let mailOutbox: MailOutbox?
    let alertEmail: String?
    let webhookURL: String?
    let logger: Logger
    /// This instance's name in the counts: its host and process, and one per driver (two instances of
    /// one process, in tests, must not share rows).
    var instance: String = StoredRecommendationModels.thisInstance + "/" + UUID().uuidString.prefix(8).lowercased()
    var interval: Duration = .seconds(5)
    /// How often the console's charts keep a point (a decision always keeps one).
    var historyEverySeconds: Int = RolloutRepository.historyEvery
    /// The clock the plans are judged by (a test moves it on).
    var now: @Sendable () -> Date = { Date() }

    static let lockKey: Int64 = 4_061_026

    func run() async throws {
        await runPeriodically(every: interval, logger: logger, failure: "the rollouts could not be carried on") {
            _ = try await turn()
        }
    }

    /// What one turn did to a plan.
    struct Action: Sendable, Equatable {
        var flag: FeatureFlag
        var decision: RolloutPlan.Decision
    }

    /// One turn; the actions this instance took (none when another holds the lock, or nothing is due).
    @discardableResult
    func turn() async throws -> [Action] {
        let batch = counter.take()
        // Nothing counted and nothing running: nothing to store (an idle instance writes nothing).
        if batch.isEmpty, counter.running.isEmpty, try await !repository.anyRunning(logger: logger) { return [] }
        do {
            try await repository.add(
                batch, instance: instance, residentMegabytes: ProcessMemory.residentBytes().map { Double($0) / 1_048_576 }, logger: logger
            )
        } catch {
            counter.giveBack(batch)
            throw error
        }
        let plans = try await repository.plans(logger: logger)
        counter.count(plans.filter { $0.progress.status == .running }.map {
            .init(flag: $0.plan.flag, started: $0.progress.stepStartedAt, slowRequestMilliseconds: $0.plan.slowRequestMilliseconds)
        })
        let running = plans.filter { $0.progress.status == .running }
        guard !running.isEmpty else { return [] }
        let observed = try await running.asyncMap { stored in (stored, try await repository.observations(
            of: stored, products: stored.plan.guardrails.contains { !$0.measure.isCountedInFlight }, logger: logger
        )) }
        let at = now()
        let actions = try await database.transaction(as: .system, logger: logger) { connection -> [Action] in
            var locked = false
            for try await held in try await connection.query("SELECT pg_try_advisory_xact_lock(\(Self.lockKey))", logger: logger).decode(Bool.self) {
                locked = held
            }
            guard locked else { return [] }
            // Read again under the lock: another instance may have moved a plan since.
            let current = Dictionary(
                uniqueKeysWithValues: try await RolloutRepository.plans(on: connection, locking: true, logger: logger).map { ($0.plan.flag, $0) }
            )
            var actions: [Action] = []
            for (seen, observations) in observed {
                guard let stored = current[seen.plan.flag], stored.progress == seen.progress else { continue }
                let decision = stored.plan.decide(stored.progress, observations: observations, now: at)
                // The console's charts: the step's figures as they stand, and always at a decision.
                try await RolloutRepository.keepHistory(of: stored, at: at, every: historyEverySeconds, always: { if case .hold = decision { false } else { true } }(), on: connection, logger: logger)
                var moved = stored
                let action: String, reason: String
                switch decision {
                case .hold:
                    // Nothing to move; a running plan's flag is kept at its step (after an edit by hand, say).
                    try await setFlag(stored, on: connection)
                    continue
                case .advance(let step, let percentage):
                    moved.progress = .init(status: .running, step: step, stepStartedAt: at)
                    (action, reason) = ("rollout.advanced", "to \(percentage) %: the guardrails held for \(stored.plan.steps[stored.progress.step]) %")
                case .complete:
                    moved.progress = .init(status: .completed, step: stored.plan.steps.count - 1, stepStartedAt: at)
                    (action, reason) = ("rollout.completed", "on for everyone: the guardrails held at every step")
                case .rollBack(let why):
                    moved.progress = .init(status: .rolledBack, step: stored.progress.step, stepStartedAt: stored.progress.stepStartedAt)
                    (action, reason) = ("rollout.rolled_back", why)
                }
                guard try await RolloutRepository.move(
                    stored.plan.flag, from: stored.progress, to: moved.progress, action: action, reason: reason, as: .system,
                    details: ["instance": instance], requestID: nil, now: at, on: connection, logger: logger
                ) else { continue }
                if case .rollBack(let why) = decision, let mailOutbox, let alertEmail {
                    try await mailOutbox.enqueue(
                        Mail(kind: "rollout-rolled-back", to: alertEmail, subject: "[인연] \(stored.plan.flag.apiName) rolled back automatically",
                             text: "The rollout of \(stored.plan.flag.rawValue) was rolled back at \(stored.plan.steps[stored.progress.step]) %:\n\(why)\n\nThe feature is off for everyone."),
                        on: connection, logger: logger
                    )
                }
                try await setFlag(moved, on: connection)
                actions.append(Action(flag: stored.plan.flag, decision: decision))
            }
            return actions
        }
        if !actions.isEmpty { try await flags.reload() }
        for action in actions {
            switch action.decision {
            case .rollBack(let why):
                logger.critical("rollout of \(action.flag.rawValue) rolled back: \(why)")
                await callWebhook(action.flag, reason: why)
            default:
                logger.notice("rollout of \(action.flag.rawValue): \(action.decision)")
            }
        }
        return actions
    }

    /// The flag at the plan's setting, keeping its per-role and per-person rules; audited when changed.
    private func setFlag(_ stored: RolloutRepository.Stored, on connection: DatabaseConnection) async throws {
        let rules = flags.rules(for: stored.plan.flag)
        let setting = stored.setting
        guard rules.setting != setting else { return }
        let roles = String(decoding: try JSONEncoder().encode(rules.roles), as: UTF8.self)
        let users = String(decoding: try JSONEncoder().encode(rules.users), as: UTF8.self)
        try await connection.query(
            """
            INSERT INTO feature_flag_overrides (flag, setting, roles, users)
            VALUES (\(stored.plan.flag.rawValue), \(setting.description), \(roles)::jsonb, \(users)::jsonb)
            ON CONFLICT (flag) DO UPDATE SET setting = EXCLUDED.setting, updated_at = now(), updated_by = NULL
            WHERE feature_flag_overrides.setting IS DISTINCT FROM EXCLUDED.setting
            """,
            logger: logger
        )
        try await AuditLog.record(
            AuditEntry(action: "flag.changed", actorID: nil, actorRole: .system, targetType: "flag", targetID: stored.plan.flag.rawValue,
                       details: ["setting": setting.description, "by": "rollout"]),
            requestID: nil, on: connection, logger: logger
        )
    }

    private func callWebhook(_ flag: FeatureFlag, reason: String) async {
        guard let webhookURL else { return }
        var request = HTTPClientRequest(url: webhookURL)
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/json")
        let body: [String: String] = ["event": "rollout.rolled_back", "flag": flag.rawValue, "reason": reason, "instance": instance]
        request.body = .bytes(ByteBuffer(bytes: (try? JSONEncoder().encode(body)) ?? Data()))
        do {
            let response = try await HTTPClient.shared.execute(request, timeout: .seconds(5))
            if !(200..<300).contains(response.status.code) { logger.warning("the rollout webhook answered \(response.status.code)") }
        } catch {
            logger.failure("the rollout webhook could not be called", error)
        }
    }
}

extension Array {
    func asyncMap<T>(_ transform: (Element) async throws -> T) async rethrows -> [T] {
        var mapped: [T] = []
        mapped.reserveCapacity(count)
        for element in self { mapped.append(try await transform(element)) }
        return mapped
    }
}
