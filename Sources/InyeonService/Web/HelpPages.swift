import Hummingbird

/// The pages anyone can read, signed in or not: help (how matching works, what the score means),
/// the safety centre, the terms of use and the privacy policy. Each is one template with both
/// languages, read aloud on request.
struct HelpPages: Sendable {
    let renderer: PageRenderer

    /// Path, template and the key of its title.
    static let pages = [("/help", "help", "help_title"), ("/safety", "safety", "safety_title"), ("/terms", "terms", "terms_title"),
                        ("/privacy", "privacy", "privacy_title")]

    func addRoutes(to router: Router<AppRequestContext>) {
        for (path, template, title) in Self.pages {
            router.get(RouterPath(path)) { request, context in
                let text = WebText(korean: context.web.preferences.korean)
                return renderer.render(template, title: text[title], values: ["legal": template == "terms" || template == "privacy"],
                                       request: request, context: context)
            }
        }
    }
}
