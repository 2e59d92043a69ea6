import Foundation
import Hummingbird
import InyeonCore
import Logging

/// Turns a bearer token into the request's identity, which every database transaction then carries.
///
/// New access tokens always count. The earlier system's HS256 tokens count only while enhanced auth
/// is off for that person (phase 1, or outside a percentage rollout). A presented token that fails is
/// always a 401: it is never silently treated as anonymous.
struct AuthenticationMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext

    let tokens: TokenService
    /// Whether enhanced auth is on for this person (sticky percentage, role and person rules included).
    let enhancedAuthFor: @Sendable (UUID) -> Bool
    let securityEvents: SecurityEventCounter
    let invalidTokens: AbuseLimiter
    let database: Database

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var context = context
        guard let authorization = request.headers[.authorization] else {
            return try await next(request, context)
        }
        if let retryAfter = invalidTokens.retryAfter(for: context.remoteAddress) {
            throw RateLimitedError(retryAfterSeconds: retryAfter)
        }
        guard authorization.lowercased().hasPrefix("bearer "), case let token = String(authorization.dropFirst(7)), !token.isEmpty else {
            throw invalid("malformed Authorization header", context: context)
        }
        let caller: AuthenticatedCaller
        do {
            caller = try await tokens.verify(token, accepting: ["access", "service"], logger: context.logger)
        } catch let rejection as TokenRejection {
            caller = try await legacyCaller(token, after: rejection, context: context)
        }
        context.caller = caller
        context.identity = caller.identity
        return try await next(request, context)
    }

    private func legacyCaller(_ token: String, after rejection: TokenRejection, context: Context) async throws -> AuthenticatedCaller {
        let legacy: AuthenticatedCaller
        do {
            legacy = try await tokens.verifyLegacy(token, logger: context.logger)
        } catch let legacyRejection as TokenRejection {
            // A token of the new kind is reported by why it failed as one; an HS256 one, by why it failed as that.
            let reason = (try? TokenService.header(of: token)["alg"] as? String) == "HS256" ? legacyRejection.reason : rejection.reason
            throw invalid(reason, context: context)
        }
        guard let userID = legacy.userID, !enhancedAuthFor(userID) else {
            throw invalid("legacy token while enhanced auth is on", context: context)
        }
        return legacy
    }

    private func invalid(_ reason: String, context: Context) -> APIError {
        securityEvents.count(.invalidToken)
        context.logger.notice("invalid bearer token", metadata: ["reason": "\(reason)", "address": "\(context.remoteAddress)"])
        if invalidTokens.recordFailure(from: context.remoteAddress) {
            let (database, logger, address, requestID) = (database, context.logger, context.remoteAddress, context.id)
            Task {
                await AuditLog.securityEvent(
                    "invalid_token_flood", details: ["address": address], requestID: requestID, database: database, logger: logger
                )
            }
        }
        return APIError(.unauthorized, code: "INVALID_TOKEN", message: "유효하지 않은 인증 토큰입니다. 다시 로그인해 주세요.")
    }
}
