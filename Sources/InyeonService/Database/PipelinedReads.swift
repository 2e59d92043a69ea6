import CLibpq
import Foundation
import Logging
import NIOCore
import PostgresNIO
import ServiceLifecycle

/// The small reads of every request (a person's sessions, the session check, a card), sent through
/// libpq's pipeline mode instead of PostgresNIO.
///
/// A read is two statements, the signed identity and the read, followed by a Sync: PostgreSQL runs
/// everything up to a Sync as one implicit transaction, so the identity (set with
/// `set_config(..., true)`) is in force for the read and gone when the Sync commits it, and a failed
/// statement rolls the whole read back there and skips what followed it, nothing more. PostgresNIO
/// (1.33, the one this machine has) sends each statement only when the one before is answered: four
/// round trips a read, each waking the connection's event loop and the request's task, most of the
/// service's own cost per request (see issue 18's profile in the README). Here a read is one write
/// (libpq 15 flushes at each Sync) and one answer; and the reads that arrive while a connection is
/// busy are written back to back when it is free, each with its own Sync, their answers read as
/// they come, so a busy connection wakes PostgreSQL and its thread less than once a read.
///
/// Each connection is driven by a thread of its own, blocking in `poll` on its socket (libpq is a
/// blocking C library; the thread never touches Swift's cooperative pool nor an event loop). A
/// connection that fails, or does not answer by the batch's deadline, is closed, its unanswered
/// reads fail with `PipelinedReads.Unanswered` (the caller tries again: a read writes nothing),
/// and the next batch connects anew.
public final class PipelinedReads: Sendable {
    /// What these connections call themselves in `pg_stat_activity`.
    public static let applicationName = "inyeon pipelined reads"

    private let connections: [PipelinedConnection]

    /// - Parameter connections: how many libpq connections (each with its thread); one per core is plenty.
    public init(settings: LibpqSettings, connections count: Int, logger: Logger) {
        self.connections = (0..<max(1, count)).map { _ in PipelinedConnection(settings: settings, logger: logger) }
    }

    /// Runs `statements` as one implicit transaction and returns the last one's rows.
    /// - Parameter deadline: by when the answer must be in; past it the connection is given up.
    func run(_ statements: [ReadStatement], deadline: ContinuousClock.Instant) async throws -> [DatabaseRow] {
        // The least busy connection takes the read.
        var chosen = connections[0]
        var load = chosen.load
        for connection in connections.dropFirst() where load > 0 {
            let other = connection.load
            if other < load { (chosen, load) = (connection, other) }
        }
        return try await withCheckedThrowingContinuation { continuation in
            chosen.submit(PipelinedRead(statements: statements, deadline: deadline) { continuation.resume(with: $0) })
        }
    }

    /// Ends the connections' threads once their current batch is answered; reads still waiting fail.
    public func close() {
        for connection in connections { connection.close() }
    }

    /// The read was not answered: its connection failed or stopped answering first. A read writes
    /// nothing, so it can be run again.
    struct Unanswered: Error, CustomStringConvertible {
        var reason: String
        var description: String { "the pipelined read was not answered: \(reason)" }
    }
}

extension PipelinedReads: Service {
    /// Holds the connections open until the service stops, then closes them.
    public func run() async throws {
        try? await gracefulShutdown()
        close()
    }
}

/// libpq's connection settings (`PQconnectdbParams`' keywords and values).
public struct LibpqSettings: Sendable {
    public var parameters: [(keyword: String, value: String)]

    public init(_ parameters: [(keyword: String, value: String)]) {
        self.parameters = parameters
    }

    /// Opens a connection with these settings (blocking: up to `connect_timeout`).
    func connect() -> OpaquePointer? {
        let keywords = parameters.map { strdup($0.keyword) } + [nil]
        let values = parameters.map { strdup($0.value) } + [nil]
        defer { for pointer in keywords + values { free(pointer) } }
        return keywords.map { UnsafePointer($0) }.withUnsafeBufferPointer { keywordPointers in
            values.map { UnsafePointer($0) }.withUnsafeBufferPointer { valuePointers in
                PQconnectdbParams(keywordPointers.baseAddress, valuePointers.baseAddress, 0)
            }
        }
    }
}

extension DatabaseURL {
    /// The settings libpq needs to reach the same server as the same role, checking as much as
    /// PostgresNIO does: nil for `sslmode=prefer`, whose PostgresNIO form verifies the server's
    /// certificate when the server offers TLS, which libpq's `prefer` does not (those reads stay on
    /// PostgresNIO). `require` becomes libpq's `verify-full` against the system's trusted roots.
    public var libpqSettings: LibpqSettings? {
        var parameters: [(keyword: String, value: String)] = [
            ("host", host), ("port", "\(port)"), ("user", username), ("dbname", database),
            ("connect_timeout", "3"), ("gssencmode", "disable"), ("application_name", PipelinedReads.applicationName),
            // TCP keepalive on both ends, as the PostgresNIO pool has on the server's end.
            ("keepalives", "1"), ("keepalives_idle", "30"), ("keepalives_interval", "10"), ("keepalives_count", "3"),
            // A read that would write is refused rather than run again after a lost answer.
            ("options", "-c tcp_keepalives_idle=30 -c tcp_keepalives_interval=10 -c tcp_keepalives_count=3 -c default_transaction_read_only=on"),
            // Not from PGCLIENTENCODING or other PG* variables: the decoders read UTF-8.
            ("client_encoding", "UTF8"),
        ]
        if let password { parameters.append(("password", password)) }
        switch tlsMode {
        case .disable:
            parameters.append(("sslmode", "disable"))
        case .require:
            let roots = ProcessInfo.processInfo.environment["SSL_CERT_FILE"] ?? "/etc/ssl/certs/ca-certificates.crt"
            guard FileManager.default.isReadableFile(atPath: roots) else { return nil }
            parameters += [("sslmode", "verify-full"), ("sslrootcert", roots)]
        case .prefer:
            return nil
        }
        return LibpqSettings(parameters)
    }
}

/// One read waiting for, or on, a pipelined connection.
struct PipelinedRead: Sendable {
    var statements: [ReadStatement]
    var deadline: ContinuousClock.Instant
    var finish: @Sendable (Result<[DatabaseRow], any Error>) -> Void
}

/// A statement PostgreSQL refused while running a pipelined read: its SQLSTATE and message.
public struct DatabaseServerError: Error, CustomStringConvertible {
    public var sqlState: String
    public var message: String

    public var description: String { "PostgreSQL \(sqlState): \(message)" }
}

/// One libpq connection in pipeline mode and the thread that drives it.
final class PipelinedConnection: @unchecked Sendable {
    /// Reads sent in one write at most.
    static let largestBatch = 64
    /// Statements kept prepared on a connection at most; past them, a statement is prepared unnamed
    /// each time (the service's reads are a handful of fixed texts).
    static let mostPreparedStatements = 100
    /// A database that cannot be reached for up to this long (a restart, a leader change) is waited
    /// for, trying again every `reconnectInterval`, within the reads' deadline: the reads are
    /// answered once it is back, as a pooled connection's are. Past it, reads fail at once (503),
    /// and one attempt every `reconnectInterval` finds the database when it returns.
    static let shortOutage: Duration = .seconds(1)
    static let reconnectInterval: Duration = .milliseconds(100)
    /// Past the latest deadline of a batch, how long its answers may still take before the
    /// connection is given up (PostgreSQL itself ends a statement at its `statement_timeout`).
    static let answerGrace: Duration = .seconds(1)

    private let settings: LibpqSettings
    private let logger: Logger
    private let condition = NSCondition()
    // Guarded by `condition`.
    private var waiting: [PipelinedRead] = []
    private var inFlight = 0
    private var closing = false
    private var started = false
    // The thread's own.
    private var connection: OpaquePointer?
    /// The statements prepared on `connection`, by their SQL and parameter types: each named once
    /// PostgreSQL has answered its preparation.
    private var prepared: [String: String] = [:]
    /// The statements (as `prepared` keys them) whose named preparation the current batch sends.
    private var preparing: Set<String> = []
    /// The statements named on `connection` so far (each name is used once).
    private var statementsNamed = 0
    /// When connecting last failed, and when it began failing (nil while connected).
    private var lastFailedAttempt: ContinuousClock.Instant?
    private var unreachableSince: ContinuousClock.Instant?

    init(settings: LibpqSettings, logger: Logger) {
        self.settings = settings
        self.logger = logger
    }

    /// Reads waiting and being answered.
    var load: Int {
        condition.lock()
        defer { condition.unlock() }
        return waiting.count + inFlight
    }

    func submit(_ read: PipelinedRead) {
        condition.lock()
        guard !closing else {
            condition.unlock()
            read.finish(.failure(PipelinedReads.Unanswered(reason: "the service is stopping")))
            return
        }
        waiting.append(read)
        if !started {
            started = true
            let thread = Thread { [self] in run() }
            thread.name = "pipelined reads"
            thread.start()
        }
        condition.signal()
        condition.unlock()
    }

    func close() {
        condition.lock()
        closing = true
        condition.signal()
        condition.unlock()
    }

    private func run() {
        while true {
            condition.lock()
            while waiting.isEmpty, !closing { condition.wait() }
            if closing {
                let left = waiting
                waiting = []
                condition.unlock()
                for read in left { read.finish(.failure(PipelinedReads.Unanswered(reason: "the service is stopping"))) }
                break
            }
            let taken = Array(waiting.prefix(Self.largestBatch))
            waiting.removeFirst(taken.count)
            inFlight = taken.count
            condition.unlock()
            // A read whose caller has already been answered (its deadline passed while it waited)
            // is not sent: under overload the connections serve the reads still wanted.
            let now = ContinuousClock.now
            let batch = taken.filter { $0.deadline > now }
            for read in taken where read.deadline <= now {
                read.finish(.failure(DatabaseTimeoutError(phase: .waitingForConnection)))
            }
            if !batch.isEmpty { execute(batch) }
            condition.lock()
            inFlight = 0
            condition.unlock()
        }
        if let connection { PQfinish(connection) }
        connection = nil
    }

    // MARK: The thread's work

    private func execute(_ batch: [PipelinedRead]) {
        guard let connection = openConnection(until: batch.map(\.deadline).max()!) else {
            for read in batch { read.finish(.failure(PipelinedReads.Unanswered(reason: "no connection could be opened"))) }
            return
        }
        preparing = []
        // Per read, per statement: what was sent for it.
        var sentStatements: [[SentStatement]] = []
        for read in batch {
            var sentForRead: [SentStatement] = []
            for statement in read.statements {
                guard let sent = send(statement, on: connection) else { return abandon(batch[...], reason: lastError(connection)) }
                sentForRead.append(sent)
            }
            sentStatements.append(sentForRead)
            guard PQpipelineSync(connection) == 1 else { return abandon(batch[...], reason: lastError(connection)) }
        }
        let giveUpAt = batch.map(\.deadline).max()! + Self.answerGrace
        for (position, read) in batch.enumerated() {
            var failure: (any Error)?
            var rows: [DatabaseRow] = []
            for index in read.statements.indices {
                // A statement prepared on the way answers its preparation first.
                let preparation = sentStatements[position][index].preparation
                let steps = if case .reused = preparation { [false] } else { [true, false] }
                for isPreparation in steps {
                    guard let result = nextResult(connection, until: giveUpAt) else {
                        return abandon(batch[position...], reason: lastError(connection))
                    }
                    switch PQresultStatus(result) {
                    case PGRES_TUPLES_OK:
                        if index == read.statements.count - 1 { rows = Self.rows(of: result) }
                    case PGRES_COMMAND_OK:
                        break
                    case PGRES_PIPELINE_ABORTED:
                        // Skipped because something before it in this read failed; with no failure
                        // seen, the pipeline's answers are not where they should be.
                        if failure == nil { return abandon(batch[position...], reason: "a statement was skipped with no failure before it") }
                    default:
                        let refusal = Self.serverError(result, connection: connection)
                        if failure == nil { failure = refusal }
                        // A statement prepared earlier that no longer fits (a migration changed what
                        // it reads) or is gone: prepared again next time.
                        if case .reused(let key) = preparation, ["0A000", "26000"].contains(refusal.sqlState) { prepared[key] = nil }
                    }
                    if isPreparation, case .named(let key, let name) = preparation, PQresultStatus(result) == PGRES_COMMAND_OK {
                        prepared[key] = name
                    }
                    PQclear(result)
                    // Each step's results end with a null result.
                    while true {
                        guard waitForResult(connection, until: giveUpAt) else { return abandon(batch[position...], reason: lastError(connection)) }
                        guard let extra = PQgetResult(connection) else { break }
                        PQclear(extra)
                    }
                }
            }
            guard let sync = nextResult(connection, until: giveUpAt) else { return abandon(batch[position...], reason: lastError(connection)) }
            let synced = PQresultStatus(sync) == PGRES_PIPELINE_SYNC
            PQclear(sync)
            guard synced else { return abandon(batch[position...], reason: "the pipeline lost its place") }
            if PQstatus(connection) != CONNECTION_OK {
                // The server ended the connection (a shutdown, say): what failed here is its end, not the read.
                return abandon(batch[position...], reason: lastError(connection))
            }
            read.finish(failure.map { .failure($0) } ?? .success(rows))
        }
    }

    /// The open connection, or a new one; nil when none can be opened: after waiting for it (see
    /// `shortOutage`) no later than `deadline`.
    private func openConnection(until deadline: ContinuousClock.Instant) -> OpaquePointer? {
        if let connection {
            if PQstatus(connection) == CONNECTION_OK, PQpipelineStatus(connection) == PQ_PIPELINE_ON { return connection }
            PQfinish(connection)
            self.connection = nil
        }
        while true {
            let now = ContinuousClock.now
            let longOutage = unreachableSince.map { now - $0 >= Self.shortOutage } ?? false
            if longOutage, let lastFailedAttempt, now - lastFailedAttempt < Self.reconnectInterval { return nil }
            if let opened = connect() {
                lastFailedAttempt = nil
                unreachableSince = nil
                connection = opened
                prepared = [:]
                statementsNamed = 0
                return opened
            }
            lastFailedAttempt = .now
            if unreachableSince == nil { unreachableSince = .now }
            guard let unreachableSince, ContinuousClock.now - unreachableSince < Self.shortOutage,
                ContinuousClock.now + Self.reconnectInterval < deadline
            else { return nil }
            Thread.sleep(forTimeInterval: Double(Self.reconnectInterval.components.attoseconds) / 1e18)
        }
    }

    /// A new connection in pipeline mode, or nil (logged).
    private func connect() -> OpaquePointer? {
        guard let opened = settings.connect() else { return nil }
        // libpq prints the server's notices to the process's standard error unless told otherwise;
        // a read has nothing to say that way (PostgresNIO drops them too).
        PQsetNoticeProcessor(opened, { _, _ in }, nil)
        guard PQstatus(opened) == CONNECTION_OK, PQsetnonblocking(opened, 1) == 0, PQenterPipelineMode(opened) == 1 else {
            if unreachableSince == nil {
                logger.warning("a pipelined-read connection could not be opened", metadata: ["error": "\(lastError(opened))"])
            }
            PQfinish(opened)
            return nil
        }
        return opened
    }

    /// Closes the connection and fails the reads not yet answered: the caller tries again elsewhere.
    private func abandon(_ reads: ArraySlice<PipelinedRead>, reason: String) {
        logger.notice("a pipelined-read connection failed; closing it", metadata: ["reason": "\(reason)", "reads": "\(reads.count)"])
        if let connection { PQfinish(connection) }
        connection = nil
        for read in reads { read.finish(.failure(PipelinedReads.Unanswered(reason: reason))) }
    }

    private func lastError(_ connection: OpaquePointer) -> String {
        PQerrorMessage(connection).map { String(cString: $0).trimmingCharacters(in: .whitespacesAndNewlines) } ?? "unknown"
    }

    /// Queues one statement (extended protocol, binary results), prepared on this connection the
    /// first time its SQL is seen, so PostgreSQL parses and plans it once per connection instead of
    /// on every read (the parse of the row-level security policies was most of its work per read).
    /// Nil when it could not be queued.
    private func send(_ statement: ReadStatement, on connection: OpaquePointer) -> SentStatement? {
        var types: [Oid] = []
        var lengths: [Int32] = []
        var formats: [Int32] = []
        var offsets: [Int?] = []
        var storage: [UInt8] = []
        for parameter in statement.parameters {
            types.append(parameter.type.rawValue)
            formats.append(parameter.format == .binary ? 1 : 0)
            guard let bytes = parameter.bytes else {
                offsets.append(nil)
                lengths.append(0)
                continue
            }
            offsets.append(storage.count)
            lengths.append(Int32(bytes.readableBytes))
            storage.append(contentsOf: bytes.readableBytesView)
            // Text parameters are read up to a NUL.
            storage.append(0)
        }
        storage.append(0)
        var sent = SentStatement()
        let name: String
        let key = statement.sql + "\u{0}" + types.map(String.init).joined(separator: ",")
        if let known = prepared[key] {
            name = known
            sent.preparation = .reused(key: key)
        } else if !preparing.contains(key), prepared.count + preparing.count < Self.mostPreparedStatements {
            // Named, and known as prepared once PostgreSQL says so; until then (the rest of this
            // batch) the same text is prepared unnamed, so each read stands or falls on its own.
            statementsNamed += 1
            name = "inyeon_read_\(statementsNamed)"
            guard PQsendPrepare(connection, name, statement.sql, Int32(types.count), types) == 1 else { return nil }
            preparing.insert(key)
            sent.preparation = .named(key: key, name: name)
        } else {
            name = ""
            guard PQsendPrepare(connection, name, statement.sql, Int32(types.count), types) == 1 else { return nil }
            sent.preparation = .unnamed
        }
        let queued = storage.withUnsafeBufferPointer { buffer in
            let base = UnsafeRawPointer(buffer.baseAddress!)
            let values: [UnsafePointer<CChar>?] = offsets.map { offset in offset.map { (base + $0).assumingMemoryBound(to: CChar.self) } }
            return PQsendQueryPrepared(connection, name, Int32(types.count), values, lengths, formats, 1) == 1
        }
        return queued ? sent : nil
    }

    /// A statement queued, and the preparation sent before it, which answers first.
    private struct SentStatement {
        enum Preparation {
            /// Run as prepared earlier on this connection.
            case reused(key: String)
            case unnamed
            case named(key: String, name: String)
        }

        var preparation = Preparation.unnamed
    }

    /// The next result, once it has arrived; nil when the connection failed or the time is up.
    private func nextResult(_ connection: OpaquePointer, until giveUpAt: ContinuousClock.Instant) -> OpaquePointer? {
        guard waitForResult(connection, until: giveUpAt) else { return nil }
        return PQgetResult(connection)
    }

    /// Sends what is queued and reads until libpq has a result to hand out without blocking.
    private func waitForResult(_ connection: OpaquePointer, until giveUpAt: ContinuousClock.Instant) -> Bool {
        while true {
            let flushed = PQflush(connection)
            guard flushed >= 0 else { return false }
            if PQisBusy(connection) == 0 { return true }
            // Over TLS, OpenSSL may hold the rest of an answer already read from the socket, which
            // `poll` cannot see (libpq's own wait checks for it): take it first.
            if PQsslInUse(connection) == 1 {
                guard PQconsumeInput(connection) == 1 else { return false }
                if PQisBusy(connection) == 0 { return true }
            }
            let left = giveUpAt - ContinuousClock.now
            guard left > .zero else { return false }
            let milliseconds = Int32(clamping: left.components.seconds * 1000 + left.components.attoseconds / 1_000_000_000_000_000 + 1)
            var descriptor = pollfd(fd: PQsocket(connection), events: Int16(POLLIN) | (flushed == 1 ? Int16(POLLOUT) : 0), revents: 0)
            let ready = poll(&descriptor, 1, milliseconds)
            if ready < 0, errno == EINTR { continue }
            guard ready > 0 else { return false }
            if descriptor.revents & Int16(POLLIN | POLLERR | POLLHUP) != 0, PQconsumeInput(connection) == 0 { return false }
        }
    }

    private static func serverError(_ result: OpaquePointer, connection: OpaquePointer) -> DatabaseServerError {
        func field(_ code: UInt8) -> String? {
            PQresultErrorField(result, Int32(code)).map { String(cString: $0) }
        }
        return DatabaseServerError(
            sqlState: field(UInt8(ascii: "C")) ?? "XX000",
            message: field(UInt8(ascii: "M")) ?? PQresultErrorMessage(result).map { String(cString: $0) } ?? "unknown"
        )
    }

    /// The result's rows as cells PostgresNIO's decoders read (binary format).
    private static func rows(of result: OpaquePointer) -> [DatabaseRow] {
        let count = PQntuples(result)
        let width = PQnfields(result)
        let names = (0..<width).map { PQfname(result, $0).map { String(cString: $0) } ?? "" }
        let types = (0..<width).map { PostgresDataType(PQftype(result, $0)) }
        var rows: [DatabaseRow] = []
        rows.reserveCapacity(Int(count))
        for tuple in 0..<count {
            var cells: [PostgresCell] = []
            cells.reserveCapacity(Int(width))
            for column in 0..<width {
                var bytes: ByteBuffer?
                if PQgetisnull(result, tuple, column) == 0 {
                    let length = Int(PQgetlength(result, tuple, column))
                    bytes = ByteBuffer(bytes: UnsafeRawBufferPointer(start: PQgetvalue(result, tuple, column), count: length))
                }
                cells.append(PostgresCell(
                    bytes: bytes, dataType: types[Int(column)], format: .binary, columnName: names[Int(column)], columnIndex: Int(column)
                ))
            }
            rows.append(DatabaseRow(cells: cells))
        }
        return rows
    }
}
