import Foundation

/// The chance that one person likes another, and that two like each other, learned from decisions.
///
/// `logit P(a likes b) = intercept + selectivity(a) + appeal(b) + Σ weight·feature(a, b)`
///
/// - `selectivity(a)`: how much more or less readily `a` likes than people in general;
/// - `appeal(b)`: how much more or less `b` is liked than people in general;
/// - the features describe the pair (compatibility, shared interests, taste agreement, ...).
///
/// Both per-person terms are penalised towards 0, so a person with no history is judged by the
/// features alone, and the feature weights are penalised towards a prior, so a service with no
/// history yet ranks by compatibility. Mutual interest is `P(a likes b) · P(b likes a)`: in the
/// speed-dating data the two directions are close to independent once both people are known.
public struct ReciprocalModel: Sendable {
    public struct Prior: Sendable {
        public var likeRate: Double
        public var featureWeights: [Double]

        public init(likeRate: Double, featureWeights: [Double]) {
            self.likeRate = likeRate
            self.featureWeights = featureWeights
        }
    }

    public struct TrainingOptions: Sendable {
        /// Strength of the pull of each person's term towards 0, in decisions' worth.
        public var personPenalty = 2.0
        /// Strength of the pull of each feature weight towards its prior.
        public var weightPenalty = 5.0
        /// At most this many rounds of Newton steps…
        public var iterations = 150
        /// …stopping early once no parameter moved by more than this in a round.
        public var tolerance = 1e-5

        public init() {}
    }

    public var intercept: Double
    public var featureWeights: [Double]
    public var selectivity: [String: Double]
    public var appeal: [String: Double]
    /// How many rounds of Newton steps training took (0 untrained).
    public var trainingRounds = 0

    public init(prior: Prior) {
        intercept = Self.logit(prior.likeRate)
        featureWeights = prior.featureWeights
        selectivity = [:]
        appeal = [:]
    }

    /// Fits the model to `decisions` by penalised maximum likelihood (Newton steps on each block of
    /// parameters in turn, until no parameter moves by more than the tolerance). Deterministic: the
    /// same decisions give the same model.
    public static func train(
        decisions: [LikeDecision],
        features: (LikeDecision) -> [Double],
        prior: Prior,
        options: TrainingOptions = TrainingOptions()
    ) -> ReciprocalModel {
        var model = ReciprocalModel(prior: prior)
        guard !decisions.isEmpty else { return model }
        let count = prior.featureWeights.count
        // The features in one flat run, `count` per decision (row-major), for memory-order reading.
        var rows = [Double](repeating: 0, count: decisions.count * count)
        for (row, decision) in decisions.enumerated() {
            let values = features(decision)
            for j in 0..<min(count, values.count) { rows[row * count + j] = values[j] }
        }
        let labels = decisions.map { $0.liked ? 1.0 : 0.0 }
        // Each decision counts with its weight (an answer after meeting counts more than a tap).
        let weightOf = decisions.map(\.weight)
        var selectivity = [Double](repeating: 0, count: 0)
        var appeal = [Double](repeating: 0, count: 0)
        var deciderIndex: [String: Int] = [:]
        var receiverIndex: [String: Int] = [:]
        let deciders = decisions.map { decision in
            if let index = deciderIndex[decision.from] { return index }
            deciderIndex[decision.from] = selectivity.count
            selectivity.append(0)
            return selectivity.count - 1
        }
        let receivers = decisions.map { decision in
            if let index = receiverIndex[decision.to] { return index }
            receiverIndex[decision.to] = appeal.count
            appeal.append(0)
            return appeal.count - 1
        }

        var intercept = model.intercept
        let priorIntercept = model.intercept
        var weights = model.featureWeights
        var residual = [Double](repeating: 0, count: decisions.count)
        var curvature = [Double](repeating: 0, count: decisions.count)
        func refresh() {
            for row in labels.indices {
                var z = intercept + selectivity[deciders[row]] + appeal[receivers[row]]
                for j in 0..<count { z += weights[j] * rows[row * count + j] }
                let p = sigmoid(z)
                residual[row] = weightOf[row] * (p - labels[row])
                curvature[row] = weightOf[row] * max(p * (1 - p), 1e-6)
            }
        }
        for _ in 0..<options.iterations {
            model.trainingRounds += 1
            var largestStep = 0.0
            refresh()
            // Intercept and feature weights: one Newton step each, each pulled towards its prior so a
            // short or one-sided history (all likes, say) cannot push a probability to certainty.
            let interceptStep = (residual.reduce(0, +) + options.weightPenalty * (intercept - priorIntercept))
                / (curvature.reduce(0, +) + options.weightPenalty)
            intercept -= interceptStep
            largestStep = max(largestStep, abs(interceptStep))
            refresh()
            for j in 0..<count {
                var gradient = options.weightPenalty * (weights[j] - prior.featureWeights[j])
                var hessian = options.weightPenalty
                for row in labels.indices {
                    let value = rows[row * count + j]
                    gradient += residual[row] * value
                    hessian += curvature[row] * value * value
                }
                weights[j] -= gradient / hessian
                largestStep = max(largestStep, abs(gradient / hessian))
            }
            refresh()
            largestStep = max(largestStep, newtonStep(&selectivity, index: deciders, residual: residual, curvature: curvature, penalty: options.personPenalty))
            refresh()
            largestStep = max(largestStep, newtonStep(&appeal, index: receivers, residual: residual, curvature: curvature, penalty: options.personPenalty))
            if largestStep < options.tolerance { break }
        }
        model.intercept = intercept
        model.featureWeights = weights
        model.selectivity = deciderIndex.mapValues { selectivity[$0] }
        model.appeal = receiverIndex.mapValues { appeal[$0] }
        return model
    }

    /// One Newton step for each person's term; returns the largest step taken.
    private static func newtonStep(_ terms: inout [Double], index: [Int], residual: [Double], curvature: [Double], penalty: Double) -> Double {
        var gradient = terms.map { penalty * $0 * 0.25 }
        var hessian = [Double](repeating: penalty * 0.25, count: terms.count)
        for row in index.indices {
            gradient[index[row]] += residual[row]
            hessian[index[row]] += curvature[row]
        }
        var largest = 0.0
        for k in terms.indices {
            let step = gradient[k] / hessian[k]
            terms[k] -= step
            largest = max(largest, abs(step))
        }
        return largest
    }

    /// The chance that a person with `selectivity` likes one with `appeal`, given the pair's features.
    public func likeProbability(selectivity: Double, appeal: Double, features: [Double]) -> Double {
        likeProbability(selectivity: selectivity, appeal: appeal, features: features.span)
    }

    /// The same, for features held anywhere (ranking keeps them on the stack).
    public func likeProbability(selectivity: Double, appeal: Double, features: Span<Double>) -> Double {
        var z = intercept + selectivity + appeal
        for index in 0..<min(featureWeights.count, features.count) { z += featureWeights[index] * features[index] }
        return Self.sigmoid(z)
    }

    /// The chance that `from` likes `to`, given the pair's features.
    public func likeProbability(from: String, to: String, features: [Double]) -> Double {
        likeProbability(selectivity: selectivity[from] ?? 0, appeal: appeal[to] ?? 0, features: features)
    }

    static func sigmoid(_ z: Double) -> Double { 1 / (1 + exp(-z)) }
    static func logit(_ p: Double) -> Double {
        let clamped = min(max(p, 0.01), 0.99)
        return log(clamped / (1 - clamped))
    }
}
