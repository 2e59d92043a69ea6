import Foundation
import Hummingbird
import Logging
import Mustache

/// Renders a page: its Mustache template inside the shared layout, with the words of the reader's
/// language, their display preferences, the form token and a main menu of at most four items.
/// Mustache escapes every value, so nothing a person wrote can become markup.
struct PageRenderer: Sendable {
    let library: MustacheLibrary

    /// Loads the templates shipped with the service (`Web/Templates`).
    init() async throws {
        guard let folder = Bundle.module.url(forResource: "Templates", withExtension: nil) else {
            throw PageError("the page templates are missing from the service's resources")
        }
        library = try await MustacheLibrary(directory: folder.path)
    }

    struct NavItem: Sendable {
        var href: String
        var label: String
        var current: Bool
    }

    /// The main menu: four items at most, the current one marked. "알림" carries the unread count;
    /// the interest lists and one's profile are reached from it and from the home page.
    static func menu(signedIn: Bool, current path: String, text: WebText, unread: Int? = nil) -> [NavItem] {
        let notices = unread.map { $0 > 0 ? text["nav_notifications_count"].replacingOccurrences(of: "%d", with: String($0)) : text["nav_notifications"] }
            ?? text["nav_notifications"]
        let items: [(String, String)] = signedIn
            ? [("/recommendations", text["nav_recommendations"]), ("/notifications", notices), ("/matches", text["nav_matches"]),
               ("/settings", text["nav_settings"])]
            : [("/", text["nav_about"]), ("/login", text["nav_login"]), ("/signup", text["nav_signup"])]
        return items.map { NavItem(href: $0.0, label: $0.1, current: $0.0 == path) }
    }

    func render(
        _ template: String, title: String, values: [String: Any] = [:], status: HTTPResponse.Status = .ok,
        request: Request, context: AppRequestContext
    ) -> Response {
        let text = WebText(korean: context.web.preferences.korean)
        var page = values
        page["t"] = text.words
        page["lang"] = text.korean ? "ko" : "en"
        page["htmlClass"] = context.web.preferences.htmlClasses
        page["title"] = title
        page["csrf"] = context.web.csrfToken
        page["signedIn"] = context.caller != nil
        page["staff"] = context.caller.map { $0.kind != .service && [.moderator, .admin].contains($0.role) } ?? false
        page["path"] = request.uri.path
        page["textSizes"] = WebPreferences.TextSize.allCases.map { size in
            ["value": size.rawValue, "label": text["text_size"] + ": " + text["text_\(size.rawValue)"], "current": size == context.web.preferences.textSize]
        }
        page["korean"] = text.korean
        page["nav"] = Self.menu(signedIn: context.caller != nil, current: request.uri.path, text: text, unread: context.web.unreadNotifications)
        let html = library.render(Self.withoutAbsentValues(page) ?? page, withTemplate: template) ?? "<!doctype html><title>Inyeon</title><p>page \(template) is missing</p>"
        return Response(
            status: status, headers: [.contentType: "text/html; charset=utf-8"], body: .init(byteBuffer: ByteBuffer(string: html))
        )
    }

    /// The page's values with every absent optional removed (and present ones unwrapped), so a
    /// missing value is simply not there for the template, never rendered as "nil".
    static func withoutAbsentValues(_ value: Any) -> Any? {
        let mirror = Mirror(reflecting: value)
        if mirror.displayStyle == .optional {
            guard let wrapped = mirror.children.first?.value else { return nil }
            return withoutAbsentValues(wrapped)
        }
        if let dictionary = value as? [String: Any] {
            return dictionary.compactMapValues { withoutAbsentValues($0) }
        }
        if let array = value as? [Any] {
            return array.compactMap { withoutAbsentValues($0) }
        }
        return value
    }

    /// A redirect after a form (303, so reloading does not post it again), with cookies to set.
    static func redirect(to location: String, cookies: [Cookie] = []) -> Response {
        var response = Response(status: .seeOther, headers: [.location: location])
        for cookie in cookies { response.setCookie(cookie) }
        return response
    }
}

struct PageError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
