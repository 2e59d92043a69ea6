import Dispatch
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
        [
            Double(compatibility.totalScore - 60) / 20,
            Double(compatibility.breakdown.sharedInterests - 50) / 50,
            Double(calculator.ageFit(of: b, within: a) - 50) / 50,
            decisions.tasteAgreement(decider: a.id, receiver: b.id),
        ]
    }
}

/// One recommended person, scored and explained.
public struct ScoredCandidate: Sendable {
    public var profile: MatchingProfile
    public var compatibility: CompatibilityResult
    /// The engine's chance that both will like each other, 0...1.
    public var mutualProbability: Double
    public var tasteAgreement: Double
    /// How much more or less this person is liked than people in general (the model's appeal term).
    public var appeal: Double
}

extension RecommendationEngine {
    /// Scores `candidates` for `viewer` and returns the best `limit`, most likely mutual first.
    ///
    /// A cascade: every candidate is first scored without taste agreement (the one feature whose
    /// cost grows with the history of decisions); the best `shortlist` are then scored in full.
    public func rank(
        _ candidates: [CompactProfile], for viewerProfile: CompactProfile, calculator: CompatibilityCalculator, limit: Int,
        shortlist: Int = 120
    ) -> [ScoredCandidate] {
        let viewer = viewerProfile.profile
        let empty = DecisionGraph([])
        /// Both directions' chances multiplied, and the viewer's taste agreement; the per-person terms
        /// come with the compact profiles, so nothing is looked up by id.
        @Sendable func probability(_ candidate: CompactProfile, _ profile: MatchingProfile, _ score: CompatibilityScore, _ decisions: DecisionGraph)
            -> (mutual: Double, taste: Double) {
            let outgoing = ProfilePairFeatures.features(from: viewer, to: profile, compatibility: score, calculator: calculator, decisions: decisions)
            let incoming = ProfilePairFeatures.features(from: profile, to: viewer, compatibility: score, calculator: calculator, decisions: decisions)
            let mutual = model.likeProbability(selectivity: viewerProfile.selectivity, appeal: candidate.appeal, features: outgoing)
                * model.likeProbability(selectivity: candidate.selectivity, appeal: viewerProfile.appeal, features: incoming)
            return (mutual, outgoing[3])
        }
        // Stage one: every candidate, by score and the per-person terms (no taste agreement, no words).
        // Scored in as many slices as there are cores, each into its own part of one buffer.
        var probabilities = [Double](repeating: 0, count: candidates.count)
        let slices = candidates.count >= 1000 ? ProcessInfo.processInfo.activeProcessorCount : 1
        probabilities.withUnsafeMutableBufferPointer { buffer in
            let output = UnsafeMutableSendableBuffer(buffer)
            DispatchQueue.concurrentPerform(iterations: slices) { slice in
                let range = (candidates.count * slice / slices)..<(candidates.count * (slice + 1) / slices)
                for index in range {
                    let candidate = candidates[index]
                    let profile = candidate.profile
                    output.buffer[index] = probability(candidate, profile, calculator.score(viewerProfile, viewer, candidate, profile), empty).mutual
                }
            }
        }
        var first = zip(candidates, probabilities).map { (candidate: $0, probability: $1) }
        first.sort {
            $0.probability != $1.probability ? $0.probability > $1.probability : $0.candidate.profile.id < $1.candidate.profile.id
        }
        // Stage two: the shortlist in full.
        let finals = first.prefix(max(shortlist, limit)).map { entry -> ScoredCandidate in
            let profile = entry.candidate.profile
            let compatibility = calculator.compatibility(viewer, profile)
            let (mutual, taste) = probability(entry.candidate, profile, compatibility.score, decisions)
            return ScoredCandidate(
                profile: profile, compatibility: compatibility, mutualProbability: mutual, tasteAgreement: taste, appeal: entry.candidate.appeal
            )
        }
        func ordered(_ scored: [ScoredCandidate]) -> [ScoredCandidate] {
            // Ties (rare) fall back to the id, so the order is stable between calls.
            scored.sorted {
                $0.mutualProbability != $1.mutualProbability ? $0.mutualProbability > $1.mutualProbability : $0.profile.id < $1.profile.id
            }
        }
        return Array(ordered(finals).prefix(limit))
    }
}

public enum RecommendationExplanation {
    /// One plain Korean sentence on why this person is recommended.
    public static func sentence(for candidate: ScoredCandidate) -> String {
        var reasons = [candidate.compatibility.matchReason]
        if candidate.tasteAgreement > 0.1 {
            reasons.append("취향이 비슷한 분들이 이분께 호감을 보였습니다.")
        } else if candidate.appeal > 0.3 {
            reasons.append("많은 분들이 호감을 보인 분입니다.")
        }
        return reasons.joined(separator: " ")
    }
}

/// Lets the slices of one ranking write disjoint parts of one buffer from several threads.
private struct UnsafeMutableSendableBuffer: @unchecked Sendable {
    let buffer: UnsafeMutableBufferPointer<Double>

    init(_ buffer: UnsafeMutableBufferPointer<Double>) {
        self.buffer = buffer
    }
}
