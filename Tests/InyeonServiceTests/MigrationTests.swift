@testable import InyeonService
import Foundation
import Logging
import PostgresNIO
import Testing

/// Migrations against a database of their own, created fresh on the test cluster.
@Suite struct MigrationTests {
    /// Creates an empty database owned by the owner role, runs `body` with an owner client on it, drops it.
    func withFreshDatabase(_ body: @Sendable @escaping (PostgresClient, String) async throws -> Void) async throws {
        let environment = ProcessInfo.processInfo.environment
        guard let socket = environment["INYEON_TEST_PG_SOCKET"], let port = environment["INYEON_TEST_PG_PORT"],
            let ownerURL = TestDatabase.ownerURL.flatMap(DatabaseURL.init)
        else {
            throw TestSetupError("run with `make test`: it provides the test cluster's superuser socket")
        }
        let name = "migrations_\(UUID().uuidString.prefix(8).lowercased())"
        var superuser = PostgresClient.Configuration(
            unixSocketPath: "\(socket)/.s.PGSQL.\(port)", username: "postgres", password: nil, database: "postgres"
        )
        superuser.options.maximumConnections = 1
        let admin = PostgresClient(configuration: superuser, backgroundLogger: TestDatabase.logger)
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { await admin.run() }
            defer { group.cancelAll() }
            try await admin.query(PostgresQuery(unsafeSQL: "CREATE DATABASE \(name) OWNER \(ownerURL.username)"))
            var url = ownerURL
            url.database = name
            do {
                try await withPostgresClient(url, logger: TestDatabase.logger) { client in try await body(client, name) }
            } catch {
                _ = try? await admin.query(PostgresQuery(unsafeSQL: "DROP DATABASE \(name) WITH (FORCE)"))
                throw error
            }
            try await admin.query(PostgresQuery(unsafeSQL: "DROP DATABASE \(name) WITH (FORCE)"))
        }
    }

    @Test func appliesInOrderRecordsChecksumsAndReRunningIsANoOp() async throws {
        try await withFreshDatabase { client, _ in
            let migrator = Migrator()
            let first = try await migrator.migrate(client: client, appRole: "inyeon_app", logger: TestDatabase.logger)
            #expect(first == Migration.all.map(\.version))
            let second = try await migrator.migrate(client: client, appRole: "inyeon_app", logger: TestDatabase.logger)
            #expect(second.isEmpty)
            let recorded = try await client.query("SELECT version, checksum FROM schema_migrations ORDER BY version")
                .decode((Int, String).self).reduce(into: [(Int, String)]()) { $0.append($1) }
            #expect(recorded.map(\.0) == Migration.all.map(\.version))
            #expect(recorded.map(\.1) == Migration.all.map(\.checksum))
        }
    }

    @Test func anEditedAppliedMigrationIsRefused() async throws {
        try await withFreshDatabase { client, _ in
            try await Migrator().migrate(client: client, appRole: "inyeon_app", logger: TestDatabase.logger)
            var edited = Migration.all
            edited[0].script += "\n-- an innocent-looking edit"
            await #expect(throws: MigrationError.self) {
                try await Migrator(migrations: edited).migrate(client: client, appRole: "inyeon_app", logger: TestDatabase.logger)
            }
            let message = MigrationError.edited(version: 1, name: "schema").description
            #expect(message.contains("Migration 1 (schema) was changed after it was applied"))
        }
    }

    @Test func concurrentMigratorsApplyEachMigrationOnce() async throws {
        try await withFreshDatabase { client, _ in
            let results = try await withThrowingTaskGroup(of: [Int].self) { group in
                for _ in 0..<3 {
                    group.addTask { try await Migrator().migrate(client: client, appRole: "inyeon_app", logger: TestDatabase.logger) }
                }
                return try await group.reduce(into: [[Int]]()) { $0.append($1) }
            }
            #expect(results.flatMap { $0 }.sorted() == Migration.all.map(\.version))
        }
    }
}
