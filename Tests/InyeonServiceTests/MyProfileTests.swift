import Foundation
import Hummingbird
import HummingbirdTesting
import InyeonCore
import Testing

@Suite struct MyProfileTests {
    static func profile(ageMin: Int = 45, ageMax: Int = 60, distance: Int = 30) -> [String: Any] {
        [
            "displayName": "박정숙", "birthYear": 1970, "gender": "female", "seeking": "male", "maritalStatus": "widowed",
            "children": ["count": 2, "ageGroups": ["adult", "young_adult"], "livingTogether": false, "preference": "no_preference"],
            "occupation": ["industry": "education", "position": "교사", "schedule": "regular"],
            "lifestyle": ["livingArrangement": "alone", "ownsHome": true, "fitness": "moderate", "social": "high", "travel": "quarterly"],
            "location": ["city": "서울", "district": "마포구", "latitude": 37.56631, "longitude": 126.90192],
            "interests": ["등산", "사진"], "bio": "산책과 사진을 좋아합니다.", "communicationStyle": "supportive",
            "preferences": ["ageMin": ageMin, "ageMax": ageMax, "maxDistanceKm": distance, "maritalStatuses": ["widowed", "divorced"],
                            "occupationImportance": 2, "lifestyleImportance": 4],
            "privacy": ["showAge": true, "showLocation": true, "searchable": true, "allowPublicListing": false],
        ]
    }

    func put(_ accounts: AccountHelper, _ body: [String: Any], token: String) async throws -> TestResponse {
        try await accounts.client.execute(
            uri: "/api/me/profile", method: .put, headers: [.authorization: "Bearer \(token)", .contentType: "application/json"],
            body: accounts.json(body)
        )
    }

    @Test func aProfileIsSavedAndTheExactLocationStaysPrivate() async throws {
        try await withAccounts { accounts in
            let me = try await accounts.signUp()
            #expect(try await accounts.get("/api/me/profile", token: me.access).status == .notFound)
            let saved = try await put(accounts, Self.profile(), token: me.access)
            #expect(saved.status == .ok)
            let body = try JSONBody(saved)
            #expect(body["data.display_name"] as? String == "박정숙")
            #expect(body["data.latitude"] as? Double == 37.56071, "the profile is placed at 마포구's point, not at the home")
            #expect(body["data.longitude"] as? Double == 126.91053)
            let export = try JSONBody(try await accounts.get("/api/me/export", token: me.access))
            #expect(export["data.privateProfile.0.latitude"] as? Double == 37.56631, "the exact point is private")
            // Another person sees the card, computed against the first demo member, without coordinates.
            let other = try await accounts.signUp()
            let seen = try await accounts.get("/api/matching/intelligent-compatibility/\(me.userID)?userId=\(DemoPeopleGenerator.leeMaeryeok)", token: other.access)
            #expect(seen.status == .ok)
            #expect(!seen.text.contains("37.56") && !seen.text.contains("126.9"))
            #expect(try JSONBody(seen)["data.targetUser.district"] as? String == "마포구")
        }
    }

    @Test func problemsComeBackPerFieldInPlainWords() async throws {
        try await withAccounts { accounts in
            let me = try await accounts.signUp()
            let upsideDown = try await put(accounts, Self.profile(ageMin: 65, ageMax: 45, distance: 500), token: me.access)
            #expect(upsideDown.status == .badRequest)
            let body = try JSONBody(upsideDown)
            #expect(body["code"] as? String == "INVALID_PROFILE")
            let fields = try #require(body["fields"] as? [String: String])
            #expect(fields["preferences.ageRange"]?.isEmpty == false)
            #expect(fields["preferences.maxDistanceKm"]?.isEmpty == false)
            var wrongEnum = Self.profile()
            wrongEnum["maritalStatus"] = "complicated"
            #expect(try await put(accounts, wrongEnum, token: me.access).status == .badRequest)
            #expect(try await accounts.get("/api/me/profile", token: me.access).status == .notFound, "nothing half-written")
        }
    }
}
