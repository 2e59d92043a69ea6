import Foundation
import InyeonCore
import Logging
import PostgresNIO
import Synchronization

/// Decisions, matches, blocks and candidate searches, each run as the caller so row-level security
/// decides what they may see and do.
struct MatchingRepository: Sendable {
    let database: Database
    /// Where the whole-table reads of training go when the deployment has replicas
    /// (`DATABASE_READ_URL`); nil reads them from `database`.
    var trainingReads: Database? = nil

    /// A training read (as the system, with the training deadline) on the replicas when there are
    /// any; when they cannot be reached, or none is in the rotation, on `database`, so training
    /// never waits for a replica. Training tolerates a replica's lag of seconds.
    func trainingRead<Result: Sendable>(
        logger: Logger, _ body: @Sendable @escaping (DatabaseConnection) async throws -> Result
    ) async throws -> Result {
        if let trainingReads {
            do {
                // A short look first: an unreachable replica port makes a connection wait out its deadline.
                try await trainingReads.transaction(as: .system, deadline: Self.replicaWait, logger: logger) { connection in
                    try await connection.query("SELECT 1", logger: logger)
                }
                return try await trainingReads.transaction(as: .system, deadline: Self.trainingReadDeadline, logger: logger, body)
            } catch let error where !(error is CancellationError) {
                // Unreachable, no replica in the rotation, or a read cancelled by a conflict with recovery.
                logger.warning("training read from the primary: the replicas could not be read", metadata: [
                    "error": "\(String(reflecting: error))"
                ])
            }
        }
        return try await database.transaction(as: .system, deadline: Self.trainingReadDeadline, logger: logger, body)
    }

    /// How long a training read waits for the replicas to answer before it goes to the primary.
    static let replicaWait: Duration = .seconds(2)

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
            try await connection.rows(of: PeopleByIDStatement(ids: [userID], currentYear: currentYear), logger: logger).first?.matching
        }
    }

    /// Whom the caller must not be shown, read as the caller: people they passed on or liked (until the
    /// like expires), people they were ever matched with, and anyone across a block either way; and
    /// who super-liked them.
    struct Exclusions: Sendable {
        var hidden: Set<String>
        var superLikers: Set<String>
    }

    func exclusions(for userID: UUID, logger: Logger) async throws -> Exclusions {
        try await database.transaction(as: .user(userID), logger: logger) { connection in
            try await connection.rows(of: ExclusionsStatement(userID: userID), logger: logger).first ?? Exclusions(hidden: [], superLikers: [])
        }
    }

    /// Prepared, as it runs on every recommendation request (see `PeopleByIDStatement`).
    struct ExclusionsStatement: PostgresPreparedStatement {
        static let sql = """
            SELECT
                coalesce((SELECT array_agg(l.to_user_id) FROM likes l
                          WHERE l.from_user_id = $1 AND (l.kind = 'pass' OR l.expires_at > now())), '{}'),
                coalesce((SELECT array_agg(CASE WHEN m.user_low = $1 THEN m.user_high ELSE m.user_low END) FROM matches m
                          WHERE m.user_low = $1 OR m.user_high = $1), '{}'),
                app.blocked_user_ids(),
                app.super_likers()
            """
        typealias Row = Exclusions

        var userID: UUID

        func makeBindings() throws -> PostgresBindings {
            var bindings = PostgresBindings(capacity: 1)
            bindings.append(userID)
            return bindings
        }

        func decodeRow(_ row: PostgresRow) throws -> Exclusions {
            let (decided, matched, blocked, superLikers) = try row.decode(([UUID], [UUID], [UUID], [UUID]).self)
            return Exclusions(
                hidden: Set((decided + matched + blocked).map { $0.uuidString.lowercased() }),
                superLikers: Set(superLikers.map { $0.uuidString.lowercased() })
            )
        }
    }

    /// The cards of `ids` that the caller may see (row-level security decides), in the order given.
    func visiblePeople(_ ids: [String], as userID: UUID, currentYear: Int, logger: Logger) async throws -> [VisiblePerson] {
        let uuids = ids.compactMap(UUID.init(uuidString:))
        guard !uuids.isEmpty else { return [] }
        let found = try await database.transaction(as: .user(userID), logger: logger) { connection in
            let people = try await connection.rows(of: PeopleByIDStatement(ids: uuids, currentYear: currentYear), logger: logger)
            return Dictionary(people.map { ($0.matching.id, $0) }, uniquingKeysWith: { first, _ in first })
        }
        return ids.compactMap { found[$0] }
    }

    /// How long the reads that train the recommendation engine may take: they read whole tables
    /// (a million decisions, say), in the background, while requests keep the database busy.
    static let trainingReadDeadline: Duration = .seconds(120)

    /// Everyone who appears in search, for the candidate index (read as the system, never served).
    func searchableProfiles(currentYear: Int, logger: Logger) async throws -> [MatchingProfile] {
        try await trainingRead(logger: logger) { connection in
            var query = PostgresProfileRepository.personColumns
            // Paused people are introduced to no one (RLS hides their cards too; this keeps them out of the index).
            query.sql += " WHERE p.searchable AND p.paused_at IS NULL"
            var profiles: [MatchingProfile] = []
            for try await row in try await connection.query(query, logger: logger) {
                profiles.append(try PostgresProfileRepository.person(from: row, currentYear: currentYear).matching)
            }
            return profiles
        }
    }

    /// People who joined search after `since`, newest first, at most `limit`: the newcomers a
    /// candidate index read at `since` does not hold yet. Read through `profiles_created_idx`, so the
    /// cost follows the sign-ups since then, not the membership.
    func searchableProfiles(createdAfter since: Date, limit: Int, currentYear: Int, logger: Logger) async throws -> [MatchingProfile] {
        // A transaction of its own on the pool, not `Database.read`: up to 2,000 cards would hold up
        // the small reads queued behind it on a pipelined connection.
        var query = PostgresProfileRepository.personColumns
        query.sql += " WHERE p.created_at > $1 AND p.searchable AND p.paused_at IS NULL ORDER BY p.created_at DESC LIMIT $2"
        query.binds.append(since)
        query.binds.append(limit)
        return try await database.transaction(as: .system, logger: logger) { [query] connection in
            try await connection.query(query, logger: logger).collect().map { row in
                try PostgresProfileRepository.person(from: row, currentYear: currentYear).matching
            }
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
            try await ChatHub.announce(ChatEvent(kind: .closed, conversation: matchID), on: connection, logger: logger)
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
            for try await matchID in try await connection.query(
                """
                UPDATE matches SET ended_at = now(), ended_by = \(userID)
                WHERE user_low = least(\(userID), \(target)) AND user_high = greatest(\(userID), \(target)) AND ended_at IS NULL
                RETURNING id
                """,
                logger: logger
            ).decode(UUID.self) {
                // The conversation closes at once, live sockets included, on every instance.
                try await ChatHub.announce(ChatEvent(kind: .closed, conversation: matchID), on: connection, logger: logger)
            }
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

    static func invalidateCards(of people: [UUID], on connection: DatabaseConnection, logger: Logger) async throws {
        for person in people {
            try await CacheInvalidation.publish(.profiles, keyPrefix: person.uuidString.lowercased() + "/", on: connection, logger: logger)
        }
    }

    /// Every decision on record, for training (read as the system, never served to anyone).
    func allDecisions(logger: Logger) async throws -> [LikeDecision] {
        try await trainingRead(logger: logger) { connection in
            let decisions = Mutex<[LikeDecision]>([])
            // A like is read with its person's answer after meeting, when there is one (`LikeDecision.like`).
            let query: PostgresQuery = """
                SELECT l.from_user_id, l.to_user_id, l.kind, f.want_again FROM likes l
                LEFT JOIN matches m ON m.user_low = least(l.from_user_id, l.to_user_id) AND m.user_high = greatest(l.from_user_id, l.to_user_id)
                LEFT JOIN meeting_feedback f ON f.match_id = m.id AND f.user_id = l.from_user_id AND f.met
                ORDER BY l.decided_at
                """
            try await connection.forEachRow(query, logger: logger) { row in
                let (from, to, kind, wantAgain) = try row.decode((UUID, UUID, String, String?).self)
                let (decider, receiver) = (from.uuidString.lowercased(), to.uuidString.lowercased())
                let decision = kind == "pass"
                    ? LikeDecision(from: decider, to: receiver, liked: false)
                    : LikeDecision.like(from: decider, to: receiver, wantAgainAfterMeeting: wantAgain)
                decisions.withLock { $0.append(decision) }
            }
            return decisions.withLock { $0 }
        }
    }

    /// The matching profiles of `ids` (read as the system, for training only).
    func profiles(_ ids: [UUID], currentYear: Int, logger: Logger) async throws -> [String: MatchingProfile] {
        guard !ids.isEmpty else { return [:] }
        return try await trainingRead(logger: logger) { connection in
            var query = PostgresProfileRepository.personColumns
            query.sql += " WHERE p.user_id = ANY($1)"
            query.binds.append(ids)
            let profiles = Mutex<[String: MatchingProfile]>([:])
            try await connection.forEachRow(query, logger: logger) { row in
                let profile = try PostgresProfileRepository.person(from: row, currentYear: currentYear).matching
                profiles.withLock { $0[profile.id] = profile }
            }
            return profiles.withLock { $0 }
        }
    }
}
