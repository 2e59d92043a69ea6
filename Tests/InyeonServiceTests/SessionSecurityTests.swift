import Foundation
import Hummingbird
import HummingbirdTesting
@testable import InyeonService
import JWTKit
import PostgresNIO
import Testing

@Suite struct SessionSecurityTests {
    func refresh(_ accounts: AccountHelper, _ token: String) async throws -> TestResponse {
        try await accounts.post("/api/auth/refresh", ["refreshToken": token])
    }

    @Test func refreshRotatesAndReuseRevokesTheWholeFamily() async throws {
        try await withAccounts(["JWT_REFRESH_REUSE_GRACE": "1s"]) { accounts in
            let tokens = try await accounts.signUp()
            let first = try await refresh(accounts, tokens.refresh)
            #expect(first.status == .ok)
            let rotated = try JSONBody(first)
            let next = try #require(rotated["data.refreshToken"] as? String)
            let access = try #require(rotated["data.accessToken"] as? String)
            #expect(next != tokens.refresh)
            try await Task.sleep(for: .milliseconds(1500))
            // The old token again, after the grace window: theft is assumed and the session ends.
            let reuse = try await refresh(accounts, tokens.refresh)
            #expect(reuse.status == .unauthorized)
            #expect(try JSONBody(reuse)["code"] as? String == "REFRESH_TOKEN_REUSED")
            #expect(try await refresh(accounts, next).status == .unauthorized, "the successor dies with the family")
            #expect(try await accounts.get("/api/auth/sessions", token: access).status == .unauthorized)
            let audit = try await OperatorTasks.verifyAuditChain(configuration: try TestDatabase.configuration(), logger: TestDatabase.logger)
            if case .intact = audit {} else { Issue.record("audit chain not intact: \(audit)") }
        }
    }

    @Test func concurrentRefreshesFromOneDeviceDoNotLogOut() async throws {
        try await withAccounts { accounts in
            let tokens = try await accounts.signUp()
            let statuses = try await withThrowingTaskGroup(of: HTTPResponse.Status.self) { group in
                for _ in 0..<2 {
                    group.addTask { try await refresh(accounts, tokens.refresh).status }
                }
                return try await group.reduce(into: [HTTPResponse.Status]()) { $0.append($1) }
            }
            #expect(statuses == [.ok, .ok])
            let sessions = try await accounts.get("/api/auth/sessions", token: tokens.access)
            #expect(sessions.status == .ok, "still signed in")
        }
    }

    @Test func rotatingTheSigningKeyLogsNobodyOut() async throws {
        try await withAccounts { accounts in
            let before = try await accounts.signUp()
            let oldKid = try TokenService.header(of: before.access)["kid"] as? String
            _ = try await OperatorTasks.rotateSigningKey(configuration: try TestDatabase.configuration(), logger: TestDatabase.logger)
            // The old token still works; the JWKS publishes both keys.
            #expect(try await accounts.get("/api/auth/sessions", token: before.access).status == .ok)
            try await Task.sleep(for: .milliseconds(10))
        }
        // A fresh instance (as after a deploy) signs with the new key and still accepts the old one.
        try await withAccounts { accounts in
            let after = try await accounts.signUp()
            let jwks = try JSONBody(try await accounts.get("/.well-known/jwks.json", token: nil))
            let kids = try #require(jwks["keys"] as? [[String: Any]]).compactMap { $0["kid"] as? String }
            let newKid = try TokenService.header(of: after.access)["kid"] as? String
            #expect(kids.count >= 2)
            #expect(kids.contains(newKid ?? "-"))
        }
    }

    @Test func legacyTokensCountOnlyInPhaseOne() async throws {
        let secret = try TestDatabase.configuration().secrets.jwtSecret
        try await withAccounts { accounts in
            let tokens = try await accounts.signUp()
            let legacy = try await Self.legacyToken(userID: tokens.userID, secret: secret)
            let view = try await accounts.get("/api/users/rls", token: legacy)
            #expect(view.status == .ok)
            #expect(try JSONBody(view)["data.viewer.userId"] as? String == tokens.userID, "mapped to the same identity")
            let wrongSecret = try await Self.legacyToken(userID: tokens.userID, secret: String(repeating: "x", count: 40))
            #expect(try await accounts.get("/api/users/rls", token: wrongSecret).status == .unauthorized)
        }
        try await withAccounts(["FEATURE_ENHANCED_AUTH": "true"]) { accounts in
            let tokens = try await accounts.signUp()
            let legacy = try await Self.legacyToken(userID: tokens.userID, secret: secret)
            #expect(try await accounts.get("/api/users/rls", token: legacy).status == .unauthorized)
            #expect(try await accounts.get("/api/users/rls", token: tokens.access).status == .ok)
            #expect(try await accounts.get("/api/users/rls", token: "invalid").status == .unauthorized)
        }
    }

    static func legacyToken(userID: String, secret: String, exp: Int? = Int(Date().timeIntervalSince1970) + 600, iat: Int? = nil) async throws
        -> String
    {
        let keys = await JWTKeyCollection().add(hmac: HMACKey(from: secret), digestAlgorithm: .sha256)
        return try await keys.sign(LegacyTokenClaims(userId: userID, exp: exp, iat: iat))
    }

    @Test func legacyTokensMustExpireSoonAndEndWithLogoutEverywhereAndSuspension() async throws {
        let secret = try TestDatabase.configuration().secrets.jwtSecret
        try await withAccounts { accounts in
            let me = try await accounts.signUp()
            let now = Int(Date().timeIntervalSince1970)
            func status(_ token: String) async throws -> HTTPResponse.Status {
                try await accounts.get("/api/users/rls", token: token).status
            }
            #expect(try await status(try await Self.legacyToken(userID: me.userID, secret: secret, exp: nil)) == .unauthorized, "no exp")
            #expect(try await status(try await Self.legacyToken(userID: me.userID, secret: secret, exp: now + 86_400)) == .unauthorized, "a day")
            #expect(
                try await status(try await Self.legacyToken(userID: me.userID, secret: secret, exp: now + 600, iat: now - 600)) == .unauthorized,
                "issued for 20 minutes, above the 15-minute access-token lifetime"
            )
            let valid = try await Self.legacyToken(userID: me.userID, secret: secret, exp: now + 600, iat: now)
            #expect(try await status(valid) == .ok)
            #expect(try await accounts.post("/api/auth/logout-all", [:], token: me.access).status == .ok)
            #expect(try await status(valid) == .unauthorized, "logout everywhere ends the earlier system's tokens too")

            let other = try await accounts.signUp()
            let theirs = try await Self.legacyToken(userID: other.userID, secret: secret)
            #expect(try await status(theirs) == .ok)
            try await SessionEndTests.asSystem { connection in
                try await connection.query(
                    "UPDATE accounts SET status = 'suspended' WHERE id = \(UUID(uuidString: other.userID)!)", logger: TestDatabase.logger
                )
            }
            #expect(try await status(theirs) == .unauthorized, "a suspended account's tokens end")
        }
    }

    @Test func aRepeatWithinTheGraceWindowGetsTheSameSuccessorAndOneChain() async throws {
        try await withAccounts { accounts in
            let tokens = try await accounts.signUp()
            let answers = try await withThrowingTaskGroup(of: TestResponse.self) { group in
                for _ in 0..<2 {
                    group.addTask { try await refresh(accounts, tokens.refresh) }
                }
                return try await group.reduce(into: [TestResponse]()) { $0.append($1) }
            }
            #expect(answers.map(\.status) == [.ok, .ok])
            let successors = try answers.map { try JSONBody($0)["data.refreshToken"] as? String }
            #expect(successors[0] != nil && successors[0] == successors[1], "the same successor both times")
            let stored = try await SessionEndTests.asSystem { connection in
                try await connection.query(
                    "SELECT count(*)::int FROM refresh_tokens WHERE session_id = \(UUID(uuidString: tokens.session)!)", logger: TestDatabase.logger
                ).decode(Int.self).reduce(0, +)
            }
            #expect(stored == 2, "the first token and one successor: one chain")
            let onward = try await refresh(accounts, try #require(successors[0]))
            #expect(onward.status == .ok, "the chain goes on")
        }
    }

    @Test func webSocketTicketsAreSingleUse() async throws {
        try await withAccounts { accounts in
            let tokens = try await accounts.signUp()
            let response = try await accounts.post("/api/auth/websocket-ticket", [:], token: tokens.access)
            #expect(response.status == .ok)
            let ticket = try #require(try JSONBody(response)["data.ticket"] as? String)
            #expect(try JSONBody(response)["data.expiresIn"] as? Int == 60)
            let configuration = try TestDatabase.configuration()
            try await withPostgresClient(configuration.databaseURL, logger: TestDatabase.logger) { client in
                let database = Database(client: client, poolSize: 2, identityKey: TestDatabase.identityKey)
                let sealer = try DataSealer(base64Key: configuration.secrets.dataEncryptionKey)
                let service = AccountService(
                    database: database,
                    tokens: await TokenService(
                        keys: SigningKeyStore(database: database, sealer: sealer),
                        settings: configuration.tokens, database: database, legacySecret: configuration.secrets.jwtSecret
                    ),
                    hasher: PasswordHasher(), throttle: LoginThrottle(database: database), outbox: MailOutbox(database: database, sealer: sealer, domain: "localhost"), sealer: sealer,
                    settings: configuration.tokens, publicBaseURL: "http://localhost", securityEvents: SecurityEventCounter()
                )
                let first = try await service.redeemWebSocketTicket(ticket, logger: TestDatabase.logger)
                #expect(first?.userID.uuidString.lowercased() == tokens.userID)
                #expect(first?.sessionID.uuidString.lowercased() == tokens.session, "bound to the session it was issued in")
                #expect(try await service.redeemWebSocketTicket(ticket, logger: TestDatabase.logger) == nil, "single use")
                #expect(try await service.redeemWebSocketTicket("forged", logger: TestDatabase.logger) == nil)
            }
        }
    }
}
