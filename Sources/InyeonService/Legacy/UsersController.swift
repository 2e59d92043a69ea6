import Foundation
import Hummingbird

/// `GET /api/users` and `GET /api/users/rls`: people's public cards, as the caller may see them.
struct UsersController: Sendable {
    let profiles: any ProfileRepository
    /// Signed-out callers all see the same public list: a page is read once and shared for a moment
    /// (dropped whenever any card changes), keyed by its query and whether anonymous cards are allowed.
    var sharedAnswers: (any Cache)?
    var anonymousCardsAllowed: @Sendable () -> Bool = { true }

    struct UsersList: Encodable, Sendable {
        var users: [ProfileCard]
        /// How many the caller's list holds, kept by the database (never counted per request): exact
        /// but for the caller's own blocks, their own card when hidden, and paused matches.
        var totalCount: Int
        var currentCount: Int
        /// Pass as `after` for the next page (keyset: the same cost at any depth); absent on the last page.
        var nextCursor: String?
    }

    struct RLSView: Encodable, Sendable {
        var viewer: Viewer
        var users: [ProfileCard]
        var totalCount: Int
        var currentCount: Int
        var enforcedBy: String

        struct Viewer: Encodable, Sendable {
            var role: String
            var userId: String?
        }
    }

    func addRoutes(to routes: RouteTable<AppRequestContext>) {
        routes.get("/api/users", use: list)
        routes.get("/api/users/rls", use: rlsView)
    }

    @Sendable func list(request: Request, context: AppRequestContext) async throws -> Response {
        let limit = try request.integerParameter("limit", default: 50, range: 1...100)
        let offset = try request.integerParameter("offset", default: 0, range: 0...1_000_000)
        var after: CardCursor?
        if let token = request.uri.queryParameters.get("after") {
            guard let parsed = CardCursor(token: String(token)) else {
                throw APIError.badRequest("INVALID_PARAMETER", "after는 이전 응답의 nextCursor 값이어야 합니다.")
            }
            after = parsed
        }
        let (identity, logger, profiles, cursor) = (context.identity, context.logger, profiles, after)
        let read: @Sendable () async throws -> UsersList = {
            let page = try await profiles.cards(as: identity, limit: limit, offset: offset, after: cursor, logger: logger)
            return UsersList(users: page.cards, totalCount: page.total, currentCount: page.cards.count, nextCursor: page.next?.token)
        }
        let message = "사용자 목록을 성공적으로 조회했습니다."
        if let sharedAnswers, identity == .anonymous {
            let key = "users/\(anonymousCardsAllowed())/\(limit)/\(offset)/\(cursor?.token ?? "")"
            return try await sharedAnswers.sharedAnswer(key: key, message: message, read)
        }
        return try APIResponse(try await read(), message: message).response(from: request, context: context)
    }

    /// The same list, labelled with who is asking: what PostgreSQL's policies let this caller see.
    @Sendable func rlsView(request: Request, context: AppRequestContext) async throws -> APIResponse<RLSView> {
        // An invalid bearer token never reaches here: the authentication middleware answers 401.
        let limit = try request.integerParameter("limit", default: 50, range: 1...100)
        let page = try await profiles.cards(as: context.identity, limit: limit, offset: 0, after: nil, logger: context.logger)
        return APIResponse(
            RLSView(
                viewer: .init(role: context.identity.role.rawValue, userId: context.identity.userID?.uuidString.lowercased()),
                users: page.cards,
                totalCount: page.total,
                currentCount: page.cards.count,
                enforcedBy: "postgresql-row-level-security"
            ),
            message: "현재 권한으로 볼 수 있는 사용자만 조회했습니다."
        )
    }
}
