import Foundation

/// An e-mail to someone (sign-up confirmation, security notices).
struct Mail: Sendable {
    var to: String
    var subject: String
    var body: String
}

/// Where mail goes. An SMTP sender can implement this later; until then mail is delivered as files.
protocol MailSender: Sendable {
    func send(_ mail: Mail) async throws
}

/// Delivers each mail as an RFC 5322 `.eml` file in a folder (development and tests read them there).
struct FileMailOutbox: MailSender {
    let directory: String

    func send(_ mail: Mail) async throws {
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let name = "\(Int(Date().timeIntervalSince1970 * 1000))-\(UUID().uuidString.prefix(8)).eml"
        let text = """
            To: \(mail.to)
            From: Inyeon <no-reply@inyeon.local>
            Subject: \(mail.subject)
            Content-Type: text/plain; charset=utf-8

            \(mail.body)

            """
        let path = directory + "/" + name
        guard FileManager.default.createFile(atPath: path, contents: Data(text.utf8), attributes: [.posixPermissions: 0o600]) else {
            throw CocoaError(.fileWriteUnknown)
        }
    }
}
