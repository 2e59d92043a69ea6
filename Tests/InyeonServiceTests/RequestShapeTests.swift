import Foundation
import Hummingbird
import HummingbirdTesting
@testable import InyeonService
import Testing

/// What a request must look like before anything decides about it: one spelling of its path (so a
/// page's cookies can never reach the API through `//api/...`), and JSON bodies declared as JSON.
@Suite struct RequestShapeTests {
    @Test func aCookieSignedInBrowserCannotWriteTheAPIThroughANonCanonicalPath() async throws {
        try await withAccounts { accounts in
            let email = AccountHelper.uniqueEmail("path")
            let tokens = try await accounts.signUp(email: email)
            let browser = WebPageTests.Browser(accounts.client)
            _ = try await browser.get("/login")
            let login = try await browser.post("/login", [("_csrf", browser.csrf), ("email", email), ("password", "a calm morning walk")])
            #expect(login.status == .seeOther && browser.cookies["inyeon_at"] != nil)
            let headers: HTTPFields = [.cookie: browser.cookieHeader, .contentType: "application/json"]
            let marketing = ByteBuffer(string: #"{"marketing": true}"#)
            // The write a forged cross-site request would try, on routes the page-cookie middleware runs for.
            // (A target without its leading slash is not a request at all: the connection answers it
            // 400 MALFORMED_REQUEST and closes, see ConnectionLimitsTests.)
            for (method, path) in [(HTTPRequest.Method.put, "//api/me/consents"), (.put, "/api//me/consents"), (.put, "/static/../api/me/consents"),
                                   (.put, "/%2Fapi/me/consents"), (.post, "//api/auth/logout-all")] {
                let response = try await accounts.client.execute(uri: path, method: method, headers: headers, body: marketing)
                #expect(response.status == .badRequest, "\(path): \(response.status)")
                #expect(response.headers[.contentType] == "application/json; charset=utf-8", "\(path)")
                #expect(String(buffer: response.body).contains(#""code":"INVALID_PATH""#), "\(path)")
            }
            // The canonical path with the same cookies: cookies never authenticate the API.
            let direct = try await accounts.client.execute(uri: "/api/me/consents", method: .put, headers: headers, body: marketing)
            #expect(direct.status == .unauthorized)
            // Nothing was changed, and the session is still there.
            let consents = try await accounts.get("/api/me/consents", token: tokens.access)
            #expect(try JSONBody(consents)["data.marketing"] as? Bool == false, "the marketing consent was not given by a forged request")
            #expect(try await browser.get("/home").status == .ok)
        }
    }

    @Test func aGetOnARepeatedSlashIsRedirectedToTheCanonicalPath() async throws {
        try await withApp { client in
            let page = try await client.execute(uri: "//login?next=/settings", method: .get)
            #expect(page.status == .permanentRedirect && page.headers[.location] == "/login?next=/settings")
            let api = try await client.execute(uri: "/api//health", method: .get)
            #expect(api.status == .permanentRedirect && api.headers[.location] == "/api/health")
            let dots = try await client.execute(uri: "/static/../api/health", method: .get)
            #expect(dots.status == .badRequest)
        }
    }

    @Test func aJSONBodySentAsPlainTextIsRefusedWith415() async throws {
        try await withAccounts { accounts in
            let email = AccountHelper.uniqueEmail("media")
            _ = try await accounts.signUp(email: email)
            let json = #"{"email": "\#(email)", "password": "a calm morning walk"}"#
            for contentType in ["text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x"] {
                let response = try await accounts.client.execute(
                    uri: "/api/auth/login", method: .post, headers: [.contentType: contentType], body: ByteBuffer(string: json)
                )
                #expect(response.status == .unsupportedMediaType, "\(contentType)")
                #expect(try JSONBody(response)["code"] as? String == "UNSUPPORTED_MEDIA_TYPE")
                #expect(try JSONBody(response)["success"] as? Bool == false)
            }
            let missing = try await accounts.client.execute(uri: "/api/auth/login", method: .post, body: ByteBuffer(string: json))
            #expect(missing.status == .unsupportedMediaType)
            let declared = try await accounts.client.execute(
                uri: "/api/auth/login", method: .post, headers: [.contentType: "application/json; charset=utf-8"], body: ByteBuffer(string: json)
            )
            #expect(declared.status == .ok)
        }
    }

    /// What counts as canonical, path by path (one pass over the bytes decides it).
    @Test(arguments: [
        ("/", true), ("/api/auth/sessions", true), ("/api/users/", true), ("/p/%EC%9D%B8%EC%97%B0", true), ("/a/.../b", true),
        ("/인연/프로필", true), ("/a%2", true), ("/a%41b", true), ("/a.b/c..d", true),
        ("", false), ("api/me", false), ("//api/me", false), ("/api//me", false), ("/api/me//", false), ("/api/./me", false),
        ("/api/../me", false), ("/api/..", false), ("/api/.", false), ("/.", false), ("/..", false), ("/api\\me", false),
        ("/api/me ", false), ("/api/\u{7F}", false), ("/api/\tme", false), ("/api%2Fme", false), ("/api%2fme", false),
        ("/api%5Cme", false), ("/api/%2E%2E/me", false), ("/api/%2e", false), ("/a%00", false), ("/a%0A", false), ("/a%0d", false),
        ("/a%09b", false),
    ])
    func aPathIsCanonicalOnlyInItsOneSpelling(path: String, canonical: Bool) {
        #expect(CanonicalPath.isCanonical(path) == canonical)
    }
}
