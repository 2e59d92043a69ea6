import Foundation
import Hummingbird
import HummingbirdTesting
import InyeonCore
@testable import InyeonService
import PostgresNIO
import Testing

/// The totals `/api/users` and the operators' health show are kept by the database as profiles
/// change (`app.people_counts`), never counted per request; and the list pages by a keyset cursor
/// whose cost does not grow with the depth. Serialized: the other suites change the counts too,
/// so each check compares the kept figures with a real count inside one transaction.
@Suite(.serialized) struct PeopleCountTests {
    /// The kept figures and an exact count, read together as the owner (who may read everything).
    static func keptAndCounted() async throws -> (kept: [Int], counted: [Int]) {
        try await TestDatabase.withOwnerClient { owner in
            try await owner.withTransaction(logger: TestDatabase.logger) { connection in
                // Nobody else's change can land between the two reads.
                try await connection.query("LOCK TABLE profiles IN SHARE MODE", logger: TestDatabase.logger)
                try await connection.query("ALTER TABLE profiles NO FORCE ROW LEVEL SECURITY", logger: TestDatabase.logger)
                let kept = try await connection.query(
                    "SELECT everyone::int, listed::int, public_listed::int FROM app.people_counts", logger: TestDatabase.logger
                ).collect().first!.decode((Int, Int, Int).self)
                let counted = try await connection.query(
                    """
                    SELECT count(*)::int, (count(*) FILTER (WHERE searchable AND paused_at IS NULL))::int,
                           (count(*) FILTER (WHERE searchable AND paused_at IS NULL AND allow_public_listing))::int
                    FROM profiles
                    """,
                    logger: TestDatabase.logger
                ).collect().first!.decode((Int, Int, Int).self)
                try await connection.query("ALTER TABLE profiles FORCE ROW LEVEL SECURITY", logger: TestDatabase.logger)
                return ([kept.0, kept.1, kept.2], [counted.0, counted.1, counted.2])
            }
        }
    }

    @Test func theKeptCountsFollowEveryKindOfChange() async throws {
        try await withAccounts(MatchLifecycleTests.overrides) { accounts in
            var figures = try await Self.keptAndCounted()
            #expect(figures.kept == figures.counted, "after the demo seed and every earlier test")
            let her = try await MatchLifecycleTests.member(accounts, "female", name: "셈")
            figures = try await Self.keptAndCounted()
            #expect(figures.kept == figures.counted, "after a new profile")
            // Hidden from introductions, then paused, then back: each moves `listed` (and only when it changes).
            var hidden = MatchLifecycleTests.profile("female", name: "셈", birthYear: 1968, city: accounts.testPlace.city,
                                                     district: accounts.testPlace.district)
            hidden["privacy"] = ["showAge": true, "showLocation": true, "searchable": false, "allowPublicListing": true]
            try await HiddenFactsTests.put(accounts, hidden, token: her.token)
            figures = try await Self.keptAndCounted()
            #expect(figures.kept == figures.counted, "after leaving the introductions")
            hidden["privacy"] = ["showAge": true, "showLocation": true, "searchable": true, "allowPublicListing": true]
            try await HiddenFactsTests.put(accounts, hidden, token: her.token)
            _ = try await accounts.client.execute(uri: "/api/me/pause", method: .put, headers: [.authorization: "Bearer \(her.token)"])
            figures = try await Self.keptAndCounted()
            #expect(figures.kept == figures.counted, "after a pause")
            _ = try await accounts.client.execute(uri: "/api/me/pause", method: .delete, headers: [.authorization: "Bearer \(her.token)"])
            // Leaving: the profile goes with the account (a cascade counts like any delete).
            let deleted = try await accounts.client.execute(
                uri: "/api/me", method: .delete, headers: [.authorization: "Bearer \(her.token)", .contentType: "application/json"],
                body: accounts.json(["password": "a calm morning walk"])
            )
            #expect(deleted.status == .ok, "\(deleted.text)")
            figures = try await Self.keptAndCounted()
            #expect(figures.kept == figures.counted, "after an account was deleted")

            // What callers are told: staff everyone, a signed-in person the listed, an anonymous caller the public.
            let someone = try await MatchLifecycleTests.member(accounts, "male", name: "보는이")
            figures = try await Self.keptAndCounted()
            let anonymous = try JSONBody(try await accounts.get("/api/users?limit=1", token: nil))["data.totalCount"] as? Int
            let signedIn = try JSONBody(try await accounts.get("/api/users?limit=1", token: someone.token))["data.totalCount"] as? Int
            #expect(anonymous == figures.counted[2] && signedIn == figures.counted[1], "\(String(describing: anonymous)) \(String(describing: signedIn)) \(figures)")
        }
    }

    @Test func aCursorWalksTheListWithoutRepeatsOrGapsAndABadOneIsRefused() async throws {
        try await withAccounts { accounts in
            // Anonymous: the public list, newest first, in pages of 7 by cursor and by offset alike.
            var byCursor: [String] = []
            var after: String?
            repeat {
                let query = "/api/users?limit=7" + (after.map { "&after=\($0)" } ?? "")
                let body = try JSONBody(try await accounts.get(query, token: nil))
                let users = body["data.users"] as? [[String: Any]] ?? []
                byCursor += users.compactMap { $0["id"] as? String }
                after = body["data.nextCursor"] as? String
                #expect(after == nil || users.count == 7, "a cursor only with a full page")
            } while after != nil && byCursor.count < 140
            let byOffset = try JSONBody(try await accounts.get("/api/users?limit=100", token: nil))["data.users"] as? [[String: Any]] ?? []
            let first = byOffset.compactMap { $0["id"] as? String }
            #expect(Array(byCursor.prefix(first.count)) == Array(first.prefix(byCursor.count)), "the same order as offsets")
            #expect(Set(byCursor).count == byCursor.count, "no card twice")
            for bad in ["nonsense", "YWJj", String(repeating: "A", count: 300), "MjAyNi0xMi0wNyAwNjowMDowMC4wMDAwMDArMDB8bm90LWEtdXVpZA"] {
                let response = try await accounts.get("/api/users?after=\(bad)", token: nil)
                let code = try JSONBody(response)["code"] as? String
                #expect(response.status == .badRequest && code == "INVALID_PARAMETER", "\(bad)")
            }
        }
    }
}
