import Foundation
import Hummingbird
import HummingbirdTesting
@testable import InyeonService
import Logging
import PostgresNIO
import Testing

/// Mail through the outbox to a real SMTP server (aiosmtpd, with TLS and AUTH), through the API as
/// people use it: delivery over STARTTLS and implicit TLS, certificates verified, credentials
/// refused, a server that is away for a while, a connection dropped before the message is accepted,
/// and two instances delivering at once. Nothing is lost and nothing arrives twice.
@Suite(.serialized) struct MailDeliveryTests {
    static let fastRetries = ["MAIL_RETRY_BASE": "200ms", "MAIL_POLL_INTERVAL": "200ms", "MAIL_MAX_ATTEMPTS": "20"]

    static func requestSignup(_ accounts: AccountHelper, _ email: String) async throws {
        let response = try await accounts.post(
            "/api/auth/signup", ["email": email, "password": "a calm morning walk", "name": "김정숙", "consents": ["terms": true, "privacy": true]],
            address: "198.51.100.\(Int.random(in: 1...254))"
        )
        #expect(response.status == .accepted)
    }

    struct OutboxRow {
        var state: String
        var attempts: Int
        var lastError: String?
        var contentKept: Bool
    }

    /// The outbox's rows for `recipient`, read as the system.
    static func outboxRows(to recipient: String) async throws -> [OutboxRow] {
        try await withPostgresClient(try TestDatabase.configuration().databaseURL, logger: TestDatabase.logger) { client in
            try await Database(client: client, poolSize: 2, identityKey: TestDatabase.identityKey).transaction(as: .system, logger: TestDatabase.logger) { connection in
                var rows: [OutboxRow] = []
                for try await (state, attempts, lastError, kept) in try await connection.query(
                    "SELECT state, attempts, last_error, sealed_content IS NOT NULL FROM mail_outbox WHERE recipient = \(recipient) ORDER BY id",
                    logger: TestDatabase.logger
                ).decode((String, Int, String?, Bool).self) {
                    rows.append(OutboxRow(state: state, attempts: attempts, lastError: lastError, contentKept: kept))
                }
                return rows
            }
        }
    }

    /// Waits until `recipient`'s rows satisfy `done` (up to `seconds`).
    static func waitForOutbox(to recipient: String, seconds: Double = 15, until done: ([OutboxRow]) -> Bool) async throws -> [OutboxRow] {
        let deadline = Date().addingTimeInterval(seconds)
        while true {
            let rows = try await outboxRows(to: recipient)
            if done(rows) { return rows }
            guard Date() < deadline else {
                throw TestSetupError("the outbox to \(recipient) is still \(rows.map { "\($0.state) after \($0.attempts) attempts: \($0.lastError ?? "no error")" })")
            }
            try await Task.sleep(for: .milliseconds(100))
        }
    }

    /// A header's value with RFC 2047 encoded words decoded.
    static func decodedHeader(_ name: String, in mail: String) -> String? {
        let header = mail.components(separatedBy: "\n\n").first ?? ""
        // Folded lines continue with a space.
        let unfolded = header.replacingOccurrences(of: "\n ", with: " ")
        guard let line = unfolded.split(separator: "\n").first(where: { $0.hasPrefix(name + ": ") }) else { return nil }
        // Space between two encoded words is not part of the text (RFC 2047 6.2); other space is.
        var result = ""
        var previousWasEncoded = false
        for (index, word) in line.dropFirst(name.count + 2).split(separator: " ", omittingEmptySubsequences: false).enumerated() {
            if word.hasPrefix("=?UTF-8?B?"), word.hasSuffix("?="), let data = Data(base64Encoded: String(word.dropFirst(10).dropLast(2))) {
                if index > 0, !previousWasEncoded { result += " " }
                result += String(decoding: data, as: UTF8.self)
                previousWasEncoded = true
            } else {
                if index > 0 { result += " " }
                result += word
                previousWasEncoded = false
            }
        }
        return result
    }

    @Test(arguments: [SMTPTestServer.Security.startTLS, .implicitTLS])
    func aConfirmationArrivesOverTLSAsProperMIMEAndItsCodeWorks(security: SMTPTestServer.Security) async throws {
        let server = try SMTPTestServer(security)
        try await server.start()
        try await withAccounts(server.settings().merging(Self.fastRetries) { $1 }) { accounts in
            let email = AccountHelper.uniqueEmail("smtp")
            try await Self.requestSignup(accounts, email)
            let mail = try #require(try await server.mailbox.mails(to: email, atLeast: 1).first)
            #expect(mail.hasPrefix("X-Envelope-From: no-reply@localhost\nX-Envelope-To: \(email)\n"))
            #expect(Self.decodedHeader("From", in: mail) == "인연 <no-reply@localhost>")
            #expect(mail.contains("\nMIME-Version: 1.0\n"))
            #expect(mail.contains(/\nMessage-ID: <[0-9a-f-]{36}@localhost>\n/))
            #expect(mail.contains(/\nDate: (Mon|Tue|Wed|Thu|Fri|Sat|Sun), \d\d [A-Z][a-z]{2} \d{4} \d\d:\d\d:\d\d \+0000\n/))
            #expect(mail.contains("Content-Type: multipart/alternative; boundary="))
            // The server announces 8BITMIME, so the Korean text travels as UTF-8, readable as it is.
            #expect(mail.contains("Content-Type: text/plain; charset=utf-8\nContent-Transfer-Encoding: 8bit\n\n김정숙님, 인연에 오신 것을 환영합니다."))
            #expect(mail.contains("Content-Type: text/html; charset=utf-8"))
            #expect(mail.contains(#"<a href="http://localhost:"#), "the link is clickable in the HTML part")
            let code = try #require(mail.split(separator: "\n").first { $0.hasPrefix("확인 코드: ") }).dropFirst("확인 코드: ".count)
            #expect(Self.decodedHeader("Subject", in: mail) == "[인연] 확인 코드 \(code)", "the code in the subject, seen on a phone's notification")
            #expect(try await accounts.post("/api/auth/verify-email", ["email": email, "code": String(code)]).status == .created)
            let rows = try await Self.waitForOutbox(to: email) { $0.first?.state == "sent" }
            #expect(rows.count == 1 && rows[0].attempts == 1 && !rows[0].contentKept, "delivered once, its content dropped")
        }
    }

    @Test func aServerWhoseCertificateIsNotTrustedGetsNoMail() async throws {
        let server = try SMTPTestServer(.startTLS)
        try await server.start()
        // Without SMTP_CA_FILE the test CA is not trusted: the TLS handshake fails and nothing is sent.
        try await withAccounts(server.settings(trusted: false).merging(Self.fastRetries) { $1 }.merging(["MAIL_MAX_ATTEMPTS": "2"]) { $1 }) { accounts in
            let email = AccountHelper.uniqueEmail("untrusted")
            try await Self.requestSignup(accounts, email)
            let rows = try await Self.waitForOutbox(to: email) { $0.first?.state == "dead" }
            #expect(rows[0].attempts == 2 && rows[0].contentKept, "kept, so an operator can send it again")
            let error = try #require(rows[0].lastError)
            #expect(error.contains("certificate") || error.contains("CERTIFICATE"), "\(error)")
            #expect(try server.mailbox.mailsNow(to: email).isEmpty)
        }
    }

    @Test func refusedCredentialsMakeADeadLetterAdminsSeeAndSendAgainOnceFixed() async throws {
        let server = try SMTPTestServer(.startTLS)
        try await server.start()
        let email = AccountHelper.uniqueEmail("badauth")
        try await withAccounts(server.settings(password: "wrong").merging(Self.fastRetries) { $1 }.merging(["MAIL_MAX_ATTEMPTS": "3"]) { $1 }) { accounts in
            try await Self.requestSignup(accounts, email)
            let rows = try await Self.waitForOutbox(to: email) { $0.first?.state == "dead" }
            #expect(rows[0].attempts == 3)
            #expect(rows[0].lastError?.contains("SMTP AUTH") == true && rows[0].lastError?.contains("535") == true, "\(rows[0].lastError ?? "")")
        }
        #expect(try server.mailbox.mailsNow(to: email).isEmpty)
        // The operator fixes the password (a new instance) and sends the dead letter again.
        try await withAccounts(server.settings().merging(Self.fastRetries) { $1 }) { accounts in
            let token = try await OperatorTasks.issueServiceToken(
                configuration: try TestDatabase.configuration(), name: "mail-tests", role: .admin, scope: "mail:read mail:write",
                lifetimeSeconds: 600, logger: TestDatabase.logger
            )
            let listed = try await accounts.get("/api/admin/mail?state=dead&limit=500", token: token)
            #expect(listed.status == .ok)
            let mails = try #require(try JSONBody(listed)["data.mails"] as? [[String: Any]])
            let dead = try #require(mails.first { $0["recipient"] as? String == email })
            #expect(dead["kind"] as? String == "signup-confirmation" && dead["attempts"] as? Int == 3)
            #expect((dead["lastError"] as? String)?.contains("535") == true)
            #expect(dead["text"] == nil && dead["sealedContent"] == nil, "admins never see the content")
            let id = try #require(dead["id"] as? Int)
            #expect(try await accounts.post("/api/admin/mail/\(id)/retry", [:], token: token).status == .ok)
            #expect(try await accounts.post("/api/admin/mail/\(id)/retry", [:], token: token).status == .notFound, "no longer dead")
            #expect(try await server.mailbox.mails(to: email, atLeast: 1).count == 1)
            // Someone without the scope cannot.
            let reader = try await OperatorTasks.issueServiceToken(
                configuration: try TestDatabase.configuration(), name: "mail-tests", role: .admin, scope: "mail:read",
                lifetimeSeconds: 600, logger: TestDatabase.logger
            )
            #expect(try await accounts.post("/api/admin/mail/\(id)/retry", [:], token: reader).status == .forbidden)
        }
    }

    @Test func mailWrittenWhileTheServerIsAwayArrivesOnceItIsBackAndOnlyOnce() async throws {
        let server = try SMTPTestServer(.startTLS)
        try await server.start()
        server.stop()
        try await withAccounts(server.settings().merging(Self.fastRetries) { $1 }) { accounts in
            let emails = (0..<5).map { _ in AccountHelper.uniqueEmail("outage") }
            for email in emails { try await Self.requestSignup(accounts, email) }
            // Tried and failed while the server is away; still waiting, nothing lost.
            for email in emails {
                let rows = try await Self.waitForOutbox(to: email) { $0.first.map { $0.attempts >= 2 } ?? false }
                #expect(rows.count == 1 && rows[0].state == "pending")
                #expect(rows[0].lastError?.contains("could not reach") == true, "\(rows[0].lastError ?? "")")
            }
            try await server.start()
            for email in emails {
                _ = try await Self.waitForOutbox(to: email, seconds: 30) { $0.first?.state == "sent" }
            }
            try await Task.sleep(for: .seconds(1))
            for email in emails {
                #expect(try server.mailbox.mailsNow(to: email).count == 1, "exactly once: \(email)")
            }
        }
    }

    @Test func aConnectionDroppedBeforeTheMessageIsAcceptedIsTriedAgainAndArrivesOnce() async throws {
        let server = try SMTPTestServer(.startTLS, dropFirst: 2)
        try await server.start()
        try await withAccounts(server.settings().merging(Self.fastRetries) { $1 }) { accounts in
            let email = AccountHelper.uniqueEmail("dropped")
            try await Self.requestSignup(accounts, email)
            let rows = try await Self.waitForOutbox(to: email) { $0.first?.state == "sent" }
            #expect(rows[0].attempts == 3, "two dropped, the third accepted")
            try await Task.sleep(for: .milliseconds(500))
            #expect(try server.mailbox.mailsNow(to: email).count == 1)
        }
    }

    @Test func twoInstancesDeliverEveryMailExactlyOnce() async throws {
        let server = try SMTPTestServer(.implicitTLS)
        try await server.start()
        let outbox = AccountHelper.outboxDirectory()
        let settings = server.settings().merging(Self.fastRetries) { $1 }
        try await withAccounts(settings, outbox: outbox) { first in
            try await withAccounts(settings, outbox: outbox) { second in
                let emails = (0..<24).map { _ in AccountHelper.uniqueEmail("pair") }
                try await withThrowingTaskGroup(of: Void.self) { group in
                    for (index, email) in emails.enumerated() {
                        group.addTask { try await Self.requestSignup(index.isMultiple(of: 2) ? first : second, email) }
                    }
                    try await group.waitForAll()
                }
                for email in emails {
                    _ = try await Self.waitForOutbox(to: email, seconds: 30) { $0.first?.state == "sent" }
                }
                try await Task.sleep(for: .seconds(1))
                var seen: [String: Int] = [:]
                for email in emails { seen[email] = try server.mailbox.mailsNow(to: email).count }
                #expect(seen.values.allSatisfy { $0 == 1 }, "\(seen.filter { $0.value != 1 })")
            }
        }
    }

    @Test func aMailWrittenInATransactionThatRollsBackIsNeverSent() async throws {
        let configuration = try TestDatabase.configuration()
        let email = AccountHelper.uniqueEmail("rolledback")
        try await withPostgresClient(configuration.databaseURL, logger: TestDatabase.logger) { client in
            let database = Database(client: client, poolSize: 2, identityKey: TestDatabase.identityKey)
            let outbox = MailOutbox(database: database, sealer: try DataSealer(base64Key: configuration.secrets.dataEncryptionKey), domain: "localhost")
            struct Abandoned: Error {}
            await #expect(throws: Abandoned.self) {
                try await database.transaction(as: .system, logger: TestDatabase.logger) { connection in
                    try await outbox.enqueue(Mail(kind: "test", to: email, subject: "s", text: "t"), on: connection, logger: TestDatabase.logger)
                    throw Abandoned()
                }
            }
        }
        #expect(try await Self.outboxRows(to: email).isEmpty)
    }

    /// Lines that start with a dot are doubled on the wire (RFC 5321 4.5.2) and arrive as written;
    /// a long Korean subject is split into encoded words that each fit RFC 2047's 75 characters.
    @Test func dotsAndLongKoreanSubjectsArriveIntact() async throws {
        let server = try SMTPTestServer(.startTLS)
        try await server.start()
        let email = AccountHelper.uniqueEmail("dots")
        let subject = String(repeating: "오늘 저녁 산책길에 본 노을이 참 고왔어요. ", count: 4)
        let text = "첫 줄\n.\n..두 점\n.마지막 줄"
        let sender = SMTPMailSender(
            settings: try #require(SMTPSettings(url: server.settings()["SMTP_URL"]!, trustRootsFile: server.caFile, timeout: .seconds(5))),
            from: MailAddress(name: "인연", address: "no-reply@localhost")
        )
        try await sender.deliver(OutgoingMail(
            mail: Mail(kind: "test", to: email, subject: subject, text: text), messageID: "<dots@localhost>", date: Date()
        ))
        let mail = try #require(try await server.mailbox.mails(to: email, atLeast: 1).first)
        #expect(Self.decodedHeader("Subject", in: mail) == subject)
        let subjectLines = mail.components(separatedBy: "\n\n")[0].split(separator: "\n").drop { !$0.hasPrefix("Subject:") }.prefix { $0.hasPrefix("Subject:") || $0.hasPrefix(" ") }
        #expect(subjectLines.count > 1 && subjectLines.allSatisfy { $0.count <= 78 })
        #expect(mail.contains("8bit\n\n" + text + "\n--"))
    }
}
