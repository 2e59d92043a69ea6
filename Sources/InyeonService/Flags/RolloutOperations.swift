import Foundation
import Hummingbird
import InyeonCore
import Logging

/// What an operator does to a rollout plan, from the API or the console: start one, pause, resume or
/// roll it back, and see where each stands with its cohorts. Every change is audited, and the flag
/// follows on every instance (its override is written with the plan's move).
struct RolloutOperations: Sendable {
    let repository: RolloutRepository
    let flags: FlagStore
    let database: Database
    let now: @Sendable () -> Date

    /// A plan as an operator asks for it; whatever is left out takes the defaults.
    struct PlanRequest: Decodable, Sendable {
        struct GuardrailRequest: Decodable, Sendable {
            var measure: String
            var alpha: Double?
            var tolerance: Double?
            var minimumTrials: Int?
        }

        var steps: [Int]?
        var minimumStepSeconds: Int?
        var minimumPeoplePerStep: Int?
        var guardrails: [GuardrailRequest]?
        var maximumP95Milliseconds: Double?
        var maximumMemoryMegabytes: Double?
        var slowRequestMilliseconds: Double?
    }

    /// A plan with where it stands, its people and each guardrail's verdict so far.
    struct Shown: Encodable, Sendable {
        struct Cohorts: Encodable, Sendable {
            var withFeature: SequentialGuardrail.Counts
            var without: SequentialGuardrail.Counts
            /// `not enough data`, `holding` or `worse`, with the likelihood ratio so far; `watched` for a
            /// measure that is not one of the plan's guardrails.
            var verdict: String
            var likelihoodRatio: Double?
        }

        var flag: String
        var plan: RolloutPlan
        var status: String
        var step: Int
        var percentage: Int
        var stepStartedAt: Date
        var reason: String?
        var updatedAt: Date
        /// Counted up to the plan's minimum people per step (`peopleWithTheFeatureAtLeast` when reached).
        var peopleWithTheFeature: Int
        var peopleWithTheFeatureAtLeast: Bool
        var cohorts: [String: Cohorts]
    }

    /// Every plan, shown.
    func all(as admin: RequestIdentity, logger: Logger) async throws -> [Shown] {
        var shown: [Shown] = []
        for stored in try await repository.plans(as: admin, logger: logger) {
            shown.append(try await show(stored, logger: logger))
        }
        return shown
    }

    /// Starts (or starts again) a plan for `flag` at its first step.
    func start(_ flag: FeatureFlag, _ body: PlanRequest, as admin: RequestIdentity, requestID: String?, logger: Logger) async throws -> Shown {
        var guardrails: [RolloutPlan.Guardrail] = []
        for requested in body.guardrails ?? [.init(measure: "serverErrors"), .init(measure: "slowRequests")] {
            guard let measure = RolloutPlan.Guardrail.Measure(rawValue: requested.measure) else {
                throw APIError.badRequest(
                    "INVALID_ROLLOUT_PLAN",
                    "guardrails의 measure는 \(RolloutPlan.Guardrail.Measure.allCases.map(\.rawValue).joined(separator: ", ")) 중 하나여야 합니다."
                )
            }
            let defaults = SequentialGuardrail()
            guardrails.append(.init(measure: measure, test: SequentialGuardrail(
                alpha: requested.alpha ?? defaults.alpha, tolerance: requested.tolerance ?? defaults.tolerance,
                mixingVariance: defaults.mixingVariance, minimumTrials: requested.minimumTrials ?? defaults.minimumTrials
            )))
        }
        // The seed's KPI ceilings of the flag's phase, unless the plan gives its own.
        let phase = RolloutVerification.Phase.numbered(flag == .aiInsights ? 2 : 3)
        let plan = RolloutPlan(
            flag: flag, steps: body.steps ?? [10, 50, 100], minimumStepSeconds: body.minimumStepSeconds ?? 3600,
            minimumPeoplePerStep: body.minimumPeoplePerStep ?? 100, guardrails: guardrails,
            ceilings: .init(
                p95Milliseconds: body.maximumP95Milliseconds ?? phase?.maximumP95Milliseconds,
                memoryMegabytes: body.maximumMemoryMegabytes ?? phase?.maximumMemoryMegabytes
            ),
            slowRequestMilliseconds: body.slowRequestMilliseconds ?? 500
        )
        if let problem = plan.problem { throw APIError.badRequest("INVALID_ROLLOUT_PLAN", "출시 계획이 올바르지 않습니다: \(problem)") }
        let stored = try await repository.start(plan, at: now(), as: admin, requestID: requestID, logger: logger)
        try await setFlag(stored, as: admin, requestID: requestID, logger: logger)
        return try await show(stored, logger: logger)
    }

    /// An operator's move of the plan for `flag`: to `status` from `from` (nil: from running or paused), with the reason given.
    func move(
        _ flag: FeatureFlag, from: RolloutPlan.Progress.Status?, to status: RolloutPlan.Progress.Status, action: String, reason: String,
        as admin: RequestIdentity, requestID: String?, logger: Logger
    ) async throws -> Shown {
        guard let stored = try await repository.plans(as: admin, logger: logger).first(where: { $0.plan.flag == flag }) else {
            throw APIError(.notFound, code: "ROLLOUT_NOT_FOUND", message: "이 기능에는 출시 계획이 없습니다.")
        }
        let allowed = from.map { [$0] } ?? [.running, .paused]
        guard allowed.contains(stored.progress.status) else {
            throw APIError(.conflict, code: "ROLLOUT_STATE", message: "출시 계획이 \(stored.progress.status.rawValue) 상태라서 할 수 없습니다.")
        }
        var moved = stored
        moved.progress.status = status
        guard try await repository.move(
            flag, from: stored.progress, to: moved.progress, action: action, reason: String(reason.prefix(1000)), as: admin,
            requestID: requestID, now: now(), logger: logger
        ) else {
            throw APIError(.conflict, code: "ROLLOUT_STATE", message: "출시 계획이 방금 바뀌었습니다. 다시 확인해 주세요.")
        }
        if status == .rolledBack { try await setFlag(moved, as: admin, requestID: requestID, logger: logger) }
        let current = try await repository.plans(as: admin, logger: logger).first { $0.plan.flag == flag } ?? moved
        return try await show(current, logger: logger)
    }

    private func setFlag(_ stored: RolloutRepository.Stored, as admin: RequestIdentity, requestID: String?, logger: Logger) async throws {
        let rules = flags.rules(for: stored.plan.flag)
        try await FlagsController.store(
            flag: stored.plan.flag, setting: stored.setting, roles: rules.roles, users: rules.users, identity: admin,
            requestID: requestID, database: database, logger: logger
        )
        try await flags.reload()
    }

    func show(_ stored: RolloutRepository.Stored, logger: Logger) async throws -> Shown {
        let observations = try await repository.observations(of: stored, logger: logger)
        var cohorts: [String: Shown.Cohorts] = [:]
        for measure in RolloutPlan.Guardrail.Measure.allCases {
            let (on, off) = observations.cohorts[measure] ?? (.init(trials: 0, events: 0), .init(trials: 0, events: 0))
            guard let guardrail = stored.plan.guardrails.first(where: { $0.measure == measure }) else {
                // Measured for the operators, but not a guardrail of this plan.
                cohorts[measure.rawValue] = .init(withFeature: on, without: off, verdict: "watched", likelihoodRatio: nil)
                continue
            }
            let (verdict, ratio): (String, Double?) = switch guardrail.test.verdict(on: on, off: off) {
            case .notEnoughData: ("not enough data", nil)
            case .holding(let ratio): ("holding", ratio)
            case .worse(let ratio): ("worse", ratio)
            }
            cohorts[measure.rawValue] = .init(withFeature: on, without: off, verdict: verdict, likelihoodRatio: ratio)
        }
        return Shown(
            flag: stored.plan.flag.apiName, plan: stored.plan, status: stored.progress.status.rawValue, step: stored.progress.step,
            percentage: stored.plan.steps[min(stored.progress.step, stored.plan.steps.count - 1)], stepStartedAt: stored.progress.stepStartedAt,
            reason: stored.reason, updatedAt: stored.updatedAt, peopleWithTheFeature: observations.peopleWithTheFeature,
            peopleWithTheFeatureAtLeast: observations.peopleWithTheFeature >= RolloutRepository.peopleCounted(stored.plan), cohorts: cohorts
        )
    }
}
