import Foundation
import Hummingbird
import Logging

/// `GET /api/we-met` (the matches ready to ask about), `POST /api/matches/:matchId/we-met` (the
/// caller's private answer) and `GET /api/admin/matching-funnel` (the counts, for operators).
struct WeMetController: Sendable {
    let feedback: MeetingFeedback
    let profiles: any ProfileRepository

    struct Ask: Encodable, Sendable {
        var matchId: String
        var user: ProfileCard
        var matchedAt: Date
    }

    struct Answer: Decodable, Sendable {
        var met: Bool
        var wantAgain: MeetingFeedback.WantAgain?
    }

    struct Recorded: Encodable, Sendable {
        var recorded = true
    }

    func addRoutes(to routes: RouteTable<AppRequestContext>) {
        routes.get("/api/we-met", use: pending)
        routes.post("/api/matches/:matchId/we-met", use: answer)
        routes.get("/api/admin/matching-funnel", use: funnel)
    }

    @Sendable func pending(request: Request, context: AppRequestContext) async throws -> APIResponse<[Ask]> {
        let (userID, _) = try context.requireSignedIn()
        let asks = try await self.asks(for: userID, context: context)
        return APIResponse(asks, message: asks.isEmpty ? "지금 여쭐 만남이 없습니다." : "만나 보셨는지 여쭙니다. 답은 본인만 봅니다.")
    }

    func asks(for userID: UUID, context: AppRequestContext) async throws -> [Ask] {
        var asks: [Ask] = []
        for row in try await feedback.pending(for: userID, logger: context.logger) {
            guard let person = try await profiles.person(row.partnerID, as: context.identity, logger: context.logger) else { continue }
            asks.append(Ask(matchId: row.matchID.uuidString.lowercased(), user: person.card, matchedAt: row.matchedAt))
        }
        return asks
    }

    @Sendable func answer(request: Request, context: AppRequestContext) async throws -> APIResponse<Recorded> {
        let (userID, _) = try context.requireSignedIn()
        guard let matchID = context.parameters.get("matchId").flatMap(UUID.init(uuidString:)) else {
            throw APIError.badRequest("INVALID_MATCH_ID", "매칭 번호가 올바르지 않습니다.")
        }
        let body = try await request.decode(as: Answer.self, context: context)
        guard try await feedback.answer(matchID, by: userID, met: body.met, wantAgain: body.wantAgain, requestID: context.id, logger: context.logger) else {
            throw APIError(.notFound, code: "NOTHING_TO_ANSWER", message: "이 만남에 대해서는 아직 여쭙지 않았습니다.")
        }
        return APIResponse(Recorded(), message: "답해 주셔서 고맙습니다. 이 답은 본인만 봅니다.")
    }

    @Sendable func funnel(request: Request, context: AppRequestContext) async throws -> APIResponse<MeetingFeedback.Funnel> {
        _ = try context.require(.opsRead)
        let days = try request.integerParameter("days", default: 30, range: 1...365)
        let funnel = try await feedback.funnel(days: days, logger: context.logger)
        return APIResponse(funnel, message: "최근 \(days)일의 매칭 단계별 수치입니다.")
    }
}
