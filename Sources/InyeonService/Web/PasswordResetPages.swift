import Foundation
import Hummingbird
import InyeonCore

/// "비밀번호 찾기": the address, then the mail's six-digit code (or its link) and a new password;
/// then the person is signed in. Each problem is said next to its field, in plain words.
struct PasswordResetPages: Sendable {
    let renderer: PageRenderer
    let accounts: AccountService
    let session: WebSession

    func addRoutes(to router: Router<AppRequestContext>) {
        router.get("/password-reset", use: start)
        router.post("/password-reset", use: sendCode)
        router.post("/password-reset/confirm", use: confirm)
    }

    private func page(_ template: String, _ values: [String: Any], status: HTTPResponse.Status = .ok,
                      request: Request, context: AppRequestContext) -> Response {
        let text = WebText(korean: context.web.preferences.korean)
        return renderer.render(template, title: text["reset_title"], values: values, status: status, request: request, context: context)
    }

    /// The address form, or (from the mail's link) the new-password form. Opening the link changes nothing.
    @Sendable func start(request: Request, context: AppRequestContext) async throws -> Response {
        let text = WebText(korean: context.web.preferences.korean)
        if let token = request.uri.queryParameters.get("token") {
            guard OpaqueToken.isWellFormed(token) else {
                return page("password-reset-request", ["formError": text["reset_invalid"]], status: .badRequest, request: request, context: context)
            }
            return page("password-reset-confirm", ["lead": text["reset_link_lead"], "token": token], request: request, context: context)
        }
        return page("password-reset-request", [:], request: request, context: context)
    }

    @Sendable func sendCode(request: Request, context: AppRequestContext) async throws -> Response {
        let form = try await FormData(request)
        try context.requireFormToken(form[WebSession.csrfField])
        let text = WebText(korean: context.web.preferences.korean)
        let typed = (form["email"] ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        guard let email = try? AccountsController.validEmail(typed) else {
            return page("password-reset-request", ["email": typed, "formError": text["problem_email"]],
                        status: .badRequest, request: request, context: context)
        }
        do {
            try await accounts.requestPasswordReset(email: email, address: context.remoteAddress, requestID: context.id, logger: context.logger)
        } catch let error as RateLimitedError {
            let message = text["too_many_requests"].replacingOccurrences(of: "%d", with: String(PageErrorMiddleware.minutes(error.retryAfterSeconds)))
            var response = page("password-reset-request", ["email": email, "formError": message], status: .tooManyRequests, request: request, context: context)
            response.headers[.retryAfter] = String(error.retryAfterSeconds)
            return response
        }
        return page("password-reset-confirm", [
            "lead": text["reset_sent"].replacingOccurrences(of: "%@", with: email), "email": email,
        ], request: request, context: context)
    }

    @Sendable func confirm(request: Request, context: AppRequestContext) async throws -> Response {
        let form = try await FormData(request)
        try context.requireFormToken(form[WebSession.csrfField])
        let text = WebText(korean: context.web.preferences.korean)
        let token = form["token"] ?? ""
        let email = (form["email"] ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        let password = form["newPassword"] ?? ""
        var values: [String: Any] = token.isEmpty
            ? ["lead": text["reset_sent"].replacingOccurrences(of: "%@", with: email), "email": email, "code": form["code"] ?? ""]
            : ["lead": text["reset_link_lead"], "token": token]
        let proof: AccountService.MailedProof
        if OpaqueToken.isWellFormed(token) {
            proof = .link(token: token)
        } else if let valid = try? AccountsController.validEmail(email), let code = OneTimeCode.normalised(form["code"] ?? "") {
            proof = .code(email: valid, code: code)
        } else {
            values["formError"] = text["reset_invalid"]
            values["codeError"] = true
            return page("password-reset-confirm", values, status: .badRequest, request: request, context: context)
        }
        if let problem = PasswordPolicy.problem(with: password, email: email.isEmpty ? nil : email) {
            values["passwordError"] = text.password(problem)
            return page("password-reset-confirm", values, status: .badRequest, request: request, context: context)
        }
        do {
            let (_, tokens) = try await accounts.confirmPasswordReset(
                proof, newPassword: password, userAgent: request.headers[.userAgent], address: context.remoteAddress, requestID: context.id,
                logger: context.logger
            )
            return PageRenderer.redirect(to: "/home", cookies: session.signedIn(tokens) + [session.freshCSRF()])
        } catch let error as APIError where error.code == AccountService.invalidResetCode.code {
            values["formError"] = text["reset_invalid"]
            values["codeError"] = true
            return page("password-reset-confirm", values, status: .badRequest, request: request, context: context)
        }
    }
}
