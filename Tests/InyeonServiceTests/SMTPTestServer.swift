import Foundation
import NIOCore
import NIOPosix

/// A real SMTP server for a test (`Fixtures/smtp_server.py`, on aiosmtpd): TLS with a certificate
/// from a CA made for the run, one account (`mailer` / `secret`), and every accepted message kept
/// whole as a file. It can be stopped and started again on the same port (an outage).
final class SMTPTestServer: @unchecked Sendable {
    enum Security: String { case startTLS = "starttls", implicitTLS = "implicit" }

    let security: Security
    let port: Int
    let folder: String
    /// Drop the connection after the first this-many messages' data, before answering.
    let dropFirst: Int
    private var process: Process?

    static let user = "mailer", password = "secret"

    var maildir: String { folder + "/mail" }
    var caFile: String { folder + "/certs/ca.pem" }
    var mailbox: TestMailbox { TestMailbox(folder: maildir) }

    init(_ security: Security, dropFirst: Int = 0) throws {
        self.security = security
        self.dropFirst = dropFirst
        port = try Self.freePort()
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("inyeon-smtp-\(UUID())").path
    }

    /// The service's settings for this server: SMTP_URL with the given password, the run's CA.
    func settings(password: String = SMTPTestServer.password, trusted: Bool = true) -> [String: String] {
        let scheme = security == .implicitTLS ? "smtps" : "smtp"
        var settings = ["SMTP_URL": "\(scheme)://\(Self.user):\(password)@localhost:\(port)", "SMTP_TIMEOUT": "5s"]
        if trusted { settings["SMTP_CA_FILE"] = caFile }
        return settings
    }

    func start() async throws {
        let ready = folder + "/ready-\(UUID())"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/smtp_server.py").path
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [
            "python3", script, "--port", String(port), "--tls", security.rawValue, "--certs", folder + "/certs", "--user", Self.user,
            "--password", Self.password, "--maildir", maildir, "--drop-first", String(dropFirst), "--ready", ready,
        ]
        process.standardOutput = FileHandle(forWritingAtPath: "/dev/null")
        let errors = Pipe()
        process.standardError = errors
        try process.run()
        self.process = process
        let deadline = Date().addingTimeInterval(30)
        while !FileManager.default.fileExists(atPath: ready) {
            guard process.isRunning else {
                let output = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
                throw TestSetupError("the SMTP test server did not start (is aiosmtpd installed? `make test` installs it): \(output)")
            }
            guard Date() < deadline else { throw TestSetupError("the SMTP test server did not start within 30 s") }
            try await Task.sleep(for: .milliseconds(50))
        }
    }

    func stop() {
        guard let process, process.isRunning else { return }
        process.terminate()
        process.waitUntilExit()
        self.process = nil
    }

    deinit {
        stop()
        try? FileManager.default.removeItem(atPath: folder)
    }

    static func freePort() throws -> Int {
        let channel = try ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton).bind(host: "127.0.0.1", port: 0).wait()
        defer { try? channel.close().wait() }
        guard let port = channel.localAddress?.port else { throw TestSetupError("no free port") }
        return port
    }
}
