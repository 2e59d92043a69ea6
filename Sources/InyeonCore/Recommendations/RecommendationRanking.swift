import Dispatch
import Foundation

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
    /// Scores the `candidates` (rows of `index`) for `viewer` and returns the best `limit`, most
    /// likely mutual first.
    ///
    /// A cascade: every candidate is first scored without taste agreement (the one feature whose
    /// cost grows with the history of decisions), from the index's flat columns alone; the best
    /// `shortlist` are then scored in full, and the chosen `limit` explained.
    public func rank(
        _ candidates: [CandidateIndex.Candidate], in index: CandidateIndex, for viewer: CandidateIndex.Viewer, calculator: CompatibilityCalculator,
        limit: Int, shortlist: Int = 120
    ) -> [ScoredCandidate] {
        let me = viewer.facts
        /// Both directions' chances multiplied; the per-person terms come from the index's columns.
        @Sendable func mutual(_ row: Int, _ score: CompatibilityScore, outgoingTaste: Double, incomingTaste: Double) -> Double {
            let them = index.table.facts[row]
            let outgoing = ProfilePairFeatures.features(
                compatibility: score, ageFit: calculator.ageFit(of: them.birthYear, within: me), tasteAgreement: outgoingTaste
            )
            let incoming = ProfilePairFeatures.features(
                compatibility: score, ageFit: calculator.ageFit(of: me.birthYear, within: them), tasteAgreement: incomingTaste
            )
            return model.likeProbability(selectivity: viewer.selectivity, appeal: index.appeal[row], features: outgoing.span)
                * model.likeProbability(selectivity: index.selectivity[row], appeal: viewer.appeal, features: incoming.span)
        }
        // Stage one: every candidate, by score and the per-person terms (no taste agreement, no words).
        // Scored in as many slices as there are cores, each into its own part of one buffer.
        var probabilities = [Double](repeating: 0, count: candidates.count)
        let slices = candidates.count >= 1000 ? ProcessInfo.processInfo.activeProcessorCount : 1
        probabilities.withUnsafeMutableBufferPointer { buffer in
            let output = UnsafeMutableSendableBuffer(buffer)
            DispatchQueue.concurrentPerform(iterations: slices) { slice in
                for position in (candidates.count * slice / slices)..<(candidates.count * (slice + 1) / slices) {
                    let candidate = candidates[position]
                    let row = Int(candidate.row)
                    let score = calculator.score(viewer.table, 0, index.table, row, distanceKm: candidate.distanceKm)
                    output.buffer[position] = mutual(row, score, outgoingTaste: 0, incomingTaste: 0)
                }
            }
        }
        // Ties (rare) fall back to the id, so the order is stable between calls.
        func before(_ x: (row: Int, probability: Double), _ y: (row: Int, probability: Double)) -> Bool {
            x.probability != y.probability ? x.probability > y.probability : index.people[x.row].id < index.people[y.row].id
        }
        var first = zip(candidates, probabilities).map { (row: Int($0.row), probability: $1) }
        first.sort(by: before)
        // Stage two: the shortlist with taste agreement both ways.
        var finals = first.prefix(max(shortlist, limit)).map { entry -> (row: Int, probability: Double, taste: Double) in
            let them = index.people[entry.row]
            let outgoing = decisions.tasteAgreement(decider: viewer.profile.id, receiver: them.id)
            let incoming = decisions.tasteAgreement(decider: them.id, receiver: viewer.profile.id)
            let score = calculator.score(viewer.table, 0, index.table, entry.row)
            return (entry.row, mutual(entry.row, score, outgoingTaste: outgoing, incomingTaste: incoming), outgoing)
        }
        finals.sort { before(($0.row, $0.probability), ($1.row, $1.probability)) }
        // The chosen few, explained.
        return finals.prefix(limit).map { entry in
            ScoredCandidate(
                profile: index.people[entry.row], compatibility: calculator.compatibility(viewer.profile, index.people[entry.row]),
                mutualProbability: entry.probability, tasteAgreement: entry.taste, appeal: index.appeal[entry.row]
            )
        }
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
