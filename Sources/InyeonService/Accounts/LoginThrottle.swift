import Foundation
import Logging
import PostgresNIO

/// Login limits that slow attackers without letting them lock a real person out.
///
/// - 5 failures for one account from one address in 15 minutes: that address waits (429, `Retry-After`),
///   while the account's owner, elsewhere, still gets in.
/// - Failures against 10 different accounts from one address in 15 minutes (credential stuffing): the
///   address is refused for 15 minutes and a security event is recorded.
/// - Many failures against one account from many addresses: each attempt is answered more slowly
///   (up to 3 seconds), never refused.
struct LoginThrottle: Sendable {
    static let window = 15 * 60
    static let perAccountAndAddress = 5
    static let distinctAccountsPerAddress = 10
    static let slowdownAfter = 20

    enum Decision: Equatable {
        /// Go ahead: the attempt is already counted as a failure (`reservation`), and is forgiven on success.
        case allow(reservation: Int64, delayMilliseconds: Int)
        case refuse(retryAfterSeconds: Int, stuffing: Bool)
    }

    let database: Database

    /// Counts this attempt before the password is checked, so simultaneous guesses cannot all be
    /// judged against the same count: the attempts of one address take turns (a transaction-scoped
    /// advisory lock, on every instance alike), and each is recorded as a failure in the same
    /// transaction that found it allowed. A correct password then removes the failures (`clear`).
    func reserve(emailHash: Data, address: String, logger: Logger) async throws -> Decision {
        try await database.transaction(as: .system, logger: logger) { connection in
            try await connection.query("SELECT pg_advisory_xact_lock(hashtextextended(\("login-throttle:" + address), 0))", logger: logger)
            let query: PostgresQuery = try """
                WITH recent AS (
                    SELECT email_hash, ip_address, occurred_at FROM auth_failures
                    WHERE occurred_at > now() - make_interval(secs => \(Self.window))
                      AND (email_hash = \(emailHash) OR ip_address = \(address))
                )
                SELECT
                    (SELECT count(*)::int FROM recent WHERE email_hash = \(emailHash) AND ip_address = \(address)),
                    (SELECT coalesce(ceil(extract(epoch FROM min(occurred_at) + make_interval(secs => \(Self.window)) - now())), 0)::int
                       FROM recent WHERE email_hash = \(emailHash) AND ip_address = \(address)),
                    (SELECT count(DISTINCT email_hash)::int FROM recent WHERE ip_address = \(address)),
                    (SELECT count(*)::int FROM recent WHERE email_hash = \(emailHash))
                """
            var delay = 0
            for try await (pair, pairRetry, accounts, accountTotal) in try await connection.query(query, logger: logger)
                .decode((Int, Int, Int, Int).self)
            {
                if accounts >= Self.distinctAccountsPerAddress { return .refuse(retryAfterSeconds: Self.window, stuffing: true) }
                if pair >= Self.perAccountAndAddress { return .refuse(retryAfterSeconds: max(pairRetry, 1), stuffing: false) }
                let excess = accountTotal - Self.slowdownAfter
                delay = excess > 0 ? min(3000, excess * 250) : 0
            }
            var reservation: Int64 = 0
            for try await id in try await connection.query(
                "INSERT INTO auth_failures (email_hash, ip_address) VALUES (\(emailHash), \(address)) RETURNING id", logger: logger
            ).decode(Int64.self) {
                reservation = id
            }
            // Old entries are of no use to the window; trim them as we go.
            try await connection.query("DELETE FROM auth_failures WHERE occurred_at < now() - interval '1 day'", logger: logger)
            return .allow(reservation: reservation, delayMilliseconds: delay)
        }
    }

    /// Takes back a reserved attempt that was neither a failure nor a success (a suspended account's right password).
    func release(reservation: Int64, logger: Logger) async throws {
        try await database.transaction(as: .system, logger: logger) { connection in
            try await connection.query("DELETE FROM auth_failures WHERE id = \(reservation)", logger: logger)
        }
    }

    /// A successful login clears that account's failures from that address (its own reservation included).
    func clear(emailHash: Data, address: String, logger: Logger) async throws {
        try await database.transaction(as: .system, logger: logger) { connection in
            try await connection.query(
                "DELETE FROM auth_failures WHERE email_hash = \(emailHash) AND ip_address = \(address)", logger: logger
            )
        }
    }
}
