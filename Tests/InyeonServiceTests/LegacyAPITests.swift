import Foundation
import Hummingbird
import HummingbirdTesting
import InyeonCore
import Testing

@Suite struct LegacyAPITests {
    static let kimSeren = DemoPeopleGenerator.kimSeren
    static let leeMaeryeok = DemoPeopleGenerator.leeMaeryeok

    @Test func usersListsRealRowsInTheLegacyEnvelope() async throws {
        try await withApp { client in
            try await client.execute(uri: "/api/users?limit=100", method: .get) { response in
                #expect(response.status == .ok)
                let body = try JSONBody(response)
                #expect(body["success"] as? Bool == true)
                #expect((body["message"] as? String)?.isEmpty == false)
                let users = try #require(body["data.users"] as? [[String: Any]])
                let total = try #require(body["data.totalCount"] as? Int)
                #expect(body["data.currentCount"] as? Int == users.count)
                #expect(users.count == min(total, 100))
                #expect(total >= 100, "200 demo people, most of whom allow public listing")
                let names = users.compactMap { $0["name"] as? String }
                #expect(names.contains("김세렌"))
            }
        }
    }

    @Test func noResponseCarriesContactDetailsOrExactLocation() async throws {
        try await withApp { client in
            for uri in [
                "/api/users?limit=100", "/api/users/rls", "/api/matching/test",
                "/api/matching/intelligent-compatibility/\(Self.leeMaeryeok)",
            ] {
                try await client.execute(uri: uri, method: .get) { response in
                    #expect(response.status == .ok, "\(uri)")
                    let text = response.text
                    for forbidden in ["@example.com", "010-", "email", "phone", "latitude", "longitude", "birthDate", "birth_date", "income"] {
                        #expect(!text.contains(forbidden), "\(uri) leaks \(forbidden)")
                    }
                }
            }
        }
    }

    @Test func matchingTestComputesTheDemoPairsCompatibility() async throws {
        try await withApp { client in
            try await client.execute(uri: "/api/matching/test", method: .get) { response in
                #expect(response.status == .ok)
                let body = try JSONBody(response)
                let breakdown = try #require(body["data.results.advancedCompatibility.breakdown"] as? [String: Int])
                // The legacy keys all stay; the newer components come alongside them.
                #expect(Set(breakdown.keys).isSuperset(of: [
                    "valuesAlignment", "lifestyleMatch", "maritalStatusCompatibility", "childrenCompatibility",
                    "occupationCompatibility", "ageCompatibility", "locationCompatibility",
                ]))
                #expect(Set(breakdown.keys).isSuperset(of: ["personalityFit", "sharedInterests", "communicationStyle"]))
                #expect(breakdown.values.allSatisfy { (0...100).contains($0) })
                // 강남구 and 서초구 are about 4 km apart: well within both people's limits.
                #expect(breakdown["locationCompatibility"]! > 80)
                let total = try #require(body["data.results.advancedCompatibility.totalScore"] as? Int)
                #expect((0...100).contains(total))
                let matches = try #require(body["data.results.potentialMatches"] as? [[String: Any]])
                #expect(matches.count == 5)
                let scores = matches.compactMap { $0["compatibilityScore"] as? Int }
                #expect(scores == scores.sorted(by: >), "ranked best first")
                for match in matches {
                    #expect(match["userId"] as? String != Self.kimSeren)
                    #expect((match["matchReason"] as? String)?.isEmpty == false)
                    #expect(match["serendipityScore"] is Int)
                }
            }
        }
    }

    @Test func intelligentCompatibilityAnswersTheLegacyErrors() async throws {
        try await withApp { client in
            try await client.execute(uri: "/api/matching/intelligent-compatibility/\(UUID().uuidString)", method: .get) { response in
                #expect(response.status == .notFound)
                let body = try JSONBody(response)
                #expect(body["success"] as? Bool == false)
                #expect(body["code"] as? String == "USER_NOT_FOUND")
                #expect((body["error"] as? String)?.isEmpty == false)
            }
            try await client.execute(uri: "/api/matching/intelligent-compatibility/not-a-uuid", method: .get) { response in
                #expect(response.status == .badRequest)
                let body = try JSONBody(response)
                #expect(body["code"] as? String == "INVALID_USER_ID")
            }
            try await client.execute(uri: "/api/matching/intelligent-compatibility/\(Self.leeMaeryeok)", method: .get) { response in
                #expect(response.status == .ok)
                let body = try JSONBody(response)
                #expect(body["data.targetUser.name"] as? String == "이매력")
                #expect(body["data.compatibility.totalScore"] is Int)
            }
        }
    }

    @Test func unknownPathsAnswerJSONListingTheEndpoints() async throws {
        try await withApp { client in
            try await client.execute(uri: "/api/does-not-exist", method: .get) { response in
                #expect(response.status == .notFound)
                let body = try JSONBody(response)
                #expect(body["code"] as? String == "ENDPOINT_NOT_FOUND")
                let endpoints = try #require(body["availableEndpoints"] as? [String])
                #expect(endpoints.contains("GET /api/users"))
                #expect(endpoints.contains("GET /api/health"))
            }
        }
    }

    @Test(arguments: ["/api/users?limit=0", "/api/users?limit=abc", "/api/users?offset=-1", "/api/matching/test?userId=x", "/api/matching/test?limit=999"])
    func malformedParametersAreClearBadRequests(uri: String) async throws {
        try await withApp { client in
            try await client.execute(uri: uri, method: .get) { response in
                #expect(response.status == .badRequest)
                let body = try JSONBody(response)
                #expect(body["success"] as? Bool == false)
                #expect(["INVALID_PARAMETER", "INVALID_USER_ID"].contains(body["code"] as? String))
            }
        }
    }

    @Test func pingAndHealthAnswer() async throws {
        try await withApp { client in
            try await client.execute(uri: "/ping", method: .get) { response in
                #expect(response.status == .ok)
                let body = try JSONBody(response)
                #expect(body["message"] as? String == "pong")
            }
            try await client.execute(uri: "/api/health", method: .get) { response in
                #expect(response.status == .ok)
                let body = try JSONBody(response)
                #expect(body["data.status"] as? String == "healthy")
                #expect(body["data.database"] as? String == "connected")
                #expect(response.headers[.init("X-Request-Id")!] != nil)
            }
        }
    }
}

@Suite struct EnhancedAuthPhaseTests {
    @Test func onceEnhancedAuthIsFullyOnAnonymousCallersSeeNoCards() async throws {
        try await withApp(["FEATURE_ENHANCED_AUTH": "true"]) { client in
            try await client.execute(uri: "/api/users", method: .get) { response in
                #expect(response.status == .ok)
                let body = try JSONBody(response)
                #expect(body["data.totalCount"] as? Int == 0)
            }
            try await client.execute(uri: "/api/rls/status", method: .get, headers: try await OperatorToken.headers()) { response in
                let body = try JSONBody(response)
                #expect(body["data.featureFlags.enhancedAuth"] as? String == "true")
            }
        }
    }
}
