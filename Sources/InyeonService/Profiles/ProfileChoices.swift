import Foundation
import Hummingbird
import Logging
import PostgresNIO

/// Two choices about one's whole profile, apart from its contents:
/// - the pause (휴면): introduced to no one, card seen only by those already matched, until she comes back;
/// - whether the conversation helper may send her card's facts to the outside AI provider.
/// Each change is audited and drops every instance's cached copies of her card and insights.
struct ProfileChoices: Sendable {
    let database: Database

    struct State: Encodable, Sendable {
        /// When she paused her profile; nil when it is active.
        var pausedAt: Date?
        var outsideWriterAllowed: Bool
    }

    /// Her choices, or nil before she has a profile.
    func state(of userID: UUID, logger: Logger) async throws -> State? {
        try await database.transaction(as: .user(userID), logger: logger) { connection in
            for try await (pausedAt, allowed) in try await connection.query(
                "SELECT paused_at, outside_writer_allowed FROM visible_profiles WHERE user_id = \(userID)", logger: logger
            ).decode((Date?, Bool).self) {
                return State(pausedAt: pausedAt, outsideWriterAllowed: allowed)
            }
            return nil
        }
    }

    /// Pauses or resumes; nil when she has no profile yet. Pausing twice keeps the first date.
    func setPaused(_ paused: Bool, for userID: UUID, requestID: String?, logger: Logger) async throws -> State? {
        try await change(userID, action: paused ? "profile.paused" : "profile.resumed", requestID: requestID, logger: logger) { connection in
            // The service's role may write the pause but read it only through the view (its owner's row).
            let since = try await connection.query("SELECT paused_at FROM visible_profiles WHERE user_id = \(userID)", logger: logger)
                .decode(Date?.self).reduce(nil) { $0 ?? $1 }
            try await connection.query(
                "UPDATE profiles SET paused_at = \(paused ? since ?? Date() : nil), updated_at = now() WHERE user_id = \(userID)",
                logger: logger
            )
        }
    }

    func setOutsideWriter(_ allowed: Bool, for userID: UUID, requestID: String?, logger: Logger) async throws -> State? {
        try await change(userID, action: "profile.outside_writer", details: ["allowed": String(allowed)], requestID: requestID, logger: logger) {
            connection in
            try await connection.query(
                "UPDATE profiles SET outside_writer_allowed = \(allowed), updated_at = now() WHERE user_id = \(userID)", logger: logger
            )
        }
    }

    private func change(_ userID: UUID, action: String, details: [String: String] = [:], requestID: String?, logger: Logger,
                        _ update: @Sendable @escaping (DatabaseConnection) async throws -> Void) async throws -> State? {
        try await database.transaction(as: .user(userID), logger: logger) { connection -> State? in
            try await update(connection)
            var state: State?
            for try await (pausedAt, allowed) in try await connection.query(
                "SELECT paused_at, outside_writer_allowed FROM visible_profiles WHERE user_id = \(userID)", logger: logger
            ).decode((Date?, Bool).self) {
                state = State(pausedAt: pausedAt, outsideWriterAllowed: allowed)
            }
            guard state != nil else { return nil }
            try await AuditLog.record(
                AuditEntry(action: action, actorID: userID, actorRole: .user, targetType: "account", targetID: userID.uuidString.lowercased(),
                           details: details),
                requestID: requestID, on: connection, logger: logger
            )
            try await CacheInvalidation.publish(.profiles, keyPrefix: userID.uuidString.lowercased() + "/", on: connection, logger: logger)
            return state
        }
    }
}

/// `PUT/DELETE /api/me/pause`: the same pause as the settings page.
struct ProfilePauseController: Sendable {
    let choices: ProfileChoices

    func addRoutes(to routes: RouteTable<AppRequestContext>) {
        routes.put("/api/me/pause", use: pause)
        routes.delete("/api/me/pause", use: resume)
    }

    @Sendable func pause(request: Request, context: AppRequestContext) async throws -> APIResponse<ProfileChoices.State> {
        try await set(true, context: context)
    }

    @Sendable func resume(request: Request, context: AppRequestContext) async throws -> APIResponse<ProfileChoices.State> {
        try await set(false, context: context)
    }

    private func set(_ paused: Bool, context: AppRequestContext) async throws -> APIResponse<ProfileChoices.State> {
        let (userID, _) = try context.requireSignedIn()
        guard let state = try await choices.setPaused(paused, for: userID, requestID: context.id, logger: context.logger) else {
            throw APIError(.notFound, code: "PROFILE_NOT_FOUND", message: "아직 프로필을 만들지 않으셨습니다.")
        }
        return APIResponse(state, message: paused ? "프로필을 쉬게 했습니다. 새로운 분께 소개되지 않습니다." : "프로필을 다시 보이게 했습니다.")
    }
}
