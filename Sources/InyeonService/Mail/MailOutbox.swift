import Foundation
import Logging
import PostgresNIO

/// The outbox's table (`mail_outbox`): mail written in the transaction that causes it, taken by
/// delivery workers on any number of instances, retried with backoff, and kept as a dead letter,
/// with its last error, after its last try.
struct MailOutbox: Sendable {
    static let channel = "inyeon_mail_outbox"

    let database: Database
    let sealer: DataSealer
    /// The domain of `Message-ID`s (the sender's).
    let domain: String

    /// Writes `mail` into the outbox in the caller's transaction: it is delivered only if that
    /// transaction commits, and the workers hear of it at the commit.
    func enqueue(_ mail: Mail, on connection: DatabaseConnection, logger: Logger) async throws {
        guard MailAddress.isPlausible(mail.to) else {
            throw APIError.badRequest("INVALID_EMAIL", "이메일 주소 형식이 올바르지 않습니다.")
        }
        let sealed = try sealer.seal(JSONEncoder().encode(mail))
        let messageID = "<\(UUID().uuidString.lowercased())@\(domain)>"
        try await connection.query(
            """
            INSERT INTO mail_outbox (kind, recipient, sealed_content, message_id)
            VALUES (\(mail.kind), \(mail.to), \(sealed), \(messageID))
            """,
            logger: logger
        )
        try await DatabaseNotifications.notify(Self.channel, "", on: connection, logger: logger)
    }

    /// A mail a worker holds for one delivery attempt.
    struct Claimed: Sendable {
        var id: Int64
        var message: OutgoingMail
        /// This attempt's number, from 1.
        var attempt: Int
    }

    /// Takes up to `limit` mails that are due and not held by another worker, holding each for
    /// `lease` (`FOR UPDATE SKIP LOCKED`: concurrent workers never take the same mail).
    func claim(limit: Int, lease: Duration, logger: Logger) async throws -> [Claimed] {
        let leaseSeconds = Double(lease.components.seconds) + Double(lease.components.attoseconds) / 1e18
        let rows = try await database.transaction(as: .system, logger: logger) { connection in
            try await connection.query(
                """
                UPDATE mail_outbox SET leased_until = now() + make_interval(secs => \(leaseSeconds)), attempts = attempts + 1
                WHERE id IN (
                    SELECT id FROM mail_outbox
                    WHERE state = 'pending' AND next_attempt_at <= now() AND (leased_until IS NULL OR leased_until < now())
                    ORDER BY next_attempt_at, id LIMIT \(limit) FOR UPDATE SKIP LOCKED
                )
                RETURNING id, sealed_content, message_id, created_at, attempts
                """,
                logger: logger
            ).collect()
        }
        var claimed: [Claimed] = []
        for row in rows {
            let (id, sealed, messageID, createdAt, attempts) = try row.decode((Int64, Data?, String, Date, Int).self)
            do {
                guard let sealed else { throw MailDeliveryError(permanent: true, description: "the mail has no content") }
                let mail = try JSONDecoder().decode(Mail.self, from: sealer.open(sealed))
                claimed.append(Claimed(id: id, message: OutgoingMail(mail: mail, messageID: messageID, date: createdAt), attempt: attempts))
            } catch {
                // Sealed under another key (DATA_ENCRYPTION_KEY changed): no retry can read it.
                try await failed(id, attempt: attempts, error: MailDeliveryError(permanent: true, description: "the content cannot be opened: \(error)"),
                                 retry: .init(), logger: logger)
            }
        }
        return claimed
    }

    /// The mail went: its content is dropped, its record stays (kind, recipient, when).
    /// Only the worker holding this attempt updates the mail (`attempts` names the attempt).
    func delivered(_ id: Int64, attempt: Int, logger: Logger) async throws {
        try await database.transaction(as: .system, logger: logger) { connection in
            try await connection.query(
                """
                UPDATE mail_outbox SET state = 'sent', sent_at = now(), sealed_content = NULL, leased_until = NULL
                WHERE id = \(id) AND state = 'pending' AND attempts = \(attempt)
                """,
                logger: logger
            )
        }
    }

    /// The attempt failed: tried again after a backoff, or a dead letter after the last try or a permanent refusal.
    func failed(_ id: Int64, attempt: Int, error: MailDeliveryError, retry: MailRetryPolicy, logger: Logger) async throws {
        let dead = error.permanent || attempt >= retry.maximumAttempts
        let delay = retry.delay(afterAttempt: attempt)
        let delaySeconds = Double(delay.components.seconds) + Double(delay.components.attoseconds) / 1e18
        let lastError = String(error.description.prefix(1000))
        try await database.transaction(as: .system, logger: logger) { connection in
            try await connection.query(
                """
                UPDATE mail_outbox SET
                    state = CASE WHEN \(dead) THEN 'dead' ELSE 'pending' END,
                    next_attempt_at = now() + make_interval(secs => \(delaySeconds)),
                    leased_until = NULL, last_error = \(lastError)
                WHERE id = \(id) AND state = 'pending' AND attempts = \(attempt)
                """,
                logger: logger
            )
        }
    }

    /// Delivered mail's records are kept this long, then removed.
    func removeDelivered(olderThan days: Int, logger: Logger) async throws {
        try await database.transaction(as: .system, logger: logger) { connection in
            try await connection.query(
                "DELETE FROM mail_outbox WHERE state = 'sent' AND sent_at < now() - make_interval(days => \(days)::int)", logger: logger
            )
        }
    }
}

/// When a failed delivery is tried again: exponential backoff with jitter (each wait is drawn
/// between half and all of `base x 2^(attempt-1)`, at most `cap`), so many mails failing together
/// (a server outage) do not all come back at the same moment; after `maximumAttempts` a mail is dead.
struct MailRetryPolicy: Sendable, Equatable {
    var base: Duration = .seconds(30)
    var cap: Duration = .seconds(3600)
    var maximumAttempts = 10

    func delay(afterAttempt attempt: Int, random: Double = Double.random(in: 0.5...1.0)) -> Duration {
        let exponent = min(max(attempt - 1, 0), 30)
        let full = min(base * (1 << exponent), cap)
        return full * random
    }
}
