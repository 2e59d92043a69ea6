import Foundation
import Hummingbird
import HummingbirdTesting
import InyeonCore
@testable import InyeonService
import NIOCore
import PostgresNIO
import Synchronization
import Testing

/// A rollout plan carried out by the service, on two running instances of a database of its own
/// (the flags are shared by every test of one database), with a test clock and synthetic traffic
/// through HTTP: signed-in people asking for AI insights, served by an OpenAI-compatible server in
/// the test that is slow (a feature clearly worse) or quick (a harmless one).
@Suite struct RolloutDriverTests {
    /// The clock both instances judge the plan by; the test moves it on.
    final class TestClock: Sendable {
        private let instant = Mutex(Date(timeIntervalSince1970: 1_900_000_000))
        var now: Date { instant.withLock { $0 } }
        func advance(seconds: Double) { instant.withLock { $0 += seconds } }
    }

    /// A webhook receiver: every JSON body posted to it.
    final class WebhookReceiver: Sendable {
        let bodies = Mutex<[[String: String]]>([])
        func run(_ body: @Sendable @escaping (String) async throws -> Void) async throws {
            let router = Router()
            router.post("/hook") { request, _ -> HTTPResponse.Status in
                let bytes = try await request.body.collect(upTo: 1 << 16)
                if let decoded = try? JSONDecoder().decode([String: String].self, from: Data(bytes.readableBytesView)) {
                    self.bodies.withLock { $0.append(decoded) }
                }
                return .noContent
            }
            let app = Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)))
            try await app.test(.live) { client in try await body("http://127.0.0.1:\(client.port!)/hook") }
        }
    }

    struct Instances: Sendable {
        var first: any TestClientProtocol
        var second: any TestClientProtocol
        var outbox: String
        var adminToken: String
        var database: Database
    }

    /// `text` (a database URL) naming the database `name` instead.
    static func naming(_ text: String, _ name: String) throws -> String {
        var components = try #require(URLComponents(string: text))
        components.path = "/" + name
        return try #require(components.string)
    }

    /// A count read as the system (row-level security lets nobody else see the audit log or the outbox).
    static func count(_ query: PostgresQuery, _ instances: Instances) async throws -> Int? {
        try await instances.database.transaction(as: .system, logger: TestDatabase.logger) { connection in
            try await connection.query(query, logger: TestDatabase.logger).decode(Int.self).first { _ in true }
        }
    }

    /// Two instances (drivers every 100 ms, judged by `clock`) on a fresh database, insights from `insightServer`.
    static func withTwoInstances(
        insightServer: String, webhook: String, clock: TestClock, _ body: @Sendable @escaping (Instances) async throws -> Void
    ) async throws {
        try await MigrationTests().withFreshDatabase { _, name in
            let appURL = try naming(try TestDatabase.databaseURL, name)
            let ownerURL = try naming(try #require(TestDatabase.ownerURL), name)
            let outbox = AccountHelper.outboxDirectory()
            defer { try? FileManager.default.removeItem(atPath: outbox) }
            var configured = try TestDatabase.configuration([
                "DATABASE_URL": appURL, "DATABASE_OWNER_URL": ownerURL, "MAIL_OUTBOX_DIR": outbox,
                "TRUST_PROXY": "true", "OPENAI_API_KEY": "test-key", "OPENAI_BASE_URL": insightServer, "AI_INSIGHT_DEADLINE": "3s",
                "ROLLOUT_INTERVAL": "100ms", "ROLLOUT_WEBHOOK_URL": webhook, "ROLLOUT_ALERT_EMAIL": "operators@example.com",
                "SEED_DEMO_COUNT": "60",
            ])
            configured.rolloutClock = { clock.now }
            let configuration = configured
            let first = try await buildApplication(configuration: configuration, logger: TestDatabase.logger)
            try await first.test(.live) { firstClient in
                let second = try await buildApplication(configuration: configuration, logger: TestDatabase.logger)
                try await second.test(.live) { secondClient in
                    let token = try await OperatorTasks.issueServiceToken(
                        configuration: configuration, name: "rollout-tests", role: .admin, scope: "flags:write", lifetimeSeconds: 600,
                        logger: TestDatabase.logger
                    )
                    var url = try #require(DatabaseURL(appURL))
                    url.tlsMode = .disable
                    try await withPostgresClient(url, poolSize: 2, logger: TestDatabase.logger) { client in
                        let database = Database(client: client, poolSize: 2, identityKey: TestDatabase.identityKey)
                        try await body(Instances(first: firstClient, second: secondClient, outbox: outbox, adminToken: token, database: database))
                    }
                }
            }
        }
    }

    /// Two instances whose insights come from a server in the test answering `answer`, with the clock
    /// and the webhook receiver.
    static func withRollout(
        answering answer: FakeChatServer.Answer, _ body: @Sendable @escaping (Instances, TestClock, WebhookReceiver) async throws -> Void
    ) async throws {
        let server = FakeChatServer()
        server.answer([], then: answer)
        let webhook = WebhookReceiver()
        let clock = TestClock()
        try await server.run { insights in
            try await webhook.run { hook in
                try await withTwoInstances(insightServer: insights, webhook: hook, clock: clock) { instances in
                    try await body(instances, clock, webhook)
                }
            }
        }
    }

    /// `count` people signed up (alternately on each instance), with their access tokens.
    static func people(_ count: Int, _ instances: Instances) async throws -> [String] {
        var tokens: [String] = []
        for index in 0..<count {
            let helper = AccountHelper(client: index % 2 == 0 ? instances.first : instances.second, outbox: instances.outbox)
            let access = try await helper.signUp(email: AccountHelper.uniqueEmail("rollout")).access
            // With a profile: a person without one sees no one else's card.
            try await HiddenFactsTests.put(helper, MyProfileTests.profile(), token: access)
            tokens.append(access)
        }
        return tokens
    }

    /// Each person asks for insights about pairs of people no one has asked about before (every
    /// answer is cached per pair), on both instances in turn.
    static func traffic(_ tokens: [String], requestsEach: Int, round: Int, _ instances: Instances) async throws {
        let listed = try JSONBody(try await instances.first.execute(
            uri: "/api/users/rls?limit=100", method: .get, headers: [.authorization: "Bearer \(tokens[0])"]
        ))
        let people = try #require((listed["data.users"] as? [[String: Any]])?.compactMap { $0["id"] as? String })
        try #require(people.count >= 20, "people to ask about")
        let pairs = people.indices.flatMap { a in people.indices.filter { $0 > a }.map { (people[a], people[$0]) } }
        try await withThrowingTaskGroup(of: Void.self) { group in
            for (person, token) in tokens.enumerated() {
                group.addTask {
                    for request in 0..<requestsEach {
                        let (a, b) = pairs[(round * 1_000 + person * requestsEach + request) % pairs.count]
                        let client = request % 2 == 0 ? instances.first : instances.second
                        _ = try await client.execute(
                            uri: "/api/matching/enhanced-test?userId=\(a)&targetUserId=\(b)", method: .get,
                            headers: [.authorization: "Bearer \(token)"]
                        )
                    }
                }
            }
            try await group.waitForAll()
        }
    }

    static func plan(_ instances: Instances) async throws -> [String: Any]? {
        let body = try JSONBody(try await instances.second.execute(
            uri: "/api/admin/rollouts", method: .get, headers: [.authorization: "Bearer \(instances.adminToken)"]
        ))
        return (body["data"] as? [[String: Any]])?.first
    }

    static func aiInsightsOn(_ client: any TestClientProtocol) async throws -> Bool? {
        try JSONBody(try await client.execute(uri: "/api/flags", method: .get))["data.flags.aiInsights.enabled"] as? Bool
    }

    /// Starts the plan: 50 % (so the two cohorts are alike in size), then 100 %; 60 s and 4 people at
    /// least. The ceilings are set out of reach: this process hosts every suite, and a debug build.
    static func start(_ instances: Instances, plan: String = #"""
        {"steps": [50, 100], "minimumStepSeconds": 60, "minimumPeoplePerStep": 4, "slowRequestMilliseconds": 600,
         "maximumP95Milliseconds": 5000, "maximumMemoryMegabytes": 100000,
         "guardrails": [{"measure": "slowRequests", "minimumTrials": 20}, {"measure": "serverErrors", "minimumTrials": 20}]}
        """#) async throws {
        let started = try await instances.first.execute(
            uri: "/api/admin/rollouts/FEATURE_AI_INSIGHTS", method: .put,
            headers: [.authorization: "Bearer \(instances.adminToken)", .contentType: "application/json"],
            body: ByteBuffer(string: plan)
        )
        #expect(started.status == .created, "\(started.text)")
    }

    /// Waits (real time) until the plan's status is `status`; how long it took.
    static func waitForStatus(_ status: String, _ instances: Instances, limit: Duration = .seconds(15)) async throws -> Duration? {
        let began = ContinuousClock.now
        while ContinuousClock.now - began < limit {
            if try await plan(instances)?["status"] as? String == status { return ContinuousClock.now - began }
            try await Task.sleep(for: .milliseconds(50))
        }
        return nil
    }

    @Test func aFeatureThatMakesItsPeopleSlowerIsRolledBackOnBothInstancesWithTheAuditEntryAndTheNotices() async throws {
        try await Self.withRollout(answering: .slow(.milliseconds(1_200))) { instances, clock, webhook in
            let tokens = try await Self.people(16, instances)
            try await Self.start(instances)
            try await Self.traffic(tokens, requestsEach: 10, round: 0, instances)
            // Whatever the clock, a failed guardrail rolls back at once.
            let took = try await Self.waitForStatus("rolled_back", instances)
            let plan = try await Self.plan(instances)
            #expect(took != nil, "not rolled back: \(String(describing: plan))")
            print("rolled back \(took.map { "\($0)" } ?? "-") after the traffic ended; \(String(describing: plan?["reason"] ?? ""))")
            let shown = try #require(plan)
            #expect((shown["reason"] as? String)?.hasPrefix("slowRequests:") == true, "\(shown)")
            // The feature is off for everyone, on both instances.
            let anyone = try JSONBody(try await instances.first.execute(uri: "/api/admin/flags", method: .get,
                                                                       headers: [.authorization: "Bearer \(instances.adminToken)"]))
            #expect(anyone["data.flags.FEATURE_AI_INSIGHTS.setting"] as? String == "false")
            for client in [instances.first, instances.second] {
                var off = false
                for _ in 0..<40 where !off {
                    off = try JSONBody(try await client.execute(
                        uri: "/api/flags", method: .get, headers: [.authorization: "Bearer \(tokens[0])"]
                    ))["data.flags.aiInsights.enabled"] as? Bool == false
                    if !off { try await Task.sleep(for: .milliseconds(50)) }
                }
                #expect(off)
            }
            // Audited with its reason; the webhook told; a mail to the operators in the outbox.
            let audited = try await Self.count(
                "SELECT count(*)::int FROM audit_log WHERE action = 'rollout.rolled_back' AND target_id = 'FEATURE_AI_INSIGHTS' AND details->>'reason' LIKE 'slowRequests:%'",
                instances
            )
            #expect(audited == 1)
            for _ in 0..<100 where webhook.bodies.withLock({ $0.isEmpty }) { try await Task.sleep(for: .milliseconds(50)) }
            #expect(webhook.bodies.withLock { $0.first?["event"] } == "rollout.rolled_back")
            #expect(webhook.bodies.withLock { $0.first?["flag"] } == "FEATURE_AI_INSIGHTS")
            let mailed = try await Self.count(
                "SELECT count(*)::int FROM mail_outbox WHERE kind = 'rollout-rolled-back' AND recipient = 'operators@example.com'", instances
            )
            #expect(mailed == 1)
            // The console's charts kept the cohorts' figures at the decision: the slow cohort is the one with the feature.
            let history = try await RolloutRepository(database: instances.database).history(
                of: .aiInsights, since: .distantPast, as: .system, logger: TestDatabase.logger
            )
            let last = history.filter { $0.takenAt == history.last?.takenAt }
            let on = try #require(last.first { $0.withFeature }), off = try #require(last.first { !$0.withFeature })
            #expect(on.requests > 0 && off.requests > 0, "\(last)")
            #expect(Double(on.slowRequests) / Double(on.requests) > Double(off.slowRequests) / Double(off.requests), "\(last)")
            #expect((on.p95Milliseconds ?? 0) > (off.p95Milliseconds ?? .max), "\(last)")
        }
    }

    @Test func aHarmlessFeatureIsPromotedToEveryoneOnceItsStepHasLastedAndHadItsPeople() async throws {
        try await Self.withRollout(answering: .insight) { instances, clock, webhook in
            let tokens = try await Self.people(16, instances)
            // A person may neither see nor start a plan.
            for (uri, method) in [("/api/admin/rollouts", HTTPRequest.Method.get), ("/api/admin/rollouts/FEATURE_AI_INSIGHTS", .put),
                                  ("/api/admin/rollouts/FEATURE_AI_INSIGHTS/rollback", .post)] {
                let refused = try await instances.first.execute(
                    uri: uri, method: method, headers: [.authorization: "Bearer \(tokens[0])", .contentType: "application/json"],
                    body: ByteBuffer(string: "{}")
                )
                #expect(refused.status == .forbidden, "\(method) \(uri) as a person: \(refused.status)")
            }
            try await Self.start(instances)
            try await Self.traffic(tokens, requestsEach: 10, round: 0, instances)
            // Before its minimum time the step is held, whatever the traffic.
            try await Task.sleep(for: .milliseconds(600))
            let held = try await Self.plan(instances)?["status"] as? String
            #expect(held == "running")
            clock.advance(seconds: 61)
            let took = try await Self.waitForStatus("completed", instances)
            let plan = try await Self.plan(instances)
            #expect(took != nil, "not promoted: \(String(describing: plan))")
            let rules = try JSONBody(try await instances.second.execute(uri: "/api/admin/flags", method: .get,
                                                                       headers: [.authorization: "Bearer \(instances.adminToken)"]))
            #expect(rules["data.flags.FEATURE_AI_INSIGHTS.setting"] as? String == "true")
            #expect(webhook.bodies.withLock { $0.isEmpty })
            let audited = try await Self.count(
                "SELECT count(*)::int FROM audit_log WHERE action = 'rollout.completed' AND target_id = 'FEATURE_AI_INSIGHTS'", instances
            )
            #expect(audited == 1)
        }
    }

    /// The seed's KPI ceiling for the phase, read from every instance's latency histogram of the
    /// people with the feature: their p95 above 800 ms rolls the plan back, with no cohort test at all.
    @Test func aP95AboveThePhasesCeilingRollsBackToo() async throws {
        try await Self.withRollout(answering: .slow(.milliseconds(1_200))) { instances, clock, webhook in
            let tokens = try await Self.people(8, instances)
            try await Self.start(instances, plan: #"""
                {"steps": [50, 100], "minimumStepSeconds": 60, "minimumPeoplePerStep": 4,
                 "maximumP95Milliseconds": 800, "maximumMemoryMegabytes": 100000,
                 "guardrails": [{"measure": "serverErrors", "minimumTrials": 20}]}
                """#)
            try await Self.traffic(tokens, requestsEach: 6, round: 0, instances)
            let took = try await Self.waitForStatus("rolled_back", instances)
            let plan = try await Self.plan(instances)
            #expect(took != nil, "not rolled back: \(String(describing: plan))")
            #expect(plan?["reason"] as? String == "p95 latency with the feature 2000 ms, above the ceiling of 800 ms", "\(String(describing: plan))")
        }
    }
}
