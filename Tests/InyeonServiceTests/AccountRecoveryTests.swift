import Foundation
import Hummingbird
import HummingbirdTesting
@testable import InyeonService
import PostgresNIO
import Testing

/// A way back into one's account, through HTTP with real PostgreSQL and the mail outbox: password
/// reset by code and by link, its tries, expiry and limits, the same answer for unknown addresses,
/// and sign-up confirmation by six-digit code with "send it again".
@Suite struct AccountRecoveryTests {
    static let password = "a calm morning walk"
    static let newPassword = "river stones at dusk"

    /// What follows `prefix` on a line of the newest mail to `email` (waiting for it).
    static func line(_ prefix: String, inNewestMailTo email: String, _ accounts: AccountHelper, atLeast count: Int = 1) async throws -> String {
        let mails = try await accounts.mails(to: email, atLeast: count)
        guard let line = mails.last?.split(separator: "\n").first(where: { $0.hasPrefix(prefix) }) else {
            throw TestSetupError("no line \(prefix) in the newest mail to \(email)")
        }
        return String(line.dropFirst(prefix.count))
    }

    static func resetCode(_ email: String, _ accounts: AccountHelper, atLeast count: Int) async throws -> String {
        try await line("재설정 코드: ", inNewestMailTo: email, accounts, atLeast: count)
    }

    @Test func aForgottenPasswordIsResetByCodeEndingEverySessionAndSigningIn() async throws {
        try await withAccounts { accounts in
            let email = AccountHelper.uniqueEmail("reset")
            let tokens = try await accounts.signUp(email: email, password: Self.password)
            let other = try await accounts.login(email: email, password: Self.password)
            let otherAccess = try #require(try JSONBody(other)["data.accessToken"] as? String)

            let asked = try await accounts.post("/api/auth/password-reset", ["email": email])
            #expect(asked.status == .accepted)
            let code = try await Self.resetCode(email, accounts, atLeast: 2)
            #expect(code.count == 6 && code.allSatisfy(\.isNumber))

            // A wrong code, and a weak new password, change nothing.
            let wrong = String(format: "%06d", (Int(code)! + 1) % 1_000_000)
            let refused = try await accounts.post("/api/auth/password-reset/confirm", ["email": email, "code": wrong, "newPassword": Self.newPassword])
            #expect(try refused.status == .badRequest && (JSONBody(refused)["code"] as? String) == "INVALID_RESET_CODE")
            let weak = try await accounts.post("/api/auth/password-reset/confirm", ["email": email, "code": code, "newPassword": "password123"])
            #expect(try weak.status == .badRequest && (JSONBody(weak)["code"] as? String) == "WEAK_PASSWORD")
            #expect(try await accounts.get("/api/auth/sessions", token: tokens.access).status == .ok)

            // Typed as people type it: with a space in the middle.
            let spaced = String(code.prefix(3)) + " " + String(code.suffix(3))
            let reset = try await accounts.post("/api/auth/password-reset/confirm", ["email": email, "code": spaced, "newPassword": Self.newPassword])
            #expect(reset.status == .ok)
            let signedIn = try #require(try JSONBody(reset)["data.tokens.accessToken"] as? String)
            #expect(try await accounts.get("/api/auth/sessions", token: signedIn).status == .ok, "signed in")
            // Every earlier session ended, on every device.
            #expect(try await accounts.get("/api/auth/sessions", token: tokens.access).status == .unauthorized)
            #expect(try await accounts.get("/api/auth/sessions", token: otherAccess).status == .unauthorized)
            #expect(try await accounts.post("/api/auth/refresh", ["refreshToken": tokens.refresh]).status == .unauthorized)
            // The old password is gone, the new one works, the code is spent.
            #expect(try await accounts.login(email: email, password: Self.password).status == .unauthorized)
            #expect(try await accounts.login(email: email, password: Self.newPassword).status == .ok)
            let again = try await accounts.post("/api/auth/password-reset/confirm", ["email": email, "code": code, "newPassword": "another long passphrase"])
            #expect(again.status == .badRequest)
            // "Your password was changed", and the audit log has it.
            let changed = try await accounts.mails(to: email, atLeast: 3).last ?? ""
            #expect(changed.contains("비밀번호가 새로 정해졌고, 모든 기기에서 로그아웃되었습니다"))
            let audited = try await SessionEndTests.asSystem { connection in
                try await connection.query(
                    "SELECT count(*)::int FROM audit_log WHERE action = 'account.password_reset' AND target_id = \(tokens.userID)",
                    logger: TestDatabase.logger
                ).decode(Int.self).reduce(0, +)
            }
            #expect(audited == 1)
        }
    }

    @Test func theMailsLinkWorksOnceAndTheCodeLastsFifteenMinutes() async throws {
        try await withAccounts { accounts in
            let email = AccountHelper.uniqueEmail("link")
            let tokens = try await accounts.signUp(email: email, password: Self.password)
            #expect(try await accounts.post("/api/auth/password-reset", ["email": email]).status == .accepted)
            let mail = try await accounts.mails(to: email, atLeast: 2).last ?? ""
            let link = try #require(mail.split(separator: "\n").first { $0.contains("/password-reset?token=") })
            let token = String(link.split(separator: "token=").last!)
            let lifetime = try await SessionEndTests.asSystem { connection in
                try await connection.query(
                    "SELECT extract(epoch FROM expires_at - created_at)::int FROM password_resets WHERE user_id = \(UUID(uuidString: tokens.userID)!)",
                    logger: TestDatabase.logger
                ).decode(Int.self).reduce(0, +)
            }
            #expect(lifetime == 15 * 60)
            let first = try await accounts.post("/api/auth/password-reset/confirm", ["token": token, "newPassword": Self.newPassword])
            #expect(first.status == .ok)
            let second = try await accounts.post("/api/auth/password-reset/confirm", ["token": token, "newPassword": "another long passphrase"])
            #expect(second.status == .badRequest, "single use")

            // A code past its 15 minutes no longer works.
            #expect(try await accounts.post("/api/auth/password-reset", ["email": email]).status == .accepted)
            let code = try await Self.resetCode(email, accounts, atLeast: 4)
            try await SessionEndTests.asSystem { connection in
                try await connection.query(
                    "UPDATE password_resets SET expires_at = now() - interval '1 second' WHERE user_id = \(UUID(uuidString: tokens.userID)!) AND used_at IS NULL",
                    logger: TestDatabase.logger
                )
            }
            let late = try await accounts.post("/api/auth/password-reset/confirm", ["email": email, "code": code, "newPassword": "another long passphrase"])
            #expect(try late.status == .badRequest && (JSONBody(late)["code"] as? String) == "INVALID_RESET_CODE")
        }
    }

    @Test func fiveWrongCodesSpendTheCodeAndRequestsAreLimited() async throws {
        try await withAccounts(["RESETS_PER_EMAIL_PER_HOUR": "2"]) { accounts in
            let email = AccountHelper.uniqueEmail("tries")
            _ = try await accounts.signUp(email: email, password: Self.password)
            #expect(try await accounts.post("/api/auth/password-reset", ["email": email], address: "203.0.113.7").status == .accepted)
            let code = try await Self.resetCode(email, accounts, atLeast: 2)
            for wrong in 1...5 {
                let guess = String(format: "%06d", (Int(code)! + wrong) % 1_000_000)
                #expect(try await accounts.post("/api/auth/password-reset/confirm", ["email": email, "code": guess, "newPassword": Self.newPassword]).status == .badRequest)
            }
            let right = try await accounts.post("/api/auth/password-reset/confirm", ["email": email, "code": code, "newPassword": Self.newPassword])
            #expect(right.status == .badRequest, "after five wrong tries the right code no longer works")
            #expect(try await accounts.login(email: email, password: Self.password).status == .ok, "nothing changed")
            // Per e-mail address (spelled otherwise, the same mailbox), whatever the client address.
            #expect(try await accounts.post("/api/auth/password-reset", ["email": email.uppercased()], address: "203.0.113.8").status == .accepted)
            let limited = try await accounts.post("/api/auth/password-reset", ["email": email], address: "203.0.113.9")
            #expect(limited.status == .tooManyRequests && limited.headers[.retryAfter] != nil)
        }
    }

    /// Only one code works at a time, so five tries bound the guesses: a second request spends the
    /// first code (a reset) or voids it (a sign-up), and wrong guesses cannot be spread over several.
    @Test func onlyTheNewestCodeWorksSoTriesCannotBeSpreadOverSeveral() async throws {
        try await withAccounts { accounts in
            let email = AccountHelper.uniqueEmail("newest")
            _ = try await accounts.signUp(email: email, password: Self.password)
            #expect(try await accounts.post("/api/auth/password-reset", ["email": email]).status == .accepted)
            let first = try await Self.resetCode(email, accounts, atLeast: 2)
            #expect(try await accounts.post("/api/auth/password-reset", ["email": email]).status == .accepted)
            let second = try await Self.resetCode(email, accounts, atLeast: 3)
            if first != second {
                let old = try await accounts.post("/api/auth/password-reset/confirm", ["email": email, "code": first, "newPassword": Self.newPassword])
                #expect(old.status == .badRequest, "the earlier reset is spent")
            }
            #expect(try await accounts.post("/api/auth/password-reset/confirm", ["email": email, "code": second, "newPassword": Self.newPassword]).status == .ok)

            // Two sign-ups for one address: the first one's code stops working.
            let other = AccountHelper.uniqueEmail("twice")
            let request: [String: Any] = ["email": other, "password": Self.password, "name": "김정숙", "consents": ["terms": true, "privacy": true]]
            #expect(try await accounts.post("/api/auth/signup", request).status == .accepted)
            let one = try await Self.line("확인 코드: ", inNewestMailTo: other, accounts)
            #expect(try await accounts.post("/api/auth/signup", request).status == .accepted)
            let two = try await Self.line("확인 코드: ", inNewestMailTo: other, accounts, atLeast: 2)
            if one != two {
                #expect(try await accounts.post("/api/auth/verify-email", ["email": other, "code": one]).status == .badRequest)
            }
            #expect(try await accounts.post("/api/auth/verify-email", ["email": other, "code": two]).status == .created)
        }
    }

    @Test func codeChecksAreLimitedPerClientAddress() async throws {
        try await withAccounts(["CODE_CHECKS_PER_ADDRESS_PER_HOUR": "3"]) { accounts in
            let address = "203.0.113.\(Int.random(in: 1...254))"
            for _ in 0..<3 {
                let wrong = try await accounts.post("/api/auth/verify-email", ["email": AccountHelper.uniqueEmail("guess"), "code": "123456"], address: address)
                #expect(wrong.status == .badRequest)
            }
            let limited = try await accounts.post("/api/auth/password-reset/confirm", ["email": AccountHelper.uniqueEmail("guess"), "code": "123456", "newPassword": Self.newPassword], address: address)
            #expect(limited.status == .tooManyRequests && limited.headers[.retryAfter] != nil)
        }
    }

    /// The same answer, after the same work, whether or not the address is registered: the body is
    /// the same but for the address it echoes, and the time is the same within the noise.
    @Test func knownAndUnknownAddressesGetTheSameAnswerInTheSameTime() async throws {
        try await withAccounts { accounts in
            let knownEmails = (0..<6).map { _ in AccountHelper.uniqueEmail("known") }
            for email in knownEmails { _ = try await accounts.signUp(email: email, password: Self.password) }
            let unknownEmails = (0..<6).map { _ in AccountHelper.uniqueEmail("nobody") }
            var timings: [String: [Double]] = ["known": [], "unknown": []]
            var bodies: Set<String> = []
            for (knownEmail, unknownEmail) in zip(knownEmails, unknownEmails) {
                for (kind, email) in [("known", knownEmail), ("unknown", unknownEmail)] {
                    let started = ContinuousClock.now
                    let response = try await accounts.post("/api/auth/password-reset", ["email": email], address: "198.51.100.\(Int.random(in: 1...254))")
                    let elapsed = ContinuousClock.now - started
                    timings[kind]!.append(Double(elapsed.components.attoseconds) / 1e15 + Double(elapsed.components.seconds) * 1000)
                    #expect(response.status == .accepted)
                    bodies.insert(String(buffer: response.body).replacingOccurrences(of: email, with: "EMAIL"))
                }
            }
            #expect(bodies.count == 1, "one answer: \(bodies)")
            func median(_ values: [Double]) -> Double { values.sorted()[values.count / 2] }
            let (knownTime, unknownTime) = (median(timings["known"]!), median(timings["unknown"]!))
            #expect(abs(knownTime - unknownTime) < max(20, 0.5 * min(knownTime, unknownTime)), "known \(knownTime) ms, unknown \(unknownTime) ms")
            // The unknown address is told, in its own mailbox, that it has no account.
            let told = try await accounts.mails(to: unknownEmails[0], atLeast: 1)
            #expect(told[0].contains("이 주소로 가입된 계정이 없습니다"))
        }
    }

    @Test func aSignUpIsConfirmedByItsSixDigitCodeWithFiveTriesAndANewCodeOnRequest() async throws {
        try await withAccounts { accounts in
            let email = AccountHelper.uniqueEmail("code")
            let request: [String: Any] = ["email": email, "password": Self.password, "name": "김정숙", "consents": ["terms": true, "privacy": true]]
            #expect(try await accounts.post("/api/auth/signup", request).status == .accepted)
            let first = try await Self.line("확인 코드: ", inNewestMailTo: email, accounts)
            #expect(first.count == 6 && first.allSatisfy(\.isNumber))
            for wrong in 1...5 {
                let guess = String(format: "%06d", (Int(first)! + wrong) % 1_000_000)
                let refused = try await accounts.post("/api/auth/verify-email", ["email": email, "code": guess])
                let code = try JSONBody(refused)["code"] as? String
                // The same answer every time: it never says whether a sign-up is waiting or how many tries are left.
                #expect(refused.status == .badRequest && code == "INVALID_CODE")
            }
            // Only the holder of the right code learns it is spent.
            let spent = try await accounts.post("/api/auth/verify-email", ["email": email, "code": first])
            #expect(try (JSONBody(spent)["code"] as? String) == "CODE_TRIES_USED_UP")
            // "Send it again": a new code works, the old one no longer does.
            #expect(try await accounts.post("/api/auth/verify-email/resend", ["email": email]).status == .accepted)
            let second = try await Self.line("확인 코드: ", inNewestMailTo: email, accounts, atLeast: 2)
            #expect(try await accounts.post("/api/auth/verify-email", ["email": email, "code": first]).status == .badRequest)
            let created = try await accounts.post("/api/auth/verify-email", ["email": email, "code": second])
            #expect(created.status == .created)
            // The same code again: the account exists, so log in.
            let twice = try await accounts.post("/api/auth/verify-email", ["email": email, "code": second])
            #expect(try twice.status == .conflict && (JSONBody(twice)["code"] as? String) == "ALREADY_CONFIRMED")
            #expect(try await accounts.login(email: email, password: Self.password).status == .ok)
        }
    }

    @Test func anExpiredCodeBringsANewOneAndAUsedLinkSaysLogIn() async throws {
        try await withAccounts { accounts in
            let email = AccountHelper.uniqueEmail("expired")
            let request: [String: Any] = ["email": email, "password": Self.password, "name": "박영수", "consents": ["terms": true, "privacy": true]]
            #expect(try await accounts.post("/api/auth/signup", request).status == .accepted)
            let old = try await Self.line("확인 코드: ", inNewestMailTo: email, accounts)
            try await SessionEndTests.asSystem { connection in
                try await connection.query(
                    "UPDATE pending_signups SET expires_at = now() - interval '1 second' WHERE lower(email) = lower(\(email))", logger: TestDatabase.logger
                )
            }
            let expired = try await accounts.post("/api/auth/verify-email", ["email": email, "code": old])
            #expect(try expired.status == .gone && (JSONBody(expired)["code"] as? String) == "CODE_EXPIRED")
            let mail = try await accounts.mails(to: email, atLeast: 2).last ?? ""
            let link = try #require(mail.split(separator: "\n").first { $0.contains("/verify-email?token=") })
            let token = String(link.split(separator: "token=").last!)
            #expect(try await accounts.post("/api/auth/verify-email", ["token": token]).status == .created)
            let reused = try await accounts.post("/api/auth/verify-email", ["token": token])
            #expect(try reused.status == .conflict && (JSONBody(reused)["code"] as? String) == "ALREADY_CONFIRMED")
            #expect(try (JSONBody(reused)["error"] as? String)?.contains("로그인해 주세요") == true)
            // A link nobody was sent says what to do instead of "start again".
            let unknown = try await accounts.post("/api/auth/verify-email", ["token": "not-a-real-token"])
            #expect(try unknown.status == .badRequest && (JSONBody(unknown)["error"] as? String)?.contains("새 코드를 받아") == true)
        }
    }

    /// After five wrong passwords the login page says, in plain words, how long to wait, and offers
    /// the way back in; it is not a generic fault page.
    @Test func theLoginPageSaysHowLongToWaitAfterFiveWrongPasswords() async throws {
        try await withAccounts { accounts in
            let email = AccountHelper.uniqueEmail("wait")
            _ = try await accounts.signUp(email: email, password: Self.password)
            // An address of its own: the failures count against it, and must not slow other tests' logins.
            let browser = WebPageTests.Browser(accounts.client, forwardedFor: "198.51.100.\(Int.random(in: 1...254))")
            _ = try await browser.get("/login")
            var last: TestResponse?
            for _ in 1...6 {
                last = try await browser.post("/login", [("_csrf", browser.csrf), ("email", email), ("password", "not the password at all")])
            }
            let page = try #require(last)
            #expect(page.status == .tooManyRequests && page.headers[.retryAfter] != nil)
            #expect(page.text.contains(#"id="login-error""#) && page.text.contains("분 뒤에 다시 로그인해 주세요"))
            #expect(page.text.contains(#"href="/password-reset""#), "and the way back in")
            #expect(page.text.contains(email), "what was typed is kept")
        }
    }

    /// The pages: "forgot password" on the login page, the address, the code and a new password,
    /// then signed in with cookies only.
    @Test func theForgottenPasswordPagesLeadBackIn() async throws {
        let outbox = AccountHelper.outboxDirectory()
        defer { try? FileManager.default.removeItem(atPath: outbox) }
        try await withApp(["MAIL_OUTBOX_DIR": outbox], testing: .live) { client in
            let accounts = AccountHelper(client: client, outbox: outbox)
            let email = AccountHelper.uniqueEmail("pages")
            _ = try await accounts.signUp(email: email, password: Self.password)
            let browser = WebPageTests.Browser(client)
            let login = try await browser.get("/login")
            #expect(login.text.contains(#"href="/password-reset""#))
            #expect(try await browser.get("/password-reset").text.contains(#"action="/password-reset""#))
            let sent = try await browser.post("/password-reset", [("_csrf", browser.csrf), ("email", email)])
            #expect(sent.status == .ok && sent.text.contains(#"action="/password-reset/confirm""#) && sent.text.contains(#"id="code""#))
            let code = try await Self.resetCode(email, accounts, atLeast: 2)
            let wrong = try await browser.post("/password-reset/confirm", [
                ("_csrf", browser.csrf), ("email", email), ("code", "000000" == code ? "111111" : "000000"), ("newPassword", Self.newPassword),
            ])
            #expect(wrong.status == .badRequest && wrong.text.contains(#"id="reset-error""#) && wrong.text.contains(#"aria-invalid="true""#))
            let done = try await browser.post("/password-reset/confirm", [
                ("_csrf", browser.csrf), ("email", email), ("code", code), ("newPassword", Self.newPassword),
            ])
            #expect(done.status == .seeOther && done.headers[.location] == "/home")
            #expect(browser.cookies["inyeon_at"] != nil)
            #expect(try await browser.get("/home").status == .ok)
        }
    }
}
