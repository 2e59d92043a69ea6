import AsyncHTTPClient
import Foundation
import Hummingbird
import InyeonCore
import Logging
import NIOCore
import NIOHTTP1

/// The HTTP benchmark: the service runs in this process on a real port with N demo people, and a
/// fixed number of concurrent clients ask each listed endpoint for a few seconds; prints requests a
/// second, p50 and p99 per endpoint, the share of errors, and the process's resident memory. Run it
/// at two sizes to see which endpoints' cost grows with the membership (`make bench-http`).
public enum HTTPBenchmark {
    public struct Endpoint: Sendable {
        var name: String
        var path: String
        /// Sent as a bearer token when set.
        var token: String?
    }

    public struct Measurement: Sendable {
        public var endpoint: String
        public var requests: Int
        public var errors: Int
        public var requestsPerSecond: Double
        public var p50Milliseconds: Double
        public var p99Milliseconds: Double
    }

    public struct Result: Sendable, CustomStringConvertible {
        public var people: Int
        public var concurrency: Int
        public var seconds: Double
        public var measurements: [Measurement]
        public var residentMegabytes: Double

        /// A Markdown table, one row per endpoint.
        public var description: String {
            var lines = [
                "people=\(people) concurrency=\(concurrency) seconds_each=\(seconds) rss=\(Int(residentMegabytes))MB", "",
                "| endpoint | requests/s | p50 ms | p99 ms | errors |", "|---|---|---|---|---|",
            ]
            for m in measurements {
                lines.append(String(format: "| `%@` | %.0f | %.2f | %.2f | %d |", m.endpoint, m.requestsPerSecond, m.p50Milliseconds,
                                    m.p99Milliseconds, m.errors))
            }
            return lines.joined(separator: "\n")
        }
    }

    public static func run(
        configuration: AppConfiguration, people: Int, concurrency: Int, seconds: Double, logger: Logger
    ) async throws -> Result {
        var configuration = configuration
        configuration.host = "127.0.0.1"
        configuration.port = try ChatBenchmark.freePort()
        configuration.connectionLimits.connectionsPerAddress = max(configuration.connectionLimits.connectionsPerAddress, concurrency + 16)
        // None of the measured endpoints uses the recommendation engine; its training (half a minute of
        // CPU at 100,000 people) would only blur them (`make bench-recommendations` measures it).
        configuration.recommendationWarmUp = false
        let year = KoreanCalendar.currentYear()
        try await OperatorTasks.withDatabase(configuration, logger: logger) { database in
            try await DemoSeeder(database: database, currentYear: year).seed(count: people, logger: logger)
        }
        let operatorToken = try await OperatorTasks.issueServiceToken(
            configuration: configuration, name: "bench-http", role: .admin, scope: "ops:read", lifetimeSeconds: 3600, logger: logger
        )
        let app = try await buildApplication(configuration: configuration, logger: logger)
        let server = Task { try await app.runService(gracefulShutdownSignals: []) }
        defer { server.cancel() }
        let base = "http://127.0.0.1:\(configuration.port)"
        try await ChatBenchmark.waitUntilServing(port: configuration.port)

        let generator = DemoPeopleGenerator(currentYear: year)
        // Someone whose card an anonymous caller may see (the endpoints are asked without signing in).
        let someone = (people / 2..<people).lazy.map { generator.person(at: $0) }
            .first { $0.searchable && $0.allowPublicListing }?.id ?? generator.person(at: 0).id
        let endpoints = [
            Endpoint(name: "GET /api/health", path: "/api/health"),
            Endpoint(name: "GET /api/health/enhanced", path: "/api/health/enhanced", token: operatorToken),
            Endpoint(name: "GET /api/users?limit=50", path: "/api/users?limit=50"),
            Endpoint(name: "GET /api/users?limit=50&offset=5000", path: "/api/users?limit=50&offset=5000"),
            Endpoint(name: "GET /api/matching/test", path: "/api/matching/test"),
            Endpoint(name: "GET /api/matching/intelligent-compatibility/:id", path: "/api/matching/intelligent-compatibility/\(someone)"),
        ]
        var measurements: [Measurement] = []
        for endpoint in endpoints {
            measurements.append(try await measure(endpoint, base: base, concurrency: concurrency, seconds: seconds))
        }
        return Result(
            people: people, concurrency: concurrency, seconds: seconds, measurements: measurements,
            residentMegabytes: Double(ProcessMemory.residentBytes() ?? 0) / 1_048_576
        )
    }

    /// `concurrency` clients, each asking again as soon as an answer is complete, for `seconds`.
    static func measure(_ endpoint: Endpoint, base: String, concurrency: Int, seconds: Double) async throws -> Measurement {
        var request = HTTPClientRequest(url: base + endpoint.path)
        if let token = endpoint.token { request.headers.add(name: "Authorization", value: "Bearer \(token)") }
        let prepared = request
        // A short warm-up, not counted.
        for _ in 0..<5 { _ = try? await HTTPClient.shared.execute(prepared, timeout: .seconds(30)).body.collect(upTo: 1 << 24) }
        let clock = ContinuousClock()
        let start = clock.now
        let end = start + .milliseconds(Int(seconds * 1000))
        let results = try await withThrowingTaskGroup(of: ([Double], Int).self) { group in
            for _ in 0..<concurrency {
                group.addTask {
                    var latencies: [Double] = []
                    var errors = 0
                    while clock.now < end {
                        let sent = clock.now
                        do {
                            let response = try await HTTPClient.shared.execute(prepared, timeout: .seconds(30))
                            _ = try await response.body.collect(upTo: 1 << 24)
                            if response.status.code >= 400 { errors += 1 }
                        } catch {
                            errors += 1
                        }
                        latencies.append(CacheBenchmark.milliseconds(clock.now - sent))
                    }
                    return (latencies, errors)
                }
            }
            var all: [Double] = []
            var errors = 0
            for try await (latencies, failed) in group {
                all += latencies
                errors += failed
            }
            return (all.sorted(), errors)
        }
        let elapsed = CacheBenchmark.milliseconds(clock.now - start) / 1000
        let latencies = results.0
        func percentile(_ p: Double) -> Double {
            latencies.isEmpty ? 0 : latencies[min(latencies.count - 1, Int(Double(latencies.count) * p))]
        }
        return Measurement(
            endpoint: endpoint.name, requests: latencies.count, errors: results.1, requestsPerSecond: Double(latencies.count) / elapsed,
            p50Milliseconds: percentile(0.5), p99Milliseconds: percentile(0.99)
        )
    }
}
