import Foundation
import Hummingbird
import InyeonCore

/// `/api/auth/*`: sign-up with e-mail confirmation, login, refresh, logout, sessions, password, chat tickets.
struct AccountsController: Sendable {
    let accounts: AccountService

    struct SignupRequest: Decodable, Sendable {
        var email: String
        var password: String
        var name: String
        var consents: Consents

        struct Consents: Decodable, Sendable {
            var terms: Bool
            var privacy: Bool
            var marketing: Bool?
        }
    }

    /// The mail's link (`token`), or its six-digit code with the address it went to.
    struct VerifyRequest: Decodable, Sendable {
        var token: String?
        var email: String?
        var code: String?
    }

    struct EmailRequest: Decodable, Sendable {
        var email: String
    }

    /// The mail's link (`token`), or its six-digit code with the address, and the new password.
    struct ResetRequest: Decodable, Sendable {
        var token: String?
        var email: String?
        var code: String?
        var newPassword: String
    }

    struct LoginRequest: Decodable, Sendable {
        var email: String
        var password: String
    }

    struct RefreshRequest: Decodable, Sendable {
        var refreshToken: String
    }

    struct PasswordChangeRequest: Decodable, Sendable {
        var currentPassword: String
        var newPassword: String
    }

    struct Accepted: Encodable, Sendable {
        var email: String
    }

    struct SignedIn: Encodable, Sendable {
        var userId: String
        var tokens: IssuedTokens
    }

    struct Ended: Encodable, Sendable {
        var sessionsEnded: Int
    }

    struct Ticket: Encodable, Sendable {
        var ticket: String
        var expiresIn: Int
    }

    struct Sessions: Encodable, Sendable {
        var sessions: [AccountService.SessionSummary]
    }

    func addRoutes(to routes: RouteTable<AppRequestContext>) {
        routes.post("/api/auth/signup", use: signup)
        routes.post("/api/auth/verify-email", use: verifyEmail)
        routes.post("/api/auth/verify-email/resend", use: resendCode)
        routes.post("/api/auth/password-reset", use: requestPasswordReset)
        routes.post("/api/auth/password-reset/confirm", use: confirmPasswordReset)
        routes.post("/api/auth/login", use: login)
        routes.post("/api/auth/refresh", use: refresh)
        routes.post("/api/auth/logout", use: logout)
        routes.post("/api/auth/logout-all", use: logoutAll)
        routes.get("/api/auth/sessions", use: sessions)
        routes.delete("/api/auth/sessions/:sessionId", use: endSession)
        routes.post("/api/auth/password", use: changePassword)
        routes.post("/api/auth/websocket-ticket", use: webSocketTicket)
    }

    @Sendable func signup(request: Request, context: AppRequestContext) async throws -> EditedResponse<APIResponse<Accepted>> {
        let body = try await request.decode(as: SignupRequest.self, context: context)
        let email = try Self.validEmail(body.email)
        let name = body.name.trimmingCharacters(in: .whitespacesAndNewlines)
        guard (1...40).contains(name.storedLength) else {
            throw APIError.badRequest("INVALID_NAME", "이름은 1자 이상 40자 이하로 입력해 주세요.")
        }
        if let problem = PasswordPolicy.problem(with: body.password, email: email) {
            throw APIError.badRequest("WEAK_PASSWORD", problem.message)
        }
        guard body.consents.terms, body.consents.privacy else {
            throw APIError.badRequest("CONSENT_REQUIRED", "서비스 이용약관과 개인정보 처리방침에 동의해 주셔야 가입할 수 있습니다.")
        }
        try await accounts.requestSignup(
            email: email, password: body.password, name: name, marketing: body.consents.marketing ?? false,
            address: context.remoteAddress, requestID: context.id, logger: context.logger
        )
        return EditedResponse(
            status: .accepted,
            response: APIResponse(Accepted(email: email), message: "확인 메일을 보냈습니다. 메일의 링크를 눌러 가입을 마쳐 주세요.")
        )
    }

    @Sendable func verifyEmail(request: Request, context: AppRequestContext) async throws -> EditedResponse<APIResponse<SignedIn>> {
        let body = try await request.decode(as: VerifyRequest.self, context: context)
        let proof = try Self.mailedProof(
            token: body.token, email: body.email, code: body.code,
            invalid: APIError.badRequest("INVALID_VERIFICATION_TOKEN", "확인 링크가 올바르지 않습니다."), wrongCode: AccountService.invalidCode
        )
        let (userID, tokens) = try await accounts.confirmSignup(
            proof, userAgent: request.headers[.userAgent], address: context.remoteAddress, requestID: context.id, logger: context.logger
        )
        return EditedResponse(
            status: .created,
            response: APIResponse(SignedIn(userId: userID.uuidString.lowercased(), tokens: tokens), message: "가입이 완료되었습니다. 환영합니다!")
        )
    }

    /// "Send it again": the same answer whether or not a sign-up is waiting for the address.
    @Sendable func resendCode(request: Request, context: AppRequestContext) async throws -> EditedResponse<APIResponse<Accepted>> {
        let email = try Self.validEmail(try await request.decode(as: EmailRequest.self, context: context).email)
        try await accounts.resendSignupCode(email: email, address: context.remoteAddress, requestID: context.id, logger: context.logger)
        return EditedResponse(
            status: .accepted,
            response: APIResponse(Accepted(email: email), message: "새 확인 코드를 보냈습니다. 메일이 보이지 않으면 스팸함도 확인해 주세요.")
        )
    }

    /// The same answer, after the same work, whether or not the address is registered.
    @Sendable func requestPasswordReset(request: Request, context: AppRequestContext) async throws -> EditedResponse<APIResponse<Accepted>> {
        let email = try Self.validEmail(try await request.decode(as: EmailRequest.self, context: context).email)
        try await accounts.requestPasswordReset(email: email, address: context.remoteAddress, requestID: context.id, logger: context.logger)
        return EditedResponse(
            status: .accepted,
            response: APIResponse(Accepted(email: email), message: "비밀번호 재설정 안내를 메일로 보냈습니다. 메일의 6자리 코드를 입력해 주세요.")
        )
    }

    @Sendable func confirmPasswordReset(request: Request, context: AppRequestContext) async throws -> APIResponse<SignedIn> {
        let body = try await request.decode(as: ResetRequest.self, context: context)
        let proof = try Self.mailedProof(
            token: body.token, email: body.email, code: body.code, invalid: AccountService.invalidResetCode, wrongCode: AccountService.invalidResetCode
        )
        if let problem = PasswordPolicy.problem(with: body.newPassword, email: body.email) {
            throw APIError.badRequest("WEAK_PASSWORD", problem.message)
        }
        let (userID, tokens) = try await accounts.confirmPasswordReset(
            proof, newPassword: body.newPassword, userAgent: request.headers[.userAgent], address: context.remoteAddress, requestID: context.id,
            logger: context.logger
        )
        return APIResponse(
            SignedIn(userId: userID.uuidString.lowercased(), tokens: tokens),
            message: "새 비밀번호로 바꾸고 로그인했습니다. 다른 기기에서는 모두 로그아웃되었습니다."
        )
    }

    @Sendable func login(request: Request, context: AppRequestContext) async throws -> APIResponse<IssuedTokens> {
        let body = try await request.decode(as: LoginRequest.self, context: context)
        guard body.password.count <= PasswordPolicy.maximumLength, body.email.storedLength <= 254 else { throw AccountService.invalidCredentials }
        let tokens = try await accounts.login(
            email: body.email.trimmingCharacters(in: .whitespaces), password: body.password, userAgent: request.headers[.userAgent],
            address: context.remoteAddress, requestID: context.id, logger: context.logger
        )
        return APIResponse(tokens, message: "로그인되었습니다.")
    }

    @Sendable func refresh(request: Request, context: AppRequestContext) async throws -> APIResponse<IssuedTokens> {
        let body = try await request.decode(as: RefreshRequest.self, context: context)
        let tokens = try await accounts.refresh(body.refreshToken, requestID: context.id, logger: context.logger)
        return APIResponse(tokens, message: "토큰이 갱신되었습니다.")
    }

    @Sendable func logout(request: Request, context: AppRequestContext) async throws -> APIResponse<Ended> {
        let (userID, sessionID) = try context.requireSignedIn()
        guard let sessionID else { throw APIError.badRequest("NO_SESSION", "이 토큰에는 세션이 없습니다.") }
        let ended = try await accounts.endSessions(userID: userID, only: sessionID, reason: "logout", requestID: context.id, logger: context.logger)
        return APIResponse(Ended(sessionsEnded: ended), message: "로그아웃되었습니다.")
    }

    @Sendable func logoutAll(request: Request, context: AppRequestContext) async throws -> APIResponse<Ended> {
        let (userID, _) = try context.requireSignedIn()
        let ended = try await accounts.endSessions(userID: userID, reason: "logout_all", requestID: context.id, logger: context.logger)
        return APIResponse(Ended(sessionsEnded: ended), message: "모든 기기에서 로그아웃되었습니다.")
    }

    @Sendable func sessions(request: Request, context: AppRequestContext) async throws -> APIResponse<Sessions> {
        let (userID, sessionID) = try context.requireSignedIn()
        let sessions = try await accounts.sessions(userID: userID, currentSession: sessionID, logger: context.logger)
        return APIResponse(Sessions(sessions: sessions), message: "로그인된 기기 목록입니다.")
    }

    @Sendable func endSession(request: Request, context: AppRequestContext) async throws -> APIResponse<Ended> {
        let (userID, _) = try context.requireSignedIn()
        guard let target = context.parameters.get("sessionId").flatMap(UUID.init(uuidString:)) else {
            throw APIError.badRequest("INVALID_SESSION_ID", "세션 ID 형식이 올바르지 않습니다.")
        }
        let ended = try await accounts.endSessions(userID: userID, only: target, reason: "session_ended", requestID: context.id, logger: context.logger)
        guard ended > 0 else { throw APIError(.notFound, code: "SESSION_NOT_FOUND", message: "해당 세션을 찾을 수 없습니다.") }
        return APIResponse(Ended(sessionsEnded: ended), message: "선택한 기기에서 로그아웃되었습니다.")
    }

    @Sendable func changePassword(request: Request, context: AppRequestContext) async throws -> APIResponse<Ended> {
        let (userID, sessionID) = try context.requireSignedIn()
        let body = try await request.decode(as: PasswordChangeRequest.self, context: context)
        if let problem = PasswordPolicy.problem(with: body.newPassword) {
            throw APIError.badRequest("WEAK_PASSWORD", problem.message)
        }
        let ended = try await accounts.changePassword(
            userID: userID, sessionID: sessionID, current: body.currentPassword, new: body.newPassword, address: context.remoteAddress,
            requestID: context.id,
            logger: context.logger
        )
        return APIResponse(Ended(sessionsEnded: ended), message: "비밀번호가 변경되었습니다. 다른 기기에서는 로그아웃되었습니다.")
    }

    @Sendable func webSocketTicket(request: Request, context: AppRequestContext) async throws -> APIResponse<Ticket> {
        let (userID, sessionID) = try context.requireSignedIn()
        guard let sessionID else { throw APIError.badRequest("NO_SESSION", "이 토큰에는 세션이 없습니다.") }
        let ticket = try await accounts.webSocketTicket(userID: userID, sessionID: sessionID, logger: context.logger)
        return APIResponse(Ticket(ticket: ticket, expiresIn: 60), message: "채팅 연결용 1회용 티켓입니다.")
    }

    /// The mail's link (`token`) or its code with the address (`email`, `code`), exactly one of them.
    static func mailedProof(token: String?, email: String?, code typed: String?, invalid: APIError, wrongCode: APIError) throws
        -> AccountService.MailedProof
    {
        if let token, typed == nil {
            guard (1...200).contains(token.count) else { throw invalid }
            return .link(token: token)
        }
        if let email, let typed, token == nil {
            guard let code = OneTimeCode.normalised(typed) else { throw wrongCode }
            return .code(email: try validEmail(email), code: code)
        }
        throw APIError.badRequest("INVALID_REQUEST", "메일의 링크(token) 또는 이메일 주소와 6자리 코드(email, code)를 보내 주세요.")
    }

    static func validEmail(_ text: String) throws -> String {
        let email = text.trimmingCharacters(in: .whitespacesAndNewlines)
        let parts = email.split(separator: "@", omittingEmptySubsequences: false)
        // What a mail can be sent to: no spaces, control characters or the characters that end an address in a header.
        guard email.storedLength <= 254, parts.count == 2, !parts[0].isEmpty, parts[1].contains("."), !parts[1].hasPrefix("."),
            !parts[1].hasSuffix("."), !email.contains(where: \.isWhitespace), MailAddress.isPlausible(email),
            !email.unicodeScalars.contains(where: { $0.properties.generalCategory == .control })
        else {
            throw APIError.badRequest("INVALID_EMAIL", "이메일 주소 형식이 올바르지 않습니다.")
        }
        return email
    }
}
