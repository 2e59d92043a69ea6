import Crypto
import Foundation
import Hummingbird
import HummingbirdTesting
@testable import InyeonService
import JWTKit
import Testing

/// Every way a token can be wrong, played against the running service: each must get 401 in the envelope.
@Suite struct TokenAttackTests {
    static func base64URL(_ data: Data) -> String { data.base64URLEncoded() }

    static func encode(_ object: [String: Any]) -> String {
        base64URL(try! JSONSerialization.data(withJSONObject: object, options: .sortedKeys))
    }

    /// Signs `claims` with the service's own current key, so only the field under test is wrong.
    static func signWithServiceKey(_ claims: AccessTokenClaims, typ: String = "at+jwt") async throws -> String {
        let configuration = try TestDatabase.configuration()
        return try await withPostgresClient(configuration.databaseURL, logger: TestDatabase.logger) { client in
            let database = Database(client: client, poolSize: 2, identityKey: TestDatabase.identityKey)
            let store = SigningKeyStore(database: database, sealer: try DataSealer(base64Key: configuration.secrets.dataEncryptionKey))
            let (collection, kid) = try await store.signer(logger: TestDatabase.logger)
            var header = JWTHeader()
            header.typ = typ
            return try await collection.sign(claims, kid: JWKIdentifier(string: kid), header: header)
        }
    }

    static func claims(_ tokens: AccountHelper.Tokens, adjust: (inout AccessTokenClaims) -> Void = { _ in }) -> AccessTokenClaims {
        let now = Int(Date().timeIntervalSince1970)
        var claims = AccessTokenClaims(
            iss: "inyeon", aud: "inyeon-api", sub: tokens.userID, role: "user", sid: tokens.session, scope: nil, iat: now, nbf: now,
            exp: now + 600, jti: UUID().uuidString, token_use: "access"
        )
        adjust(&claims)
        return claims
    }

    static func expectRejected(_ accounts: AccountHelper, _ token: String, _ label: String) async throws {
        let response = try await accounts.get("/api/auth/sessions", token: token)
        #expect(response.status == .unauthorized, "\(label)")
        let body = try JSONBody(response)
        #expect(body["code"] as? String == "INVALID_TOKEN", "\(label)")
        #expect(body["success"] as? Bool == false)
    }

    @Test func forgedAndMistypedTokensAreRefused() async throws {
        try await withAccounts { accounts in
            let tokens = try await accounts.signUp()
            #expect(try await accounts.get("/api/auth/sessions", token: tokens.access).status == .ok)
            let parts = tokens.access.split(separator: ".").map(String.init)
            let header = try JSONSerialization.jsonObject(with: Data(base64URLEncoded: parts[0])!) as! [String: Any]
            let kid = header["kid"] as! String

            // alg: none, with and without a signature.
            let none = Self.encode(["alg": "none", "typ": "at+jwt", "kid": kid]) + "." + parts[1] + "."
            try await Self.expectRejected(accounts, none, "alg none")
            try await Self.expectRejected(accounts, Self.encode(["alg": "none", "typ": "at+jwt", "kid": kid]) + "." + parts[1] + "." + parts[2], "alg none, old signature")

            // Symmetric/asymmetric confusion: HS256 keyed with the published public key.
            let jwks = try JSONBody(try await accounts.get("/.well-known/jwks.json", token: nil))
            let x = try #require((jwks["keys.0.x"] as? String).flatMap { Data(base64URLEncoded: $0) })
            let confusedHeader = Self.encode(["alg": "HS256", "typ": "at+jwt", "kid": kid])
            let signingInput = confusedHeader + "." + parts[1]
            let mac = HMAC<SHA256>.authenticationCode(for: Data(signingInput.utf8), using: SymmetricKey(data: x))
            try await Self.expectRejected(accounts, signingInput + "." + Self.base64URL(Data(mac)), "HS256 with the public key")

            // Tampered payload (role raised to admin) and tampered signature.
            var payload = try JSONSerialization.jsonObject(with: Data(base64URLEncoded: parts[1])!) as! [String: Any]
            payload["role"] = "admin"
            try await Self.expectRejected(accounts, parts[0] + "." + Self.encode(payload) + "." + parts[2], "tampered payload")
            var signature = Array(parts[2])
            signature[5] = signature[5] == "A" ? "B" : "A"
            try await Self.expectRejected(accounts, parts[0] + "." + parts[1] + "." + String(signature), "tampered signature")

            // A key the service never published.
            let stranger = JWTKeyCollection()
            await stranger.add(eddsa: try EdDSA.PrivateKey(), kid: "stranger")
            var strangerHeader = JWTHeader()
            strangerHeader.typ = "at+jwt"
            let foreign = try await stranger.sign(Self.claims(tokens), kid: "stranger", header: strangerHeader)
            try await Self.expectRejected(accounts, foreign, "unknown kid")

            // Garbage.
            try await Self.expectRejected(accounts, "not.a.token", "garbage")
            try await Self.expectRejected(accounts, "", "empty")
        }
    }

    @Test func claimsOutsideTheirBoundsAreRefused() async throws {
        try await withAccounts { accounts in
            let tokens = try await accounts.signUp()
            let now = Int(Date().timeIntervalSince1970)
            let cases: [(String, AccessTokenClaims, String)] = [
                ("expired", Self.claims(tokens) { $0.exp = now - 60; $0.iat = now - 700; $0.nbf = now - 700 }, "at+jwt"),
                ("not yet valid", Self.claims(tokens) { $0.nbf = now + 120; $0.iat = now + 120 }, "at+jwt"),
                ("wrong audience", Self.claims(tokens) { $0.aud = "another-api" }, "at+jwt"),
                ("wrong issuer", Self.claims(tokens) { $0.iss = "someone-else" }, "at+jwt"),
                ("wrong token use", Self.claims(tokens) { $0.token_use = "refresh" }, "at+jwt"),
                ("wrong type header", Self.claims(tokens), "JWT"),
                ("unknown session", Self.claims(tokens) { $0.sid = UUID().uuidString }, "at+jwt"),
                ("unknown role", Self.claims(tokens) { $0.role = "superuser" }, "at+jwt"),
            ]
            for (label, claims, typ) in cases {
                try await Self.expectRejected(accounts, try await Self.signWithServiceKey(claims, typ: typ), label)
            }
            // Within the 30 seconds of allowed skew, a just-expired token still counts.
            let skewed = try await Self.signWithServiceKey(Self.claims(tokens) { $0.exp = now - 10 })
            #expect(try await accounts.get("/api/auth/sessions", token: skewed).status == .ok)
        }
    }

    @Test func aServiceTokenIsNotAPersonsToken() async throws {
        try await withAccounts { accounts in
            let configuration = try TestDatabase.configuration()
            let service = try await OperatorTasks.issueServiceToken(
                configuration: configuration, name: "ops", role: .admin, scope: "audit:read", lifetimeSeconds: 600, logger: TestDatabase.logger
            )
            let audit = try await accounts.get("/api/admin/audit-log?limit=5", token: service)
            #expect(audit.status == .ok)
            let body = try JSONBody(audit)
            #expect(body["data.chain.intact"] as? Bool == true)
            let personal = try await accounts.get("/api/auth/sessions", token: service)
            #expect(personal.status == .unauthorized)
            #expect(try JSONBody(personal)["code"] as? String == "AUTH_REQUIRED")
            let unscoped = try await OperatorTasks.issueServiceToken(
                configuration: configuration, name: "ops", role: .admin, scope: "flags:write", lifetimeSeconds: 600, logger: TestDatabase.logger
            )
            #expect(try await accounts.get("/api/admin/audit-log", token: unscoped).status == .forbidden)
            let user = try await accounts.signUp()
            #expect(try await accounts.get("/api/admin/audit-log", token: user.access).status == .forbidden)
        }
    }

    /// An operator token does what its scopes name and nothing else: not the moderation queue nor
    /// the flags with `audit:read`, whatever role the token carries, and no admin's view of people.
    @Test func anOperatorTokenIsHeldToItsScopes() async throws {
        try await withAccounts { accounts in
            let configuration = try TestDatabase.configuration()
            func token(_ scope: String, role: AppRole = .admin) async throws -> String {
                try await OperatorTasks.issueServiceToken(
                    configuration: configuration, name: "ops", role: role, scope: scope, lifetimeSeconds: 600, logger: TestDatabase.logger
                )
            }
            let auditor = try await token("audit:read")
            for (method, uri) in [
                (HTTPRequest.Method.get, "/api/moderation/cases"), (.get, "/api/moderation/cases/1"), (.post, "/api/moderation/cases/1/review"),
                (.get, "/api/admin/flags"), (.put, "/api/admin/flags/realTimeChat"), (.delete, "/api/admin/flags/realTimeChat"),
                (.get, "/api/admin/feedback"),
            ] {
                let response = try await accounts.client.execute(
                    uri: uri, method: method, headers: [.authorization: "Bearer \(auditor)", .contentType: "application/json"],
                    body: ByteBuffer(string: #"{"status":"dismissed","setting":"true"}"#)
                )
                #expect(response.status == .forbidden, "\(method) \(uri): \(response.text)")
            }
            // The scope that names the work opens it, acting as the least role it needs.
            let moderator = try await token("moderation:read")
            #expect(try await accounts.get("/api/moderation/cases", token: moderator).status == .ok)
            let review = try await accounts.post("/api/moderation/cases/1/review", ["status": "dismissed"], token: moderator)
            #expect(review.status == .forbidden, "reading is not reviewing")
            // Everywhere else an operator token is nobody: no admin's sight of hidden people.
            let hidden = try await accounts.signUp()
            var profile = MyProfileTests.profile()
            profile["privacy"] = ["showAge": true, "showLocation": true, "searchable": false, "allowPublicListing": false]
            _ = try await accounts.client.execute(
                uri: "/api/me/profile", method: .put, headers: [.authorization: "Bearer \(hidden.access)", .contentType: "application/json"],
                body: accounts.json(profile)
            )
            let seen = try await accounts.get("/api/matching/intelligent-compatibility/\(hidden.userID)", token: auditor)
            #expect(seen.status == .notFound, "an admin would see a profile that is not in search; an operator token must not")
            // Unknown scopes are refused when the token is made.
            #expect(OperatorScope.parse("audit:read everything") == nil)
        }
    }
}
