import Foundation
import Logging
import PostgresNIO

/// The two interest lists, read under row-level security: the likes and super-likes people sent me
/// that I have not answered (readable to me since migration 18; a block hides them both ways), and
/// my own likes still waiting for an answer, which I may withdraw.
struct InterestLists: Sendable {
    let database: Database

    struct Interest: Sendable {
        var personID: UUID
        var kind: String
        var decidedAt: Date
        var expiresAt: Date
    }

    /// Likes to me, not expired, from people I have neither answered nor matched, newest first.
    func received(by userID: UUID, limit: Int, logger: Logger) async throws -> [Interest] {
        try await database.transaction(as: .user(userID), logger: logger) { connection in
            try await Self.interests(connection.query(
                """
                SELECT l.from_user_id, l.kind, l.decided_at, l.expires_at FROM likes l
                WHERE l.to_user_id = \(userID) AND l.kind IN ('like', 'super_like') AND l.expires_at > now()
                  AND NOT EXISTS (SELECT 1 FROM likes mine WHERE mine.from_user_id = \(userID) AND mine.to_user_id = l.from_user_id)
                  AND NOT EXISTS (SELECT 1 FROM matches m WHERE m.user_low = least(l.from_user_id, \(userID)) AND m.user_high = greatest(l.from_user_id, \(userID)))
                ORDER BY l.kind = 'super_like' DESC, l.decided_at DESC LIMIT \(limit)
                """,
                logger: logger
            ))
        }
    }

    /// My likes, not expired, to people who have not matched with me, newest first.
    func sent(by userID: UUID, limit: Int, logger: Logger) async throws -> [Interest] {
        try await database.transaction(as: .user(userID), logger: logger) { connection in
            try await Self.interests(connection.query(
                """
                SELECT l.to_user_id, l.kind, l.decided_at, l.expires_at FROM likes l
                WHERE l.from_user_id = \(userID) AND l.kind IN ('like', 'super_like') AND l.expires_at > now()
                  AND NOT (l.to_user_id = ANY (app.blocked_user_ids()))
                  AND NOT EXISTS (SELECT 1 FROM matches m WHERE m.user_low = least(l.to_user_id, \(userID)) AND m.user_high = greatest(l.to_user_id, \(userID)))
                ORDER BY l.decided_at DESC LIMIT \(limit)
                """,
                logger: logger
            ))
        }
    }

    /// Withdraws my waiting like to `person`; false when there is none (or it already made a match).
    func withdraw(_ person: UUID, by userID: UUID, requestID: String?, logger: Logger) async throws -> Bool {
        try await database.transaction(as: .user(userID), logger: logger) { connection in
            let removed = try await connection.query(
                """
                DELETE FROM likes l WHERE l.from_user_id = \(userID) AND l.to_user_id = \(person) AND l.kind IN ('like', 'super_like')
                  AND NOT EXISTS (SELECT 1 FROM matches m WHERE m.user_low = least(\(person), \(userID)) AND m.user_high = greatest(\(person), \(userID)))
                RETURNING 1
                """,
                logger: logger
            ).collect().count
            if removed > 0 {
                try await AuditLog.record(
                    AuditEntry(action: "like.withdrawn", actorID: userID, actorRole: .user, targetType: "account",
                               targetID: person.uuidString.lowercased(), details: [:]),
                    requestID: requestID, on: connection, logger: logger
                )
            }
            return removed > 0
        }
    }

    private static func interests(_ rows: DatabaseRows) async throws -> [Interest] {
        var interests: [Interest] = []
        for try await (person, kind, decided, expires) in rows.decode((UUID, String, Date, Date).self) {
            interests.append(Interest(personID: person, kind: kind, decidedAt: decided, expiresAt: expires))
        }
        return interests
    }
}
