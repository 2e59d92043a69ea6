import Foundation
import PostgresNIO
import Testing
@testable import InyeonService

/// Requests' transactions end at the database's deadline; background work that reads whole tables
/// (training the recommendation engine) may be given longer, for the transaction and its statements.
@Suite struct TransactionDeadlineTests {
    @Test func aLongerDeadlineLetsASlowReadFinish() async throws {
        try await TestDatabase.withAppRoleClient { client in
            let database = Database(client: client, poolSize: 4, identityKey: TestDatabase.identityKey, timeout: .seconds(1))
            let logger = TestDatabase.logger
            let started = ContinuousClock.now
            await #expect(throws: (any Error).self) {
                try await database.transaction(as: .system, logger: logger) { connection in
                    try await connection.query("SELECT pg_sleep(1.5)", logger: logger)
                }
            }
            #expect(ContinuousClock.now - started < .milliseconds(1400))
            let timeout = try await database.transaction(as: .system, deadline: .seconds(4), logger: logger) { connection in
                try await connection.query("SELECT pg_sleep(1.5)", logger: logger)
                return try await connection.query("SHOW statement_timeout", logger: logger).decode(String.self).reduce("") { $0 + $1 }
            }
            #expect(timeout == "4s")
        }
    }
}
