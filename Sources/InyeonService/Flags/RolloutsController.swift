import Foundation
import Hummingbird
import InyeonCore
import Logging

/// The admin API of rollout plans (scope `flags:write`): start one for a flag, see where each stands
/// with its cohorts' counts and the guardrails' verdicts, pause, resume, or roll back by hand.
/// The service carries the plans out (`RolloutDriver`); every change is audited (`RolloutOperations`).
struct RolloutsController: Sendable {
    let operations: RolloutOperations

    struct Reason: Decodable, Sendable {
        var reason: String?
    }

    func addRoutes(to routes: RouteTable<AppRequestContext>) {
        routes.get("/api/admin/rollouts", use: list)
        routes.put("/api/admin/rollouts/:flag", use: start)
        routes.post("/api/admin/rollouts/:flag/pause", use: pause)
        routes.post("/api/admin/rollouts/:flag/resume", use: resume)
        routes.post("/api/admin/rollouts/:flag/rollback", use: rollBack)
    }

    @Sendable func list(request: Request, context: AppRequestContext) async throws -> APIResponse<[RolloutOperations.Shown]> {
        let admin = try context.require(.flagsWrite)
        return APIResponse(try await operations.all(as: admin, logger: context.logger), message: "출시 계획입니다.")
    }

    @Sendable func start(request: Request, context: AppRequestContext) async throws -> EditedResponse<APIResponse<RolloutOperations.Shown>> {
        let admin = try context.require(.flagsWrite)
        let flag = try FlagsController.flag(context)
        let body = try await request.decode(as: RolloutOperations.PlanRequest.self, context: context)
        let shown = try await operations.start(flag, body, as: admin, requestID: context.id, logger: context.logger)
        return EditedResponse(status: .created, response: APIResponse(shown, message: "출시 계획을 시작했습니다. 첫 단계는 \(shown.percentage)%입니다."))
    }

    @Sendable func pause(request: Request, context: AppRequestContext) async throws -> APIResponse<RolloutOperations.Shown> {
        try await move(request, context: context, from: .running, to: .paused, action: "rollout.paused", message: "출시 계획을 멈췄습니다.")
    }

    @Sendable func resume(request: Request, context: AppRequestContext) async throws -> APIResponse<RolloutOperations.Shown> {
        try await move(request, context: context, from: .paused, to: .running, action: "rollout.resumed", message: "출시 계획을 다시 진행합니다.")
    }

    @Sendable func rollBack(request: Request, context: AppRequestContext) async throws -> APIResponse<RolloutOperations.Shown> {
        try await move(request, context: context, from: nil, to: .rolledBack, action: "rollout.rolled_back", message: "기능을 모두에게서 껐습니다.")
    }

    /// An operator's move; `from` nil means from running or paused.
    private func move(
        _ request: Request, context: AppRequestContext, from: RolloutPlan.Progress.Status?, to status: RolloutPlan.Progress.Status,
        action: String, message: String
    ) async throws -> APIResponse<RolloutOperations.Shown> {
        let admin = try context.require(.flagsWrite)
        let flag = try FlagsController.flag(context)
        let reason = (try? await request.decode(as: Reason.self, context: context))?.reason ?? "by an operator"
        let shown = try await operations.move(
            flag, from: from, to: status, action: action, reason: reason, as: admin, requestID: context.id, logger: context.logger
        )
        return APIResponse(shown, message: message)
    }
}
