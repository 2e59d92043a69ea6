import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

/// The pages through HTTP: security headers, cookie flags, CSRF, escaping, and sign-up to sign-out
/// with only what a browser keeps (cookies, never a token a script could read).
@Suite struct WebPageTests {
    /// A browser's cookie jar, just enough for these tests.
    final class Browser: @unchecked Sendable {
        var cookies: [String: String] = [:]
        let client: any TestClientProtocol

        init(_ client: any TestClientProtocol) { self.client = client }

        var cookieHeader: String { cookies.map { "\($0.key)=\($0.value)" }.joined(separator: "; ") }

        func keep(_ response: TestResponse) {
            for value in response.headers[values: .setCookie] {
                let pair = value.split(separator: ";")[0].split(separator: "=", maxSplits: 1)
                guard pair.count == 2 else { continue }
                if value.contains("Max-Age=0") { cookies[String(pair[0])] = nil } else { cookies[String(pair[0])] = String(pair[1]) }
            }
        }

        func get(_ uri: String) async throws -> TestResponse {
            let response = try await client.execute(uri: uri, method: .get, headers: cookies.isEmpty ? [:] : [.cookie: cookieHeader])
            keep(response)
            return response
        }

        func post(_ uri: String, _ fields: [(String, String)]) async throws -> TestResponse {
            let body = fields.map { "\($0.0)=\($0.1.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "")" }.joined(separator: "&")
            var headers: HTTPFields = [.contentType: "application/x-www-form-urlencoded"]
            if !cookies.isEmpty { headers[.cookie] = cookieHeader }
            let response = try await client.execute(uri: uri, method: .post, headers: headers, body: ByteBuffer(string: body))
            keep(response)
            return response
        }

        var csrf: String { cookies["inyeon_csrf"] ?? "" }
    }

    @Test func pagesCarryAStrictPolicyAndTheUsualSecurityHeaders() async throws {
        try await withApp { client in
            let response = try await client.execute(uri: "/", method: .get)
            #expect(response.status == .ok)
            #expect(response.headers[.contentType] == "text/html; charset=utf-8")
            let policy = response.headers[.contentSecurityPolicy] ?? ""
            #expect(policy.contains("script-src 'self'") && policy.contains("frame-ancestors 'none'") && !policy.contains("unsafe-inline"))
            #expect(response.headers[.xContentTypeOptions] == "nosniff")
            #expect(response.headers[.init("X-Frame-Options")!] == "DENY")
            #expect(response.text.contains(#"<html lang="ko""#))
            #expect(response.text.contains(#"id="start-signup""#))
            let cookie = response.headers[.setCookie] ?? ""
            #expect(cookie.hasPrefix("inyeon_csrf=") && cookie.contains("HttpOnly") && cookie.contains("SameSite=Strict"))
            // The API stays JSON, without the page policy and untouched by page cookies.
            let api = try await client.execute(uri: "/api/health", method: .get)
            #expect(api.headers[.contentSecurityPolicy] == nil)
            let css = try await client.execute(uri: "/static/app.css", method: .get)
            #expect(css.status == .ok && css.text.contains("--text"))
        }
    }

    @Test func signUpInThreeStepsThenSignOutWithCookiesOnly() async throws {
        let outbox = AccountHelper.outboxDirectory()
        defer { try? FileManager.default.removeItem(atPath: outbox) }
        try await withApp(["MAIL_OUTBOX_DIR": outbox]) { client in
            let browser = Browser(client)
            _ = try await browser.get("/signup")
            // Without the form token nothing happens.
            #expect(try await browser.post("/signup", [("terms", "1"), ("privacy", "1")]).status == .forbidden)
            let missing = try await browser.post("/signup", [("_csrf", browser.csrf), ("terms", "1")])
            #expect(missing.status == .badRequest && missing.text.contains(#"id="form-error""#))
            let step2 = try await browser.post("/signup", [("_csrf", browser.csrf), ("terms", "1"), ("privacy", "1")])
            #expect(step2.text.contains(#"id="signup-progress" value="2""#))

            let email = AccountHelper.uniqueEmail("web")
            // A weak password: the error sits next to the field and what was typed is kept (escaped).
            let weak = try await browser.post("/signup/account", [
                ("_csrf", browser.csrf), ("name", "<b>정숙</b>"), ("email", email), ("password", "12345678"), ("marketing", "0"),
            ])
            #expect(weak.status == .badRequest)
            #expect(weak.text.contains(#"id="password-error""#) && weak.text.contains(#"aria-invalid="true""#))
            #expect(weak.text.contains("&lt;b&gt;정숙&lt;/b&gt;") && !weak.text.contains("<b>정숙</b>"), "output is escaped")
            #expect(weak.text.contains(email))

            let step3 = try await browser.post("/signup/account", [
                ("_csrf", browser.csrf), ("name", "김정숙"), ("email", email), ("password", "a calm morning walk"), ("marketing", "0"),
            ])
            #expect(step3.text.contains(#"id="signup-progress" value="3""#))
            let mail = try AccountHelper(client: client, outbox: outbox).mail(to: email)
            let code = try #require(mail.split(separator: "\n").first { $0.hasPrefix("확인 코드: ") }).dropFirst("확인 코드: ".count)
            let verified = try await browser.post("/signup/verify", [("_csrf", browser.csrf), ("code", String(code))])
            #expect(verified.status == .seeOther && verified.headers[.location] == "/home")
            let setCookies = verified.headers[values: .setCookie]
            #expect(setCookies.count == 2 && setCookies.allSatisfy { $0.contains("HttpOnly") })
            #expect(!verified.text.contains("eyJ"), "no token in the page")

            let home = try await browser.get("/home")
            #expect(home.status == .ok && home.text.contains(#"id="logout""#))
            // Cookies never authenticate the API: a page's session cannot be used by a forged cross-site call.
            #expect(try await browser.get("/api/me/export").status == .unauthorized)

            // The access cookie gone (expired): the refresh cookie renews the session on the way.
            browser.cookies["inyeon_at"] = nil
            #expect(try await browser.get("/home").status == .ok)
            #expect(browser.cookies["inyeon_at"] != nil)

            let out = try await browser.post("/logout", [("_csrf", browser.csrf)])
            #expect(out.status == .seeOther)
            let after = try await browser.get("/home")
            #expect(after.status == .seeOther && after.headers[.location] == "/login?next=/home")
        }
    }

    @Test func aWrongPasswordKeepsTheEmailAndLoginReturnsToTheAskedPage() async throws {
        try await withAccounts { accounts in
            let email = AccountHelper.uniqueEmail("web")
            _ = try await accounts.signUp(email: email)
            let browser = Browser(accounts.client)
            _ = try await browser.get("/login?next=/settings")
            let wrong = try await browser.post("/login", [("_csrf", browser.csrf), ("email", email), ("password", "not the password"), ("next", "/settings")])
            #expect(wrong.status == .unauthorized && wrong.text.contains(#"id="login-error""#) && wrong.text.contains(email))
            let right = try await browser.post("/login", [("_csrf", browser.csrf), ("email", email), ("password", "a calm morning walk"), ("next", "//evil.example")])
            #expect(right.status == .seeOther && right.headers[.location] == "/home", "only paths on this site are followed")
        }
    }

    @Test func settingsAreRememberedAndShapeEveryPage() async throws {
        try await withApp { client in
            let browser = Browser(client)
            _ = try await browser.get("/settings")
            let saved = try await browser.post("/settings", [("_csrf", browser.csrf), ("textSize", "xlarge"), ("highContrast", "1"), ("language", "en")])
            #expect(saved.status == .seeOther)
            let landing = try await browser.get("/")
            #expect(landing.text.contains(#"<html lang="en" class="text-xlarge high-contrast">"#))
            #expect(landing.text.contains("Start signing up"))
        }
    }
}
