import Foundation

/// One conversation of the labelled scam corpus (`data/scam-corpus`, see its README).
public struct ScamCorpusConversation: Codable, Sendable {
    public var conversation: String
    public var writer: String
    public var lang: String
    public var family: String
    public var kind: String
    public var messages: [Message]

    public struct Message: Codable, Sendable {
        public var from: String
        public var text: String
        public var scam: Bool
    }

    /// Every message with the same sender's earlier messages, as the service reads it.
    public var examples: [ScamExample] {
        var earlierBySender: [String: [String]] = [:]
        return messages.map { message in
            let earlier = Array(earlierBySender[message.from, default: []].suffix(ScamRiskFeatures.earlierMessages))
            earlierBySender[message.from, default: []].append(message.text)
            let role: ScamExample.Role = message.scam ? .ask : (kind == "ordinary" ? .ordinary : .other)
            return ScamExample(conversation: conversation, lang: lang, family: family, role: role, text: message.text, earlier: earlier)
        }
    }

    /// Conversations from JSON lines.
    public static func read(jsonLines text: String) throws -> [ScamCorpusConversation] {
        let decoder = JSONDecoder()
        return try text.split(separator: "\n").filter { !$0.isEmpty }.map { try decoder.decode(Self.self, from: Data($0.utf8)) }
    }
}

/// One message to score, with what it is.
public struct ScamExample: Sendable {
    public enum Role: String, Sendable {
        /// A scam's ask: should be flagged.
        case ask
        /// A message of an ordinary conversation: should not be flagged.
        case ordinary
        /// The story before an ask, or a reply: counted neither way.
        case other
    }

    public var conversation: String
    public var lang: String
    public var family: String
    public var role: Role
    public var text: String
    public var earlier: [String]
}

/// Trains `ScamRiskModel`: logistic regression by AdaGrad with L2, in a seeded order, so the same
/// corpus gives the same model; Platt scaling and the threshold from 5-fold out-of-fold scores on
/// the training split alone.
public enum ScamRiskTraining {
    public struct Settings: Sendable {
        public var epochs = 30
        public var learningRate = 0.2
        public var l2 = 1e-3
        /// Asks are fewer than the rest; each counts this much more.
        public var askWeight = 3.0
        /// The threshold is the lowest risk at which out-of-fold precision is at least this, in each language.
        public var targetPrecision = 0.92
        public var seed: UInt64 = 20261207
        public var folds = 5

        public init() {}
    }

    /// The model and what out-of-fold scoring on the training split showed.
    public static func train(_ conversations: [ScamCorpusConversation], settings: Settings = Settings()) -> (model: ScamRiskModel, notes: [String]) {
        let detector = ScamSignalDetector()
        let examples = conversations.flatMap(\.examples)
        let features = examples.map { ScamRiskFeatures($0.text, earlier: $0.earlier, detector: detector) }
        // Out-of-fold margins: each conversation scored by a model that never saw it.
        var outOfFold = [Double](repeating: 0, count: examples.count)
        let fold = examples.map { Int(ScamRiskFeatures.hash($0.conversation) % UInt64(settings.folds)) }
        for k in 0..<settings.folds {
            let training = examples.indices.filter { fold[$0] != k }
            let weights = fit(training.map { (features[$0], examples[$0].role == .ask) }, settings: settings)
            let model = ScamRiskModel(weights: weights, scale: 1, offset: 0, threshold: 0.5)
            for index in examples.indices where fold[index] == k { outOfFold[index] = model.margin(features[index]) }
        }
        let (scale, offset) = plattScaling(margins: outOfFold, labels: examples.map { $0.role == .ask })
        let risks = outOfFold.map { ScamRiskModel.sigmoid(scale * $0 + offset) }
        let threshold = chooseThreshold(risks: risks, examples: examples, targetPrecision: settings.targetPrecision)
        let weights = fit(examples.indices.map { (features[$0], examples[$0].role == .ask) }, settings: settings)
        let model = ScamRiskModel(weights: weights, scale: scale, offset: offset, threshold: threshold)
        var notes = ["training split: \(conversations.count) conversations, \(examples.count) messages, \(examples.filter { $0.role == .ask }.count) asks"]
        notes.append(String(format: "platt scale %.4f offset %.4f; threshold %.3f (out-of-fold precision ≥ %.2f in each language)",
                            scale, offset, threshold, settings.targetPrecision))
        for line in ScamRiskEvaluation.lines(risks: risks, examples: examples, threshold: threshold, title: "out-of-fold on the training split") {
            notes.append(line)
        }
        return (model, notes)
    }

    /// Logistic-regression weights for `data` (features, is an ask).
    static func fit(_ data: [(ScamRiskFeatures, Bool)], settings: Settings) -> [Float] {
        var weights = [Double](repeating: 0, count: ScamRiskFeatures.dimension)
        var squaredGradients = [Double](repeating: 0, count: ScamRiskFeatures.dimension)
        var order = Array(data.indices)
        var random = SeededGenerator(seed: settings.seed)
        for _ in 0..<settings.epochs {
            for index in stride(from: order.count - 1, to: 0, by: -1) {
                order.swapAt(index, Int(random.next() % UInt64(index + 1)))
            }
            for index in order {
                let (features, isAsk) = data[index]
                var margin = 0.0
                for (slot, value) in zip(features.slots, features.values) { margin += weights[Int(slot)] * Double(value) }
                let error = (ScamRiskModel.sigmoid(margin) - (isAsk ? 1 : 0)) * (isAsk ? settings.askWeight : 1)
                for (slot, value) in zip(features.slots, features.values) {
                    let j = Int(slot)
                    let gradient = error * Double(value) + settings.l2 * weights[j]
                    squaredGradients[j] += gradient * gradient
                    weights[j] -= settings.learningRate * gradient / (squaredGradients[j].squareRoot() + 1e-8)
                }
            }
        }
        return weights.map { Float($0) }
    }

    /// Platt's scale and offset for `margins`, by Newton's method on the log loss.
    static func plattScaling(margins: [Double], labels: [Bool]) -> (Double, Double) {
        var (a, b) = (1.0, 0.0)
        for _ in 0..<100 {
            var (ga, gb, haa, hab, hbb) = (0.0, 0.0, 1e-6, 0.0, 1e-6)
            for (margin, label) in zip(margins, labels) {
                let p = ScamRiskModel.sigmoid(a * margin + b)
                let d = p - (label ? 1 : 0)
                let w = p * (1 - p)
                ga += d * margin
                gb += d
                haa += w * margin * margin
                hab += w * margin
                hbb += w
            }
            let determinant = haa * hbb - hab * hab
            guard determinant > 0 else { break }
            let (stepA, stepB) = ((hbb * ga - hab * gb) / determinant, (haa * gb - hab * ga) / determinant)
            a -= stepA
            b -= stepB
            if abs(stepA) + abs(stepB) < 1e-9 { break }
        }
        return (a, b)
    }

    /// The lowest risk at which precision (asks against ordinary messages) is at least
    /// `targetPrecision` in every language, or the risk with the best F1 when none reaches it.
    static func chooseThreshold(risks: [Double], examples: [ScamExample], targetPrecision: Double) -> Double {
        let candidates = Set(risks.map { ($0 * 1000).rounded() / 1000 }).filter { $0 > 0.05 && $0 < 0.99 }.sorted()
        let languages = Set(examples.map(\.lang))
        for threshold in candidates {
            let precise = languages.allSatisfy { lang in
                let scored = ScamRiskEvaluation.Counts(risks: risks, examples: examples, threshold: threshold) { $0.lang == lang }
                return scored.precision >= targetPrecision
            }
            if precise { return threshold }
        }
        return candidates.max { a, b in
            ScamRiskEvaluation.Counts(risks: risks, examples: examples, threshold: a) { _ in true }.f1
                < ScamRiskEvaluation.Counts(risks: risks, examples: examples, threshold: b) { _ in true }.f1
        } ?? 0.5
    }
}

/// Precision, recall, false alarms and calibration of risks against the corpus's labels.
public enum ScamRiskEvaluation {
    public struct Counts: Sendable {
        public var truePositives = 0, falseNegatives = 0, falsePositives = 0, ordinary = 0, other = 0, otherFlagged = 0

        init(risks: [Double], examples: [ScamExample], threshold: Double, where include: (ScamExample) -> Bool) {
            for (risk, example) in zip(risks, examples) where include(example) {
                let flagged = risk >= threshold
                switch example.role {
                case .ask: if flagged { truePositives += 1 } else { falseNegatives += 1 }
                case .ordinary:
                    ordinary += 1
                    if flagged { falsePositives += 1 }
                case .other:
                    other += 1
                    if flagged { otherFlagged += 1 }
                }
            }
        }

        public var precision: Double { truePositives + falsePositives == 0 ? 1 : Double(truePositives) / Double(truePositives + falsePositives) }
        public var recall: Double { truePositives + falseNegatives == 0 ? 0 : Double(truePositives) / Double(truePositives + falseNegatives) }
        public var f1: Double { precision + recall == 0 ? 0 : 2 * precision * recall / (precision + recall) }
        public var falseAlarmsPerThousand: Double { ordinary == 0 ? 0 : 1000 * Double(falsePositives) / Double(ordinary) }
    }

    /// Risks of `examples` under `model`.
    public static func risks(_ model: ScamRiskModel, _ examples: [ScamExample]) -> [Double] {
        let detector = ScamSignalDetector()
        return examples.map { model.risk(ScamRiskFeatures($0.text, earlier: $0.earlier, detector: detector)) }
    }

    /// The report: per language, per family, false alarms, and calibration in five bins.
    public static func lines(risks: [Double], examples: [ScamExample], threshold: Double, title: String) -> [String] {
        var lines = ["\(title) (threshold \(String(format: "%.3f", threshold)))"]
        func describe(_ name: String, _ counts: Counts) -> String {
            String(format: "  %@: precision %.3f recall %.3f (asks %d, found %d; ordinary messages %d, flagged %d = %.1f per 1,000; story and replies flagged %d of %d)",
                   name, counts.precision, counts.recall, counts.truePositives + counts.falseNegatives, counts.truePositives,
                   counts.ordinary, counts.falsePositives, counts.falseAlarmsPerThousand, counts.otherFlagged, counts.other)
        }
        lines.append(describe("all", Counts(risks: risks, examples: examples, threshold: threshold) { _ in true }))
        for lang in Set(examples.map(\.lang)).sorted() {
            lines.append(describe(lang == "ko" ? "Korean" : lang == "en" ? "English" : lang,
                                  Counts(risks: risks, examples: examples, threshold: threshold) { $0.lang == lang }))
        }
        for family in Set(examples.map(\.family)).sorted() {
            let counts = Counts(risks: risks, examples: examples, threshold: threshold) { $0.family == family }
            if family.hasPrefix("ordinary") {
                lines.append(String(format: "  family %@: ordinary messages %d, flagged %d", family, counts.ordinary, counts.falsePositives))
            } else {
                lines.append(String(format: "  family %@: recall %.3f (%d of %d asks)", family, counts.recall, counts.truePositives,
                                    counts.truePositives + counts.falseNegatives))
            }
        }
        lines.append("  calibration (asks and ordinary messages; risk bin: mean risk → share that are asks, count):")
        let scored = zip(risks, examples).filter { $0.1.role != .other }
        for bin in 0..<5 {
            let low = Double(bin) / 5, high = Double(bin + 1) / 5
            let inBin = scored.filter { $0.0 >= low && ($0.0 < high || (bin == 4 && $0.0 <= 1)) }
            guard !inBin.isEmpty else { continue }
            let meanRisk = inBin.map(\.0).reduce(0, +) / Double(inBin.count)
            let share = Double(inBin.filter { $0.1.role == .ask }.count) / Double(inBin.count)
            lines.append(String(format: "    %.1f–%.1f: %.2f → %.2f (%d)", low, high, meanRisk, share, inBin.count))
        }
        return lines
    }
}
