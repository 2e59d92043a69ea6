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
        /// The client address a trusted proxy names (`X-Forwarded-For`), for tests whose limits count per address.
        var forwardedFor: String?

        init(_ client: any TestClientProtocol, forwardedFor: String? = nil) {
            self.client = client
            self.forwardedFor = forwardedFor
        }

        var cookieHeader: String { cookies.map { "\($0.key)=\($0.value)" }.joined(separator: "; ") }

        func keep(_ response: TestResponse) {
            for value in response.headers[values: .setCookie] {
                let pair = value.split(separator: ";")[0].split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
                guard pair.count == 2 else { continue }
                if value.contains("Max-Age=0") { cookies[String(pair[0])] = nil } else { cookies[String(pair[0])] = String(pair[1]) }
            }
        }

        func get(_ uri: String) async throws -> TestResponse {
            var headers: HTTPFields = cookies.isEmpty ? [:] : [.cookie: cookieHeader]
            if let forwardedFor { headers[.init("X-Forwarded-For")!] = forwardedFor }
            let response = try await client.execute(uri: uri, method: .get, headers: headers)
            keep(response)
            return response
        }

        func post(_ uri: String, _ fields: [(String, String)]) async throws -> TestResponse {
            let body = fields.map { "\($0.0)=\($0.1.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "")" }.joined(separator: "&")
            var headers: HTTPFields = [.contentType: "application/x-www-form-urlencoded"]
            if !cookies.isEmpty { headers[.cookie] = cookieHeader }
            if let forwardedFor { headers[.init("X-Forwarded-For")!] = forwardedFor }
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
            // A page that does not exist is a page in plain words, not JSON.
            let missing = try await client.execute(uri: "/no-such-page", method: .get)
            #expect(missing.status == .notFound && missing.headers[.contentType] == "text/html; charset=utf-8")
            #expect(missing.text.contains("찾으시는 화면이 없습니다"))
            let css = try await client.execute(uri: "/static/app.css", method: .get)
            #expect(css.status == .ok && css.text.contains("--text"))
        }
    }

    @Test func signUpInThreeStepsThenSignOutWithCookiesOnly() async throws {
        let outbox = AccountHelper.outboxDirectory()
        defer { try? FileManager.default.removeItem(atPath: outbox) }
        try await withApp(["MAIL_OUTBOX_DIR": outbox], testing: .live) { client in
            let browser = Browser(client)
            _ = try await browser.get("/signup")
            // Without the form token nothing happens.
            let forged = try await browser.post("/signup", [("terms", "1"), ("privacy", "1")])
            #expect(forged.status == .forbidden && forged.text.contains("보안 확인에 실패했습니다"))
            #expect(forged.headers[.contentType] == "text/html; charset=utf-8")
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
            let mail = try await AccountHelper(client: client, outbox: outbox).mail(to: email)
            let code = try #require(mail.split(separator: "\n").first { $0.hasPrefix("확인 코드: ") }).dropFirst("확인 코드: ".count)
            let verified = try await browser.post("/signup/verify", [("_csrf", browser.csrf), ("email", email), ("code", String(code))])
            #expect(verified.status == .seeOther && verified.headers[.location] == "/home")
            let setCookies = verified.headers[values: .setCookie]
            // The two session cookies and a new form token (renewed whenever who is signed in changes).
            #expect(setCookies.count == 3 && setCookies.allSatisfy { $0.contains("HttpOnly") })
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
            #expect(landing.text.contains(#"<html lang="en" class="text-xlarge high-contrast" "#))
            #expect(landing.text.contains("Start signing up"))
        }
    }

    /// Signs a new person up through the three steps; returns the browser, signed in.
    static func signedUp(_ client: any TestClientProtocol, outbox: String, name: String) async throws -> Browser {
        let browser = Browser(client)
        _ = try await browser.get("/signup")
        _ = try await browser.post("/signup", [("_csrf", browser.csrf), ("terms", "1"), ("privacy", "1")])
        let email = AccountHelper.uniqueEmail("journey")
        _ = try await browser.post("/signup/account", [
            ("_csrf", browser.csrf), ("name", name), ("email", email), ("password", "a calm morning walk"), ("marketing", "0"),
        ])
        let mail = try await AccountHelper(client: client, outbox: outbox).mail(to: email)
        let code = try #require(mail.split(separator: "\n").first { $0.hasPrefix("확인 코드: ") }).dropFirst("확인 코드: ".count)
        #expect(try await browser.post("/signup/verify", [("_csrf", browser.csrf), ("email", email), ("code", String(code))]).status == .seeOther)
        return browser
    }

    static func profileFields(_ browser: Browser, name: String, gender: String, seeking: String) -> [(String, String)] {
        [
            ("_csrf", browser.csrf), ("displayName", name), ("birthYear", "1966"), ("gender", gender), ("maritalStatus", "widowed"),
            ("childrenCount", "1"), ("industry", "education"), ("place", "제주|제주시"), ("interests", "등산, 사진"), ("bio", "올레길 산책을 좋아합니다."),
            ("seeking", seeking), ("ageMin", "45"), ("ageMax", "70"), ("distance", "10"), ("want-widowed", "1"), ("want-divorced", "1"),
            ("want-single", "1"), ("occupationImportance", "3"), ("lifestyleImportance", "3"), ("showAge", "1"), ("showLocation", "1"),
            ("searchable", "1"), ("communicationStyle", "supportive"),
        ]
    }

    @Test func theAssessmentContinuesWhereOneStoppedAndTheProfileKeepsWhatWasTyped() async throws {
        let outbox = AccountHelper.outboxDirectory()
        defer { try? FileManager.default.removeItem(atPath: outbox) }
        try await withApp(["MAIL_OUTBOX_DIR": outbox], testing: .live) { client in
            let browser = try await Self.signedUp(client, outbox: outbox, name: "김정숙")
            #expect(try await browser.get("/assessment").headers[.location] == "/assessment/1")
            for number in 1...3 {
                let page = try await browser.get("/assessment/\(number)")
                #expect(page.text.contains(#"id="assessment-progress" value="\#(number)" max="20""#))
                let option = try #require(page.text.firstMatch(of: /name="option" value="([^"]+)"/)?.1)
                _ = try await browser.post("/assessment/\(number)", [("_csrf", browser.csrf), ("option", String(option))])
            }
            // Leaving and coming back continues at the fourth question; going back shows the chosen answer.
            #expect(try await browser.get("/assessment").headers[.location] == "/assessment/4")
            #expect(try await browser.get("/assessment/2").text.contains(#"aria-pressed="true""#))
            for number in 4...20 {
                let page = try await browser.get("/assessment/\(number)")
                let option = try #require(page.text.firstMatch(of: /name="option" value="([^"]+)"/)?.1)
                let answered = try await browser.post("/assessment/\(number)", [("_csrf", browser.csrf), ("option", String(option))])
                #expect(answered.headers[.location] == (number == 20 ? "/assessment/done" : "/assessment/\(number + 1)"))
            }

            var fields = Self.profileFields(browser, name: "김정숙", gender: "female", seeking: "male")
            fields[2] = ("birthYear", "예순")
            let rejected = try await browser.post("/profile", fields)
            #expect(rejected.status == .badRequest && rejected.text.contains(#"id="birth-year-error""#))
            #expect(rejected.text.contains("올레길 산책을 좋아합니다."), "what was typed is kept")
            let saved = try await browser.post("/profile", Self.profileFields(browser, name: "김정숙", gender: "female", seeking: "male"))
            #expect(saved.headers[.location] == "/recommendations")
            let shown = try await browser.get("/profile")
            #expect(shown.text.contains(#"value="제주|제주시" selected"#))
        }
    }

    @Test func twoPeopleMatchTalkSeeTheWarningAndOneBlocks() async throws {
        let outbox = AccountHelper.outboxDirectory()
        defer { try? FileManager.default.removeItem(atPath: outbox) }
        try await withApp(["MAIL_OUTBOX_DIR": outbox, "RECOMMENDATION_MODEL_MAX_AGE": "0", "FEATURE_REAL_TIME_CHAT": "true"], testing: .live) { client in
            // Names of their own: other tests' people may live in 제주 too.
            let suffix = String(UUID().uuidString.prefix(6))
            let (herName, hisName) = ("김정숙\(suffix)", "박영수\(suffix)")
            let her = try await Self.signedUp(client, outbox: outbox, name: herName)
            let him = try await Self.signedUp(client, outbox: outbox, name: hisName)
            _ = try await her.post("/profile", Self.profileFields(her, name: herName, gender: "female", seeking: "male"))
            _ = try await him.post("/profile", Self.profileFields(him, name: hisName, gender: "male", seeking: "female"))
            let cards = try await her.get("/recommendations")
            #expect(cards.status == .ok && cards.text.contains("잘 맞는 정도"))
            let hisID = try #require(cards.text.firstMatch(of: try Regex(#"id="name-([0-9a-f-]+)">\#(hisName)<"#))?.output[1].substring)
            let liked = try await her.post("/recommendations/decide", [("_csrf", her.csrf), ("userId", String(hisID)), ("decision", "like")])
            #expect(liked.headers[.location] == "/recommendations?notice=liked")
            let herID = try #require(try await him.get("/recommendations").text.firstMatch(of: try Regex(#"id="name-([0-9a-f-]+)">\#(herName)<"#))?.output[1].substring)
            let matched = try await him.post("/recommendations/decide", [("_csrf", him.csrf), ("userId", String(herID)), ("decision", "like")])
            let location = try #require(matched.headers[.location])
            #expect(location.hasPrefix("/matches?new="))
            let conversation = String(location.dropFirst("/matches?new=".count))

            _ = try await her.post("/chat/\(conversation)", [("_csrf", her.csrf), ("text", "안녕하세요! 올레길 좋아하신다니 반가워요.")])
            _ = try await him.post("/chat/\(conversation)", [("_csrf", him.csrf), ("text", "급하게 돈이 필요해요. 300만원만 송금해 주실 수 있나요?")])
            let hers = try await her.get("/chat/\(conversation)")
            #expect(hers.text.contains("올레길 좋아하신다니") && hers.text.contains(#"class="safety-warning""#))
            let his = try await him.get("/chat/\(conversation)")
            #expect(!his.text.contains(#"class="safety-warning""#), "the sender is not told")
            #expect(his.text.contains(#"<span class="read-receipt">"#), "she has read his message")
            // The page's script asks for a socket ticket with the form token in a header; without it, nothing.
            #expect(try await her.post("/chat/\(conversation)/ticket", []).status == .forbidden)

            // Her session ends while she writes (both cookies gone): the message waits for her and is back after logging in.
            let (access, refresh) = (her.cookies["inyeon_at"], her.cookies["inyeon_rt"])
            her.cookies["inyeon_at"] = nil
            her.cookies["inyeon_rt"] = nil
            let expired = try await her.post("/chat/\(conversation)", [("_csrf", her.csrf), ("text", "주말에 올레길 7코스 어떠세요?")])
            #expect(expired.headers[.location] == "/login?expired=1&next=/chat/\(conversation)")
            (her.cookies["inyeon_at"], her.cookies["inyeon_rt"]) = (access, refresh)
            let resumed = try await her.get("/chat/\(conversation)")
            #expect(resumed.text.contains(">주말에 올레길 7코스 어떠세요?</textarea>"), "the unsent message is back in the box")
            #expect(her.cookies["inyeon_draft"] == nil)

            let feedback = try await her.post("/feedback", [("_csrf", her.csrf), ("topic", "matching"), ("rating", "4"), ("comment", "차분해서 좋아요")])
            #expect(feedback.headers[.location] == "/feedback?thanks=1")

            // Blocking asks first (it cannot be undone), then ends the conversation for both.
            #expect(try await her.get("/chat/\(conversation)/block").text.contains(#"id="confirm-block""#))
            let blocked = try await her.post("/chat/\(conversation)/block", [("_csrf", her.csrf), ("report", "1"), ("reason", "돈을 요구함")])
            #expect(blocked.headers[.location] == "/matches?blocked=1")
            #expect(try await him.get("/chat/\(conversation)").headers[.location] == "/matches")
            #expect(!(try await him.get("/matches").text.contains(conversation)))
        }
    }
}
