import Foundation
import Hummingbird
import HummingbirdTesting
@testable import InyeonService
import Testing

@Suite struct ObservabilityTests {
    static func value(of metric: String, in text: String) -> Double? {
        text.split(separator: "\n").first { $0.hasPrefix(metric + " ") || $0 == Substring(metric) }
            .flatMap { Double($0.split(separator: " ").last ?? "") }
    }

    @Test func metricsArePresentAndCounting() async throws {
        try await withApp { client in
            for _ in 0..<3 { _ = try await client.execute(uri: "/api/users?limit=1", method: .get) }
            _ = try await client.execute(uri: "/api/users?limit=0", method: .get)
            _ = try await client.execute(uri: "/api/matching/intelligent-compatibility/\(UUID())", method: .get)
            _ = try await client.execute(uri: "/api/flags", method: .get)
            let operatorHeaders = try await OperatorToken.headers()
            let first = try await client.execute(uri: "/metrics", method: .get, headers: operatorHeaders)
            #expect(first.status == .ok)
            #expect(first.headers[.contentType]?.hasPrefix("text/plain") == true)
            let text = first.text
            let ok = Self.value(of: #"http_requests_total{method="GET",route="/api/users",status="200"}"#, in: text)
            #expect(ok == 3)
            #expect(Self.value(of: #"http_requests_total{method="GET",route="/api/users",status="400"}"#, in: text) == 1)
            // Routes are labelled by their pattern, never by the id in the path.
            #expect(text.contains(#"route="/api/matching/intelligent-compatibility/{targetUserId}""#) || text.contains(#"route="/api/matching/intelligent-compatibility/:targetUserId""#))
            #expect(!text.contains("intelligent-compatibility/0") && !text.contains("intelligent-compatibility/1"))
            for metric in ["http_request_duration_seconds_bucket", "db_transaction_duration_seconds_count", "cache_hit_rate", "db_pool_open_connections",
                           "process_resident_memory_bytes", "security_events{event=\"invalidToken\"}", "feature_flag_evaluations_total{flag=\"aiInsights\",enabled=\"false\"}", "db_up 1.0"] {
                #expect(text.contains(metric), "\(metric) missing")
            }
            _ = try await client.execute(uri: "/api/users/rls", method: .get, headers: [.authorization: "Bearer nonsense"])
            let second = try await client.execute(uri: "/metrics", method: .get, headers: operatorHeaders).text
            #expect(Self.value(of: #"security_events{event="invalidToken"}"#, in: second) == 1)
            #expect(Self.value(of: #"http_requests_total{method="GET",route="/metrics",status="200"}"#, in: second) == 1, "the first scrape was counted")
        }
    }

    @Test func enhancedHealthChecksTheKPIsWithMeasuredValues() async throws {
        try await withApp { client in
            for _ in 0..<5 { _ = try await client.execute(uri: "/api/users?limit=5", method: .get) }
            let body = try JSONBody(try await client.execute(uri: "/api/health/enhanced", method: .get, headers: try await OperatorToken.headers()))
            let kpis = try #require(body["data.kpis"] as? [[String: Any]])
            #expect(Set(kpis.compactMap { $0["name"] as? String }) == ["responseTimeP95", "memory", "cacheHitRate", "errorRate"])
            for kpi in kpis {
                #expect(["pass", "warn", "fail", "unknown"].contains(kpi["status"] as? String))
                #expect(kpi.keys.contains("value"), "a value, or an explicit null before anything was measured")
            }
            let response = try #require(kpis.first { $0["name"] as? String == "responseTimeP95" })
            #expect((response["value"] as? Double ?? 0) > 0, "a measured latency")
            let errors = try #require(kpis.first { $0["name"] as? String == "errorRate" })
            #expect(errors["value"] as? Double == 0 && errors["status"] as? String == "pass")
            let memory = try #require(kpis.first { $0["name"] as? String == "memory" })
            #expect((memory["value"] as? Double ?? 0) > 1)
            // The pool's connections and the people listed come from the background reading, with its age.
            #expect((body["data.backgroundFiguresAgeSeconds"] as? Double).map { $0 >= 0 && $0 < 60 } == true)
            #expect((body["data.usersCount"] as? Int ?? 0) > 0)
            #expect((body["data.database.pool.openConnections"] as? Int ?? 0) >= 1)
            #expect(body["data.database.roundTripMs"] is Double, "the round trip is measured per request")
        }
    }

    /// The figures that cost the database work are read once per interval, however often they are
    /// asked for, and read again by the caller once they are stale.
    @Test func theOperatorsHealthFiguresAreReadInTheBackgroundNotPerRequest() async throws {
        try await TestDatabase.withAppRoleClient { client in
            let database = Database(client: client, poolSize: 4, identityKey: TestDatabase.identityKey)
            let profiles = PostgresProfileRepository(database: database, cache: MemoryCache(), currentYear: { 2026 })
            let figures = BackgroundHealthFigures(
                probe: DatabaseProbe(database: database), profiles: profiles, interval: .milliseconds(200), logger: TestDatabase.logger
            )
            let first = await figures.current()
            #expect(first.usersCount != nil && first.pool != nil)
            for _ in 0..<20 {
                let again = await figures.current()
                #expect(again.takenAt == first.takenAt, "the same reading, not a new one per call")
            }
            try await Task.sleep(for: figures.stale + .milliseconds(50))
            let later = await figures.current()
            #expect(later.takenAt > first.takenAt, "a stale reading is taken again")
        }
    }
}
