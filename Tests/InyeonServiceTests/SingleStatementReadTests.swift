import Foundation
@testable import InyeonService
import Logging
import PostgresNIO
import Synchronization
import Testing

/// `Database.read`: one statement in a transaction of its own, its four statements handed to the
/// connection at once. It must behave as `Database.transaction` does: the signed identity in force
/// for the statement and gone after it, a failed statement rolled back with nothing left open on the
/// connection, and a connection found broken before the work replaced.
@Suite struct SingleStatementReadTests {
    /// Whether the pooled connection is outside any transaction block and carries no identity:
    /// `SAVEPOINT` is refused (25P01) only outside a transaction block.
    static func outsideATransaction(_ database: Database) async throws -> Bool {
        try await database.client.withConnection { postgres in
            let connection = DatabaseConnection(postgres)
            let identity = try await connection.query(
                "SELECT coalesce(current_setting('app.identity', true), '')", logger: TestDatabase.logger
            ).decode(String.self).first { _ in true }
            do {
                try await connection.query("SAVEPOINT probe", logger: TestDatabase.logger)
                return false
            } catch let error as PSQLError where error.serverInfo?[.sqlState] == "25P01" {
                return identity == ""
            }
        }
    }

    @Test func aReadRunsAsItsIdentityInsideATransactionAndLeavesNothingBehind() async throws {
        try await ConnectionLossTests.withDatabaseBehindAProxy { database, _ in
            let person = UUID()
            let row = try await database.read(
                as: .user(person),
                "SELECT app.current_user_id(), app.current_app_role(), current_setting('statement_timeout')",
                logger: TestDatabase.logger
            ).decode((UUID?, String, String).self).first { _ in true }
            #expect(row?.0 == person && row?.1 == "user", "the signed identity is in force for the statement")
            #expect(row?.2 == "5s", "with the transaction's statement timeout")
            #expect(try await Self.outsideATransaction(database), "COMMIT ran: no transaction and no identity left on the pooled connection")
        }
    }

    @Test func aFailedReadIsRolledBackAndTheConnectionServesTheNext() async throws {
        try await ConnectionLossTests.withDatabaseBehindAProxy { database, _ in
            await #expect(throws: PSQLError.self) {
                try await database.read(as: .system, "SELECT 1 / (random() * 0)::int", logger: TestDatabase.logger)
            }
            // The pool holds one connection: the one the failed read ran on.
            #expect(try await Self.outsideATransaction(database), "the COMMIT queued behind the failure rolled the transaction back")
            let next = try await database.read(as: .system, "SELECT 42", logger: TestDatabase.logger).decode(Int.self).first { _ in true }
            #expect(next == 42)
        }
    }

    @Test func aConnectionFoundBrokenBeforeTheReadIsReplaced() async throws {
        try await ConnectionLossTests.withDatabaseBehindAProxy { database, proxy in
            let backend: PostgresQuery = "SELECT pg_backend_pid()"
            let before = try await database.read(as: .system, backend, logger: TestDatabase.logger).decode(Int32.self).first { _ in true }
            proxy.breakOpenConnectionsOnNextUse()
            let after = try await database.read(as: .system, backend, logger: TestDatabase.logger).decode(Int32.self).first { _ in true }
            #expect(after != nil && after != before, "the read ran on a new connection")
        }
    }

    @Test func aReadThatMissesItsDeadlineIsAnsweredAtTheDeadline() async throws {
        try await ConnectionLossTests.withDatabaseBehindAProxy { database, _ in
            let started = ContinuousClock.now
            await #expect(throws: (any Error).self) {
                try await database.read(as: .system, deadline: .milliseconds(500), "SELECT pg_sleep(3)", logger: TestDatabase.logger)
            }
            #expect(ContinuousClock.now - started < .seconds(2))
        }
    }
}
