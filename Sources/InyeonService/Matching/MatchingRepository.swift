import Foundation
import InyeonCore
import Logging
import PostgresNIO

/// Decisions, matches, blocks and candidate searches, each run as the caller so row-level security
/// decides what they may see and do.
struct MatchingRepository: Sendable {
    let database: Database
    let cache: any Cache

    enum Decision: String, Codable, Sendable, CaseIterable {
        case like, pass
        case superLike = "super_like"
    }

    struct DecisionOutcome: Sendable {
        var matchID: UUID?
        var matchedNow: Bool
    }

    /// The caller's own matching profile (read as themself, so it is complete).
    func ownProfile(_ userID: UUID, logger: Logger, currentYear: Int) async throws -> MatchingProfile? {
        try await database.transaction(as: .user(userID), logger: logger) { connection in
            var query = PostgresProfileRepository.personColumns
            query.sql += " WHERE p.user_id = $1"
            query.binds.append(userID)
            for try await row in try await connection.query(query, logger: logger) {
                return try PostgresProfileRepository.person(from: row, currentYear: currentYear).matching
            }
            return nil
        }
    }

    /// People who pass both sides' hard filters in SQL (whom each seeks, each other's age range and
    /// marital statuses, a bounding box of the viewer's distance), not blocked either way (RLS), not
    /// already decided on (a pass, or a like that has not expired) and never matched. The exact
    /// great-circle distance against both limits is checked by the caller on what comes back.
    func candidates(for viewer: MatchingProfile, currentYear: Int, limit: Int, logger: Logger) async throws -> [VisiblePerson] {
        guard let viewerID = UUID(uuidString: viewer.id) else { return [] }
        let viewerAge = AgeBracket.age(birthYear: viewer.birthYear, currentYear: currentYear)
        let genders = Gender.allCases.filter { viewer.seeking.accepts($0) }.map(\.rawValue)
        let maritalStatuses = viewer.preferredMaritalStatuses.map(\.rawValue)
        let latitudeDelta = Double(viewer.maxDistanceKm) / 110.574
        let longitudeDelta = Double(viewer.maxDistanceKm) / (111.320 * max(cos(viewer.latitude * .pi / 180), 0.01))
        return try await database.transaction(as: .user(viewerID), logger: logger) { connection in
            var query = PostgresProfileRepository.personColumns
            query.sql += """
                 WHERE p.user_id <> $1 AND p.searchable
                   AND p.gender = ANY($2) AND p.seeking IN ($3, 'any')
                   AND p.birth_year BETWEEN $4 AND $5
                   AND p.preferred_age_min <= $6 AND p.preferred_age_max >= $6
                   AND (cardinality($7::text[]) = 0 OR p.marital_status = ANY($7))
                   AND (cardinality(p.preferred_marital_statuses) = 0 OR $8 = ANY(p.preferred_marital_statuses))
                   AND p.latitude BETWEEN $9 AND $10 AND p.longitude BETWEEN $11 AND $12
                   AND NOT EXISTS (SELECT 1 FROM likes l WHERE l.from_user_id = $1 AND l.to_user_id = p.user_id
                                   AND (l.kind = 'pass' OR l.expires_at > now()))
                   AND NOT EXISTS (SELECT 1 FROM matches m WHERE m.user_low = least($1, p.user_id) AND m.user_high = greatest($1, p.user_id))
                 LIMIT $13
                """
            query.binds.append(viewerID)
            query.binds.append(genders)
            query.binds.append(viewer.gender.rawValue)
            query.binds.append(currentYear - viewer.preferredAgeMax)
            query.binds.append(currentYear - viewer.preferredAgeMin)
            query.binds.append(viewerAge)
            query.binds.append(maritalStatuses)
            query.binds.append(viewer.maritalStatus.rawValue)
            query.binds.append(viewer.latitude - latitudeDelta)
            query.binds.append(viewer.latitude + latitudeDelta)
            query.binds.append(viewer.longitude - longitudeDelta)
            query.binds.append(viewer.longitude + longitudeDelta)
            query.binds.append(limit)
            var people: [VisiblePerson] = []
            for try await row in try await connection.query(query, logger: logger) {
                people.append(try PostgresProfileRepository.person(from: row, currentYear: currentYear))
            }
            return people
        }
    }

    /// The people who super-liked the caller in the last seven days.
    func superLikers(of userID: UUID, logger: Logger) async throws -> Set<String> {
        try await database.transaction(as: .user(userID), logger: logger) { connection in
            var ids: Set<String> = []
            for try await list in try await connection.query("SELECT app.super_likers()", logger: logger).decode([UUID].self) {
                ids.formUnion(list.map { $0.uuidString.lowercased() })
            }
            return ids
        }
    }

    /// Records a like, pass or super-like through `app.decide`, which creates the match when the
    /// like is returned. Nil when the person does not exist or is hidden from the caller.
    func decide(_ decision: Decision, about target: UUID, by userID: UUID, requestID: String?, logger: Logger) async throws -> DecisionOutcome? {
        do {
            return try await database.transaction(as: .user(userID), logger: logger) { connection in
                var outcome = DecisionOutcome(matchID: nil, matchedNow: false)
                for try await (matchID, created) in try await connection.query(
                    "SELECT match_id, created FROM app.decide(\(target), \(decision.rawValue))", logger: logger
                ).decode((UUID?, Bool).self) {
                    outcome = DecisionOutcome(matchID: matchID, matchedNow: created)
                }
                if outcome.matchedNow, let matchID = outcome.matchID {
                    try await AuditLog.record(
                        AuditEntry(action: "match.created", actorID: userID, actorRole: .user, targetType: "match",
                                   targetID: matchID.uuidString.lowercased(), details: [:]),
                        requestID: requestID, on: connection, logger: logger
                    )
                }
                return outcome
            }
        } catch let error as PSQLError where error.serverInfo?[.sqlState] == "P0002" {
            return nil
        }
    }

    struct MatchRow: Sendable {
        var id: UUID
        var partnerID: UUID
        var matchedAt: Date
    }

    /// The caller's current matches, newest first, with partners the caller may still see.
    func matches(of userID: UUID, logger: Logger) async throws -> [MatchRow] {
        try await database.transaction(as: .user(userID), logger: logger) { connection in
            var rows: [MatchRow] = []
            for try await (id, partner, matchedAt) in try await connection.query(
                """
                SELECT m.id, CASE WHEN m.user_low = \(userID) THEN m.user_high ELSE m.user_low END, m.matched_at
                FROM matches m
                WHERE (m.user_low = \(userID) OR m.user_high = \(userID)) AND m.ended_at IS NULL
                  AND NOT (CASE WHEN m.user_low = \(userID) THEN m.user_high ELSE m.user_low END = ANY (app.blocked_user_ids()))
                ORDER BY m.matched_at DESC
                """,
                logger: logger
            ).decode((UUID, UUID, Date).self) {
                rows.append(MatchRow(id: id, partnerID: partner, matchedAt: matchedAt))
            }
            return rows
        }
    }

    /// Ends one of the caller's matches. False when there is no such current match.
    func unmatch(_ matchID: UUID, by userID: UUID, requestID: String?, logger: Logger) async throws -> Bool {
        try await database.transaction(as: .user(userID), logger: logger) { connection in
            var partner: UUID?
            for try await (low, high) in try await connection.query(
                """
                UPDATE matches SET ended_at = now(), ended_by = \(userID)
                WHERE id = \(matchID) AND ended_at IS NULL AND \(userID) IN (user_low, user_high)
                RETURNING user_low, user_high
                """,
                logger: logger
            ).decode((UUID, UUID).self) {
                partner = low == userID ? high : low
            }
            guard let partner else { return false }
            try await AuditLog.record(
                AuditEntry(action: "match.ended", actorID: userID, actorRole: .user, targetType: "match",
                           targetID: matchID.uuidString.lowercased(), details: [:]),
                requestID: requestID, on: connection, logger: logger
            )
            try await Self.invalidateCards(of: [userID, partner], on: connection, logger: logger)
            return true
        }
    }

    /// Blocks `target`: ends any match between the two, and from this commit on neither sees the
    /// other anywhere (RLS reads blocks both ways); every instance drops both people's cached cards.
    func block(_ target: UUID, by userID: UUID, reason: String?, requestID: String?, logger: Logger) async throws {
        try await database.transaction(as: .user(userID), logger: logger) { connection in
            try await connection.query(
                """
                UPDATE matches SET ended_at = now(), ended_by = \(userID)
                WHERE user_low = least(\(userID), \(target)) AND user_high = greatest(\(userID), \(target)) AND ended_at IS NULL
                """,
                logger: logger
            )
            try await connection.query(
                """
                INSERT INTO blocks (blocker_id, blocked_id, reason) VALUES (\(userID), \(target), \(reason))
                ON CONFLICT (blocker_id, blocked_id) DO NOTHING
                """,
                logger: logger
            )
            try await AuditLog.record(
                AuditEntry(action: "block.created", actorID: userID, actorRole: .user, targetType: "account",
                           targetID: target.uuidString.lowercased(), details: [:]),
                requestID: requestID, on: connection, logger: logger
            )
            try await Self.invalidateCards(of: [userID, target], on: connection, logger: logger)
        }
    }

    static func invalidateCards(of people: [UUID], on connection: PostgresConnection, logger: Logger) async throws {
        for person in people {
            try await CacheInvalidation.publish(.profiles, keyPrefix: person.uuidString.lowercased() + "/", on: connection, logger: logger)
        }
    }

    /// Every decision on record, for training (read as the system, never served to anyone).
    func allDecisions(logger: Logger) async throws -> [LikeDecision] {
        try await database.transaction(as: .system, logger: logger) { connection in
            var decisions: [LikeDecision] = []
            for try await (from, to, kind) in try await connection.query(
                "SELECT from_user_id, to_user_id, kind FROM likes ORDER BY decided_at", logger: logger
            ).decode((UUID, UUID, String).self) {
                decisions.append(LikeDecision(from: from.uuidString.lowercased(), to: to.uuidString.lowercased(), liked: kind != "pass"))
            }
            return decisions
        }
    }

    /// The matching profiles of `ids` (read as the system, for training only).
    func profiles(_ ids: [UUID], currentYear: Int, logger: Logger) async throws -> [String: MatchingProfile] {
        guard !ids.isEmpty else { return [:] }
        return try await database.transaction(as: .system, logger: logger) { connection in
            var query = PostgresProfileRepository.personColumns
            query.sql += " WHERE p.user_id = ANY($1)"
            query.binds.append(ids)
            var profiles: [String: MatchingProfile] = [:]
            for try await row in try await connection.query(query, logger: logger) {
                let profile = try PostgresProfileRepository.person(from: row, currentYear: currentYear).matching
                profiles[profile.id] = profile
            }
            return profiles
        }
    }
}
