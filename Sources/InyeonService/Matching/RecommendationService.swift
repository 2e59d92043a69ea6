import Foundation
import InyeonCore
import Logging

/// One person's recommendations: the SQL hard filters, both people's exact limits, then the
/// engine's ranking. The endpoint and the benchmark both run exactly this.
struct RecommendationService: Sendable {
    let repository: MatchingRepository
    let models: RecommendationModelStore
    let currentYear: @Sendable () -> Int

    /// At most this many people pass the SQL filters for one request; the engine ranks them all.
    static let candidatePoolSize = 3000

    struct Result: Sendable {
        var viewer: MatchingProfile
        var ranked: [ScoredCandidate]
        var cards: [String: ProfileCard]
        var superLikers: Set<String>
        var candidatesConsidered: Int
        var decisionsLearnedFrom: Int
    }

    /// Nil when the person has no profile yet.
    func recommend(for userID: UUID, limit: Int, logger: Logger) async throws -> Result? {
        let year = currentYear()
        guard let viewer = try await repository.ownProfile(userID, logger: logger, currentYear: year) else { return nil }
        async let snapshot = models.snapshot(logger: logger)
        async let superLikers = repository.superLikers(of: userID, logger: logger)
        let pool = try await repository.candidates(for: viewer, currentYear: year, limit: Self.candidatePoolSize, logger: logger)
        let eligible = pool.filter { viewer.admits($0.matching, currentYear: year) && $0.matching.admits(viewer, currentYear: year) }
        let model = await snapshot
        let ranked = model.engine.rank(
            eligible.map(\.matching), for: viewer, calculator: CompatibilityCalculator(currentYear: year), limit: limit
        )
        return Result(
            viewer: viewer,
            ranked: ranked,
            cards: Dictionary(eligible.map { ($0.matching.id, $0.card) }, uniquingKeysWith: { first, _ in first }),
            superLikers: try await superLikers,
            candidatesConsidered: eligible.count,
            decisionsLearnedFrom: model.decisionCount
        )
    }
}

extension RecommendationService {
    /// The engine's chance that `a` and `b` both like each other.
    func mutualProbability(_ a: MatchingProfile, _ b: MatchingProfile, compatibility: CompatibilityResult, logger: Logger) async -> Double {
        let engine = await models.snapshot(logger: logger).engine
        let calculator = CompatibilityCalculator(currentYear: currentYear())
        return engine.mutualProbability(
            a.id, b.id,
            aToB: ProfilePairFeatures.features(from: a, to: b, compatibility: compatibility, calculator: calculator, decisions: engine.decisions),
            bToA: ProfilePairFeatures.features(from: b, to: a, compatibility: compatibility, calculator: calculator, decisions: engine.decisions)
        )
    }
}
