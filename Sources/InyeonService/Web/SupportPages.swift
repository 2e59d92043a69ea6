import Foundation
import Hummingbird
import Logging

/// Reaching the staff: the customer centre's contact form (signed in or not: a suspended or locked-out
/// person needs it most) and reporting a person from their card, before any match. Both become
/// cases in the moderation queue.
struct SupportPages: Sendable {
    let renderer: PageRenderer
    let desk: SupportDesk

    func addRoutes(to router: Router<AppRequestContext>) {
        router.get("/support", use: show)
        router.post("/support", use: send)
        router.post("/people/:userId/report", use: report)
    }

    @Sendable func show(request: Request, context: AppRequestContext) async throws -> Response {
        page(values: [:], request: request, context: context)
    }

    @Sendable func send(request: Request, context: AppRequestContext) async throws -> Response {
        let form = try await FormData(request)
        try context.requireFormToken(form[WebSession.csrfField])
        let text = WebText(korean: context.web.preferences.korean)
        let category = SupportDesk.TicketCategory(rawValue: form["category"] ?? "")
        let message = (form["message"] ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        let email = (form["email"] ?? "").trimmingCharacters(in: .whitespaces)
        let person = context.caller?.userID
        var problems: [(field: String, id: String, message: String)] = []
        if category == nil { problems.append(("categoryError", "support-category", text["support_category_missing"])) }
        if message.isEmpty { problems.append(("messageError", "support-message", text["support_message_missing"])) }
        if message.storedLength > SupportDesk.noteLimit { problems.append(("messageError", "support-message", text["support_message_long"])) }
        if person == nil, !Self.looksLikeAddress(email) { problems.append(("emailError", "support-email", text["support_email_missing"])) }
        guard problems.isEmpty, let category else {
            var values: [String: Any] = ["message": message, "email": email, "chosen": form["category"] ?? "", "hasErrors": true,
                                         "errorSummary": problems.map { ["fieldId": $0.id, "message": $0.message] }]
            for problem in problems { values[problem.field] = problem.message }
            return page(values: values, status: .badRequest, request: request, context: context)
        }
        try await desk.openTicket(
            category: category, message: message, from: person, contactEmail: person == nil ? email : nil, address: context.remoteAddress,
            requestID: context.id, logger: context.logger
        )
        return renderer.render(
            "message", title: text["support_title"],
            values: ["heading": text["support_received"], "text": text["support_received_text"], "linkHref": person == nil ? "/" : "/home",
                     "linkLabel": text[person == nil ? "nav_about" : "nav_home"], "linkId": "support-done"],
            request: request, context: context
        )
    }

    /// A report from a card: a category and, if she wants, a few words. Back to where she was, with a thank-you.
    @Sendable func report(request: Request, context: AppRequestContext) async throws -> Response {
        let form = try await FormData(request)
        try context.requireFormToken(form[WebSession.csrfField])
        let back = InternalRedirect.path(form["back"]) ?? "/recommendations"
        guard let reporter = context.caller?.userID else { return PageRenderer.redirect(to: "/login?expired=1&next=\(back)") }
        let separator = back.contains("?") ? "&" : "?"
        guard let subject = context.parameters.get("userId").flatMap(UUID.init(uuidString:)),
              let category = SupportDesk.ReportCategory(rawValue: form["category"] ?? "") else {
            return PageRenderer.redirect(to: back + separator + "report=incomplete")
        }
        let reported = try await desk.report(
            subject, by: reporter, category: category, note: form["note"], requestID: context.id, logger: context.logger
        )
        return PageRenderer.redirect(to: back + separator + (reported == nil ? "report=gone" : "report=received"))
    }

    private func page(values: [String: Any], status: HTTPResponse.Status = .ok, request: Request, context: AppRequestContext) -> Response {
        let text = WebText(korean: context.web.preferences.korean)
        var values = values
        let chosen = values["chosen"] as? String ?? request.uri.queryParameters.get("category").map { String($0) } ?? ""
        values["categories"] = SupportDesk.TicketCategory.allCases.map {
            ["value": $0.rawValue, "label": text["support_category_\($0.rawValue)"], "selected": $0.rawValue == chosen]
        }
        return renderer.render("support", title: text["support_title"], values: values, status: status, request: request, context: context)
    }

    /// Enough of an address to answer to: something@something.something, without spaces.
    static func looksLikeAddress(_ text: String) -> Bool {
        let parts = text.split(separator: "@", omittingEmptySubsequences: false)
        return text.utf8.count <= 254 && parts.count == 2 && !parts[0].isEmpty && parts[1].contains(".")
            && !text.contains(where: \.isWhitespace)
    }
}
