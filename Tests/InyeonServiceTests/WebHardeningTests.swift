import Foundation
import Hummingbird
import HummingbirdTesting
import Testing
@testable import InyeonService

/// The pages against the assessment's findings: where login may send the browser, the e-mail link
/// that must not sign anyone in by itself, throttled logins and stray NULs as plain pages (never a
/// 500), and the form token's cookie.
@Suite struct WebHardeningTests {
    typealias Browser = WebPageTests.Browser

    @Test func loginFollowsOnlyPathsOfThisSite() async throws {
        for target in ["/\t/evil.example", "/%09/evil.example", "/\n/evil.example", "/ /evil.example", "/\\evil.example", "//evil.example",
                       "/%2F/evil.example", "/%5Cevil.example", "https://evil.example", "/.//evil.example", "/../evil", "/%2e%2e/evil",
                       "/settings\r\nSet-Cookie: x=1", ""] {
            #expect(LoginPages.safeNext(target) == "/home", "\(target.debugDescription)")
        }
        for target in ["/settings", "/chat/5f0c7b5e-0000-4000-8000-000000000000", "/login?next=/home", "/matches?blocked=1"] {
            #expect(LoginPages.safeNext(target) == target)
        }
        try await withAccounts { accounts in
            let email = AccountHelper.uniqueEmail("redirect")
            _ = try await accounts.signUp(email: email)
            let browser = Browser(accounts.client)
            _ = try await browser.get("/login")
            let right = try await browser.post(
                "/login", [("_csrf", browser.csrf), ("email", email), ("password", "a calm morning walk"), ("next", "/\t/evil.example")]
            )
            #expect(right.status == .seeOther && right.headers[.location] == "/home")
        }
    }

    @Test func theMailLinkShowsAButtonAndSignsInOnlyWhenItIsPressed() async throws {
        let outbox = AccountHelper.outboxDirectory()
        defer { try? FileManager.default.removeItem(atPath: outbox) }
        try await withAccounts(["MAIL_OUTBOX_DIR": outbox]) { accounts in
            let email = AccountHelper.uniqueEmail("link")
            let asked = try await accounts.post(
                "/api/auth/signup", ["email": email, "password": "a calm morning walk", "name": "링크 회원", "consents": ["terms": true, "privacy": true]]
            )
            #expect(asked.status == .accepted)
            let mail = try await accounts.mail(to: email)
            let link = try #require(mail.split(separator: "\n").first { $0.contains("/verify-email?token=") })
            let path = String(link[link.range(of: "/verify-email")!.lowerBound...])
            let token = String(path.dropFirst("/verify-email?token=".count))
            let browser = Browser(accounts.client)
            let shown = try await browser.get(path)
            #expect(shown.status == .ok, "the link only shows the page")
            #expect(shown.headers[values: .setCookie].allSatisfy { !$0.hasPrefix("inyeon_at=") && !$0.hasPrefix("inyeon_rt=") })
            #expect(shown.text.contains(#"action="/signup/verify""#) && shown.text.contains(#"value="\#(token)""#))
            // Without the form token, pressing from elsewhere does nothing.
            let forged = try await Browser(accounts.client).post("/signup/verify", [("token", token)])
            #expect(forged.status == .forbidden)
            let before = browser.csrf
            let pressed = try await browser.post("/signup/verify", [("_csrf", browser.csrf), ("token", token)])
            #expect(pressed.status == .seeOther && pressed.headers[.location] == "/home")
            #expect(browser.cookies["inyeon_at"] != nil)
            #expect(!browser.csrf.isEmpty && browser.csrf != before, "a new form token at sign-up")
        }
    }

    @Test func aThrottledLoginIsTheLoginPageWith429AndAPlainMessage() async throws {
        try await withAccounts { accounts in
            let email = AccountHelper.uniqueEmail("throttled")
            _ = try await accounts.signUp(email: email)
            let browser = Browser(accounts.client)
            _ = try await browser.get("/login")
            for _ in 0..<5 {
                let wrong = try await browser.post("/login", [("_csrf", browser.csrf), ("email", email), ("password", "not the password")])
                #expect(wrong.status == .unauthorized)
            }
            let throttled = try await browser.post("/login", [("_csrf", browser.csrf), ("email", email), ("password", "not the password")])
            #expect(throttled.status == .tooManyRequests)
            #expect(Int(throttled.headers[.retryAfter] ?? "") ?? 0 > 0)
            #expect(throttled.headers[.contentType] == "text/html; charset=utf-8")
            #expect(throttled.text.contains("로그인 시도가 너무 많아") && throttled.text.contains(#"id="login-error""#))
            #expect(throttled.text.contains(email), "what was typed is kept")
        }
    }

    @Test func aNULInAnyFormFieldIsAPlain400() async throws {
        try await withAccounts { accounts in
            let member = try await accounts.signUp()
            _ = member
            let browser = Browser(accounts.client)
            _ = try await browser.get("/signup")
            let pages = ["/signup", "/signup/account", "/signup/verify", "/login", "/logout", "/settings", "/settings/delete", "/feedback",
                         "/profile", "/assessment/1", "/recommendations/decide", "/chat/5f0c7b5e-0000-4000-8000-000000000000",
                         "/chat/5f0c7b5e-0000-4000-8000-000000000000/report", "/chat/5f0c7b5e-0000-4000-8000-000000000000/block"]
            for page in pages {
                var headers: HTTPFields = [.contentType: "application/x-www-form-urlencoded", .cookie: browser.cookieHeader]
                headers[.accept] = "text/html"
                let body = "_csrf=\(browser.csrf)&name=%E4%B8%AD%00x&email=a%00b%40example.org&password=a%00calm+morning+walk&terms=1&privacy=1&text=hi%00"
                let response = try await accounts.client.execute(uri: page, method: .post, headers: headers, body: ByteBuffer(string: body))
                #expect(response.status == .badRequest, "\(page): \(response.status)")
                #expect(response.headers[.contentType] == "text/html; charset=utf-8", "\(page)")
            }
            // The sign-up form itself, with a NUL only in the name.
            let account = try await browser.post("/signup/account", [("_csrf", browser.csrf), ("name", "김\u{0}정숙"), ("email", AccountHelper.uniqueEmail("nul")),
                                                                     ("password", "a calm morning walk"), ("marketing", "0")])
            #expect(account.status == .badRequest && account.text.contains("쓸 수 없는 문자"))
        }
    }

    @Test func theFormTokenCookieIsHostPrefixedInProductionAndRenewedAtLogin() async throws {
        let production = WebSession(secureCookies: true).csrf("token")
        #expect(production.name == "__Host-inyeon_csrf" && production.secure && production.path == "/" && production.domain == nil)
        #expect(production.description.hasPrefix("__Host-inyeon_csrf=token;"))
        // Plain HTTP on a developer's machine: browsers refuse `__Host-` without Secure, so the plain name.
        #expect(WebSession(secureCookies: false).csrf("token").name == "inyeon_csrf")

        try await withAccounts { accounts in
            let email = AccountHelper.uniqueEmail("rotate")
            _ = try await accounts.signUp(email: email)
            let browser = Browser(accounts.client)
            _ = try await browser.get("/login")
            let planted = browser.csrf
            let login = try await browser.post("/login", [("_csrf", planted), ("email", email), ("password", "a calm morning walk")])
            #expect(login.status == .seeOther)
            let renewed = login.headers[values: .setCookie].filter { $0.hasPrefix("inyeon_csrf=") }
            #expect(renewed.count == 1, "one new form token, not overwritten by the old one")
            #expect(!browser.csrf.isEmpty && browser.csrf != planted)
            // The old token no longer passes a form.
            let stale = try await browser.post("/logout", [("_csrf", planted)])
            #expect(stale.status == .forbidden)
        }
    }
}
