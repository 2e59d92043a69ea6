import Foundation
import Hummingbird
import HummingbirdTesting
@testable import InyeonService
import PostgresNIO
import Testing

@Suite struct PrivacyTests {
    @Test func exportHoldsAllOfMyDataAndNothingOfAnyoneElse() async throws {
        try await withAccounts { accounts in
            let myEmail = AccountHelper.uniqueEmail("me")
            let otherEmail = AccountHelper.uniqueEmail("other")
            let me = try await accounts.signUp(email: myEmail)
            let other = try await accounts.signUp(email: otherEmail)
            let response = try await accounts.get("/api/me/export", token: me.access)
            #expect(response.status == .ok)
            let body = try JSONBody(response)
            #expect(body["data.account.0.id"] as? String == me.userID)
            #expect(body["data.privateProfile.0.email"] as? String == myEmail)
            #expect((body["data.consents"] as? [Any])?.count == 3)
            #expect((body["data.sessions"] as? [Any])?.count == 1)
            #expect(!response.text.contains(otherEmail))
            #expect(!response.text.contains(other.userID))
            #expect(!response.text.contains("password_hash"))
            let audit = try JSONBody(try await accounts.get("/api/me/audit", token: me.access))
            let actions = (audit["data.entries"] as? [[String: Any]] ?? []).compactMap { $0["action"] as? String }
            #expect(actions.contains("account.created"))
        }
    }

    @Test func deletionErasesEverythingAndKeepsOnlyAPseudonymousAuditTrail() async throws {
        try await withAccounts { accounts in
            let email = AccountHelper.uniqueEmail("leaving")
            let me = try await accounts.signUp(email: email)
            let other = try await accounts.signUp()
            let wrong = try await accounts.client.execute(
                uri: "/api/me", method: .delete, headers: [.authorization: "Bearer \(me.access)", .contentType: "application/json"],
                body: accounts.json(["password": "not mine"])
            )
            #expect(wrong.status == .badRequest)
            let deleted = try await accounts.client.execute(
                uri: "/api/me", method: .delete, headers: [.authorization: "Bearer \(me.access)", .contentType: "application/json"],
                body: accounts.json(["password": "a calm morning walk"])
            )
            #expect(deleted.status == .ok)
            #expect(try await accounts.login(email: email, password: "a calm morning walk").status == .unauthorized)
            #expect(try await accounts.get("/api/auth/sessions", token: me.access).status == .unauthorized)
            #expect(try await accounts.get("/api/auth/sessions", token: other.access).status == .ok, "others untouched")

            let myID = try #require(UUID(uuidString: me.userID))
            let remaining = try await TestDatabase.withAppRoleClient { client in
                try await Database(client: client, poolSize: 2, identityKey: TestDatabase.identityKey).transaction(as: .system, logger: TestDatabase.logger) { connection in
                    try await connection.query(
                        """
                        SELECT (SELECT count(*) FROM accounts WHERE id = \(myID)) + (SELECT count(*) FROM private_profiles WHERE user_id = \(myID))
                             + (SELECT count(*) FROM consents WHERE user_id = \(myID)) + (SELECT count(*) FROM sessions WHERE user_id = \(myID))
                             + (SELECT count(*) FROM refresh_tokens WHERE user_id = \(myID)) + (SELECT count(*) FROM profiles WHERE user_id = \(myID)),
                               (SELECT count(*) FROM audit_log WHERE action = 'account.deleted' AND target_id = \(me.userID))
                        """,
                        logger: TestDatabase.logger
                    ).decode((Int, Int).self).reduce(into: [(Int, Int)]()) { $0.append($1) }
                }
            }
            #expect(remaining.first?.0 == 0, "no personal row left behind")
            #expect(remaining.first?.1 == 1, "the audit log remembers that an account was deleted, by id only")
        }
    }
}

@Suite struct ConsentTests {
    @Test func marketingConsentCanBeWithdrawnAndIsRecorded() async throws {
        try await withAccounts { accounts in
            let me = try await accounts.signUp()
            let before = try JSONBody(try await accounts.get("/api/me/consents", token: me.access))
            #expect(before["data.terms"] as? Bool == true && before["data.marketing"] as? Bool == false)
            let change = try await accounts.client.execute(
                uri: "/api/me/consents", method: .put, headers: [.authorization: "Bearer \(me.access)", .contentType: "application/json"],
                body: accounts.json(["marketing": true])
            )
            #expect(change.status == .ok)
            #expect(try JSONBody(change)["data.marketing"] as? Bool == true)
            let refuse = try await accounts.client.execute(
                uri: "/api/me/consents", method: .put, headers: [.authorization: "Bearer \(me.access)", .contentType: "application/json"],
                body: accounts.json(["privacy": false])
            )
            #expect(try JSONBody(refuse)["code"] as? String == "CONSENT_REQUIRED")
            let export = try JSONBody(try await accounts.get("/api/me/export", token: me.access))
            #expect((export["data.consents"] as? [Any])?.count == 4, "every change is kept with its time and version")
            let audit = try JSONBody(try await accounts.get("/api/me/audit", token: me.access))
            let actions = (audit["data.entries"] as? [[String: Any]] ?? []).compactMap { $0["action"] as? String }
            #expect(actions.contains("consent.changed"))
        }
    }
}
