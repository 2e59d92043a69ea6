import Foundation
import Logging
import PostgresNIO

/// "We met": after a match has had a real conversation (each person wrote at least `minimumEach`
/// messages) and `askAfter` has passed since the match, each person is asked privately whether they
/// met and whether they would like to meet again. The answers count in the matching funnel and
/// teach the recommendation engine more than a like does (see `MatchingRepository.decisions`).
struct MeetingFeedback: Sendable {
    let database: Database
    var askAfter: Duration = .seconds(3 * 86400)
    var minimumEach = 3

    enum WantAgain: String, Codable, Sendable {
        case yes, no, unsure
    }

    /// The caller's matches that are ready to ask about and not yet answered, oldest first.
    func pending(for userID: UUID, only match: UUID? = nil, logger: Logger) async throws -> [(matchID: UUID, partnerID: UUID, matchedAt: Date)] {
        let after = askAfter.seconds
        return try await database.transaction(as: .user(userID), logger: logger) { connection in
            var pending: [(UUID, UUID, Date)] = []
            for try await row in try await connection.query(
                """
                SELECT m.id, CASE WHEN m.user_low = \(userID) THEN m.user_high ELSE m.user_low END, m.matched_at FROM matches m
                WHERE \(userID) IN (m.user_low, m.user_high) AND m.ended_at IS NULL AND (\(match)::uuid IS NULL OR m.id = \(match))
                  AND m.matched_at <= now() - make_interval(secs => \(after))
                  AND NOT (CASE WHEN m.user_low = \(userID) THEN m.user_high ELSE m.user_low END = ANY (app.blocked_user_ids()))
                  AND NOT EXISTS (SELECT 1 FROM meeting_feedback f WHERE f.match_id = m.id AND f.user_id = \(userID))
                  -- At least `minimumEach` from each, found without counting a long conversation through.
                  AND EXISTS (SELECT 1 FROM messages x WHERE x.match_id = m.id AND x.sender_id = m.user_low AND x.deleted_at IS NULL
                              OFFSET \(minimumEach - 1))
                  AND EXISTS (SELECT 1 FROM messages x WHERE x.match_id = m.id AND x.sender_id = m.user_high AND x.deleted_at IS NULL
                              OFFSET \(minimumEach - 1))
                ORDER BY m.matched_at LIMIT 20
                """,
                logger: logger
            ).decode((UUID, UUID, Date).self) {
                pending.append(row)
            }
            return pending.map { (matchID: $0.0, partnerID: $0.1, matchedAt: $0.2) }
        }
    }

    /// Records (or changes) the caller's answer; false when the match is not theirs, or not yet one to ask about.
    func answer(_ matchID: UUID, by userID: UUID, met: Bool, wantAgain: WantAgain?, requestID: String?, logger: Logger) async throws -> Bool {
        var eligible = try await pending(for: userID, only: matchID, logger: logger).contains { $0.matchID == matchID }
        if !eligible { eligible = try await answered(matchID, by: userID, logger: logger) }
        guard eligible else { return false }
        try await database.transaction(as: .user(userID), logger: logger) { connection in
            try await connection.query(
                """
                INSERT INTO meeting_feedback (match_id, user_id, met, want_again) VALUES (\(matchID), \(userID), \(met), \(met ? wantAgain?.rawValue : nil))
                ON CONFLICT (match_id, user_id) DO UPDATE SET met = excluded.met, want_again = excluded.want_again, answered_at = now()
                """,
                logger: logger
            )
            try await AuditLog.record(
                AuditEntry(action: "match.we_met_answered", actorID: userID, actorRole: .user, targetType: "match",
                           targetID: matchID.uuidString.lowercased(), details: [:]),
                requestID: requestID, on: connection, logger: logger
            )
        }
        return true
    }

    private func answered(_ matchID: UUID, by userID: UUID, logger: Logger) async throws -> Bool {
        try await database.transaction(as: .user(userID), logger: logger) { connection in
            try await connection.query(
                "SELECT count(*)::int FROM meeting_feedback WHERE match_id = \(matchID) AND user_id = \(userID)", logger: logger
            ).decode(Int.self).reduce(0, +) > 0
        }
    }

    /// The matching funnel over the last `days`: likes given, matches made, matches with a real
    /// conversation, people who said they met, and who want to meet again. Counts only.
    struct Funnel: Encodable, Sendable {
        var days: Int
        var likes: Int
        var matches: Int
        var conversations: Int
        var answers: Int
        var met: Int
        var wantAgain: Int
        /// Each step as a share of the one before (nil when the one before is 0).
        var likeToMatch: Double?
        var matchToConversation: Double?
        var answeredMet: Double?
        var metToWantAgain: Double?
    }

    func funnel(days: Int, logger: Logger) async throws -> Funnel {
        try await database.transaction(as: .system, logger: logger) { connection in
            var counts = (0, 0, 0, 0, 0, 0)
            for try await row in try await connection.query(
                """
                WITH recent AS (SELECT id, user_low, user_high FROM matches WHERE matched_at > now() - make_interval(days => \(days)::int))
                SELECT
                    (SELECT count(*)::int FROM likes WHERE kind IN ('like', 'super_like') AND decided_at > now() - make_interval(days => \(days)::int)),
                    (SELECT count(*)::int FROM recent),
                    (SELECT count(*)::int FROM recent r
                     WHERE EXISTS (SELECT 1 FROM messages x WHERE x.match_id = r.id AND x.sender_id = r.user_low)
                       AND EXISTS (SELECT 1 FROM messages x WHERE x.match_id = r.id AND x.sender_id = r.user_high)),
                    (SELECT count(*)::int FROM meeting_feedback WHERE answered_at > now() - make_interval(days => \(days)::int)),
                    (SELECT count(*)::int FROM meeting_feedback WHERE met AND answered_at > now() - make_interval(days => \(days)::int)),
                    (SELECT count(*)::int FROM meeting_feedback WHERE want_again = 'yes' AND answered_at > now() - make_interval(days => \(days)::int))
                """,
                logger: logger
            ).decode((Int, Int, Int, Int, Int, Int).self) {
                counts = row
            }
            let (likes, matches, conversations, answers, met, again) = counts
            func share(_ part: Int, _ whole: Int) -> Double? { whole == 0 ? nil : (Double(part) / Double(whole) * 1000).rounded() / 1000 }
            return Funnel(
                days: days, likes: likes, matches: matches, conversations: conversations, answers: answers, met: met, wantAgain: again,
                likeToMatch: share(matches * 2, likes), matchToConversation: share(conversations, matches), answeredMet: share(met, answers),
                metToWantAgain: share(again, met)
            )
        }
    }
}
