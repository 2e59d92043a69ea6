import Logging
import NIOCore
import PostgresNIO

/// One connection inside a `Database.transaction`, as the service's code queries it.
///
/// Every result is read whole before the caller sees its first row. PostgresNIO's streamed rows
/// (`PostgresRowSequence`) stop reading the socket while their consumer is behind, and a connection
/// that then ends without a last message (an immediate restart, a failover, a cut network path)
/// either stops the process on a precondition in PostgresNIO 1.33 (`RowStreamStateMachine`) or
/// leaves the read waiting out its whole deadline. A whole result is read on PostgresNIO's event
/// loop, which keeps asking for more, so the end of the connection fails the query at once.
/// (`ConnectionLossTests`.) The service's results are small, a page of people at most; the
/// recommendation engine's training reads, which span whole tables, use `forEachRow` instead.
/// The one exception is the two prepared reads (`rows(of:)`): PostgresNIO runs prepared statements
/// only as streamed rows, so theirs (one row, or one page of cards) are drained in a tight loop.
public struct DatabaseConnection: Sendable {
    public let postgres: PostgresConnection

    public init(_ postgres: PostgresConnection) {
        self.postgres = postgres
    }

    /// Runs `query` and returns all its rows.
    @discardableResult
    public func query(_ query: PostgresQuery, logger: Logger, file: String = #fileID, line: Int = #line) async throws -> DatabaseRows {
        // A statement written to a connection that has closed is never answered by PostgresNIO.
        guard !postgres.isClosed else { throw DatabaseConnectionLostError() }
        let result: PostgresQueryResult = try await postgres.query(query, logger: logger, file: file, line: line).get()
        return DatabaseRows(rows: result.rows)
    }

    /// Runs two statements one after the other, awaited together: both are queued on the connection
    /// at once (it sends the second when the first is answered), so the caller waits once. Fails
    /// when either fails; their rows are not wanted.
    public func queries(_ first: PostgresQuery, _ second: PostgresQuery, logger: Logger, file: String = #fileID, line: Int = #line) async throws {
        guard !postgres.isClosed else { throw DatabaseConnectionLostError() }
        let one: EventLoopFuture<PostgresQueryResult> = postgres.query(first, logger: logger, file: file, line: line)
        let two: EventLoopFuture<PostgresQueryResult> = postgres.query(second, logger: logger, file: file, line: line)
        _ = try await one.and(two).get()
    }

    /// Runs `query` and hands each row to `body` as it arrives, on PostgresNIO's event loop, without
    /// holding the result: for reads of whole tables, whose rows would not fit in memory together.
    /// `body` must be quick (it runs between the connection's reads) and must not wait.
    public func forEachRow(
        _ query: PostgresQuery, logger: Logger, file: String = #fileID, line: Int = #line,
        _ body: @escaping @Sendable (PostgresRow) throws -> Void
    ) async throws {
        guard !postgres.isClosed else { throw DatabaseConnectionLostError() }
        _ = try await postgres.query(query, logger: logger, file: file, line: line, body).get()
    }
}

/// The statement's connection had closed (a restart, a failover, a cut path): answered 503.
public struct DatabaseConnectionLostError: Error, CustomStringConvertible {
    public var description: String { "the database connection had closed" }
}

/// The rows of a whole result, iterated as PostgresNIO's row sequence is (`for try await`, `decode`).
public struct DatabaseRows: AsyncSequence, Sendable {
    public typealias Element = PostgresRow

    public let rows: [PostgresRow]

    public struct AsyncIterator: AsyncIteratorProtocol {
        var rows: IndexingIterator<[PostgresRow]>

        public mutating func next() async throws -> PostgresRow? { rows.next() }
    }

    public func makeAsyncIterator() -> AsyncIterator { AsyncIterator(rows: rows.makeIterator()) }

    /// The rows decoded as the given column types.
    public func decode<each Column: PostgresDecodable>(
        _ columnType: (repeat each Column).Type, file: String = #fileID, line: Int = #line
    ) -> AsyncThrowingMapSequence<DatabaseRows, (repeat each Column)> {
        map { row in try row.decode(columnType, file: file, line: line) }
    }

    public func collect() -> [PostgresRow] { rows }
}
