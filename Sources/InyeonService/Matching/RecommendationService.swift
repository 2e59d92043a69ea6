import Foundation
import InyeonCore
import Logging

/// One person's recommendations: whom they must not see (from PostgreSQL), both people's hard
/// filters in the in-memory index, the engine's ranking, then the chosen cards read as the viewer.
/// The endpoint and the benchmark both run exactly this.
struct RecommendationService: Sendable {
    let repository: MatchingRepository
    let models: RecommendationModelStore
    let currentYear: @Sendable () -> Int
    /// Who joined search since the index was read.
    let newcomers: NewcomerCandidates

    init(repository: MatchingRepository, models: RecommendationModelStore, currentYear: @escaping @Sendable () -> Int) {
        self.repository = repository
        self.models = models
        self.currentYear = currentYear
        newcomers = NewcomerCandidates(repository: repository)
    }

    struct Result: Sendable {
        var viewer: MatchingProfile
        var ranked: [ScoredCandidate]
        var cards: [String: ProfileCard]
        var superLikers: Set<String>
        var candidatesConsidered: Int
        var decisionsLearnedFrom: Int
    }

    /// Nil when the person has no profile yet.
    ///
    /// The viewer's own profile and whom they must not see are read fresh; the candidate index and
    /// the engine come from the model store; the chosen cards are read last, as the viewer, so
    /// row-level security has the final word on whom they may see (a person hidden or blocked since
    /// the index was built is dropped there).
    func recommend(for userID: UUID, limit: Int, logger: Logger) async throws -> Result? {
        let year = currentYear()
        // The two reads and the model are independent: one round trip's wait instead of two.
        async let ownProfile = repository.ownProfile(userID, logger: logger, currentYear: year)
        async let hidden = repository.exclusions(for: userID, logger: logger)
        async let snapshot = models.snapshot(logger: logger)
        guard let viewer = try await ownProfile else { return nil }
        let exclusions = try await hidden
        let model = try await snapshot
        // The index as of its load, and beside it whoever joined search since, ranked alike.
        var considered = 0
        var ranked: [ScoredCandidate] = []
        let indexes = [model.index, await newcomers.index(beside: model, currentYear: year, logger: logger)].compactMap(\.self)
        for index in indexes {
            let asker = index.viewer(viewer, model: model.engine.model)
            let eligible = index.eligible(for: asker, excluding: exclusions.hidden, currentYear: year)
            considered += eligible.count
            ranked += model.engine.rank(eligible, in: index, for: asker, calculator: CompatibilityCalculator(currentYear: year), limit: limit * 2)
        }
        if indexes.count > 1 { ranked = Array(ranked.sorted { $0.mutualProbability > $1.mutualProbability }.prefix(limit * 2)) }
        let visible = try await repository.visiblePeople(ranked.map(\.profile.id), as: userID, currentYear: year, logger: logger)
        let cards = Dictionary(visible.map { ($0.matching.id, $0.card) }, uniquingKeysWith: { first, _ in first })
        // The index may be minutes old: each person shown is scored (and written about) as they are
        // now, so a fact just unshared or a choice just made (the outside writer) holds at once.
        let current = Dictionary(visible.map { ($0.matching.id, $0.matching) }, uniquingKeysWith: { first, _ in first })
        let calculator = CompatibilityCalculator(currentYear: year)
        let shown = ranked.compactMap { candidate -> ScoredCandidate? in
            guard let profile = current[candidate.profile.id] else { return nil }
            guard profile != candidate.profile else { return candidate }
            var fresh = candidate
            fresh.profile = profile
            fresh.compatibility = calculator.compatibility(viewer, profile)
            return fresh
        }
        return Result(
            viewer: viewer,
            ranked: Array(shown.prefix(limit)),
            cards: cards,
            superLikers: exclusions.superLikers,
            candidatesConsidered: considered,
            decisionsLearnedFrom: model.decisionCount
        )
    }
}

extension RecommendationService {
    /// The engine's chance that `a` and `b` both like each other; from compatibility alone while the
    /// first engine is still being built.
    func mutualProbability(_ a: MatchingProfile, _ b: MatchingProfile, compatibility: CompatibilityResult, logger: Logger) async -> Double {
        let engine = (try? await models.snapshot(logger: logger).engine) ?? RecommendationEngine(prior: ProfilePairFeatures.prior)
        let calculator = CompatibilityCalculator(currentYear: currentYear())
        return engine.mutualProbability(
            a.id, b.id,
            aToB: ProfilePairFeatures.features(from: a, to: b, compatibility: compatibility.score, calculator: calculator, decisions: engine.decisions),
            bToA: ProfilePairFeatures.features(from: b, to: a, compatibility: compatibility.score, calculator: calculator, decisions: engine.decisions)
        )
    }
}
