import Foundation

/// How the service describes a pair to the recommendation engine: from `from`'s side, how well
/// `to` suits them overall, how many pastimes they share, how `to`'s age sits in `from`'s
/// preferred range, and how `from`'s taste agrees with those who have judged `to`.
public enum ProfilePairFeatures {
    /// Before anyone has liked or passed anyone, rank by compatibility first.
    public static let prior = ReciprocalModel.Prior(likeRate: 0.3, featureWeights: [1.5, 0.4, 0.5, 1.0])

    public static func features(
        from a: MatchingProfile, to b: MatchingProfile, compatibility: CompatibilityScore,
        calculator: CompatibilityCalculator, decisions: DecisionGraph
    ) -> [Double] {
        let values = features(
            compatibility: compatibility, ageFit: calculator.ageFit(of: b, within: a),
            tasteAgreement: decisions.tasteAgreement(decider: a.id, receiver: b.id)
        )
        return values.indices.map { values[$0] }
    }

    /// The same numbers, kept on the stack: `ageFit` is how `to`'s age sits in `from`'s range.
    static func features(compatibility: CompatibilityScore, ageFit: Int, tasteAgreement: Double) -> InlineArray<4, Double> {
        [
            Double(compatibility.totalScore - 60) / 20,
            Double(compatibility.breakdown.sharedInterests - 50) / 50,
            Double(ageFit - 50) / 50,
            tasteAgreement,
        ]
    }
}

extension RecommendationEngine {
    /// The service's engine: trained on its likes and passes, each decision described by
    /// `ProfilePairFeatures` of the two people (read from one `ScoringTable` of them all, so a
    /// million decisions are described in seconds). Decisions about anyone not in `profiles` (they
    /// have left) are left out.
    public static func trained(on decisions: [LikeDecision], profiles: [MatchingProfile], currentYear: Int) -> RecommendationEngine {
        let table = ScoringTable(profiles, vocabulary: InterestVocabulary(profiles))
        let rows = Dictionary(profiles.enumerated().map { ($1.id, $0) }, uniquingKeysWith: { first, _ in first })
        let calculator = CompatibilityCalculator(currentYear: currentYear)
        let usable = decisions.filter { rows[$0.from] != nil && rows[$0.to] != nil }
        return RecommendationEngine(decisions: usable, prior: ProfilePairFeatures.prior) { from, to, graph in
            let (a, b) = (rows[from]!, rows[to]!)
            let values = ProfilePairFeatures.features(
                compatibility: calculator.score(table, a, table, b),
                ageFit: calculator.ageFit(of: table.facts[b].birthYear, within: table.facts[a]),
                tasteAgreement: graph.tasteAgreement(decider: from, receiver: to)
            )
            return values.indices.map { values[$0] }
        }
    }

    /// The engine with `model`, trained elsewhere, over the same decisions `trained(on:profiles:)`
    /// would learn from now: the features of a pair are the same whichever instance describes it.
    public static func loaded(_ model: ReciprocalModel, decisions: [LikeDecision], profiles: [MatchingProfile]) -> RecommendationEngine {
        let known = Set(profiles.map(\.id))
        return RecommendationEngine(decisions: decisions.filter { known.contains($0.from) && known.contains($0.to) }, model: model)
    }
}
