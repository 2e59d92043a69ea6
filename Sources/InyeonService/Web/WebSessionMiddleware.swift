import Foundation
import Hummingbird
import Logging

/// For the pages (every path outside `/api` and `/static`): signs the browser in from its HttpOnly
/// cookies, renews an expired access token with the refresh cookie on the way (so a form typed for
/// half an hour is not lost to an expired session), gives the browser a CSRF token, and reads the
/// display preferences. Bearer tokens for the API are untouched: cookies never authenticate `/api`.
struct WebSessionMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext

    let tokens: TokenService
    let accounts: AccountService
    let session: WebSession
    /// The unread count the menu shows; a failure to read it only leaves the count out.
    let unreadNotifications: @Sendable (UUID, Logger) async throws -> Int

    static func isPage(_ path: String) -> Bool {
        !path.hasPrefix("/api/") && !path.hasPrefix("/static/") && path != "/metrics" && !path.hasPrefix("/.well-known/")
    }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard Self.isPage(request.uri.path) else { return try await next(request, context) }
        var context = context
        var cookies: [Cookie] = []
        let jar = request.cookies
        context.web.preferences = WebPreferences(cookie: jar[WebPreferences.cookieName]?.value)
        if let token = jar[session.csrfCookie]?.value, token.count >= 32 {
            context.web.csrfToken = token
        } else {
            context.web.csrfToken = OpaqueToken.generate()
            cookies.append(session.csrf(context.web.csrfToken))
        }
        if context.caller == nil {
            cookies += await signIn(from: jar, context: &context)
        }
        if request.method == .get, let userID = context.caller?.userID {
            context.web.unreadNotifications = try? await unreadNotifications(userID, context.logger)
        }
        var response = try await next(request, context)
        // A cookie the page itself set (a fresh form token at login) is not overwritten.
        let setByPage = Set(response.headers[values: .setCookie].compactMap { $0.split(separator: "=", maxSplits: 1).first.map(String.init) })
        for cookie in cookies where !setByPage.contains(cookie.name) { response.setCookie(cookie) }
        return response
    }

    /// The caller from the access cookie, or after renewing it with the refresh cookie; cookies to set.
    private func signIn(from jar: Cookies, context: inout Context) async -> [Cookie] {
        if let access = jar[WebSession.accessCookie]?.value, !access.isEmpty,
           let caller = try? await tokens.verify(access, accepting: ["access"], logger: context.logger) {
            context.caller = caller
            context.identity = caller.identity
            return []
        }
        guard let refresh = jar[WebSession.refreshCookie]?.value, !refresh.isEmpty else { return [] }
        do {
            let renewed = try await accounts.refresh(refresh, requestID: context.id, logger: context.logger)
            let caller = try await tokens.verify(renewed.accessToken, accepting: ["access"], logger: context.logger)
            context.caller = caller
            context.identity = caller.identity
            return session.signedIn(renewed)
        } catch {
            context.logger.info("page session could not be renewed", metadata: ["error": "\(error)"])
            return session.signedOut()
        }
    }
}

extension AppRequestContext {
    /// A form must carry the browser's CSRF token; otherwise 403 (the page is then shown again).
    func requireFormToken(_ token: String?) throws {
        guard let token, !web.csrfToken.isEmpty, token == web.csrfToken else {
            throw APIError(.forbidden, code: "CSRF_REJECTED", message: "보안 확인에 실패했습니다. 페이지를 새로 고친 뒤 다시 시도해 주세요.")
        }
    }
}
