import Foundation
import Hummingbird
import PostgresNIO

/// `GET /api/admin/audit-log`: the latest audit entries and the chain's integrity, for admins and
/// for operator tokens with the `audit:read` scope.
struct AdminAuditController: Sendable {
    let database: Database

    func addRoutes(to routes: RouteTable<AppRequestContext>) {
        routes.get("/api/admin/audit-log", use: auditLog)
    }

    @Sendable func auditLog(request: Request, context: AppRequestContext) async throws -> Response {
        let identity = try context.require(.auditRead)
        let limit = try request.integerParameter("limit", default: 50, range: 1...500)
        let logger = context.logger
        let (actorID, actorRole, requestID) = (identity.userID, identity.role, context.id)
        let caller = context.caller
        let subject = caller?.kind == .service ? "service token" : "admin"
        let json = try await database.transaction(as: identity, logger: logger) { connection in
            // Reading the log is itself an admin action, and is recorded.
            try await AuditLog.record(
                AuditEntry(action: "admin.audit_log_read", actorID: actorID, actorRole: actorRole, details: ["via": subject, "limit": "\(limit)"]),
                requestID: requestID, on: connection, logger: logger
            )
            let sql: PostgresQuery = """
                SELECT coalesce(json_agg(row_to_json(t)), '[]')::text FROM (
                    SELECT chain_position, occurred_at, actor_id, actor_role, action, target_type, target_id, request_id, details
                    FROM audit_log ORDER BY chain_position DESC NULLS LAST LIMIT \(limit)
                ) t
                """
            return try await connection.query(sql, logger: logger).decode(String.self).reduce("[]") { $1 }
        }
        let outcome = try await AuditChainVerifier(database: database).verify(logger: logger)
        let chain: String =
            switch outcome {
            case .intact(let entries): #"{"intact":true,"entries":\#(entries)}"#
            case .altered(let position, _), .broken(let position, _): #"{"intact":false,"firstBadPosition":\#(position)}"#
            }
        return try envelopedJSON(#"{"chain":\#(chain),"entries":\#(json)}"#, message: "감사 기록입니다.")
    }
}
