import Foundation
import Hummingbird
import Logging
import PostgresNIO

/// PIPA rights: a person's whole data as one document, the audit entries about them, and erasure.
struct PrivacyController: Sendable {
    let database: Database
    let accounts: AccountService
    let photos: any PhotoStorage

    struct DeleteRequest: Decodable, Sendable {
        var password: String
    }

    struct Deleted: Encodable, Sendable {
        var deleted: Bool
    }

    func addRoutes(to routes: RouteTable<AppRequestContext>) {
        routes.get("/api/me/export", use: export)
        routes.get("/api/me/audit", use: audit)
        routes.delete("/api/me", use: deleteAccount)
    }

    /// Every table a person has rows in, read as that person: RLS guarantees nobody else's rows are in it.
    static let exportSections: [(name: String, query: String)] = [
        ("account", "SELECT id, role, status, created_at, updated_at FROM accounts"),
        ("privateProfile", "SELECT * FROM private_profiles"),
        ("profile", "SELECT * FROM visible_profiles WHERE user_id = app.current_user_id()"),
        ("valuesAssessment", "SELECT * FROM values_assessments WHERE user_id = app.current_user_id()"),
        ("consents", "SELECT kind, version, granted, recorded_at FROM consents ORDER BY recorded_at"),
        // Given only: since likes became readable by their receiver, RLS alone would add those received.
        ("likes", "SELECT to_user_id, kind, decided_at, expires_at FROM likes WHERE from_user_id = app.current_user_id()"),
        ("matches", "SELECT id, user_low, user_high, matched_at, ended_at FROM matches"),
        ("blocks", "SELECT blocked_id, reason, created_at FROM blocks"),
        ("messagesSent", "SELECT match_id AS conversation_id, sequence, body, sent_at, edited_at, deleted_at FROM messages WHERE sender_id = app.current_user_id() ORDER BY sent_at"),
        ("reportsMade", "SELECT id, kind, category, match_id AS conversation_id, subject_id, note, contact_email, status, created_at FROM moderation_cases WHERE reporter_id = app.current_user_id()"),
        ("photos", "SELECT id, position, width, height, source_format, created_at FROM photos WHERE user_id = app.current_user_id() ORDER BY position"),
        ("sessions", "SELECT id, created_at, last_used_at, expires_at, revoked_at, revoked_reason, user_agent, ip_address FROM sessions"),
        ("notifications", "SELECT kind, actor_id, match_id, count, created_at, updated_at, read_at, mailed_at FROM notifications WHERE user_id = app.current_user_id() ORDER BY created_at"),
        ("notificationMailSettings", "SELECT kind, email, updated_at FROM notification_preferences WHERE user_id = app.current_user_id()"),
        ("answersAfterMeeting", "SELECT match_id, met, want_again, answered_at FROM meeting_feedback WHERE user_id = app.current_user_id()"),
    ]

    @Sendable func export(request: Request, context: AppRequestContext) async throws -> Response {
        let (userID, _) = try context.requireSignedIn()
        let logger = context.logger
        let sections = try await database.transaction(as: .user(userID), logger: logger) { connection in
            var sections: [String] = []
            for (name, query) in Self.exportSections {
                let sql = "SELECT coalesce(json_agg(row_to_json(t)), '[]')::text FROM (\(query)) t"
                for try await json in try await connection.query(PostgresQuery(unsafeSQL: sql), logger: logger).decode(String.self) {
                    sections.append("\"\(name)\":\(json)")
                }
            }
            return sections
        }
        let generatedAt = Date().formatted(.iso8601)
        return try envelopedJSON(
            #"{"generatedAt":"\#(generatedAt)",\#(sections.joined(separator: ","))}"#, message: "회원님의 모든 개인정보입니다.",
            headers: [.contentDisposition: "attachment; filename=\"inyeon-my-data.json\""]
        )
    }

    @Sendable func audit(request: Request, context: AppRequestContext) async throws -> Response {
        let (userID, _) = try context.requireSignedIn()
        let logger = context.logger
        let json = try await database.transaction(as: .user(userID), logger: logger) { connection in
            let sql: PostgresQuery = """
                SELECT coalesce(json_agg(row_to_json(t) ORDER BY t.occurred_at), '[]')::text FROM (
                    SELECT occurred_at, action, actor_role, target_type, details FROM audit_log ORDER BY occurred_at DESC LIMIT 200
                ) t
                """
            return try await connection.query(sql, logger: logger).decode(String.self).reduce("[]") { $1 }
        }
        return try envelopedJSON(#"{"entries":\#(json)}"#, message: "회원님에 관한 기록입니다.")
    }

    /// Erases the account and everything that hangs off it, in one transaction. The audit log keeps
    /// only the now-meaningless id, a pseudonymous reference.
    @Sendable func deleteAccount(request: Request, context: AppRequestContext) async throws -> APIResponse<Deleted> {
        let (userID, _) = try context.requireSignedIn()
        let body = try await request.decode(as: DeleteRequest.self, context: context)
        guard try await deleteAccount(userID, password: body.password, address: context.remoteAddress, requestID: context.id, logger: context.logger) else {
            throw APIError.badRequest("WRONG_PASSWORD", "비밀번호가 올바르지 않습니다.")
        }
        return APIResponse(Deleted(deleted: true), message: "계정과 모든 개인정보가 삭제되었습니다. 그동안 이용해 주셔서 감사합니다.")
    }

    /// Deletes the account and everything in it (the photo files once the rows are gone); false when
    /// the password is wrong. Used by the API and by the settings page.
    func deleteAccount(_ userID: UUID, password: String, address: String, requestID: String?, logger: Logger) async throws -> Bool {
        guard try await accounts.verifyPassword(userID: userID, password: password, address: address, requestID: requestID, logger: logger) else {
            return false
        }
        let photoIDs = try await database.transaction(as: .user(userID), logger: logger) { connection -> [UUID] in
            let photoIDs = try await connection.query("SELECT id FROM photos WHERE user_id = \(userID)", logger: logger)
                .decode(UUID.self).reduce(into: [UUID]()) { $0.append($1) }
            try await AuditLog.record(
                AuditEntry(action: "account.deleted", actorID: userID, actorRole: .user, targetType: "account",
                           targetID: userID.uuidString.lowercased()),
                requestID: requestID, on: connection, logger: logger
            )
            try await connection.query("DELETE FROM accounts WHERE id = \(userID)", logger: logger)
            try await CacheInvalidation.publish(.profiles, keyPrefix: userID.uuidString.lowercased() + "/", on: connection, logger: logger)
            return photoIDs
        }
        accounts.tokens.recentChecks.ended(session: nil, user: userID)
        for photoID in photoIDs {
            try await photos.remove(keyPrefix: photoID.uuidString.lowercased())
        }
        return true
    }
}
