import Foundation
import Hummingbird
import HummingbirdTesting
import InyeonCore
import InyeonService
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
                // Exactly what the calculator gives for the two demo members as an anonymous caller sees them.
                let expected = Self.expectedDemoPairCompatibility()
                let expectedBreakdown = try Self.components(expected.breakdown.shown)
                #expect(breakdown == expectedBreakdown)
                let total = try #require(body["data.results.advancedCompatibility.totalScore"] as? Int)
                #expect(total == expected.totalScore)
                #expect(body["data.results.advancedCompatibility.serendipityScore"] as? Int == expected.serendipityScore)
                #expect(body["data.results.advancedCompatibility.sharedInterests"] as? [String] == expected.sharedInterests)
                #expect(body["data.results.advancedCompatibility.matchReason"] as? String == expected.matchReason)
                // Facts of the pair read off by hand, so the expectation does not rest on the calculator alone:
                // each is inside the other's preferred ages (53 in 44-56, 48 in 48-60): 100; divorced with
                // widowed: 75; 강남구 and 서초구 are 4.0 km apart against the nearer limit of 20 km:
                // 100 - 40 × 4.0 / 20 = 92, shown in steps of 25 as 100.
                #expect(breakdown["ageCompatibility"] == 100)
                #expect(breakdown["maritalStatusCompatibility"] == 75)
                #expect(breakdown["locationCompatibility"] == 100)
                #expect(breakdown.values.allSatisfy { (0...100).contains($0) })
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

    /// The two demo members as the generator makes them (the seeder stores exactly these), seen by
    /// someone else: the age read is the middle of the bracket their card shows, never the birth year
    /// (see `PostgresProfileRepository.person(from:currentYear:)`); everything else is stored as made.
    static func seenByOthers(_ person: DemoPerson, currentYear: Int) -> MatchingProfile {
        var profile = person.matchingProfile
        profile.id = profile.id.lowercased()
        profile.birthYear = currentYear - AgeBracket(birthYear: person.birthYear, currentYear: currentYear).representativeAge
        return profile
    }

    /// 김세렌's compatibility with 이매력, computed here from the generator's facts with the core calculator.
    static func expectedDemoPairCompatibility() -> CompatibilityResult {
        let year = KoreanCalendar.currentYear()
        let generator = DemoPeopleGenerator(currentYear: year)
        let (kim, lee) = (generator.person(at: 0), generator.person(at: 1))
        precondition(kim.id == kimSeren && lee.id == leeMaeryeok)
        return CompatibilityCalculator(currentYear: year).compatibility(seenByOthers(kim, currentYear: year), seenByOthers(lee, currentYear: year))
    }

    /// A breakdown as the JSON answer spells it.
    static func components(_ breakdown: CompatibilityBreakdown) throws -> [String: Int] {
        try JSONDecoder().decode([String: Int].self, from: JSONEncoder().encode(breakdown))
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
                let expected = Self.expectedDemoPairCompatibility()
                #expect(body["data.compatibility.totalScore"] as? Int == expected.totalScore)
                #expect(body["data.compatibility.breakdown"] as? [String: Int] == (try Self.components(expected.breakdown.shown)))
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
