import AsyncHTTPClient
import Foundation
import Hummingbird
import InyeonCore
import Logging

import NIOHTTP1
import PostgresNIO

/// The HTTP benchmark: the service runs in this process on a real port, and a fixed number of
/// concurrent clients ask each listed endpoint for a few seconds, at each number of people in turn
/// (demo people are seeded up to each size). Per endpoint and size: requests a second, p50, p99 and
/// errors; per size: the process's resident memory; for the authenticated small read, its ceiling:
/// pgbench running the same SQL on the same database in the same run. Prints a Markdown table and
/// writes it, with an SVG plot of latency against the number of people, into the output folder
/// (`make bench-http`).
///
/// The load comes from `wrk` when it is installed (`scripts/benchmark.sh` installs Debian's), a
/// separate process of C that costs the two cores little; otherwise from clients in this process,
/// which cost more and are labelled so.
public enum HTTPBenchmark {
    public struct Endpoint: Sendable {
        var name: String
        var path: String
        /// Sent as a bearer token when set.
        var token: String?
        /// Which instance serves it (the second one asks the database about the session every time).
        var port: Int
    }

    public struct Measurement: Sendable {
        public var endpoint: String
        public var requests: Int
        public var errors: Int
        public var requestsPerSecond: Double
        public var p50Milliseconds: Double
        public var p99Milliseconds: Double
    }

    /// pgbench running the SQL of one request of the authenticated read, sent one way (`PgbenchCeiling.Way`).
    public struct Ceiling: Sendable {
        public var name: String
        public var way: String
        public var transactionsPerSecond: Double
        public var averageMilliseconds: Double
    }

    public struct SizeResult: Sendable {
        public var people: Int
        public var measurements: [Measurement]
        public var ceilings: [Ceiling]
        public var residentMegabytes: Double
    }

    public struct Report: Sendable, CustomStringConvertible {
        public var concurrency: Int
        public var seconds: Double
        public var loadGenerator: String
        public var sizes: [SizeResult]

        static let authenticatedRead = "GET /api/auth/sessions"
        static let authenticatedReadCheckedEachTime = "GET /api/auth/sessions (session asked every time)"

        /// A Markdown table per size, then the ceiling ratios.
        public var description: String {
            var lines = ["load: \(loadGenerator), \(concurrency) connections, \(Int(seconds)) s per endpoint", ""]
            for size in sizes {
                lines += [
                    "### \(size.people.formatted()) people (resident memory \(Int(size.residentMegabytes)) MB)", "",
                    "| endpoint | requests/s | p50 ms | p99 ms | errors |", "|---|---|---|---|---|",
                ]
                for m in size.measurements {
                    lines.append(String(format: "| `%@` | %.0f | %.2f | %.2f | %d |", m.endpoint, m.requestsPerSecond, m.p50Milliseconds,
                                        m.p99Milliseconds, m.errors))
                }
                if !size.ceilings.isEmpty {
                    lines += [
                        "", "| pgbench, the same SQL, \(concurrency) clients | sent | transactions/s | average ms | the service's share |",
                        "|---|---|---|---|---|",
                    ]
                    for ceiling in size.ceilings {
                        let served = size.measurements.first { $0.endpoint == ceiling.name }?.requestsPerSecond ?? 0
                        lines.append(String(format: "| %@ | %@ | %.0f | %.2f | %.0f %% |", ceiling.name, ceiling.way, ceiling.transactionsPerSecond,
                                            ceiling.averageMilliseconds, 100 * served / max(ceiling.transactionsPerSecond, 1)))
                    }
                }
                lines.append("")
            }
            return lines.joined(separator: "\n")
        }
    }

    public static func run(
        configuration: AppConfiguration, sizes: [Int], concurrency: Int, seconds: Double, only: String? = nil, output: String?,
        logger: Logger
    ) async throws -> Report {
        var configuration = configuration
        configuration.host = "127.0.0.1"
        configuration.port = try ChatBenchmark.freePort()
        configuration.connectionLimits.connectionsPerAddress = max(configuration.connectionLimits.connectionsPerAddress, concurrency + 16)
        // None of the measured endpoints uses the recommendation engine; its training (half a minute of
        // CPU at 100,000 people) would only blur them (`make bench-recommendations` measures it).
        configuration.recommendationWarmUp = false
        // The same service asking the database about the session on every request, as it did before
        // `SESSION_CHECK_REUSE`, for comparison.
        var checkingEachTime = configuration
        checkingEachTime.port = try ChatBenchmark.freePort()
        checkingEachTime.tokens.sessionCheckReuse = .zero

        let year = KoreanCalendar.currentYear()
        let sorted = sizes.sorted()
        try await seed(sorted[0], configuration: configuration, year: year, logger: logger)
        let operatorToken = try await OperatorTasks.issueServiceToken(
            configuration: configuration, name: "bench-http", role: .admin, scope: "ops:read", lifetimeSeconds: 7200, logger: logger
        )
        let generator = DemoPeopleGenerator(currentYear: year)

        let app = try await buildApplication(configuration: configuration, logger: logger)
        let second = try await buildApplication(configuration: checkingEachTime, logger: logger)
        let servers = [Task { try await app.runService(gracefulShutdownSignals: []) }, Task { try await second.runService(gracefulShutdownSignals: []) }]
        defer { for server in servers { server.cancel() } }
        try await ChatBenchmark.waitUntilServing(port: configuration.port)
        try await ChatBenchmark.waitUntilServing(port: checkingEachTime.port)
        let load = LoadGenerator.available()

        var results: [SizeResult] = []
        for people in sorted {
            try await seed(people, configuration: configuration, year: year, logger: logger)
            // Signed in afresh at each size, so no token expires during a long run.
            let member = try await signedIn(generator.person(at: 0).id, configuration: configuration, logger: logger)
            // Someone whose card an anonymous caller may see (the public endpoints are asked without signing in).
            let someone = (people / 2..<people).lazy.map { generator.person(at: $0) }
                .first { $0.searchable && $0.allowPublicListing }?.id ?? generator.person(at: 0).id
            let port = configuration.port
            let endpoints = [
                Endpoint(name: "GET /api/health", path: "/api/health", port: port),
                Endpoint(name: "GET /api/health/enhanced", path: "/api/health/enhanced", token: operatorToken, port: port),
                Endpoint(name: Report.authenticatedRead, path: "/api/auth/sessions", token: member.accessToken, port: port),
                Endpoint(name: Report.authenticatedReadCheckedEachTime, path: "/api/auth/sessions", token: member.accessToken,
                         port: checkingEachTime.port),
                Endpoint(name: "GET /api/users?limit=50", path: "/api/users?limit=50", port: port),
                Endpoint(name: "GET /api/users?limit=50&offset=5000", path: "/api/users?limit=50&offset=5000", port: port),
                Endpoint(name: "GET /api/matching/test", path: "/api/matching/test", port: port),
                Endpoint(name: "GET /api/matching/intelligent-compatibility/:id", path: "/api/matching/intelligent-compatibility/\(someone)",
                         port: port),
                Endpoint(name: "GET /api/cache/test", path: "/api/cache/test", port: port),
            ]
            var measurements: [Measurement] = []
            for endpoint in endpoints where only.map(endpoint.name.contains) ?? true {
                measurements.append(try await load.measure(endpoint, concurrency: concurrency, seconds: seconds))
            }
            let ceilings = measurements.contains { $0.endpoint == Report.authenticatedRead }
                ? try await PgbenchCeiling.measure(
                    member: member, configuration: configuration, concurrency: concurrency, seconds: seconds, logger: logger
                ) : []
            results.append(SizeResult(
                people: people, measurements: measurements, ceilings: ceilings,
                residentMegabytes: Double(ProcessMemory.residentBytes() ?? 0) / 1_048_576
            ))
        }
        let report = Report(concurrency: concurrency, seconds: seconds, loadGenerator: load.name, sizes: results)
        if let output {
            try FileManager.default.createDirectory(atPath: output, withIntermediateDirectories: true)
            try report.description.write(toFile: output + "/bench-http.md", atomically: true, encoding: .utf8)
            try LatencyPlot(report: report).svg.write(toFile: output + "/bench-http.svg", atomically: true, encoding: .utf8)
        }
        return report
    }

    static func seed(_ people: Int, configuration: AppConfiguration, year: Int, logger: Logger) async throws {
        _ = try await OperatorTasks.withDatabase(configuration, logger: logger) { database in
            try await DemoSeeder(database: database, currentYear: year).seed(count: people, logger: logger)
        }
    }

    /// A demo person signed in: a session of their own and an access token for it.
    struct Member: Sendable {
        var id: UUID
        var sessionID: UUID
        var accessToken: String
    }

    static func signedIn(_ id: String, configuration: AppConfiguration, logger: Logger) async throws -> Member {
        let userID = UUID(uuidString: id)!
        let sessionID = UUID()
        return try await OperatorTasks.withDatabase(configuration, logger: logger) { database in
            try await database.transaction(as: .system, logger: logger) { connection in
                // The sessions of earlier runs end, so the read is the same small one (this one
                // session) however often the benchmark has run on this database.
                try await connection.query(
                    "UPDATE sessions SET revoked_at = now() WHERE user_id = \(userID) AND user_agent = 'bench-http' AND revoked_at IS NULL",
                    logger: logger
                )
                try await connection.query(
                    """
                    INSERT INTO sessions (id, user_id, expires_at, user_agent, ip_address)
                    VALUES (\(sessionID), \(userID), now() + interval '1 day', 'bench-http', '127.0.0.1')
                    """,
                    logger: logger
                )
            }
            let keys = SigningKeyStore(database: database, sealer: try DataSealer(base64Key: configuration.secrets.dataEncryptionKey))
            let tokens = await TokenService(keys: keys, settings: configuration.tokens, database: database, legacySecret: configuration.secrets.jwtSecret)
            return Member(
                id: userID, sessionID: sessionID,
                accessToken: try await tokens.accessToken(userID: userID, role: .user, sessionID: sessionID, logger: logger)
            )
        }
    }
}
