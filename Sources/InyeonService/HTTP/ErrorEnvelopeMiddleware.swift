import Foundation
import Hummingbird
import Logging
import NIOCore
import NIOHTTP1
import PostgresNIO

/// Turns every error into the JSON envelope with the right status, and logs only what was unexpected.
struct ErrorEnvelopeMiddleware<Context: RequestContext>: RouterMiddleware {
    /// Listed in the 404 answer for an unknown path (read when needed: routes are added after this middleware).
    let availableEndpoints: @Sendable () -> [String]
    /// Told about each write PostgreSQL's policies refused (counted and recorded as a security event).
    var onRowLevelSecurityDenial: @Sendable (Logger) -> Void = { _ in }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let error as RateLimitedError {
            return try error.response(from: request, context: context)
        } catch let error as RecommendationModelStore.NotReady {
            // 503 RECOMMENDATIONS_WARMING_UP with Retry-After, in the envelope (was a 500 here).
            return try error.response(from: request, context: context)
        } catch {
            return try translate(error, context: context).response(from: request, context: context)
        }
    }

    func translate(_ error: any Error, context: Context) -> APIError {
        switch error {
        case let error as APIError:
            return error
        case let error as HTTPError:
            return translate(error)
        case is DecodingError:
            return .badRequest("INVALID_REQUEST_BODY", "요청 본문의 형식이 올바르지 않습니다. JSON 형식과 필드를 확인해 주세요.")
        case is NIOTooManyBytesError:
            // A body past the router's limit (2 MiB; photos have their own, larger one).
            return Self.payloadTooLarge
        case let error as HTTPParserError:
            // The client sent broken HTTP or went away in the middle of its body: its fault, not ours.
            context.logger.debug("request could not be read", metadata: ["error": "\(error)"])
            return .badRequest("MALFORMED_REQUEST", "요청을 읽을 수 없습니다.")
        case let error as DatabaseTimeoutError:
            context.logger.warning("database did not answer in time", metadata: ["phase": "\(error.phase?.rawValue ?? "unknown")"])
            return .databaseUnavailable
        case let error as DatabaseConnectionLostError:
            context.logger.failure("database unavailable", error)
            return .databaseUnavailable
        case let error as PSQLError:
            return translate(error, logger: context.logger)
        case let error as DatabaseServerError:
            return translate(sqlState: error.sqlState, message: error.message, logger: context.logger)
        case let error where FailureCause.isCancellation(error):
            // The work was cancelled (the instance is stopping, or the client went away): not a fault of the request.
            context.logger.debug("request cancelled", metadata: ["error": "\(FailureCause(error))"])
            return .databaseUnavailable
        default:
            context.logger.failure("unexpected error", error, level: .error)
            return .internalError
        }
    }

    func translate(_ error: HTTPError) -> APIError {
        switch error.status {
        case .notFound:
            return APIError(
                .notFound, code: "ENDPOINT_NOT_FOUND", message: "요청한 API 엔드포인트를 찾을 수 없습니다.",
                availableEndpoints: availableEndpoints()
            )
        case .methodNotAllowed:
            return APIError(.methodNotAllowed, code: "METHOD_NOT_ALLOWED", message: "이 경로에서 허용되지 않는 요청 방식입니다.")
        case .contentTooLarge:
            return Self.payloadTooLarge
        case .unsupportedMediaType:
            return APIError(.unsupportedMediaType, code: "UNSUPPORTED_MEDIA_TYPE", message: "지원하지 않는 콘텐츠 형식입니다.")
        case let status where status.code < 500:
            return APIError(status, code: "BAD_REQUEST", message: "잘못된 요청입니다: \(error.body ?? status.reasonPhrase)")
        default:
            return .internalError
        }
    }

    static var payloadTooLarge: APIError { APIError(.contentTooLarge, code: "PAYLOAD_TOO_LARGE", message: "요청 본문이 너무 큽니다.") }

    func translate(_ error: PSQLError, logger: Logger) -> APIError {
        guard error.code == .server, let state = error.serverInfo?[.sqlState] else {
            logger.failure("database unavailable", error)
            return .databaseUnavailable
        }
        return translate(sqlState: state, message: error.serverInfo?[.message] ?? "", logger: logger)
    }

    /// What PostgreSQL's refusal means to the caller, by its SQLSTATE.
    func translate(sqlState state: String, message: String, logger: Logger) -> APIError {
        switch state {
        case "42501":
            onRowLevelSecurityDenial(logger)
            return APIError(.forbidden, code: "FORBIDDEN", message: "이 작업을 할 권한이 없습니다.")
        case "23505":
            return APIError(.conflict, code: "CONFLICT", message: "이미 존재하는 데이터입니다.")
        case "57014":
            return .databaseUnavailable
        case _ where state.hasPrefix("22") || state.hasPrefix("23"):
            return .badRequest("INVALID_DATA", "입력한 값이 허용 범위를 벗어났습니다.")
        case _ where state.hasPrefix("08") || state.hasPrefix("53") || state.hasPrefix("57"):
            return .databaseUnavailable
        default:
            logger.error("database error", metadata: ["sqlState": "\(state)", "message": "\(message)"])
            return .internalError
        }
    }
}
