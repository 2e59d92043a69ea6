import Foundation
@testable import InyeonService
import Logging
import PostgresNIO
import Testing

/// Row-level security proved from the service's own login role with raw SQL: whatever the
/// application code does, another person's rows are invisible and unwritable.
@Suite struct RowLevelSecurityTests {
    /// Three fresh people: A and B see each other's cards; C has hidden from search.
    struct People: Sendable {
        let a = UUID()
        let b = UUID()
        let c = UUID()
    }

    static func makePeople(_ client: PostgresClient) async throws -> People {
        let people = People()
        try await asIdentity(client, .system) { connection in
            for (id, searchable) in [(people.a, true), (people.b, true), (people.c, false)] {
                try await connection.query("INSERT INTO accounts (id) VALUES (\(id))", logger: TestDatabase.logger)
                try await connection.query(
                    """
                    INSERT INTO profiles (user_id, display_name, birth_year, gender, seeking, marital_status, city, district,
                                          latitude, longitude, searchable, allow_public_listing)
                    VALUES (\(id), 'RLS 시험', 1970, 'female', 'male', 'divorced', '서울', '강남구', 37.5, 127.0, \(searchable), false)
                    """,
                    logger: TestDatabase.logger
                )
                let email = "rls-\(id.uuidString)@example.com"
                try await connection.query(
                    "INSERT INTO private_profiles (user_id, email, phone) VALUES (\(id), \(email), '010-0000-0000')",
                    logger: TestDatabase.logger
                )
                try await connection.query(
                    "INSERT INTO consents (user_id, kind, version, granted) VALUES (\(id), 'terms', 'v1', true)",
                    logger: TestDatabase.logger
                )
                try await connection.query(
                    "INSERT INTO values_assessments (user_id, value_scores) VALUES (\(id), '{\"family\": 70}')",
                    logger: TestDatabase.logger
                )
            }
            try await connection.query(
                "INSERT INTO likes (from_user_id, to_user_id, kind) VALUES (\(people.b), \(people.a), 'like')", logger: TestDatabase.logger
            )
            let (low, high) = people.a.uuidString.lowercased() < people.b.uuidString.lowercased() ? (people.a, people.b) : (people.b, people.a)
            try await connection.query("INSERT INTO matches (user_low, user_high) VALUES (\(low), \(high))", logger: TestDatabase.logger)
            try await connection.query(
                "INSERT INTO blocks (blocker_id, blocked_id) VALUES (\(people.b), \(people.c))", logger: TestDatabase.logger
            )
        }
        return people
    }

    static func asIdentity<Result: Sendable>(
        _ client: PostgresClient,
        _ identity: RequestIdentity,
        _ body: @Sendable @escaping (DatabaseConnection) async throws -> Result
    ) async throws -> Result {
        try await Database(client: client, poolSize: 4, identityKey: TestDatabase.identityKey).transaction(as: identity, logger: TestDatabase.logger, body)
    }

    static func count(_ client: PostgresClient, _ identity: RequestIdentity, _ query: PostgresQuery) async throws -> Int {
        try await asIdentity(client, identity) { connection in
            var total = 0
            for try await _ in try await connection.query(query, logger: TestDatabase.logger) { total += 1 }
            return total
        }
    }

    /// The SQLSTATE a statement fails with as `identity`, or nil when it succeeds.
    static func failure(_ client: PostgresClient, _ identity: RequestIdentity, _ query: PostgresQuery) async -> String? {
        do {
            try await asIdentity(client, identity) { connection in
                try await connection.query(query, logger: TestDatabase.logger)
            }
            return nil
        } catch let error as PSQLError {
            return error.serverInfo?[.sqlState] ?? "\(error.code)"
        } catch {
            return "\(error)"
        }
    }

    @Test func theServiceRoleCannotBypassRowLevelSecurity() async throws {
        try await TestDatabase.withAppRoleClient { client in
            let row = try await client.query(
                "SELECT rolsuper, rolbypassrls, (SELECT count(*) FROM pg_tables WHERE tableowner = current_user)::int FROM pg_roles WHERE rolname = current_user"
            ).decode((Bool, Bool, Int).self).reduce(into: [(Bool, Bool, Int)]()) { $0.append($1) }
            #expect(row.first?.0 == false, "not a superuser")
            #expect(row.first?.1 == false, "no BYPASSRLS")
            #expect(row.first?.2 == 0, "owns no table")
            // Turning row security off is refused rather than silently showing everything.
            let state: String? = await {
                do {
                    try await Self.asIdentity(client, .user(UUID())) { connection in
                        try await connection.query("SELECT set_config('row_security', 'off', true)", logger: TestDatabase.logger)
                        try await connection.query("SELECT count(*) FROM private_profiles", logger: TestDatabase.logger)
                    }
                    return nil
                } catch let error as PSQLError {
                    return error.serverInfo?[.sqlState]
                } catch {
                    return "\(error)"
                }
            }()
            #expect(state == "42501")
        }
    }

    @Test func everyTableWithPeoplesDataIsEnabledAndForced() async throws {
        try await TestDatabase.withAppRoleClient { client in
            let rows = try await client.query(
                """
                SELECT c.relname::text, c.relrowsecurity, c.relforcerowsecurity FROM pg_class c
                JOIN pg_namespace n ON n.oid = c.relnamespace
                WHERE n.nspname = 'public' AND c.relkind = 'r' AND c.relname <> 'schema_migrations'
                """
            ).decode((String, Bool, Bool).self).reduce(into: [(String, Bool, Bool)]()) { $0.append($1) }
            #expect(Set(rows.map(\.0)) == [
                "accounts", "profiles", "private_profiles", "consents", "values_assessments", "likes", "matches", "blocks", "audit_log",
                "sessions", "refresh_tokens", "signing_keys", "pending_signups", "auth_failures", "websocket_tickets", "feature_flag_overrides",
                "photos", "conversations", "messages", "conversation_reads", "moderation_cases", "assessment_drafts", "feedback", "rate_limit_events",
                "mail_outbox", "password_resets", "notifications", "notification_preferences", "meeting_feedback",
                "recommendation_models", "rollout_plans", "rollout_cohort_counts", "rollout_cohort_latency", "rollout_cohort_people",
                "rollout_instance_memory", "rollout_cohort_history",
            ])
            for (table, enabled, forced) in rows {
                #expect(enabled && forced, "\(table)")
            }
        }
    }

    @Test func privateDataIsTheOwnersAlone() async throws {
        try await TestDatabase.withAppRoleClient { client in
            let people = try await Self.makePeople(client)
            let a = RequestIdentity.user(people.a)
            #expect(try await Self.count(client, a, "SELECT * FROM private_profiles WHERE user_id = \(people.a)") == 1)
            #expect(try await Self.count(client, a, "SELECT * FROM private_profiles WHERE user_id = \(people.b)") == 0)
            #expect(try await Self.count(client, .anonymous, "SELECT * FROM private_profiles") == 0)
            #expect(try await Self.count(client, .user(people.b, role: .admin), "SELECT * FROM private_profiles WHERE user_id = \(people.a)") == 0)
            #expect(try await Self.count(client, a, "UPDATE private_profiles SET phone = 'x' WHERE user_id = \(people.b) RETURNING 1") == 0)
            #expect(try await Self.count(client, a, "DELETE FROM private_profiles WHERE user_id = \(people.b) RETURNING 1") == 0)
            #expect(try await Self.count(client, a, "UPDATE private_profiles SET phone = '010-1111-2222' WHERE user_id = \(people.a) RETURNING 1") == 1)
            // Moving one's own row onto someone else is refused by the WITH CHECK clause.
            #expect(await Self.failure(client, a, "UPDATE private_profiles SET user_id = \(people.b) WHERE user_id = \(people.a)") == "42501")
            #expect(await Self.failure(client, a, "INSERT INTO consents (user_id, kind, version, granted) VALUES (\(people.b), 'terms', 'v1', false)") == "42501")
            #expect(try await Self.count(client, a, "SELECT * FROM consents WHERE user_id = \(people.b)") == 0)
            // B's phone is untouched.
            let phone = try await Self.asIdentity(client, .user(people.b)) { connection in
                try await connection.query("SELECT phone FROM private_profiles", logger: TestDatabase.logger).decode(String.self)
                    .reduce(into: [String]()) { $0.append($1) }
            }
            #expect(phone == ["010-0000-0000"])
        }
    }

    @Test func accountsAreOwnAndRolesCannotBeSelfGranted() async throws {
        try await TestDatabase.withAppRoleClient { client in
            let people = try await Self.makePeople(client)
            let a = RequestIdentity.user(people.a)
            #expect(try await Self.count(client, a, "SELECT * FROM accounts") == 1)
            #expect(try await Self.count(client, a, "UPDATE accounts SET status = 'suspended' WHERE id = \(people.b) RETURNING 1") == 0)
            #expect(await Self.failure(client, a, "UPDATE accounts SET role = 'admin' WHERE id = \(people.a)") == "42501")
            #expect(await Self.failure(client, a, "INSERT INTO accounts (id) VALUES (\(UUID()))") == "42501")
            #expect(try await Self.count(client, a, "DELETE FROM accounts WHERE id = \(people.b) RETURNING 1") == 0)
            #expect(try await Self.count(client, .user(people.b, role: .moderator), "SELECT * FROM accounts WHERE id = \(people.a)") == 1)
        }
    }

    @Test func cardsFollowSearchPublicListingAndBlocks() async throws {
        try await TestDatabase.withAppRoleClient { client in
            let people = try await Self.makePeople(client)
            let a = RequestIdentity.user(people.a)
            let b = RequestIdentity.user(people.b)
            let c = RequestIdentity.user(people.c)
            // Signed-in people see searchable cards; C hid from search.
            #expect(try await Self.count(client, a, "SELECT * FROM visible_profiles WHERE user_id = \(people.b)") == 1)
            #expect(try await Self.count(client, a, "SELECT * FROM visible_profiles WHERE user_id = \(people.c)") == 0)
            #expect(try await Self.count(client, c, "SELECT * FROM visible_profiles WHERE user_id = \(people.c)") == 1, "one's own, always")
            // Anonymous callers see only those who allow public listing (none of these three).
            #expect(try await Self.count(client, .anonymous, "SELECT * FROM visible_profiles WHERE user_id IN (\(people.a), \(people.b))") == 0)
            // B blocked C: C cannot see B (nor B see C) even after C becomes searchable.
            try await Self.asIdentity(client, c) { connection in
                try await connection.query("UPDATE profiles SET searchable = true WHERE user_id = \(people.c)", logger: TestDatabase.logger)
            }
            #expect(try await Self.count(client, a, "SELECT * FROM visible_profiles WHERE user_id = \(people.c)") == 1)
            #expect(try await Self.count(client, c, "SELECT * FROM visible_profiles WHERE user_id = \(people.b)") == 0)
            #expect(try await Self.count(client, b, "SELECT * FROM visible_profiles WHERE user_id = \(people.c)") == 0)
            #expect(try await Self.count(client, c, "SELECT * FROM values_assessments WHERE user_id = \(people.b)") == 0)
            #expect(try await Self.count(client, a, "SELECT * FROM values_assessments WHERE user_id = \(people.b)") == 1)
            // Nobody edits another's card.
            #expect(try await Self.count(client, a, "UPDATE profiles SET bio = 'x' WHERE user_id = \(people.b) RETURNING 1") == 0)
            #expect(try await Self.count(client, a, "DELETE FROM profiles WHERE user_id = \(people.b) RETURNING 1") == 0)
            #expect(try await Self.count(client, a, "UPDATE values_assessments SET reliability = 0 WHERE user_id = \(people.b) RETURNING 1") == 0)
        }
    }

    @Test func likesMatchesAndBlocksBelongToTheirPeople() async throws {
        try await TestDatabase.withAppRoleClient { client in
            let people = try await Self.makePeople(client)
            let a = RequestIdentity.user(people.a)
            let b = RequestIdentity.user(people.b)
            let c = RequestIdentity.user(people.c)
            // B's like of A is B's, and A (its recipient) may read it ("나에게 관심 보낸 분"), but not
            // change or remove it; C, a stranger to it, sees nothing.
            #expect(try await Self.count(client, b, "SELECT * FROM likes WHERE to_user_id = \(people.a)") == 1)
            #expect(try await Self.count(client, a, "SELECT * FROM likes WHERE from_user_id = \(people.b)") == 1)
            #expect(try await Self.count(client, a, "UPDATE likes SET kind = 'pass' WHERE from_user_id = \(people.b) RETURNING 1") == 0)
            #expect(try await Self.count(client, c, "SELECT * FROM likes WHERE from_user_id = \(people.b)") == 0)
            #expect(await Self.failure(client, a, "INSERT INTO likes (from_user_id, to_user_id, kind) VALUES (\(people.b), \(people.c), 'like')") == "42501")
            #expect(try await Self.count(client, a, "DELETE FROM likes WHERE from_user_id = \(people.b) RETURNING 1") == 0)
            // No liking across a block.
            #expect(await Self.failure(client, c, "INSERT INTO likes (from_user_id, to_user_id, kind) VALUES (\(people.c), \(people.b), 'like')") == "42501")
            #expect(await Self.failure(client, a, "INSERT INTO likes (from_user_id, to_user_id, kind) VALUES (\(people.a), \(people.c), 'pass')") == nil)
            // The match is its two people's.
            #expect(try await Self.count(client, a, "SELECT * FROM matches WHERE \(people.b) IN (user_low, user_high)") == 1)
            #expect(try await Self.count(client, b, "SELECT * FROM matches WHERE \(people.a) IN (user_low, user_high)") == 1)
            #expect(try await Self.count(client, c, "SELECT * FROM matches WHERE \(people.a) IN (user_low, user_high)") == 0)
            #expect(try await Self.count(client, c, "UPDATE matches SET ended_at = now() WHERE \(people.a) IN (user_low, user_high) RETURNING 1") == 0)
            #expect(await Self.failure(client, a, "INSERT INTO matches (user_low, user_high) VALUES (\(people.a), \(people.c))") == "42501")
            // B's block of C is invisible to C.
            #expect(try await Self.count(client, b, "SELECT * FROM blocks") == 1)
            #expect(try await Self.count(client, c, "SELECT * FROM blocks") == 0)
            #expect(try await Self.count(client, c, "DELETE FROM blocks WHERE blocker_id = \(people.b) RETURNING 1") == 0)
            #expect(await Self.failure(client, c, "INSERT INTO blocks (blocker_id, blocked_id) VALUES (\(people.b), \(people.a))") == "42501")
        }
    }

    @Test func theAuditLogIsAppendOnlyAndReadByAdmins() async throws {
        try await TestDatabase.withAppRoleClient { client in
            let people = try await Self.makePeople(client)
            let a = RequestIdentity.user(people.a)
            let action = "test.\(UUID().uuidString)"
            #expect(await Self.failure(client, a, "INSERT INTO audit_log (actor_id, actor_role, action) VALUES (\(people.a), 'user', \(action))") == nil)
            #expect(await Self.failure(client, a, "INSERT INTO audit_log (actor_id, actor_role, action) VALUES (\(people.b), 'user', \(action))") == "42501")
            // One's own entries are readable (PIPA); another person's are not.
            #expect(try await Self.count(client, a, "SELECT * FROM audit_log WHERE action = \(action)") == 1)
            #expect(await Self.failure(client, .user(people.b), "INSERT INTO audit_log (actor_id, actor_role, action) VALUES (\(people.b), 'user', \(action))") == nil)
            #expect(try await Self.count(client, a, "SELECT * FROM audit_log WHERE action = \(action)") == 1)
            #expect(try await Self.count(client, .user(people.c), "SELECT * FROM audit_log WHERE action = \(action)") == 0)
            let admin = RequestIdentity.user(people.b, role: .admin)
            #expect(try await Self.count(client, admin, "SELECT * FROM audit_log WHERE action = \(action)") == 2)
            #expect(await Self.failure(client, admin, "UPDATE audit_log SET action = 'x' WHERE action = \(action)") == "42501")
            #expect(await Self.failure(client, .system, "DELETE FROM audit_log WHERE action = \(action)") == "42501")
            #expect(try await Self.count(client, admin, "SELECT * FROM audit_log WHERE action = \(action)") == 2)
        }
    }

    @Test func theIdentityNeverOutlivesItsTransaction() async throws {
        try await TestDatabase.withAppRoleClient(poolSize: 1) { client in
            let id = UUID()
            try await Self.asIdentity(client, .user(id)) { connection in
                let seen = try await connection.query("SELECT app.current_user_id()", logger: TestDatabase.logger).decode(UUID?.self)
                    .reduce(into: [UUID?]()) { $0.append($1) }
                #expect(seen == [id])
            }
            // The same pooled connection, next use: no identity left behind.
            let after = try await client.query("SELECT app.current_user_id(), app.current_app_role()").decode((UUID?, String).self)
                .reduce(into: [(UUID?, String)]()) { $0.append($1) }
            #expect(after.first?.0 == nil)
            #expect(after.first?.1 == "anonymous")
        }
    }

    /// The service's login cannot claim an identity by setting it: only one signed with the
    /// service's key, unaltered and unexpired, is believed; everything else is anonymous.
    @Test func theServicesLoginCannotClaimAnIdentity() async throws {
        try await TestDatabase.withAppRoleClient(poolSize: 1) { client in
            let people = try await Self.makePeople(client)
            let key = TestDatabase.identityKey
            let genuine = key.token(for: .system, anonymousCards: false, validFor: .seconds(5))
            var altered = genuine.split(separator: "|", omittingEmptySubsequences: false).map(String.init)
            altered[0] = people.a.uuidString.lowercased()
            let claims: [(String, String)] = [
                ("bare settings", "SELECT set_config('app.role', 'system', true), set_config('app.user_id', '\(people.a.uuidString.lowercased())', true)"),
                ("a forged signature", "SELECT set_config('app.identity', '|system|on|99999999999|\(key.keyID)|\(String(repeating: "0", count: 64))', true)"),
                ("a signed claim altered", "SELECT set_config('app.identity', '\(altered.joined(separator: "|"))', true)"),
                ("an expired token", "SELECT set_config('app.identity', '\(key.token(for: .system, anonymousCards: true, validFor: .seconds(-120)))', true)"),
                ("another key's token", "SELECT set_config('app.identity', '\(try DatabaseIdentityKey(dataEncryptionKey: Data(repeating: 7, count: 32).base64EncodedString()).token(for: .system, anonymousCards: true, validFor: .seconds(5)))', true)"),
                ("garbage", "SELECT set_config('app.identity', 'a|b|c|1e99|e|f', true)"),
            ]
            for (label, claim) in claims {
                let seen = try await client.withTransaction(logger: TestDatabase.logger) { connection in
                    try await connection.query(PostgresQuery(unsafeSQL: claim), logger: TestDatabase.logger).collect()
                    let identity = try await connection.query("SELECT app.current_user_id(), app.current_app_role()", logger: TestDatabase.logger)
                        .collect().first!.decode((UUID?, String).self)
                    let privateRows = try await connection.query(
                        "SELECT count(*)::int FROM private_profiles WHERE user_id = \(people.a)", logger: TestDatabase.logger
                    ).collect().first!.decode(Int.self)
                    return (identity.0, identity.1, privateRows)
                }
                #expect(seen.0 == nil && seen.1 == "anonymous" && seen.2 == 0, "\(label): \(seen)")
            }
            // The genuine token, set the same way, is believed: the test above can tell the difference.
            let believed = try await client.withTransaction(logger: TestDatabase.logger) { connection in
                try await connection.query("SELECT set_config('app.identity', \(genuine), true)", logger: TestDatabase.logger).collect()
                return try await connection.query("SELECT count(*)::int FROM private_profiles WHERE user_id = \(people.a)", logger: TestDatabase.logger)
                    .collect().first!.decode(Int.self)
            }
            #expect(believed == 1)
            // And the key itself is out of the service's reach.
            #expect(await Self.failure(client, .system, "SELECT * FROM app.identity_keys") == "42501")
        }
    }
}
