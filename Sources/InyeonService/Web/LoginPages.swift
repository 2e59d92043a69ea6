import Foundation
import Hummingbird

/// Logging in and out. A wrong password keeps the e-mail typed and says so next to the form;
/// after logging in the person goes back to the page they came from.
struct LoginPages: Sendable {
    let renderer: PageRenderer
    let accounts: AccountService
    let session: WebSession

    func addRoutes(to router: Router<AppRequestContext>) {
        router.get("/login", use: form)
        router.post("/login", use: login)
        router.post("/logout", use: logout)
    }

    /// Only a path on this site (never `//elsewhere`, `/%09/elsewhere` or a full address) is followed after login.
    static func safeNext(_ next: String?) -> String { InternalRedirect.pathOrHome(next) }

    @Sendable func form(request: Request, context: AppRequestContext) async throws -> Response {
        let text = WebText(korean: context.web.preferences.korean)
        let next = Self.safeNext(request.uri.queryParameters.get("next"))
        var values: [String: Any] = ["next": next]
        if request.uri.queryParameters.get("expired") != nil { values["notice"] = text["login_again"] }
        return renderer.render("login", title: text["login_title"], values: values, request: request, context: context)
    }

    @Sendable func login(request: Request, context: AppRequestContext) async throws -> Response {
        let form = try await FormData(request)
        try context.requireFormToken(form[WebSession.csrfField])
        let email = (form["email"] ?? "").trimmingCharacters(in: .whitespaces)
        let password = form["password"] ?? ""
        let next = Self.safeNext(form["next"])
        do {
            guard email.storedLength <= 254, password.count <= 256 else { throw AccountService.invalidCredentials }
            let tokens = try await accounts.login(
                email: email, password: password, userAgent: request.headers[.userAgent], address: context.remoteAddress,
                requestID: context.id, logger: context.logger
            )
            return PageRenderer.redirect(to: next, cookies: session.signedIn(tokens) + [session.freshCSRF()])
        } catch let error as RateLimitedError {
            // Throttled: the same form, a plain message with the wait, 429 and Retry-After.
            let text = WebText(korean: context.web.preferences.korean)
            let message = text["login_throttled"].replacingOccurrences(of: "%d", with: String(PageErrorMiddleware.minutes(error.retryAfterSeconds)))
            var response = renderer.render(
                "login", title: text["login_title"], values: ["email": email, "next": next, "formError": message], status: .tooManyRequests,
                request: request, context: context
            )
            response.headers[.retryAfter] = String(error.retryAfterSeconds)
            return response
        } catch let error as APIError where error.status != .serviceUnavailable {
            let text = WebText(korean: context.web.preferences.korean)
            let suspended = error.code == "ACCOUNT_SUSPENDED"
            let message = error.code == AccountService.invalidCredentials.code ? text["login_failed"] : suspended ? text["login_suspended"] : text.message(for: error)
            return renderer.render(
                "login", title: text["login_title"], values: ["email": email, "next": next, "formError": message, "suspended": suspended],
                status: error.status,
                request: request, context: context
            )
        }
    }

    @Sendable func logout(request: Request, context: AppRequestContext) async throws -> Response {
        let form = try await FormData(request)
        try context.requireFormToken(form[WebSession.csrfField])
        if let caller = context.caller, let userID = caller.userID, let sessionID = caller.sessionID {
            _ = try await accounts.endSessions(userID: userID, only: sessionID, reason: "logout", requestID: context.id, logger: context.logger)
        }
        return PageRenderer.redirect(to: "/", cookies: session.signedOut() + [session.freshCSRF()])
    }
}
