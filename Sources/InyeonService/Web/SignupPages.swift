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
        let (terms, privacy, marketing) = (form.checked("terms"), form.checked("privacy"), form.checked("marketing"))
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
        var errors: [String: String] = [:]
        if !(1...40).contains(name.storedLength) { errors["name"] = "이름은 1자 이상 40자 이하로 적어 주세요." }
        let email = try? AccountsController.validEmail(typedEmail)
        if email == nil { errors["email"] = "이메일 주소를 다시 확인해 주세요. 예: hong@example.com" }
        if let problem = PasswordPolicy.problem(with: password, email: email ?? typedEmail) { errors["password"] = problem.message }
        guard errors.isEmpty, let email else {
            return accountStep(name: name, email: typedEmail, errors: errors, marketing: marketing, status: .badRequest, request: request, context: context)
        }
        try await accounts.requestSignup(
            email: email, password: password, name: name, marketing: marketing, address: context.remoteAddress, requestID: context.id,
            logger: context.logger
        )
        let text = WebText(korean: context.web.preferences.korean)
        return step(3, "signup-verify", values: ["lead": text["signup3_lead"].replacingOccurrences(of: "%@", with: email)], request: request, context: context)
    }

    @Sendable func verify(request: Request, context: AppRequestContext) async throws -> Response {
        let form = try await FormData(request)
        try context.requireFormToken(form[WebSession.csrfField])
        return await confirm(code: (form["code"] ?? "").trimmingCharacters(in: .whitespacesAndNewlines), request: request, context: context)
    }

    /// The mail's link only shows the code in the form: the person presses the button (a POST with the
    /// form token) to finish. Following a link never signs a browser in, so no other site can sign a
    /// visitor into an account of its own choosing (login CSRF).
    @Sendable func verifyFromMail(request: Request, context: AppRequestContext) async throws -> Response {
        let text = WebText(korean: context.web.preferences.korean)
        let code = request.uri.queryParameters.get("token") ?? ""
        let shown = code.count <= 200 && code.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_") } ? code : ""
        return step(3, "signup-verify", values: ["lead": text["verify_link_lead"], "code": shown], request: request, context: context)
    }

    private func confirm(code: String, request: Request, context: AppRequestContext) async -> Response {
        let text = WebText(korean: context.web.preferences.korean)
        do {
            guard !code.isEmpty, code.count <= 200 else { throw APIError.badRequest("INVALID_TOKEN", "") }
            let (_, tokens) = try await accounts.confirmSignup(
                token: code, userAgent: request.headers[.userAgent], address: context.remoteAddress, requestID: context.id, logger: context.logger
            )
            return PageRenderer.redirect(to: "/home", cookies: session.signedIn(tokens) + [session.freshCSRF()])
        } catch {
            context.logger.notice("sign-up confirmation refused", metadata: ["error": "\(error)"])
            return step(3, "signup-verify", values: ["lead": text["signup3_lead"].replacingOccurrences(of: "%@", with: "…"), "formError": text["code_invalid"]],
                        status: .badRequest, request: request, context: context)
        }
    }
}
