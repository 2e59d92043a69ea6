import Foundation
import Hummingbird
import Logging

/// "관심": the people who liked me and whom I have not answered (answer right there), and my own
/// likes still waiting (withdraw one), each with when it lapses.
struct InterestPages: Sendable {
    let renderer: PageRenderer
    let lists: InterestLists
    let controller: InterestsController
    let repository: MatchingRepository
    let portraits: Portraits

    func addRoutes(to router: Router<AppRequestContext>) {
        router.get("/likes", use: show)
        router.post("/likes/decide", use: decide)
        router.post("/likes/:userId/withdraw", use: withdraw)
    }

    @Sendable func show(request: Request, context: AppRequestContext) async throws -> Response {
        guard let userID = context.caller?.userID else { return PageRenderer.redirect(to: "/login?next=/likes") }
        let text = WebText(korean: context.web.preferences.korean)
        let received = try await controller.cards(lists.received(by: userID, limit: 50, logger: context.logger), context: context)
        let sent = try await controller.cards(lists.sent(by: userID, limit: 50, logger: context.logger), context: context)
        let faces = try await portraits.first(of: (received + sent).compactMap { UUID(uuidString: $0.user.id) }, as: context.identity,
                                              logger: context.logger)
        func row(_ interest: InterestsController.Interest) -> [String: Any] {
            let card = interest.user
            let place = [card.city, card.district ?? ""].joined(separator: " ").trimmingCharacters(in: .whitespaces)
            return [
                "id": card.id, "name": card.name,
                "face": Portraits.face(UUID(uuidString: card.id).flatMap { faces[$0] }, name: card.name, size: .thumbnail, alt: ""),
                "facts": [card.ageRange ?? text["age_hidden"], place].joined(separator: " · "),
                "bio": card.bio, "superLiked": interest.kind == "super_like",
                "expiry": text["likes_expiry"].replacingOccurrences(of: "%@", with: Self.day(interest.expiresAt, korean: text.korean)),
            ]
        }
        let notice = request.uri.queryParameters.get("notice").flatMap {
            ["withdrawn": text["withdrawn_notice"], "passed": text["likes_passed_notice"], "liked": text["liked_notice"]][String($0)]
        }
        return renderer.render("interests", title: text["likes_title"], values: [
            "received": received.map(row), "receivedEmpty": received.isEmpty, "sent": sent.map(row), "sentEmpty": sent.isEmpty,
            "notice": notice as Any, "reportNotice": RecommendationPages.reportNotice(request, text: text) as Any, "reportBack": "/likes",
            "reportCategories": RecommendationPages.reportCategories(text),
        ], request: request, context: context)
    }

    /// The day an interest lapses, as people say it: "12월 14일 (월)" or "Mon, 14 December".
    static func day(_ date: Date, korean: Bool) -> String {
        let formatter = DateFormatter()
        formatter.timeZone = TimeZone(identifier: "Asia/Seoul")
        formatter.locale = Locale(identifier: korean ? "ko_KR" : "en_GB")
        formatter.dateFormat = korean ? "M월 d일 (E)" : "EEE, d MMMM"
        return formatter.string(from: date)
    }

    @Sendable func decide(request: Request, context: AppRequestContext) async throws -> Response {
        let form = try await FormData(request)
        try context.requireFormToken(form[WebSession.csrfField])
        guard let userID = context.caller?.userID else { return PageRenderer.redirect(to: "/login?expired=1&next=/likes") }
        guard let target = form["userId"].flatMap(UUID.init(uuidString:)), target != userID,
              let decision = MatchingRepository.Decision(rawValue: form["decision"] ?? "") else {
            return PageRenderer.redirect(to: "/likes")
        }
        let outcome = try await repository.decide(decision, about: target, by: userID, requestID: context.id, logger: context.logger)
        if let matchID = outcome?.matchID {
            return PageRenderer.redirect(to: "/matches?new=\(matchID.uuidString.lowercased())")
        }
        return PageRenderer.redirect(to: "/likes?notice=\(decision == .pass ? "passed" : "liked")")
    }

    @Sendable func withdraw(request: Request, context: AppRequestContext) async throws -> Response {
        let form = try await FormData(request)
        try context.requireFormToken(form[WebSession.csrfField])
        guard let userID = context.caller?.userID else { return PageRenderer.redirect(to: "/login?expired=1&next=/likes") }
        guard let person = context.parameters.get("userId").flatMap(UUID.init(uuidString:)) else { return PageRenderer.redirect(to: "/likes") }
        _ = try await lists.withdraw(person, by: userID, requestID: context.id, logger: context.logger)
        return PageRenderer.redirect(to: "/likes?notice=withdrawn")
    }
}
