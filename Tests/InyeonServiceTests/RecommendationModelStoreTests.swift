import Foundation
import Hummingbird
import HummingbirdTesting
import InyeonCore
import Logging
import Testing
@testable import InyeonService

/// The first engine: while it is built nobody hangs. A request waits at most `firstEngineWait`, is
/// served the compatibility-only index once the profiles are read, and the trained engine replaces
/// it when ready. Training here is held at a gate the test opens, in place of half a minute of
/// reading and learning at 100,000 people. Where a wait must not happen, the wait is set to an hour
/// and the suite's time limit turns a hang into a failure; wall-clock bounds would depend on how
/// busy the machine's cooperative threads are with other tests. The last test is the whole service
/// (app builder, live port, PostgreSQL) with only the start of its real training held, so the real
/// endpoint and page give their warming-up answer.
@Suite(.timeLimit(.minutes(1))) struct RecommendationModelStoreTests {
    let logger = TestDatabase.logger

    /// A snapshot whose engine has learned from `decisions` likes (0: compatibility only).
    static func snapshot(decisions: Int) -> RecommendationModelStore.Snapshot {
        let likes = (0..<decisions).map { LikeDecision(from: "a\($0)", to: "b\($0)", liked: true) }
        let engine = RecommendationEngine(decisions: likes, prior: ProfilePairFeatures.prior) { _, _, _ in [0, 0, 0, 0] }
        return .init(engine: engine, index: CandidateIndex([]), trainedAt: .now)
    }

    /// Training that publishes `early` (if any), then waits until the gate opens.
    static func gatedTraining(early: Bool, gate: AsyncStream<Void>) -> RecommendationModelStore.Training {
        { publishEarly, _ in
            if early, let publishEarly { await publishEarly(snapshot(decisions: 0)) }
            for await _ in gate { break }
            return snapshot(decisions: 3)
        }
    }

    static func eventually(_ condition: () async -> Bool) async throws -> Bool {
        for _ in 0..<1_000 {
            if await condition() { return true }
            try await Task.sleep(for: .milliseconds(20))
        }
        return false
    }

    @Test func withNothingToRankWithARequestWaitsBrieflyThenIsToldToComeBack() async throws {
        let (gate, open) = AsyncStream<Void>.makeStream()
        let store = RecommendationModelStore(maxAge: .seconds(300), firstEngineWait: .milliseconds(300), training: Self.gatedTraining(early: false, gate: gate))
        let started = ContinuousClock.now
        await #expect(throws: RecommendationModelStore.NotReady.self) { try await store.snapshot(logger: logger) }
        let waited = ContinuousClock.now - started
        #expect(waited >= .milliseconds(300), "waited \(waited)")
        #expect(await store.isTraining, "answered while the one training goes on (its gate is still shut)")

        open.yield()
        let trained = try await Self.eventually { (try? await store.snapshot(logger: logger).decisionCount) == 3 }
        #expect(trained, "the trained engine serves once ready")
    }

    @Test func theCompatibilityOnlyIndexServesWhileTheEngineTrains() async throws {
        let (gate, open) = AsyncStream<Void>.makeStream()
        let store = RecommendationModelStore(maxAge: .seconds(300), firstEngineWait: .seconds(3600), training: Self.gatedTraining(early: true, gate: gate))
        await store.warmUp(logger: logger)
        // Served, not refused: the early index, neither the training (its gate is shut) nor the hour's wait.
        let early = try await store.snapshot(logger: logger)
        #expect(early.decisionCount == 0)
        #expect(await store.isTraining)

        open.yield()
        let trained = try await Self.eventually { (try? await store.snapshot(logger: logger).decisionCount) == 3 }
        #expect(trained, "the trained engine replaces the compatibility-only one")
        #expect(await !store.isTraining)
    }

    @Test func aFirstTrainingThatFailsAnswersAtOnceAndTheNextRequestTriesAgain() async throws {
        struct DatabaseAway: Error {}
        let attempts = Shared(0)
        let store = RecommendationModelStore(maxAge: .seconds(300), firstEngineWait: .seconds(3600)) { _, _ in
            if attempts.withLock({ $0 += 1; return $0 }) == 1 { throw DatabaseAway() }
            return Self.snapshot(decisions: 3)
        }
        // Refused at once on the failure, not after the hour's wait.
        await #expect(throws: RecommendationModelStore.NotReady.self) { try await store.snapshot(logger: logger) }
        let trained = try await Self.eventually { (try? await store.snapshot(logger: logger).decisionCount) == 3 }
        #expect(trained)
        #expect(attempts.withLock { $0 } == 2)
    }

    @Test func aCancelledRequestStopsWaiting() async throws {
        let (gate, open) = AsyncStream<Void>.makeStream()
        defer { open.yield() }
        let store = RecommendationModelStore(maxAge: .seconds(300), firstEngineWait: .seconds(3600), training: Self.gatedTraining(early: false, gate: gate))
        let request = Task { try await store.snapshot(logger: logger) }
        try await Task.sleep(for: .milliseconds(100))
        request.cancel()
        // Ends on the cancellation, not after the hour's wait nor the training (its gate is shut).
        await #expect(throws: RecommendationModelStore.NotReady.self) { try await request.value }
        #expect(await store.isTraining)
    }

    @Test func withAnAgeLimitOfZeroEveryRequestWaitsForItsOwnTraining() async throws {
        let store = RecommendationModelStore(maxAge: .zero, firstEngineWait: .milliseconds(10)) { _, _ in
            try await Task.sleep(for: .milliseconds(200))
            return Self.snapshot(decisions: 3)
        }
        await store.warmUp(logger: logger)
        #expect(await !store.isTraining, "no warm-up: each request trains its own")
        #expect(try await store.snapshot(logger: logger).decisionCount == 3)
    }

    /// The real service (the app builder, a live port, PostgreSQL): its first engine's training is held
    /// before it reads anything, so the real endpoint and the real page answer as just after a start.
    @Test func theRealEndpointAndPageAnswerWarmingUpUntilTheFirstEngineIsReady() async throws {
        let outbox = AccountHelper.outboxDirectory()
        defer { try? FileManager.default.removeItem(atPath: outbox) }
        let (gate, open) = AsyncStream<Void>.makeStream()
        defer { open.finish() }
        let held = Shared(0)
        // As the service runs by default: the first engine starts training as the service starts, and is kept.
        let configuration = try TestDatabase.configuration(["MAIL_OUTBOX_DIR": outbox, "TRUST_PROXY": "true", "RECOMMENDATION_WARM_UP": "true"])
        #expect(configuration.recommendationModelMaxAgeSeconds > 0)
        let app = try await buildApplication(
            configuration: configuration, logger: logger, photoDecoding: nil,
            beforeRecommendationTraining: {
                held.withLock { $0 += 1 }
                for await _ in gate { break }
            }
        )
        try await app.test(.live) { client in
            let accounts = AccountHelper(client: client, outbox: outbox)
            let email = AccountHelper.uniqueEmail("warming")
            let tokens = try await accounts.signUp(email: email)
            let place = accounts.testPlace
            let saved = try await accounts.client.execute(
                uri: "/api/me/profile", method: .put,
                headers: [.authorization: "Bearer \(tokens.access)", .contentType: "application/json"],
                body: accounts.json(MatchLifecycleTests.profile("female", name: "기다림", birthYear: 1970, city: place.city, district: place.district))
            )
            #expect(saved.status == .ok)
            let browser = WebPageTests.Browser(client)
            _ = try await browser.get("/login")
            let signedIn = try await browser.post("/login", [("_csrf", browser.csrf), ("email", email), ("password", "a calm morning walk")])
            #expect(signedIn.status == .seeOther)
            #expect(held.withLock { $0 } == 1, "the warm-up training started with the service and is held")

            // The endpoint and the page at once: each waits the documented 5 s, then is told to come back.
            let started = ContinuousClock.now
            async let apiAnswer = accounts.get("/api/matching/recommendations", token: tokens.access)
            async let pageAnswer = browser.get("/recommendations")
            let (api, page) = try await (apiAnswer, pageAnswer)
            let waited = ContinuousClock.now - started
            #expect(waited >= .seconds(5), "waited \(waited)")
            #expect(api.status == .serviceUnavailable)
            #expect(api.headers[.retryAfter] == "10")
            let body = try JSONBody(api)
            #expect(body["success"] as? Bool == false)
            #expect(body["code"] as? String == "RECOMMENDATIONS_WARMING_UP")
            #expect(body["error"] as? String == "추천을 준비하고 있습니다. 10초쯤 뒤에 다시 시도해 주세요.")
            #expect(page.status == .serviceUnavailable)
            #expect(page.headers[.contentType] == "text/html; charset=utf-8")
            #expect(page.text.contains("소개해 드릴 분들을 준비하고 있습니다. 10초쯤 뒤에 다시 열어 주세요."), "\(page.text)")
            #expect(held.withLock { $0 } == 1, "the requests waited for the one training, not a new one each")

            // Once the training may go on, the same request is answered by the engine.
            open.yield()
            let served = try await Self.eventually {
                (try? await accounts.get("/api/matching/recommendations", token: tokens.access).status) == .ok
            }
            #expect(served)
            #expect(try await browser.get("/recommendations").status == .ok)
        }
    }
}
