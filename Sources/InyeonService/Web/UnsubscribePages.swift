import Foundation
import Hummingbird

/// One-click unsubscribe from a notification mail (RFC 8058): the mail's signed link opens a page
/// with one button; the mail program's own `POST` (`List-Unsubscribe=One-Click`) does the same
/// without a page. No sign-in and no form token: the link's signature is the authority, and it
/// only ever turns a kind of mail off.
struct UnsubscribePages: Sendable {
    let renderer: PageRenderer
    let links: UnsubscribeLinks
    let store: NotificationStore

    func addRoutes(to router: Router<AppRequestContext>) {
        router.get("/unsubscribe", use: confirm)
        router.post("/unsubscribe", use: unsubscribe)
    }

    private func verified(_ request: Request) -> (UUID, String)? {
        let query = request.uri.queryParameters
        return links.verify(user: query.get("u"), kind: query.get("k"), signature: query.get("s"))
    }

    @Sendable func confirm(request: Request, context: AppRequestContext) async throws -> Response {
        let text = WebText(korean: context.web.preferences.korean)
        guard let (_, kind) = verified(request) else {
            return renderer.render("unsubscribe", title: text["unsubscribe_title"], values: ["lead": text["unsubscribe_invalid"]], status: .badRequest,
                                   request: request, context: context)
        }
        return renderer.render("unsubscribe", title: text["unsubscribe_title"], values: [
            "lead": text["unsubscribe_ask_\(kind)"], "action": "/unsubscribe?" + (request.uri.query ?? ""),
        ], request: request, context: context)
    }

    @Sendable func unsubscribe(request: Request, context: AppRequestContext) async throws -> Response {
        let text = WebText(korean: context.web.preferences.korean)
        guard let (userID, kind) = verified(request) else {
            return renderer.render("unsubscribe", title: text["unsubscribe_title"], values: ["lead": text["unsubscribe_invalid"]], status: .badRequest,
                                   request: request, context: context)
        }
        try await store.setMailPreferences([kind: false], for: userID, as: .system, requestID: context.id, logger: context.logger)
        return renderer.render("unsubscribe", title: text["unsubscribe_title"], values: ["lead": text["unsubscribe_done"], "done": true],
                               request: request, context: context)
    }
}
