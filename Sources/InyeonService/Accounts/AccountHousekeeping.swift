import Foundation
import Logging
import PostgresNIO
import ServiceLifecycle

/// Keeps what account recovery stores no longer than it is useful: a sign-up (confirmed or not,
/// with its name and password hash) a day after it expired, and a password reset a day after it
/// was made. Runs hourly on every instance; the deletes are idempotent.
struct AccountHousekeeping: Service {
    let database: Database
    let logger: Logger
    var interval: Duration = .seconds(3600)

    func run() async throws {
        await runPeriodically(every: interval, logger: logger, failure: "expired sign-ups and resets could not be removed") {
            try await removeExpired()
        }
    }

    func removeExpired() async throws {
        try await database.transaction(as: .system, logger: logger) { connection in
            try await connection.query("DELETE FROM pending_signups WHERE expires_at < now() - interval '1 day'", logger: logger)
            try await connection.query("DELETE FROM password_resets WHERE created_at < now() - interval '1 day'", logger: logger)
        }
    }
}
