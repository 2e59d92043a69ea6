import Crypto
import Foundation
import Logging
import PostgresNIO

/// Limits that must hold across every instance (a mail flood or a pile of reports costs the same
/// whichever instance takes it), counted in PostgreSQL. `AbuseLimiter` counts in one process's
/// memory and `LoginThrottle` counts failed logins; this counts actions taken, per subject. The
/// subject (an address, an e-mail address, a person) is kept only as a hash.
struct SharedRateLimit: Sendable {
    /// One action of `subject` counted in `bucket`, at most `limit` in `windowSeconds`.
    struct Count: Sendable {
        var bucket: String
        var subject: String
        var limit: Int
        var windowSeconds: Int
    }

    let database: Database

    /// Counts the action under every rule, or, when any rule's limit is reached, counts nothing and
    /// throws `RateLimitedError` (429, `Retry-After`: when the oldest counted action leaves the window).
    /// Concurrent requests for one subject queue on a transaction lock, so a burst cannot all pass.
    func take(_ counts: [Count], logger: Logger) async throws {
        let keyed = counts.map { (count: $0, hash: Self.hash($0.subject)) }
            .sorted { ($0.count.bucket, $0.hash.base64EncodedString()) < ($1.count.bucket, $1.hash.base64EncodedString()) }
        try await database.transaction(as: .system, logger: logger) { connection in
            for (count, hash) in keyed {
                let lockKey = Self.lockKey(bucket: count.bucket, hash: hash)
                try await connection.query("SELECT pg_advisory_xact_lock(\(lockKey))", logger: logger)
                for try await (taken, retryAfter) in try await connection.query(
                    """
                    SELECT count(*)::int,
                           coalesce(ceil(extract(epoch FROM min(occurred_at) + make_interval(secs => \(count.windowSeconds)) - now())), 0)::int
                    FROM rate_limit_events
                    WHERE bucket = \(count.bucket) AND subject_hash = \(hash)
                      AND occurred_at > now() - make_interval(secs => \(count.windowSeconds))
                    """,
                    logger: logger
                ).decode((Int, Int).self) where taken >= count.limit {
                    throw RateLimitedError(retryAfterSeconds: max(1, retryAfter))
                }
            }
            for (count, hash) in keyed {
                try await connection.query(
                    "INSERT INTO rate_limit_events (bucket, subject_hash) VALUES (\(count.bucket), \(hash))", logger: logger
                )
            }
            // Old entries are of no use to any window; trim them as we go.
            try await connection.query(
                "DELETE FROM rate_limit_events WHERE occurred_at < now() - interval '1 day'", logger: logger
            )
        }
    }

    static func hash(_ subject: String) -> Data {
        Data(SHA256.hash(data: Data(subject.utf8)))
    }

    /// A 64-bit advisory lock key for one bucket and subject.
    static func lockKey(bucket: String, hash: Data) -> Int64 {
        let digest = SHA256.hash(data: Data(bucket.utf8) + hash)
        return digest.withUnsafeBytes { $0.loadUnaligned(as: Int64.self) }
    }
}
