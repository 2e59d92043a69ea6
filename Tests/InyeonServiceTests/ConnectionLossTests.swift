import Foundation
@testable import InyeonService
import Logging
import PostgresNIO
import Synchronization
import Testing

/// A database connection that dies in the middle of a result (a restart, a failover, a cut path)
/// fails that one transaction; it does not stop the process.
///
/// PostgresNIO's streamed rows (`PostgresRowSequence`) stop reading while their consumer is behind;
/// if the connection then ends without a last message (as PostgreSQL's immediate restart or a cut
/// path leave it), PostgresNIO 1.33 stops the process on a precondition (`RowStreamStateMachine`:
/// "How can we receive a body part, after a channelReadComplete, but no read has been forwarded
/// yet"). The database restart drill hit it under load. So `DatabaseConnection.query` reads every
/// result whole, on PostgresNIO's event loop, before the caller sees its first row.
@Suite struct ConnectionLossTests {
    @Test func aConnectionCutInTheMiddleOfAResultFailsTheTransactionOnly() async throws {
        try await Self.withDatabaseBehindAProxy { database, proxy in
            // 4,999 rows at once, then the server waits 3 s before the last: the path is cut meanwhile.
            let cutter = Task {
                try await Self.waitUntilABackendSleeps(running: "generate_series(1, 5000)")
                proxy.cut()
            }
            let started = ContinuousClock.now
            await #expect(throws: PSQLError.self) {
                try await database.transaction(as: .system, logger: TestDatabase.logger) { connection in
                    let rows = try await connection.query(
                        """
                        SELECT n, repeat('x', 200) || coalesce(CASE WHEN n = 5000 THEN pg_sleep(3)::text END, '')
                        FROM generate_series(1, 5000) AS n
                        """,
                        logger: TestDatabase.logger
                    )
                    for try await (number, _) in rows.decode((Int, String).self) {
                        // A consumer that falls behind (as one does on a busy machine).
                        if number == 1 { try await Task.sleep(for: .milliseconds(1_500)) }
                    }
                }
            }
            try await cutter.value
            #expect(ContinuousClock.now - started < .seconds(5), "the cut fails the transaction promptly")
            // The pool recovers once the path is back: within a few seconds (it may first hand out the
            // connection that was cut, before it has noticed; that transaction fails as above).
            proxy.restore()
            var answer: Int?
            let deadline = ContinuousClock.now + .seconds(5)
            while answer == nil, ContinuousClock.now < deadline {
                answer = try? await database.transaction(as: .system, logger: TestDatabase.logger) { connection in
                    try await connection.query("SELECT 42", logger: TestDatabase.logger).decode(Int.self).first { _ in true }
                }
                if answer == nil { try await Task.sleep(for: .milliseconds(100)) }
            }
            #expect(answer == 42)
        }
    }

    @Test func aTransactionWhoseConnectionClosedEndsAtOnceWithoutWaitingForItsRollback() async throws {
        try await Self.withDatabaseBehindAProxy { database, proxy in
            let cutter = Task {
                try await Self.waitUntilABackendSleeps(running: "rollback-probe")
                proxy.cut()
            }
            let started = ContinuousClock.now
            await #expect(throws: (any Error).self) {
                try await database.transaction(as: .system, logger: TestDatabase.logger) { connection in
                    do {
                        try await connection.query("SELECT pg_sleep(3), 'rollback-probe'", logger: TestDatabase.logger)
                    } catch {
                        // The connection is gone for good by the time the transaction is rolled back.
                        try await Task.sleep(for: .milliseconds(300))
                        throw error
                    }
                }
            }
            try await cutter.value
            #expect(ContinuousClock.now - started < .seconds(2), "no wait for a ROLLBACK that can never be answered")
        }
    }

    /// A pooled connection whose path broke while it sat idle (a failover, say) fails the first
    /// statement sent on it. Before the transaction's work has begun nothing of it exists anywhere,
    /// so it is tried again on a new connection: the caller sees success, and the work runs once.
    @Test func aConnectionFoundBrokenBeforeTheWorkBeganIsReplacedAndTheTransactionRuns() async throws {
        try await Self.withDatabaseBehindAProxy { database, proxy in
            let backend = { @Sendable (connection: DatabaseConnection) async throws -> Int32? in
                try await connection.query("SELECT pg_backend_pid()", logger: TestDatabase.logger).decode(Int32.self).first { _ in true }
            }
            let before = try await database.transaction(as: .system, logger: TestDatabase.logger, backend)
            proxy.breakOpenConnectionsOnNextUse()
            let runs = Mutex(0)
            let after = try await database.transaction(as: .system, logger: TestDatabase.logger) { connection in
                runs.withLock { $0 += 1 }
                return try await backend(connection)
            }
            #expect(after != nil && after != before, "the transaction ran on a new connection")
            #expect(runs.withLock { $0 } == 1)
        }
    }

    /// Once the work has begun, a broken connection fails the transaction: a write in it may or may
    /// not have been committed, which only the caller can resolve (an idempotent retry, or not).
    @Test func aConnectionThatBreaksAfterTheWorkBeganFailsTheTransactionWithoutATry() async throws {
        try await Self.withDatabaseBehindAProxy { database, proxy in
            let runs = Mutex(0)
            await #expect(throws: PSQLError.self) {
                try await database.transaction(as: .system, logger: TestDatabase.logger) { connection in
                    runs.withLock { $0 += 1 }
                    try await connection.query("SELECT 1", logger: TestDatabase.logger)
                    proxy.breakOpenConnectionsOnNextUse()
                    try await connection.query("SELECT 2", logger: TestDatabase.logger)
                }
            }
            #expect(runs.withLock { $0 } == 1, "the work is not run again")
        }
    }

    /// A `Database` of one pooled connection that reaches PostgreSQL through a proxy the test can cut.
    /// A database of one pooled connection through a proxy that can cut it; with `pipelined`, its
    /// reads go through one pipelined libpq connection through the same proxy.
    static func withDatabaseBehindAProxy(
        pipelined: Bool = false, _ body: @Sendable @escaping (Database, CuttableTCPProxy) async throws -> Void
    ) async throws {
        let direct = try #require(DatabaseURL(try TestDatabase.databaseURL))
        let proxy = try await CuttableTCPProxy(upstreamHost: direct.host, upstreamPort: direct.port)
        let proxyTask = Task { try await proxy.run() }
        defer { proxyTask.cancel() }
        var viaProxy = direct
        viaProxy.port = proxy.port
        viaProxy.tlsMode = .disable
        let pipelinedReads = try pipelined ? PipelinedReads(settings: #require(viaProxy.libpqSettings), connections: 1, logger: TestDatabase.logger) : nil
        defer { pipelinedReads?.close() }
        try await withPostgresClient(viaProxy, poolSize: 1, logger: TestDatabase.logger) { client in
            try await body(Database(client: client, poolSize: 1, identityKey: TestDatabase.identityKey, pipelinedReads: pipelinedReads), proxy)
        }
    }

    /// Waits until the backend running the query that contains `marker` is in `pg_sleep`.
    static func waitUntilABackendSleeps(running marker: String) async throws {
        // As the service's role, which sees its own sessions' waits.
        try await TestDatabase.withAppRoleClient(poolSize: 1) { client in
            for _ in 0..<500 {
                let sleeping = try await client.query(
                    "SELECT count(*) FROM pg_stat_activity WHERE wait_event = 'PgSleep' AND position(\(marker) IN query) > 0",
                    logger: TestDatabase.logger
                ).collect().first?.decode(Int.self) ?? 0
                if sleeping > 0 { return }
                try await Task.sleep(for: .milliseconds(10))
            }
            throw TestSetupError("no backend reached pg_sleep")
        }
    }
}
