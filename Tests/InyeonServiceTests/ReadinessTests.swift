import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import PostgresNIO
import Testing

@testable import InyeonService

/// `/api/health/ready` (readiness, for load balancers) apart from `/ping` (liveness), and the build's
/// version stamp.
@Suite(.serialized) struct ReadinessTests {
    @Test func aServingInstanceIsReadyOnAWritableDatabaseAtItsSchemaAndShowsItsVersion() async throws {
        try await withApp { client in
            let ready = try await client.execute(uri: "/api/health/ready", method: .get)
            #expect(ready.status == .ok)
            let body = try JSONBody(ready)
            #expect(body["data.ready"] as? Bool == true)
            #expect(body["data.database"] as? String == "writable")
            let expected = try #require(Migration.all.map(\.version).max())
            #expect(body["data.schema.applied"] as? Int == expected)
            #expect(body["data.schema.expected"] as? Int == expected)
            #expect((body["data.reasons"] as? [Any])?.isEmpty == true)
            #expect(body["data.version"] as? String == BuildVersion.current)

            let health = try JSONBody(try await client.execute(uri: "/api/health", method: .get))
            #expect(health["data.version"] as? String == BuildVersion.current)
            #expect(BuildVersion.current == BuildVersion.package + "+development", "a test build has no VERSION stamp beside it")
        }
    }

    /// A database that refuses writes (a replica, or a leader fenced read-only during a failover) is
    /// not one to send people to, though it still answers `/api/health`.
    @Test func aDatabaseThatRefusesWritesIsNotReady() async throws {
        let configuration = try TestDatabase.configuration()
        try await DatabasePreparation.migrate(configuration: configuration, logger: TestDatabase.logger)
        var url = configuration.databaseURL
        url.tlsMode = .disable
        var clientConfiguration = url.clientConfiguration(poolSize: 2)
        clientConfiguration.options.additionalStartupParameters.append(("default_transaction_read_only", "on"))
        try await Self.withDatabase(clientConfiguration) { database in
            let reading = await ReadinessCheck(database: database, readiness: Readiness()).read(logger: TestDatabase.logger)
            #expect(!reading.ready)
            #expect(reading.database == "read-only")
            #expect(reading.reasons == ["the database refuses writes"])

            let behind = await ReadinessCheck(database: database, readiness: Readiness(), expectedSchema: 9_999).read(logger: TestDatabase.logger)
            #expect(behind.reasons.contains { $0.contains("this build needs 9999") })
        }
    }

    @Test func aSchemaBehindTheBuildIsNotReadyAndOneAheadIsReadyAndSaysSo() async throws {
        try await TestDatabase.withAppRoleClient { client in
            let database = Database(client: client, poolSize: 2, identityKey: TestDatabase.identityKey)
            let current = try #require(Migration.all.map(\.version).max())
            let behind = await ReadinessCheck(database: database, readiness: Readiness(), expectedSchema: current + 1).read(logger: TestDatabase.logger)
            #expect(!behind.ready)
            #expect(behind.database == "writable")
            #expect(behind.reasons == ["the schema is at migration \(current), this build needs \(current + 1)"])

            // A newer release migrated first (a rolling deploy): this older build keeps serving.
            let ahead = await ReadinessCheck(database: database, readiness: Readiness(), expectedSchema: current - 1).read(logger: TestDatabase.logger)
            #expect(ahead.ready)
            #expect(ahead.reasons.first?.contains("a newer release is rolling out") == true)

            let stopping = Readiness()
            stopping.beginStopping()
            let drained = await ReadinessCheck(database: database, readiness: stopping).read(logger: TestDatabase.logger)
            #expect(!drained.ready)
            #expect(drained.database == "not checked")
        }
    }

    @Test func anUnreachableDatabaseIsNotReady() async throws {
        // A port nothing listens on: the pool cannot connect, and the check gives up within its deadline.
        let url = try #require(DatabaseURL("postgres://nobody:nothing@127.0.0.1:9/none?sslmode=disable"))
        try await Self.withDatabase(url.clientConfiguration(poolSize: 1)) { database in
            let reading = await ReadinessCheck(database: database, readiness: Readiness()).read(logger: TestDatabase.logger)
            #expect(!reading.ready)
            #expect(reading.database == "unreachable")
            #expect(reading.schema == nil)
        }
    }

    /// A `Database` over a client of its own configuration, running for the length of `body`.
    static func withDatabase(_ configuration: PostgresClient.Configuration, _ body: (Database) async throws -> Void) async throws {
        let client = PostgresClient(configuration: configuration, backgroundLogger: TestDatabase.logger)
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { await client.run() }
            defer { group.cancelAll() }
            try await body(Database(client: client, poolSize: configuration.options.maximumConnections, identityKey: TestDatabase.identityKey))
        }
    }

    @Test func theVersionStampIsReadFromBesideTheExecutable() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("inyeon-version-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let executable = folder.appendingPathComponent("inyeon")
        #expect(BuildVersion.read(besideExecutable: executable) == nil, "no stamp: a development build")
        try "0.1.0+20261207.abc1234\n".write(to: folder.appendingPathComponent("VERSION"), atomically: true, encoding: .utf8)
        #expect(BuildVersion.read(besideExecutable: executable) == "0.1.0+20261207.abc1234")
        try "<script>alert(1)</script>\n".write(to: folder.appendingPathComponent("VERSION"), atomically: true, encoding: .utf8)
        #expect(BuildVersion.read(besideExecutable: executable) == nil, "a stamp is shown only if it looks like one")
    }
}
