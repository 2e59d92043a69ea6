import Foundation
import Hummingbird
import Logging
import PostgresNIO

/// The audit log read by staff, newest first, with filters: the action (exact, or every action
/// that begins with a prefix such as `security.`), who acted, what was acted on, a time window, and
/// a page that begins before a chain position. Used by `GET /api/admin/audit-log` and the console.
struct AuditLogSearch: Sendable {
    struct Filter: Sendable, Equatable {
        /// An exact action, or a prefix when it ends with `.` or `*`.
        var action: String?
        var actions: [String]?
        var actorID: UUID?
        var targetID: String?
        var since: Date?
        var until: Date?
        /// Entries before this chain position (the next page).
        var before: Int64?

        var isEmpty: Bool { self == Filter() }

        /// The filter from a request's query (`action`, `actor`, `target`, `since`, `until`, `before`);
        /// 400 for a value that is not what its name says.
        init(query: Request, dates: DateParsing = .default) throws {
            let parameters = query.uri.queryParameters
            func text(_ name: String) -> String? {
                parameters.get(name).map { $0.trimmingCharacters(in: .whitespaces) }.flatMap { $0.isEmpty ? nil : $0 }
            }
            action = text("action").map { String($0.prefix(100)) }
            if let actor = text("actor") {
                guard let id = UUID(uuidString: actor) else { throw APIError.badRequest("INVALID_PARAMETER", "actor는 사용자 ID(UUID)여야 합니다.") }
                actorID = id
            }
            targetID = text("target").map { String($0.prefix(200)) }
            for (name, keyPath) in [("since", \Filter.since), ("until", \Filter.until)] {
                guard let value = text(name) else { continue }
                guard let date = dates.parse(value) else {
                    throw APIError.badRequest("INVALID_PARAMETER", "\(name)는 2026-12-07 또는 2026-12-07T09:00:00Z 같은 날짜여야 합니다.")
                }
                self[keyPath: keyPath] = date
            }
            if let before = text("before") {
                guard let position = Int64(before), position > 0 else { throw APIError.badRequest("INVALID_PARAMETER", "before는 양의 정수여야 합니다.") }
                self.before = position
            }
        }

        init(action: String? = nil, actions: [String]? = nil, actorID: UUID? = nil, targetID: String? = nil, since: Date? = nil, until: Date? = nil,
             before: Int64? = nil) {
            (self.action, self.actions, self.actorID, self.targetID, self.since, self.until, self.before) = (action, actions, actorID, targetID, since, until, before)
        }

        /// The action as SQL wants it: exact, or a LIKE prefix (with LIKE's own characters escaped).
        var actionCondition: (exact: String?, prefix: String?) {
            guard let action else { return (nil, nil) }
            if action.hasSuffix("*") || action.hasSuffix(".") {
                let stem = action.hasSuffix("*") ? String(action.dropLast()) : action
                let escaped = stem.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "%", with: "\\%")
                    .replacingOccurrences(of: "_", with: "\\_")
                return (nil, escaped + "%")
            }
            return (action, nil)
        }
    }

    /// Dates in a query: a day (from its start, UTC) or a full ISO 8601 time.
    struct DateParsing: Sendable {
        static let `default` = DateParsing()
        func parse(_ text: String) -> Date? {
            if let date = try? Date(text, strategy: .iso8601) { return date }
            return try? Date(text + "T00:00:00Z", strategy: .iso8601)
        }
    }

    struct Entry: Encodable, Sendable {
        var chainPosition: Int64?
        var occurredAt: Date
        var actorId: UUID?
        var actorRole: String
        var action: String
        var targetType: String?
        var targetId: String?
        var requestId: String?
        var details: [String: String]

        enum CodingKeys: String, CodingKey {
            case chainPosition = "chain_position", occurredAt = "occurred_at", actorId = "actor_id", actorRole = "actor_role", action
            case targetType = "target_type", targetId = "target_id", requestId = "request_id", details
        }
    }

    /// The newest `limit` entries that pass `filter`, in the caller's transaction (staff only: RLS).
    static func entries(_ filter: Filter, limit: Int, on connection: DatabaseConnection, logger: Logger) async throws -> [Entry] {
        let (exact, prefix) = filter.actionCondition
        var entries: [Entry] = []
        for try await (position, occurred, actor, role, action, targetType, targetID, requestID, details) in try await connection.query(
            """
            SELECT chain_position, occurred_at, actor_id, actor_role, action, target_type, target_id, request_id, details::text
            FROM audit_log
            WHERE (\(exact)::text IS NULL OR action = \(exact))
              AND (\(prefix)::text IS NULL OR action LIKE \(prefix))
              AND (\(filter.actions)::text[] IS NULL OR action = ANY (\(filter.actions)::text[]))
              AND (\(filter.actorID)::uuid IS NULL OR actor_id = \(filter.actorID))
              AND (\(filter.targetID)::text IS NULL OR target_id = \(filter.targetID))
              AND (\(filter.since)::timestamptz IS NULL OR occurred_at >= \(filter.since))
              AND (\(filter.until)::timestamptz IS NULL OR occurred_at < \(filter.until))
              AND (\(filter.before)::bigint IS NULL OR chain_position < \(filter.before))
            ORDER BY chain_position DESC NULLS LAST LIMIT \(limit)
            """,
            logger: logger
        ).decode((Int64?, Date, UUID?, String, String, String?, String?, String?, String).self) {
            let object = (try? JSONSerialization.jsonObject(with: Data(details.utf8))) as? [String: Any] ?? [:]
            entries.append(Entry(
                chainPosition: position, occurredAt: occurred, actorId: actor, actorRole: role, action: action, targetType: targetType,
                targetId: targetID, requestId: requestID, details: object.mapValues { "\($0)" }
            ))
        }
        return entries
    }

    /// How many entries of each of `actions` happened since `since` (the console's security page).
    static func counts(of actions: [String], since: Date, on connection: DatabaseConnection, logger: Logger) async throws -> [String: Int] {
        var counts: [String: Int] = [:]
        for try await (action, count) in try await connection.query(
            "SELECT action, count(*)::int FROM audit_log WHERE action = ANY (\(actions)::text[]) AND occurred_at >= \(since) GROUP BY action",
            logger: logger
        ).decode((String, Int).self) {
            counts[action] = count
        }
        return counts
    }
}
