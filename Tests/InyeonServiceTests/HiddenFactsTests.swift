import Foundation
import Hummingbird
import HummingbirdTesting
import InyeonCore
import InyeonService
import PostgresNIO
import Testing

/// What a person keeps to themselves (the exact birth year, the home, a hidden age bracket or
/// district) cannot be read on their behalf by the service's role, nor inferred by someone who
/// probes with their own preferences and watches the scores and introductions change.
@Suite(.serialized) struct HiddenFactsTests {
    /// A woman whose card shows what `showAge`/`showLocation` allow.
    static func target(name: String, birthYear: Int, city: String, district: String, showAge: Bool, showLocation: Bool,
                       home: (Double, Double)) -> [String: Any] {
        var profile = MyProfileTests.profile()
        profile["displayName"] = name
        profile["birthYear"] = birthYear
        profile["location"] = ["city": city, "district": district, "latitude": home.0, "longitude": home.1]
        profile["privacy"] = ["showAge": showAge, "showLocation": showLocation, "searchable": true, "allowPublicListing": false]
        return profile
    }

    /// The prober: a man who sets his own age range, distance and place at will.
    static func prober(ageMin: Int, ageMax: Int, distance: Int, district: String) -> [String: Any] {
        var profile = MyProfileTests.profile(ageMin: ageMin, ageMax: ageMax, distance: distance)
        profile["displayName"] = "탐색자"
        profile["gender"] = "male"
        profile["seeking"] = "female"
        profile["birthYear"] = 1965
        profile["location"] = ["city": "서울", "district": district]
        profile["preferences"] = [
            "ageMin": ageMin, "ageMax": ageMax, "maxDistanceKm": distance, "maritalStatuses": [String](),
            "occupationImportance": 3, "lifestyleImportance": 3,
        ]
        return profile
    }

    static func put(_ accounts: AccountHelper, _ profile: [String: Any], token: String) async throws {
        try await put(accounts, try JSONSerialization.data(withJSONObject: profile), token: token)
    }

    static func put(_ accounts: AccountHelper, _ profile: Data, token: String) async throws {
        let saved = try await accounts.client.execute(
            uri: "/api/me/profile", method: .put, headers: [.authorization: "Bearer \(token)", .contentType: "application/json"],
            body: ByteBuffer(bytes: profile)
        )
        #expect(saved.status == .ok, "\(saved.text)")
    }

    /// Everything the compatibility answer says about the pair, without who the target is.
    static func compatibility(_ accounts: AccountHelper, of target: String, token: String) async throws -> String {
        let response = try await accounts.get("/api/matching/intelligent-compatibility/\(target)", token: token)
        #expect(response.status == .ok, "\(response.text)")
        let body = try JSONBody(response)
        let answer: [String: Any] = [
            "total": body["data.compatibility.totalScore"] ?? NSNull(), "breakdown": body["data.compatibility.breakdown"] ?? NSNull(),
            "serendipity": body["data.compatibility.serendipityScore"] ?? NSNull(), "age": body["data.targetUser.ageRange"] ?? NSNull(),
            "district": body["data.targetUser.district"] ?? NSNull(), "reason": body["data.compatibility.matchReason"] ?? NSNull(),
        ]
        return String(decoding: try JSONSerialization.data(withJSONObject: answer, options: [.sortedKeys]), as: UTF8.self)
    }

    /// Two people who differ only in what they hide must look exactly alike to a prober, whatever
    /// age range, distance and place the prober gives himself.
    func expectIndistinguishable(_ first: [String: Any], _ second: [String: Any]) async throws {
        let (first, second) = (try JSONSerialization.data(withJSONObject: first), try JSONSerialization.data(withJSONObject: second))
        try await withAccounts { accounts in
            let a = try await accounts.signUp(), b = try await accounts.signUp(), prober = try await accounts.signUp()
            try await Self.put(accounts, first, token: a.access)
            try await Self.put(accounts, second, token: b.access)
            for (ageMin, ageMax) in [(45, 50), (51, 53), (54, 54), (55, 60), (61, 66)] {
                for (distance, district) in [(1, "마포구"), (3, "서대문구"), (8, "강남구"), (30, "마포구")] {
                    try await Self.put(accounts, Self.prober(ageMin: ageMin, ageMax: ageMax, distance: distance, district: district), token: prober.access)
                    let seenA = try await Self.compatibility(accounts, of: a.userID, token: prober.access)
                    let seenB = try await Self.compatibility(accounts, of: b.userID, token: prober.access)
                    #expect(seenA == seenB, "ages \(ageMin)-\(ageMax), \(distance) km from \(district)")
                }
            }
        }
    }

    @Test func aHiddenAgeAndDistrictCannotBeProbedThroughScores() async throws {
        let year = KoreanCalendar.currentYear()
        try await expectIndistinguishable(
            Self.target(name: "가", birthYear: year - 54, city: "서울", district: "마포구", showAge: false, showLocation: false,
                        home: (37.5563, 126.9236)),
            Self.target(name: "나", birthYear: year - 47, city: "서울", district: "강남구", showAge: false, showLocation: false,
                        home: (37.4979, 127.0276))
        )
    }

    @Test func aShownBracketAndDistrictRevealNothingFiner() async throws {
        let year = KoreanCalendar.currentYear()
        // Both 51-55 and both in 마포구, but born two years apart and living 2 km apart.
        try await expectIndistinguishable(
            Self.target(name: "다", birthYear: year - 52, city: "서울", district: "마포구", showAge: true, showLocation: true,
                        home: (37.5563, 126.9236)),
            Self.target(name: "라", birthYear: year - 54, city: "서울", district: "마포구", showAge: true, showLocation: true,
                        home: (37.5440, 126.9510))
        )
    }

    @Test func theServiceRoleCannotReadAnotherPersonsBirthYearOrPlace() async throws {
        let year = KoreanCalendar.currentYear()
        try await withAccounts { accounts in
            let her = try await accounts.signUp(), viewer = try await accounts.signUp()
            try await Self.put(
                accounts,
                Self.target(name: "숨김", birthYear: year - 57, city: "서울", district: "마포구", showAge: false, showLocation: false,
                            home: (37.5563, 126.9236)),
                token: her.access
            )
            try await Self.put(accounts, Self.prober(ageMin: 40, ageMax: 70, distance: 30, district: "마포구"), token: viewer.access)
            let herID = try #require(UUID(uuidString: her.userID)), viewerID = try #require(UUID(uuidString: viewer.userID))
            try await TestDatabase.withAppRoleClient { client in
                let database = Database(client: client, poolSize: 4, identityKey: TestDatabase.identityKey)
                for column in ["birth_year", "latitude", "longitude", "district"] {
                    for identity in [RequestIdentity.user(viewerID), .user(herID), .system] {
                        let error = await #expect(throws: PSQLError.self, "\(column) as \(identity.role)") {
                            try await database.transaction(as: identity, logger: TestDatabase.logger) { connection in
                                try await connection.query(PostgresQuery(unsafeSQL: "SELECT \(column) FROM profiles LIMIT 1"), logger: TestDatabase.logger)
                                    .collect()
                            }
                        }
                        #expect(error?.serverInfo?[.sqlState] == "42501", "permission denied for profiles.\(column)")
                    }
                }
                // Through the view: others come as their card allows; oneself in full.
                let (seenBirthYear, seenBracket, seenDistrict, seenLatitude) = try await database.transaction(
                    as: .user(viewerID), logger: TestDatabase.logger
                ) { connection in
                    try await connection.query(
                        "SELECT birth_year, age_bracket, district, latitude FROM visible_profiles WHERE user_id = \(herID)", logger: TestDatabase.logger
                    ).collect().first!.decode((Int?, String?, String?, Double).self)
                }
                #expect(seenBirthYear == nil && seenBracket == nil && seenDistrict == nil)
                #expect(seenLatitude == KoreanDistrictDirectory.regionPoint(city: "서울")?.latitude, "a hidden district is placed at Seoul's point")
                let own = try await database.transaction(as: .user(herID), logger: TestDatabase.logger) { connection in
                    try await connection.query(
                        "SELECT birth_year, age_bracket, district, latitude FROM visible_profiles WHERE user_id = \(herID)", logger: TestDatabase.logger
                    ).collect().first!.decode((Int?, String?, String?, Double).self)
                }
                #expect(own.0 == year - 57 && own.1 == "56-60" && own.2 == "마포구" && own.3 == 37.56071)
            }
        }
    }

    /// The optional facts: one she keeps to herself is read by no one (not even through the service's
    /// role) and moves no score, however a prober sets his own; one she shares is on her card and counts.
    @Test func anUnsharedFactCannotBeReadOrProbedAndASharedOneCounts() async throws {
        let year = KoreanCalendar.currentYear()
        @Sendable func target(_ name: String, smoking: String, shared: [String]) -> [String: Any] {
            var profile = Self.target(name: name, birthYear: year - 55, city: "서울", district: "마포구", showAge: true, showLocation: true,
                                      home: (37.5563, 126.9236))
            profile["facts"] = ["religion": "buddhist", "smoking": smoking, "drinking": "sometimes", "shared": shared]
            return profile
        }
        try await withAccounts { accounts in
            let kept = try await accounts.signUp(), keptOther = try await accounts.signUp(), open = try await accounts.signUp()
            let prober = try await accounts.signUp()
            try await Self.put(accounts, target("가", smoking: "no", shared: []), token: kept.access)
            try await Self.put(accounts, target("가", smoking: "yes", shared: []), token: keptOther.access)
            try await Self.put(accounts, target("가", smoking: "yes", shared: ["smoking"]), token: open.access)
            func lifestyle(_ target: String) async throws -> Int {
                let body = try JSONBody(try await accounts.get("/api/matching/intelligent-compatibility/\(target)", token: prober.access))
                return try #require(body["data.compatibility.breakdown.lifestyleMatch"] as? Int)
            }
            var sharedLifestyle: [String: Int] = [:]
            for smoking in ["no", "yes"] {
                var probe = Self.prober(ageMin: 45, ageMax: 65, distance: 30, district: "마포구")
                probe["facts"] = ["religion": "buddhist", "smoking": smoking, "drinking": "sometimes", "shared": ["religion", "smoking", "drinking"]]
                try await Self.put(accounts, probe, token: prober.access)
                let first = try await Self.compatibility(accounts, of: kept.userID, token: prober.access)
                let second = try await Self.compatibility(accounts, of: keptOther.userID, token: prober.access)
                #expect(first == second, "an unshared fact moves nothing (prober smoking: \(smoking))")
                sharedLifestyle[smoking] = try await lifestyle(open.userID)
                #expect(try await lifestyle(kept.userID) == lifestyle(keptOther.userID))
            }
            #expect(sharedLifestyle["yes"] ?? 0 > sharedLifestyle["no"] ?? 0, "a shared fact counts: alike fits better than apart (\(sharedLifestyle))")
            let card = try JSONBody(try await accounts.get("/api/matching/intelligent-compatibility/\(open.userID)", token: prober.access))
            #expect(card["data.targetUser.smoking"] as? String == "yes" && card["data.targetUser.religion"] == nil)
            let hidden = try JSONBody(try await accounts.get("/api/matching/intelligent-compatibility/\(kept.userID)", token: prober.access))
            #expect(hidden["data.targetUser.smoking"] == nil && hidden["data.targetUser.drinking"] == nil)
            let (keptID, proberID) = (try #require(UUID(uuidString: kept.userID)), try #require(UUID(uuidString: prober.userID)))
            try await TestDatabase.withAppRoleClient { client in
                let database = Database(client: client, poolSize: 2, identityKey: TestDatabase.identityKey)
                let seen = try await database.transaction(as: .user(proberID), logger: TestDatabase.logger) { connection in
                    try await connection.query(
                        "SELECT religion, smoking, drinking FROM visible_profiles WHERE user_id = \(keptID)", logger: TestDatabase.logger
                    ).collect().first!.decode((String?, String?, String?).self)
                }
                #expect(seen.0 == nil && seen.1 == nil && seen.2 == nil)
                let own = try await database.transaction(as: .user(keptID), logger: TestDatabase.logger) { connection in
                    try await connection.query("SELECT smoking FROM visible_profiles WHERE user_id = \(keptID)", logger: TestDatabase.logger)
                        .collect().first!.decode(String?.self)
                }
                #expect(own == "no", "her own row is whole")
                let error = await #expect(throws: PSQLError.self) {
                    try await database.transaction(as: .system, logger: TestDatabase.logger) { connection in
                        try await connection.query("SELECT smoking FROM profiles LIMIT 1", logger: TestDatabase.logger).collect()
                    }
                }
                #expect(error?.serverInfo?[.sqlState] == "42501", "the table's fact columns are not readable by the service's role")
            }
        }
    }

    @Test func theDatabaseAndTheServiceAgreeOnEveryAgeBracket() async throws {
        let year = KoreanCalendar.currentYear()
        try await TestDatabase.withAppRoleClient { client in
            let years = Array((year - 95)...(year - 18))
            let brackets = try await client.query("SELECT y::int, app.age_bracket(y::int) FROM unnest(\(years)) AS y", logger: TestDatabase.logger)
                .collect().map { try $0.decode((Int, String).self) }
            #expect(brackets.count == years.count)
            for (birthYear, bracket) in brackets {
                #expect(bracket == AgeBracket(birthYear: birthYear, currentYear: year).rawValue, "born \(birthYear)")
            }
        }
    }

    @Test func aPlaceMustBeADistrictOfTheDirectory() async throws {
        try await withAccounts { accounts in
            let me = try await accounts.signUp()
            var profile = MyProfileTests.profile()
            profile["location"] = ["city": "서울", "district": "우리집 앞", "latitude": 37.5, "longitude": 127.0]
            let refused = try await accounts.client.execute(
                uri: "/api/me/profile", method: .put, headers: [.authorization: "Bearer \(me.access)", .contentType: "application/json"],
                body: accounts.json(profile)
            )
            #expect(refused.status == .badRequest)
            let body = try JSONBody(refused)
            #expect(body["code"] as? String == "INVALID_PROFILE")
            #expect((body["fields.location"] as? String)?.isEmpty == false)
            // Full names are understood and stored short.
            profile["location"] = ["city": "서울특별시", "district": "마포구"]
            let saved = try await accounts.client.execute(
                uri: "/api/me/profile", method: .put, headers: [.authorization: "Bearer \(me.access)", .contentType: "application/json"],
                body: accounts.json(profile)
            )
            #expect(saved.status == .ok)
            #expect(try JSONBody(saved)["data.city"] as? String == "서울")
        }
    }

    @Test func aBlockedPersonCannotLearnWhoBlockedThem() async throws {
        try await withAccounts(MatchLifecycleTests.overrides) { accounts in
            let her = try await MatchLifecycleTests.member(accounts, "female", name: "차단한사람", birthYear: 1970)
            let him = try await MatchLifecycleTests.member(accounts, "male", name: "차단된사람", birthYear: 1966)
            let blocked = try await accounts.post("/api/blocks", ["userId": him.id, "reason": "불편함"], token: her.token)
            #expect(blocked.status == .ok, "\(blocked.text)")
            func actions(_ member: MatchLifecycleTests.Member) async throws -> [String] {
                let response = try await accounts.get("/api/me/audit", token: member.token)
                #expect(response.status == .ok)
                return (try JSONBody(response)["data.entries"] as? [[String: Any]] ?? []).compactMap { $0["action"] as? String }
            }
            #expect(try await actions(her).contains("block.created"), "the blocker sees her own action")
            #expect(try await !actions(him).contains("block.created"), "the blocked person is not told")
            let export = try await accounts.get("/api/me/export", token: him.token)
            #expect(export.status == .ok)
            #expect(!export.text.contains(her.id), "nor in his export")
        }
    }
}
