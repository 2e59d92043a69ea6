import Foundation
import Hummingbird

/// An error answered in the earlier system's envelope:
/// `{"success": false, "error": "<Korean message>", "code": "USER_NOT_FOUND"}`.
public struct APIError: HTTPResponseError, Sendable {
    public var status: HTTPResponse.Status
    public var code: String
    public var message: String
    /// Only for unknown paths: what exists instead.
    public var availableEndpoints: [String]?
    /// Only for rejected forms: a plain-words problem per field, to show next to it.
    public var fields: [String: String]?

    public init(
        _ status: HTTPResponse.Status, code: String, message: String, availableEndpoints: [String]? = nil, fields: [String: String]? = nil
    ) {
        self.status = status
        self.code = code
        self.message = message
        self.availableEndpoints = availableEndpoints
        self.fields = fields
    }

    struct Body: Encodable {
        let success = false
        var error: String
        var code: String
        var availableEndpoints: [String]?
        var fields: [String: String]?

        private enum CodingKeys: String, CodingKey {
            case success, error, code, availableEndpoints, fields
        }
    }

    /// The envelope as JSON (also written by handlers below the router, such as `ConnectionGuard`).
    var encodedBody: Data {
        let body = Body(error: message, code: code, availableEndpoints: availableEndpoints, fields: fields)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        // Strings and optionals of strings: encoding cannot fail.
        return (try? encoder.encode(body)) ?? Data()
    }

    public func response(from request: Request, context: some RequestContext) throws -> Response {
        let data = encodedBody
        return Response(
            status: status,
            headers: [.contentType: "application/json; charset=utf-8"],
            body: .init(byteBuffer: ByteBuffer(bytes: data))
        )
    }
}

extension APIError {
    static func badRequest(_ code: String, _ message: String) -> APIError {
        APIError(.badRequest, code: code, message: message)
    }

    static let databaseUnavailable = APIError(
        .serviceUnavailable, code: "DATABASE_UNAVAILABLE", message: "데이터베이스에 일시적으로 연결할 수 없습니다. 잠시 후 다시 시도해 주세요."
    )
    static let internalError = APIError(
        .internalServerError, code: "INTERNAL_ERROR", message: "서버에서 예기치 못한 오류가 발생했습니다. 잠시 후 다시 시도해 주세요."
    )
}
