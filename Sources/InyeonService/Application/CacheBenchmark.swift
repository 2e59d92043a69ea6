import Foundation
import InyeonCore
import Logging

/// The cache benchmark: profile reads whose targets follow a Zipf distribution, through the real
/// repository, cache and PostgreSQL, as one signed-in viewer. Reports the hit rate and latencies.
public enum CacheBenchmark {
    public struct Result: Sendable, CustomStringConvertible {
        public var reads: Int
        public var people: Int
        public var exponent: Double
        public var hitRate: Double
        public var p50Milliseconds: Double
        public var p99Milliseconds: Double
        public var uncachedP50Milliseconds: Double
        public var seconds: Double

        public var description: String {
            String(
                format: "reads=%d people=%d zipf_s=%.2f hit_rate=%.4f p50=%.3fms p99=%.3fms uncached_p50=%.3fms elapsed=%.1fs",
                reads, people, exponent, hitRate, p50Milliseconds, p99Milliseconds, uncachedP50Milliseconds, seconds
            )
        }
    }

    public static func run(configuration: AppConfiguration, reads: Int, people: Int, exponent: Double, logger: Logger) async throws -> Result {
        try await OperatorTasks.withDatabase(configuration, logger: logger) { database in
            let year = KoreanCalendar.currentYear()
            try await DemoSeeder(database: database, currentYear: year).seed(count: people, logger: logger)
            let generator = DemoPeopleGenerator(currentYear: year)
            let ids = (0..<people).map { UUID(uuidString: generator.person(at: $0).id)! }
            let viewer = RequestIdentity.user(UUID(uuidString: DemoPeopleGenerator.kimSeren)!)
            let cache = MemoryCache()
            let cached = PostgresProfileRepository(database: database, cache: cache, currentYear: { year })
            let sampler = ZipfSampler(count: people, exponent: exponent)
            var random = SeededGenerator(seed: 2026)
            // The popular ones are not simply the first generated: shuffle which person has which rank.
            let ranked = ids.shuffled(using: &random)

            var latencies: [Double] = []
            latencies.reserveCapacity(reads)
            let clock = ContinuousClock()
            let started = clock.now
            for _ in 0..<reads {
                let id = ranked[sampler.sample(using: &random)]
                let start = clock.now
                _ = try await cached.person(id, as: viewer, logger: logger)
                latencies.append(milliseconds(clock.now - start))
            }
            let seconds = milliseconds(clock.now - started) / 1000
            var uncached: [Double] = []
            for index in 0..<min(500, reads) {
                let start = clock.now
                _ = try await cached.fetchPerson(ranked[index % people], as: viewer, logger: logger)
                uncached.append(milliseconds(clock.now - start))
            }
            let statistics = await cache.statistics()
            return Result(
                reads: reads, people: people, exponent: exponent, hitRate: statistics.hitRate,
                p50Milliseconds: percentile(latencies, 0.5), p99Milliseconds: percentile(latencies, 0.99),
                uncachedP50Milliseconds: percentile(uncached, 0.5), seconds: seconds
            )
        }
    }

    static func milliseconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) * 1000 + Double(duration.components.attoseconds) / 1e15
    }

    static func percentile(_ values: [Double], _ fraction: Double) -> Double {
        guard !values.isEmpty else { return 0 }
        let sorted = values.sorted()
        return sorted[min(sorted.count - 1, Int(Double(sorted.count) * fraction))]
    }
}
