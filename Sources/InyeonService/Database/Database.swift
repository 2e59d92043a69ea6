import Foundation
import Logging
import NIOCore
import NIOPosix
import PostgresNIO
import Synchronization

/// The service's access to PostgreSQL: every unit of work is one transaction that first tells
/// PostgreSQL who is asking, so row-level security decides what the queries can touch.
public struct Database: Sendable {
    public let client: PostgresClient
    public let poolSize: Int
    /// Signs the identity each transaction claims (see `DatabaseIdentityKey`).
    public let identityKey: DatabaseIdentityKey
    /// Longest a request waits for the database before it is answered with 503.
    public let timeout: Duration
    /// Whether anonymous callers may see publicly listed cards: true in phase 1, false once
    /// enhanced auth is fully on. Read per transaction, so a flag change applies at once.
    public let anonymousCardsAllowed: @Sendable () -> Bool
    /// Told how long each transaction took (for the query-latency metric).
    let observeTransaction: @Sendable (Duration) -> Void
    /// The libpq connections that carry `read` in pipeline mode; without them, `read` goes through `client`.
    public let pipelinedReads: PipelinedReads?

    public init(
        client: PostgresClient,
        poolSize: Int,
        identityKey: DatabaseIdentityKey,
        timeout: Duration = .seconds(5),
        anonymousCardsAllowed: @escaping @Sendable () -> Bool = { true },
        pipelinedReads: PipelinedReads? = nil
    ) {
        self.init(
            client: client, poolSize: poolSize, identityKey: identityKey, timeout: timeout, anonymousCardsAllowed: anonymousCardsAllowed,
            observeTransaction: { _ in }, pipelinedReads: pipelinedReads
        )
    }

    init(
        client: PostgresClient,
        poolSize: Int,
        identityKey: DatabaseIdentityKey,
        timeout: Duration = .seconds(5),
        anonymousCardsAllowed: @escaping @Sendable () -> Bool = { true },
        observeTransaction: @escaping @Sendable (Duration) -> Void,
        pipelinedReads: PipelinedReads? = nil
    ) {
        self.pipelinedReads = pipelinedReads
        self.client = client
        self.poolSize = poolSize
        self.identityKey = identityKey
        self.timeout = timeout
        self.anonymousCardsAllowed = anonymousCardsAllowed
        self.observeTransaction = observeTransaction
    }

    /// Runs `body` in a transaction as `identity`. The identity is set, signed, with `set_config(..., true)`,
    /// which lasts until the transaction ends, so a pooled connection never carries it to the next request;
    /// PostgreSQL believes it only because of the signature (see `DatabaseIdentityKey`).
    ///
    /// - Parameter deadline: how long the transaction, and each statement in it, may take: the
    ///   database's `timeout` unless given (background work reading whole tables allows longer).
    public func transaction<Result: Sendable>(
        as identity: RequestIdentity,
        deadline: Duration? = nil,
        logger: Logger,
        _ body: @Sendable @escaping (DatabaseConnection) async throws -> Result
    ) async throws -> Result {
        try await withTransactionDeadline(as: identity, deadline: deadline, logger: logger) { signedIdentity, statementTimeout, reached in
            try await self.attemptTransaction(
                signedIdentity: signedIdentity, statementTimeout: statementTimeout, reached: reached, logger: logger, body
            )
        }
    }

    /// Runs one read as `identity` in a transaction of its own and returns its rows. The read must not
    /// write: when its connection fails before the answer is in, it is run again on another.
    ///
    /// With `pipelinedReads` the identity and the read go to PostgreSQL in one write, as one implicit
    /// transaction ended by a Sync (`PipelinedReads`). Without them, the transaction's four
    /// statements (`BEGIN`, the signed identity, the read, `COMMIT`) are handed to a PostgresNIO
    /// connection together and awaited once; a failed statement leaves the transaction aborted, and
    /// the `COMMIT` queued behind it then rolls it back. Either way a failed read is rolled back
    /// whole and its error thrown. For the small reads of every request (a person's sessions, a card).
    public func read(as identity: RequestIdentity, deadline: Duration? = nil, _ statement: ReadStatement, logger: Logger) async throws -> [DatabaseRow] {
        let limit = deadline ?? timeout
        return try await withTransactionDeadline(as: identity, deadline: limit, logger: logger) { signedIdentity, statementTimeout, reached in
            guard let pipelinedReads else {
                return try await attemptRead(
                    statement.postgresQuery, signedIdentity: signedIdentity, statementTimeout: statementTimeout, reached: reached, logger: logger
                ).rows.map(DatabaseRow.init)
            }
            reached(.inStatements)
            do {
                return try await pipelinedReads.run(
                    [Self.identityRead(signedIdentity: signedIdentity, statementTimeout: statementTimeout), statement], deadline: .now + limit
                )
            } catch is PipelinedReads.Unanswered {
                throw FailedBeforeBody(underlying: DatabaseConnectionLostError())
            }
        }
    }

    /// Signs the identity and runs `work` within the deadline, again on another connection when one
    /// fails before any of the transaction's work began.
    private func withTransactionDeadline<Result: Sendable>(
        as identity: RequestIdentity, deadline: Duration?, logger: Logger,
        _ work: @Sendable @escaping (_ signedIdentity: String, _ statementTimeout: String, _ reached: @Sendable @escaping (DatabaseTimeoutError.Phase) -> Void) async throws -> Result
    ) async throws -> Result {
        let limit = deadline ?? timeout
        let signedIdentity = identityKey.token(for: identity, anonymousCards: anonymousCardsAllowed(), validFor: limit)
        let statementTimeout = "\(max(1, limit.components.seconds * 1000 + limit.components.attoseconds / 1_000_000_000_000_000))"
        let started = ContinuousClock.now
        defer { observeTransaction(ContinuousClock.now - started) }
        // Where a transaction that misses its deadline was, for the log.
        let phase = Atomic<UInt8>(DatabaseTimeoutError.Phase.waitingForConnection.code)
        return try await withDeadline(limit, timeoutError: {
            DatabaseTimeoutError(phase: DatabaseTimeoutError.Phase(code: phase.load(ordering: .relaxed)))
        }) {
            // A connection that died unnoticed (the leader changed, the path was cut) fails the
            // first statement sent on it. Before the work has run, nothing of the transaction exists
            // anywhere, so it is tried again on another connection, within the same deadline.
            // Once the work has run, a failure is the caller's: a write may or may not be committed.
            var attempt = 1
            while true {
                do {
                    return try await work(signedIdentity, statementTimeout, { phase.store($0.code, ordering: .relaxed) })
                } catch let failure as FailedBeforeBody where attempt < Self.attemptsBeforeBody {
                    logger.notice(
                        "a transaction's connection failed before its work began; trying again on another",
                        metadata: ["attempt": "\(attempt)", "error": "\(String(reflecting: failure.underlying))"]
                    )
                    // A moment for the pool to notice the closed connection, so it is not handed out again.
                    try await Task.sleep(for: .milliseconds(20 * attempt))
                    attempt += 1
                    phase.store(DatabaseTimeoutError.Phase.waitingForConnection.code, ordering: .relaxed)
                } catch let failure as FailedBeforeBody {
                    throw failure.underlying
                }
            }
        }
    }

    /// Runs one statement on a pooled connection outside any transaction and with no identity (so
    /// row-level security sees an anonymous caller): one round trip, for what reads no table (the
    /// health's `SELECT 1`). Answered within `deadline` like a transaction.
    public func statement(_ query: PostgresQuery, deadline: Duration? = nil, logger: Logger) async throws {
        try await withDeadline(deadline ?? timeout) { [client] in
            try await client.withConnection { postgres in
                try await DatabaseConnection(postgres).query(query, logger: logger)
            }
        }
    }

    /// How many connections a transaction tries when each fails before its work begins.
    static let attemptsBeforeBody = 3

    /// BEGIN or the identity failed on a connection that is gone: nothing of the transaction ran.
    struct FailedBeforeBody: Error {
        var underlying: any Error
    }

    /// Whether `error` says the connection itself is gone or going (rather than the statement being
    /// wrong): closed by either side, broken, or the server shutting down or starting up.
    static func connectionFailed(_ error: any Error) -> Bool {
        if error is DatabaseConnectionLostError { return true }
        guard let error = error as? PSQLError else { return false }
        switch error.code {
        case .serverClosedConnection, .clientClosedConnection, .connectionError, .uncleanShutdown:
            return true
        case .server:
            // 57P01-57P03: admin shutdown, crash shutdown, cannot connect now; class 08: connection exception.
            guard let state = error.serverInfo?[.sqlState] else { return false }
            return ["57P01", "57P02", "57P03"].contains(state) || state.hasPrefix("08")
        default:
            return false
        }
    }

    private func attemptTransaction<Result: Sendable>(
        signedIdentity: String, statementTimeout: String, reached: @Sendable @escaping (DatabaseTimeoutError.Phase) -> Void, logger: Logger,
        _ body: @Sendable @escaping (DatabaseConnection) async throws -> Result
    ) async throws -> Result {
        // BEGIN, COMMIT and ROLLBACK are sent here rather than through PostgresNIO's
        // `withTransaction`, whose ROLLBACK on a connection that has just closed is never answered
        // (the request then waits out its whole deadline; seen in the database restart drill).
        try await client.withConnection { postgres in
            let connection = DatabaseConnection(postgres)
            do {
                // BEGIN and the identity are handed to the connection together and awaited once: the
                // connection sends the second as soon as the first is answered, on its own event loop,
                // without a round trip through this task in between (the authenticated read's cost).
                try await connection.queries(
                    "BEGIN", Self.identityStatement(signedIdentity: signedIdentity, statementTimeout: statementTimeout), logger: logger
                )
                reached(.inStatements)
            } catch {
                if !postgres.isClosed { try? await connection.query("ROLLBACK", logger: logger) }
                throw Self.connectionFailed(error) ? FailedBeforeBody(underlying: error) : error
            }
            let result: Result
            do {
                result = try await body(connection)
            } catch {
                if !postgres.isClosed { try? await connection.query("ROLLBACK", logger: logger) }
                throw error
            }
            reached(.committing)
            try await connection.query("COMMIT", logger: logger)
            return result
        }
    }
}

extension Database {
    /// The identity statement every transaction begins with.
    static func identityStatement(signedIdentity: String, statementTimeout: String) -> PostgresQuery {
        identityRead(signedIdentity: signedIdentity, statementTimeout: statementTimeout).postgresQuery
    }

    /// The same, for a pipelined read.
    static func identityRead(signedIdentity: String, statementTimeout: String) -> ReadStatement {
        "SELECT set_config('app.identity', \(signedIdentity), true), set_config('statement_timeout', \(statementTimeout), true)"
    }

    fileprivate func attemptRead(
        _ query: PostgresQuery, signedIdentity: String, statementTimeout: String,
        reached: @Sendable @escaping (DatabaseTimeoutError.Phase) -> Void, logger: Logger
    ) async throws -> DatabaseRows {
        try await client.withConnection { postgres in
            // A statement written to a connection that has closed is never answered by PostgresNIO.
            guard !postgres.isClosed else { throw FailedBeforeBody(underlying: DatabaseConnectionLostError()) }
            func send(_ statement: PostgresQuery) -> EventLoopFuture<PostgresQueryResult> { postgres.query(statement, logger: logger) }
            let statements = [
                send("BEGIN"), send(Self.identityStatement(signedIdentity: signedIdentity, statementTimeout: statementTimeout)), send(query),
                send("COMMIT"),
            ]
            statements[1].whenSuccess { _ in reached(.inStatements) }
            statements[2].whenSuccess { _ in reached(.committing) }
            // Every statement is awaited, so none is still queued when the connection goes back to the pool.
            let results = try await EventLoopFuture.whenAllComplete(statements, on: postgres.eventLoop).get()
            for case .failure(let error) in results[0...1] {
                throw Self.connectionFailed(error) ? FailedBeforeBody(underlying: error) : error
            }
            let rows = try results[2].get()
            _ = try results[3].get()
            return DatabaseRows(rows: rows.rows)
        }
    }
}

/// The database did not answer within its deadline.
public struct DatabaseTimeoutError: Error, CustomStringConvertible {
    public enum Phase: String, Sendable, CaseIterable {
        /// No pooled connection became free, or none could be opened, or BEGIN did not finish, in time.
        case waitingForConnection = "waiting for a connection"
        /// A statement of the transaction did not finish in time.
        case inStatements = "in a statement"
        /// COMMIT did not finish in time.
        case committing = "committing"

        var code: UInt8 { UInt8(Self.allCases.firstIndex(of: self)!) }
        init(code: UInt8) { self = Self.allCases[Int(code)] }
    }

    public var phase: Phase?

    public init(phase: Phase? = nil) { self.phase = phase }

    public var description: String { "the database did not answer in time" + (phase.map { " (\($0.rawValue))" } ?? "") }
}

/// Runs `operation`, giving up with `DatabaseTimeoutError` after `limit`.
///
/// The caller is answered at the deadline even if the operation does not react to cancellation
/// (a connection lease waiting on an unreachable server, say): it is cancelled and left to finish
/// on its own, so a stuck database can never hold a request, or a shutdown, forever.
func withDeadline<Result: Sendable>(
    _ limit: Duration,
    timeoutError: @Sendable @escaping () -> any Error = { DatabaseTimeoutError() },
    _ operation: @Sendable @escaping () async throws -> Result
) async throws -> Result {
    let outcome = FirstOutcome<Result>()
    return try await withTaskCancellationHandler {
        try await withCheckedThrowingContinuation { continuation in
            outcome.install(continuation)
            let work = Task {
                do {
                    outcome.resolve(.success(try await operation()))
                } catch {
                    outcome.resolve(.failure(error))
                }
            }
            outcome.attach(work)
            // The deadline is a timer on an event loop, cancelled with the result: no task is
            // scheduled for it, nor woken again to end when the work finishes first.
            let nanoseconds = limit.components.seconds * 1_000_000_000 + limit.components.attoseconds / 1_000_000_000
            outcome.attach(MultiThreadedEventLoopGroup.singleton.any().scheduleTask(in: .nanoseconds(nanoseconds)) {
                outcome.resolve(.failure(timeoutError()))
            })
        }
    } onCancel: {
        outcome.resolve(.failure(CancellationError()))
    }
}

/// Resumes a continuation with whichever result arrives first; later ones are dropped.
private final class FirstOutcome<Result: Sendable>: @unchecked Sendable {
    private let lock = NSLock()
    private var continuation: CheckedContinuation<Result, any Error>?
    private var early: Swift.Result<Result, any Error>?
    private var done = false
    /// The operation and the deadline's timer: both are cancelled as soon as a result is in (the
    /// operation's own, the deadline's or the caller's cancellation), so neither outlives it.
    private var attached: [Task<Void, Never>] = []
    private var timer: Scheduled<Void>?

    /// Attaches a task to be cancelled with the result; one attached after it is in (the caller was
    /// cancelled first, or the work finished before its timer was set) is cancelled at once.
    func attach(_ task: Task<Void, Never>) {
        let finished = lock.withLock {
            if !done { attached.append(task) }
            return done
        }
        if finished { task.cancel() }
    }

    /// Attaches the deadline's timer, cancelled with the result like the tasks.
    func attach(_ timer: Scheduled<Void>) {
        let finished = lock.withLock {
            if !done { self.timer = timer }
            return done
        }
        if finished { timer.cancel() }
    }

    func install(_ continuation: CheckedContinuation<Result, any Error>) {
        lock.lock()
        if let early {
            lock.unlock()
            continuation.resume(with: early)
            return
        }
        self.continuation = continuation
        lock.unlock()
    }

    /// True when this result was the first.
    @discardableResult
    func resolve(_ result: Swift.Result<Result, any Error>) -> Bool {
        lock.lock()
        guard !done else {
            lock.unlock()
            return false
        }
        done = true
        let continuation = self.continuation
        self.continuation = nil
        if continuation == nil { early = result }
        let tasks = attached
        attached = []
        let timer = self.timer
        self.timer = nil
        lock.unlock()
        for task in tasks { task.cancel() }
        timer?.cancel()
        continuation?.resume(with: result)
        return true
    }
}
