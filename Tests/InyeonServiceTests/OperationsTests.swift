import Foundation
import Hummingbird
import HummingbirdTesting
import InyeonService
import Testing

@Suite struct OperationsTests {
    @Test func rlsStatusReadsTheCatalogs() async throws {
        try await withApp { client in
            try await client.execute(uri: "/api/rls/status", method: .get, headers: try await OperatorToken.headers()) { response in
                #expect(response.status == .ok)
                let body = try JSONBody(response)
                #expect(body["data.bypassrls"] as? Bool == false)
                #expect(body["data.superuser"] as? Bool == false)
                #expect(body["data.ownsTables"] as? Bool == false)
                #expect(body["data.enforced"] as? Bool == true)
                #expect(body["data.connectedRole"] as? String == "inyeon_app")
                let tables = try #require(body["data.tables"] as? [[String: Any]])
                #expect(tables.count == 36, "17 tables, the four of chat, the two of the web app, the shared rate limits, the mail outbox, password resets, the two of notifications, the answers after meeting, the recommendation models and the six of rollout plans")
                for table in tables {
                    #expect(table["rlsEnabled"] as? Bool == true, "\(table)")
                    #expect(table["rlsForced"] as? Bool == true, "\(table)")
                    #expect((table["policies"] as? Int ?? 0) > 0, "\(table)")
                }
                #expect(body["data.featureFlags.aiInsights"] as? String == "false")
            }
        }
    }

    @Test func enhancedHealthReportsMeasuredFigures() async throws {
        try await withApp(["FEATURE_AI_INSIGHTS": "25%"]) { client in
            try await client.execute(uri: "/api/health/enhanced", method: .get, headers: try await OperatorToken.headers()) { response in
                #expect(response.status == .ok)
                let body = try JSONBody(response)
                #expect(body["data.status"] as? String == "healthy")
                #expect(body["data.database.status"] as? String == "connected")
                let roundTrip = try #require(body["data.database.roundTripMs"] as? Double)
                #expect(roundTrip > 0)
                #expect((body["data.database.pool.openConnections"] as? Int ?? 0) >= 1)
                #expect(body["data.database.pool.maximumConnections"] as? Int == 20)
                #expect((body["data.memory.residentBytes"] as? Int ?? 0) > 1_000_000)
                #expect((body["data.usersCount"] as? Int ?? 0) >= 200)
                #expect(body["data.featureFlags.aiInsights"] as? String == "25%")
                #expect(body["data.version"] is String)
            }
        }
    }

    @Test func usersRLSRefusesAnInvalidBearerToken() async throws {
        try await withApp { client in
            try await client.execute(uri: "/api/users/rls", method: .get, headers: [.authorization: "Bearer not.a.token"]) { response in
                #expect(response.status == .unauthorized)
                let body = try JSONBody(response)
                #expect(body["code"] as? String == "INVALID_TOKEN")
            }
            try await client.execute(uri: "/api/users/rls", method: .get) { response in
                #expect(response.status == .ok)
                let body = try JSONBody(response)
                #expect(body["data.viewer.role"] as? String == "anonymous")
                #expect((body["data.totalCount"] as? Int ?? 0) > 0)
            }
        }
    }
}
