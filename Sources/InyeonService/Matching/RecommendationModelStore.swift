import Foundation
import Hummingbird
#if canImport(Glibc)
import Glibc
#endif
import InyeonCore
import Logging

/// Holds the recommendation engine trained on everyone's likes and passes, with the index of
/// everyone who may be recommended, and rebuilds both when they have grown older than the
/// configured age. Training is single-flight, and a stale engine keeps serving while the next one
/// trains. If training fails (the database is away), the last engine keeps serving, or one that
/// ranks by compatibility alone.
///
/// Before the first engine exists (the service has just started; at 100,000 people training takes
/// half a minute), the service starts one as it starts (`warmUp`) and publishes an
/// index ranked by compatibility alone as soon as the profiles are read, before training on the
/// decisions. A request that finds nothing to rank with waits at most `firstEngineWait`, then is
/// told to come back (`NotReady`, 503 with `Retry-After`) instead of hanging.
actor RecommendationModelStore {
    struct Snapshot: Sendable {
        var engine: RecommendationEngine
        var index: CandidateIndex
        var trainedAt: ContinuousClock.Instant
        /// The stored version this instance serves (nil for one trained here alone, or none yet).
        var modelVersion: Int64? = nil
        /// Whether this instance trained it (rather than loading another instance's).
        var trainedHere = true
        /// When the index's people were read (nil: not read from the database); who joined since is
        /// added by `NewcomerCandidates` until the next load.
        var peopleReadAt: Date? = nil

        var decisionCount: Int { engine.decisions.decisions.count }
    }

    /// Nothing to rank with yet: the first engine is still being built.
    struct NotReady: HTTPResponseError {
        var retryAfterSeconds = 10
        var status: HTTPResponse.Status { .serviceUnavailable }

        func response(from request: Request, context: some RequestContext) throws -> Response {
            var response = try APIError(
                .serviceUnavailable, code: "RECOMMENDATIONS_WARMING_UP",
                message: "추천을 준비하고 있습니다. \(retryAfterSeconds)초쯤 뒤에 다시 시도해 주세요."
            ).response(from: request, context: context)
            response.headers[.retryAfter] = String(retryAfterSeconds)
            return response
        }
    }

    /// Builds a snapshot: reads and learns, calling `publishEarly` (when given) with a
    /// compatibility-only snapshot as soon as there is one.
    typealias Training = @Sendable (_ publishEarly: (@Sendable (Snapshot) async -> Void)?, _ logger: Logger) async throws -> Snapshot

    let maxAge: Duration
    let firstEngineWait: Duration
    private let training: Training
    private var current: Snapshot?
    private var trainingTask: Task<Snapshot, any Error>?
    /// Requests waiting for the first snapshot, each resumed with it or with nil when its wait ends.
    private var waiting: [Int: CheckedContinuation<Snapshot?, Never>] = [:]
    private var nextWaiter = 0

    /// Trains on everyone's profiles and decisions in PostgreSQL. `beforeTraining`, when given, runs
    /// before each training reads anything: a test holds the real training there, to ask the real
    /// endpoint while the first engine is still being built.
    ///
    /// With `stored` (and an age limit above 0) the model is trained once for the whole cluster:
    /// each instance reads the people and decisions itself (for its index and the pairs' features),
    /// but only the instance holding the training lock learns the model, and the others load it
    /// (`StoredRecommendationModels`).
    init(
        repository: MatchingRepository, stored: StoredRecommendationModels? = nil, maxAge: Duration, firstEngineWait: Duration = .seconds(5),
        currentYear: @escaping @Sendable () -> Int, beforeTraining: (@Sendable () async -> Void)? = nil
    ) {
        let cluster = maxAge > .zero ? stored : nil
        self.init(maxAge: maxAge, firstEngineWait: firstEngineWait) { publishEarly, logger in
            await beforeTraining?()
            return try await Self.train(
                repository: repository, stored: cluster, maxAge: maxAge, currentYear: currentYear(), publishEarly: publishEarly, logger: logger
            )
        }
    }

    init(maxAge: Duration, firstEngineWait: Duration, training: @escaping Training) {
        self.maxAge = maxAge
        self.firstEngineWait = firstEngineWait
        self.training = training
    }

    /// The current engine. A stale one keeps serving while a new one trains in the background. With
    /// an age limit of 0 every request trains a new one and waits for it.
    ///
    /// - Throws: `NotReady` when there is no engine yet and none arrived within `firstEngineWait`.
    func snapshot(logger: Logger) async throws(NotReady) -> Snapshot {
        if let current {
            let stale = ContinuousClock.now - current.trainedAt >= maxAge
            if !stale { return current }
            if maxAge > .zero {
                _ = startTraining(logger: logger)
                return current
            }
            return await trained(logger: logger)
        }
        if maxAge == .zero { return await trained(logger: logger) }
        _ = startTraining(logger: logger)
        if let first = await firstSnapshot(within: firstEngineWait) { return first }
        throw NotReady()
    }

    /// Waits for the engine being trained (starting one if none is), however long it takes; the
    /// benchmark and the age limit of 0 use it.
    func trained(logger: Logger) async -> Snapshot {
        let task = startTraining(logger: logger)
        do {
            return try await task.value
        } catch {
            return current ?? Self.compatibilityOnly(CandidateIndex([]))
        }
    }

    /// Starts training a new engine now, unless one is training already; the current one keeps
    /// serving meanwhile.
    func startRetraining(logger: Logger) {
        _ = startTraining(logger: logger)
    }

    /// Another instance published `version`: load it, unless it is the one served already.
    func published(version: Int64, logger: Logger) {
        guard maxAge > .zero, current?.modelVersion != version else { return }
        _ = startTraining(logger: logger)
    }

    /// The version served, and whether it was trained here (for the operators' health).
    var served: (version: Int64?, trainedHere: Bool, age: Duration)? {
        current.map { ($0.modelVersion, $0.trainedHere, ContinuousClock.now - $0.trainedAt) }
    }

    /// As the service starts: trains the first engine at once, so it is ready before people ask
    /// (not with an age limit of 0, where every request trains its own).
    func warmUp(logger: Logger) {
        if maxAge > .zero { startRetraining(logger: logger) }
    }

    var isTraining: Bool { trainingTask != nil }

    private func startTraining(logger: Logger) -> Task<Snapshot, any Error> {
        if let trainingTask { return trainingTask }
        let training = training
        // The first time only: publish the compatibility-only index while the decisions are read and learned.
        let publishEarly: (@Sendable (Snapshot) async -> Void)? = current == nil ? { @Sendable snapshot in await self.publishFirst(snapshot) } : nil
        let task = Task { try await training(publishEarly, logger) }
        trainingTask = task
        Task { await self.finish(task, logger: logger) }
        return task
    }

    private func finish(_ task: Task<Snapshot, any Error>, logger: Logger) async {
        do {
            publish(try await task.value)
        } catch {
            logger.failure("recommendation model could not be trained; the previous one, if any, keeps serving", error)
            if current == nil { resumeWaiters(with: nil) }
        }
        if trainingTask == task { trainingTask = nil }
    }

    private func publish(_ snapshot: Snapshot) {
        current = snapshot
        resumeWaiters(with: snapshot)
    }

    /// The early, compatibility-only snapshot; it counts as stale at once, so should the training
    /// that follows it fail, the next request starts another.
    private func publishFirst(_ snapshot: Snapshot) {
        guard current == nil else { return }
        var early = snapshot
        early.trainedAt = .now - maxAge
        publish(early)
    }

    private func firstSnapshot(within wait: Duration) async -> Snapshot? {
        if let current { return current }
        let id = nextWaiter
        nextWaiter += 1
        return await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                waiting[id] = continuation
                Task {
                    try? await Task.sleep(for: wait)
                    self.resumeWaiter(id, with: nil)
                }
            }
        } onCancel: {
            Task { await self.resumeWaiter(id, with: nil) }
        }
    }

    private func resumeWaiter(_ id: Int, with snapshot: Snapshot?) {
        waiting.removeValue(forKey: id)?.resume(returning: snapshot)
    }

    private func resumeWaiters(with snapshot: Snapshot?) {
        let resumed = waiting
        waiting = [:]
        for continuation in resumed.values { continuation.resume(returning: snapshot) }
    }

    static func compatibilityOnly(_ index: CandidateIndex, peopleReadAt: Date? = nil) -> Snapshot {
        Snapshot(
            engine: RecommendationEngine(prior: ProfilePairFeatures.prior), index: index, trainedAt: .now, trainedHere: false,
            peopleReadAt: peopleReadAt
        )
    }

    static func train(
        repository: MatchingRepository, stored: StoredRecommendationModels? = nil, maxAge: Duration = .zero, currentYear: Int,
        publishEarly: (@Sendable (Snapshot) async -> Void)? = nil, logger: Logger
    ) async throws -> Snapshot {
        let clock = ContinuousClock()
        let start = clock.now
        let peopleReadAt = Date()
        let searchable = try await repository.searchableProfiles(currentYear: currentYear, logger: logger)
        var early: CandidateIndex?
        if let publishEarly {
            let index = await onBackgroundThread { CandidateIndex(searchable) }
            early = index
            await publishEarly(compatibilityOnly(index, peopleReadAt: peopleReadAt))
            logger.info("recommendations ranked by compatibility until the engine is trained", metadata: [
                "people": "\(searchable.count)", "seconds": "\(seconds(clock.now - start))",
            ])
        }
        let decisions = try await repository.allDecisions(logger: logger)
        var profiles = Dictionary(searchable.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        // People who decided but are hidden from search still teach the engine.
        let others = Set(decisions.flatMap { [$0.from, $0.to] }).filter { profiles[$0] == nil }.compactMap(UUID.init(uuidString:))
        profiles.merge(try await repository.profiles(others, currentYear: currentYear, logger: logger)) { first, _ in first }
        let people = Array(profiles.values)
        let read = clock.now
        let learn: @Sendable () async -> RecommendationEngine = {
            await onBackgroundThread { RecommendationEngine.trained(on: decisions, profiles: people, currentYear: currentYear) }
        }
        let served: (engine: RecommendationEngine, version: Int64?, age: Duration, trainedHere: Bool)
        if let stored {
            let clustered = try await clusterEngine(stored: stored, maxAge: maxAge, people: people, decisions: decisions, learn: learn, logger: logger)
            served = (clustered.engine, clustered.version, clustered.age, clustered.trainedHere)
        } else {
            served = (await learn(), nil, .zero, true)
        }
        let model = served.engine.model
        let laidOut = early
        let index = await onBackgroundThread { laidOut?.with(model: model) ?? CandidateIndex(searchable, model: model) }
        let snapshot = Snapshot(
            engine: served.engine, index: index, trainedAt: .now - served.age, modelVersion: served.version, trainedHere: served.trainedHere,
            peopleReadAt: peopleReadAt
        )
        logger.info(snapshot.trainedHere ? "recommendation engine trained" : "recommendation engine loaded", metadata: [
            "people": "\(searchable.count)", "decisions": "\(decisions.count)", "version": "\(snapshot.modelVersion.map(String.init) ?? "-")",
            "readSeconds": "\(seconds(read - start))", "trainSeconds": "\(seconds(clock.now - read))",
        ])
        return snapshot
    }

    /// No stored version younger than the age limit appeared while another instance held the
    /// training lock, within the training's own deadline.
    struct NoModelPublished: Error, CustomStringConvertible {
        var description: String { "another instance held the training lock, and published no model in time" }
    }

    /// The engine this instance serves under a cluster-wide model: the newest stored version while
    /// it is younger than `maxAge`; otherwise one that this instance learns and publishes, if it
    /// takes the training lock; otherwise another instance is learning one, and this one waits for
    /// it (serving what it has meanwhile), or takes the lock over should that instance die.
    static func clusterEngine(
        stored: StoredRecommendationModels, maxAge: Duration, people: [MatchingProfile], decisions: [LikeDecision],
        learn: @escaping @Sendable () async -> RecommendationEngine, logger: Logger
    ) async throws -> (engine: RecommendationEngine, version: Int64, age: Duration, trainedHere: Bool) {
        let clock = ContinuousClock()
        let deadline = clock.now + MatchingRepository.trainingReadDeadline
        @Sendable func fresh() async throws -> StoredRecommendationModels.Published? {
            guard let newest = try await stored.newest(logger: logger), newest.age < maxAge else { return nil }
            do {
                return try await stored.load(newest, logger: logger)
            } catch let malformed as ReciprocalModel.Malformed {
                // Written by a newer or broken instance: as if there were none, so a new one is trained.
                logger.failure("stored recommendation model \(newest.number) cannot be read", malformed)
                return nil
            }
        }
        while true {
            if let published = try await fresh() {
                let engine = await onBackgroundThread { RecommendationEngine.loaded(published.model, decisions: decisions, profiles: people) }
                return (engine, published.version, published.age, false)
            }
            let learned = try await stored.whileTraining(logger: logger) { () async throws -> (RecommendationEngine, Int64, Bool) in
                // Another instance may have published while this one waited for the lock.
                if let published = try await fresh() {
                    let engine = await onBackgroundThread { RecommendationEngine.loaded(published.model, decisions: decisions, profiles: people) }
                    return (engine, published.version, false)
                }
                let started = ContinuousClock.now
                let engine = await learn()
                let version = try await stored.publish(
                    engine.model, people: people.count, decisions: engine.decisions.decisions.count,
                    training: ContinuousClock.now - started, logger: logger
                )
                return (engine, version, true)
            }
            if let (engine, version, trainedHere) = learned { return (engine, version, .zero, trainedHere) }
            guard clock.now < deadline else { throw NoModelPublished() }
            try await Task.sleep(for: .seconds(1))
        }
    }

    private static func seconds(_ duration: Duration) -> String {
        String(format: "%.1f", Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18)
    }

    /// Runs many seconds of arithmetic (training, at scale) on a thread of its own at a lower
    /// priority (nice 10), so the threads that serve requests keep the cores they need meanwhile.
    private static func onBackgroundThread<Result: Sendable>(_ work: @escaping @Sendable () -> Result) async -> Result {
        await withCheckedContinuation { continuation in
            let thread = Thread {
                #if canImport(Glibc)
                // On Linux the nice value is the calling thread's own: the rest of the process keeps its priority.
                _ = setpriority(__priority_which_t(PRIO_PROCESS.rawValue), 0, 10)
                #endif
                continuation.resume(returning: work())
            }
            thread.name = "recommendation-training"
            thread.start()
        }
    }
}
