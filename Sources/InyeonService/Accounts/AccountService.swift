import Crypto
import Foundation
import Hummingbird
import InyeonCore
import Logging
import PostgresNIO

/// Tokens handed to a client after sign-in or refresh.
struct IssuedTokens: Codable, Sendable {
    var accessToken: String
    var refreshToken: String
    var tokenType = "Bearer"
    var expiresIn: Int
    var refreshExpiresIn: Int
    var sessionId: String
}

/// Sign-up, sign-in, refresh rotation with reuse detection, sessions and passwords.
///
/// Flows that establish who someone is (sign-up, login, refresh) run as the `system` identity,
/// because the caller's identity is exactly what they are establishing; everything else runs as
/// the signed-in person, under RLS.
struct AccountService: Sendable {
    static let consentVersion = "2026-01"

    let database: Database
    let tokens: TokenService
    let hasher: PasswordHasher
    let throttle: LoginThrottle
    let outbox: MailOutbox
    /// Keys the one-time codes' HMACs.
    let sealer: DataSealer
    let settings: AppConfiguration.TokenSettings
    let publicBaseURL: String
    let securityEvents: SecurityEventCounter
    /// Sign-ups per address and per e-mail address (counted in PostgreSQL, across instances).
    var limits = AbuseLimits()

    // MARK: Sign-up

    /// Always answers the same way, whether or not the address is registered; the mailbox learns which.
    /// Each request sends a mail, so requests are limited per client address and per e-mail address
    /// (429 `TOO_MANY_REQUESTS` past either), counted before any work is done.
    func requestSignup(
        email: String, password: String, name: String, marketing: Bool, address: String, requestID: String?, logger: Logger
    ) async throws {
        try await takeSignupMailAllowance(email: email, address: address, logger: logger)
        let passwordHash = try await hasher.hash(password)
        let (token, code) = (OpaqueToken.generate(), OneTimeCode.generate())
        let codeHash = OneTimeCode.hash(code, for: email.lowercased(), sealer: sealer)
        try await database.transaction(as: .system, logger: logger) { connection in
            let registered = try await connection.query(
                "SELECT count(*)::int FROM private_profiles WHERE lower(email) = lower(\(email))", logger: logger
            ).decode(Int.self).reduce(0, +) > 0
            if !registered {
                // One code per address works at a time: an earlier sign-up's code stops working (its link still does).
                try await connection.query(
                    "UPDATE pending_signups SET code_hash = NULL WHERE lower(email) = lower(\(email)) AND confirmed_at IS NULL", logger: logger
                )
                try await connection.query(
                    """
                    INSERT INTO pending_signups (token_hash, code_hash, email, display_name, password_hash, marketing_consent, consent_version, expires_at)
                    VALUES (\(OpaqueToken.hash(token)), \(codeHash), \(email), \(name), \(passwordHash), \(marketing), \(Self.consentVersion),
                            now() + make_interval(secs => \(Self.signupLifetimeSeconds)))
                    """,
                    logger: logger
                )
            }
            try await AuditLog.record(
                AuditEntry(action: "account.signup_requested", actorID: nil, actorRole: .system, details: ["registered": "\(registered)"]),
                requestID: requestID, on: connection, logger: logger
            )
            // The mail is written with the sign-up, so it goes if and only if the sign-up is kept.
            if registered {
                try await outbox.enqueue(alreadyRegisteredMail(to: email), on: connection, logger: logger)
            } else {
                try await outbox.enqueue(confirmationMail(to: email, name: name, code: code, token: token), on: connection, logger: logger)
            }
        }
    }

    static let signupLifetimeSeconds = 24 * 3600

    /// Sign-up mail (a request, or a new code) to one address is limited per client address and per e-mail address.
    private func takeSignupMailAllowance(email: String, address: String, logger: Logger) async throws {
        try await SharedRateLimit(database: database).take([
            .init(bucket: "signup_address", subject: address, limit: limits.signupsPerAddressPerHour, windowSeconds: 3600),
            .init(bucket: "signup_email", subject: email.lowercased(), limit: limits.signupsPerEmailPerHour, windowSeconds: 3600),
        ], logger: logger)
    }

    /// Codes checked (sign-up or reset, right or wrong) per client address: a bound on guessing across many addresses.
    func takeCodeCheckAllowance(address: String, logger: Logger) async throws {
        try await SharedRateLimit(database: database).take([
            .init(bucket: "code_check_address", subject: address, limit: limits.codeChecksPerAddressPerHour, windowSeconds: 3600),
        ], logger: logger)
    }

    private func confirmationMail(to email: String, name: String, code: String, token: String) -> Mail {
        Mail(
            kind: "signup-confirmation", to: email, subject: "[인연] 확인 코드 \(code)",
            text: """
                \(name)님, 인연에 오신 것을 환영합니다.
                가입 화면에 아래 6자리 확인 코드를 입력해 주세요. 24시간 동안 쓸 수 있습니다.

                확인 코드: \(code)

                아래 링크를 눌러 가입을 마치셔도 됩니다.
                \(publicBaseURL)/verify-email?token=\(token)

                본인이 가입하지 않으셨다면 이 메일은 무시하셔도 됩니다. 계정은 만들어지지 않습니다.
                """
        )
    }

    private func alreadyRegisteredMail(to email: String) -> Mail {
        Mail(
            kind: "signup-already-registered", to: email, subject: "[인연] 가입 요청 안내",
            text: """
                이 주소로 이미 가입되어 있습니다. 본인이 요청하셨다면 로그인해 주세요.
                \(publicBaseURL)/login

                비밀번호가 생각나지 않으시면 '비밀번호 찾기'에서 새로 정하실 수 있습니다.
                \(publicBaseURL)/password-reset

                본인이 아니라면 이 메일은 무시하셔도 됩니다.
                """
        )
    }

    /// What a person shows from a mail we sent (a sign-up confirmation, a password reset): its
    /// link's token, or its six-digit code typed with the address it went to.
    enum MailedProof: Sendable {
        case link(token: String)
        case code(email: String, code: String)

        var kind: String {
            switch self {
            case .link: "link"
            case .code: "code"
            }
        }
    }

    /// What a confirmation attempt found, decided inside its transaction (a wrong code's count must be
    /// kept even though the attempt fails).
    private enum ConfirmationOutcome: Sendable {
        case confirmed(UUID)
        case invalid
        case triesUsedUp
        case alreadyConfirmed
        case expiredAndResent
    }

    static let invalidCode = APIError(
        .badRequest, code: "INVALID_CODE", message: "확인 코드가 맞지 않습니다. 메일에 있는 6자리 숫자를 다시 확인해 주세요."
    )

    /// Creates the account from a confirmed sign-up and signs the person in. A wrong code counts
    /// against the five tries of the sign-up's current code; a code or link that has expired brings a
    /// new code by mail; a link or code already used says the account exists.
    func confirmSignup(_ proof: MailedProof, userAgent: String?, address: String, requestID: String?, logger: Logger) async throws -> (UUID, IssuedTokens) {
        try await takeCodeCheckAllowance(address: address, logger: logger)
        let userID = UUID()
        let publicBaseURL = self.publicBaseURL
        let outcome = try await database.transaction(as: .system, logger: logger) { connection -> ConfirmationOutcome in
            typealias Row = (tokenHash: Data, codeHash: Data?, email: String, attempts: Int, live: Bool, confirmed: Bool)
            var rows: [Row] = []
            let query: PostgresQuery
            switch proof {
            case .link(let token):
                query = try """
                    SELECT token_hash, code_hash, email, code_attempts, expires_at > now(), confirmed_at IS NOT NULL
                    FROM pending_signups WHERE token_hash = \(OpaqueToken.hash(token)) FOR UPDATE
                    """
            case .code(let email, _):
                query = """
                    SELECT token_hash, code_hash, email, code_attempts, expires_at > now(), confirmed_at IS NOT NULL
                    FROM pending_signups WHERE lower(email) = lower(\(email)) ORDER BY created_at DESC FOR UPDATE
                    """
            }
            for try await row in try await connection.query(query, logger: logger).decode((Data, Data?, String, Int, Bool, Bool).self) {
                rows.append(Row(tokenHash: row.0, codeHash: row.1, email: row.2, attempts: row.3, live: row.4, confirmed: row.5))
            }
            let found: Row?
            switch proof {
            case .link:
                found = rows.first
            case .code(let email, let code):
                // Only one code per address works at a time: the newest waiting sign-up's (a new
                // sign-up or "send it again" voids the others), so its five tries bound the guesses.
                let typed = OneTimeCode.hash(code, for: email.lowercased(), sealer: sealer)
                let matches = { (row: Row) in row.codeHash.map { OneTimeCode.matches($0, typed) } ?? false }
                if let waiting = rows.first(where: { !$0.confirmed }) {
                    if matches(waiting) {
                        // The right code after five wrong ones is spent too; only its holder learns so.
                        if waiting.attempts >= OneTimeCode.tries { return .triesUsedUp }
                        found = waiting
                    } else if let done = rows.first(where: { $0.confirmed && matches($0) }) {
                        found = done
                    } else {
                        if waiting.live {
                            try await connection.query(
                                "UPDATE pending_signups SET code_attempts = code_attempts + 1 WHERE token_hash = \(waiting.tokenHash)", logger: logger
                            )
                        }
                        // The same answer whether or not a sign-up is waiting, and however many tries are left.
                        return .invalid
                    }
                } else {
                    found = rows.first { $0.confirmed && matches($0) }
                }
            }
            guard let found else { return .invalid }
            if found.confirmed { return .alreadyConfirmed }
            if !found.live {
                // Whoever holds the link or the right code owns the mailbox: a new code goes there.
                let (token, code) = (OpaqueToken.generate(), OneTimeCode.generate())
                var name = ""
                for try await (displayName) in try await connection.query(
                    """
                    UPDATE pending_signups SET token_hash = \(OpaqueToken.hash(token)),
                        code_hash = \(OneTimeCode.hash(code, for: found.email.lowercased(), sealer: sealer)), code_attempts = 0,
                        expires_at = now() + make_interval(secs => \(Self.signupLifetimeSeconds))
                    WHERE token_hash = \(found.tokenHash) RETURNING display_name
                    """,
                    logger: logger
                ).decode(String.self) {
                    name = displayName
                }
                try await outbox.enqueue(confirmationMail(to: found.email, name: name, code: code, token: token), on: connection, logger: logger)
                return .expiredAndResent
            }
            var pending: (String, String, String, Bool, String)?
            for try await row in try await connection.query(
                """
                UPDATE pending_signups SET confirmed_at = now() WHERE token_hash = \(found.tokenHash)
                RETURNING email, display_name, password_hash, marketing_consent, consent_version
                """,
                logger: logger
            ).decode((String, String, String, Bool, String).self) {
                pending = row
            }
            guard let (email, name, passwordHash, marketing, version) = pending else { return .invalid }
            // Other sign-ups waiting for the same address are done with too.
            try await connection.query(
                "UPDATE pending_signups SET confirmed_at = now() WHERE lower(email) = lower(\(email)) AND confirmed_at IS NULL", logger: logger
            )
            try await connection.query(
                "INSERT INTO accounts (id, password_hash) VALUES (\(userID), \(passwordHash))", logger: logger
            )
            try await connection.query(
                "INSERT INTO private_profiles (user_id, email, display_name) VALUES (\(userID), \(email), \(name))", logger: logger
            )
            try await connection.query(
                """
                INSERT INTO consents (user_id, kind, version, granted)
                VALUES (\(userID), 'terms', \(version), true), (\(userID), 'privacy', \(version), true),
                       (\(userID), 'marketing', \(version), \(marketing))
                """,
                logger: logger
            )
            try await AuditLog.record(
                AuditEntry(action: "account.created", actorID: userID, actorRole: .user, targetType: "account",
                           targetID: userID.uuidString.lowercased(), details: ["marketingConsent": "\(marketing)"]),
                requestID: requestID, on: connection, logger: logger
            )
            return .confirmed(try await createSession(userID: userID, userAgent: userAgent, address: address, connection: connection, logger: logger))
        }
        switch outcome {
        case .confirmed(let sessionID):
            return (userID, try await issue(userID: userID, role: .user, sessionID: sessionID, logger: logger))
        case .invalid:
            if case .link = proof {
                throw APIError(.badRequest, code: "INVALID_VERIFICATION_TOKEN",
                               message: "확인 링크가 올바르지 않습니다. 메일에 있는 6자리 코드를 입력하시거나 새 코드를 받아 주세요.")
            }
            throw Self.invalidCode
        case .triesUsedUp:
            throw APIError(.badRequest, code: "CODE_TRIES_USED_UP",
                           message: "확인 코드를 \(OneTimeCode.tries)번 잘못 입력하셔서 이 코드는 더 쓸 수 없습니다. '코드 다시 받기'로 새 코드를 받아 주세요.")
        case .alreadyConfirmed:
            throw APIError(.conflict, code: "ALREADY_CONFIRMED", message: "이미 가입을 마치셨습니다. 로그인해 주세요. (\(publicBaseURL)/login)")
        case .expiredAndResent:
            throw APIError(.gone, code: "CODE_EXPIRED", message: "확인 코드의 유효 시간이 지나 새 코드를 메일로 보냈습니다. 새 코드를 입력해 주세요.")
        }
    }

    /// "Send it again": a new code and link for the newest sign-up waiting for this address (the old
    /// ones stop working), or the "already registered" mail. Always the same answer, and limited
    /// like sign-ups.
    func resendSignupCode(email: String, address: String, requestID: String?, logger: Logger) async throws {
        try await takeSignupMailAllowance(email: email, address: address, logger: logger)
        let (token, code) = (OpaqueToken.generate(), OneTimeCode.generate())
        let codeHash = OneTimeCode.hash(code, for: email.lowercased(), sealer: sealer)
        try await database.transaction(as: .system, logger: logger) { connection in
            var renewed: (String, String)?
            try await connection.query(
                "UPDATE pending_signups SET code_hash = NULL WHERE lower(email) = lower(\(email)) AND confirmed_at IS NULL", logger: logger
            )
            for try await row in try await connection.query(
                """
                UPDATE pending_signups SET token_hash = \(OpaqueToken.hash(token)), code_hash = \(codeHash), code_attempts = 0,
                    expires_at = now() + make_interval(secs => \(Self.signupLifetimeSeconds))
                WHERE token_hash = (
                    SELECT token_hash FROM pending_signups WHERE lower(email) = lower(\(email)) AND confirmed_at IS NULL
                    ORDER BY created_at DESC LIMIT 1
                )
                RETURNING email, display_name
                """,
                logger: logger
            ).decode((String, String).self) {
                renewed = row
            }
            let registered = try await connection.query(
                "SELECT count(*)::int FROM private_profiles WHERE lower(email) = lower(\(email))", logger: logger
            ).decode(Int.self).reduce(0, +) > 0
            if let (to, name) = renewed, !registered {
                try await outbox.enqueue(confirmationMail(to: to, name: name, code: code, token: token), on: connection, logger: logger)
            } else if registered {
                try await outbox.enqueue(alreadyRegisteredMail(to: email), on: connection, logger: logger)
            }
            try await AuditLog.record(
                AuditEntry(action: "account.signup_code_resent", actorID: nil, actorRole: .system,
                           details: ["waiting": "\(renewed != nil)", "registered": "\(registered)"]),
                requestID: requestID, on: connection, logger: logger
            )
        }
    }

    func login(email: String, password: String, userAgent: String?, address: String, requestID: String?, logger: Logger) async throws
        -> IssuedTokens
    {
        let emailHash = Data(SHA256.hash(data: Data(email.lowercased().utf8)))
        let reservation: Int64
        switch try await throttle.reserve(emailHash: emailHash, address: address, logger: logger) {
        case .refuse(let retryAfter, let stuffing):
            securityEvents.count(stuffing ? .credentialStuffing : .loginThrottled)
            if stuffing {
                await AuditLog.securityEvent(
                    "credential_stuffing", details: ["address": address], requestID: requestID, database: database, logger: logger
                )
            }
            throw RateLimitedError(
                retryAfterSeconds: retryAfter, code: "TOO_MANY_ATTEMPTS",
                message: "로그인 시도가 너무 많습니다. \(max(1, retryAfter / 60))분 후에 다시 시도해 주세요."
            )
        case .allow(let reserved, let delay):
            reservation = reserved
            if delay > 0 { try await Task.sleep(for: .milliseconds(delay)) }
        }

        let account = try await database.transaction(as: .system, logger: logger) { connection -> (UUID, String, String, String?)? in
            for try await row in try await connection.query(
                """
                SELECT a.id, a.role, a.status, a.password_hash FROM accounts a
                JOIN private_profiles p ON p.user_id = a.id WHERE lower(p.email) = lower(\(email))
                """,
                logger: logger
            ).decode((UUID, String, String, String?).self) {
                return row
            }
            return nil
        }
        guard let (userID, roleText, status, passwordHash) = account, let passwordHash else {
            try await hasher.spendEquivalentTime(password)
            try await recordFailure(emailHash: emailHash, userID: nil, address: address, requestID: requestID, logger: logger)
            throw Self.invalidCredentials
        }
        guard try await hasher.verify(password, against: passwordHash) else {
            try await recordFailure(emailHash: emailHash, userID: userID, address: address, requestID: requestID, logger: logger)
            throw Self.invalidCredentials
        }
        guard status == "active" else {
            try await throttle.release(reservation: reservation, logger: logger)
            throw APIError(.forbidden, code: "ACCOUNT_SUSPENDED", message: "이용이 정지된 계정입니다. 고객센터(/support)로 문의해 주세요.")
        }
        try await throttle.clear(emailHash: emailHash, address: address, logger: logger)
        let role = AppRole(rawValue: roleText) ?? .user
        let sessionID = try await database.transaction(as: .system, logger: logger) { connection in
            try await AuditLog.record(
                AuditEntry(action: "auth.login", actorID: userID, actorRole: role, targetType: "account",
                           targetID: userID.uuidString.lowercased(), details: ["address": address]),
                requestID: requestID, on: connection, logger: logger
            )
            return try await createSession(userID: userID, userAgent: userAgent, address: address, connection: connection, logger: logger)
        }
        return try await issue(userID: userID, role: role, sessionID: sessionID, logger: logger)
    }

    static let invalidCredentials = APIError(
        .unauthorized, code: "INVALID_CREDENTIALS", message: "이메일 또는 비밀번호가 올바르지 않습니다."
    )

    private func recordFailure(emailHash: Data, userID: UUID?, address: String, requestID: String?, logger: Logger) async throws {
        // The attempt was already counted by the throttle's reservation, before the password was checked.
        securityEvents.count(.loginFailure)
        try await database.transaction(as: .system, logger: logger) { connection in
            try await AuditLog.record(
                AuditEntry(action: "auth.login_failed", actorID: nil, actorRole: .system, targetType: userID == nil ? nil : "account",
                           targetID: userID?.uuidString.lowercased(), details: ["address": address]),
                requestID: requestID, on: connection, logger: logger
            )
        }
    }

    // MARK: Refresh

    enum RefreshOutcome: Sendable {
        case rotated(UUID, AppRole, UUID, newRefreshToken: String)
        case reused(UUID, UUID)
        case invalid
    }

    /// Rotates a refresh token. A used one presented again after the grace window revokes the whole session.
    func refresh(_ refreshToken: String, requestID: String?, logger: Logger) async throws -> IssuedTokens {
        let tokenHash = OpaqueToken.hash(refreshToken)
        let grace = settings.reuseGraceSeconds
        let lifetime = settings.refreshLifetimeSeconds
        let outcome = try await database.transaction(as: .system, logger: logger) { connection -> RefreshOutcome in
            var found: (UUID, UUID, Bool, Bool, Bool, String, String)?
            for try await row in try await connection.query(
                """
                SELECT r.session_id, r.user_id, r.used_at IS NOT NULL, coalesce(now() - r.used_at <= make_interval(secs => \(grace)), false),
                       (r.expires_at > now() AND s.revoked_at IS NULL AND s.expires_at > now()), a.role, a.status
                FROM refresh_tokens r JOIN sessions s ON s.id = r.session_id JOIN accounts a ON a.id = r.user_id
                WHERE r.token_hash = \(tokenHash)
                FOR UPDATE OF r, s
                """,
                logger: logger
            ).decode((UUID, UUID, Bool, Bool, Bool, String, String).self) {
                found = row
            }
            guard let (sessionID, userID, used, withinGrace, valid, roleText, status) = found, valid, status == "active" else {
                return .invalid
            }
            if used && !withinGrace {
                try await connection.query(
                    "UPDATE sessions SET revoked_at = now(), revoked_reason = 'refresh_token_reuse' WHERE id = \(sessionID)",
                    logger: logger
                )
                try await AuditLog.record(
                    AuditEntry(action: "security.refresh_token_reuse", actorID: nil, actorRole: .system, targetType: "account",
                               targetID: userID.uuidString.lowercased(), details: ["session": sessionID.uuidString.lowercased()]),
                    requestID: requestID, on: connection, logger: logger
                )
                return .reused(userID, sessionID)
            }
            if !used {
                try await connection.query("UPDATE refresh_tokens SET used_at = now() WHERE token_hash = \(tokenHash)", logger: logger)
            }
            // Within the grace window a repeat gets the same successor (derived from this token), and
            // the session keeps one chain: the first use stores it, a repeat finds it stored.
            let next = OpaqueToken.successor(of: refreshToken, sealer: tokens.keys.sealer)
            try await connection.query(
                """
                INSERT INTO refresh_tokens (token_hash, session_id, user_id, expires_at)
                VALUES (\(OpaqueToken.hash(next)), \(sessionID), \(userID), now() + make_interval(secs => \(lifetime)))
                ON CONFLICT (token_hash) DO NOTHING
                """,
                logger: logger
            )
            try await connection.query("UPDATE sessions SET last_used_at = now() WHERE id = \(sessionID)", logger: logger)
            return .rotated(userID, AppRole(rawValue: roleText) ?? .user, sessionID, newRefreshToken: next)
        }
        switch outcome {
        case .invalid:
            throw APIError(.unauthorized, code: "INVALID_REFRESH_TOKEN", message: "세션이 만료되었습니다. 다시 로그인해 주세요.")
        case .reused(let userID, let sessionID):
            tokens.recentChecks.ended(session: sessionID, user: userID)
            securityEvents.count(.refreshTokenReuse)
            logger.warning("refresh token reuse: session family revoked")
            throw APIError(.unauthorized, code: "REFRESH_TOKEN_REUSED", message: "보안을 위해 로그아웃되었습니다. 다시 로그인해 주세요.")
        case .rotated(let userID, let role, let sessionID, let next):
            let access = try await tokens.accessToken(userID: userID, role: role, sessionID: sessionID, logger: logger)
            return IssuedTokens(
                accessToken: access, refreshToken: next, expiresIn: settings.accessLifetimeSeconds,
                refreshExpiresIn: settings.refreshLifetimeSeconds, sessionId: sessionID.uuidString.lowercased()
            )
        }
    }

    // MARK: Sessions

    func createSession(userID: UUID, userAgent: String?, address: String, connection: DatabaseConnection, logger: Logger) async throws
        -> UUID
    {
        let sessionID = UUID()
        let userAgent = userAgent.map { $0.prefix(storedLength: 300) }
        try await connection.query(
            """
            INSERT INTO sessions (id, user_id, expires_at, user_agent, ip_address)
            VALUES (\(sessionID), \(userID), now() + make_interval(secs => \(settings.refreshLifetimeSeconds)), \(userAgent), \(address.prefix(storedLength: 64)))
            """,
            logger: logger
        )
        return sessionID
    }

    /// Access and refresh tokens for a new session (the refresh token is stored only as its hash).
    func issue(userID: UUID, role: AppRole, sessionID: UUID, logger: Logger) async throws -> IssuedTokens {
        let refreshToken = OpaqueToken.generate()
        let lifetime = settings.refreshLifetimeSeconds
        try await database.transaction(as: .system, logger: logger) { connection in
            try await connection.query(
                """
                INSERT INTO refresh_tokens (token_hash, session_id, user_id, expires_at)
                VALUES (\(OpaqueToken.hash(refreshToken)), \(sessionID), \(userID), now() + make_interval(secs => \(lifetime)))
                """,
                logger: logger
            )
        }
        let access = try await tokens.accessToken(userID: userID, role: role, sessionID: sessionID, logger: logger)
        return IssuedTokens(
            accessToken: access, refreshToken: refreshToken, expiresIn: settings.accessLifetimeSeconds,
            refreshExpiresIn: lifetime, sessionId: sessionID.uuidString.lowercased()
        )
    }

    struct SessionSummary: Codable, Sendable {
        var id: String
        var createdAt: String
        var lastUsedAt: String
        var userAgent: String?
        var ipAddress: String?
        var current: Bool
    }

    func sessions(userID: UUID, currentSession: UUID?, logger: Logger) async throws -> [SessionSummary] {
        var sessions: [SessionSummary] = []
        for row in try await database.read(
            as: .user(userID),
            """
            SELECT id, created_at, last_used_at, user_agent, ip_address FROM sessions
            WHERE revoked_at IS NULL AND expires_at > now() ORDER BY last_used_at DESC
            """,
            logger: logger
        ) {
            let (id, created, lastUsed, userAgent, address) = try row.decode((UUID, Date, Date, String?, String?).self)
            sessions.append(SessionSummary(
                id: id.uuidString.lowercased(), createdAt: created.formatted(.iso8601), lastUsedAt: lastUsed.formatted(.iso8601),
                userAgent: userAgent, ipAddress: address, current: id == currentSession
            ))
        }
        return sessions
    }

    /// Ends sessions of the signed-in person: one (`only`), all but one (`except`), or all.
    @discardableResult
    func endSessions(userID: UUID, only: UUID? = nil, except: UUID? = nil, reason: String, requestID: String?, logger: Logger) async throws -> Int {
        // This instance forgets them before it answers, not only when PostgreSQL's announcement
        // arrives (the next request of the same client may come first).
        defer { tokens.recentChecks.ended(session: only, user: userID) }
        return try await database.transaction(as: .user(userID), logger: logger) { connection in
            var ended = 0
            for try await _ in try await connection.query(
                """
                UPDATE sessions SET revoked_at = now(), revoked_reason = \(reason)
                WHERE revoked_at IS NULL AND (\(only)::uuid IS NULL OR id = \(only)) AND (\(except)::uuid IS NULL OR id <> \(except))
                RETURNING id
                """,
                logger: logger
            ) {
                ended += 1
            }
            // Each ended session tells every instance itself (a trigger on sessions), so its chat sockets close.
            if only == nil {
                // Everywhere at once: tokens without a session (the earlier system's) issued before now end too.
                try await connection.query("UPDATE accounts SET tokens_not_before = now() WHERE id = \(userID)", logger: logger)
            }
            try await AuditLog.record(
                AuditEntry(action: "auth.\(reason)", actorID: userID, actorRole: .user, targetType: "account",
                           targetID: userID.uuidString.lowercased(), details: ["sessionsEnded": "\(ended)"]),
                requestID: requestID, on: connection, logger: logger
            )
            return ended
        }
    }

    // MARK: Passwords

    /// Returns how many other sessions were ended.
    func changePassword(
        userID: UUID, sessionID: UUID?, current: String, new: String, address: String, requestID: String?, logger: Logger
    ) async throws -> Int {
        guard try await verifyPassword(userID: userID, password: current, address: address, requestID: requestID, logger: logger) else {
            throw APIError(.badRequest, code: "WRONG_PASSWORD", message: "현재 비밀번호가 올바르지 않습니다.")
        }
        let newHash = try await hasher.hash(new)
        try await database.transaction(as: .user(userID), logger: logger) { connection in
            try await connection.query(
                "UPDATE accounts SET password_hash = \(newHash), updated_at = now() WHERE id = \(userID)", logger: logger
            )
            try await AuditLog.record(
                AuditEntry(action: "account.password_changed", actorID: userID, actorRole: .user, targetType: "account",
                           targetID: userID.uuidString.lowercased()),
                requestID: requestID, on: connection, logger: logger
            )
        }
        return try await endSessions(userID: userID, except: sessionID, reason: "password_change", requestID: requestID, logger: logger)
    }

    /// Checks the signed-in person's password (to change it, or to delete the account). A stolen
    /// session must not make this a way to guess it: failures count with failed logins for the same
    /// account and address, and past the login limit the check is refused (429 `TOO_MANY_ATTEMPTS`).
    func verifyPassword(userID: UUID, password: String, address: String, requestID: String?, logger: Logger) async throws -> Bool {
        let found = try await database.transaction(as: .user(userID), logger: logger) { connection -> (String?, String)? in
            for try await row in try await connection.query(
                "SELECT a.password_hash, p.email FROM accounts a JOIN private_profiles p ON p.user_id = a.id WHERE a.id = \(userID)",
                logger: logger
            ).decode((String?, String).self) {
                return row
            }
            return nil
        }
        guard let (hash, email) = found, let hash else { return false }
        let emailHash = Data(SHA256.hash(data: Data(email.lowercased().utf8)))
        // Reserved before the hash is checked, as a login attempt is (see `LoginThrottle.reserve`).
        if case .refuse(let retryAfter, _) = try await throttle.reserve(emailHash: emailHash, address: address, logger: logger) {
            securityEvents.count(.loginThrottled)
            throw RateLimitedError(
                retryAfterSeconds: retryAfter, code: "TOO_MANY_ATTEMPTS",
                message: "비밀번호 확인 시도가 너무 많습니다. \(max(1, (retryAfter + 59) / 60))분 후에 다시 시도해 주세요."
            )
        }
        guard try await hasher.verify(password, against: hash) else {
            try await recordFailure(emailHash: emailHash, userID: userID, address: address, requestID: requestID, logger: logger)
            return false
        }
        try await throttle.clear(emailHash: emailHash, address: address, logger: logger)
        return true
    }

    // MARK: WebSocket tickets

    /// A single-use, 60-second ticket to open the chat socket (never a long-lived token in a URL).
    func webSocketTicket(userID: UUID, sessionID: UUID, logger: Logger) async throws -> String {
        let ticket = OpaqueToken.generate()
        try await database.transaction(as: .user(userID), logger: logger) { connection in
            try await connection.query(
                """
                INSERT INTO websocket_tickets (ticket_hash, user_id, session_id, expires_at)
                VALUES (\(OpaqueToken.hash(ticket)), \(userID), \(sessionID), now() + interval '60 seconds')
                """,
                logger: logger
            )
        }
        return ticket
    }

    /// Whom a ticket was issued to, and in which session: the socket it opens lives only as long as that session.
    struct TicketHolder: Equatable, Sendable {
        var userID: UUID
        var sessionID: UUID
    }

    /// Whose ticket this is, without spending it: nil when it is unknown, expired, used or its session ended.
    func webSocketTicketOwner(_ ticket: String, logger: Logger) async throws -> TicketHolder? {
        try await database.transaction(as: .system, logger: logger) { connection in
            for try await (userID, sessionID) in try await connection.query(
                """
                SELECT t.user_id, t.session_id FROM websocket_tickets t JOIN sessions s ON s.id = t.session_id
                WHERE t.ticket_hash = \(OpaqueToken.hash(ticket)) AND t.used_at IS NULL AND t.expires_at > now() AND s.revoked_at IS NULL
                  AND s.expires_at > now()
                """,
                logger: logger
            ).decode((UUID, UUID).self) {
                return TicketHolder(userID: userID, sessionID: sessionID)
            }
            return nil
        }
    }

    /// Spends a ticket: the person it was issued to, or nil when it is unknown, expired, used or its session ended.
    func redeemWebSocketTicket(_ ticket: String, logger: Logger) async throws -> TicketHolder? {
        try await database.transaction(as: .system, logger: logger) { connection in
            for try await (userID, sessionID) in try await connection.query(
                """
                UPDATE websocket_tickets t SET used_at = now()
                FROM sessions s
                WHERE t.ticket_hash = \(OpaqueToken.hash(ticket)) AND t.used_at IS NULL AND t.expires_at > now()
                  AND s.id = t.session_id AND s.revoked_at IS NULL AND s.expires_at > now()
                RETURNING t.user_id, t.session_id
                """,
                logger: logger
            ).decode((UUID, UUID).self) {
                return TicketHolder(userID: userID, sessionID: sessionID)
            }
            return nil
        }
    }
}
