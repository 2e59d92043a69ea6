import Foundation
import Hummingbird
import HummingbirdTesting
import InyeonCore
import InyeonService
import Testing

/// What every signed-out caller is shown alike (the public list of cards, the demo matching run) is
/// read once and shared for at most a second; a card that changes drops it at once, so a person who
/// leaves the public list is gone from the very next answer, and a signed-in caller never gets a
/// shared answer.
@Suite(.serialized) struct SharedPublicAnswersTests {
    static func names(_ response: TestResponse) throws -> [String] {
        (try JSONBody(response)["data.users"] as? [[String: Any]] ?? []).compactMap { $0["id"] as? String }
    }

    @Test func aPersonWhoLeavesThePublicListIsGoneFromTheNextSharedAnswer() async throws {
        try await withAccounts { accounts in
            let her = try await MatchLifecycleTests.member(accounts, "female", name: "공개")
            var profile = MatchLifecycleTests.profile("female", name: "공개", birthYear: 1968, city: accounts.testPlace.city,
                                                      district: accounts.testPlace.district)
            profile["privacy"] = ["showAge": true, "showLocation": true, "searchable": true, "allowPublicListing": true]
            try await HiddenFactsTests.put(accounts, profile, token: her.token)
            // The newest public card is hers, and the same answer is shared by every signed-out caller.
            let first = try Self.names(try await accounts.get("/api/users?limit=5", token: nil))
            let second = try Self.names(try await accounts.get("/api/users?limit=5", token: nil))
            #expect(first.first == her.id && second == first)
            // She leaves the public list: the next anonymous answer, well within the second, no longer has her.
            profile["privacy"] = ["showAge": true, "showLocation": true, "searchable": true, "allowPublicListing": false]
            try await HiddenFactsTests.put(accounts, profile, token: her.token)
            let after = try Self.names(try await accounts.get("/api/users?limit=5", token: nil))
            #expect(!after.contains(her.id), "\(after)")
            // A signed-in caller reads their own view, never the shared one: she sees herself listed.
            let someone = try await MatchLifecycleTests.member(accounts, "male", name: "보는이")
            let own = try Self.names(try await accounts.get("/api/users?limit=5", token: someone.token))
            #expect(own.contains(her.id), "\(own)")
        }
    }
}
