import Foundation

/// The matching interchange format (`shared/eval/FORMAT.md`): people, their observed decisions,
/// and the pairs whose decisions are hidden. Every field of a person may be missing.
public enum InterchangeFormat {
    public struct Person: Sendable, Decodable {
        public var id: String
        public var gender: String?
        public var seeking: [String]?
        public var age: Double?
        public var interests: [String: Double]?
        public var preferences: [String: Double]?
        public var selfRatings: [String: Double]?
        public var attributes: [String: AttributeValue]?
    }

    public enum AttributeValue: Sendable, Decodable, Equatable {
        case text(String)
        case number(Double)

        public init(from decoder: any Decoder) throws {
            let container = try decoder.singleValueContainer()
            if let number = try? container.decode(Double.self) {
                self = .number(number)
            } else {
                self = .text(try container.decode(String.self))
            }
        }
    }

    public struct Interaction: Sendable, Decodable {
        public var from: String
        public var to: String
        public var decision: String
        public var at: Double?
        public var group: String?
    }

    public struct Pair: Sendable, Codable {
        public var a: String
        public var b: String

        public init(a: String, b: String) {
            self.a = a
            self.b = b
        }
    }

    public struct ScoredPair: Sendable, Codable {
        public var a: String
        public var b: String
        public var score: Double
    }

    public struct LineError: Error, CustomStringConvertible {
        public var file: String
        public var line: Int
        public var reason: String
        public var description: String { "\(file):\(line): \(reason)" }
    }

    /// Decodes one JSON value per non-empty line.
    public static func lines<T: Decodable>(_ type: T.Type, from data: Data, file: String) throws -> [T] {
        let decoder = JSONDecoder()
        var result: [T] = []
        var number = 0
        for line in data.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false) {
            number += 1
            guard line.contains(where: { !($0 == 32 || $0 == 9 || $0 == 13) }) else { continue }
            do {
                result.append(try decoder.decode(T.self, from: Data(line)))
            } catch {
                throw LineError(file: file, line: number, reason: "not a valid record (\(error))")
            }
        }
        return result
    }
}
