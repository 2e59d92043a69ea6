import Foundation
import Hummingbird
import InyeonCore
import Logging

/// Sign-up in three short steps with a visible progress bar: the consents in plain words, the
/// account (name, e-mail, password; each problem shown next to its field, what was typed kept), and
/// the e-mail confirmation (the mail's link, or its code pasted in). Then the person is signed in.
struct SignupPages: Sendable {
    let renderer: PageRenderer
    let accounts: AccountService
    let session: WebSession

    func addRoutes(to router: Router<AppRequestContext>) {
        router.get("/signup", use: consents)
        router.post("/signup", use: acceptConsents)
        router.post("/signup/account", use: createAccount)
        router.post("/signup/verify", use: verify)
        router.post("/signup/resend", use: resend)
        router.get("/verify-email", use: verifyFromMail)
    }

    private func step(_ number: Int, _ template: String, values: [String: Any], status: HTTPResponse.Status = .ok,
                      request: Request, context: AppRequestContext) -> Response {
        let text = WebText(korean: context.web.preferences.korean)
        var values = values
        values["step"] = number
        values["stepText"] = text["step_of"].replacingOccurrences(of: "%d", with: String(number))
        return renderer.render(template, title: text["signup_title"], values: values, status: status, request: request, context: context)
    }

    @Sendable func consents(request: Request, context: AppRequestContext) async throws -> Response {
        step(1, "signup-consents", values: [:], request: request, context: context)
    }

    @Sendable func acceptConsents(request: Request, context: AppRequestContext) async throws -> Response {
        let form = try await FormData(request)
        try context.requireFormToken(form[WebSession.csrfField])
        let text = WebText(korean: context.web.preferences.korean)
        // "전체 동의" ticks every box (the page's script does it, the optional one included); without script
        // the server applies it to the required two only: an optional consent is given only by its own box.
        let all = form.checked("all")
        let (terms, privacy, marketing) = (all || form.checked("terms"), all || form.checked("privacy"), form.checked("marketing"))
        guard terms, privacy else {
            return step(1, "signup-consents", values: ["formError": text["consent_missing"], "terms": terms, "privacy": privacy, "marketing": marketing],
                        status: .badRequest, request: request, context: context)
        }
        return accountStep(name: "", email: "", errors: [:], marketing: marketing, request: request, context: context)
    }

    private func accountStep(name: String, email: String, errors: [String: String], marketing: Bool, status: HTTPResponse.Status = .ok,
                             request: Request, context: AppRequestContext) -> Response {
        let text = WebText(korean: context.web.preferences.korean)
        func field(_ id: String, _ name: String, _ type: String, _ label: String, _ value: String, _ autocomplete: String) -> [String: Any] {
            var field: [String: Any] = ["id": id, "name": name, "type": type, "label": label, "value": value, "autocomplete": autocomplete, "required": true]
            if let error = errors[name] { field["error"] = error }
            return field
        }
        return step(2, "signup-account", values: [
            "marketing": marketing ? "1" : "0",
            "fields": [
                field("display-name", "name", "text", text["display_name"], name, "name"),
                field("email", "email", "email", text["email"], email, "email"),
                field("password", "password", "password", text["password"], "", "new-password"),
            ],
        ], status: status, request: request, context: context)
    }

    @Sendable func createAccount(request: Request, context: AppRequestContext) async throws -> Response {
        let form = try await FormData(request)
        try context.requireFormToken(form[WebSession.csrfField])
        let name = (form["name"] ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        let typedEmail = (form["email"] ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        let password = form["password"] ?? ""
        let marketing = form["marketing"] == "1"
        let text = WebText(korean: context.web.preferences.korean)
        var errors: [String: String] = [:]
        if !(1...40).contains(name.storedLength) { errors["name"] = text["problem_display_name"] }
        let email = try? AccountsController.validEmail(typedEmail)
        if email == nil { errors["email"] = text["problem_email"] }
        if let problem = PasswordPolicy.problem(with: password, email: email ?? typedEmail) { errors["password"] = text.password(problem) }
        guard errors.isEmpty, let email else {
            return accountStep(name: name, email: typedEmail, errors: errors, marketing: marketing, status: .badRequest, request: request, context: context)
        }
        try await accounts.requestSignup(
            email: email, password: password, name: name, marketing: marketing, address: context.remoteAddress, requestID: context.id,
            logger: context.logger
        )
        return verifyStep(email: email, request: request, context: context)
    }

    /// Step 3: the code and the address it went to (kept in the form), "send it again", another address.
    private func verifyStep(email: String, extra: [String: Any] = [:], status: HTTPResponse.Status = .ok,
                            request: Request, context: AppRequestContext) -> Response {
        let text = WebText(korean: context.web.preferences.korean)
        let values: [String: Any] = ["lead": text["signup3_lead"].replacingOccurrences(of: "%@", with: email), "email": email]
        return step(3, "signup-verify", values: values.merging(extra) { $1 }, status: status, request: request, context: context)
    }

    @Sendable func verify(request: Request, context: AppRequestContext) async throws -> Response {
        let form = try await FormData(request)
        try context.requireFormToken(form[WebSession.csrfField])
        let email = (form["email"] ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        if let token = form["token"], !token.isEmpty {
            return await confirm(.link(token: token), email: "", request: request, context: context)
        }
        guard let validEmail = try? AccountsController.validEmail(email) else {
            return step(1, "signup-consents", values: [:], request: request, context: context)
        }
        guard let code = OneTimeCode.normalised(form["code"] ?? "") else {
            let text = WebText(korean: context.web.preferences.korean)
            return verifyStep(email: validEmail, extra: ["formError": text["code_invalid"], "code": form["code"] ?? ""], status: .badRequest,
                              request: request, context: context)
        }
        return await confirm(.code(email: validEmail, code: code), email: validEmail, request: request, context: context)
    }

    /// "Send it again": a new code for the address; the same page either way.
    @Sendable func resend(request: Request, context: AppRequestContext) async throws -> Response {
        let form = try await FormData(request)
        try context.requireFormToken(form[WebSession.csrfField])
        let text = WebText(korean: context.web.preferences.korean)
        guard let email = try? AccountsController.validEmail(form["email"] ?? "") else {
            return step(1, "signup-consents", values: [:], request: request, context: context)
        }
        do {
            try await accounts.resendSignupCode(email: email, address: context.remoteAddress, requestID: context.id, logger: context.logger)
        } catch let error as RateLimitedError {
            let message = text["too_many_requests"].replacingOccurrences(of: "%d", with: String(PageErrorMiddleware.minutes(error.retryAfterSeconds)))
            var response = verifyStep(email: email, extra: ["formError": message], status: .tooManyRequests, request: request, context: context)
            response.headers[.retryAfter] = String(error.retryAfterSeconds)
            return response
        }
        return verifyStep(email: email, extra: ["notice": text["resent"]], request: request, context: context)
    }

    /// The mail's link only shows a button: the person presses it (a POST with the form token) to
    /// finish. Following a link never signs a browser in, so no other site can sign a visitor into
    /// an account of its own choosing (login CSRF).
    @Sendable func verifyFromMail(request: Request, context: AppRequestContext) async throws -> Response {
        let text = WebText(korean: context.web.preferences.korean)
        let token = request.uri.queryParameters.get("token") ?? ""
        let shown = OpaqueToken.isWellFormed(token) ? token : ""
        guard !shown.isEmpty else {
            return step(3, "signup-verify", values: ["lead": text["link_invalid"]], status: .badRequest, request: request, context: context)
        }
        return step(3, "signup-verify", values: ["lead": text["verify_link_lead"], "token": shown], request: request, context: context)
    }

    private func confirm(_ proof: AccountService.MailedProof, email: String, request: Request, context: AppRequestContext) async -> Response {
        let text = WebText(korean: context.web.preferences.korean)
        do {
            let (_, tokens) = try await accounts.confirmSignup(
                proof, userAgent: request.headers[.userAgent], address: context.remoteAddress, requestID: context.id, logger: context.logger
            )
            return PageRenderer.redirect(to: "/home", cookies: session.signedIn(tokens) + [session.freshCSRF()])
        } catch {
            context.logger.notice("sign-up confirmation refused", metadata: ["error": "\(error)"])
            let code = (error as? APIError)?.code
            let message: String
            var extra: [String: Any] = [:]
            switch code {
            case "CODE_TRIES_USED_UP": message = text["code_tries_used_up"]
            case "CODE_EXPIRED": message = text["code_expired_resent"]
            case "ALREADY_CONFIRMED":
                message = text["already_confirmed"]
                extra["alreadyConfirmed"] = true
            case "INVALID_VERIFICATION_TOKEN": message = text["link_invalid"]
            default: message = text["code_invalid"]
            }
            extra["formError"] = message
            let status = (error as? APIError)?.status ?? .badRequest
            if email.isEmpty {
                return step(3, "signup-verify", values: ["lead": message].merging(extra) { $1 }, status: status, request: request, context: context)
            }
            return verifyStep(email: email, extra: extra, status: status, request: request, context: context)
        }
    }
}
