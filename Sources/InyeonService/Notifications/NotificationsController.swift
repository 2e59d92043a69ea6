import Foundation
import Hummingbird
import Logging

/// `GET /api/notifications` (newest first, with the unread count) and `POST /api/notifications/read`.
/// Each notice names its person by the card the reader may see; one whose card is hidden is left out.
struct NotificationsController: Sendable {
    let store: NotificationStore
    let profiles: any ProfileRepository

    struct Notice: Encodable, Sendable {
        var id: Int64
        /// like, super_like, match, message, like_expiring.
        var kind: String
        var user: ProfileCard?
        var matchId: String?
        /// New messages counted on this notice.
        var count: Int
        var at: Date
        var read: Bool
    }

    struct Notices: Encodable, Sendable {
        var unreadCount: Int
        var notifications: [Notice]
    }

    struct ReadRequest: Decodable, Sendable {
        var ids: [Int64]?
    }

    struct Marked: Encodable, Sendable {
        var marked: Int
    }

    func addRoutes(to routes: RouteTable<AppRequestContext>) {
        routes.get("/api/notifications", use: list)
        routes.post("/api/notifications/read", use: markRead)
        routes.get("/api/me/notification-settings", use: mailSettings)
        routes.put("/api/me/notification-settings", use: changeMailSettings)
    }

    @Sendable func list(request: Request, context: AppRequestContext) async throws -> APIResponse<Notices> {
        let (userID, _) = try context.requireSignedIn()
        let limit = try request.integerParameter("limit", default: 50, range: 1...100)
        let notices = try await self.notices(for: userID, limit: limit, context: context)
        return APIResponse(notices, message: notices.unreadCount == 0 ? "새 알림이 없습니다." : "새 알림 \(notices.unreadCount)개")
    }

    func notices(for userID: UUID, limit: Int, context: AppRequestContext) async throws -> Notices {
        let (rows, unread) = try await store.recent(for: userID, limit: limit, logger: context.logger)
        var notices: [Notice] = []
        for row in rows {
            var card: ProfileCard?
            if let actor = row.actorID {
                guard let person = try await profiles.person(actor, as: context.identity, logger: context.logger) else { continue }
                card = person.card
            }
            notices.append(Notice(
                id: row.id, kind: row.kind, user: card, matchId: row.matchID?.uuidString.lowercased(), count: row.count, at: row.at, read: row.read
            ))
        }
        return Notices(unreadCount: unread, notifications: notices)
    }

    @Sendable func markRead(request: Request, context: AppRequestContext) async throws -> APIResponse<Marked> {
        let (userID, _) = try context.requireSignedIn()
        let body = try await request.decode(as: ReadRequest.self, context: context)
        if let ids = body.ids, ids.count > 500 { throw APIError.badRequest("INVALID_REQUEST", "한 번에 500개까지 읽음으로 표시할 수 있습니다.") }
        let marked = try await store.markRead(body.ids, for: userID, logger: context.logger)
        return APIResponse(Marked(marked: marked), message: "알림을 읽음으로 표시했습니다.")
    }

    /// Which notification mails the person gets: `match` (a new match, at once) and `message`
    /// (unread messages, as a digest).
    struct MailSettings: Codable, Sendable {
        var match: Bool?
        var message: Bool?
    }

    @Sendable func mailSettings(request: Request, context: AppRequestContext) async throws -> APIResponse<MailSettings> {
        let (userID, _) = try context.requireSignedIn()
        let wanted = try await store.mailPreferences(for: userID, logger: context.logger)
        return APIResponse(MailSettings(match: wanted["match"], message: wanted["message"]), message: "알림 메일 설정입니다.")
    }

    @Sendable func changeMailSettings(request: Request, context: AppRequestContext) async throws -> APIResponse<MailSettings> {
        let (userID, _) = try context.requireSignedIn()
        let body = try await request.decode(as: MailSettings.self, context: context)
        var wanted: [String: Bool] = [:]
        if let match = body.match { wanted["match"] = match }
        if let message = body.message { wanted["message"] = message }
        guard !wanted.isEmpty else { throw APIError.badRequest("INVALID_REQUEST", "match 또는 message를 true나 false로 보내 주세요.") }
        try await store.setMailPreferences(wanted, for: userID, as: context.identity, requestID: context.id, logger: context.logger)
        let now = try await store.mailPreferences(for: userID, logger: context.logger)
        return APIResponse(MailSettings(match: now["match"], message: now["message"]), message: "알림 메일 설정을 바꾸었습니다.")
    }
}
