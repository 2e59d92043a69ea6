import Foundation
#if canImport(Glibc)
import Glibc
#endif
import InyeonCore
import Logging

/// Holds the recommendation engine trained on everyone's likes and passes, with the index of
/// everyone who may be recommended, and rebuilds both when they have grown older than the
/// configured age. Training is single-flight: requests that find the model
/// stale while it retrains wait for that one training. If training fails (the database is away),
/// the last engine keeps serving, or one that ranks by compatibility alone.
actor RecommendationModelStore {
    struct Snapshot: Sendable {
        var engine: RecommendationEngine
        var index: CandidateIndex
        var trainedAt: ContinuousClock.Instant

        var decisionCount: Int { engine.decisions.decisions.count }
    }

    let repository: MatchingRepository
    let maxAge: Duration
    let currentYear: @Sendable () -> Int
    private var current: Snapshot?
    private var training: Task<Snapshot, any Error>?

    init(repository: MatchingRepository, maxAge: Duration, currentYear: @escaping @Sendable () -> Int) {
        self.repository = repository
        self.maxAge = maxAge
        self.currentYear = currentYear
    }

    /// The current engine. A stale one keeps serving while a new one trains in the background, so no
    /// request waits for training except the very first (and every one when the age limit is 0).
    func snapshot(logger: Logger) async -> Snapshot {
        if let current {
            let stale = ContinuousClock.now - current.trainedAt >= maxAge
            if !stale { return current }
            if maxAge > .zero {
                _ = startTraining(logger: logger)
                return current
            }
        }
        let task = startTraining(logger: logger)
        do {
            return try await task.value
        } catch {
            return current ?? Snapshot(
                engine: RecommendationEngine(prior: ProfilePairFeatures.prior), index: CandidateIndex([]), trainedAt: .now
            )
        }
    }

    /// Starts training a new engine now, unless one is training already; the current one keeps
    /// serving meanwhile.
    func startRetraining(logger: Logger) {
        _ = startTraining(logger: logger)
    }

    var isTraining: Bool { training != nil }

    private func startTraining(logger: Logger) -> Task<Snapshot, any Error> {
        if let training { return training }
        let repository = repository
        let year = currentYear()
        let task = Task { try await Self.train(repository: repository, currentYear: year, logger: logger) }
        training = task
        Task { await self.finish(task, logger: logger) }
        return task
    }

    private func finish(_ task: Task<Snapshot, any Error>, logger: Logger) async {
        do {
            current = try await task.value
        } catch {
            logger.warning("recommendation model could not be trained; serving the previous one", metadata: ["error": "\(error)"])
        }
        if training == task { training = nil }
    }

    static func train(repository: MatchingRepository, currentYear: Int, logger: Logger) async throws -> Snapshot {
        let searchable = try await repository.searchableProfiles(currentYear: currentYear, logger: logger)
        let decisions = try await repository.allDecisions(logger: logger)
        var profiles = Dictionary(searchable.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        // People who decided but are hidden from search still teach the engine.
        let others = Set(decisions.flatMap { [$0.from, $0.to] }).filter { profiles[$0] == nil }.compactMap(UUID.init(uuidString:))
        profiles.merge(try await repository.profiles(others, currentYear: currentYear, logger: logger)) { first, _ in first }
        let people = Array(profiles.values)
        let (engine, index) = await onBackgroundThread {
            let engine = RecommendationEngine.trained(on: decisions, profiles: people, currentYear: currentYear)
            return (engine, CandidateIndex(searchable, model: engine.model))
        }
        return Snapshot(engine: engine, index: index, trainedAt: .now)
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
