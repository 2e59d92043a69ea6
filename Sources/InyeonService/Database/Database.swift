import Foundation
import Logging
import PostgresNIO

/// The service's access to PostgreSQL: every unit of work is one transaction that first tells
/// PostgreSQL who is asking, so row-level security decides what the queries can touch.
public struct Database: Sendable {
    public let client: PostgresClient
    public let poolSize: Int
    /// Longest a request waits for the database before it is answered with 503.
    public let timeout: Duration
    /// Whether anonymous callers may see publicly listed cards: true in phase 1, false once
    /// enhanced auth is fully on. Read per transaction, so a flag change applies at once.
    public let anonymousCardsAllowed: @Sendable () -> Bool

    public init(
        client: PostgresClient,
        poolSize: Int,
        timeout: Duration = .seconds(5),
        anonymousCardsAllowed: @escaping @Sendable () -> Bool = { true }
    ) {
        self.client = client
        self.poolSize = poolSize
        self.timeout = timeout
        self.anonymousCardsAllowed = anonymousCardsAllowed
    }

    /// Runs `body` in a transaction as `identity`. The identity is set with `set_config(..., true)`,
    /// which lasts until the transaction ends, so a pooled connection never carries it to the next request.
    public func transaction<Result: Sendable>(
        as identity: RequestIdentity,
        logger: Logger,
        _ body: @Sendable @escaping (PostgresConnection) async throws -> Result
    ) async throws -> Result {
        let anonymousCards = anonymousCardsAllowed() ? "on" : "off"
        return try await withDeadline(timeout) {
            try await unwrappingTransactionErrors {
                try await client.withTransaction(logger: logger) { connection in
                    let userID = identity.userID?.uuidString.lowercased() ?? ""
                    try await connection.query(
                        """
                        SELECT set_config('app.user_id', \(userID), true),
                               set_config('app.role', \(identity.role.rawValue), true),
                               set_config('app.anonymous_cards', \(anonymousCards), true),
                               set_config('statement_timeout', '5s', true)
                        """,
                        logger: logger
                    )
                    return try await body(connection)
                }
            }
        }
    }
}

/// PostgresNIO wraps what failed inside a transaction; callers care about the PostgreSQL error itself
/// (its SQLSTATE decides the HTTP status), so it is rethrown as is.
func unwrappingTransactionErrors<Result>(_ body: () async throws -> Result) async throws -> Result {
    do {
        return try await body()
    } catch let error as PostgresTransactionError {
        throw error.closureError ?? error.beginError ?? error.commitError ?? error
    }
}

/// The database did not answer within its deadline.
public struct DatabaseTimeoutError: Error {}

/// Runs `operation`, giving up with `DatabaseTimeoutError` after `limit`.
func withDeadline<Result: Sendable>(
    _ limit: Duration,
    _ operation: @Sendable @escaping () async throws -> Result
) async throws -> Result {
    try await withThrowingTaskGroup(of: Result.self) { group in
        group.addTask { try await operation() }
        group.addTask {
            try await Task.sleep(for: limit)
            throw DatabaseTimeoutError()
        }
        defer { group.cancelAll() }
        return try await group.next()!
    }
}
