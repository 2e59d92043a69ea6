import Foundation
import Hummingbird
import Logging

/// "알림": what happened, newest first, each a link to where it happened; the notices seen on the page are read.
struct NotificationPages: Sendable {
    let renderer: PageRenderer
    let controller: NotificationsController

    func addRoutes(to router: Router<AppRequestContext>) {
        router.get("/notifications", use: show)
    }

    @Sendable func show(request: Request, context: AppRequestContext) async throws -> Response {
        guard let userID = context.caller?.userID else { return PageRenderer.redirect(to: "/login?next=/notifications") }
        let text = WebText(korean: context.web.preferences.korean)
        let notices = try await controller.notices(for: userID, limit: 50, context: context)
        let rows: [[String: Any]] = notices.notifications.map { notice in
            let name = notice.user?.name ?? ""
            let (key, href): (String, String) = switch notice.kind {
            case "super_like": ("notice_super_like", "/likes")
            case "match": ("notice_match", notice.matchId.map { "/chat/\($0)" } ?? "/matches")
            case "message": (notice.count > 1 ? "notice_messages" : "notice_message", notice.matchId.map { "/chat/\($0)" } ?? "/matches")
            case "like_expiring": ("notice_like_expiring", "/likes")
            default: ("notice_like", "/likes")
            }
            return [
                "id": notice.id, "href": href, "read": notice.read, "when": InterestPages.day(notice.at, korean: text.korean),
                "text": text[key].replacingOccurrences(of: "%@", with: name).replacingOccurrences(of: "%d", with: String(notice.count)),
            ]
        }
        // Seen now: they are marked read, and still show as new on this page.
        // Only the notices shown are read (never one written since, or one not on the page).
        let shownUnread = notices.notifications.filter { !$0.read }.map(\.id)
        let marked = shownUnread.isEmpty ? 0 : try await controller.store.markRead(shownUnread, for: userID, logger: context.logger)
        var menuContext = context
        menuContext.web.unreadNotifications = max(0, notices.unreadCount - marked)
        return renderer.render("notifications", title: text["notifications_title"], values: [
            "notices": rows, "empty": rows.isEmpty,
        ], request: request, context: menuContext)
    }
}
