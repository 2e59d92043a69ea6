import Foundation
import InyeonCore
@testable import InyeonService
import Logging
import PostgresNIO
import Testing

/// Raw SQL from the service's own login against every table that row-level security guards,
/// generated from the catalog: a stranger, the person she blocked, her match and an anonymous
/// caller each try to read, insert, update and delete her rows, and each outcome is exactly the
/// one the rules allow (her rows counted, none, or SQLSTATE 42501). A table with row-level security
/// and no attack case fails the suite, and so does a case whose victim rows are missing.
@Suite(.serialized) struct RowLevelSecurityAttackTests {
    enum Attacker: String, CaseIterable, Sendable {
        case stranger, blocked, partner, anonymous
    }

    enum Operation: String, CaseIterable, Sendable {
        case select, insert, update, delete
    }

    /// What an attack must end in.
    enum Outcome: Equatable, CustomStringConvertible {
        case rows(Int)
        case denied

        var description: String {
            switch self {
            case .rows(let count): "\(count) rows"
            case .denied: "42501"
            }
        }
    }

    /// The victim's rows of one table, and what each attacker may do with them.
    struct AttackCase: Sendable {
        var table: String
        /// Picks the victim's rows; names only columns the service's role may read.
        var victimRows: String
        /// Who may read those rows (all of them): by the rules, not by accident.
        var readableBy: Set<Attacker> = []
        /// Who may update them.
        var updatableBy: Set<Attacker> = []
        /// The column an UPDATE sets to itself (a change that needs the privilege and the policy).
        var updateColumn: String
    }

    /// The people: V is the victim; S a stranger who can see her card; B the person she blocked;
    /// M her match, with whom she has a conversation.
    struct World: Sendable {
        let victim = UUID(), stranger = UUID(), blocked = UUID(), partner = UUID()
        let match = UUID(), photo = UUID(), session = UUID()

        func identity(_ attacker: Attacker) -> RequestIdentity {
            switch attacker {
            case .stranger: .user(stranger)
            case .blocked: .user(blocked)
            case .partner: .user(partner)
            case .anonymous: .anonymous
            }
        }
    }

    static func cases(_ world: World) -> [AttackCase] {
        let v = "'\(world.victim.uuidString.lowercased())'::uuid"
        let s = "'\(world.stranger.uuidString.lowercased())'::uuid"
        let m = "'\(world.partner.uuidString.lowercased())'::uuid"
        let b = "'\(world.blocked.uuidString.lowercased())'::uuid"
        let match = "'\(world.match.uuidString.lowercased())'::uuid"
        return [
            AttackCase(table: "accounts", victimRows: "id = \(v)", updateColumn: "status"),
            AttackCase(table: "profiles", victimRows: "user_id = \(v)", readableBy: [.stranger, .partner], updateColumn: "display_name"),
            AttackCase(table: "private_profiles", victimRows: "user_id = \(v)", updateColumn: "phone"),
            AttackCase(table: "consents", victimRows: "user_id = \(v)", updateColumn: "granted"),
            AttackCase(table: "values_assessments", victimRows: "user_id = \(v)", readableBy: [.stranger, .partner], updateColumn: "reliability"),
            // Her likes: each readable by its receiver alone (a pass never; across a block, nobody).
            AttackCase(table: "likes", victimRows: "from_user_id = \(v) AND to_user_id = \(s)", readableBy: [.stranger], updateColumn: "kind"),
            AttackCase(table: "likes", victimRows: "from_user_id = \(v) AND to_user_id = \(m)", readableBy: [.partner], updateColumn: "kind"),
            AttackCase(table: "likes", victimRows: "from_user_id = \(v) AND to_user_id = \(b)", updateColumn: "kind"),
            AttackCase(table: "matches", victimRows: "id = \(match)", readableBy: [.partner], updatableBy: [.partner], updateColumn: "ended_by"),
            AttackCase(table: "blocks", victimRows: "blocker_id = \(v)", updateColumn: "reason"),
            AttackCase(table: "audit_log", victimRows: "actor_id = \(v)", updateColumn: "action"),
            AttackCase(table: "sessions", victimRows: "user_id = \(v)", updateColumn: "revoked_reason"),
            AttackCase(table: "refresh_tokens", victimRows: "user_id = \(v)", updateColumn: "used_at"),
            AttackCase(table: "websocket_tickets", victimRows: "user_id = \(v)", updateColumn: "used_at"),
            AttackCase(table: "signing_keys", victimRows: "true", updateColumn: "published_until"),
            AttackCase(table: "pending_signups", victimRows: "true", updateColumn: "display_name"),
            AttackCase(table: "auth_failures", victimRows: "true", updateColumn: "ip_address"),
            AttackCase(table: "rate_limit_events", victimRows: "true", updateColumn: "bucket"),
            // Her answer after meeting is hers: not even her match reads it.
            AttackCase(table: "meeting_feedback", victimRows: "user_id = \(v)", updateColumn: "want_again"),
            AttackCase(table: "notifications", victimRows: "user_id = \(v)", updateColumn: "read_at"),
            AttackCase(table: "notification_preferences", victimRows: "user_id = \(v)", updateColumn: "email"),
            AttackCase(table: "password_resets", victimRows: "user_id = \(v)", updateColumn: "attempts"),
            AttackCase(table: "mail_outbox", victimRows: "recipient = 'attack-\(world.victim.uuidString)@example.com'", updateColumn: "last_error"),
            AttackCase(table: "feature_flag_overrides", victimRows: "flag = 'FEATURE_REAL_TIME_CHAT'", updateColumn: "setting"),
            AttackCase(table: "photos", victimRows: "user_id = \(v)", readableBy: [.stranger, .partner], updateColumn: "position"),
            AttackCase(table: "conversations", victimRows: "match_id = \(match)", readableBy: [.partner], updateColumn: "last_sequence"),
            AttackCase(table: "messages", victimRows: "sender_id = \(v)", readableBy: [.partner], updateColumn: "body"),
            AttackCase(table: "conversation_reads", victimRows: "user_id = \(v)", readableBy: [.partner], updateColumn: "read_sequence"),
            AttackCase(table: "moderation_cases", victimRows: "reporter_id = \(v) AND kind = 'report'", updateColumn: "status"),
            // Her report from a card (before any match), and her customer-centre ticket: staff read them, nobody else.
            AttackCase(table: "moderation_cases", victimRows: "reporter_id = \(v) AND kind = 'profile_report'", updateColumn: "status"),
            AttackCase(table: "moderation_cases", victimRows: "reporter_id = \(v) AND kind = 'support'", updateColumn: "status"),
            AttackCase(table: "assessment_drafts", victimRows: "user_id = \(v)", updateColumn: "answers"),
            AttackCase(table: "feedback", victimRows: "user_id = \(v)", updateColumn: "rating"),
            // The recommendation model holds how readily each person likes and is liked: the system's alone.
            AttackCase(table: "recommendation_models", victimRows: "trained_by = 'attack-\(world.victim.uuidString)'", updateColumn: "people"),
            // Rollouts: admins' and the system's alone; the people counted in a cohort are hers too.
            AttackCase(table: "rollout_plans", victimRows: "flag = 'FEATURE_REAL_TIME_CHAT'", updateColumn: "reason"),
            AttackCase(table: "rollout_cohort_counts", victimRows: "instance = 'attack-\(world.victim.uuidString)'", updateColumn: "trials"),
            AttackCase(table: "rollout_cohort_latency", victimRows: "instance = 'attack-\(world.victim.uuidString)'", updateColumn: "requests"),
            AttackCase(table: "rollout_cohort_people", victimRows: "user_id = \(v)", updateColumn: "started"),
            AttackCase(table: "rollout_instance_memory", victimRows: "instance = 'attack-\(world.victim.uuidString)'", updateColumn: "resident_megabytes"),
            AttackCase(table: "rollout_cohort_history", victimRows: "flag = 'FEATURE_REAL_TIME_CHAT' AND taken_at = '2000-01-01'", updateColumn: "requests"),
        ]
    }

    /// Her rows in every table, written as the system; the flag override is removed afterwards.
    static func makeWorld(_ database: Database) async throws -> World {
        let world = World()
        let (v, s, b, m) = (world.victim, world.stranger, world.blocked, world.partner)
        let logger = TestDatabase.logger
        try await database.transaction(as: .system, logger: logger) { connection in
            for (id, name) in [(v, "피해자"), (s, "낯선이"), (b, "차단됨"), (m, "짝")] {
                try await connection.query("INSERT INTO accounts (id) VALUES (\(id))", logger: logger)
                try await connection.query(
                    """
                    INSERT INTO profiles (user_id, display_name, birth_year, gender, seeking, marital_status, city, district,
                                          latitude, longitude, searchable, allow_public_listing)
                    VALUES (\(id), \(name), 1968, 'female', 'any', 'widowed', '서울', '마포구', 37.56071, 126.91053, true, false)
                    """,
                    logger: logger
                )
                try await connection.query(
                    "INSERT INTO private_profiles (user_id, email, phone) VALUES (\(id), \("attack-\(id.uuidString)@example.com"), '010-0000-0000')",
                    logger: logger
                )
                try await connection.query("INSERT INTO consents (user_id, kind, version, granted) VALUES (\(id), 'terms', 'v1', true)", logger: logger)
                try await connection.query("INSERT INTO values_assessments (user_id, value_scores) VALUES (\(id), '{\"family\": 70}')", logger: logger)
            }
            let (low, high) = v.uuidString.lowercased() < m.uuidString.lowercased() ? (v, m) : (m, v)
            let statements: [PostgresQuery] = [
                "INSERT INTO likes (from_user_id, to_user_id, kind) VALUES (\(v), \(m), 'like'), (\(m), \(v), 'like'), (\(v), \(s), 'like'), (\(v), \(b), 'like')",
                "INSERT INTO matches (id, user_low, user_high) VALUES (\(world.match), \(low), \(high))",
                "INSERT INTO blocks (blocker_id, blocked_id, reason) VALUES (\(v), \(b), '불편함')",
                "INSERT INTO photos (id, user_id, position, width, height, source_format) VALUES (\(world.photo), \(v), 0, 10, 10, 'jpeg')",
                "INSERT INTO sessions (id, user_id, expires_at) VALUES (\(world.session), \(v), now() + interval '1 day')",
                """
                INSERT INTO refresh_tokens (token_hash, session_id, user_id, expires_at)
                VALUES (decode(\(UUID().uuidString.replacingOccurrences(of: "-", with: "")), 'hex'), \(world.session), \(v), now() + interval '1 day')
                """,
                """
                INSERT INTO websocket_tickets (ticket_hash, user_id, session_id, expires_at)
                VALUES (decode(\(UUID().uuidString.replacingOccurrences(of: "-", with: "")), 'hex'), \(v), \(world.session), now() + interval '1 minute')
                """,
                """
                INSERT INTO pending_signups (token_hash, email, display_name, password_hash, marketing_consent, consent_version, expires_at)
                VALUES (decode(\(UUID().uuidString.replacingOccurrences(of: "-", with: "")), 'hex'), 'pending@example.com', '대기', 'x', false, 'v1', now() + interval '1 day')
                """,
                "INSERT INTO auth_failures (email_hash, ip_address) VALUES (decode(\(UUID().uuidString.replacingOccurrences(of: "-", with: "")), 'hex'), '192.0.2.1')",
                "INSERT INTO rate_limit_events (bucket, subject_hash) VALUES ('attack-test', decode(\(UUID().uuidString.replacingOccurrences(of: "-", with: "")), 'hex'))",
                """
                INSERT INTO password_resets (user_id, token_hash, code_hash, expires_at)
                VALUES (\(v), decode(\(UUID().uuidString.replacingOccurrences(of: "-", with: "")), 'hex'), '\\x00', now() + interval '15 minutes')
                """,
                "INSERT INTO notifications (user_id, kind, actor_id) VALUES (\(v), 'like', \(s))",
                "INSERT INTO meeting_feedback (match_id, user_id, met, want_again) VALUES (\(world.match), \(v), true, 'yes')",
                "INSERT INTO notification_preferences (user_id, kind, email) VALUES (\(v), 'match', false)",
                // A finished rollout of the chat flag (a finished plan moves nothing), with her among its people.
                """
                INSERT INTO rollout_plans (flag, plan, status, step, step_started_at, reason)
                VALUES ('FEATURE_REAL_TIME_CHAT', '{}', 'completed', 0, '2000-01-01', 'attack test')
                ON CONFLICT (flag) DO NOTHING
                """,
                """
                INSERT INTO rollout_cohort_counts (flag, started, instance, with_feature, measure, trials, events)
                VALUES ('FEATURE_REAL_TIME_CHAT', '2000-01-01', \("attack-\(v.uuidString)"), true, 'serverErrors', 1, 0)
                """,
                """
                INSERT INTO rollout_cohort_latency (flag, started, instance, with_feature, bound_ms, requests)
                VALUES ('FEATURE_REAL_TIME_CHAT', '2000-01-01', \("attack-\(v.uuidString)"), true, 50, 1)
                """,
                "INSERT INTO rollout_cohort_people (flag, started, user_id) VALUES ('FEATURE_REAL_TIME_CHAT', '2000-01-01', \(v))",
                "INSERT INTO rollout_instance_memory (instance, resident_megabytes) VALUES (\("attack-\(v.uuidString)"), 100)",
                """
                INSERT INTO rollout_cohort_history (flag, taken_at, started, percentage, with_feature, requests, server_errors, slow_requests, p95_ms)
                VALUES ('FEATURE_REAL_TIME_CHAT', '2000-01-01', '2000-01-01', 10, true, 1, 0, 0, 50) ON CONFLICT DO NOTHING
                """,
                // A delivered mail to her (its content already dropped), so no delivery worker takes it.
                """
                INSERT INTO mail_outbox (kind, recipient, message_id, state, sent_at)
                VALUES ('attack-test', \("attack-\(v.uuidString)@example.com"), \("<\(UUID())@attack.test>"), 'sent', now())
                """,
            ]
            for statement in statements {
                try await connection.query(statement, logger: logger)
            }
            // A model that knows her: old, so no instance takes it for the newest.
            var model = ReciprocalModel(prior: ProfilePairFeatures.prior)
            model.appeal[v.uuidString.lowercased()] = 0.5
            _ = try await connection.query(
                """
                INSERT INTO recommendation_models (trained_at, trained_by, people, decisions, training_milliseconds, model)
                VALUES ('2000-01-01', \("attack-\(v.uuidString)"), 4, 0, 0, \(Data(model.serialized())))
                """,
                logger: logger
            ).collect()
            try await AuditLog.record(
                AuditEntry(action: "profile.updated", actorID: v, actorRole: .user, targetType: "account", targetID: v.uuidString.lowercased()),
                requestID: nil, on: connection, logger: logger
            )
        }
        // What only she may write, written as her (message and read marker through the definer functions).
        try await database.transaction(as: .user(v), logger: logger) { connection in
            _ = try await connection.query("SELECT * FROM app.send_message(\(world.match), 'attack-1', '안녕하세요', '{}', NULL, '{}')", logger: logger).collect()
            _ = try await connection.query("SELECT app.mark_read(\(world.match), 1)", logger: logger).collect()
            _ = try await connection.query("INSERT INTO assessment_drafts (user_id, answers) VALUES (\(v), '{\"q1\": \"a\"}')", logger: logger)
                .collect()
            _ = try await connection.query("INSERT INTO feedback (user_id, topic, rating, phase, flags) VALUES (\(v), 'service', 4, 1, '{}')", logger: logger)
                .collect()
            _ = try await connection.query(
                "INSERT INTO moderation_cases (match_id, subject_id, reporter_id, kind, note) VALUES (\(world.match), \(m), \(v), 'report', '시험')",
                logger: logger
            ).collect()
            _ = try await connection.query(
                "INSERT INTO moderation_cases (subject_id, reporter_id, kind, category, note) VALUES (\(s), \(v), 'profile_report', 'fake', '시험')",
                logger: logger
            ).collect()
            _ = try await connection.query(
                "INSERT INTO moderation_cases (reporter_id, kind, category, note) VALUES (\(v), 'support', 'account', '로그인이 안 돼요')",
                logger: logger
            ).collect()
        }
        return world
    }

    /// What `identity` gets from one attack; any other failure is thrown.
    static func attempt(_ database: Database, as identity: RequestIdentity, _ query: PostgresQuery) async throws -> Outcome {
        do {
            return .rows(try await database.transaction(as: identity, logger: TestDatabase.logger) { connection in
                var count = 0
                for try await _ in try await connection.query(query, logger: TestDatabase.logger) { count += 1 }
                return count
            })
        } catch let error as PSQLError where error.serverInfo?[.sqlState] == "42501" {
            return .denied
        }
    }

    static func statement(_ operation: Operation, _ attack: AttackCase, victimRow json: String, columns: [String]) -> PostgresQuery {
        let list = columns.map { "\"\($0)\"" }.joined(separator: ", ")
        switch operation {
        case .select:
            return PostgresQuery(unsafeSQL: "SELECT 1 FROM public.\(attack.table) WHERE \(attack.victimRows)")
        case .update:
            return PostgresQuery(unsafeSQL:
                "UPDATE public.\(attack.table) SET \(attack.updateColumn) = \(attack.updateColumn) WHERE \(attack.victimRows) RETURNING 1")
        case .delete:
            return PostgresQuery(unsafeSQL: "DELETE FROM public.\(attack.table) WHERE \(attack.victimRows) RETURNING 1")
        case .insert:
            // Her own row again, claimed by someone else: the rules, not a duplicate key, must refuse it.
            var query = PostgresQuery(unsafeSQL: """
                INSERT INTO public.\(attack.table) (\(list)) OVERRIDING SYSTEM VALUE
                SELECT \(list) FROM json_populate_record(NULL::public.\(attack.table), $1::json)
                """)
            query.binds.append(json)
            return query
        }
    }

    @Test func everyTableWithRowLevelSecurityIsAttackedByEveryoneInEveryWay() async throws {
        try await TestDatabase.withAppRoleClient { client in
            let database = Database(client: client, poolSize: 4, identityKey: TestDatabase.identityKey)
            let world = try await Self.makeWorld(database)
            let cases = Self.cases(world)
            // Every table row-level security guards has a case: a new table cannot be forgotten.
            let guarded = try await client.query(
                "SELECT relname::text FROM pg_class WHERE relnamespace = 'public'::regnamespace AND relkind = 'r' AND relrowsecurity",
                logger: TestDatabase.logger
            ).collect().map { try $0.decode(String.self) }
            #expect(Set(guarded) == Set(cases.map(\.table)), "tables without an attack case: \(Set(guarded).subtracting(cases.map(\.table)))")

            // A flag override, at the value the tests' configuration has anyway, removed whatever happens.
            let overrideAdded = try await database.transaction(as: .system, logger: TestDatabase.logger) { connection in
                try await connection.query(
                    "INSERT INTO feature_flag_overrides (flag, setting) VALUES ('FEATURE_REAL_TIME_CHAT', 'false') ON CONFLICT DO NOTHING RETURNING 1",
                    logger: TestDatabase.logger
                ).collect().count == 1
            }
            var failure: (any Error)?
            do {
                try await TestDatabase.withOwnerClient { owner in
                    // Her rows are read (to count them and to copy one) as the owner, who may read every column.
                    let reader = Database(client: owner, poolSize: 2, identityKey: TestDatabase.identityKey)
                    try await Self.attackEveryTable(cases, world: world, database: database, reader: reader)
                }
            } catch {
                failure = error
            }
            if overrideAdded {
                try await database.transaction(as: .system, logger: TestDatabase.logger) { connection in
                    _ = try await connection.query("DELETE FROM feature_flag_overrides WHERE flag = 'FEATURE_REAL_TIME_CHAT'", logger: TestDatabase.logger)
                }
            }
            if let failure { throw failure }
        }
    }

    static func attackEveryTable(_ cases: [AttackCase], world: World, database: Database, reader: Database) async throws {
        for attack in cases {
            // Her rows exist (an attack on nothing proves nothing), read as the system.
            // As herself, or, for what only the system keeps, as the system.
            var rows: [String] = []
            for identity in [RequestIdentity.user(world.victim), .system] where rows.isEmpty {
                rows = try await reader.transaction(as: identity, logger: TestDatabase.logger) { connection in
                    try await connection.query(
                        PostgresQuery(unsafeSQL: "SELECT row_to_json(t)::text FROM public.\(attack.table) t WHERE \(attack.victimRows)"),
                        logger: TestDatabase.logger
                    ).collect().map { try $0.decode(String.self) }
                }
            }
            let found = rows
            let (victimRows, json, columns, privileges) = try await database.transaction(as: .system, logger: TestDatabase.logger) { connection in
                let columns = try await connection.query(
                    """
                    SELECT attname::text FROM pg_attribute
                    WHERE attrelid = ('public.' || \(attack.table))::regclass AND attnum > 0 AND NOT attisdropped AND attgenerated = ''
                    ORDER BY attnum
                    """,
                    logger: TestDatabase.logger
                ).collect().map { try $0.decode(String.self) }
                var privileges: [Operation: Bool] = [:]
                for operation in Operation.allCases {
                    // A privilege on any column is enough to try (the service's role reads some columns of profiles only).
                    let check = operation == .delete ? "has_table_privilege" : "has_any_column_privilege"
                    privileges[operation] = try await connection.query(
                        PostgresQuery(unsafeSQL: "SELECT \(check)(current_user, $1::regclass, $2)", binds: {
                            var binds = PostgresBindings()
                            binds.append("public.\(attack.table)")
                            binds.append(operation.rawValue.uppercased())
                            return binds
                        }()),
                        logger: TestDatabase.logger
                    ).collect().first!.decode(Bool.self)
                }
                return (found.count, found.first ?? "{}", columns, privileges)
            }
            #expect(victimRows > 0, "no victim rows in \(attack.table): the fixture must give her some")
            for attacker in Attacker.allCases {
                for operation in Operation.allCases {
                    let allowed: Bool =
                        switch operation {
                        case .select: attack.readableBy.contains(attacker)
                        case .update: attack.updatableBy.contains(attacker)
                        case .insert, .delete: false
                        }
                    let expected: Outcome =
                        if allowed { .rows(victimRows) }
                        else if operation == .insert || privileges[operation] != true { .denied }
                        else { .rows(0) }
                    let outcome = try await Self.attempt(
                        database, as: world.identity(attacker), Self.statement(operation, attack, victimRow: json, columns: columns)
                    )
                    #expect(outcome == expected, "\(attacker) \(operation) on \(attack.table)")
                }
            }
        }
    }
}
