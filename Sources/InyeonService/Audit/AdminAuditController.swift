import Foundation
import Hummingbird
import Logging
import PostgresNIO

/// `GET /api/admin/audit-log`: the latest audit entries and the chain's integrity, for admins and
/// for operator tokens with the `audit:read` scope.
struct AdminAuditController: Sendable {
    let database: Database

    func addRoutes(to routes: RouteTable<AppRequestContext>) {
        routes.get("/api/admin/audit-log", use: auditLog)
    }

    struct Page: Encodable, Sendable {
        var chain: Chain
        var entries: [AuditLogSearch.Entry]
    }

    struct Chain: Encodable, Sendable {
        var intact: Bool
        var entries: Int?
        var firstBadPosition: Int64?
    }

    /// Filters: `action` (exact, or a prefix ending in `.` or `*`), `actor`, `target`, `since`,
    /// `until`, `before` (a chain position: the next page), and `limit`.
    @Sendable func auditLog(request: Request, context: AppRequestContext) async throws -> APIResponse<Page> {
        let identity = try context.require(.auditRead)
        let limit = try request.integerParameter("limit", default: 50, range: 1...500)
        let filter = try AuditLogSearch.Filter(query: request)
        let via = context.caller?.kind == .service ? "service token" : "admin"
        let entries = try await read(filter, limit: limit, as: identity, via: via, requestID: context.id, logger: context.logger)
        let chain = try await chainState(logger: context.logger)
        return APIResponse(Page(chain: chain, entries: entries), message: "감사 기록입니다.")
    }

    /// The entries, with the reading itself recorded (reading the log is an admin action).
    func read(
        _ filter: AuditLogSearch.Filter, limit: Int, as identity: RequestIdentity, via: String, requestID: String?, logger: Logger
    ) async throws -> [AuditLogSearch.Entry] {
        try await database.transaction(as: identity, logger: logger) { connection in
            var details = ["via": via, "limit": "\(limit)"]
            if let action = filter.action { details["action"] = action }
            if let actor = filter.actorID { details["actor"] = actor.uuidString.lowercased() }
            if let target = filter.targetID { details["target"] = target }
            try await AuditLog.record(
                AuditEntry(action: "admin.audit_log_read", actorID: identity.userID, actorRole: identity.role, details: details),
                requestID: requestID, on: connection, logger: logger
            )
            return try await AuditLogSearch.entries(filter, limit: limit, on: connection, logger: logger)
        }
    }

    /// Whether the chain is intact, walked now.
    func chainState(logger: Logger) async throws -> Chain {
        switch try await AuditChainVerifier(database: database).verify(logger: logger) {
        case .intact(let entries): Chain(intact: true, entries: entries)
        case .altered(let position, _), .broken(let position, _): Chain(intact: false, firstBadPosition: Int64(position))
        }
    }
}
