import Foundation
import NIOCore
import NIOPosix
import NIOSSL
import Synchronization

/// Where and how to reach the SMTP server (SMTP_URL, SMTP_CA_FILE, SMTP_TIMEOUT).
///
/// `smtps://user:password@host:465` speaks TLS from the first byte (RFC 8314); `smtp://...:587`
/// upgrades with STARTTLS and refuses to go on without it. `smtp://host:25?tls=none` is a local
/// relay reached without TLS, to which no credentials are ever sent. Certificates are verified
/// against the system's trust roots, or against SMTP_CA_FILE's when it is set.
struct SMTPSettings: Sendable, Equatable {
    enum Security: String, Sendable { case implicitTLS, startTLS, none }

    var host: String
    var port: Int
    var security: Security
    var username: String?
    var password: String?
    var trustRootsFile: String?
    /// The longest wait for a connection, and for each of the server's replies.
    var timeout: Duration = .seconds(30)

    static let accepted = "smtps://user:password@host:465, smtp://user:password@host:587 (STARTTLS), or smtp://host:25?tls=none"

    init?(url text: String, trustRootsFile: String? = nil, timeout: Duration = .seconds(30)) {
        guard let components = URLComponents(string: text), let host = components.host, !host.isEmpty else { return nil }
        let tls = components.queryItems?.first(where: { $0.name == "tls" })?.value
        switch (components.scheme, tls) {
        case ("smtps", nil): security = .implicitTLS
        case ("smtp", nil), ("smtp", "starttls"): security = .startTLS
        case ("smtp", "none"): security = .none
        default: return nil
        }
        self.host = host
        port = components.port ?? (security == .implicitTLS ? 465 : 587)
        username = components.user?.removingPercentEncoding
        password = components.password?.removingPercentEncoding
        if security == .none, username != nil { return nil }
        self.trustRootsFile = trustRootsFile
        self.timeout = timeout
    }
}

/// One SMTP reply: its code and its text lines.
struct SMTPReply: Sendable, CustomStringConvertible {
    var code: Int
    var lines: [String]
    var description: String { "\(code) " + lines.joined(separator: " / ") }
}

/// What went wrong talking to the SMTP server, at which step.
struct SMTPError: Error, CustomStringConvertible {
    enum Kind: Sendable, Equatable {
        /// No connection could be made, or it ended early.
        case connection
        case timeout
        /// The server's reply to a step was not the one that lets the mail go on.
        case rejected(code: Int)
        /// The server offers no STARTTLS, or no AUTH method this client speaks.
        case unsupported
        case malformedReply
    }

    var kind: Kind
    /// The step: `greeting`, `EHLO`, `STARTTLS`, `AUTH`, `MAIL FROM`, `RCPT TO`, `DATA`, `message`.
    var step: String
    var detail: String

    var description: String { "SMTP \(step): \(detail)" }

    /// A 5xx refusal of this message (an unknown mailbox, a message it will never take) is final;
    /// anything else (a busy or unreachable server, refused credentials an operator can fix) is not.
    var isPermanent: Bool {
        if case .rejected(let code) = kind { return code >= 500 && ["MAIL FROM", "RCPT TO", "message"].contains(step) }
        return false
    }
}

/// A small SMTP client (RFC 5321) on SwiftNIO and swift-nio-ssl: EHLO, STARTTLS (RFC 3207) or
/// implicit TLS (RFC 8314), AUTH PLAIN or LOGIN (RFC 4954), 8BITMIME (RFC 6152), one message per
/// connection, every reply awaited under a deadline. No SMTP package is among this machine's
/// Swift packages, so this is the service's own.
struct SMTPClient: Sendable {
    let settings: SMTPSettings
    /// The name this client greets with (the sender's domain).
    let greetingName: String

    private var sslContext: NIOSSLContext {
        get throws {
            var tls = TLSConfiguration.makeClientConfiguration()
            tls.minimumTLSVersion = .tlsv12
            if let file = settings.trustRootsFile { tls.trustRoots = .file(file) }
            return try NIOSSLContext(configuration: tls)
        }
    }

    /// Sends `message` (the whole RFC 5322 text, built for `bodyEncoding`) from `from` to `to`.
    /// `render` is called once the server's extensions are known: 8-bit bodies where it takes them.
    func send(from: String, to: String, render: (MIMEMessage.BodyEncoding) -> String) async throws {
        let context = try sslContext
        let implicitTLS = settings.security == .implicitTLS
        let host = settings.host
        let serverName = Self.isAddressLiteral(host) ? nil : host
        let channel: NIOAsyncChannel<ByteBuffer, ByteBuffer>
        // The TLS layer's own error (an untrusted certificate, say) can reach the pipeline just as
        // the connection closes; it is kept here so the failure names it either way.
        let failures = FailureRecorder()
        do {
            channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
                .connectTimeout(.nanoseconds(Int64(settings.timeout.components.seconds) * 1_000_000_000 + Int64(settings.timeout.components.attoseconds / 1_000_000_000)))
                .connect(host: host, port: settings.port) { channel in
                    channel.eventLoop.makeCompletedFuture {
                        if implicitTLS {
                            try channel.pipeline.syncOperations.addHandler(NIOSSLClientHandler(context: context, serverHostname: serverName))
                        }
                        try channel.pipeline.syncOperations.addHandler(failures)
                        return try NIOAsyncChannel<ByteBuffer, ByteBuffer>(wrappingChannelSynchronously: channel)
                    }
                }
        } catch {
            throw SMTPError(kind: .connection, step: "connect", detail: "could not reach \(host):\(settings.port): \(error)")
        }
        try await channel.executeThenClose { inbound, outbound in
            var session = SMTPSession(
                channel: channel.channel, inbound: inbound.makeAsyncIterator(), outbound: outbound, timeout: settings.timeout, failures: failures
            )
            try await session.expect(220, step: "greeting")
            var extensions = try await session.hello(greetingName)
            var secure = implicitTLS
            if settings.security == .startTLS {
                guard extensions["STARTTLS"] != nil else {
                    throw SMTPError(kind: .unsupported, step: "STARTTLS", detail: "the server does not offer STARTTLS; refusing to send without TLS")
                }
                try await session.command("STARTTLS", expect: 220, step: "STARTTLS")
                // Bytes after the 220 arrived in plaintext: read after the handshake they would pass
                // for the encrypted server's (a man in the middle's injection, CVE-2011-0411).
                guard session.pending.readableBytes == 0 else {
                    throw SMTPError(kind: .malformedReply, step: "STARTTLS", detail: "the server sent more after agreeing to STARTTLS")
                }
                try await channel.channel.eventLoop.submit {
                    try channel.channel.pipeline.syncOperations.addHandler(
                        NIOSSLClientHandler(context: context, serverHostname: serverName), position: .first
                    )
                }.get()
                secure = true
                extensions = try await session.hello(greetingName)
            }
            if let username = settings.username {
                guard secure else {
                    throw SMTPError(kind: .unsupported, step: "AUTH", detail: "refusing to send credentials without TLS")
                }
                try await session.authenticate(username: username, password: settings.password ?? "", extensions: extensions)
            }
            let eightBit = extensions["8BITMIME"] != nil
            let needsUTF8 = !(from + to).allSatisfy(\.isASCII)
            if needsUTF8, extensions["SMTPUTF8"] == nil {
                throw SMTPError(kind: .rejected(code: 553), step: "RCPT TO", detail: "the address is not ASCII and the server does not take SMTPUTF8")
            }
            let parameters = (eightBit ? " BODY=8BITMIME" : "") + (needsUTF8 ? " SMTPUTF8" : "")
            try await session.command("MAIL FROM:<\(from)>\(parameters)", expect: 250, step: "MAIL FROM")
            try await session.command("RCPT TO:<\(to)>", expect: [250, 251], step: "RCPT TO")
            try await session.command("DATA", expect: 354, step: "DATA")
            try await session.writeMessage(render(eightBit ? .eightBit : .base64))
            try await session.expect(250, step: "message")
            // The message is accepted; a failure to say goodbye does not change that.
            try? await session.command("QUIT", expect: 221, step: "QUIT")
        }
    }

    static func isAddressLiteral(_ host: String) -> Bool {
        host.contains(":") || host.split(separator: ".").count == 4 && host.split(separator: ".").allSatisfy { UInt8($0) != nil }
    }
}

/// The conversation on one connection: commands out, replies in, each reply under a deadline.
private struct SMTPSession {
    let channel: any Channel
    var inbound: NIOAsyncChannelInboundStream<ByteBuffer>.AsyncIterator
    let outbound: NIOAsyncChannelOutboundWriter<ByteBuffer>
    let timeout: Duration
    let failures: FailureRecorder
    /// Bytes received and not yet part of a whole reply.
    var pending = ByteBuffer()

    /// A reply longer than this is not an SMTP server talking.
    static let maximumReply = 64 * 1024

    mutating func command(_ line: String, expect code: Int, step: String) async throws {
        try await command(line, expect: [code], step: step)
    }

    @discardableResult
    mutating func command(_ line: String, expect codes: Set<Int>, step: String) async throws -> SMTPReply {
        try await write(line + "\r\n", step: step)
        return try await expect(codes, step: step)
    }

    @discardableResult
    mutating func expect(_ code: Int, step: String) async throws -> SMTPReply {
        try await expect([code], step: step)
    }

    @discardableResult
    mutating func expect(_ codes: Set<Int>, step: String) async throws -> SMTPReply {
        let reply = try await readReply(step: step)
        guard codes.contains(reply.code) else {
            throw SMTPError(kind: .rejected(code: reply.code), step: step, detail: "the server answered \(reply)")
        }
        return reply
    }

    /// EHLO, and the extensions the server announces (upper-cased keywords, with their parameters).
    mutating func hello(_ name: String) async throws -> [String: String] {
        let reply = try await command("EHLO \(name)", expect: [250], step: "EHLO")
        var extensions: [String: String] = [:]
        for line in reply.lines.dropFirst() {
            let parts = line.split(separator: " ", maxSplits: 1)
            guard let keyword = parts.first else { continue }
            extensions[keyword.uppercased()] = parts.count > 1 ? String(parts[1]).uppercased() : ""
        }
        return extensions
    }

    mutating func authenticate(username: String, password: String, extensions: [String: String]) async throws {
        let methods = Set((extensions["AUTH"] ?? "").split(separator: " ").map(String.init))
        if methods.contains("PLAIN") {
            let token = Data(("\0" + username + "\0" + password).utf8).base64EncodedString()
            try await command("AUTH PLAIN " + token, expect: 235, step: "AUTH")
        } else if methods.contains("LOGIN") {
            try await command("AUTH LOGIN", expect: 334, step: "AUTH")
            try await command(Data(username.utf8).base64EncodedString(), expect: 334, step: "AUTH")
            try await command(Data(password.utf8).base64EncodedString(), expect: 235, step: "AUTH")
        } else {
            throw SMTPError(kind: .unsupported, step: "AUTH", detail: "the server offers no AUTH PLAIN or LOGIN (it offers: \(extensions["AUTH"] ?? "none"))")
        }
    }

    /// The message after DATA: lines starting with a dot get another (RFC 5321 4.5.2), then CRLF.CRLF.
    mutating func writeMessage(_ text: String) async throws {
        var stuffed = ""
        stuffed.reserveCapacity(text.utf8.count + 64)
        for line in text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline) {
            if line.hasPrefix(".") { stuffed += "." }
            stuffed += line
            stuffed += "\r\n"
        }
        // `split` leaves one empty line after the final line end; the terminator takes its place.
        // (A Swift `Character` is a whole CRLF, so one `removeLast` removes one line end.)
        if stuffed.hasSuffix("\r\n\r\n") { stuffed.removeLast() }
        try await write(stuffed + ".\r\n", step: "message")
    }

    func write(_ text: String, step: String) async throws {
        do {
            try await outbound.write(ByteBuffer(string: text))
        } catch {
            // The pipeline's own error first: a TLS handshake that failed (an untrusted certificate)
            // closes the connection, and the write queued behind it fails only because of that.
            if let failure = failures.first {
                throw SMTPError(kind: .connection, step: step, detail: "the connection failed: \(failure)")
            }
            throw SMTPError(kind: .connection, step: step, detail: "the connection closed while sending: \(error)")
        }
    }

    /// One whole reply (`250-...` lines until `250 ...`), or an error when the deadline passes first.
    mutating func readReply(step: String) async throws -> SMTPReply {
        let deadline = Deadline(channel: channel, after: timeout)
        defer { deadline.cancel() }
        var lines: [String] = []
        while true {
            while let line = nextLine() {
                guard line.utf8.count >= 3, let code = Int(line.prefix(3)), (200...599).contains(code) else {
                    throw SMTPError(kind: .malformedReply, step: step, detail: "not an SMTP reply: \(line.prefix(80))")
                }
                let separator = line.dropFirst(3).first
                lines.append(String(line.dropFirst(4)))
                if separator == "-" { continue }
                guard separator == nil || separator == " " else {
                    throw SMTPError(kind: .malformedReply, step: step, detail: "not an SMTP reply: \(line.prefix(80))")
                }
                return SMTPReply(code: code, lines: lines)
            }
            guard pending.readableBytes <= Self.maximumReply else {
                throw SMTPError(kind: .malformedReply, step: step, detail: "a reply longer than \(Self.maximumReply) bytes")
            }
            let received: ByteBuffer?
            do {
                received = try await inbound.next()
            } catch {
                if deadline.fired { throw SMTPError(kind: .timeout, step: step, detail: "no reply within \(timeout)") }
                throw SMTPError(kind: .connection, step: step, detail: "the connection failed: \(failures.first ?? error)")
            }
            guard var received else {
                if deadline.fired { throw SMTPError(kind: .timeout, step: step, detail: "no reply within \(timeout)") }
                if let failure = failures.first { throw SMTPError(kind: .connection, step: step, detail: "the connection failed: \(failure)") }
                throw SMTPError(kind: .connection, step: step, detail: "the server closed the connection")
            }
            pending.writeBuffer(&received)
        }
    }

    /// The next line ended by CRLF (or a bare LF), without its end.
    mutating func nextLine() -> String? {
        guard let end = pending.readableBytesView.firstIndex(of: UInt8(ascii: "\n")) else { return nil }
        let length = end - pending.readerIndex
        var line = pending.readString(length: length) ?? ""
        pending.moveReaderIndex(forwardBy: 1)
        if line.hasSuffix("\r") { line.removeLast() }
        pending.discardReadBytes()
        return line
    }
}

/// Keeps the first error the pipeline raised (and passes it on).
private final class FailureRecorder: ChannelInboundHandler, Sendable {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = ByteBuffer

    private let error = Mutex<(any Error)?>(nil)

    var first: (any Error)? { error.withLock { $0 } }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        self.error.withLock { if $0 == nil { $0 = error } }
        context.fireErrorCaught(error)
    }
}

/// Closes the connection when a reply is late, which ends the wait for it.
private final class Deadline: Sendable {
    private final class Flag: Sendable {
        let value = Mutex(false)
    }

    private let task: Scheduled<Void>
    private let flag = Flag()

    init(channel: any Channel, after timeout: Duration) {
        let flag = self.flag
        let nanoseconds = Int64(timeout.components.seconds) * 1_000_000_000 + timeout.components.attoseconds / 1_000_000_000
        task = channel.eventLoop.scheduleTask(in: .nanoseconds(nanoseconds)) {
            flag.value.withLock { $0 = true }
            channel.close(promise: nil)
        }
    }

    var fired: Bool { flag.value.withLock { $0 } }

    func cancel() { task.cancel() }
}
