import Foundation
import JWTKit
import Logging
import PostgresNIO

/// Who a verified bearer token speaks for.
struct AuthenticatedCaller: Sendable, Equatable {
    enum Kind: String, Sendable {
        case access, service, legacy
    }

    var userID: UUID?
    var role: AppRole
    var sessionID: UUID?
    var kind: Kind
    var scope: String?

    /// Who the database sees on an ordinary route. An operator token is nobody there: it acts only
    /// through `AppRequestContext.require(_:)`, on the routes of its scopes.
    var identity: RequestIdentity { kind == .service ? .anonymous : RequestIdentity(userID: userID, role: role) }

    /// An operator token's scopes (unknown names are ignored).
    var scopes: Set<OperatorScope> { Set((scope ?? "").split(separator: " ").compactMap { OperatorScope(rawValue: String($0)) }) }
}

/// Why a token was refused (logged and counted; the client only hears "invalid token").
struct TokenRejection: Error, CustomStringConvertible {
    var reason: String
    var description: String { "token rejected: \(reason)" }
}

/// Issues and verifies access tokens: Ed25519-signed JWTs, typed `at+jwt`, with issuer, audience,
/// subject, role, session and key id. Verification allows 30 seconds of clock skew and nothing else.
struct TokenService: Sendable {
    static let clockSkew = 30
    static let accessType = "at+jwt"

    let keys: SigningKeyStore
    let settings: AppConfiguration.TokenSettings
    let database: Database
    let legacyKeys: JWTKeyCollection
    /// Sessions found open a moment ago, which a request in quick succession need not check again.
    let recentChecks: RecentSessionChecks
    /// Tokens whose signature was verified here already.
    let verifiedTokens = VerifiedTokens()

    init(
        keys: SigningKeyStore, settings: AppConfiguration.TokenSettings, database: Database, legacySecret: String,
        recentChecks: RecentSessionChecks = RecentSessionChecks(reuse: .zero)
    ) async {
        self.keys = keys
        self.settings = settings
        self.database = database
        self.recentChecks = recentChecks
        self.legacyKeys = await JWTKeyCollection().add(hmac: HMACKey(from: legacySecret), digestAlgorithm: .sha256)
    }

    func accessToken(userID: UUID, role: AppRole, sessionID: UUID, logger: Logger) async throws -> String {
        try await sign(
            subject: userID.uuidString.lowercased(), role: role, sessionID: sessionID, scope: nil, use: "access",
            lifetime: settings.accessLifetimeSeconds, logger: logger
        )
    }

    /// An operator's token: scoped, short-lived, with no session; issued by the command line.
    func serviceToken(name: String, role: AppRole, scope: String, lifetimeSeconds: Int, logger: Logger) async throws -> String {
        try await sign(subject: "service:\(name)", role: role, sessionID: nil, scope: scope, use: "service", lifetime: lifetimeSeconds, logger: logger)
    }

    private func sign(subject: String, role: AppRole, sessionID: UUID?, scope: String?, use: String, lifetime: Int, logger: Logger) async throws
        -> String
    {
        let (collection, kid) = try await keys.signer(logger: logger)
        let now = Int(Date().timeIntervalSince1970)
        let claims = AccessTokenClaims(
            iss: settings.issuer, aud: settings.audience, sub: subject, role: role.rawValue,
            sid: sessionID?.uuidString.lowercased(), scope: scope, iat: now, nbf: now, exp: now + lifetime,
            jti: UUID().uuidString.lowercased(), token_use: use
        )
        var header = JWTHeader()
        header.typ = Self.accessType
        return try await collection.sign(claims, kid: JWKIdentifier(string: kid), header: header)
    }

    /// Verifies a token of the new kind; `accepting` says which uses count here.
    func verify(_ token: String, accepting uses: Set<String> = ["access"], logger: Logger) async throws -> AuthenticatedCaller {
        let claims: AccessTokenClaims
        if let verified = verifiedTokens.entry(for: token) {
            // Verified here before, byte for byte; its key must still be published.
            guard try await keys.verifier(for: verified.kid, logger: logger) != nil else { throw TokenRejection(reason: "unknown key id") }
            claims = verified.claims
        } else {
            let header = try Self.header(of: token)
            guard header["alg"] as? String == "EdDSA" else { throw TokenRejection(reason: "algorithm \(header["alg"] ?? "none") not accepted") }
            guard header["typ"] as? String == Self.accessType else { throw TokenRejection(reason: "not an access token (typ)") }
            guard let kid = header["kid"] as? String, let collection = try await keys.verifier(for: kid, logger: logger) else {
                throw TokenRejection(reason: "unknown key id")
            }
            do {
                claims = try await collection.verify(token, as: AccessTokenClaims.self)
            } catch {
                throw TokenRejection(reason: "signature or payload invalid")
            }
            verifiedTokens.remember(token, kid: kid, claims: claims)
        }
        let now = Int(Date().timeIntervalSince1970)
        guard claims.iss == settings.issuer else { throw TokenRejection(reason: "wrong issuer") }
        guard claims.aud == settings.audience else { throw TokenRejection(reason: "wrong audience") }
        guard uses.contains(claims.token_use) else { throw TokenRejection(reason: "token use \(claims.token_use) not accepted here") }
        guard now <= claims.exp + Self.clockSkew else { throw TokenRejection(reason: "expired") }
        guard now >= claims.nbf - Self.clockSkew, now >= claims.iat - Self.clockSkew else { throw TokenRejection(reason: "not yet valid") }
        guard let role = AppRole(rawValue: claims.role), role != .anonymous else { throw TokenRejection(reason: "unknown role") }

        if claims.token_use == "service" {
            return AuthenticatedCaller(userID: nil, role: role, sessionID: nil, kind: .service, scope: claims.scope)
        }
        guard let userID = UUID(uuidString: claims.sub), let sessionID = claims.sid.flatMap(UUID.init(uuidString:)) else {
            throw TokenRejection(reason: "subject or session missing")
        }
        guard try await isSessionOpen(sessionID, userID: userID, logger: logger) else {
            throw TokenRejection(reason: "session ended")
        }
        return AuthenticatedCaller(userID: userID, role: role, sessionID: sessionID, kind: .access)
    }

    /// The earlier system's HS256 token (phase 1 only): maps its `userId` to the same account. It has no
    /// session, so what ends a session cannot end it; instead it must expire (`exp`) within the
    /// access-token lifetime of its issue, its account must be active, and it must have been issued
    /// after the account's `tokens_not_before` (set by logout everywhere, a password change and
    /// suspension). Without `iat` it counts as issued a whole lifetime before it expires.
    func verifyLegacy(_ token: String, logger: Logger) async throws -> AuthenticatedCaller {
        let header = try Self.header(of: token)
        guard header["alg"] as? String == "HS256" else { throw TokenRejection(reason: "legacy token must be HS256") }
        let claims: LegacyTokenClaims
        do {
            claims = try await legacyKeys.verify(token, as: LegacyTokenClaims.self)
        } catch {
            throw TokenRejection(reason: "legacy signature invalid")
        }
        let now = Int(Date().timeIntervalSince1970)
        let maximumLifetime = settings.accessLifetimeSeconds
        guard let exp = claims.exp else { throw TokenRejection(reason: "legacy token without exp") }
        guard now <= exp + Self.clockSkew else { throw TokenRejection(reason: "expired") }
        guard exp - now <= maximumLifetime + Self.clockSkew else { throw TokenRejection(reason: "legacy token lives longer than allowed") }
        if let iat = claims.iat {
            guard iat <= now + Self.clockSkew else { throw TokenRejection(reason: "legacy token issued in the future") }
            guard exp - iat <= maximumLifetime else { throw TokenRejection(reason: "legacy token lives longer than allowed") }
        }
        guard let userID = UUID(uuidString: claims.userId) else { throw TokenRejection(reason: "legacy userId is not an id") }
        let issuedAt = claims.iat ?? (exp - maximumLifetime)
        guard try await isLegacyTokenCurrent(userID: userID, issuedAt: issuedAt, logger: logger) else {
            throw TokenRejection(reason: "legacy token's account suspended or its tokens ended")
        }
        return AuthenticatedCaller(userID: userID, role: .user, sessionID: nil, kind: .legacy)
    }

    private func isLegacyTokenCurrent(userID: UUID, issuedAt: Int, logger: Logger) async throws -> Bool {
        try await database.transaction(as: .system, logger: logger) { connection in
            try await connection.query(
                """
                SELECT count(*)::int FROM accounts
                WHERE id = \(userID) AND status = 'active'
                  AND (tokens_not_before IS NULL OR tokens_not_before <= to_timestamp(\(Double(issuedAt))))
                """,
                logger: logger
            ).decode(Int.self).reduce(0, +) == 1
        }
    }

    /// Whether the session is open, as found by this instance a moment ago (`recentChecks`) or by
    /// asking the database now.
    func isSessionOpen(_ sessionID: UUID, userID: UUID, logger: Logger) async throws -> Bool {
        if recentChecks.isRecentlyOpen(sessionID, user: userID) { return true }
        let ticket = recentChecks.ticket()
        guard let expiresAt = try await openSessionExpiry(sessionID, userID: userID, logger: logger) else { return false }
        recentChecks.remember(sessionID, user: userID, expiresAt: expiresAt, since: ticket)
        return true
    }

    /// Whether the session is open, asked of the database now (what changes a conversation asks this).
    func isSessionActive(_ sessionID: UUID, userID: UUID, logger: Logger) async throws -> Bool {
        try await openSessionExpiry(sessionID, userID: userID, logger: logger) != nil
    }

    /// When the session expires, if it is open and its account active.
    private func openSessionExpiry(_ sessionID: UUID, userID: UUID, logger: Logger) async throws -> Date? {
        try await database.read(
            as: .system,
            """
            SELECT s.expires_at FROM sessions s JOIN accounts a ON a.id = s.user_id
            WHERE s.id = \(sessionID) AND s.user_id = \(userID) AND s.revoked_at IS NULL AND s.expires_at > now()
              AND a.status = 'active'
            """,
            logger: logger
        ).first.map { try $0.decode(Date.self) }
    }

    /// The JOSE header, decoded without trusting anything in it yet.
    static func header(of token: String) throws -> [String: Any] {
        let parts = token.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 3, let data = Data(base64URLEncoded: String(parts[0])),
            let header = try? JSONSerialization.jsonObject(with: data) as? [String: Any]
        else { throw TokenRejection(reason: "malformed") }
        return header
    }
}
