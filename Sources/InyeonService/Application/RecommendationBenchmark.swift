import Foundation
import InyeonCore
import Logging
import PostgresNIO

/// The recommendation benchmark: with N demo people and a history of likes and passes among them,
/// times one person's recommendations end to end through `RecommendationService` (PostgreSQL filters
/// under RLS, both people's limits, the engine's ranking), for many different people in turn.
public enum RecommendationBenchmark {
    public struct Result: Sendable, CustomStringConvertible {
        public var people: Int
        public var decisions: Int
        public var requests: Int
        public var trainingSeconds: Double
        public var meanCandidates: Double
        public var p50Milliseconds: Double
        public var p95Milliseconds: Double
        public var p99Milliseconds: Double
        /// The in-memory part alone (candidate search, both people's filters, ranking), p50 and p95.
        public var rankingP50Milliseconds: Double
        public var rankingP95Milliseconds: Double
        /// Retraining in the background while requests keep coming: how long it took, and the
        /// requests' latency meanwhile.
        public var retrainingSeconds: Double
        public var requestsDuringRetraining: Int
        public var duringRetrainingP50Milliseconds: Double
        public var duringRetrainingP95Milliseconds: Double
        /// One training for the cluster: the model stored (its size), and another instance loading it
        /// instead of training (how long, and how much its resident memory grew: what one instance
        /// needs for N people, its index and engine).
        public var storedModelKilobytes: Int
        public var loadSeconds: Double
        public var loadedVersionMatches: Bool
        public var instanceMegabytes: Double
        public var peakResidentMegabytes: Double

        public var description: String {
            String(
                format: "people=%d decisions=%d requests=%d training=%.2fs candidates_mean=%.0f p50=%.2fms p95=%.2fms p99=%.2fms in_memory_p50=%.2fms in_memory_p95=%.2fms",
                people, decisions, requests, trainingSeconds, meanCandidates, p50Milliseconds, p95Milliseconds, p99Milliseconds,
                rankingP50Milliseconds, rankingP95Milliseconds
            ) + String(
                format: "\nwhile retraining in the background (%.1fs): requests=%d p50=%.2fms p95=%.2fms",
                retrainingSeconds, requestsDuringRetraining, duringRetrainingP50Milliseconds, duringRetrainingP95Milliseconds
            ) + String(
                format: "\none training for the cluster: stored model %d KB; another instance loaded it in %.1fs (same version: %@), its index and engine took %.0f MB; peak resident %.0f MB",
                storedModelKilobytes, loadSeconds, loadedVersionMatches ? "yes" : "NO", instanceMegabytes, peakResidentMegabytes
            )
        }
    }

    public static func run(
        configuration: AppConfiguration, people: Int, decisionsPerPerson: Int, requests: Int, logger: Logger
    ) async throws -> Result {
        try await OperatorTasks.withDatabase(configuration, logger: logger) { database in
            let year = KoreanCalendar.currentYear()
            try await DemoSeeder(database: database, currentYear: year).seed(count: people, logger: logger)
            let generator = DemoPeopleGenerator(currentYear: year)
            let population = (0..<people).map { generator.person(at: $0) }
            let decisions = try await seedDecisions(population, perPerson: decisionsPerPerson, database: database, year: year, logger: logger)

            let repository = MatchingRepository(database: database)
            let models = RecommendationModelStore(repository: repository, maxAge: .seconds(86400), currentYear: { year })
            let clock = ContinuousClock()
            let trainingStart = clock.now
            _ = await models.trained(logger: logger)
            let trainingSeconds = CacheBenchmark.milliseconds(clock.now - trainingStart) / 1000
            let service = RecommendationService(repository: repository, models: models, currentYear: { year })

            var random = SeededGenerator(seed: 99)
            var latencies: [Double] = []
            var ranking: [Double] = []
            var candidates = 0
            let snapshot = await models.trained(logger: logger)
            let calculator = CompatibilityCalculator(currentYear: year)
            // A few warm-up requests, not counted.
            for index in 0..<min(10, people) {
                _ = try await service.recommend(for: UUID(uuidString: population[index].id)!, limit: 10, logger: logger)
            }
            for _ in 0..<requests {
                let viewer = UUID(uuidString: population[Int.random(in: 0..<people, using: &random)].id)!
                let start = clock.now
                let result = try await service.recommend(for: viewer, limit: 10, logger: logger)
                latencies.append(CacheBenchmark.milliseconds(clock.now - start))
                candidates += result?.candidatesConsidered ?? 0
                if let viewerProfile = result?.viewer {
                    let rankingStart = clock.now
                    let asker = snapshot.index.viewer(viewerProfile, model: snapshot.engine.model)
                    let eligible = snapshot.index.eligible(for: asker, excluding: [], currentYear: year)
                    _ = snapshot.engine.rank(eligible, in: snapshot.index, for: asker, calculator: calculator, limit: 20)
                    ranking.append(CacheBenchmark.milliseconds(clock.now - rankingStart))
                }
            }
            // The same requests while a new engine trains in the background (as every
            // `RECOMMENDATION_MODEL_MAX_AGE` when people are active): the stale engine serves.
            var duringTraining: [Double] = []
            await models.startRetraining(logger: logger)
            let retrainingStart = clock.now
            while await models.isTraining {
                let viewer = UUID(uuidString: population[Int.random(in: 0..<people, using: &random)].id)!
                let start = clock.now
                _ = try await service.recommend(for: viewer, limit: 10, logger: logger)
                duringTraining.append(CacheBenchmark.milliseconds(clock.now - start))
            }
            let retrainingSeconds = CacheBenchmark.milliseconds(clock.now - retrainingStart) / 1000

            // One training for the cluster: the engine just trained is published as a stored version,
            // and another instance (a store of its own, as another process has) loads it instead of
            // training; what its resident memory grows by is what an instance needs for N people.
            let trained = await models.trained(logger: logger)
            let stored = StoredRecommendationModels(database: database, instance: "bench-recommendations")
            let version = try await stored.publish(
                trained.engine.model, people: people, decisions: trained.decisionCount, training: .zero, logger: logger
            )
            let instance = RecommendationModelStore(repository: repository, stored: stored, maxAge: .seconds(86400), currentYear: { year })
            let residentBefore = ProcessMemory.residentBytes() ?? 0
            let loadStart = clock.now
            let loaded = await instance.trained(logger: logger)
            let loadSeconds = CacheBenchmark.milliseconds(clock.now - loadStart) / 1000
            let instanceBytes = (ProcessMemory.residentBytes() ?? 0) - residentBefore
            return Result(
                people: people, decisions: decisions, requests: requests, trainingSeconds: trainingSeconds,
                meanCandidates: Double(candidates) / Double(max(requests, 1)),
                p50Milliseconds: CacheBenchmark.percentile(latencies, 0.5),
                p95Milliseconds: CacheBenchmark.percentile(latencies, 0.95),
                p99Milliseconds: CacheBenchmark.percentile(latencies, 0.99),
                rankingP50Milliseconds: CacheBenchmark.percentile(ranking, 0.5),
                rankingP95Milliseconds: CacheBenchmark.percentile(ranking, 0.95),
                retrainingSeconds: retrainingSeconds,
                requestsDuringRetraining: duringTraining.count,
                duringRetrainingP50Milliseconds: CacheBenchmark.percentile(duringTraining, 0.5),
                duringRetrainingP95Milliseconds: CacheBenchmark.percentile(duringTraining, 0.95),
                storedModelKilobytes: trained.engine.model.serialized().count / 1024,
                loadSeconds: loadSeconds, loadedVersionMatches: loaded.modelVersion == version && !loaded.trainedHere,
                instanceMegabytes: Double(instanceBytes) / 1_048_576,
                peakResidentMegabytes: Double(ProcessMemory.peakResidentBytes() ?? 0) / 1_048_576
            )
        }
    }

    /// Gives the first people a history: each judges `perPerson` people of the gender they seek in
    /// their own city, liking with a chance that grows with compatibility and with a hidden appeal of
    /// the other person. Skipped when the history is already there. Returns the number on record.
    static func seedDecisions(
        _ population: [DemoPerson], perPerson: Int, database: Database, year: Int, logger: Logger
    ) async throws -> Int {
        let existing = try await database.transaction(as: .system, logger: logger) { connection in
            try await connection.query("SELECT count(*)::int FROM likes", logger: logger).decode(Int.self).reduce(0) { $0 + $1 }
        }
        let target = population.count * perPerson / 2
        guard existing < target / 2 else { return existing }
        var random = SeededGenerator(seed: 4242)
        let profiles = population.map(\.matchingProfile)
        let appeal = population.map { _ in Double.random(in: -1...1, using: &random) }
        var byCityAndGender: [String: [Int]] = [:]
        for (index, profile) in profiles.enumerated() {
            byCityAndGender[profile.city + "/" + profile.gender.rawValue, default: []].append(index)
        }
        let calculator = CompatibilityCalculator(currentYear: year)
        var from: [UUID] = [], to: [UUID] = [], kinds: [String] = []
        // Half of the people decide, `perPerson` times each, so the average person is judged `perPerson / 2` times.
        for decider in stride(from: 0, to: profiles.count, by: 2) {
            let me = profiles[decider]
            let pools = Gender.allCases.filter { me.seeking.accepts($0) }.compactMap { byCityAndGender[me.city + "/" + $0.rawValue] }
            let pool = pools.flatMap { $0 }
            guard pool.count > 1 else { continue }
            var chosen: Set<Int> = []
            for _ in 0..<min(perPerson, pool.count - 1) {
                let other = pool[Int.random(in: 0..<pool.count, using: &random)]
                guard other != decider, chosen.insert(other).inserted else { continue }
                let score = Double(calculator.compatibility(me, profiles[other]).totalScore)
                let chance = 1 / (1 + exp(-((score - 60) / 8 + appeal[other])))
                from.append(UUID(uuidString: me.id)!)
                to.append(UUID(uuidString: profiles[other].id)!)
                kinds.append(Double.random(in: 0..<1, using: &random) < chance ? "like" : "pass")
            }
        }
        for start in stride(from: 0, to: from.count, by: 20_000) {
            let end = min(start + 20_000, from.count)
            let batch = (Array(from[start..<end]), Array(to[start..<end]), Array(kinds[start..<end]))
            try await database.transaction(as: .system, logger: logger) { connection in
                var query: PostgresQuery = """
                    INSERT INTO likes (from_user_id, to_user_id, kind)
                    SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::text[]) ON CONFLICT DO NOTHING
                    """
                query.binds.append(batch.0)
                query.binds.append(batch.1)
                query.binds.append(batch.2)
                try await connection.query(query, logger: logger)
            }
        }
        return existing + from.count
    }
}
