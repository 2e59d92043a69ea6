import Foundation
import Hummingbird
import InyeonCore
import Logging

/// Recommendations as calm cards: age bracket, district, the compatibility score with its breakdown
/// in words, the insight and its conversation starters; "interested" or "not this time".
struct RecommendationPages: Sendable {
    let renderer: PageRenderer
    let recommendations: RecommendationService
    let insights: CallerInsights
    let portraits: Portraits
    let choices: ProfileChoices

    func addRoutes(to router: Router<AppRequestContext>) {
        router.get("/recommendations", use: show)
        router.post("/recommendations/decide", use: decide)
    }

    @Sendable func show(request: Request, context: AppRequestContext) async throws -> Response {
        guard let userID = context.caller?.userID else { return PageRenderer.redirect(to: "/login?next=/recommendations") }
        guard let result = try await recommendations.recommend(for: userID, limit: 10, logger: context.logger) else {
            return PageRenderer.redirect(to: "/profile")
        }
        let text = WebText(korean: context.web.preferences.korean)
        let language: InsightLanguage = text.korean ? .ko : .en
        let written = await insights.insights(for: result, identity: context.identity, language: language, logger: context.logger)
        let faces = try await portraits.first(of: result.ranked.map(\.profile.id).compactMap(UUID.init(uuidString:)), as: context.identity,
                                              logger: context.logger)
        var cards: [[String: Any]] = []
        for candidate in result.ranked {
            guard let card = result.cards[candidate.profile.id] else { continue }
            let insight = written[candidate.profile.id]
            let face = Portraits.face(UUID(uuidString: card.id).flatMap { faces[$0] }, name: card.name, size: .card,
                                      alt: text["photo_of"].replacingOccurrences(of: "%@", with: card.name))
            cards.append([
                "id": card.id, "name": card.name, "face": face, "facts": ProfilePages.cardValues(card, text: text)["facts"] as Any, "ageRange": card.ageRange ?? text["age_hidden"],
                "place": [card.city, card.district ?? ""].joined(separator: " ").trimmingCharacters(in: .whitespaces),
                "bio": card.bio, "interests": card.interests.joined(separator: ", "),
                "score": candidate.compatibility.totalScore,
                "scoreText": text["score_of"].replacingOccurrences(of: "%d", with: String(candidate.compatibility.totalScore)),
                "breakdown": Array(CompatibilityWords.lines(candidate.compatibility.breakdown, text: text).prefix(5)),
                "explanation": RecommendationExplanation.sentence(for: candidate),
                "insight": insight.map { ["recommendation": $0.recommendation, "starters": $0.conversationStarters] } as Any,
                "superLiked": result.superLikers.contains(candidate.profile.id),
            ])
        }
        let notice = request.uri.queryParameters.get("notice").flatMap { ["liked": text["liked_notice"], "passed": text["passed_notice"]][String($0)] }
        return renderer.render(
            "recommendations", title: text["recommendations_title"], values: [
                "cards": cards, "empty": cards.isEmpty, "notice": notice as Any,
                "reportNotice": Self.reportNotice(request, text: text) as Any, "reportBack": "/recommendations",
                "reportCategories": Self.reportCategories(text),
                "paused": try await choices.state(of: userID, logger: context.logger)?.pausedAt != nil,
            ],
            request: request, context: context
        )
    }

    /// The thank-you (or why nothing was sent) after a report from a card.
    static func reportNotice(_ request: Request, text: WebText) -> String? {
        request.uri.queryParameters.get("report").flatMap {
            ["received": text["reported"], "gone": text["report_gone"], "incomplete": text["report_incomplete"]][String($0)]
        }
    }

    static func reportCategories(_ text: WebText) -> [[String: String]] {
        SupportDesk.ReportCategory.allCases.map { ["value": $0.rawValue, "label": text["report_category_\($0.rawValue)"]] }
    }

    @Sendable func decide(request: Request, context: AppRequestContext) async throws -> Response {
        let form = try await FormData(request)
        try context.requireFormToken(form[WebSession.csrfField])
        guard let userID = context.caller?.userID else { return PageRenderer.redirect(to: "/login?expired=1&next=/recommendations") }
        guard let target = form["userId"].flatMap(UUID.init(uuidString:)), target != userID,
              let decision = MatchingRepository.Decision(rawValue: form["decision"] ?? "") else {
            return PageRenderer.redirect(to: "/recommendations")
        }
        let outcome = try await recommendations.repository.decide(decision, about: target, by: userID, requestID: context.id, logger: context.logger)
        if let matchID = outcome?.matchID {
            return PageRenderer.redirect(to: "/matches?new=\(matchID.uuidString.lowercased())")
        }
        return PageRenderer.redirect(to: "/recommendations?notice=\(decision == .pass ? "passed" : "liked")")
    }
}
