import Foundation

/// Whether the people who have a feature fare worse than those who do not, in a way that may be
/// asked after every request without its false alarms growing: a mixture sequential probability
/// ratio test (mSPRT, Johari, Koomen, Pekelis and Walsh, "Always valid inference: continuous
/// monitoring of A/B tests", Operations Research 2022; the test behind Optimizely's Stats Engine).
///
/// Each cohort is a count of trials and of bad events among them: requests and server errors, or
/// requests and those slower than a latency bound. For the difference of the two rates
/// `Δ = rate(on) − rate(off)` the test weighs "Δ is at most `tolerance`" against a normal mixture
/// of alternatives (`Δ − tolerance ~ N(0, τ²)`); with the estimate `d` and its variance `V`,
///
///     Λ = √(V / (V + τ²)) · exp(τ² (d − tolerance)² / (2 V (V + τ²)))
///
/// is a likelihood ratio whose chance of ever reaching `1/α` under the null hypothesis is at most
/// α, however often it is looked at (Ville's inequality). The guardrail fails when `Λ ≥ 1/α` and
/// the on-cohort's rate is the higher by more than `tolerance`; a fixed-sample t-test looked at
/// repeatedly would raise false alarms far more often than its nominal α.
///
/// The variance is the normal approximation with the rates estimated (a plug-in, as Stats Engine
/// does); below `minimumTrials` per cohort no verdict is given, where that approximation is poor.
public struct SequentialGuardrail: Sendable, Equatable, Codable {
    /// The most false alarms allowed, over the whole rollout: 0.05 is one in twenty.
    public var alpha: Double
    /// How much worse the on-cohort's rate may be before it counts (absolute, e.g. 0.005 is half a
    /// percentage point of requests).
    public var tolerance: Double
    /// The mixture's variance: the size of difference the test is most sensitive to, squared.
    public var mixingVariance: Double
    /// Trials each cohort needs before any verdict.
    public var minimumTrials: Int

    public init(alpha: Double = 0.05, tolerance: Double = 0, mixingVariance: Double = 0.0004, minimumTrials: Int = 200) {
        self.alpha = alpha
        self.tolerance = tolerance
        self.mixingVariance = mixingVariance
        self.minimumTrials = minimumTrials
    }

    public struct Counts: Sendable, Equatable, Codable {
        public var trials: Int
        public var events: Int
        public init(trials: Int, events: Int) {
            self.trials = trials
            self.events = events
        }
        public var rate: Double { trials == 0 ? 0 : Double(events) / Double(trials) }
    }

    public enum Verdict: Sendable, Equatable {
        /// Fewer than `minimumTrials` in a cohort.
        case notEnoughData
        /// No evidence yet that the on-cohort is worse (the likelihood ratio so far).
        case holding(likelihoodRatio: Double)
        /// The on-cohort is worse beyond the tolerance, with a false-alarm chance at most α.
        case worse(likelihoodRatio: Double)

        public var failed: Bool { if case .worse = self { true } else { false } }
    }

    public func verdict(on: Counts, off: Counts) -> Verdict {
        guard on.trials >= minimumTrials, off.trials >= minimumTrials else { return .notEnoughData }
        let difference = on.rate - off.rate - tolerance
        // The variance of the difference, from each cohort's own rate; never zero, so a cohort with
        // no event yet is still weighed (the rate of an event in a trial is at least 1 in n + 1).
        func variance(_ counts: Counts) -> Double {
            let rate = min(max(counts.rate, 1 / Double(counts.trials + 1)), 1 - 1 / Double(counts.trials + 1))
            return rate * (1 - rate) / Double(counts.trials)
        }
        let v = variance(on) + variance(off)
        let tau2 = mixingVariance
        let logRatio = 0.5 * log(v / (v + tau2)) + tau2 * difference * difference / (2 * v * (v + tau2))
        let ratio = exp(min(logRatio, 700))
        return difference > 0 && ratio >= 1 / alpha ? .worse(likelihoodRatio: ratio) : .holding(likelihoodRatio: ratio)
    }
}
