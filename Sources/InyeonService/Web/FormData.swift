import Foundation
import Hummingbird

/// A submitted HTML form (application/x-www-form-urlencoded), read as plain fields.
struct FormData: Sendable {
    private let fields: [String: String]

    static let limit = 64 * 1024

    init(_ request: Request) async throws {
        let body = try await request.body.collect(upTo: Self.limit)
        var fields: [String: String] = [:]
        for pair in String(buffer: body).split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            guard let name = Self.decode(parts[0]) else { continue }
            let value = parts.count > 1 ? Self.decode(parts[1]) ?? "" : ""
            // PostgreSQL's text cannot hold NUL, and no field of a form has a use for it: a plain 400 here
            // for every form, not a database error (500) in whichever handler stores it.
            guard !name.unicodeScalars.contains("\u{0}"), !value.unicodeScalars.contains("\u{0}") else { throw Self.invalidCharacter }
            fields[name] = value
        }
        self.fields = fields
    }

    static let invalidCharacter = APIError.badRequest("INVALID_FORM", "입력한 내용에 쓸 수 없는 문자가 들어 있습니다. 다시 적어 주세요.")

    subscript(_ name: String) -> String? { fields[name] }

    func checked(_ name: String) -> Bool { fields[name] == "1" || fields[name] == "on" }

    private static func decode(_ text: Substring) -> String? {
        text.replacingOccurrences(of: "+", with: " ").removingPercentEncoding
    }
}
