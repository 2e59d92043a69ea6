/// What the engine knows about a pair of people besides their decisions: a few numbers, each
/// roughly in -1...1, describing how `from` might see `to`. The service describes pairs by
/// compatibility; the evaluation on the speed-dating study by its own profile fields.
public protocol PairDescription: Sendable {
    /// Weights to use before any decision has been seen, and the expected like rate.
    var prior: ReciprocalModel.Prior { get }
    func features(from: String, to: String, decisions: DecisionGraph) -> [Double]
}

/// The recommendation engine: learns from everyone's likes and passes how each person is
/// received, how selective each is and whose tastes resemble whose, combined with what the
/// pair description says; scores pairs by the chance that both will like each other.
public struct RecommendationEngine<Description: PairDescription>: Sendable {
    public let description: Description
    public let decisions: DecisionGraph
    public let model: ReciprocalModel

    public init(description: Description, decisions: [LikeDecision], options: ReciprocalModel.TrainingOptions = .init()) {
        let graph = DecisionGraph(decisions)
        self.description = description
        self.decisions = graph
        var prior = description.prior
        if graph.decisions.count >= 50 { prior.likeRate = graph.likeRate }
        self.model = ReciprocalModel.train(
            decisions: graph.decisions,
            features: { description.features(from: $0.from, to: $0.to, decisions: graph) },
            prior: prior,
            options: options
        )
    }

    public func likeProbability(from: String, to: String) -> Double {
        model.likeProbability(from: from, to: to, features: description.features(from: from, to: to, decisions: decisions))
    }

    /// The chance that `a` and `b` both like each other, in 0...1.
    public func mutualProbability(_ a: String, _ b: String) -> Double {
        likeProbability(from: a, to: b) * likeProbability(from: b, to: a)
    }
}
