import Foundation

/// What a person sees about a recommended person or a match: a short recommendation, conversation
/// starters grounded in what the two share, and a prediction whose probability is the matching
/// engine's own (never a language model's).
public struct RelationshipInsight: Sendable, Codable, Equatable {
    public var recommendation: String
    public var conversationStarters: [String]
    public var relationshipPrediction: RelationshipPrediction
    /// Which provider wrote the words: "local" or "openai-compatible".
    public var provider: String
    public var language: InsightLanguage

    public init(recommendation: String, conversationStarters: [String], relationshipPrediction: RelationshipPrediction,
                provider: String, language: InsightLanguage) {
        self.recommendation = recommendation
        self.conversationStarters = conversationStarters
        self.relationshipPrediction = relationshipPrediction
        self.provider = provider
        self.language = language
    }
}

public struct RelationshipPrediction: Sendable, Codable, Equatable {
    public enum Level: String, Sendable, Codable {
        case veryHigh = "very_high", high, moderate, low
    }

    public var compatibility: Level
    /// The engine's chance that both will like each other, as a percentage with one decimal.
    public var successProbability: Double
    public var strengths: [String]
    public var considerations: [String]

    public init(compatibility: Level, successProbability: Double, strengths: [String], considerations: [String]) {
        self.compatibility = compatibility
        self.successProbability = successProbability
        self.strengths = strengths
        self.considerations = considerations
    }
}

public enum InsightLanguage: String, Sendable, Codable, CaseIterable {
    case ko, en
}

/// The words of an insight, as a provider writes them. Checked before use: a provider that breaks
/// the rules (too few starters, empty or overlong text) is treated as having failed.
public struct InsightText: Sendable, Codable, Equatable {
    public var recommendation: String
    public var conversationStarters: [String]
    public var strengths: [String]
    public var considerations: [String]

    public init(recommendation: String, conversationStarters: [String], strengths: [String], considerations: [String]) {
        self.recommendation = recommendation
        self.conversationStarters = conversationStarters
        self.strengths = strengths
        self.considerations = considerations
    }

    public enum Problem: Error, Equatable, CustomStringConvertible {
        case empty(String)
        case tooLong(String)
        case count(String, Int)

        public var description: String {
            switch self {
            case .empty(let field): "\(field) is empty"
            case .tooLong(let field): "\(field) is too long"
            case .count(let field, let count): "\(field) has \(count) items"
            }
        }
    }

    public func validated() throws -> InsightText {
        func check(_ text: String, _ field: String, limit: Int) throws -> String {
            let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
            guard !trimmed.isEmpty else { throw Problem.empty(field) }
            guard trimmed.count <= limit else { throw Problem.tooLong(field) }
            return trimmed
        }
        guard (3...5).contains(conversationStarters.count) else { throw Problem.count("conversationStarters", conversationStarters.count) }
        guard (1...4).contains(strengths.count) else { throw Problem.count("strengths", strengths.count) }
        guard considerations.count <= 4 else { throw Problem.count("considerations", considerations.count) }
        return InsightText(
            recommendation: try check(recommendation, "recommendation", limit: 600),
            conversationStarters: try conversationStarters.map { try check($0, "conversationStarters", limit: 200) },
            strengths: try strengths.map { try check($0, "strengths", limit: 200) },
            considerations: try considerations.map { try check($0, "considerations", limit: 200) }
        )
    }

    /// The JSON schema a provider's structured output must follow.
    public static let jsonSchema: String = """
        {"type":"object","additionalProperties":false,"required":["recommendation","conversationStarters","strengths","considerations"],\
        "properties":{"recommendation":{"type":"string"},\
        "conversationStarters":{"type":"array","minItems":3,"maxItems":5,"items":{"type":"string"}},\
        "strengths":{"type":"array","minItems":1,"maxItems":4,"items":{"type":"string"}},\
        "considerations":{"type":"array","maxItems":4,"items":{"type":"string"}}}}
        """
}
