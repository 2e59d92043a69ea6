import Foundation
import Hummingbird

/// The landing page, which says plainly what the service is and is not, and one's own start page.
struct WelcomePages: Sendable {
    let renderer: PageRenderer

    func addRoutes(to router: Router<AppRequestContext>) {
        router.get("/", use: landing)
        router.get("/home", use: home)
    }

    @Sendable func landing(request: Request, context: AppRequestContext) async throws -> Response {
        let text = WebText(korean: context.web.preferences.korean)
        return renderer.render("landing", title: text["landing_title"], request: request, context: context)
    }

    @Sendable func home(request: Request, context: AppRequestContext) async throws -> Response {
        guard context.caller != nil else { return PageRenderer.redirect(to: "/login?next=/home") }
        let text = WebText(korean: context.web.preferences.korean)
        return renderer.render("home", title: text["home_title"], values: ["greeting": text["home_greeting"]], request: request, context: context)
    }
}
