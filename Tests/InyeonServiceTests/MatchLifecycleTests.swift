import Foundation
import Hummingbird
import HummingbirdTesting
import InyeonCore
import PostgresNIO
import Testing

/// Recommendations, likes, passes, matches, unmatching and blocking through HTTP with real PostgreSQL.
@Suite struct MatchLifecycleTests {
    static let overrides = ["RECOMMENDATION_MODEL_MAX_AGE": "0"]

    /// A woman in 마포구 seeking men 45-65, and a man nearby seeking women 45-65.
    static func profile(_ gender: String, name: String, birthYear: Int, city: String = "서울", district: String = "마포구") -> [String: Any] {
        var profile = MyProfileTests.profile(ageMin: 45, ageMax: 65, distance: 5)
        profile["displayName"] = name
        profile["birthYear"] = birthYear
        profile["gender"] = gender
        profile["seeking"] = gender == "female" ? "male" : "female"
        profile["location"] = ["city": city, "district": district]
        return profile
    }

    struct Member {
        var tokens: AccountHelper.Tokens
        var id: String { tokens.userID }
        var token: String { tokens.access }
    }

    /// A member at this test's own place (see `AccountHelper.testPlace`) unless told otherwise.
    static func member(_ accounts: AccountHelper, _ gender: String, name: String, birthYear: Int = 1968,
                       place: KoreanDistrictDirectory.District? = nil, email: String = AccountHelper.uniqueEmail()) async throws -> Member {
        let place = place ?? accounts.testPlace
        let tokens = try await accounts.signUp(email: email)
        let saved = try await accounts.client.execute(
            uri: "/api/me/profile", method: .put,
            headers: [.authorization: "Bearer \(tokens.access)", .contentType: "application/json"],
            body: accounts.json(profile(gender, name: name, birthYear: birthYear, city: place.city, district: place.district))
        )
        #expect(saved.status == .ok)
        return Member(tokens: tokens)
    }

    static func decide(_ accounts: AccountHelper, _ member: Member, _ decision: String, about other: Member) async throws -> JSONBody {
        let response = try await accounts.post("/api/matching/decisions", ["userId": other.id, "decision": decision], token: member.token)
        #expect(response.status == .ok, "\(response.text)")
        return try JSONBody(response)
    }

    static func recommendedIDs(_ accounts: AccountHelper, for member: Member) async throws -> [String] {
        let response = try await accounts.get("/api/matching/recommendations?limit=50", token: member.token)
        #expect(response.status == .ok, "\(response.text)")
        let list = try JSONBody(response)["data.recommendations"] as? [[String: Any]] ?? []
        return list.compactMap { ($0["user"] as? [String: Any])?["id"] as? String }
    }

    @Test func recommendationsAreReciprocalExplainedAndScored() async throws {
        try await withAccounts(Self.overrides) { accounts in
            let her = try await Self.member(accounts, "female", name: "한지수", birthYear: 1970)
            let him = try await Self.member(accounts, "male", name: "오민준", birthYear: 1966)
            // Too young for her range, and she is outside his: never recommended to either side.
            let young = try await Self.member(accounts, "male", name: "젊은이", birthYear: 1990)
            // Far away: beyond both people's 5 km.
            let far = try await Self.member(accounts, "male", name: "멀리사는사람", birthYear: 1967, place: AccountHelper.farPlace(from: accounts.testPlace))

            let response = try await accounts.get("/api/matching/recommendations?limit=50", token: her.token)
            #expect(response.status == .ok)
            let body = try JSONBody(response)
            let list = try #require(body["data.recommendations"] as? [[String: Any]])
            let ids = list.compactMap { ($0["user"] as? [String: Any])?["id"] as? String }
            #expect(ids.contains(him.id))
            #expect(!ids.contains(young.id) && !ids.contains(far.id))
            let entry = try #require(list.first { ($0["user"] as? [String: Any])?["id"] as? String == him.id })
            let probability = try #require(entry["mutualLikeProbability"] as? Double)
            #expect(probability > 0 && probability < 100)
            #expect((entry["explanation"] as? String)?.isEmpty == false)
            let breakdown = try #require((entry["compatibility"] as? [String: Any])?["breakdown"] as? [String: Int])
            for component in ["valuesAlignment", "personalityFit", "lifestyleMatch", "sharedInterests", "communicationStyle", "locationCompatibility"] {
                #expect(breakdown[component] != nil, "\(component) is in the breakdown")
            }
            #expect(!response.text.contains("126.90"), "no coordinates in recommendations")
            // Ranked most likely mutual first.
            let probabilities = list.compactMap { $0["mutualLikeProbability"] as? Double }
            #expect(probabilities == probabilities.sorted(by: >))
            // Every recommended person passes her filters and she passes theirs (checked for the gender here).
            #expect(list.allSatisfy { ($0["user"] as? [String: Any])?["gender"] as? String == "male" })
            #expect(try await Self.recommendedIDs(accounts, for: him).contains(her.id))
        }
    }

    /// The candidate index is read at each load of the model (here kept for an hour); someone who
    /// joins in between is recommended within seconds, and sees the people the index holds.
    @Test func someoneWhoJoinsAfterTheIndexWasReadIsRecommendedBeforeTheNextLoad() async throws {
        try await withAccounts(["RECOMMENDATION_MODEL_MAX_AGE": "1h"]) { accounts in
            let her = try await Self.member(accounts, "female", name: "먼저온여성", birthYear: 1969)
            let early = try await Self.member(accounts, "male", name: "먼저온남성", birthYear: 1967)
            // The first request loads the index, with both of them in it.
            #expect(try await Self.recommendedIDs(accounts, for: her).contains(early.id))
            let newcomer = try await Self.member(accounts, "male", name: "새로온남성", birthYear: 1966)
            // The newcomers' read is shared for at most 2 s.
            try await Task.sleep(for: .milliseconds(2_200))
            let ids = try await Self.recommendedIDs(accounts, for: her)
            #expect(ids.contains(newcomer.id), "recommended before the next load")
            #expect(ids.contains(early.id))
            #expect(try await Self.recommendedIDs(accounts, for: newcomer).contains(her.id))
        }
    }

    @Test func aMutualLikeBecomesOneMatchAndLeavesTheRecommendations() async throws {
        try await withAccounts(Self.overrides) { accounts in
            let her = try await Self.member(accounts, "female", name: "김영희", birthYear: 1969)
            let him = try await Self.member(accounts, "male", name: "이철수", birthYear: 1965)
            let first = try await Self.decide(accounts, her, "like", about: him)
            #expect(first["data.matched"] as? Bool == false)
            #expect(try await !Self.recommendedIDs(accounts, for: her).contains(him.id), "decided people are not shown again")
            let second = try await Self.decide(accounts, him, "super_like", about: her)
            #expect(second["data.matched"] as? Bool == true)
            let matchID = try #require(second["data.matchId"] as? String)

            for (member, partner) in [(her, him), (him, her)] {
                let matches = try JSONBody(try await accounts.get("/api/matches", token: member.token))
                let list = try #require(matches["data"] as? [[String: Any]])
                #expect(list.count == 1)
                #expect(list.first?["matchId"] as? String == matchID)
                #expect((list.first?["user"] as? [String: Any])?["id"] as? String == partner.id)
            }
            // Liking again does not make a second match.
            let again = try await Self.decide(accounts, her, "like", about: him)
            #expect(again["data.matchId"] as? String == matchID)

            // Unmatching ends it for both, once.
            let ended = try await accounts.client.execute(
                uri: "/api/matches/\(matchID)", method: .delete, headers: [.authorization: "Bearer \(him.token)"]
            )
            #expect(ended.status == .ok)
            let endedAgain = try await accounts.client.execute(
                uri: "/api/matches/\(matchID)", method: .delete, headers: [.authorization: "Bearer \(her.token)"]
            )
            #expect(endedAgain.status == .notFound)
            #expect((try JSONBody(try await accounts.get("/api/matches", token: her.token))["data"] as? [Any])?.isEmpty == true)
        }
    }

    @Test func simultaneousLikesMakeExactlyOneMatch() async throws {
        try await withAccounts(Self.overrides) { accounts in
            for round in 0..<4 {
                let her = try await Self.member(accounts, "female", name: "동시\(round)", birthYear: 1971)
                let him = try await Self.member(accounts, "male", name: "동시남\(round)", birthYear: 1967)
                async let one = Self.decide(accounts, her, "like", about: him)
                async let two = Self.decide(accounts, him, "like", about: her)
                let results = try await [one, two]
                let matchIDs = Set(results.compactMap { $0["data.matchId"] as? String })
                #expect(matchIDs.count == 1, "round \(round): both answers name the same single match, or one names it")
                let count = try await TestDatabase.withOwnerClient { client in
                    try await client.query(
                        "SELECT count(*)::int FROM matches WHERE user_low = least(\(UUID(uuidString: her.id)!), \(UUID(uuidString: him.id)!)) AND user_high = greatest(\(UUID(uuidString: her.id)!), \(UUID(uuidString: him.id)!))"
                    ).decode(Int.self).reduce(0) { $0 + $1 }
                }
                #expect(count == 1)
            }
        }
    }

    @Test func interestExpiresAfterSevenDays() async throws {
        try await withAccounts(Self.overrides) { accounts in
            let her = try await Self.member(accounts, "female", name: "기다림", birthYear: 1970)
            let him = try await Self.member(accounts, "male", name: "늦은답", birthYear: 1966)
            _ = try await Self.decide(accounts, her, "like", about: him)
            // Eight days pass without an answer.
            try await TestDatabase.withOwnerClient { client in
                try await client.query(
                    "UPDATE likes SET decided_at = now() - interval '8 days', expires_at = now() - interval '1 day' WHERE from_user_id = \(UUID(uuidString: her.id)!)"
                )
            }
            let late = try await Self.decide(accounts, him, "like", about: her)
            #expect(late["data.matched"] as? Bool == false, "an expired like does not make a match")
            #expect(try await Self.recommendedIDs(accounts, for: her).contains(him.id), "after expiry the person may be shown again")
            let renewed = try await Self.decide(accounts, her, "like", about: him)
            #expect(renewed["data.matched"] as? Bool == true)
        }
    }

    /// Uploads a photo for `member`; the address of its card-size image.
    static func photo(_ accounts: AccountHelper, of member: Member) async throws -> String {
        let uploaded = try await PhotoTests.upload(accounts, try PhotoTests.fixture("square.webp"), token: member.token)
        #expect(uploaded.status == .created, "\(uploaded.text)")
        return try #require(try JSONBody(uploaded)["data.urls.card"] as? String)
    }

    /// Every way the service lists or shows another person, asked as `viewer` about `other` (whose
    /// photo is at `photo`): where `other` appears. A block must turn every one of them off, both ways.
    static func sightings(_ accounts: AccountHelper, _ viewer: Member, of other: Member, photo: String) async throws -> [String: Bool] {
        func listed(_ uri: String, _ path: String) async throws -> Bool {
            let response = try await accounts.get(uri, token: viewer.token)
            #expect(response.status == .ok, "\(uri): \(response.text)")
            let list = try JSONBody(response)[path] as? [[String: Any]] ?? []
            return list.contains { $0["id"] as? String == other.id }
        }
        func shown(_ uri: String) async throws -> Bool {
            let status = try await accounts.get(uri, token: viewer.token).status
            #expect(status == .ok || status == .notFound, "\(uri) answered \(status)")
            return status == .ok
        }
        return [
            // First, straight after a block: the card through the profile cache (per viewer), as matches,
            // conversations and the chat page read it; no slower request goes before it to give the cache time.
            "GET /api/matching/intelligent-compatibility/:id": try await shown("/api/matching/intelligent-compatibility/\(other.id)"),
            "GET /api/matching/recommendations": try await recommendedIDs(accounts, for: viewer).contains(other.id),
            // The newest cards come first: both people are among the last hundred made.
            "GET /api/users": try await listed("/api/users?limit=100", "data.users"),
            "GET /api/users/rls": try await listed("/api/users/rls?limit=100", "data.users"),
            "GET /api/matching/test?targetUserId=": try await shown("/api/matching/test?targetUserId=\(other.id)"),
            "GET /api/matching/enhanced-test?targetUserId=": try await shown("/api/matching/enhanced-test?targetUserId=\(other.id)"),
            "GET /api/photos/:id/card": try await shown(photo),
        ]
    }

    /// Each of the two sees the other in every place (each would be recommended to the other);
    /// asking also leaves each card in the profile cache of the instance asked, for the other.
    static func expectSeenEverywhere(_ accounts: AccountHelper, _ her: Member, _ him: Member, photos: [String: String]) async throws {
        for (viewer, other) in [(her, him), (him, her)] {
            let seen = try await sightings(accounts, viewer, of: other, photo: photos[other.id]!)
            let missing = seen.filter { !$0.value }.keys.sorted()
            #expect(missing.isEmpty, "before the block, \(viewer.id) should see \(other.id) in every place; not in \(missing)")
        }
    }

    static func expectSeenNowhere(_ accounts: AccountHelper, _ her: Member, _ him: Member, photos: [String: String]) async throws {
        for (viewer, other) in [(her, him), (him, her)] {
            let seen = try await sightings(accounts, viewer, of: other, photo: photos[other.id]!)
            let still = seen.filter(\.value).keys.sorted()
            #expect(still.isEmpty, "after the block, \(viewer.id) still sees \(other.id) in \(still)")
            let decision = try await accounts.post("/api/matching/decisions", ["userId": other.id, "decision": "like"], token: viewer.token)
            #expect(decision.status == .notFound, "no decision across the block: \(decision.text)")
        }
    }

    /// Two people who are not matched (so nothing but the block keeps them out of each other's
    /// recommendations) see each other everywhere; one blocks; at once neither sees the other anywhere.
    @Test func aBlockHidesBothPeopleEverywhereAtOnce() async throws {
        try await withAccounts(Self.overrides) { accounts in
            let her = try await Self.member(accounts, "female", name: "차단자", birthYear: 1970)
            let him = try await Self.member(accounts, "male", name: "피차단", birthYear: 1966)
            let photos = [her.id: try await Self.photo(accounts, of: her), him.id: try await Self.photo(accounts, of: him)]
            try await Self.expectSeenEverywhere(accounts, her, him, photos: photos)  // each card now cached for the other

            let nobody = try await accounts.post("/api/blocks", ["userId": UUID().uuidString], token: her.token)
            #expect(nobody.status == .notFound)
            #expect(try JSONBody(nobody)["code"] as? String == "USER_NOT_FOUND", "\(nobody.text)")
            let blocked = try await accounts.post("/api/blocks", ["userId": him.id, "reason": "불편한 대화"], token: her.token)
            #expect(blocked.status == .ok)
            try await Self.expectSeenNowhere(accounts, her, him, photos: photos)
        }
    }

    /// A matched pair: the block ends the match and the conversation for both, besides hiding them.
    @Test func aBlockEndsTheMatchAndTheConversationForBoth() async throws {
        try await withAccounts(Self.overrides) { accounts in
            let her = try await Self.member(accounts, "female", name: "차단자", birthYear: 1970)
            let him = try await Self.member(accounts, "male", name: "피차단", birthYear: 1966)
            let photos = [her.id: try await Self.photo(accounts, of: her), him.id: try await Self.photo(accounts, of: him)]
            _ = try await Self.decide(accounts, her, "like", about: him)
            _ = try await Self.decide(accounts, him, "like", about: her)
            for member in [her, him] {
                #expect((try JSONBody(try await accounts.get("/api/matches", token: member.token))["data"] as? [Any])?.count == 1)
                #expect((try JSONBody(try await accounts.get("/api/conversations", token: member.token))["data"] as? [Any])?.count == 1)
            }
            let blocked = try await accounts.post("/api/blocks", ["userId": him.id, "reason": "불편한 대화"], token: her.token)
            #expect(blocked.status == .ok)
            for member in [her, him] {
                #expect((try JSONBody(try await accounts.get("/api/matches", token: member.token))["data"] as? [Any])?.isEmpty == true)
                #expect((try JSONBody(try await accounts.get("/api/conversations", token: member.token))["data"] as? [Any])?.isEmpty == true)
            }
            try await Self.expectSeenNowhere(accounts, her, him, photos: photos)
        }
    }

    /// Two running instances share one PostgreSQL: the people look at each other through the second
    /// (which caches each card for the other), one blocks through the first, and the second hides
    /// both at once, its cache included.
    @Test func aBlockThroughOneInstanceHidesBothPeopleOnAnotherAtOnce() async throws {
        let outbox = AccountHelper.outboxDirectory()
        try await withAccounts(Self.overrides, outbox: outbox) { first in
            try await withAccounts(Self.overrides, outbox: outbox) { second in
                let her = try await Self.member(first, "female", name: "차단자", birthYear: 1970)
                let him = try await Self.member(first, "male", name: "피차단", birthYear: 1966)
                let photos = [her.id: try await Self.photo(first, of: her), him.id: try await Self.photo(first, of: him)]
                try await Self.expectSeenEverywhere(second, her, him, photos: photos)
                let blocked = try await first.post("/api/blocks", ["userId": him.id], token: her.token)
                #expect(blocked.status == .ok)
                try await Self.expectSeenNowhere(second, her, him, photos: photos)
                try await Self.expectSeenNowhere(first, her, him, photos: photos)
            }
        }
    }

    @Test func badRequestsGetClearErrors() async throws {
        try await withAccounts(Self.overrides) { accounts in
            let her = try await Self.member(accounts, "female", name: "검사", birthYear: 1970)
            let him = try await Self.member(accounts, "male", name: "대상", birthYear: 1966)
            let cases: [([String: Any], HTTPResponse.Status, String)] = [
                (["userId": him.id, "decision": "love"], .badRequest, "INVALID_DECISION"),
                (["userId": her.id, "decision": "like"], .badRequest, "INVALID_DECISION"),
                (["userId": "not-a-uuid", "decision": "like"], .badRequest, "INVALID_USER_ID"),
                (["userId": UUID().uuidString, "decision": "like"], .notFound, "USER_NOT_FOUND"),
            ]
            for (body, status, code) in cases {
                let response = try await accounts.post("/api/matching/decisions", body, token: her.token)
                #expect(response.status == status, "\(body)")
                #expect(try JSONBody(response)["code"] as? String == code, "\(response.text)")
            }
            #expect(try await accounts.get("/api/matching/recommendations", token: nil).status == .unauthorized)
            #expect(try await accounts.get("/api/matching/recommendations?limit=500", token: her.token).status == .badRequest)
            let newcomer = try await accounts.signUp()
            let noProfile = try await accounts.get("/api/matching/recommendations", token: newcomer.access)
            #expect(noProfile.status == .conflict)
            #expect(try JSONBody(noProfile)["code"] as? String == "PROFILE_REQUIRED")
        }
    }

    @Test func theModelLearnsFromTheDecisionsOnRecord() async throws {
        try await withAccounts(Self.overrides) { accounts in
            let her = try await Self.member(accounts, "female", name: "학습", birthYear: 1970)
            // Two men alike in every fact the engine reads.
            let passer = try await Self.member(accounts, "male", name: "지나침", birthYear: 1966)
            let other = try await Self.member(accounts, "male", name: "모름", birthYear: 1966)
            let before = try JSONBody(try await accounts.get("/api/matching/recommendations", token: her.token))
            let learnedBefore = try #require(before["data.model.decisionsLearnedFrom"] as? Int)
            let probabilities = { (body: JSONBody) -> [String: Double] in
                var result: [String: Double] = [:]
                for entry in body["data.recommendations"] as? [[String: Any]] ?? [] {
                    if let id = (entry["user"] as? [String: Any])?["id"] as? String { result[id] = entry["mutualLikeProbability"] as? Double }
                }
                return result
            }
            let first = probabilities(before)
            #expect(first[passer.id] == first[other.id], "alike before any decision")
            _ = try await Self.decide(accounts, passer, "pass", about: her)
            let after = try JSONBody(try await accounts.get("/api/matching/recommendations", token: her.token))
            #expect(try #require(after["data.model.decisionsLearnedFrom"] as? Int) > learnedBefore)
            // He passed on her: the engine's chance that both like each other is now lower for him than for the other.
            let second = probabilities(after)
            #expect(try #require(second[passer.id]) < #require(second[other.id]))
        }
    }
}

extension AccountHelper {
    /// A district of this test's own (people are placed at their district's point), so tests sharing
    /// one database never appear in each other's recommendations: each test gets the next of the
    /// districts that lie more than 12 km from every demo district and from each other, and
    /// everyone here looks no further than 5 km.
    var testPlace: KoreanDistrictDirectory.District {
        TestPlaces.shared.place(for: outbox)
    }

    /// A district far (over 100 km) from `place`.
    static func farPlace(from place: KoreanDistrictDirectory.District) -> KoreanDistrictDirectory.District {
        KoreanDistrictDirectory.districts.first { GreatCircle.distanceKm(place.point, $0.point) > 100 }!
    }
}

/// Hands each test (by its outbox folder) a district of its own, in order.
final class TestPlaces: @unchecked Sendable {
    static let shared = TestPlaces()
    private let lock = NSLock()
    private var assigned: [String: Int] = [:]
    private let separated: [KoreanDistrictDirectory.District] = {
        var chosen: [KoreanDistrictDirectory.District] = []
        let demo = KoreanPlaces.districts.map { KoreanDistrictDirectory.Point(latitude: $0.latitude, longitude: $0.longitude) }
        for district in KoreanDistrictDirectory.districts
        where (demo + chosen.map(\.point)).allSatisfy({ GreatCircle.distanceKm($0, district.point) > 12 }) {
            chosen.append(district)
        }
        return chosen
    }()

    func place(for key: String) -> KoreanDistrictDirectory.District {
        lock.withLock {
            let index = assigned[key] ?? assigned.count
            assigned[key] = index
            return separated[index % separated.count]
        }
    }
}

extension GreatCircle {
    static func distanceKm(_ a: KoreanDistrictDirectory.Point, _ b: KoreanDistrictDirectory.Point) -> Double {
        distanceKm(latitude1: a.latitude, longitude1: a.longitude, latitude2: b.latitude, longitude2: b.longitude)
    }
}
