import Foundation

/// Runs the service's recommendation engine on interchange files: learns from the observed
/// decisions and scores every hidden pair by the chance that both like each other.
public struct MatchingEvaluation: Sendable {
    public let engine: RecommendationEngine
    let pairFeatures: InterchangePairFeatures

    public init(people: [InterchangeFormat.Person], interactions: [InterchangeFormat.Interaction]) {
        let decisions = interactions.compactMap { interaction -> LikeDecision? in
            switch interaction.decision {
            case "like": LikeDecision(from: interaction.from, to: interaction.to, liked: true)
            case "pass": LikeDecision(from: interaction.from, to: interaction.to, liked: false)
            default: nil
            }
        }
        let pairFeatures = InterchangePairFeatures(people: people)
        self.pairFeatures = pairFeatures
        engine = RecommendationEngine(decisions: decisions, prior: InterchangePairFeatures.prior, features: pairFeatures.features)
    }

    public func score(_ pairs: [InterchangeFormat.Pair]) -> [InterchangeFormat.ScoredPair] {
        pairs.map { pair in
            let score = engine.mutualProbability(
                pair.a, pair.b,
                aToB: pairFeatures.features(from: pair.a, to: pair.b, decisions: engine.decisions),
                bToA: pairFeatures.features(from: pair.b, to: pair.a, decisions: engine.decisions)
            )
            return InterchangeFormat.ScoredPair(a: pair.a, b: pair.b, score: score)
        }
    }
}

/// Describes a pair from the interchange profile fields: how alike the two people's interests are,
/// and how much the one's taste agrees with those who decided on the other.
public struct InterchangePairFeatures: Sendable {
    let interests: [String: [String: Double]]

    public init(people: [InterchangeFormat.Person]) {
        var interests: [String: [String: Double]] = [:]
        for person in people { interests[person.id] = person.interests ?? [:] }
        self.interests = interests
    }

    public static let prior = ReciprocalModel.Prior(likeRate: 0.4, featureWeights: [0.3, 1.0])

    public func features(from: String, to: String, decisions: DecisionGraph) -> [Double] {
        [
            InterestSimilarity.correlation(interests[from] ?? [:], interests[to] ?? [:]),
            decisions.tasteAgreement(decider: from, receiver: to),
        ]
    }
}

public enum InterestSimilarity {
    /// Pearson correlation of two people's interest intensities over the interests both rated; 0
    /// when fewer than two are shared or either is flat.
    public static func correlation(_ a: [String: Double], _ b: [String: Double]) -> Double {
        let shared = a.keys.filter { b[$0] != nil }
        guard shared.count >= 2 else { return 0 }
        let x = shared.map { a[$0]! }
        let y = shared.map { b[$0]! }
        let meanX = x.reduce(0, +) / Double(x.count)
        let meanY = y.reduce(0, +) / Double(y.count)
        var covariance = 0.0, varianceX = 0.0, varianceY = 0.0
        for (u, v) in zip(x, y) {
            covariance += (u - meanX) * (v - meanY)
            varianceX += (u - meanX) * (u - meanX)
            varianceY += (v - meanY) * (v - meanY)
        }
        let denominator = (varianceX * varianceY).squareRoot()
        return denominator > 0 ? covariance / denominator : 0
    }
}
