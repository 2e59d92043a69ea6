import Foundation

/// How likely a chat message is part of a romance or investment scam, read together with the
/// sender's recent earlier messages in the conversation: a regularised logistic regression over
/// `ScamRiskFeatures`, calibrated (Platt) so that a risk of 0.8 means about 8 in 10. Trained by
/// `ScamRiskTraining` on `data/scam-corpus/train.jsonl` (`inyeon scam-train`); no I/O here.
public struct ScamRiskModel: Sendable {
    /// The weight of every feature slot.
    public var weights: [Float]
    /// Platt scaling: risk = σ(scale × margin + offset).
    public var scale: Double
    public var offset: Double
    /// At or above this risk the message is flagged (chosen on the training split only).
    public var threshold: Double

    public init(weights: [Float], scale: Double, offset: Double, threshold: Double) {
        self.weights = weights
        self.scale = scale
        self.offset = offset
        self.threshold = threshold
    }

    /// The model's assessment of one message.
    public struct Assessment: Sendable, Equatable {
        /// Calibrated probability that the message is a scam's ask.
        public var risk: Double
        public var flagged: Bool
        /// The rules' signals in the message, for the recipient's warning.
        public var signals: [ScamSignal]
        /// The features that raised the risk most, in words (for moderators).
        public var reasons: [String]
    }

    public func margin(_ features: ScamRiskFeatures) -> Double {
        var sum: Float = 0
        for (slot, value) in zip(features.slots, features.values) { sum += weights[Int(slot)] * value }
        return Double(sum)
    }

    public func risk(_ features: ScamRiskFeatures) -> Double {
        Self.sigmoid(scale * margin(features) + offset)
    }

    /// Assesses `text` given the sender's earlier messages in the conversation (oldest first).
    public func assess(_ text: String, earlier: [String] = [], detector: ScamSignalDetector = ScamSignalDetector()) -> Assessment {
        let features = ScamRiskFeatures(text, earlier: earlier, detector: detector)
        let risk = risk(features)
        let flagged = risk >= threshold
        guard flagged else { return Assessment(risk: risk, flagged: false, signals: [], reasons: []) }
        var contributions: [Int32: Float] = [:]
        for (slot, value) in zip(features.slots, features.values) { contributions[slot, default: 0] += weights[Int(slot)] * value }
        let strongest = contributions.filter { $0.value > 0 }.sorted { $0.value > $1.value }.prefix(8).map(\.key)
        let names = ScamRiskFeatures.names(text, earlier: earlier, signals: features.signals, detector: detector, wanted: Set(strongest))
        let reasons = strongest.compactMap { names[$0] }.prefix(5)
        return Assessment(risk: risk, flagged: true, signals: features.signals, reasons: Array(reasons))
    }

    static func sigmoid(_ x: Double) -> Double { 1 / (1 + exp(-x)) }

    // MARK: Storage

    /// The model as text: a header, then `slot weight` lines for the weights that are not zero.
    public var text: String {
        var lines = [
            "inyeon-scam-risk-model 1", "dimension \(weights.count)", "platt \(scale) \(offset)", "threshold \(threshold)", "weights",
        ]
        for (slot, weight) in weights.enumerated() where abs(weight) >= 1e-4 {
            lines.append("\(slot) \(String(format: "%.5g", weight))")
        }
        return lines.joined(separator: "\n") + "\n"
    }

    public init(text: String) throws {
        var lines = text.split(separator: "\n").makeIterator()
        func header(_ name: String) throws -> [Substring] {
            guard let line = lines.next(), line.hasPrefix(name) else { throw ModelFileError(expected: name) }
            return line.split(separator: " ").dropFirst().map { $0 }
        }
        _ = try header("inyeon-scam-risk-model 1")
        guard let dimension = try header("dimension").first.flatMap({ Int($0) }), dimension == ScamRiskFeatures.dimension else {
            throw ModelFileError(expected: "dimension \(ScamRiskFeatures.dimension)")
        }
        let platt = try header("platt").compactMap { Double($0) }
        guard platt.count == 2, let threshold = try header("threshold").first.flatMap({ Double($0) }) else {
            throw ModelFileError(expected: "platt and threshold")
        }
        _ = try header("weights")
        var weights = [Float](repeating: 0, count: dimension)
        while let line = lines.next() {
            let parts = line.split(separator: " ")
            guard parts.count == 2, let slot = Int(parts[0]), (0..<dimension).contains(slot), let weight = Float(parts[1]) else {
                throw ModelFileError(expected: "slot weight")
            }
            weights[slot] = weight
        }
        self.init(weights: weights, scale: platt[0], offset: platt[1], threshold: threshold)
    }

    public struct ModelFileError: Error, CustomStringConvertible {
        var expected: String
        public var description: String { "not a scam-risk model file: expected \(expected)" }
    }

    /// The model trained from the corpus and shipped with the service (`scam-risk-model.txt`).
    public static let bundled: ScamRiskModel? = {
        guard let url = Bundle.module.url(forResource: "scam-risk-model", withExtension: "txt"),
              let text = try? String(contentsOf: url, encoding: .utf8)
        else { return nil }
        return try? ScamRiskModel(text: text)
    }()
}
