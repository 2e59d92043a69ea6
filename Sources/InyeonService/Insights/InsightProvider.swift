import InyeonCore

/// Writes the words of an insight from the anonymous facts about a pair.
protocol InsightProvider: Sendable {
    /// "local" or "openai-compatible": shown with every insight.
    var name: String { get }
    /// One attempt; throws `InsightProviderError` (or any error) when it cannot answer.
    func write(_ facts: InsightFacts, language: InsightLanguage) async throws -> WrittenInsight
}

struct WrittenInsight: Sendable {
    var text: InsightText
    var tokensUsed: Int
}

enum InsightProviderError: Error, Equatable {
    /// 429 or 5xx: worth another try if time allows.
    case retryable(status: Int)
    /// Any other status.
    case rejected(status: Int)
    /// The answer was not JSON in the required shape, or broke the rules.
    case malformed(String)
    case timedOut

    var isRetryable: Bool {
        if case .retryable = self { return true }
        return false
    }

    var metricLabel: String {
        switch self {
        case .retryable(let status): status == 429 ? "rate_limited" : "server_error"
        case .rejected: "rejected"
        case .malformed: "malformed"
        case .timedOut: "timeout"
        }
    }
}

/// The provider that needs no network: `LocalInsightWriter` from the core.
struct LocalInsightProvider: InsightProvider {
    let name = "local"
    let writer = LocalInsightWriter()

    func write(_ facts: InsightFacts, language: InsightLanguage) async throws -> WrittenInsight {
        WrittenInsight(text: writer.write(facts, language: language), tokensUsed: 0)
    }
}
