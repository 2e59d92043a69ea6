import Foundation
import Hummingbird
import HummingbirdTesting
import InyeonService
import Testing

/// Sign-up and sign-in through the real HTTP API, reading the confirmation e-mail from the outbox folder.
struct AccountHelper {
    let client: any TestClientProtocol
    let outbox: String

    static func outboxDirectory() -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("inyeon-outbox-\(UUID())").path
    }

    struct Tokens {
        var userID: String
        var access: String
        var refresh: String
        var session: String
    }

    static func uniqueEmail(_ prefix: String = "member") -> String {
        "\(prefix)-\(UUID().uuidString.prefix(8).lowercased())@example.org"
    }

    func json(_ object: [String: Any]) -> ByteBuffer {
        ByteBuffer(string: String(decoding: try! JSONSerialization.data(withJSONObject: object), as: UTF8.self))
    }

    func post(_ uri: String, _ body: [String: Any], token: String? = nil, address: String? = nil) async throws -> TestResponse {
        var headers: HTTPFields = [.contentType: "application/json"]
        if let token { headers[.authorization] = "Bearer \(token)" }
        if let address { headers[.init("X-Forwarded-For")!] = address }
        return try await client.execute(uri: uri, method: .post, headers: headers, body: json(body))
    }

    func get(_ uri: String, token: String?) async throws -> TestResponse {
        var headers: HTTPFields = [:]
        if let token { headers[.authorization] = "Bearer \(token)" }
        return try await client.execute(uri: uri, method: .get, headers: headers)
    }

    /// The newest e-mail to `address` in the outbox folder, as text with LF line ends, waiting for
    /// the delivery worker (mail is written to the outbox with the request and delivered after it).
    func mail(to address: String) async throws -> String {
        guard let newest = try await mails(to: address, atLeast: 1).last else { throw TestSetupError("no mail to \(address)") }
        return newest
    }

    /// Every e-mail to `address` in the outbox folder, oldest first, once there are at least `count`
    /// (waiting up to 10 seconds for them).
    func mails(to address: String, atLeast count: Int) async throws -> [String] {
        try await TestMailbox(folder: outbox).mails(to: address, atLeast: count)
    }

    func signUp(email: String = uniqueEmail(), password: String = "a calm morning walk") async throws -> Tokens {
        let response = try await post(
            "/api/auth/signup", ["email": email, "password": password, "name": "시험 회원", "consents": ["terms": true, "privacy": true]]
        )
        #expect(response.status == .accepted)
        let mail = try await mail(to: email)
        guard let line = mail.split(separator: "\n").first(where: { $0.hasPrefix("확인 코드: ") }) else {
            throw TestSetupError("no confirmation code in \(mail)")
        }
        let code = String(line.dropFirst("확인 코드: ".count))
        let verified = try await post("/api/auth/verify-email", ["email": email, "code": code])
        #expect(verified.status == .created)
        let body = try JSONBody(verified)
        return Tokens(
            userID: body["data.userId"] as! String, access: body["data.tokens.accessToken"] as! String,
            refresh: body["data.tokens.refreshToken"] as! String, session: body["data.tokens.sessionId"] as! String
        )
    }

    func login(email: String, password: String, address: String? = nil) async throws -> TestResponse {
        try await post("/api/auth/login", ["email": email, "password": password], address: address)
    }
}

/// Runs `test` against the app with accounts wired to a fresh outbox, served on a real port: the
/// client's address comes from a real socket, so the tests speak as the trusted proxy on 127.0.0.1
/// that names the client in `X-Forwarded-For` (in-process requests have no peer to trust).
/// Two calls given the same `outbox` are two instances of the service that share the people they sign up.
func withAccounts(
    _ overrides: [String: String] = [:],
    outbox: String = AccountHelper.outboxDirectory(),
    _ test: @Sendable @escaping (AccountHelper) async throws -> Void
) async throws {
    defer { try? FileManager.default.removeItem(atPath: outbox) }
    let configuration = try TestDatabase.configuration(overrides.merging(["MAIL_OUTBOX_DIR": outbox, "TRUST_PROXY": "true"]) { $1 })
    let app = try await buildApplication(configuration: configuration, logger: TestDatabase.logger)
    try await app.test(.live) { client in
        try await test(AccountHelper(client: client, outbox: outbox))
    }
}
