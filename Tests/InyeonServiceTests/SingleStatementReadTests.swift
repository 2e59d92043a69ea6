import Foundation
@testable import InyeonService
import Logging
import PostgresNIO
import Synchronization
import Testing

/// `Database.read`: one read in a transaction of its own, either through libpq's pipeline
/// (`PipelinedReads`: the identity and the read in one write, one implicit transaction ended by a
/// Sync) or through a PostgresNIO connection (BEGIN, identity, read, COMMIT handed over at once).
/// Either way it must behave as `Database.transaction` does: the signed identity in force for the
/// read and gone after it, a failed read rolled back with nothing left open on the connection, and a
/// connection found broken replaced.
@Suite struct SingleStatementReadTests {
    /// Whether the connection reads are sent on is outside any transaction block and carries no
    /// identity: on the pooled connection, `SAVEPOINT` is refused (25P01) only outside a transaction
    /// block; on the pipelined one, a statement sent without an identity sees none, and not the
    /// read's statement timeout (both were local to the read's transaction, so it has ended).
    static func outsideATransaction(_ database: Database) async throws -> Bool {
        if let pipelinedReads = database.pipelinedReads {
            let row = try await pipelinedReads.run(
                ["SELECT coalesce(current_setting('app.identity', true), ''), current_setting('statement_timeout')"],
                deadline: .now + .seconds(5)
            ).first
            let (identity, timeout) = try #require(row).decode((String, String).self)
            return identity == "" && timeout != "5s"
        }
        return try await database.client.withConnection { postgres in
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

    @Test(arguments: [false, true])
    func aReadRunsAsItsIdentityInsideATransactionAndLeavesNothingBehind(pipelined: Bool) async throws {
        try await ConnectionLossTests.withDatabaseBehindAProxy(pipelined: pipelined) { database, _ in
            #expect((database.pipelinedReads != nil) == pipelined)
            let person = UUID()
            let row = try await database.read(
                as: .user(person),
                "SELECT app.current_user_id(), app.current_app_role(), current_setting('statement_timeout')",
                logger: TestDatabase.logger
            ).first?.decode((UUID?, String, String).self)
            #expect(row?.0 == person && row?.1 == "user", "the signed identity is in force for the read")
            #expect(row?.2 == "5s", "with the transaction's statement timeout")
            #expect(try await Self.outsideATransaction(database), "the transaction ended: no transaction and no identity left on the connection")
        }
    }

    @Test(arguments: [false, true])
    func aFailedReadIsRolledBackAndTheConnectionServesTheNext(pipelined: Bool) async throws {
        try await ConnectionLossTests.withDatabaseBehindAProxy(pipelined: pipelined) { database, _ in
            do {
                _ = try await database.read(as: .system, "SELECT 1 / (random() * 0)::int", logger: TestDatabase.logger)
                Issue.record("a division by zero was answered")
            } catch let error as PSQLError {
                #expect(!pipelined && error.serverInfo?[.sqlState] == "22012")
            } catch let error as DatabaseServerError {
                #expect(pipelined && error.sqlState == "22012")
            }
            // One connection: the one the failed read ran on.
            #expect(try await Self.outsideATransaction(database), "the failed read's transaction was rolled back")
            let next = try await database.read(as: .system, "SELECT 42", logger: TestDatabase.logger).first?.decode(Int.self)
            #expect(next == 42)
        }
    }

    @Test(arguments: [false, true])
    func aConnectionFoundBrokenBeforeTheReadIsReplaced(pipelined: Bool) async throws {
        try await ConnectionLossTests.withDatabaseBehindAProxy(pipelined: pipelined) { database, proxy in
            let backend: ReadStatement = "SELECT pg_backend_pid()"
            let before = try await database.read(as: .system, backend, logger: TestDatabase.logger).first?.decode(Int32.self)
            proxy.breakOpenConnectionsOnNextUse()
            let after = try await database.read(as: .system, backend, logger: TestDatabase.logger).first?.decode(Int32.self)
            #expect(after != nil && after != before, "the read ran on a new connection")
        }
    }

    @Test(arguments: [false, true])
    func aReadThatMissesItsDeadlineIsAnsweredAtTheDeadline(pipelined: Bool) async throws {
        try await ConnectionLossTests.withDatabaseBehindAProxy(pipelined: pipelined) { database, _ in
            let started = ContinuousClock.now
            await #expect(throws: (any Error).self) {
                try await database.read(as: .system, deadline: .milliseconds(500), "SELECT pg_sleep(3)", logger: TestDatabase.logger)
            }
            #expect(ContinuousClock.now - started < .seconds(2))
            // PostgreSQL ended the statement at its timeout: the same connection answers the next read.
            let next = try await database.read(as: .system, "SELECT 7", logger: TestDatabase.logger).first?.decode(Int.self)
            #expect(next == 7)
        }
    }

    /// Reads sent together in one write, each its own implicit transaction: every one sees its own
    /// identity only, and one that fails in the middle fails alone.
    @Test func readsSentTogetherKeepTheirIdentitiesApartAndFailAlone() async throws {
        try await ConnectionLossTests.withDatabaseBehindAProxy(pipelined: true) { database, _ in
            let people = (0..<60).map { _ in UUID() }
            let answers = try await withThrowingTaskGroup(of: (Int, UUID??).self) { group in
                for (index, person) in people.enumerated() {
                    group.addTask {
                        // Every seventh fails after the identity is set.
                        let read: ReadStatement = index % 7 == 3
                            ? "SELECT app.current_user_id() FROM generate_series(1, 3) AS n WHERE 1 / (n - 2) > 0"
                            : "SELECT app.current_user_id()"
                        do {
                            return (index, try await database.read(as: .user(person), read, logger: TestDatabase.logger).first?.decode(UUID?.self))
                        } catch let error as DatabaseServerError where error.sqlState == "22012" {
                            return (index, nil)
                        }
                    }
                }
                var answers: [Int: UUID??] = [:]
                for try await (index, answer) in group { answers[index] = answer }
                return answers
            }
            for (index, person) in people.enumerated() {
                if index % 7 == 3 {
                    #expect(answers[index] == .some(nil), "read \(index) failed on its own")
                } else {
                    #expect(answers[index] == .some(.some(person)), "read \(index) saw its own identity")
                }
            }
            #expect(try await Self.outsideATransaction(database))
        }
    }

    /// A pipelined connection prepares each read's text once and runs it prepared from then on; a
    /// text PostgreSQL refuses is not remembered as prepared, and fails the same way the next time.
    @Test func aPipelinedConnectionPreparesEachReadOnceAndForgetsOneThatFailed() async throws {
        try await ConnectionLossTests.withDatabaseBehindAProxy(pipelined: true) { database, _ in
            for _ in 0..<5 {
                let sum = try await database.read(as: .system, "SELECT 1 + 1", logger: TestDatabase.logger).first?.decode(Int.self)
                #expect(sum == 2)
            }
            // Sent together, the first of these prepares the text and the others run it prepared; its
            // preparation fails, and every one of them is answered with PostgreSQL's refusal of the
            // text (not with "no such prepared statement").
            try await withThrowingTaskGroup(of: Void.self) { group in
                for _ in 0..<10 {
                    group.addTask {
                        await #expect {
                            try await database.read(as: .system, "SELECT no_such_column FROM accounts", logger: TestDatabase.logger)
                        } throws: { error in
                            (error as? DatabaseServerError)?.sqlState == "42703"
                        }
                    }
                }
                try await group.waitForAll()
            }
            let prepared = try await database.pipelinedReads!.run(
                ["SELECT statement FROM pg_prepared_statements ORDER BY prepare_time"], deadline: .now + .seconds(5)
            ).map { try $0.decode(String.self) }
            #expect(prepared.count(where: { $0 == "SELECT 1 + 1" }) == 1, "prepared once, run five times: \(prepared)")
            #expect(prepared.count(where: { $0.contains("set_config('app.identity'") }) == 1)
            #expect(!prepared.contains { $0.contains("no_such_column") })
        }
    }

    /// A database out of reach for a moment (a restart, a leader change) is waited for: the read is
    /// answered once it is back, as a pooled connection's would be. One gone for longer is not: the
    /// read fails within about a second, not at its deadline.
    @Test func aPipelinedReadWaitsOutAShortOutageAndNotALongOne() async throws {
        try await ConnectionLossTests.withDatabaseBehindAProxy(pipelined: true) { database, proxy in
            let read: ReadStatement = "SELECT 5"
            let before = try await database.read(as: .system, read, logger: TestDatabase.logger).first?.decode(Int.self)
            #expect(before == 5)
            proxy.cut()
            let restorer = Task {
                try await Task.sleep(for: .milliseconds(400))
                proxy.restore()
            }
            let answer = try await database.read(as: .system, read, logger: TestDatabase.logger).first?.decode(Int.self)
            #expect(answer == 5, "answered once the database was back")
            try await restorer.value

            proxy.cut()
            let started = ContinuousClock.now
            await #expect(throws: DatabaseConnectionLostError.self) {
                try await database.read(as: .system, read, logger: TestDatabase.logger)
            }
            #expect(ContinuousClock.now - started < .seconds(3), "a long outage fails the read well before its 5 s deadline")
            proxy.restore()
        }
    }

    /// A pipelined read runs in a read-only transaction (one that would write is refused, never run
    /// twice after a lost answer), and one whose caller was answered before it was sent is not sent.
    @Test func aPipelinedReadCannotWriteAndAnExpiredOneIsNotSent() async throws {
        try await ConnectionLossTests.withDatabaseBehindAProxy(pipelined: true) { database, _ in
            await #expect {
                try await database.read(
                    as: .system, "WITH gone AS (DELETE FROM sessions WHERE false RETURNING 1) SELECT count(*) FROM gone", logger: TestDatabase.logger
                )
            } throws: { error in
                (error as? DatabaseServerError)?.sqlState == "25006"
            }
            await #expect(throws: DatabaseTimeoutError.self) {
                try await database.pipelinedReads!.run(["SELECT pg_sleep(1)"], deadline: .now - .milliseconds(1))
            }
        }
    }
}
