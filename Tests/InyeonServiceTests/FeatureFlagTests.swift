import Foundation
import Hummingbird
import HummingbirdTesting
import InyeonCore
@testable import InyeonService
import Testing

/// Runtime flag changes. Only FEATURE_REAL_TIME_CHAT is changed here, so parallel tests that read the
/// other flags are not disturbed; the suite is serialized because the override is shared.
@Suite(.serialized) struct FeatureFlagTests {
    static func adminToken() async throws -> String {
        try await OperatorTasks.issueServiceToken(
            configuration: try TestDatabase.configuration(), name: "flag-tests", role: .admin, scope: "flags:write", lifetimeSeconds: 600,
            logger: TestDatabase.logger
        )
    }

    static func chatEnabled(_ client: any TestClientProtocol) async throws -> Bool {
        let body = try JSONBody(try await client.execute(uri: "/api/flags", method: .get))
        return body["data.flags.realTimeChat.enabled"] as? Bool ?? false
    }

    /// Polls until `expected` or the limit; returns how long it took, or nil.
    static func timeUntil(_ expected: Bool, on client: any TestClientProtocol, limit: Duration = .seconds(3)) async throws -> Duration? {
        let start = ContinuousClock.now
        while ContinuousClock.now - start < limit {
            if try await chatEnabled(client) == expected { return ContinuousClock.now - start }
            try await Task.sleep(for: .milliseconds(20))
        }
        return nil
    }

    @Test func aChangeAndItsRollbackReachAnotherRunningInstanceWithinASecond() async throws {
        let token = try await Self.adminToken()
        try await withApp { first in
            try await withApp { second in
                #expect(try await Self.chatEnabled(second) == false, "environment default")
                let set = try await first.execute(
                    uri: "/api/admin/flags/FEATURE_REAL_TIME_CHAT", method: .put,
                    headers: [.authorization: "Bearer \(token)", .contentType: "application/json"],
                    body: ByteBuffer(string: #"{"setting": "true"}"#)
                )
                #expect(set.status == .ok)
                let on = try await Self.timeUntil(true, on: second)
                #expect(on != nil && on! < .seconds(1), "reached the other instance in \(String(describing: on))")

                let rollback = try await first.execute(
                    uri: "/api/admin/flags/FEATURE_REAL_TIME_CHAT", method: .delete, headers: [.authorization: "Bearer \(token)"]
                )
                #expect(rollback.status == .ok)
                let off = try await Self.timeUntil(false, on: second)
                #expect(off != nil && off! < .seconds(1), "rollback reached the other instance in \(String(describing: off))")
                let health = try JSONBody(try await second.execute(uri: "/api/health/enhanced", method: .get, headers: try await OperatorToken.headers()))
                #expect(health["data.featureFlags.realTimeChat"] as? String == "false")
            }
        }
    }

    @Test func percentagesStickAndRulesApplyToTheirPeople() async throws {
        let token = try await Self.adminToken()
        try await withAccounts { accounts in
            let people = try await withThrowingTaskGroup(of: AccountHelper.Tokens.self) { group in
                for _ in 0..<6 { group.addTask { try await accounts.signUp() } }
                return try await group.reduce(into: [AccountHelper.Tokens]()) { $0.append($1) }
            }
            func enabled(_ person: AccountHelper.Tokens) async throws -> Bool {
                let body = try JSONBody(try await accounts.get("/api/flags", token: person.access))
                return body["data.flags.realTimeChat.enabled"] as? Bool ?? false
            }
            func set(_ json: String) async throws {
                let response = try await accounts.client.execute(
                    uri: "/api/admin/flags/realTimeChat", method: .put,
                    headers: [.authorization: "Bearer \(token)", .contentType: "application/json"], body: ByteBuffer(string: json)
                )
                #expect(response.status == .ok)
            }
            var previouslyOn = Set<String>()
            for percentage in [10, 50, 90] {
                try await set(#"{"setting": "\#(percentage)%"}"#)
                var on = Set<String>()
                for person in people where try await enabled(person) { on.insert(person.userID) }
                #expect(previouslyOn.isSubset(of: on), "raising to \(percentage)% only adds people")
                for person in people {
                    let bucket = RolloutBucket.bucket(flag: FeatureFlag.realTimeChat.rawValue, subject: person.userID)
                    #expect(on.contains(person.userID) == (bucket <= percentage))
                }
                previouslyOn = on
            }
            let chosen = people[0]
            try await set(#"{"setting": "false", "users": {"\#(chosen.userID)": true}}"#)
            #expect(try await enabled(chosen))
            #expect(try await enabled(people[1]) == false)
            // An ordinary person cannot change flags.
            let refused = try await accounts.client.execute(
                uri: "/api/admin/flags/realTimeChat", method: .put,
                headers: [.authorization: "Bearer \(chosen.access)", .contentType: "application/json"], body: ByteBuffer(string: #"{"setting": "true"}"#)
            )
            #expect(refused.status == .forbidden)
            let reset = try await accounts.client.execute(uri: "/api/admin/flags/realTimeChat", method: .delete, headers: [.authorization: "Bearer \(token)"])
            #expect(reset.status == .ok)
            let audit = try JSONBody(try await accounts.get("/api/admin/audit-log?limit=500", token: try await OperatorTasks.issueServiceToken(
                configuration: try TestDatabase.configuration(), name: "flag-tests", role: .admin, scope: "audit:read", lifetimeSeconds: 600,
                logger: TestDatabase.logger
            )))
            let actions = (audit["data.entries"] as? [[String: Any]] ?? []).compactMap { $0["action"] as? String }
            #expect(actions.contains("flag.changed") && actions.contains("flag.reset"))
        }
    }
}
