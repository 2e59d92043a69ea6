import Foundation
import Hummingbird
import InyeonCore

/// The earlier system's matching endpoints, answering with compatibility computed from the two profiles.
struct MatchingController: Sendable {
    let profiles: any ProfileRepository
    let calculator: @Sendable () -> CompatibilityCalculator
    let insights: CallerInsights
    /// Signed-out callers all get the same demo run (two cards, 500 candidates read and scored): it
    /// is computed once and shared for a moment, dropped whenever any card changes.
    var sharedAnswers: (any Cache)?
    var anonymousCardsAllowed: @Sendable () -> Bool = { true }

    struct AdvancedCompatibility: Encodable, Sendable {
        var totalScore: Int
        var breakdown: CompatibilityBreakdown
        var serendipityScore: Int
        var sharedInterests: [String]
        var matchReason: String
    }

    struct PotentialMatch: Encodable, Sendable {
        var userId: String
        var name: String
        var age: String?
        var compatibilityScore: Int
        var serendipityScore: Int
        var matchReason: String
    }

    struct TestRun: Encodable, Sendable {
        var users: [ProfileCard]
        var results: Results

        struct Results: Encodable, Sendable {
            var advancedCompatibility: AdvancedCompatibility
            var potentialMatches: [PotentialMatch]
        }
    }

    /// `/api/matching/enhanced-test`: the test run plus `aiInsights` (null while the AI flag is off for the caller).
    struct EnhancedTestRun: Encodable, Sendable {
        var users: [ProfileCard]
        var results: TestRun.Results
        var aiInsights: RelationshipInsight?

        enum CodingKeys: String, CodingKey {
            case users, results, aiInsights
        }

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(users, forKey: .users)
            try container.encode(results, forKey: .results)
            // Present as an explicit null, as the legacy clients expect.
            try container.encode(aiInsights, forKey: .aiInsights)
        }
    }

    struct IntelligentCompatibility: Encodable, Sendable {
        var user: ProfileCard
        var targetUser: ProfileCard
        var compatibility: AdvancedCompatibility
    }

    func addRoutes(to routes: RouteTable<AppRequestContext>) {
        routes.get("/api/matching/test", use: test)
        routes.get("/api/matching/enhanced-test", use: enhancedTest)
        routes.get("/api/matching/intelligent-compatibility/:targetUserId", use: intelligentCompatibility)
    }

    /// Compatibility of two people (by default the two demo members) and the first person's best
    /// matches. Signed-out callers all get the same answer for the same people: it is computed once
    /// and shared for a moment, dropped whenever any card changes.
    @Sendable func test(request: Request, context: AppRequestContext) async throws -> Response {
        let parameters = try TestParameters(request: request, context: context)
        let message = "매칭 알고리즘 테스트가 완료되었습니다."
        if let sharedAnswers, context.identity == .anonymous {
            let key = "matching-test/\(anonymousCardsAllowed())/\(parameters.key)"
            return try await sharedAnswers.sharedAnswer(key: key, message: message) { try await testRun(parameters, context: context).run }
        }
        return try APIResponse(try await testRun(parameters, context: context).run, message: message).response(from: request, context: context)
    }

    /// Whose compatibility the test run shows, and how many of the first person's matches.
    struct TestParameters: Sendable {
        var userID: UUID
        var targetID: UUID
        var limit: Int

        init(request: Request, context: AppRequestContext) throws {
            userID = try request.userIDParameter("userId") ?? context.identity.userID ?? UUID(uuidString: DemoPeopleGenerator.kimSeren)!
            targetID = try request.userIDParameter("targetUserId") ?? UUID(uuidString: DemoPeopleGenerator.leeMaeryeok)!
            limit = try request.integerParameter("limit", default: 5, range: 1...20)
        }

        var key: String { "\(userID.uuidString.lowercased())/\(targetID.uuidString.lowercased())/\(limit)" }
    }

    /// The test run, with the two people it is about (the enhanced run writes about them too).
    func testRun(_ parameters: TestParameters, context: AppRequestContext) async throws -> (run: TestRun, user: VisiblePerson, target: VisiblePerson) {
        let user = try await visiblePerson(parameters.userID, context: context)
        let target = try await visiblePerson(parameters.targetID, context: context)
        let calculator = calculator()
        let candidates = try await profiles.people(excluding: parameters.userID, as: context.identity, limit: 500, logger: context.logger)
        let ranked = candidates
            .filter { user.matching.seeking.accepts($0.matching.gender) && $0.matching.seeking.accepts(user.matching.gender) }
            .map { ($0, calculator.compatibility(user.matching, $0.matching)) }
            .sorted { $0.1.totalScore > $1.1.totalScore }
            .prefix(parameters.limit)
            .map { person, result in
                PotentialMatch(
                    userId: person.card.id, name: person.card.name, age: person.card.ageRange,
                    compatibilityScore: result.totalScore, serendipityScore: result.serendipityScore, matchReason: result.matchReason
                )
            }
        let run = TestRun(
            users: [user.card, target.card],
            results: .init(advancedCompatibility: Self.advanced(calculator.compatibility(user.matching, target.matching)), potentialMatches: Array(ranked))
        )
        return (run, user, target)
    }

    @Sendable func enhancedTest(request: Request, context: AppRequestContext) async throws -> APIResponse<EnhancedTestRun> {
        let parameters = try TestParameters(request: request, context: context)
        let (run, user, target) = try await testRun(parameters, context: context)
        let insight = await insights.insight(
            for: context.identity, viewer: user.matching, other: target.matching,
            compatibility: calculator().compatibility(user.matching, target.matching),
            language: CallerInsights.language(request), logger: context.logger
        )
        return APIResponse(
            EnhancedTestRun(users: run.users, results: run.results, aiInsights: insight),
            message: "향상된 매칭 테스트가 완료되었습니다."
        )
    }

    @Sendable func intelligentCompatibility(request: Request, context: AppRequestContext) async throws -> APIResponse<IntelligentCompatibility> {
        let targetID = try context.userIDPathParameter("targetUserId")
        let userID = try request.userIDParameter("userId") ?? context.identity.userID ?? UUID(uuidString: DemoPeopleGenerator.kimSeren)!
        let user = try await visiblePerson(userID, context: context)
        let target = try await visiblePerson(targetID, context: context)
        let result = calculator().compatibility(user.matching, target.matching)
        return APIResponse(
            IntelligentCompatibility(user: user.card, targetUser: target.card, compatibility: Self.advanced(result)),
            message: "호환성 분석이 완료되었습니다."
        )
    }

    /// A person the caller may see; 404 `USER_NOT_FOUND` both when absent and when hidden, so hiding reveals nothing.
    func visiblePerson(_ id: UUID, context: AppRequestContext) async throws -> VisiblePerson {
        guard let person = try await profiles.person(id, as: context.identity, logger: context.logger) else {
            throw APIError(.notFound, code: "USER_NOT_FOUND", message: "사용자를 찾을 수 없습니다.")
        }
        return person
    }

    static func advanced(_ result: CompatibilityResult) -> AdvancedCompatibility {
        AdvancedCompatibility(
            totalScore: result.totalScore, breakdown: result.breakdown.shown, serendipityScore: result.serendipityScore,
            sharedInterests: result.sharedInterests, matchReason: result.matchReason
        )
    }
}
