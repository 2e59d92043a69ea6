import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

@Suite struct AccountsTests {
    @Test func signUpConfirmLoginAndSeeOnesOwnView() async throws {
        try await withAccounts { accounts in
            let email = AccountHelper.uniqueEmail()
            let tokens = try await accounts.signUp(email: email)
            let view = try await accounts.get("/api/users/rls", token: tokens.access)
            #expect(view.status == .ok)
            let body = try JSONBody(view)
            #expect(body["data.viewer.role"] as? String == "user")
            #expect(body["data.viewer.userId"] as? String == tokens.userID)
            let login = try await accounts.login(email: email.uppercased(), password: "a calm morning walk")
            #expect(login.status == .ok)
            #expect(try JSONBody(login)["data.accessToken"] is String)
        }
    }

    @Test func signUpNeverRevealsWhetherAnAddressIsRegistered() async throws {
        try await withAccounts { accounts in
            let email = AccountHelper.uniqueEmail()
            _ = try await accounts.signUp(email: email)
            let again = try await accounts.post(
                "/api/auth/signup", ["email": email, "password": "another fine phrase", "name": "다른 사람", "consents": ["terms": true, "privacy": true]]
            )
            let fresh = try await accounts.post(
                "/api/auth/signup", ["email": AccountHelper.uniqueEmail(), "password": "another fine phrase", "name": "다른 사람", "consents": ["terms": true, "privacy": true]]
            )
            #expect(again.status == .accepted && fresh.status == .accepted)
            let a = try JSONBody(again), b = try JSONBody(fresh)
            #expect(a["message"] as? String == b["message"] as? String)
            // Only the mailbox learns the difference.
            #expect(try await accounts.mail(to: email).contains("이미 가입되어 있습니다"))
        }
    }

    @Test func loginFailuresAreIndistinguishable() async throws {
        try await withAccounts { accounts in
            let email = AccountHelper.uniqueEmail()
            _ = try await accounts.signUp(email: email)
            let wrong = try await accounts.login(email: email, password: "not the password", address: "198.51.100.7")
            let unknown = try await accounts.login(email: AccountHelper.uniqueEmail(), password: "not the password", address: "198.51.100.7")
            #expect(wrong.status == .unauthorized && unknown.status == .unauthorized)
            #expect(wrong.text == unknown.text)
        }
    }

    @Test(arguments: [
        ("short", "WEAK_PASSWORD"), ("password123", "WEAK_PASSWORD"), ("1q2w3e4r", "WEAK_PASSWORD"), ("aaaaaaaaaaaa", "WEAK_PASSWORD"),
    ])
    func weakPasswordsAreRefused(password: String, code: String) async throws {
        try await withAccounts { accounts in
            let response = try await accounts.post(
                "/api/auth/signup", ["email": AccountHelper.uniqueEmail(), "password": password, "name": "이름", "consents": ["terms": true, "privacy": true]]
            )
            #expect(response.status == .badRequest)
            #expect(try JSONBody(response)["code"] as? String == code)
        }
    }

    @Test func longPassphrasesWorkInFull() async throws {
        try await withAccounts { accounts in
            let email = AccountHelper.uniqueEmail()
            let long = String(repeating: "봄날의 산책과 따뜻한 차 한 잔 ", count: 6)
            _ = try await accounts.signUp(email: email, password: long)
            #expect(try await accounts.login(email: email, password: long).status == .ok)
            // bcrypt alone would ignore everything past 72 bytes; the pre-hash keeps the whole phrase significant.
            #expect(try await accounts.login(email: email, password: long + "!").status == .unauthorized)
        }
    }

    @Test func requiredConsentsAndValidInputAreEnforced() async throws {
        try await withAccounts { accounts in
            let noConsent = try await accounts.post(
                "/api/auth/signup", ["email": AccountHelper.uniqueEmail(), "password": "a calm morning walk", "name": "이름", "consents": ["terms": true, "privacy": false]]
            )
            #expect(try JSONBody(noConsent)["code"] as? String == "CONSENT_REQUIRED")
            let badEmail = try await accounts.post(
                "/api/auth/signup", ["email": "not-an-email", "password": "a calm morning walk", "name": "이름", "consents": ["terms": true, "privacy": true]]
            )
            #expect(try JSONBody(badEmail)["code"] as? String == "INVALID_EMAIL")
            let malformed = try await accounts.client.execute(
                uri: "/api/auth/login", method: .post, headers: [.contentType: "application/json"], body: ByteBuffer(string: "{nope")
            )
            #expect(malformed.status == .badRequest)
            #expect(try JSONBody(malformed)["success"] as? Bool == false)
        }
    }

    @Test func logoutEndsTheSessionAndItsAccessToken() async throws {
        try await withAccounts { accounts in
            let tokens = try await accounts.signUp()
            #expect(try await accounts.get("/api/auth/sessions", token: tokens.access).status == .ok)
            #expect(try await accounts.post("/api/auth/logout", [:], token: tokens.access).status == .ok)
            #expect(try await accounts.get("/api/auth/sessions", token: tokens.access).status == .unauthorized)
            #expect(try await accounts.post("/api/auth/refresh", ["refreshToken": tokens.refresh]).status == .unauthorized)
        }
    }

    @Test func passwordChangeEndsTheOtherSessions() async throws {
        try await withAccounts { accounts in
            let email = AccountHelper.uniqueEmail()
            let first = try await accounts.signUp(email: email)
            let second = try JSONBody(try await accounts.login(email: email, password: "a calm morning walk"))["data.accessToken"] as! String
            let sessions = try JSONBody(try await accounts.get("/api/auth/sessions", token: first.access))
            #expect((sessions["data.sessions"] as? [Any])?.count == 2)
            let change = try await accounts.post(
                "/api/auth/password", ["currentPassword": "a calm morning walk", "newPassword": "a brand new phrase"], token: first.access
            )
            #expect(change.status == .ok)
            #expect(try JSONBody(change)["data.sessionsEnded"] as? Int == 1, "the other device's session")
            #expect(try await accounts.get("/api/auth/sessions", token: second).status == .unauthorized)
            #expect(try await accounts.get("/api/auth/sessions", token: first.access).status == .ok)
            #expect(try await accounts.login(email: email, password: "a brand new phrase").status == .ok)
        }
    }

    @Test func oneSessionCanBeEndedFromAnother() async throws {
        try await withAccounts { accounts in
            let email = AccountHelper.uniqueEmail()
            let first = try await accounts.signUp(email: email)
            let other = try JSONBody(try await accounts.login(email: email, password: "a calm morning walk"))
            let otherSession = other["data.sessionId"] as! String
            let ended = try await accounts.client.execute(
                uri: "/api/auth/sessions/\(otherSession)", method: .delete, headers: [.authorization: "Bearer \(first.access)"]
            )
            #expect(ended.status == .ok)
            #expect(try await accounts.get("/api/auth/sessions", token: other["data.accessToken"] as? String).status == .unauthorized)
            let missing = try await accounts.client.execute(
                uri: "/api/auth/sessions/\(UUID())", method: .delete, headers: [.authorization: "Bearer \(first.access)"]
            )
            #expect(missing.status == .notFound)
        }
    }

    @Test func personalEndpointsRequireSignIn() async throws {
        try await withAccounts { accounts in
            for uri in ["/api/auth/sessions", "/api/me/export", "/api/me/audit"] {
                let response = try await accounts.get(uri, token: nil)
                #expect(response.status == .unauthorized, "\(uri)")
                #expect(try JSONBody(response)["code"] as? String == "AUTH_REQUIRED")
            }
        }
    }
}
