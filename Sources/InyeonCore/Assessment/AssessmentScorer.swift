/// Turns a person's answers into personality and value scores (0-100), a communication style, and
/// a reliability figure for inconsistent answering.
public enum AssessmentScorer {
    public static let personalityDimensions = DemoPeopleGenerator.personalityDimensions
    public static let valueDimensions = DemoPeopleGenerator.valueDimensions

    public struct Result: Sendable, Codable, Equatable {
        public var personality: [String: Double]
        public var values: [String: Double]
        public var communicationStyle: CommunicationStyle
        /// 1 when no two answers pull a trait in opposite directions; lower the more they do.
        public var reliability: Double
    }

    public enum Problem: Error, Equatable, Sendable {
        case unanswered([String])
        case unknownQuestion(String)
        case unknownOption(question: String, option: String)
    }

    /// `answers`: question id → option id, every question exactly once.
    public static func score(_ answers: [String: String], catalog: [AssessmentQuestion] = AssessmentCatalog.questions) throws(Problem) -> Result {
        let byID = Dictionary(uniqueKeysWithValues: catalog.map { ($0.id, $0) })
        if let unknown = answers.keys.sorted().first(where: { byID[$0] == nil }) { throw .unknownQuestion(unknown) }
        let missing = catalog.map(\.id).filter { answers[$0] == nil }
        guard missing.isEmpty else { throw .unanswered(missing) }

        var scores: [String: Double] = Dictionary(uniqueKeysWithValues: (personalityDimensions + valueDimensions).map { ($0, 50) })
        var pulls: [String: [Int]] = [:]
        var style = CommunicationStyle.diplomatic
        for question in catalog {
            let choice = answers[question.id]!
            guard let option = question.options.first(where: { $0.id == choice }) else {
                throw .unknownOption(question: question.id, option: choice)
            }
            for (dimension, effect) in option.effects {
                scores[dimension, default: 50] += Double(effect)
                pulls[dimension, default: []].append(effect.signum())
            }
            if question.id == "communication" {
                style = [CommunicationStyle.direct, .diplomatic, .supportive, .analytical][question.options.firstIndex(of: option)!]
            }
        }
        // Every pair of answers that moved one trait in opposite directions counts against reliability.
        var compared = 0
        var conflicting = 0
        for signs in pulls.values where signs.count > 1 {
            for i in 0..<signs.count {
                for j in (i + 1)..<signs.count {
                    compared += 1
                    if signs[i] * signs[j] < 0 { conflicting += 1 }
                }
            }
        }
        let clamp = { (value: Double) in min(100, max(0, value)) }
        return Result(
            personality: Dictionary(uniqueKeysWithValues: personalityDimensions.map { ($0, clamp(scores[$0]!)) }),
            values: Dictionary(uniqueKeysWithValues: valueDimensions.map { ($0, clamp(scores[$0]!)) }),
            communicationStyle: style,
            reliability: compared == 0 ? 1 : ((1 - Double(conflicting) / Double(compared)) * 1000).rounded() / 1000
        )
    }
}
