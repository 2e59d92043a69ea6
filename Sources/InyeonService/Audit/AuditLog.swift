import Foundation
import Logging
import PostgresNIO

/// One entry of the hash-chained audit log, written in the same transaction as the change it records.
struct AuditEntry: Sendable {
    var action: String
    var actorID: UUID?
    var actorRole: AppRole
    var targetType: String?
    var targetID: String?
    var details: [String: String] = [:]
}

enum AuditLog {
    static func record(_ entry: AuditEntry, requestID: String?, on connection: DatabaseConnection, logger: Logger) async throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        let details = String(decoding: try encoder.encode(entry.details), as: UTF8.self)
        try await connection.query(
            """
            INSERT INTO audit_log (actor_id, actor_role, action, target_type, target_id, request_id, details)
            VALUES (\(entry.actorID), \(entry.actorRole.rawValue), \(entry.action), \(entry.targetType), \(entry.targetID),
                    \(requestID), \(details)::jsonb)
            """,
            logger: logger
        )
    }

    /// A security event (token reuse, stuffing, invalid tokens): recorded as the system, on its own.
    static func securityEvent(
        _ action: String, userID: UUID? = nil, details: [String: String], requestID: String?, database: Database, logger: Logger
    ) async {
        logger.warning("security event", metadata: ["event": "\(action)", "details": "\(details)"])
        do {
            try await database.transaction(as: .system, logger: logger) { connection in
                try await record(
                    AuditEntry(action: "security.\(action)", actorID: nil, actorRole: .system, targetType: userID == nil ? nil : "account",
                               targetID: userID?.uuidString.lowercased(), details: details),
                    requestID: requestID, on: connection, logger: logger
                )
            }
        } catch {
            logger.failure("could not record security event", error, level: .error)
        }
    }
}
