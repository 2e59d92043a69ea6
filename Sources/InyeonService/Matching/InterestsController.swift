import Foundation
import Hummingbird
import Logging

/// `GET /api/likes/received` ("나에게 관심 보낸 분"), `GET /api/likes/sent` ("내가 관심 보낸 분") and
/// `DELETE /api/likes/:userId` (withdraw). Answering one is the ordinary decision
/// (`POST /api/matching/decisions`). Each person is shown with the card they show me, under RLS.
struct InterestsController: Sendable {
    let lists: InterestLists
    let profiles: any ProfileRepository

    struct Interest: Encodable, Sendable {
        var user: ProfileCard
        /// "like" or "super_like".
        var kind: String
        var likedAt: Date
        /// After this the interest lapses (a like lasts seven days).
        var expiresAt: Date
    }

    struct Withdrawn: Encodable, Sendable {
        var withdrawn = true
    }

    func addRoutes(to routes: RouteTable<AppRequestContext>) {
        routes.get("/api/likes/received", use: received)
        routes.get("/api/likes/sent", use: sent)
        routes.delete("/api/likes/:userId", use: withdraw)
    }

    @Sendable func received(request: Request, context: AppRequestContext) async throws -> APIResponse<[Interest]> {
        let (userID, _) = try context.requireSignedIn()
        let limit = try request.integerParameter("limit", default: 50, range: 1...100)
        let interests = try await cards(lists.received(by: userID, limit: limit, logger: context.logger), context: context)
        return APIResponse(interests, message: interests.isEmpty ? "아직 관심을 보낸 분이 없습니다." : "나에게 관심을 보낸 분 \(interests.count)명")
    }

    @Sendable func sent(request: Request, context: AppRequestContext) async throws -> APIResponse<[Interest]> {
        let (userID, _) = try context.requireSignedIn()
        let limit = try request.integerParameter("limit", default: 50, range: 1...100)
        let interests = try await cards(lists.sent(by: userID, limit: limit, logger: context.logger), context: context)
        return APIResponse(interests, message: interests.isEmpty ? "답을 기다리는 관심이 없습니다." : "내가 관심을 보낸 분 \(interests.count)명")
    }

    @Sendable func withdraw(request: Request, context: AppRequestContext) async throws -> APIResponse<Withdrawn> {
        let (userID, _) = try context.requireSignedIn()
        let person = try UUID.userID(context.parameters.get("userId") ?? "", parameter: "userId")
        guard try await lists.withdraw(person, by: userID, requestID: context.id, logger: context.logger) else {
            throw APIError(.notFound, code: "LIKE_NOT_FOUND", message: "거둘 수 있는 관심이 없습니다.")
        }
        return APIResponse(Withdrawn(), message: "관심을 거두었습니다.")
    }

    /// The cards of the people, as the caller may see them; someone whose card is hidden is left out.
    func cards(_ interests: [InterestLists.Interest], context: AppRequestContext) async throws -> [Interest] {
        var shown: [Interest] = []
        for interest in interests {
            guard let person = try await profiles.person(interest.personID, as: context.identity, logger: context.logger) else { continue }
            shown.append(Interest(user: person.card, kind: interest.kind, likedAt: interest.decidedAt, expiresAt: interest.expiresAt))
        }
        return shown
    }
}
