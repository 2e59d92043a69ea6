import AsyncHTTPClient
import Foundation
import Hummingbird
import HummingbirdTesting
import InyeonCore
@testable import InyeonService
import Logging
import NIOCore
import Synchronization
import Testing

/// An OpenAI-compatible chat-completions server inside the test process: it records what the client
/// sends and answers as each test tells it to.
final class FakeChatServer: Sendable {
    enum Answer: Sendable {
        case insight
        case status(Int)
        case slow(Duration)
        case malformedJSON
        case schemaBroken
    }

    private let script = Mutex<[Answer]>([])
    private let fallback = Mutex<Answer>(.insight)
    let requests = Mutex<[Data]>([])

    func answer(_ answers: [Answer], then: Answer = .insight) {
        script.withLock { $0 = answers }
        fallback.withLock { $0 = then }
    }

    var requestCount: Int { requests.withLock { $0.count } }

    static let goodContent = """
        {"recommendation":"두 분은 가치관이 잘 맞아 편안한 대화를 나누실 수 있겠습니다.",\
        "conversationStarters":["등산을 함께 즐기신다니, 좋아하는 산이 있으신가요?","가족과의 주말은 어떻게 보내시나요?","서울에서 즐겨 찾는 산책길이 있으신가요?"],\
        "strengths":["가치관이 잘 맞습니다."],"considerations":[]}
        """

    func router() -> Router<BasicRequestContext> {
        let router = Router()
        router.post("/v1/chat/completions") { request, context -> Response in
            let body = try await request.body.collect(upTo: 1 << 20)
            self.requests.withLock { $0.append(Data(body.readableBytesView)) }
            let next = self.script.withLock { $0.isEmpty ? nil : $0.removeFirst() } ?? self.fallback.withLock { $0 }
            func completion(_ content: String) -> Response {
                let escaped = String(decoding: try! JSONEncoder().encode(content), as: UTF8.self)
                let json = #"{"id":"x","object":"chat.completion","choices":[{"index":0,"message":{"role":"assistant","content":\#(escaped)}}],"usage":{"total_tokens":321}}"#
                return Response(status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(string: json)))
            }
            switch next {
            case .insight: return completion(Self.goodContent)
            case .status(let code): return Response(status: .init(code: code))
            case .slow(let delay):
                try await Task.sleep(for: delay)
                return completion(Self.goodContent)
            case .malformedJSON: return Response(status: .ok, body: .init(byteBuffer: ByteBuffer(string: "{not json")))
            case .schemaBroken: return completion(#"{"recommendation":"짧아요","conversationStarters":["하나"],"strengths":[],"considerations":[]}"#)
            }
        }
        return router
    }

    /// Runs `body` with the fake server listening; passes its base URL.
    func run(_ body: @Sendable @escaping (String) async throws -> Void) async throws {
        let app = Application(router: router(), configuration: .init(address: .hostname("127.0.0.1", port: 0)))
        try await app.test(.live) { client in
            try await body("http://127.0.0.1:\(client.port!)/v1")
        }
    }
}

@Suite(.serialized) struct InsightProviderTests {
    static let year = 2026
    static let people = (0..<2).map { DemoPeopleGenerator(currentYear: year).person(at: $0) }

    static func service(baseURL: String, deadline: Duration = .milliseconds(800), failures: Int = 3, coolDown: Duration = .milliseconds(400)) -> InsightService {
        InsightService(
            external: OpenAICompatibleProvider(client: .shared, baseURL: baseURL, apiKey: "test-key", model: "test-model", attemptTimeout: deadline),
            breaker: CircuitBreaker(failureThreshold: failures, coolDown: coolDown),
            deadline: deadline, cache: MemoryCache(), metrics: ServiceMetrics(), model: "test-model"
        )
    }

    static func ask(_ service: InsightService, pair: Int = 0) async -> (RelationshipInsight, Duration) {
        let generator = DemoPeopleGenerator(currentYear: year)
        let a = generator.person(at: 2 * pair).matchingProfile
        let b = generator.person(at: 2 * pair + 1).matchingProfile
        let started = ContinuousClock.now
        let insight = await service.insight(
            a, b, compatibility: CompatibilityCalculator(currentYear: year).compatibility(a, b), mutualProbability: 0.237,
            currentYear: year, language: .ko, logger: TestDatabase.logger
        )
        return (insight, .now - started)
    }

    @Test func theClientSendsTheModelTheSchemaAndNothingThatIdentifiesAnyone() async throws {
        let server = FakeChatServer()
        try await server.run { url in
            let (insight, _) = await Self.ask(Self.service(baseURL: url))
            #expect(insight.provider == "openai-compatible")
            #expect(insight.conversationStarters.count == 3)
            #expect(insight.relationshipPrediction.successProbability == 23.7, "the engine's probability, not the model's")
            let sent = try #require(server.requests.withLock { $0.first })
            let request = try #require(try JSONSerialization.jsonObject(with: sent) as? [String: Any])
            #expect(request["model"] as? String == "test-model")
            let format = try #require(request["response_format"] as? [String: Any])
            #expect(format["type"] as? String == "json_schema")
            let schema = try #require((format["json_schema"] as? [String: Any])?["schema"] as? [String: Any])
            #expect((schema["required"] as? [String])?.contains("conversationStarters") == true)
            let text = String(decoding: sent, as: UTF8.self)
            let generator = DemoPeopleGenerator(currentYear: Self.year)
            for person in [generator.person(at: 0), generator.person(at: 1)] {
                #expect(!text.contains(person.displayName), "no name")
                #expect(!text.contains(person.id), "no id")
                #expect(!text.contains(person.email), "no e-mail")
                #expect(!text.contains(person.phone), "no phone")
                #expect(!text.contains(person.place.district), "no district")
                #expect(!text.contains(String(format: "%.3f", person.exactLatitude)), "no coordinates")
                #expect(!text.contains(person.bio), "no free text")
            }
            // The facts themselves: no interest (people write their own) and no place, not even the city.
            let messages = try #require(request["messages"] as? [[String: Any]])
            let facts = try #require(messages.last?["content"] as? String)
            let a = generator.person(at: 0), b = generator.person(at: 1)
            #expect(!Set(a.interests).isDisjoint(with: b.interests) || a.place.city == b.place.city, "the pair shares something to leak")
            for interest in a.interests + b.interests {
                #expect(!facts.contains(interest), "no interest: \(interest)")
            }
            #expect(!facts.contains(a.place.city) && !facts.contains(b.place.city), "no city")
        }
    }

    /// Either person may keep their card's facts from the outside provider (a setting): then nothing
    /// is sent and the local writer answers; with both allowing it, the provider writes.
    @Test func aPersonWhoKeepsTheirCardFromTheOutsideWriterGetsTheLocalOne() async throws {
        let server = FakeChatServer()
        try await server.run { url in
            let service = Self.service(baseURL: url)
            let generator = DemoPeopleGenerator(currentYear: Self.year)
            var a = generator.person(at: 40).matchingProfile
            let b = generator.person(at: 41).matchingProfile
            a.outsideWriterAllowed = false
            let compatibility = CompatibilityCalculator(currentYear: Self.year).compatibility(a, b)
            for (first, second) in [(a, b), (b, a)] {
                let kept = await service.insight(first, second, compatibility: compatibility, mutualProbability: 0.2, currentYear: Self.year,
                                                 language: .ko, logger: TestDatabase.logger)
                #expect(kept.provider == "local" && kept.conversationStarters.count >= 3)
            }
            #expect(server.requestCount == 0, "nothing about either card left the service")
            a.outsideWriterAllowed = true
            let written = await service.insight(a, b, compatibility: compatibility, mutualProbability: 0.2, currentYear: Self.year, language: .en,
                                                logger: TestDatabase.logger)
            #expect(written.provider == "openai-compatible" && server.requestCount == 1)
        }
    }

    @Test func a429IsRetriedWithinTheDeadline() async throws {
        let server = FakeChatServer()
        try await server.run { url in
            server.answer([.status(429)])
            let (insight, elapsed) = await Self.ask(Self.service(baseURL: url))
            #expect(insight.provider == "openai-compatible")
            #expect(server.requestCount == 2)
            #expect(elapsed < .milliseconds(800))
        }
    }

    @Test(arguments: [
        ("500 every time", FakeChatServer.Answer.status(500)),
        ("past the deadline", .slow(.seconds(3))),
        ("malformed JSON", .malformedJSON),
        ("JSON that breaks the schema", .schemaBroken),
        ("400", .status(400)),
    ])
    func everyFailureEndsInALocalAnswerWithinTheDeadline(_ name: String, _ answer: FakeChatServer.Answer) async throws {
        let server = FakeChatServer()
        try await server.run { url in
            server.answer([], then: answer)
            let (insight, elapsed) = await Self.ask(Self.service(baseURL: url, deadline: .milliseconds(600), failures: 100))
            #expect(insight.provider == "local", "\(name)")
            #expect(insight.conversationStarters.count >= 3)
            #expect(elapsed < .milliseconds(600 + 250), "\(name) took \(elapsed)")
        }
    }

    @Test func theBreakerOpensStopsCallingThenLetsOneProbeThroughAndCloses() async throws {
        let server = FakeChatServer()
        try await server.run { url in
            let service = Self.service(baseURL: url, failures: 2, coolDown: .milliseconds(400))
            server.answer([], then: .status(400))
            _ = await Self.ask(service, pair: 0)
            _ = await Self.ask(service, pair: 1)
            #expect(service.breaker.status.state == "open")
            let calls = server.requestCount
            let (whileOpen, elapsed) = await Self.ask(service, pair: 2)
            #expect(whileOpen.provider == "local")
            #expect(server.requestCount == calls, "no call while open")
            #expect(elapsed < .milliseconds(100))

            try await Task.sleep(for: .milliseconds(450))
            server.answer([], then: .insight)
            async let probe = Self.ask(service, pair: 3)
            async let other = Self.ask(service, pair: 4)
            let (first, second) = await (probe, other)
            #expect(server.requestCount == calls + 1, "exactly one probe goes through")
            #expect([first.0.provider, second.0.provider].sorted() == ["local", "openai-compatible"])
            #expect(service.breaker.status.state == "closed")
            #expect(await Self.ask(service, pair: 5).0.provider == "openai-compatible")
        }
    }

    @Test func aSuccessfulInsightIsCachedUntilEitherPersonChanges() async throws {
        let server = FakeChatServer()
        try await server.run { url in
            let cache = MemoryCache()
            let service = InsightService(
                external: OpenAICompatibleProvider(client: .shared, baseURL: url, apiKey: "k", model: "m", attemptTimeout: .seconds(1)),
                breaker: CircuitBreaker(failureThreshold: 3, coolDown: .seconds(1)), deadline: .seconds(1), cache: cache,
                metrics: ServiceMetrics(), model: "m"
            )
            _ = await Self.ask(service)
            _ = await Self.ask(service)
            #expect(server.requestCount == 1)
            // The second person's card changes: every instance drops what mentions them.
            await CacheInvalidation.apply("profiles:\(Self.people[1].id)/", to: cache)
            _ = await Self.ask(service)
            #expect(server.requestCount == 2)
        }
    }
}

/// Insights through the service's own endpoints, with the flag.
@Suite(.serialized) struct InsightEndpointTests {
    @Test func withNoKeyTheLocalWriterFillsEnhancedTestOnceTheFlagIsOn() async throws {
        try await withApp(["FEATURE_AI_INSIGHTS": "false"]) { client in
            let off = try JSONBody(try await client.execute(uri: "/api/matching/enhanced-test", method: .get))
            #expect(off.object.keys.contains("data"))
            #expect((off["data"] as? [String: Any])?.keys.contains("aiInsights") == true)
            #expect(off["data.aiInsights"] is NSNull, "present and null while the flag is off")
        }
        try await withApp(["FEATURE_AI_INSIGHTS": "true"]) { client in
            let on = try JSONBody(try await client.execute(uri: "/api/matching/enhanced-test", method: .get))
            #expect(on["data.aiInsights.provider"] as? String == "local")
            let starters = try #require(on["data.aiInsights.conversationStarters"] as? [String])
            #expect((3...5).contains(starters.count))
            let probability = try #require(on["data.aiInsights.relationshipPrediction.successProbability"] as? Double)
            #expect(probability > 0 && probability < 100)
            #expect(["very_high", "high", "moderate", "low"].contains(on["data.aiInsights.relationshipPrediction.compatibility"] as? String ?? ""))
            let english = try JSONBody(try await client.execute(uri: "/api/matching/enhanced-test?lang=en", method: .get))
            #expect(english["data.aiInsights.language"] as? String == "en")
            let health = try JSONBody(try await client.execute(uri: "/api/health/enhanced", method: .get, headers: try await OperatorToken.headers()))
            #expect(health["data.ai.provider"] as? String == "local")
        }
    }

    @Test func turningTheFlagOffHidesInsightsEverywhereWithoutARestart() async throws {
        let token = try await FeatureFlagTests.adminToken()
        try await withAccounts(["FEATURE_AI_INSIGHTS": "true", "RECOMMENDATION_MODEL_MAX_AGE": "0"]) { accounts in
            let her = try await MatchLifecycleTests.member(accounts, "female", name: "통찰", birthYear: 1970)
            let him = try await MatchLifecycleTests.member(accounts, "male", name: "통찰상대", birthYear: 1966)
            _ = try await MatchLifecycleTests.member(accounts, "male", name: "추천될사람", birthYear: 1967)
            _ = try await MatchLifecycleTests.decide(accounts, her, "like", about: him)
            _ = try await MatchLifecycleTests.decide(accounts, him, "like", about: her)
            func insightsShown() async throws -> (recommendations: Bool, matches: Bool) {
                let recommendations = try JSONBody(try await accounts.get("/api/matching/recommendations?limit=5", token: her.token))
                let matches = try JSONBody(try await accounts.get("/api/matches", token: her.token))
                return (recommendations["data.recommendations.0.aiInsights.recommendation"] is String,
                        matches["data.0.aiInsights.recommendation"] is String)
            }
            let before = try await insightsShown()
            #expect(before.recommendations && before.matches)
            let set = try await accounts.client.execute(
                uri: "/api/admin/flags/aiInsights", method: .put,
                headers: [.authorization: "Bearer \(token)", .contentType: "application/json"], body: ByteBuffer(string: #"{"setting": "false"}"#)
            )
            #expect(set.status == .ok)
            let after = try await insightsShown()
            #expect(!after.recommendations && !after.matches)
            let reset = try await accounts.client.execute(uri: "/api/admin/flags/aiInsights", method: .delete, headers: [.authorization: "Bearer \(token)"])
            #expect(reset.status == .ok)
        }
    }
}
