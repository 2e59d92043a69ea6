import Foundation
import Logging
import PostgresNIO
import ServiceLifecycle
import Synchronization

/// The outbox's delivery worker: one per instance, any number of instances. It wakes when a mail
/// is written (the outbox's notification) or every `pollInterval` (for retries that fall due, and
/// for mail written while the listener was reconnecting), takes due mail in small batches, and
/// hands each to the sender under a deadline shorter than its lease, so no other worker can take a
/// mail while a delivery of it may still be going on. On shutdown it finishes the mail in hand.
final class MailDelivery: Service, Sendable {
    struct Settings: Sendable, Equatable {
        var retry = MailRetryPolicy()
        var pollInterval: Duration = .seconds(2)
        /// How long one delivery may take before it counts as failed; a mail is held for twice that.
        var deliveryDeadline: Duration = .seconds(120)
        /// Mails taken per claim: one, so each is held for its own delivery's lease and no longer.
        var batchSize = 1
        /// Delivered mails' records are kept this many days.
        var keepDeliveredDays = 30
    }

    private let outbox: MailOutbox
    private let sender: any MailSender
    private let settings: Settings
    private let logger: Logger
    private let metrics: ServiceMetrics
    private let rung = Mutex(false)

    init(outbox: MailOutbox, sender: any MailSender, settings: Settings, metrics: ServiceMetrics, logger: Logger) {
        self.outbox = outbox
        self.sender = sender
        self.settings = settings
        self.metrics = metrics
        self.logger = logger
    }

    /// A mail was written (or the listener reconnected and may have missed one): look now.
    func wake() {
        rung.withLock { $0 = true }
    }

    func run() async throws {
        var lastCleanUp = ContinuousClock.now - .seconds(3600)
        while !Task.isCancelled, !Task.isShuttingDownGracefully {
            rung.withLock { $0 = false }
            var full = false
            do {
                full = try await deliverDueMail()
                if ContinuousClock.now - lastCleanUp > .seconds(3600) {
                    try await outbox.removeDelivered(olderThan: settings.keepDeliveredDays, logger: logger)
                    lastCleanUp = .now
                }
            } catch let error as PSQLError where error.serverInfo?[.sqlState] == "42P01" {
                // A new database, before its first migration has run.
                logger.debug("the mail outbox is not there before the first migration")
            } catch {
                // The database is away: the mail waits in it, and is taken once it is back.
                logger.failure("the mail outbox could not be read", error)
            }
            if !full { await waitForWork() }
        }
    }

    /// Delivers one batch; true when the batch was full (more may be due at once).
    private func deliverDueMail() async throws -> Bool {
        let batch = try await outbox.claim(limit: settings.batchSize, lease: settings.deliveryDeadline * 2, logger: logger)
        for claimed in batch {
            let started = ContinuousClock.now
            do {
                let sender = self.sender
                try await withDeadline(settings.deliveryDeadline, timeoutError: {
                    MailDeliveryError(permanent: false, description: "the delivery did not finish within \(self.settings.deliveryDeadline)")
                }) {
                    try await sender.deliver(claimed.message)
                }
                try await outbox.delivered(claimed.id, attempt: claimed.attempt, logger: logger)
                metrics.recordMail(outcome: "sent", duration: ContinuousClock.now - started)
                logger.info("mail delivered", metadata: [
                    "mail.id": "\(claimed.id)", "mail.kind": "\(claimed.message.mail.kind)", "mail.attempt": "\(claimed.attempt)",
                ])
            } catch {
                let failure = (error as? MailDeliveryError)
                    ?? (error as? SMTPError).map { MailDeliveryError(permanent: $0.isPermanent, description: $0.description) }
                    ?? MailDeliveryError(permanent: false, description: "\(error)")
                let dead = failure.permanent || claimed.attempt >= settings.retry.maximumAttempts
                try await outbox.failed(claimed.id, attempt: claimed.attempt, error: failure, retry: settings.retry, logger: logger)
                metrics.recordMail(outcome: dead ? "dead" : "retry", duration: ContinuousClock.now - started)
                logger.log(level: dead ? .error : .warning, dead ? "mail is a dead letter" : "mail delivery failed; it will be tried again", metadata: [
                    "mail.id": "\(claimed.id)", "mail.kind": "\(claimed.message.mail.kind)", "mail.attempt": "\(claimed.attempt)",
                    "error": "\(failure.description)",
                ])
            }
        }
        return batch.count == settings.batchSize
    }

    /// Until woken, or the poll interval passes, or the service stops.
    private func waitForWork() async {
        let until = ContinuousClock.now + settings.pollInterval
        while ContinuousClock.now < until, !Task.isShuttingDownGracefully, !Task.isCancelled {
            if rung.withLock({ $0 }) { return }
            try? await Task.sleep(for: .milliseconds(50))
        }
    }
}
