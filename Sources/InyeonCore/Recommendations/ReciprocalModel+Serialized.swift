import Foundation

/// A trained model as bytes, so that one instance can train it and every instance can load it
/// (the service keeps them in PostgreSQL). Little-endian, versioned by its first bytes:
///
/// `"RM1"`, intercept, training rounds, the feature weights, then each per-person table
/// (selectivity, appeal) as a count and, sorted by id for the same bytes from the same model,
/// each id's UTF-8 length, its bytes and its term.
extension ReciprocalModel {
    public struct Malformed: Error, CustomStringConvertible {
        public var reason: String
        public var description: String { "not a stored recommendation model: \(reason)" }
    }

    static let serializationMagic: [UInt8] = Array("RM1".utf8)

    public func serialized() -> [UInt8] {
        var out = Self.serializationMagic
        out.reserveCapacity(64 + (selectivity.count + appeal.count) * 48)
        Self.append(intercept.bitPattern, to: &out)
        Self.append(UInt32(clamping: trainingRounds), to: &out)
        Self.append(UInt32(featureWeights.count), to: &out)
        for weight in featureWeights { Self.append(weight.bitPattern, to: &out) }
        for terms in [selectivity, appeal] {
            Self.append(UInt32(terms.count), to: &out)
            for id in terms.keys.sorted() {
                let bytes = Array(id.utf8)
                Self.append(UInt16(bytes.count), to: &out)
                out.append(contentsOf: bytes)
                Self.append(terms[id]!.bitPattern, to: &out)
            }
        }
        return out
    }

    /// - Throws: `Malformed` for anything `serialized()` could not have written (truncated, an
    ///   unknown format, a term that is not a finite number).
    public init(serialized bytes: [UInt8]) throws(Malformed) {
        var reader = Reader(bytes: bytes)
        guard bytes.starts(with: Self.serializationMagic) else { throw Malformed(reason: "unknown format") }
        reader.offset = Self.serializationMagic.count
        let intercept = try reader.double()
        let rounds = try reader.integer(UInt32.self)
        let weightCount = try reader.integer(UInt32.self)
        guard weightCount <= 64 else { throw Malformed(reason: "\(weightCount) feature weights") }
        var weights: [Double] = []
        for _ in 0..<weightCount { weights.append(try reader.double()) }
        var tables: [[String: Double]] = []
        for _ in 0..<2 {
            let count = Int(try reader.integer(UInt32.self))
            // Each entry takes at least 10 bytes: no count can promise more than what is left.
            guard count <= (bytes.count - reader.offset) / 10 else { throw Malformed(reason: "truncated") }
            var table: [String: Double] = [:]
            table.reserveCapacity(count)
            for _ in 0..<count {
                let length = Int(try reader.integer(UInt16.self))
                let id = try reader.text(length)
                table[id] = try reader.double()
            }
            tables.append(table)
        }
        guard reader.offset == bytes.count else { throw Malformed(reason: "\(bytes.count - reader.offset) bytes left over") }
        self.init(prior: Prior(likeRate: 0.5, featureWeights: weights))
        self.intercept = intercept
        self.trainingRounds = Int(rounds)
        self.selectivity = tables[0]
        self.appeal = tables[1]
    }

    private static func append<Integer: FixedWidthInteger>(_ value: Integer, to out: inout [UInt8]) {
        withUnsafeBytes(of: value.littleEndian) { out.append(contentsOf: $0) }
    }

    private struct Reader {
        let bytes: [UInt8]
        var offset = 0

        mutating func integer<Integer: FixedWidthInteger>(_: Integer.Type) throws(Malformed) -> Integer {
            let size = MemoryLayout<Integer>.size
            guard offset + size <= bytes.count else { throw Malformed(reason: "truncated") }
            var value: Integer = 0
            for index in 0..<size { value |= Integer(bytes[offset + index]) << (8 * index) }
            offset += size
            return value
        }

        mutating func double() throws(Malformed) -> Double {
            let value = Double(bitPattern: try integer(UInt64.self))
            guard value.isFinite else { throw Malformed(reason: "a term that is not a finite number") }
            return value
        }

        mutating func text(_ length: Int) throws(Malformed) -> String {
            guard offset + length <= bytes.count else { throw Malformed(reason: "truncated") }
            guard let text = String(validating: bytes[offset..<offset + length], as: UTF8.self) else {
                throw Malformed(reason: "an id that is not UTF-8")
            }
            offset += length
            return text
        }
    }
}

extension RecommendationEngine {
    /// An engine with a model trained elsewhere (by another instance) and the decisions as they are
    /// now: the decisions describe pairs (taste agreement), the model weighs them. Decisions made
    /// after the model was trained count in the features at once; the people who made them are
    /// judged by the model's terms as of its training (0 for someone new).
    public init(decisions: [LikeDecision], model: ReciprocalModel) {
        self.init(graph: DecisionGraph(decisions), model: model)
    }
}
