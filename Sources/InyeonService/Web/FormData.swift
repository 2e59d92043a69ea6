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
            fields[name] = parts.count > 1 ? Self.decode(parts[1]) ?? "" : ""
        }
        self.fields = fields
    }

    subscript(_ name: String) -> String? { fields[name] }

    func checked(_ name: String) -> Bool { fields[name] == "1" || fields[name] == "on" }

    private static func decode(_ text: Substring) -> String? {
        text.replacingOccurrences(of: "+", with: " ").removingPercentEncoding
    }
}
