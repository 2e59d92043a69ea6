import AsyncHTTPClient
import Foundation
import InyeonCore
import Hummingbird
import Logging

/// Insights that never slow or break matching: the configured provider gets a deadline per insight,
/// retries with backoff and jitter only on 429 and 5xx and only while time is left, and sits
/// behind a circuit breaker; on any failure the local writer answers, and the insight says which
/// provider produced it. Insights are cached per pair and language; a change to either person's
/// profile or assessment drops them (see `InsightCacheKey`).
struct InsightService: Sendable {
    let external: (any InsightProvider)?
    let local = LocalInsightProvider()
    let breaker: CircuitBreaker
    let deadline: Duration
    let cache: any Cache
    let metrics: ServiceMetrics

    struct Status: Encodable, Sendable {
        var provider: String
        var model: String?
        var fallback: String
        var deadlineMilliseconds: Int
        var breaker: CircuitBreaker.Status?
    }

    let model: String?

    var status: Status {
        Status(
            provider: external?.name ?? local.name, model: external == nil ? nil : model, fallback: local.name,
            deadlineMilliseconds: Int(deadline.components.seconds * 1000 + deadline.components.attoseconds / 1_000_000_000_000_000),
            breaker: external == nil ? nil : breaker.status
        )
    }

    func insight(
        _ a: MatchingProfile, _ b: MatchingProfile, compatibility: CompatibilityResult, mutualProbability: Double,
        currentYear: Int, language: InsightLanguage, logger: Logger
    ) async -> RelationshipInsight {
        let facts = InsightFacts(a, b, compatibility: compatibility, mutualProbability: mutualProbability, currentYear: currentYear)
        let keys = InsightCacheKey.keys(a.id, b.id, language: language)
        // Either person may keep their card's facts from the outside provider; then the local writer answers.
        let outside = a.outsideWriterAllowed != false && b.outsideWriterAllowed != false
        let (text, provider) = await cachedText(keys: keys, facts: facts, language: language, outside: outside, logger: logger)
        return RelationshipInsight(
            recommendation: text.recommendation,
            conversationStarters: text.conversationStarters,
            relationshipPrediction: RelationshipPrediction(
                compatibility: facts.level, successProbability: facts.successProbability,
                strengths: text.strengths, considerations: text.considerations
            ),
            provider: provider,
            language: language
        )
    }

    struct CachedText: Codable, Sendable {
        var text: InsightText
        var provider: String
    }

    /// The pair is stored under both people's keys; it counts as cached only while both remain, so
    /// dropping either person's prefix drops it.
    func cachedText(keys: (String, String), facts: InsightFacts, language: InsightLanguage, outside: Bool = true,
                    logger: Logger) async -> (InsightText, String) {
        if let first = await cache.peek(.insights, key: keys.0, as: CachedText.self),
           let second = await cache.peek(.insights, key: keys.1, as: CachedText.self), first.provider == second.provider {
            return (first.text, first.provider)
        }
        let (text, provider, cacheable) = await write(facts, language: language, outside: outside, logger: logger)
        // A fallback answer is not kept, so the provider is asked again once it recovers.
        if cacheable {
            await cache.store(.insights, key: keys.0, value: CachedText(text: text, provider: provider))
            await cache.store(.insights, key: keys.1, value: CachedText(text: text, provider: provider))
        }
        return (text, provider)
    }

    func write(_ facts: InsightFacts, language: InsightLanguage, outside: Bool = true, logger: Logger) async -> (InsightText, String, Bool) {
        guard let external, outside else {
            return (local.writer.write(facts, language: language), local.name, true)
        }
        guard breaker.allowsCall() else {
            metrics.recordInsightFallback(reason: "breaker_open")
            return (local.writer.write(facts, language: language), local.name, false)
        }
        let started = ContinuousClock.now
        do {
            let written = try await withDeadline(deadline, timeoutError: { InsightProviderError.timedOut }) {
                try await Self.withRetries(until: started + deadline) {
                    try await external.write(facts, language: language)
                }
            }
            breaker.recordSuccess()
            metrics.recordInsight(provider: external.name, outcome: "success", duration: .now - started, tokens: written.tokensUsed)
            return (written.text, external.name, true)
        } catch {
            breaker.recordFailure()
            let reason = (error as? InsightProviderError)?.metricLabel ?? "error"
            metrics.recordInsight(provider: external.name, outcome: reason, duration: .now - started, tokens: 0)
            metrics.recordInsightFallback(reason: reason)
            logger.warning("insight provider failed; the local writer answered", metadata: ["reason": "\(reason)"])
            return (local.writer.write(facts, language: language), local.name, false)
        }
    }

    /// Retries 429 and 5xx with exponential backoff and full jitter (100 ms, 200 ms, ...), never
    /// starting a wait that would end past `end`.
    static func withRetries<Result: Sendable>(
        until end: ContinuousClock.Instant, _ attempt: @Sendable () async throws -> Result
    ) async throws -> Result {
        var tries = 0
        while true {
            do {
                return try await attempt()
            } catch let error as InsightProviderError where error.isRetryable {
                tries += 1
                let ceiling = 100.0 * pow(2, Double(tries - 1))
                let wait = Duration.milliseconds(Int.random(in: Int(ceiling / 2)...Int(ceiling)))
                guard tries < 4, ContinuousClock.now + wait < end else { throw error }
                try await Task.sleep(for: wait)
            }
        }
    }
}

enum InsightCacheKey {
    /// `<a>/<b>/<lang>` and `<b>/<a>/<lang>`: each begins with one person's id, the prefix that
    /// `CacheInvalidation` drops when that person's card or assessment changes.
    static func keys(_ a: String, _ b: String, language: InsightLanguage) -> (String, String) {
        ("\(a)/\(b)/\(language.rawValue)", "\(b)/\(a)/\(language.rawValue)")
    }
}

extension InsightService {
    static func make(settings: InsightSettings, cache: any Cache, metrics: ServiceMetrics) -> InsightService {
        let deadline = Duration.milliseconds(settings.deadlineMilliseconds)
        let external: (any InsightProvider)? = settings.apiKey.map { key in
            OpenAICompatibleProvider(client: .shared, baseURL: settings.baseURL, apiKey: key, model: settings.model, attemptTimeout: deadline)
        }
        return InsightService(
            external: external,
            breaker: CircuitBreaker(failureThreshold: settings.breakerFailures, coolDown: .milliseconds(settings.breakerCoolDownMilliseconds)),
            deadline: deadline, cache: cache, metrics: metrics, model: settings.model
        )
    }
}

/// Insights as one caller may see them: `nil` wherever `FEATURE_AI_INSIGHTS` is off for that person
/// (read per request, so turning the flag off hides them at once, without a restart).
struct CallerInsights: Sendable {
    let insights: InsightService
    let flags: FlagStore
    let recommendations: RecommendationService

    func enabled(for identity: RequestIdentity) -> Bool {
        flags.evaluate(.aiInsights, for: identity).enabled
    }

    static func language(_ request: Request) -> InsightLanguage {
        request.uri.queryParameters.get("lang").flatMap(InsightLanguage.init(rawValue:)) ?? .ko
    }

    /// The insight for `viewer` about `other`, with the engine's mutual probability (computed here
    /// when the caller has none at hand); nil when the flag is off for the caller.
    func insight(
        for identity: RequestIdentity, viewer: MatchingProfile, other: MatchingProfile, compatibility: CompatibilityResult,
        mutualProbability: Double? = nil, language: InsightLanguage, logger: Logger
    ) async -> RelationshipInsight? {
        guard enabled(for: identity) else { return nil }
        var probability = mutualProbability
        if probability == nil { probability = await recommendations.mutualProbability(viewer, other, compatibility: compatibility, logger: logger) }
        return await insights.insight(
            viewer, other, compatibility: compatibility, mutualProbability: probability ?? 0,
            currentYear: recommendations.currentYear(), language: language, logger: logger
        )
    }

    /// The insight for each recommended person, by id, written at the same time (a provider's
    /// deadline then bounds the whole page, not each card in turn); empty when the flag is off.
    func insights(
        for result: RecommendationService.Result, identity: RequestIdentity, language: InsightLanguage, logger: Logger
    ) async -> [String: RelationshipInsight] {
        guard enabled(for: identity) else { return [:] }
        return await withTaskGroup(of: (String, RelationshipInsight?).self) { group in
            for candidate in result.ranked {
                group.addTask {
                    let insight = await insight(
                        for: identity, viewer: result.viewer, other: candidate.profile, compatibility: candidate.compatibility,
                        mutualProbability: candidate.mutualProbability, language: language, logger: logger
                    )
                    return (candidate.profile.id, insight)
                }
            }
            var written: [String: RelationshipInsight] = [:]
            for await (id, insight) in group { written[id] = insight }
            return written
        }
    }
}
