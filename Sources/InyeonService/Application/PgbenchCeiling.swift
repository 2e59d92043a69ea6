import Foundation
import Logging

/// The ceiling of the authenticated small read: pgbench (PostgreSQL's own) running, with as many
/// clients, the SQL the service runs for one `GET /api/auth/sessions`, on the same database, as the
/// same role, with the identity and the ids as parameters. Measured two ways: each statement in a
/// round trip of its own inside BEGIN and COMMIT, parsed each time (as PostgresNIO sends them, and as
/// the service did before `PipelinedReads`), and as `PipelinedReads` sends them: prepared once per
/// connection, the identity and the read pipelined, then a Sync (one implicit transaction, one round
/// trip). What is left between the service and the way it uses is the service's own cost.
enum PgbenchCeiling {
    /// How the statements go to PostgreSQL.
    enum Way: String, CaseIterable, Sendable {
        case roundTripEach = "a round trip a statement, parsed each time (BEGIN, identity, read, COMMIT)"
        case pipelined = "pipelined and prepared, as the service sends it (identity, read, Sync)"

        /// pgbench's `-M`: PostgresNIO parses each statement anew; `PipelinedReads` prepares them.
        var protocolMode: String {
            switch self {
            case .roundTripEach: "extended"
            case .pipelined: "prepared"
            }
        }
    }

    static let identity = "SELECT set_config('app.identity', :identity, true), set_config('statement_timeout', :timeout, true);"
    static let systemIdentity = "SELECT set_config('app.identity', :system_identity, true), set_config('statement_timeout', :timeout, true);"
    static let sessionsRead =
        "SELECT id, created_at, last_used_at, user_agent, ip_address FROM sessions WHERE revoked_at IS NULL AND expires_at > now() ORDER BY last_used_at DESC;"
    static let sessionCheck =
        "SELECT s.expires_at FROM sessions s JOIN accounts a ON a.id = s.user_id WHERE s.id = CAST(:sid AS uuid) AND s.user_id = CAST(:uid AS uuid) AND s.revoked_at IS NULL AND s.expires_at > now() AND a.status = 'active';"

    /// One read sent `way`.
    static func read(_ identity: String, _ statement: String, way: Way) -> String {
        switch way {
        case .roundTripEach: ["BEGIN;", identity, statement, "COMMIT;"].joined(separator: "\n") + "\n"
        case .pipelined: ["\\startpipeline", identity, statement, "\\endpipeline"].joined(separator: "\n") + "\n"
        }
    }

    /// One request with its session remembered: the sessions read alone.
    static func readTransaction(way: Way) -> String {
        read(identity, sessionsRead, way: way)
    }

    /// One request that asks about its session first: the check, then the read.
    static func checkedReadTransactions(way: Way) -> String {
        read(systemIdentity, sessionCheck, way: way) + readTransaction(way: way)
    }

    static func measure(
        member: HTTPBenchmark.Member, configuration: AppConfiguration, concurrency: Int, seconds: Double, logger: Logger
    ) async throws -> [HTTPBenchmark.Ceiling] {
        guard let pgbench = ["/usr/bin/pgbench", "/usr/lib/postgresql/17/bin/pgbench", "/usr/lib/postgresql/15/bin/pgbench"]
            .first(where: FileManager.default.isExecutableFile(atPath:))
        else {
            logger.warning("pgbench is not installed: no ceiling for the authenticated read")
            return []
        }
        let key = try configuration.databaseIdentityKey
        let lifetime = Duration.seconds(600)
        let variables = [
            "identity": key.token(for: .user(member.id), anonymousCards: true, validFor: lifetime),
            "system_identity": key.token(for: .system, anonymousCards: true, validFor: lifetime),
            "timeout": "5000", "sid": member.sessionID.uuidString.lowercased(), "uid": member.id.uuidString.lowercased(),
        ]
        var ceilings: [HTTPBenchmark.Ceiling] = []
        for way in Way.allCases {
            for (name, script) in [
                (HTTPBenchmark.Report.authenticatedRead, readTransaction(way: way)),
                (HTTPBenchmark.Report.authenticatedReadCheckedEachTime, checkedReadTransactions(way: way)),
            ] {
                ceilings.append(try await run(
                    pgbench, name: name, way: way, script: script, variables: variables, configuration: configuration,
                    concurrency: concurrency, seconds: seconds
                ))
            }
        }
        return ceilings
    }

    private static func run(
        _ pgbench: String, name: String, way: Way, script: String, variables: [String: String], configuration: AppConfiguration,
        concurrency: Int, seconds: Double
    ) async throws -> HTTPBenchmark.Ceiling {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("inyeon-ceiling-\(UUID()).sql").path
        try script.write(toFile: file, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: file) }
        let url = configuration.databaseURL
        var arguments = ["-n", "-M", way.protocolMode, "-c", "\(concurrency)", "-j", "2", "-T", "\(max(1, Int(seconds)))", "-f", file]
        for (name, value) in variables.sorted(by: { $0.key < $1.key }) { arguments += ["-D", "\(name)=\(value)"] }
        arguments += ["-h", url.host, "-p", "\(url.port)", "-U", url.username, url.database]
        var environment = ["PGSSLMODE": url.tlsMode.rawValue]
        if let password = url.password { environment["PGPASSWORD"] = password }
        let text = try await BenchmarkProcess.output(of: pgbench, arguments, environment: environment)
        return try parse(name: name, way: way, text)
    }

    static func parse(name: String, way: Way, _ text: String) throws -> HTTPBenchmark.Ceiling {
        var tps: Double?
        var average: Double?
        for line in text.split(separator: "\n") {
            let words = line.split(separator: " ").map(String.init)
            if line.hasPrefix("tps = "), words.count >= 3 { tps = Double(words[2]) }
            if line.hasPrefix("latency average = "), words.count >= 4 { average = Double(words[3]) }
        }
        guard let tps, let average else { throw ChatBenchmark.BenchmarkError("pgbench printed no figures: \(text)") }
        return HTTPBenchmark.Ceiling(name: name, way: way.rawValue, transactionsPerSecond: tps, averageMilliseconds: average)
    }
}
