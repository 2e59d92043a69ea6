import Foundation

/// An e-mail to one person, as the service composes it: the plain text is what it says; the HTML
/// alternative, when not given, is the same text set as paragraphs with its links made clickable.
struct Mail: Sendable, Codable, Equatable {
    /// What the mail is about (`signup-confirmation`, `password-reset`, ...): shown to admins with
    /// the outbox, and the per-kind switch that notification mails obey.
    var kind: String
    var to: String
    var subject: String
    var text: String
    var html: String?
    /// Extra header fields, such as `List-Unsubscribe` and `List-Unsubscribe-Post` (RFC 8058).
    var headers: [String: String] = [:]
}

/// A mail taken from the outbox for delivery: its identity is fixed when it is written, so a
/// delivery tried again is the same message (the same `Message-ID`) to the receiving server.
struct OutgoingMail: Sendable {
    var mail: Mail
    var messageID: String
    var date: Date
}

/// Where the outbox's mail goes: an SMTP server in production, `.eml` files in development.
protocol MailSender: Sendable {
    /// Delivers one message, or throws `MailDeliveryError`.
    func deliver(_ message: OutgoingMail) async throws
}

/// Why a delivery failed, and whether trying again can help.
struct MailDeliveryError: Error, CustomStringConvertible {
    /// The receiving side refused this message for good (an unknown mailbox, say): it is not tried again.
    var permanent: Bool
    var description: String
}

/// Delivers each mail as an RFC 5322 `.eml` file in a folder: the zero-configuration default, which
/// development and the tests read (one file per message, named by its time and `Message-ID`).
struct FileMailSender: MailSender {
    let directory: String
    let from: MailAddress

    func deliver(_ message: OutgoingMail) async throws {
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            let rendered = MIMEMessage(message, from: from, bodyEncoding: .eightBit).rendered
            let stamp = Int(message.date.timeIntervalSince1970 * 1000)
            let name = "\(stamp)-\(message.messageID.filter { $0.isLetter || $0.isNumber }.prefix(12)).eml"
            let path = directory + "/" + name
            // Written whole under a temporary name and then renamed, so a reader never sees half a mail.
            let partial = directory + "/." + name + ".partial"
            guard FileManager.default.createFile(atPath: partial, contents: Data(rendered.utf8), attributes: [.posixPermissions: 0o600]) else {
                throw CocoaError(.fileWriteUnknown)
            }
            if rename(partial, path) != 0 { throw CocoaError(.fileWriteUnknown) }
        } catch {
            throw MailDeliveryError(permanent: false, description: "could not write the mail to \(directory): \(error)")
        }
    }
}
