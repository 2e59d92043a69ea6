import Crypto
import Foundation
import Hummingbird
import InyeonCore
import Logging
import PostgresNIO

/// A way back into one's account: a six-digit code and a link by e-mail, valid 15 minutes, single
/// use, five tries per code; requests limited per client address and per e-mail address; the same
/// answer, after the same work, whether or not the address is registered. A reset ends every
/// session, sends a "your password was changed" mail, is audited, and signs the person in.
extension AccountService {
    static let resetLifetimeSeconds = 15 * 60


    static let invalidResetCode = APIError(
        .badRequest, code: "INVALID_RESET_CODE",
        message: "코드가 맞지 않거나 유효 시간(15분)이 지났습니다. 메일의 6자리 숫자를 확인하시거나 새 코드를 받아 주세요."
    )

    func requestPasswordReset(email: String, address: String, requestID: String?, logger: Logger) async throws {
        try await SharedRateLimit(database: database).take([
            .init(bucket: "reset_address", subject: address, limit: limits.passwordResetsPerAddressPerHour, windowSeconds: 3600),
            .init(bucket: "reset_email", subject: email.lowercased(), limit: limits.passwordResetsPerEmailPerHour, windowSeconds: 3600),
        ], logger: logger)
        let (token, code) = (OpaqueToken.generate(), OneTimeCode.generate())
        let publicBaseURL = self.publicBaseURL
        try await database.transaction(as: .system, logger: logger) { connection in
            var account: (UUID, String)?
            for try await row in try await connection.query(
                "SELECT a.id, p.email FROM accounts a JOIN private_profiles p ON p.user_id = a.id WHERE lower(p.email) = lower(\(email))",
                logger: logger
            ).decode((UUID, String).self) {
                account = row
            }
            // Either way one row is written and one mail is queued, so both answers take the same time.
            if let (userID, storedEmail) = account {
                // One reset works at a time: a new one spends the earlier ones, so five tries bound the guesses.
                try await connection.query(
                    "UPDATE password_resets SET used_at = now() WHERE user_id = \(userID) AND used_at IS NULL", logger: logger
                )
                try await connection.query(
                    """
                    INSERT INTO password_resets (user_id, token_hash, code_hash, expires_at)
                    VALUES (\(userID), \(OpaqueToken.hash(token)), \(OneTimeCode.hash(code, for: userID.uuidString, sealer: sealer)),
                            now() + make_interval(secs => \(Self.resetLifetimeSeconds)))
                    """,
                    logger: logger
                )
                try await outbox.enqueue(Mail(
                    kind: "password-reset", to: storedEmail, subject: "[인연] 비밀번호 재설정 코드 \(code)",
                    text: """
                        비밀번호를 새로 정하실 수 있도록 확인 코드를 보내 드립니다.
                        '비밀번호 찾기' 화면에 아래 6자리 코드를 입력해 주세요. 15분 동안 한 번 쓸 수 있습니다.

                        재설정 코드: \(code)

                        아래 링크를 눌러 새 비밀번호를 정하셔도 됩니다.
                        \(publicBaseURL)/password-reset?token=\(token)

                        본인이 요청하지 않으셨다면 이 메일은 무시하셔도 됩니다. 비밀번호는 바뀌지 않습니다.
                        """
                ), on: connection, logger: logger)
            } else {
                try await outbox.enqueue(Mail(
                    kind: "password-reset-unknown", to: email, subject: "[인연] 비밀번호 찾기 안내",
                    text: """
                        이 주소로 비밀번호 찾기를 요청하셨지만, 이 주소로 가입된 계정이 없습니다.
                        다른 주소로 가입하셨을 수 있습니다. 새로 가입하시려면 아래 링크를 눌러 주세요.
                        \(publicBaseURL)/signup

                        본인이 요청하지 않으셨다면 이 메일은 무시하셔도 됩니다.
                        """
                ), on: connection, logger: logger)
            }
            try await AuditLog.record(
                AuditEntry(action: "account.password_reset_requested", actorID: nil, actorRole: .system,
                           targetType: account == nil ? nil : "account", targetID: account?.0.uuidString.lowercased(), details: ["address": address]),
                requestID: requestID, on: connection, logger: logger
            )
        }
    }

    private enum ResetOutcome: Sendable {
        case reset(UUID, AppRole, String, UUID)
        case suspended(UUID)
        case invalid
    }

    /// Sets the new password if the proof holds, ends every session, and signs the person in.
    func confirmPasswordReset(
        _ proof: MailedProof, newPassword: String, userAgent: String?, address: String, requestID: String?, logger: Logger
    ) async throws -> (UUID, IssuedTokens) {
        try await takeCodeCheckAllowance(address: address, logger: logger)
        let newHash = try await hasher.hash(newPassword)
        let outcome = try await database.transaction(as: .system, logger: logger) { connection -> ResetOutcome in
            typealias Row = (id: UUID, userID: UUID, codeHash: Data, attempts: Int, live: Bool)
            var rows: [Row] = []
            let query: PostgresQuery
            switch proof {
            case .link(let token):
                query = try """
                    SELECT r.id, r.user_id, r.code_hash, r.attempts, (r.expires_at > now() AND r.used_at IS NULL)
                    FROM password_resets r WHERE r.token_hash = \(OpaqueToken.hash(token)) FOR UPDATE
                    """
            case .code(let email, _):
                query = """
                    SELECT r.id, r.user_id, r.code_hash, r.attempts, (r.expires_at > now() AND r.used_at IS NULL)
                    FROM password_resets r JOIN private_profiles p ON p.user_id = r.user_id
                    WHERE lower(p.email) = lower(\(email)) AND r.created_at > now() - interval '1 day'
                    ORDER BY r.created_at DESC FOR UPDATE OF r
                    """
            }
            for try await row in try await connection.query(query, logger: logger).decode((UUID, UUID, Data, Int, Bool).self) {
                rows.append(Row(id: row.0, userID: row.1, codeHash: row.2, attempts: row.3, live: row.4))
            }
            let found: Row?
            switch proof {
            case .link:
                found = rows.first.flatMap { $0.live ? $0 : nil }
            case .code(_, let code):
                // Only the newest reset can be live (a new one spends the others); a wrong code counts against it.
                guard let current = rows.first(where: \.live) else { return .invalid }
                if current.attempts < OneTimeCode.tries,
                   OneTimeCode.matches(current.codeHash, OneTimeCode.hash(code, for: current.userID.uuidString, sealer: sealer)) {
                    found = current
                } else {
                    try await connection.query("UPDATE password_resets SET attempts = attempts + 1 WHERE id = \(current.id)", logger: logger)
                    return .invalid
                }
            }
            guard let found else { return .invalid }
            var account: (String, String, String)?
            for try await row in try await connection.query(
                """
                UPDATE accounts a SET password_hash = \(newHash), updated_at = now(), tokens_not_before = now()
                FROM private_profiles p WHERE a.id = \(found.userID) AND p.user_id = a.id
                RETURNING a.role, a.status, p.email
                """,
                logger: logger
            ).decode((String, String, String).self) {
                account = row
            }
            guard let (roleText, status, email) = account else { return .invalid }
            // This code and every other reset of the account are spent.
            try await connection.query(
                "UPDATE password_resets SET used_at = now() WHERE user_id = \(found.userID) AND used_at IS NULL", logger: logger
            )
            // Every session ends (each tells every instance, so chat sockets close too).
            try await connection.query(
                "UPDATE sessions SET revoked_at = now(), revoked_reason = 'password_reset' WHERE user_id = \(found.userID) AND revoked_at IS NULL",
                logger: logger
            )
            try await outbox.enqueue(Mail(
                kind: "password-changed", to: email, subject: "[인연] 비밀번호가 바뀌었습니다",
                text: """
                    방금 인연 계정의 비밀번호가 새로 정해졌고, 모든 기기에서 로그아웃되었습니다.

                    본인이 바꾸셨다면 따로 하실 일은 없습니다.
                    본인이 바꾸지 않으셨다면 곧바로 '비밀번호 찾기'로 비밀번호를 다시 정해 주세요.
                    \(publicBaseURL)/password-reset
                    """
            ), on: connection, logger: logger)
            try await AuditLog.record(
                AuditEntry(action: "account.password_reset", actorID: found.userID, actorRole: .user, targetType: "account",
                           targetID: found.userID.uuidString.lowercased(), details: ["via": "\(proof.kind)", "address": address]),
                requestID: requestID, on: connection, logger: logger
            )
            guard status == "active" else { return .suspended(found.userID) }
            let role = AppRole(rawValue: roleText) ?? .user
            let sessionID = try await createSession(userID: found.userID, userAgent: userAgent, address: address, connection: connection, logger: logger)
            return .reset(found.userID, role, email, sessionID)
        }
        switch outcome {
        case .invalid:
            throw Self.invalidResetCode
        case .suspended(let userID):
            tokens.recentChecks.ended(session: nil, user: userID)
            throw APIError(.forbidden, code: "ACCOUNT_SUSPENDED", message: "비밀번호는 바뀌었지만 이용이 정지된 계정이라 로그인할 수 없습니다.")
        case .reset(let userID, let role, let email, let sessionID):
            // Every earlier session ended: forgotten here at once (the others hear PostgreSQL).
            tokens.recentChecks.ended(session: nil, user: userID)
            // Failed logins that were counted against this address are forgiven.
            try await throttle.clear(emailHash: Data(SHA256.hash(data: Data(email.lowercased().utf8))), address: address, logger: logger)
            return (userID, try await issue(userID: userID, role: role, sessionID: sessionID, logger: logger))
        }
    }
}
