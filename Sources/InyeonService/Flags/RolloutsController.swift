import Foundation
import Hummingbird
import InyeonCore
import Logging

/// The admin API of rollout plans (scope `flags:write`): start one for a flag, see where each stands
/// with its cohorts' counts and the guardrails' verdicts, pause, resume, or roll back by hand.
/// The service carries the plans out (`RolloutDriver`); every change is audited.
struct RolloutsController: Sendable {
    let repository: RolloutRepository
    let flags: FlagStore
    let database: Database
    let now: @Sendable () -> Date

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

    struct Reason: Decodable, Sendable {
        var reason: String?
    }

    struct Shown: Encodable, Sendable {
        struct Cohorts: Encodable, Sendable {
            var withFeature: SequentialGuardrail.Counts
            var without: SequentialGuardrail.Counts
            /// `not enough data`, `holding` or `worse`, with the likelihood ratio so far.
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

    func addRoutes(to routes: RouteTable<AppRequestContext>) {
        routes.get("/api/admin/rollouts", use: list)
        routes.put("/api/admin/rollouts/:flag", use: start)
        routes.post("/api/admin/rollouts/:flag/pause", use: pause)
        routes.post("/api/admin/rollouts/:flag/resume", use: resume)
        routes.post("/api/admin/rollouts/:flag/rollback", use: rollBack)
    }

    @Sendable func list(request: Request, context: AppRequestContext) async throws -> APIResponse<[Shown]> {
        let admin = try context.require(.flagsWrite)
        var shown: [Shown] = []
        for stored in try await repository.plans(as: admin, logger: context.logger) {
            shown.append(try await show(stored, logger: context.logger))
        }
        return APIResponse(shown, message: "출시 계획입니다.")
    }

    @Sendable func start(request: Request, context: AppRequestContext) async throws -> EditedResponse<APIResponse<Shown>> {
        let admin = try context.require(.flagsWrite)
        let flag = try FlagsController.flag(context)
        let body = try await request.decode(as: PlanRequest.self, context: context)
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
        let stored = try await repository.start(plan, at: now(), as: admin, requestID: context.id, logger: context.logger)
        try await setFlag(stored, as: admin, context: context)
        return EditedResponse(
            status: .created,
            response: APIResponse(try await show(stored, logger: context.logger), message: "출시 계획을 시작했습니다. 첫 단계는 \(plan.steps[0])%입니다.")
        )
    }

    @Sendable func pause(request: Request, context: AppRequestContext) async throws -> APIResponse<Shown> {
        try await move(request, context: context, from: .running, to: .paused, action: "rollout.paused", message: "출시 계획을 멈췄습니다.")
    }

    @Sendable func resume(request: Request, context: AppRequestContext) async throws -> APIResponse<Shown> {
        try await move(request, context: context, from: .paused, to: .running, action: "rollout.resumed", message: "출시 계획을 다시 진행합니다.")
    }

    @Sendable func rollBack(request: Request, context: AppRequestContext) async throws -> APIResponse<Shown> {
        try await move(request, context: context, from: nil, to: .rolledBack, action: "rollout.rolled_back", message: "기능을 모두에게서 껐습니다.")
    }

    /// An operator's move; `from` nil means from running or paused.
    private func move(
        _ request: Request, context: AppRequestContext, from: RolloutPlan.Progress.Status?, to status: RolloutPlan.Progress.Status,
        action: String, message: String
    ) async throws -> APIResponse<Shown> {
        let admin = try context.require(.flagsWrite)
        let flag = try FlagsController.flag(context)
        let reason = (try? await request.decode(as: Reason.self, context: context))?.reason ?? "by an operator"
        guard let stored = try await repository.plans(as: admin, logger: context.logger).first(where: { $0.plan.flag == flag }) else {
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
            requestID: context.id, now: now(), logger: context.logger
        ) else {
            throw APIError(.conflict, code: "ROLLOUT_STATE", message: "출시 계획이 방금 바뀌었습니다. 다시 확인해 주세요.")
        }
        if status == .rolledBack { try await setFlag(moved, as: admin, context: context) }
        let current = try await repository.plans(as: admin, logger: context.logger).first { $0.plan.flag == flag } ?? moved
        return APIResponse(try await show(current, logger: context.logger), message: message)
    }

    private func setFlag(_ stored: RolloutRepository.Stored, as admin: RequestIdentity, context: AppRequestContext) async throws {
        let rules = flags.rules(for: stored.plan.flag)
        try await FlagsController.store(
            flag: stored.plan.flag, setting: stored.setting, roles: rules.roles, users: rules.users, identity: admin,
            requestID: context.id, database: database, logger: context.logger
        )
        try await flags.reload()
    }

    private func show(_ stored: RolloutRepository.Stored, logger: Logger) async throws -> Shown {
        let observations = try await repository.observations(of: stored, logger: logger)
        var cohorts: [String: Shown.Cohorts] = [:]
        for guardrail in stored.plan.guardrails {
            let (on, off) = observations.cohorts[guardrail.measure] ?? (.init(trials: 0, events: 0), .init(trials: 0, events: 0))
            let (verdict, ratio): (String, Double?) = switch guardrail.test.verdict(on: on, off: off) {
            case .notEnoughData: ("not enough data", nil)
            case .holding(let ratio): ("holding", ratio)
            case .worse(let ratio): ("worse", ratio)
            }
            cohorts[guardrail.measure.rawValue] = .init(withFeature: on, without: off, verdict: verdict, likelihoodRatio: ratio)
        }
        return Shown(
            flag: stored.plan.flag.apiName, plan: stored.plan, status: stored.progress.status.rawValue, step: stored.progress.step,
            percentage: stored.plan.steps[min(stored.progress.step, stored.plan.steps.count - 1)], stepStartedAt: stored.progress.stepStartedAt,
            reason: stored.reason, updatedAt: stored.updatedAt, peopleWithTheFeature: observations.peopleWithTheFeature,
            peopleWithTheFeatureAtLeast: observations.peopleWithTheFeature >= RolloutRepository.peopleCounted(stored.plan), cohorts: cohorts
        )
    }
}
