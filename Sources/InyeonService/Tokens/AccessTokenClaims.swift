import JWTKit

/// The claims of an access token (RFC 9068 style): who, for whom, how long, and which session.
struct AccessTokenClaims: JWTPayload, Equatable {
    var iss: String
    var aud: String
    /// The account id, or `service:<name>` for an operator's token.
    var sub: String
    var role: String
    /// The session that issued it; absent on operator tokens.
    var sid: String?
    /// Operator tokens say what they may do.
    var scope: String?
    var iat: Int
    var nbf: Int
    var exp: Int
    var jti: String
    /// `access` or `service`: a token is accepted only where its use is meant.
    var token_use: String

    /// Signature checks happen in jwt-kit; time, audience, issuer and type in `AccessTokenVerifier`.
    func verify(using algorithm: some JWTAlgorithm) async throws {}
}

/// The earlier system's tokens: HS256 with `JWT_SECRET` and a `userId` claim. Accepted only in phase 1.
struct LegacyTokenClaims: JWTPayload {
    var userId: String
    /// Required: a token that never expires is refused (the earlier system could issue them).
    var exp: Int?
    var iat: Int?

    func verify(using algorithm: some JWTAlgorithm) async throws {}
}
