import Foundation
@testable import InyeonService
import Logging
import PostgresNIO
import Testing

/// The audit chain on a database of its own, so tampering here cannot disturb other tests.
@Suite struct AuditChainTests {
    func entry(_ action: String) -> AuditEntry {
        AuditEntry(action: action, actorID: nil, actorRole: .system, details: ["n": action])
    }

    /// A migrated database of the test's own: the service's `Database` on it, and the owner's client.
    static func withChainDatabase(_ body: @Sendable @escaping (Database, PostgresClient) async throws -> Void) async throws {
        try await MigrationTests().withFreshDatabase { owner, name in
            try await Migrator().migrate(client: owner, appRole: "inyeon_app", logger: TestDatabase.logger)
            try await TestDatabase.identityKey.install(client: owner, logger: TestDatabase.logger)
            var appURL = try #require(DatabaseURL(try TestDatabase.databaseURL))
            appURL.database = name
            try await withPostgresClient(appURL, logger: TestDatabase.logger) { client in
                try await body(Database(client: client, poolSize: 2, identityKey: TestDatabase.identityKey), owner)
            }
        }
    }

    @Test func verifyNamesTheFirstAlteredOrRemovedEntry() async throws {
        try await Self.withChainDatabase { database, owner in
            // Concurrent writers still form one chain.
            try await withThrowingTaskGroup(of: Void.self) { group in
                for index in 1...12 {
                    group.addTask {
                        try await database.transaction(as: .system, logger: TestDatabase.logger) { connection in
                            try await AuditLog.record(entry("test.\(index)"), requestID: nil, on: connection, logger: TestDatabase.logger)
                        }
                    }
                }
                try await group.waitForAll()
            }
            let verifier = AuditChainVerifier(database: database)
            #expect(try await verifier.verify(logger: TestDatabase.logger) == .intact(entries: 12))

            // The app role cannot rewrite history, even as the system: it has no privilege to (42501).
            for statement in ["UPDATE audit_log SET action = 'x' WHERE chain_position = 3", "DELETE FROM audit_log", "TRUNCATE audit_log"] {
                let error = await #expect(throws: PSQLError.self, "\(statement)") {
                    try await database.transaction(as: .system, logger: TestDatabase.logger) { connection in
                        try await connection.query(PostgresQuery(unsafeSQL: statement), logger: TestDatabase.logger)
                    }
                }
                #expect(error?.serverInfo?[.sqlState] == "42501", "\(statement)")
            }
            // The owner tampers directly: row 5's details change.
            // Even the owner, with row-level security lifted, is refused by the trigger (insufficient_privilege).
            try await owner.query("ALTER TABLE audit_log NO FORCE ROW LEVEL SECURITY", logger: TestDatabase.logger)
            let ownerError = await #expect(throws: PSQLError.self) {
                try await owner.query("UPDATE audit_log SET action = 'x' WHERE chain_position = 3", logger: TestDatabase.logger)
            }
            #expect(ownerError?.serverInfo?[.sqlState] == "42501" && ownerError?.serverInfo?[.message] == "audit_log is append-only")
            for statement in [
                "ALTER TABLE audit_log DISABLE TRIGGER audit_log_append_only",
                "UPDATE audit_log SET details = '{\"n\": \"forged\"}' WHERE chain_position = 5",
            ] {
                try await owner.query(PostgresQuery(unsafeSQL: statement))
            }
            let altered = try await verifier.verify(logger: TestDatabase.logger)
            guard case .altered(let position, _) = altered else {
                Issue.record("expected an alteration, got \(altered)")
                return
            }
            #expect(position == 5)
            #expect(altered.description.contains("position 5"))

            // Put it back (each entry's details name its own action), then remove row 8 instead: the link from 9 breaks.
            try await owner.query(PostgresQuery(unsafeSQL: "UPDATE audit_log SET details = jsonb_build_object('n', action) WHERE chain_position = 5"))
            #expect(try await verifier.verify(logger: TestDatabase.logger) == .intact(entries: 12))
            try await owner.query(PostgresQuery(unsafeSQL: "DELETE FROM audit_log WHERE chain_position = 8"))
            let broken = try await verifier.verify(logger: TestDatabase.logger)
            guard case .broken(let brokenAt, _) = broken else {
                Issue.record("expected a break, got \(broken)")
                return
            }
            #expect(brokenAt == 9)
        }
    }

    /// While the service runs, the chain is watched: the new entries at every look, the whole chain
    /// at each full pass; `audit_chain_intact` turns 0 when an entry was altered, and 1 once repaired.
    @Test func theWatchFollowsNewEntriesAndItsFullPassFindsAnOldOneAltered() async throws {
        try await Self.withChainDatabase { database, owner in
            @Sendable func record(_ count: Int, from first: Int) async throws {
                for index in first..<(first + count) {
                    try await database.transaction(as: .system, logger: TestDatabase.logger) { connection in
                        try await AuditLog.record(entry("test.\(index)"), requestID: nil, on: connection, logger: TestDatabase.logger)
                    }
                }
            }
            let metrics = ServiceMetrics()
            @Sendable func gauge(_ name: String) -> String? {
                metrics.exposition.split(separator: "\n").first { $0.hasPrefix(name + " ") }.map { String($0.split(separator: " ")[1]) }
            }
            // Batches of 5: twelve entries take three batches.
            var watch = AuditChainWatch(verifier: AuditChainVerifier(database: database), metrics: metrics, logger: TestDatabase.logger)
            watch.batch = 5
            watch.fullPassEvery = .seconds(3600)
            let progress = AuditChainWatch.Progress()
            try await record(12, from: 1)
            try await watch.look(progress)
            #expect(gauge("audit_chain_intact") == "1.0")
            #expect(gauge("audit_chain_verified_position") == "12.0")
            try await record(3, from: 13)
            try await watch.look(progress)
            #expect(gauge("audit_chain_verified_position") == "15.0")

            // An old entry altered in place: the next looks, which read new entries only, pass it by...
            try await owner.query(PostgresQuery(unsafeSQL: "ALTER TABLE audit_log NO FORCE ROW LEVEL SECURITY"))
            try await owner.query(PostgresQuery(unsafeSQL: "ALTER TABLE audit_log DISABLE TRIGGER audit_log_append_only"))
            try await owner.query(PostgresQuery(unsafeSQL: "UPDATE audit_log SET details = '{\"n\": \"forged\"}' WHERE chain_position = 5"))
            try await watch.look(progress)
            #expect(gauge("audit_chain_intact") == "1.0")
            // ...and the full pass finds it.
            watch.fullPassEvery = .zero
            try await watch.look(progress)
            #expect(gauge("audit_chain_intact") == "0.0")
            #expect(gauge("audit_chain_verified_position") == "4.0")
            // Repaired: whole again at the next look, which walks from the start.
            watch.fullPassEvery = .seconds(3600)
            try await owner.query(PostgresQuery(unsafeSQL: "UPDATE audit_log SET details = jsonb_build_object('n', action) WHERE chain_position = 5"))
            try await watch.look(progress)
            #expect(gauge("audit_chain_intact") == "1.0")
            #expect(gauge("audit_chain_verified_position") == "15.0")
        }
    }
}
