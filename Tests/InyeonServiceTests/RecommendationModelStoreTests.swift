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
/// busy the machine's cooperative threads are with other tests.
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

    @Test func comeBackIsA503InTheEnvelopeWithRetryAfter() async throws {
        let router = Router()
        router.get("/recommendations") { _, _ -> String in throw RecommendationModelStore.NotReady() }
        try await Application(router: router).test(.router) { client in
            try await client.execute(uri: "/recommendations", method: .get) { response in
                #expect(response.status == .serviceUnavailable)
                #expect(response.headers[.retryAfter] == "10")
                let body = try JSONBody(response)
                #expect(body["success"] as? Bool == false)
                #expect(body["code"] as? String == "RECOMMENDATIONS_WARMING_UP")
                #expect((body["error"] as? String)?.contains("10초") == true)
            }
        }
    }
}
