import ArgumentParser
import Foundation
import Hummingbird
import InyeonCore
import InyeonService
import Logging

/// The thin command line over the service library.
@main
struct Inyeon: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Inyeon: values-based matching for people in their 40s-60s.",
        version: BuildVersion.current,
        subcommands: [
            Serve.self, Migrate.self, Seed.self, EvalMatching.self, ScamCheck.self, ScamTrain.self, ScamEval.self, Benchmark.self, Flags.self, Keys.self, Token.self, Staff.self, Audit.self, Rollout.self,
            PrintOpenAPI.self,
        ],
        defaultSubcommand: Serve.self
    )
}

/// Loads and validates the configuration, or stops with one clear line.
func loadConfiguration() async throws -> (AppConfiguration, Logger) {
    do {
        let configuration = try AppConfiguration(reader: try await AppConfiguration.standardReader())
        var logger = Logger(label: "inyeon")
        logger.logLevel = configuration.logLevel
        return (configuration, logger)
    } catch let error as ConfigurationError {
        FileHandle.standardError.write(Data((error.description + "\n").utf8))
        throw ExitCode(78)
    }
}

struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Migrate, seed demo data on a first start, and serve HTTP.")

    func run() async throws {
        let (configuration, logger) = try await loadConfiguration()
        let app = try await buildServingApplication(configuration: configuration, logger: logger)
        try await app.runUntilSignalled()
    }
}

struct Migrate: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Apply pending migrations as the owner role (DATABASE_OWNER_URL).")

    func run() async throws {
        let (configuration, logger) = try await loadConfiguration()
        try await DatabasePreparation.migrate(configuration: configuration, logger: logger)
    }
}

struct Seed: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Store deterministic demo people (skips those already stored).")

    @Option(help: "How many demo people to have (the first N of the deterministic sequence).")
    var count: Int = 200

    func run() async throws {
        guard (2...1_000_000).contains(count) else { throw ValidationError("--count must be from 2 to 1000000") }
        let (configuration, logger) = try await loadConfiguration()
        try await DatabasePreparation.migrate(configuration: configuration, logger: logger)
        let count = self.count
        let identityKey = try configuration.databaseIdentityKey
        try await withPostgresClient(configuration.databaseURL, logger: logger) { client in
            let database = Database(client: client, poolSize: 2, identityKey: identityKey, timeout: .seconds(600))
            let seeder = DemoSeeder(database: database, currentYear: KoreanCalendar.currentYear())
            let added = try await seeder.seed(count: count, logger: logger)
            print("Demo people: \(added) added (of the first \(count)).")
        }
    }
}

struct PrintOpenAPI: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "openapi", abstract: "Print the OpenAPI 3.1 document.")

    func run() {
        print(OpenAPIDocument.json)
    }
}

struct Keys: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Access-token signing keys.", subcommands: [Rotate.self])

    struct Rotate: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Start signing with a new key; the old one stays valid until its tokens expire (nobody is logged out)."
        )

        func run() async throws {
            let (configuration, logger) = try await loadConfiguration()
            let kid = try await OperatorTasks.rotateSigningKey(configuration: configuration, logger: logger)
            print("New signing key: \(kid)")
        }
    }
}

struct Token: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Operator tokens.", subcommands: [Issue.self])

    struct Issue: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Print a short-lived, scoped service token (for operators and other services).")

        @Option(help: "Who the token is for (appears as subject service:<name>).")
        var name: String

        @Option(help: "admin, moderator or system.")
        var role: String = "admin"

        @Option(help: "Space-separated scopes: audit:read, flags:write, feedback:read, moderation:read, moderation:write, ops:read, mail:read, mail:write.")
        var scope: String

        @Option(help: "Lifetime such as 15m (at most 1h).")
        var ttl: String = "15m"

        func run() async throws {
            guard let role = AppRole(rawValue: role), [.admin, .moderator, .system].contains(role) else {
                throw ValidationError("--role must be admin, moderator or system")
            }
            guard let seconds = DurationText.seconds(ttl), seconds <= 3600 else { throw ValidationError("--ttl must be a duration up to 1h") }
            guard OperatorScope.parse(scope) != nil else {
                throw ValidationError("--scope must name one or more of: " + OperatorScope.allCases.map(\.rawValue).joined(separator: ", "))
            }
            let (configuration, logger) = try await loadConfiguration()
            print(try await OperatorTasks.issueServiceToken(
                configuration: configuration, name: name, role: role, scope: scope, lifetimeSeconds: seconds, logger: logger
            ))
        }
    }
}

struct Staff: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Who works in the operator console: give an account the admin or moderator role, or take it back.",
        discussion: "The account's sessions end, so the person signs in again with the new role. Audited as account.role_changed."
    )

    @Option(help: "The account's e-mail address.")
    var email: String

    @Option(help: "admin, moderator or user (to take a staff role back).")
    var role: String

    func run() async throws {
        guard let role = AppRole(rawValue: role), [.admin, .moderator, .user].contains(role) else {
            throw ValidationError("--role must be admin, moderator or user")
        }
        let (configuration, logger) = try await loadConfiguration()
        switch try await OperatorTasks.setRole(configuration: configuration, email: email, role: role, logger: logger) {
        case .changed(let from, let to): print("\(email): \(from) -> \(to); their sessions have ended")
        case .unchanged: print("\(email) is already \(role.rawValue)")
        case .noSuchAccount:
            FileHandle.standardError.write(Data("no account has the address \(email)\n".utf8))
            throw ExitCode(1)
        }
    }
}

struct Audit: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "The hash-chained audit log.", subcommands: [Verify.self])

    struct Verify: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Walk the chain; name the first entry altered or removed.")

        func run() async throws {
            let (configuration, logger) = try await loadConfiguration()
            let outcome = try await OperatorTasks.verifyAuditChain(configuration: configuration, logger: logger)
            print(outcome)
            if case .intact = outcome { return }
            throw ExitCode(2)
        }
    }
}

struct Flags: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Rollout flags at runtime (every running instance follows within a second).",
        subcommands: [List.self, Set.self, Reset.self]
    )

    static func flag(_ name: String) throws -> FeatureFlag {
        guard let flag = FeatureFlag(rawValue: name) ?? FeatureFlag.allCases.first(where: { $0.apiName == name }) else {
            throw ValidationError("unknown flag \(name); one of \(FeatureFlag.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        return flag
    }

    struct List: AsyncParsableCommand {
        func run() async throws {
            let (configuration, logger) = try await loadConfiguration()
            for (name, setting) in try await OperatorTasks.flagSettings(configuration: configuration, logger: logger).sorted(by: { $0.key < $1.key }) {
                print("\(name)\t\(setting)")
            }
        }
    }

    struct Set: AsyncParsableCommand {
        @Argument(help: "FEATURE_ENHANCED_AUTH, FEATURE_AI_INSIGHTS or FEATURE_REAL_TIME_CHAT")
        var flag: String
        @Argument(help: "true, false or a percentage such as 25%")
        var value: String

        func run() async throws {
            let flag = try Flags.flag(flag)
            guard let setting = FlagSetting(parsing: value) else { throw ValidationError("value must be \(FlagSetting.accepted)") }
            let (configuration, logger) = try await loadConfiguration()
            try await OperatorTasks.setFlag(configuration: configuration, flag: flag, setting: setting, logger: logger)
            print("\(flag.rawValue) = \(setting)")
        }
    }

    struct Reset: AsyncParsableCommand {
        @Argument(help: "The flag to return to its environment default (the rollback).")
        var flag: String

        func run() async throws {
            let flag = try Flags.flag(flag)
            let (configuration, logger) = try await loadConfiguration()
            try await OperatorTasks.resetFlag(configuration: configuration, flag: flag, logger: logger)
            print("\(flag.rawValue) back to its environment default")
        }
    }
}

struct Benchmark: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Measurements the project ships.", subcommands: [CacheZipf.self, Recommendations.self, Chat.self, ScamCheckTiming.self, HTTPEndpoints.self])

    struct CacheZipf: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "cache",
            abstract: "Profile reads with Zipf-distributed popularity through the cache and PostgreSQL; prints the hit rate and latencies."
        )

        @Option(help: "How many profile reads.")
        var reads: Int = 100_000
        @Option(help: "How many different people (seeded first if missing).")
        var people: Int = 10_000
        @Option(help: "The Zipf exponent: higher means views concentrate on fewer people.")
        var exponent: Double = 1.0

        func run() async throws {
            guard reads > 0, (2...1_000_000).contains(people), exponent > 0 else { throw ValidationError("reads > 0, people 2-1000000, exponent > 0") }
            let (configuration, logger) = try await loadConfiguration()
            print(try await CacheBenchmark.run(configuration: configuration, reads: reads, people: people, exponent: exponent, logger: logger))
        }
    }
}

extension Benchmark {
    struct Recommendations: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "recommendations",
            abstract: "One person's recommendations end to end, for many people in turn, with N people and a history of decisions; prints latency percentiles."
        )

        @Option(help: "How many people (demo people are seeded first if missing).")
        var people: Int = 100_000
        @Option(help: "Decisions made by each deciding person (half the people decide) when the history is seeded.")
        var decisionsPerPerson: Int = 20
        @Option(help: "How many timed recommendation requests.")
        var requests: Int = 1000

        func run() async throws {
            guard (2...1_000_000).contains(people), (0...200).contains(decisionsPerPerson), requests > 0 else {
                throw ValidationError("people 2-1000000, decisions-per-person 0-200, requests > 0")
            }
            let (configuration, logger) = try await loadConfiguration()
            print(try await RecommendationBenchmark.run(
                configuration: configuration, people: people, decisionsPerPerson: decisionsPerPerson, requests: requests, logger: logger
            ))
        }
    }
}

extension Benchmark {
    struct Chat: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "chat",
            abstract: "Real WebSocket clients in matched pairs send messages through the service running in this process; prints messages per second and delivery latency."
        )

        @Option(help: "How many open sockets (people; half as many conversations).")
        var sockets: Int = 1000
        @Option(help: "Steady phase: messages a second across the whole service.")
        var steadyRate: Double = 200
        @Option(help: "Steady phase: messages each person sends.")
        var steadyMessages: Int = 5
        @Option(help: "Saturation phase: messages each person sends as fast as acks come back.")
        var burstMessages: Int = 20

        func run() async throws {
            guard (2...20_000).contains(sockets), sockets % 2 == 0, steadyRate > 0, steadyMessages >= 1, burstMessages >= 1,
                  steadyMessages + burstMessages <= 30 else {
                throw ValidationError("sockets: an even number 2-20000; steady-rate > 0; steady-messages + burst-messages at most 30 (the limit a minute)")
            }
            let (configuration, logger) = try await loadConfiguration()
            print(try await ChatBenchmark.run(
                configuration: configuration, sockets: sockets, steadyRate: steadyRate, steadyMessages: steadyMessages,
                burstMessages: burstMessages, logger: logger
            ))
        }
    }
}

extension Benchmark {
    struct HTTPEndpoints: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "http",
            abstract: "The endpoints over real HTTP at each number of people: requests a second, p50 and p99, memory, and the authenticated read against its pgbench ceiling; a Markdown table and an SVG plot."
        )

        @Option(help: "How many people, one size or several separated by commas, measured in turn (demo people are seeded up to each).")
        var people: String = "10000,100000,1000000"
        @Option(help: "Concurrent connections.")
        var concurrency: Int = 16
        @Option(help: "Seconds of load on each endpoint.")
        var seconds: Double = 8
        @Option(help: "Measure only the endpoints whose name contains this text (\"/api/auth/sessions\", say), to profile one.")
        var only: String?
        @Option(help: "Where to write bench-http.md and bench-http.svg (the plot of latency against the number of people).")
        var output: String = ".build/bench-http"
        @Option(help: "Measure nothing: draw the plot of a bench-http.md already written, beside it.")
        var plotFrom: String?

        func run() async throws {
            if let plotFrom {
                let text = try String(contentsOfFile: plotFrom, encoding: .utf8)
                let target = (plotFrom as NSString).deletingPathExtension + ".svg"
                try LatencyPlot.svg(fromMarkdown: text).write(toFile: target, atomically: true, encoding: .utf8)
                print("wrote \(target)")
                return
            }
            let sizes = people.split(separator: ",").compactMap { Int($0.trimmingCharacters(in: .whitespaces)) }
            guard !sizes.isEmpty, sizes.count == people.split(separator: ",").count, sizes.allSatisfy({ (2...1_000_000).contains($0) }),
                (1...256).contains(concurrency), seconds > 0
            else {
                throw ValidationError("people: sizes from 2 to 1000000 separated by commas; concurrency 1-256; seconds > 0")
            }
            let (configuration, logger) = try await loadConfiguration()
            print(try await HTTPBenchmark.run(
                configuration: configuration, sizes: sizes, concurrency: concurrency, seconds: seconds, only: only, output: output,
                logger: logger
            ))
        }
    }
}

struct EvalMatching: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "eval-matching",
        abstract: "Run the recommendation engine on interchange files (shared/eval/FORMAT.md) and score every hidden pair."
    )

    @Option(help: "profiles.jsonl: one person a line.")
    var profiles: String
    @Option(help: "interactions.jsonl: the observed likes and passes to learn from.")
    var interactions: String
    @Option(help: "pairs.jsonl: the pairs to score.")
    var pairs: String
    @Option(help: "Where to write the scores (one JSON line per pair); '-' for standard output.")
    var output: String = "-"

    func run() async throws {
        func read(_ path: String) throws -> Data {
            guard let data = FileManager.default.contents(atPath: path) else {
                throw ValidationError("cannot read \(path)")
            }
            return data
        }
        let started = ContinuousClock.now
        do {
            let people = try InterchangeFormat.lines(InterchangeFormat.Person.self, from: read(profiles), file: profiles)
            let observed = try InterchangeFormat.lines(InterchangeFormat.Interaction.self, from: read(interactions), file: interactions)
            let hidden = try InterchangeFormat.lines(InterchangeFormat.Pair.self, from: read(pairs), file: pairs)
            let evaluation = MatchingEvaluation(people: people, interactions: observed)
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys]
            var text = Data()
            for scored in evaluation.score(hidden) {
                text.append(try encoder.encode(scored))
                text.append(UInt8(ascii: "\n"))
            }
            if output == "-" {
                FileHandle.standardOutput.write(text)
            } else {
                try text.write(to: URL(fileURLWithPath: output))
            }
            let elapsed = ContinuousClock.now - started
            FileHandle.standardError.write(Data(
                "Scored \(hidden.count) pairs from \(people.count) people and \(observed.count) decisions in \(elapsed.formatted(.units(allowed: [.seconds, .milliseconds]))).\n".utf8
            ))
        } catch let error as InterchangeFormat.LineError {
            throw ValidationError(error.description)
        }
    }
}
