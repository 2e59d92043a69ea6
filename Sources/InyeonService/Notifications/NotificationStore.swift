import Foundation
import Logging
import PostgresNIO

/// A person's notifications, read and marked under row-level security (a notice about someone
/// across a block is not there for them).
struct NotificationStore: Sendable {
    let database: Database

    struct Notice: Sendable {
        var id: Int64
        var kind: String
        var actorID: UUID?
        var matchID: UUID?
        var count: Int
        var at: Date
        var read: Bool
    }

    func recent(for userID: UUID, limit: Int, logger: Logger) async throws -> (notices: [Notice], unread: Int) {
        try await database.transaction(as: .user(userID), logger: logger) { connection in
            var notices: [Notice] = []
            for try await (id, kind, actor, match, count, at, read) in try await connection.query(
                """
                SELECT id, kind, actor_id, match_id, count, updated_at, read_at IS NOT NULL FROM notifications
                WHERE user_id = \(userID) ORDER BY updated_at DESC, id DESC LIMIT \(limit)
                """,
                logger: logger
            ).decode((Int64, String, UUID?, UUID?, Int, Date, Bool).self) {
                notices.append(Notice(id: id, kind: kind, actorID: actor, matchID: match, count: count, at: at, read: read))
            }
            let unread = try await Self.unread(userID, connection: connection, logger: logger)
            return (notices, unread)
        }
    }

    /// How many notices the person has not read (the menu shows it).
    func unreadCount(for userID: UUID, logger: Logger) async throws -> Int {
        try await database.transaction(as: .user(userID), logger: logger) { connection in
            try await Self.unread(userID, connection: connection, logger: logger)
        }
    }

    private static func unread(_ userID: UUID, connection: DatabaseConnection, logger: Logger) async throws -> Int {
        try await connection.query(
            "SELECT count(*)::int FROM notifications WHERE user_id = \(userID) AND read_at IS NULL", logger: logger
        ).decode(Int.self).reduce(0, +)
    }

    /// Marks the given notices (all when nil) read; returns how many changed.
    @discardableResult
    func markRead(_ ids: [Int64]?, for userID: UUID, logger: Logger) async throws -> Int {
        try await database.transaction(as: .user(userID), logger: logger) { connection in
            try await connection.query(
                """
                UPDATE notifications SET read_at = now()
                WHERE user_id = \(userID) AND read_at IS NULL AND (\(ids == nil) OR id = ANY(\(ids ?? [])))
                RETURNING 1
                """,
                logger: logger
            ).collect().count
        }
    }

    /// Which notification mails the person wants, by kind (`UnsubscribeLinks.kinds`; absent: yes).
    func mailPreferences(for userID: UUID, logger: Logger) async throws -> [String: Bool] {
        try await database.transaction(as: .user(userID), logger: logger) { connection in
            var wanted = Dictionary(uniqueKeysWithValues: UnsubscribeLinks.kinds.map { ($0, true) })
            for try await (kind, email) in try await connection.query(
                "SELECT kind, email FROM notification_preferences WHERE user_id = \(userID)", logger: logger
            ).decode((String, Bool).self) {
                wanted[kind] = email
            }
            return wanted
        }
    }

    /// Sets the person's switches; `as` is the person, or the system for a signed unsubscribe link.
    func setMailPreferences(_ wanted: [String: Bool], for userID: UUID, as identity: RequestIdentity, requestID: String?, logger: Logger) async throws {
        try await database.transaction(as: identity, logger: logger) { connection in
            for (kind, email) in wanted.sorted(by: { $0.key < $1.key }) where UnsubscribeLinks.kinds.contains(kind) {
                try await connection.query(
                    """
                    INSERT INTO notification_preferences (user_id, kind, email) VALUES (\(userID), \(kind), \(email))
                    ON CONFLICT (user_id, kind) DO UPDATE SET email = excluded.email, updated_at = now()
                    """,
                    logger: logger
                )
            }
            try await AuditLog.record(
                AuditEntry(action: "notifications.mail_preferences", actorID: userID, actorRole: .user, targetType: "account",
                           targetID: userID.uuidString.lowercased(),
                           details: Dictionary(uniqueKeysWithValues: wanted.map { ($0.key, "\($0.value)") })),
                requestID: requestID, on: connection, logger: logger
            )
        }
    }
}
