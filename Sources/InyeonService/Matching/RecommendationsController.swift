import Foundation
import Hummingbird
import InyeonCore
import Logging
import PostgresNIO

/// Reciprocal recommendations, decisions (like, pass, super-like), matches, unmatching and blocking.
struct RecommendationsController: Sendable {
    let service: RecommendationService
    let profiles: any ProfileRepository
    let insights: CallerInsights
    var repository: MatchingRepository { service.repository }
    var currentYear: @Sendable () -> Int { service.currentYear }

    static let profileRequired = APIError(.conflict, code: "PROFILE_REQUIRED", message: "추천을 받으시려면 먼저 프로필을 작성해 주세요.")

    struct Recommendation: Encodable, Sendable {
        var user: ProfileCard
        var compatibility: MatchingController.AdvancedCompatibility
        /// The engine's chance that both will like each other, as a percentage.
        var mutualLikeProbability: Double
        var superLikedYou: Bool
        var explanation: String
        var aiInsights: RelationshipInsight?
    }

    struct Recommendations: Encodable, Sendable {
        var recommendations: [Recommendation]
        var candidatesConsidered: Int
        var model: ModelSummary
    }

    struct ModelSummary: Encodable, Sendable {
        var decisionsLearnedFrom: Int
    }

    struct DecisionRequest: Decodable, Sendable {
        var userId: String
        var decision: String
    }

    struct DecisionResult: Encodable, Sendable {
        var decision: String
        var matched: Bool
        var matchId: String?
    }

    struct MatchSummary: Encodable, Sendable {
        var matchId: String
        var matchedAt: Date
        var user: ProfileCard
        var compatibility: MatchingController.AdvancedCompatibility
        var aiInsights: RelationshipInsight?
    }

    struct Done: Encodable, Sendable {
        var done = true
    }

    struct BlockRequest: Decodable, Sendable {
        var userId: String
        var reason: String?
    }

    func addRoutes(to routes: RouteTable<AppRequestContext>) {
        routes.get("/api/matching/recommendations", use: recommendations)
        routes.post("/api/matching/decisions", use: decide)
        routes.get("/api/matches", use: matches)
        routes.delete("/api/matches/:matchId", use: unmatch)
        routes.post("/api/blocks", use: block)
    }

    @Sendable func recommendations(request: Request, context: AppRequestContext) async throws -> APIResponse<Recommendations> {
        let (userID, _) = try context.requireSignedIn()
        let limit = try request.integerParameter("limit", default: 10, range: 1...50)
        guard let result = try await service.recommend(for: userID, limit: limit, logger: context.logger) else {
            throw Self.profileRequired
        }
        let written = await insights.insights(
            for: result, identity: context.identity, language: CallerInsights.language(request), logger: context.logger
        )
        return APIResponse(
            Recommendations(
                recommendations: result.ranked.map { candidate in
                    Recommendation(
                        user: result.cards[candidate.profile.id]!,
                        compatibility: MatchingController.advanced(candidate.compatibility),
                        mutualLikeProbability: (candidate.mutualProbability * 1000).rounded() / 10,
                        superLikedYou: result.superLikers.contains(candidate.profile.id),
                        explanation: RecommendationExplanation.sentence(for: candidate),
                        aiInsights: written[candidate.profile.id]
                    )
                },
                candidatesConsidered: result.candidatesConsidered,
                model: ModelSummary(decisionsLearnedFrom: result.decisionsLearnedFrom)
            ),
            message: result.ranked.isEmpty ? "지금은 조건에 맞는 분이 없습니다. 선호 조건을 넓혀 보세요." : "추천 상대를 찾았습니다."
        )
    }

    @Sendable func decide(request: Request, context: AppRequestContext) async throws -> APIResponse<DecisionResult> {
        let (userID, _) = try context.requireSignedIn()
        let body = try await request.decode(as: DecisionRequest.self, context: context)
        let target = try UUID.userID(body.userId, parameter: "userId")
        guard let decision = MatchingRepository.Decision(rawValue: body.decision) else {
            throw APIError.badRequest("INVALID_DECISION", "decision은 like, pass, super_like 중 하나여야 합니다.")
        }
        guard target != userID else {
            throw APIError.badRequest("INVALID_DECISION", "자기 자신에게는 관심을 표시할 수 없습니다.")
        }
        guard let outcome = try await repository.decide(
            decision, about: target, by: userID, requestID: context.id, logger: context.logger
        ) else {
            throw APIError(.notFound, code: "USER_NOT_FOUND", message: "사용자를 찾을 수 없습니다.")
        }
        let message = switch (decision, outcome.matchID != nil) {
        case (.pass, _): "다음 분을 보여 드릴게요."
        case (_, true): "서로 관심을 보이셨습니다. 이제 대화를 시작하실 수 있어요."
        default: "관심을 전했습니다. 상대방도 관심을 보이면 알려 드릴게요."
        }
        return APIResponse(
            DecisionResult(decision: decision.rawValue, matched: outcome.matchID != nil, matchId: outcome.matchID?.uuidString.lowercased()),
            message: message
        )
    }

    @Sendable func matches(request: Request, context: AppRequestContext) async throws -> APIResponse<[MatchSummary]> {
        let (userID, _) = try context.requireSignedIn()
        let year = currentYear()
        let viewer = try await ownProfile(userID, context: context)
        let calculator = CompatibilityCalculator(currentYear: year)
        var summaries: [MatchSummary] = []
        for row in try await repository.matches(of: userID, logger: context.logger) {
            guard let partner = try await profiles.person(row.partnerID, as: context.identity, logger: context.logger) else { continue }
            let compatibility = calculator.compatibility(viewer, partner.matching)
            summaries.append(MatchSummary(
                matchId: row.id.uuidString.lowercased(), matchedAt: row.matchedAt, user: partner.card,
                compatibility: MatchingController.advanced(compatibility),
                aiInsights: await insights.insight(
                    for: context.identity, viewer: viewer, other: partner.matching, compatibility: compatibility,
                    language: CallerInsights.language(request), logger: context.logger
                )
            ))
        }
        return APIResponse(summaries, message: summaries.isEmpty ? "아직 매칭된 분이 없습니다." : "매칭 목록입니다.")
    }

    @Sendable func unmatch(request: Request, context: AppRequestContext) async throws -> APIResponse<Done> {
        let (userID, _) = try context.requireSignedIn()
        guard let matchID = context.parameters.get("matchId").flatMap(UUID.init(uuidString:)) else {
            throw APIError.badRequest("INVALID_MATCH_ID", "매칭 번호가 올바르지 않습니다.")
        }
        guard try await repository.unmatch(matchID, by: userID, requestID: context.id, logger: context.logger) else {
            throw APIError(.notFound, code: "MATCH_NOT_FOUND", message: "매칭을 찾을 수 없습니다.")
        }
        return APIResponse(Done(), message: "매칭을 종료했습니다.")
    }

    @Sendable func block(request: Request, context: AppRequestContext) async throws -> APIResponse<Done> {
        let (userID, _) = try context.requireSignedIn()
        let body = try await request.decode(as: BlockRequest.self, context: context)
        let target = try UUID.userID(body.userId, parameter: "userId")
        guard target != userID else { throw APIError.badRequest("INVALID_BLOCK", "자기 자신은 차단할 수 없습니다.") }
        if let reason = body.reason, reason.storedLength > 500 {
            throw APIError.badRequest("INVALID_BLOCK", "사유는 500자 이하로 적어 주세요.")
        }
        do {
            try await repository.block(target, by: userID, reason: body.reason, requestID: context.id, logger: context.logger)
        } catch let error as PSQLError where error.serverInfo?[.sqlState] == "23503" {
            // No such account (the block's reference to it fails).
            throw APIError(.notFound, code: "USER_NOT_FOUND", message: "사용자를 찾을 수 없습니다.")
        }
        return APIResponse(Done(), message: "차단했습니다. 이제 서로 보이지 않습니다.")
    }

    func ownProfile(_ userID: UUID, context: AppRequestContext) async throws -> MatchingProfile {
        guard let profile = try await repository.ownProfile(userID, logger: context.logger, currentYear: currentYear()) else {
            throw Self.profileRequired
        }
        return profile
    }
}
