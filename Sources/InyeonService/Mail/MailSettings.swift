/// How the service sends mail: from whom, through which SMTP server (none: `.eml` files in
/// MAIL_OUTBOX_DIR), and how the outbox retries.
struct MailSettings: Sendable, Equatable {
    var from: MailAddress
    var smtp: SMTPSettings?
    var delivery: MailDelivery.Settings
    /// When notification mails go (NOTIFY_MESSAGE_DELAY, NOTIFY_DIGEST_GAP, NOTIFY_INTERVAL).
    var notifications: NotificationMailer.Settings
}

/// Delivers the outbox's mail to an SMTP server.
struct SMTPMailSender: MailSender {
    let client: SMTPClient
    let from: MailAddress

    init(settings: SMTPSettings, from: MailAddress) {
        client = SMTPClient(settings: settings, greetingName: from.domain)
        self.from = from
    }

    func deliver(_ message: OutgoingMail) async throws {
        let from = self.from
        try await client.send(from: from.address, to: message.mail.to) { encoding in
            MIMEMessage(message, from: from, bodyEncoding: encoding).rendered
        }
    }
}
