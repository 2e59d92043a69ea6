import Foundation
import Testing
@testable import InyeonService

/// Tokens whose signature was verified are remembered by their exact text, never past their
/// expiry, and never beyond the memory's bound.
struct VerifiedTokensTests {
    static func claims(expiring exp: Int) -> AccessTokenClaims {
        AccessTokenClaims(
            iss: "inyeon", aud: "inyeon-api", sub: UUID().uuidString.lowercased(), role: "user", sid: UUID().uuidString.lowercased(),
            scope: nil, iat: exp - 900, nbf: exp - 900, exp: exp, jti: UUID().uuidString, token_use: "access"
        )
    }

    @Test func rememberedByExactTextUntilExpiry() {
        let tokens = VerifiedTokens()
        let now = Int(Date().timeIntervalSince1970)
        let claims = Self.claims(expiring: now + 60)
        tokens.remember("header.payload.signature", kid: "k1", claims: claims)
        #expect(tokens.entry(for: "header.payload.signature", now: now)?.claims == claims)
        #expect(tokens.entry(for: "header.payload.signaturE", now: now) == nil, "one character changed is another token")
        #expect(tokens.entry(for: "header.payload.signature", now: now + 60 + TokenService.clockSkew + 1) == nil, "expired")
        #expect(tokens.count == 0, "an expired token is forgotten when asked for")
    }

    @Test func boundedMemory() {
        let tokens = VerifiedTokens(capacity: 5)
        let claims = Self.claims(expiring: Int(Date().timeIntervalSince1970) + 600)
        for index in 0..<12 { tokens.remember("token-\(index)", kid: "k1", claims: claims) }
        #expect(tokens.count <= 5)
    }
}
