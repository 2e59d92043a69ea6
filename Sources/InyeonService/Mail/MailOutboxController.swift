import Foundation
import Hummingbird
import Logging
import PostgresNIO

/// The mail outbox for admins (and operator tokens with `mail:read`, `mail:write`): what waits,
/// what went, the dead letters with their last error, and sending a dead letter again. Never the
/// content: it can hold a one-time code, and stays sealed.
struct MailOutboxController: Sendable {
    let database: Database

    struct OutboxMail: Encodable, Sendable {
        var id: Int64
        var kind: String
        var recipient: String
        var state: String
        var attempts: Int
        var nextAttemptAt: Date?
        var lastError: String?
        var createdAt: Date
        var sentAt: Date?
    }

    struct Summary: Encodable, Sendable {
        /// How many mails are in each state.
        var counts: [String: Int]
        var mails: [OutboxMail]
    }

    func addRoutes(to routes: RouteTable<AppRequestContext>) {
        routes.get("/api/admin/mail", use: list)
        routes.post("/api/admin/mail/:mailId/retry", use: retry)
    }

    @Sendable func list(request: Request, context: AppRequestContext) async throws -> APIResponse<Summary> {
        let identity = try context.require(.mailRead)
        let state = request.uri.queryParameters.get("state") ?? "dead"
        guard ["pending", "sent", "dead"].contains(state) else {
            throw APIError.badRequest("INVALID_PARAMETER", "state는 pending, sent, dead 중 하나여야 합니다.")
        }
        let limit = try request.integerParameter("limit", default: 50, range: 1...500)
        let summary = try await summary(state: state, limit: limit, as: identity, logger: context.logger)
        return APIResponse(summary, message: "메일 \(summary.mails.count)건 (대기 \(summary.counts["pending"] ?? 0), 실패 \(summary.counts["dead"] ?? 0))")
    }

    /// A dead letter goes back to the queue with its tries counted afresh (after the operator fixed
    /// what failed: the SMTP credentials, say); the action is audited.
    @Sendable func retry(request: Request, context: AppRequestContext) async throws -> APIResponse<OutboxMail> {
        let identity = try context.require(.mailWrite)
        guard let id = context.parameters.get("mailId", as: Int64.self) else {
            throw APIError.badRequest("INVALID_PARAMETER", "메일 번호가 올바르지 않습니다.")
        }
        let requeued = try await requeue(id, as: identity, requestID: context.id, logger: context.logger)
        guard let requeued else {
            throw APIError(.notFound, code: "MAIL_NOT_FOUND", message: "다시 보낼 수 있는 실패한 메일이 없습니다.")
        }
        return APIResponse(requeued, message: "메일을 다시 보냅니다.")
    }

    /// How many mails are in each state, and the newest `limit` in `state`.
    func summary(state: String, limit: Int, as identity: RequestIdentity, logger: Logger) async throws -> Summary {
        try await database.transaction(as: identity, logger: logger) { connection in
            var counts = ["pending": 0, "sent": 0, "dead": 0]
            for try await (name, count) in try await connection.query(
                "SELECT state, count(*)::int FROM mail_outbox GROUP BY state", logger: logger
            ).decode((String, Int).self) {
                counts[name] = count
            }
            var mails: [OutboxMail] = []
            for try await (id, kind, recipient, state, attempts, next, lastError, created, sent) in try await connection.query(
                """
                SELECT id, kind, recipient, state, attempts, CASE WHEN state = 'pending' THEN next_attempt_at END, last_error, created_at, sent_at
                FROM mail_outbox WHERE state = \(state) ORDER BY created_at DESC, id DESC LIMIT \(limit)
                """,
                logger: logger
            ).decode((Int64, String, String, String, Int, Date?, String?, Date, Date?).self) {
                mails.append(OutboxMail(
                    id: id, kind: kind, recipient: recipient, state: state, attempts: attempts, nextAttemptAt: next, lastError: lastError,
                    createdAt: created, sentAt: sent
                ))
            }
            return Summary(counts: counts, mails: mails)
        }
    }

    /// A dead letter back to the queue, audited; nil when there is no such dead letter.
    func requeue(_ id: Int64, as identity: RequestIdentity, requestID: String?, logger: Logger) async throws -> OutboxMail? {
        try await database.transaction(as: identity, logger: logger) { connection -> OutboxMail? in
            var found: OutboxMail?
            for try await (kind, recipient, attempts, lastError, created) in try await connection.query(
                """
                UPDATE mail_outbox SET state = 'pending', attempts = 0, next_attempt_at = now(), leased_until = NULL
                WHERE id = \(id) AND state = 'dead' AND sealed_content IS NOT NULL
                RETURNING kind, recipient, attempts, last_error, created_at
                """,
                logger: logger
            ).decode((String, String, Int, String?, Date).self) {
                found = OutboxMail(id: id, kind: kind, recipient: recipient, state: "pending", attempts: attempts, nextAttemptAt: Date(),
                                   lastError: lastError, createdAt: created, sentAt: nil)
            }
            guard let found else { return nil }
            try await AuditLog.record(
                AuditEntry(action: "admin.mail_retried", actorID: identity.userID, actorRole: identity.role, targetType: "mail",
                           targetID: String(id), details: ["kind": found.kind]),
                requestID: requestID, on: connection, logger: logger
            )
            try await DatabaseNotifications.notify(MailOutbox.channel, "", on: connection, logger: logger)
            return found
        }
    }
}
