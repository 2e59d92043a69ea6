import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

/// The actions that cost someone else (a mail, a moderator's time, the partner's socket, a password
/// guess) have a limit: past it, 429 with `Retry-After` in the envelope.
@Suite struct AbuseLimitTests {
    /// An address of the documentation range, new for each run (the counts live in PostgreSQL).
    static func freshAddress() -> String { "2001:db8::\(String(UInt16.random(in: 1...UInt16.max), radix: 16)):\(String(UInt16.random(in: 1...UInt16.max), radix: 16))" }

    static func signUpRequest(_ email: String) -> [String: Any] {
        ["email": email, "password": "a calm morning walk", "name": "시험 회원", "consents": ["terms": true, "privacy": true]]
    }

    static func expectLimited(_ response: TestResponse, code: String = "TOO_MANY_REQUESTS", sourceLocation: SourceLocation = #_sourceLocation) throws {
        #expect(response.status == .tooManyRequests, "\(response.status) \(response.text)", sourceLocation: sourceLocation)
        #expect(Int(response.headers[.retryAfter] ?? "") ?? 0 > 0, sourceLocation: sourceLocation)
        let body = try JSONBody(response)
        #expect(body["success"] as? Bool == false && body["code"] as? String == code, sourceLocation: sourceLocation)
    }

    @Test func signUpsForOneEmailAddressAreLimitedAndSendNoMoreMail() async throws {
        try await withAccounts { accounts in
            let email = AccountHelper.uniqueEmail("flood")
            for _ in 0..<3 {
                #expect(try await accounts.post("/api/auth/signup", Self.signUpRequest(email), address: Self.freshAddress()).status == .accepted)
            }
            try Self.expectLimited(try await accounts.post("/api/auth/signup", Self.signUpRequest(email), address: Self.freshAddress()))
            // Spelled otherwise, it is the same mailbox.
            try Self.expectLimited(try await accounts.post("/api/auth/signup", Self.signUpRequest(email.uppercased()), address: Self.freshAddress()))
            // Three mails went out (the worker delivers them after the requests), and no fourth comes.
            #expect(try await accounts.mails(to: email, atLeast: 3).count == 3)
            try await Task.sleep(for: .milliseconds(500))
            #expect(try TestMailbox(folder: accounts.outbox).mailsNow(to: email).count == 3)
        }
    }

    @Test func signUpsFromOneAddressAreLimitedOnTheAPIAndThePages() async throws {
        try await withAccounts(["SIGNUPS_PER_ADDRESS_PER_HOUR": "2"]) { accounts in
            let address = Self.freshAddress()
            for _ in 0..<2 {
                let response = try await accounts.post("/api/auth/signup", Self.signUpRequest(AccountHelper.uniqueEmail("addr")), address: address)
                #expect(response.status == .accepted)
            }
            try Self.expectLimited(try await accounts.post("/api/auth/signup", Self.signUpRequest(AccountHelper.uniqueEmail("addr")), address: address))
            // The sign-up page from the same address: the same limit, as a plain page.
            let browser = WebPageTests.Browser(accounts.client)
            _ = try await browser.get("/signup")
            let body = [("_csrf", browser.csrf), ("name", "김정숙"), ("email", AccountHelper.uniqueEmail("addr")), ("password", "a calm morning walk"), ("marketing", "0")]
                .map { "\($0.0)=\($0.1.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "")" }.joined(separator: "&")
            let page = try await accounts.client.execute(
                uri: "/signup/account", method: .post,
                headers: [.contentType: "application/x-www-form-urlencoded", .cookie: browser.cookieHeader, .init("X-Forwarded-For")!: address],
                body: ByteBuffer(string: body)
            )
            #expect(page.status == .tooManyRequests && page.headers[.contentType] == "text/html; charset=utf-8")
            #expect(Int(page.headers[.retryAfter] ?? "") ?? 0 > 0)
            // Another address is not held up.
            #expect(try await accounts.post("/api/auth/signup", Self.signUpRequest(AccountHelper.uniqueEmail("addr")), address: Self.freshAddress()).status == .accepted)
        }
    }

    @Test func reportsAndReadReceiptsAreLimitedPerPerson() async throws {
        try await withLiveAccounts(["REPORTS_PER_PERSON_PER_HOUR": "2", "READ_RECEIPTS_PER_MINUTE": "3"]) { accounts, port in
            let pair = try await ChatPair.make(accounts)
            let report = "/api/conversations/\(pair.conversation)/report"
            for _ in 0..<2 {
                #expect(try await accounts.post(report, ["reason": "돈을 요구합니다"], token: pair.first.token).status == .created)
            }
            try Self.expectLimited(try await accounts.post(report, ["reason": "돈을 요구합니다"], token: pair.first.token))
            // The other person's reports are their own.
            #expect(try await accounts.post(report, ["reason": "무례합니다"], token: pair.second.token).status == .created)

            let read = "/api/conversations/\(pair.conversation)/read"
            for _ in 0..<3 {
                let response = try await accounts.post(read, ["sequence": 0], token: pair.first.token)
                #expect(response.status == .ok, "\(response.text)")
            }
            try Self.expectLimited(try await accounts.post(read, ["sequence": 0], token: pair.first.token))
            #expect(try await accounts.post(read, ["sequence": 0], token: pair.second.token).status == .ok)
            // The socket shares the limit, and says so clearly (not "try again", which would not help).
            let socket = try await ChatTestSocket.open(port: port, conversation: pair.conversation, ticket: try await accounts.ticket(for: pair.first))
            try socket.send(["type": "read", "sequence": 0])
            #expect(try await socket.next("error")?["code"] as? String == "TOO_MANY_REQUESTS")
            await socket.close()
        }
    }

    @Test func feedbackIsLimitedPerPerson() async throws {
        try await withAccounts(["FEEDBACK_PER_PERSON_PER_HOUR": "2"]) { accounts in
            let email = AccountHelper.uniqueEmail("feedback")
            _ = try await accounts.signUp(email: email)
            let browser = WebPageTests.Browser(accounts.client)
            _ = try await browser.get("/login")
            _ = try await browser.post("/login", [("_csrf", browser.csrf), ("email", email), ("password", "a calm morning walk")])
            for _ in 0..<2 {
                let sent = try await browser.post("/feedback", [("_csrf", browser.csrf), ("topic", "service"), ("rating", "4"), ("comment", "좋아요")])
                #expect(sent.status == .seeOther)
            }
            let limited = try await browser.post("/feedback", [("_csrf", browser.csrf), ("topic", "service"), ("rating", "4"), ("comment", "좋아요")])
            #expect(limited.status == .tooManyRequests && limited.headers[.contentType] == "text/html; charset=utf-8")
            #expect(Int(limited.headers[.retryAfter] ?? "") ?? 0 > 0 && limited.text.contains("요청이 너무 많습니다"))
        }
    }

    @Test func wrongPasswordsOnChangeAndDeleteCountLikeFailedLogins() async throws {
        try await withAccounts { accounts in
            let email = AccountHelper.uniqueEmail("guess")
            let tokens = try await accounts.signUp(email: email)
            let address = Self.freshAddress()
            for attempt in 0..<5 {
                let response = try await accounts.post(
                    "/api/auth/password", ["currentPassword": "guess number \(attempt)", "newPassword": "a brand new phrase"], token: tokens.access, address: address
                )
                #expect(response.status == .badRequest)
                #expect(try JSONBody(response)["code"] as? String == "WRONG_PASSWORD")
            }
            // Past the login limit even the right password waits, on both checks.
            try Self.expectLimited(
                try await accounts.post(
                    "/api/auth/password", ["currentPassword": "a calm morning walk", "newPassword": "a brand new phrase"], token: tokens.access, address: address
                ),
                code: "TOO_MANY_ATTEMPTS"
            )
            let delete = try await accounts.client.execute(
                uri: "/api/me", method: .delete,
                headers: [.authorization: "Bearer \(tokens.access)", .contentType: "application/json", .init("X-Forwarded-For")!: address],
                body: accounts.json(["password": "a calm morning walk"])
            )
            try Self.expectLimited(delete, code: "TOO_MANY_ATTEMPTS")
            // And logging in from that address counts the same failures.
            #expect(try await accounts.login(email: email, password: "a calm morning walk", address: address).status == .tooManyRequests)
            // The owner elsewhere is not locked out.
            #expect(try await accounts.login(email: email, password: "a calm morning walk", address: Self.freshAddress()).status == .ok)
        }
    }
}
