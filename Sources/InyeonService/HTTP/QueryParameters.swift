import Foundation
import Hummingbird

extension Request {
    /// An optional whole-number query parameter within `range`; a clear 400 otherwise.
    func integerParameter(_ name: String, default defaultValue: Int, range: ClosedRange<Int>) throws -> Int {
        guard let text = uri.queryParameters.get(name) else { return defaultValue }
        guard let value = Int(text), range.contains(value) else {
            throw APIError.badRequest(
                "INVALID_PARAMETER", "'\(name)' 값이 올바르지 않습니다. \(range.lowerBound)부터 \(range.upperBound) 사이의 정수를 입력해 주세요."
            )
        }
        return value
    }

    /// An optional user id in the query string.
    func userIDParameter(_ name: String) throws -> UUID? {
        guard let text = uri.queryParameters.get(name) else { return nil }
        return try UUID.userID(text, parameter: name)
    }
}

extension UUID {
    /// Parses a user id from a path or query parameter, with the legacy error code when malformed.
    static func userID(_ text: String, parameter: String) throws -> UUID {
        guard let id = UUID(uuidString: text) else {
            throw APIError.badRequest("INVALID_USER_ID", "'\(parameter)' 값이 올바른 사용자 ID(UUID) 형식이 아닙니다.")
        }
        return id
    }
}

extension RequestContext {
    /// A required path parameter as a user id.
    func userIDPathParameter(_ name: String) throws -> UUID {
        try UUID.userID(parameters.get(name) ?? "", parameter: name)
    }
}
