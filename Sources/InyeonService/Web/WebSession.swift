import Foundation
import Hummingbird

/// What the pages keep in the browser: the access and refresh tokens in HttpOnly cookies (never
/// visible to page scripts), a CSRF token for forms, and the display preferences.
struct WebSession: Sendable {
    static let accessCookie = "inyeon_at"
    static let refreshCookie = "inyeon_rt"
    /// The form token's cookie: `__Host-` in production, so no sibling host or path can plant or
    /// shadow it (browsers take that prefix only on a Secure cookie with Path=/ and no Domain, so a
    /// developer's plain-HTTP machine keeps the plain name).
    var csrfCookie: String { secureCookies ? "__Host-inyeon_csrf" : "inyeon_csrf" }
    static let csrfField = "_csrf"

    /// Secure cookies in production (HTTPS); plain HTTP on a developer's machine.
    let secureCookies: Bool

    func signedIn(_ tokens: IssuedTokens) -> [Cookie] {
        [
            Cookie(name: Self.accessCookie, value: tokens.accessToken, maxAge: tokens.expiresIn, path: "/", secure: secureCookies,
                   httpOnly: true, sameSite: .lax),
            Cookie(name: Self.refreshCookie, value: tokens.refreshToken, maxAge: tokens.refreshExpiresIn, path: "/", secure: secureCookies,
                   httpOnly: true, sameSite: .strict),
        ]
    }

    func signedOut() -> [Cookie] {
        [Self.accessCookie, Self.refreshCookie].map {
            Cookie(name: $0, value: "", maxAge: 0, path: "/", secure: secureCookies, httpOnly: true, sameSite: .lax)
        }
    }

    func csrf(_ token: String) -> Cookie {
        Cookie(name: csrfCookie, value: token, path: "/", secure: secureCookies, httpOnly: true, sameSite: .strict)
    }

    /// A new form token, set whenever who is signed in changes (login, sign-up, logout), so a token
    /// planted or read before cannot be used after.
    func freshCSRF() -> Cookie { csrf(OpaqueToken.generate()) }
}

/// The page-related part of a request: filled by `WebSessionMiddleware`.
struct WebRequestState: Sendable {
    /// The CSRF token every form of this page carries (the same as the browser's cookie).
    var csrfToken = ""
    var preferences = WebPreferences()
    /// The signed-in person's unread notifications, for the menu (nil when unknown).
    var unreadNotifications: Int?
}
