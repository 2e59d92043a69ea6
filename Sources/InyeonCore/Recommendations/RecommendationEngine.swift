/// The recommendation engine: learns from everyone's likes and passes how each person is
/// received, how selective each is and whose tastes resemble whose, combined with a few numbers
/// describing each pair (each roughly in -1...1); scores pairs by the chance that both will like
/// each other. The service describes pairs by compatibility (`ProfilePairFeatures`); the
/// evaluation on the speed-dating study by that study's profile fields (`InterchangePairFeatures`).
public struct RecommendationEngine: Sendable {
    public let decisions: DecisionGraph
    public let model: ReciprocalModel

    /// - Parameter features: describes how `from` might see `to`; called once per decision.
    public init(
        decisions: [LikeDecision],
        prior: ReciprocalModel.Prior,
        features: (_ from: String, _ to: String, _ decisions: DecisionGraph) -> [Double],
        options: ReciprocalModel.TrainingOptions = .init()
    ) {
        let graph = DecisionGraph(decisions)
        self.decisions = graph
        var prior = prior
        if graph.decisions.count >= 50 { prior.likeRate = graph.likeRate }
        self.model = ReciprocalModel.train(
            decisions: graph.decisions,
            features: { features($0.from, $0.to, graph) },
            prior: prior,
            options: options
        )
    }

    init(graph: DecisionGraph, model: ReciprocalModel) {
        decisions = graph
        self.model = model
    }

    /// An engine that has seen no decisions yet: it ranks by the pair features alone.
    public init(prior: ReciprocalModel.Prior) {
        decisions = DecisionGraph([])
        model = ReciprocalModel(prior: prior)
    }

    public func likeProbability(from: String, to: String, features: [Double]) -> Double {
        model.likeProbability(from: from, to: to, features: features)
    }

    /// The chance that `a` and `b` both like each other, in 0...1, from each direction's features.
    public func mutualProbability(_ a: String, _ b: String, aToB: [Double], bToA: [Double]) -> Double {
        likeProbability(from: a, to: b, features: aToB) * likeProbability(from: b, to: a, features: bToA)
    }
}
