import ArgumentParser
import Foundation
import InyeonCore

/// `inyeon scam-check`: the chat's romance-scam check on any labelled set, so a set the project
/// never sees can be scored the same way. JSON lines in, JSON lines out, in the same order:
/// - a message alone, `{"id": …, "text": "…"}` → `{"id": …, "flagged": true, "risk": 0.93, "signals": ["moneyRequest"], "reasons": […]}`;
/// - a conversation, `{"id": …, "messages": [{"sender": "a", "text": "…"}, …]}` → `{"id": …, "messages": [{…}, …]}`,
///   each message judged with its sender's earlier messages, as the chat judges it.
struct ScamCheck: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "scam-check",
        abstract: "Check messages or conversations for romance-scam risk: JSON lines {\"id\",\"text\"} or {\"id\",\"messages\":[{\"sender\",\"text\"}]} in."
    )

    @Option(help: "A file of JSON lines (standard input when not given).")
    var input: String?

    func run() throws {
        let handle: FileHandle
        if let input {
            guard let file = FileHandle(forReadingAtPath: input) else { throw ValidationError("cannot read \(input)") }
            handle = file
        } else {
            handle = .standardInput
        }
        guard let model = ScamRiskModel.bundled else { throw ValidationError("the scam-risk model is missing from this build") }
        let detector = ScamSignalDetector()
        func judged(_ text: String, earlier: [String]) -> [String: Any] {
            let assessment = model.assess(text, earlier: earlier, detector: detector)
            return [
                "flagged": assessment.flagged, "risk": (assessment.risk * 1000).rounded() / 1000,
                "signals": assessment.signals.map(\.rawValue), "reasons": assessment.reasons,
            ]
        }
        let lines = String(decoding: handle.readDataToEndOfFile(), as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false)
        for (index, line) in lines.enumerated() where !line.trimmingCharacters(in: .whitespaces).isEmpty {
            guard let object = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any],
                  let id = object["id"], id is String || id is NSNumber
            else {
                throw ValidationError("line \(index + 1): expected {\"id\": string or number, \"text\": string} or {\"id\", \"messages\": [{\"sender\", \"text\"}]}")
            }
            var answer: [String: Any] = ["id": id]
            if let text = object["text"] as? String {
                answer.merge(judged(text, earlier: [])) { $1 }
            } else if let messages = object["messages"] as? [[String: Any]] {
                var earlierBySender: [String: [String]] = [:]
                var results: [[String: Any]] = []
                for (position, message) in messages.enumerated() {
                    guard let text = message["text"] as? String else {
                        throw ValidationError("line \(index + 1), message \(position + 1): expected {\"sender\": string, \"text\": string}")
                    }
                    let sender = (message["sender"] as? String) ?? (message["sender"] as? NSNumber)?.stringValue ?? ""
                    results.append(judged(text, earlier: Array(earlierBySender[sender, default: []].suffix(ScamRiskFeatures.earlierMessages))))
                    earlierBySender[sender, default: []].append(text)
                }
                answer["messages"] = results
            } else {
                throw ValidationError("line \(index + 1): expected \"text\" or \"messages\"")
            }
            print(String(decoding: try JSONSerialization.data(withJSONObject: answer, options: [.sortedKeys, .withoutEscapingSlashes]), as: UTF8.self))
        }
    }
}

/// `inyeon scam-train`: trains the scam-risk model on the corpus's training split (reproducible:
/// the same corpus and seed give the same file) and writes it where the build ships it from.
struct ScamTrain: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "scam-train", abstract: "Train the scam-risk model on data/scam-corpus/train.jsonl and write the model file."
    )

    @Option(help: "The corpus folder (train.jsonl).")
    var corpus = "data/scam-corpus"

    @Option(help: "Where to write the model.")
    var output = "Sources/InyeonCore/Safety/scam-risk-model.txt"

    @Option(help: "Training passes over the data.") var epochs = ScamRiskTraining.Settings().epochs
    @Option(help: "AdaGrad's learning rate.") var learningRate = ScamRiskTraining.Settings().learningRate
    @Option(help: "L2 regularisation.") var l2 = ScamRiskTraining.Settings().l2
    @Option(help: "How much more an ask counts than another message.") var askWeight = ScamRiskTraining.Settings().askWeight
    @Option(help: "Out-of-fold precision the threshold must reach in each language.")
    var targetPrecision = ScamRiskTraining.Settings().targetPrecision

    func run() throws {
        let text = try String(contentsOfFile: corpus + "/train.jsonl", encoding: .utf8)
        var settings = ScamRiskTraining.Settings()
        settings.epochs = epochs
        settings.learningRate = learningRate
        settings.l2 = l2
        settings.askWeight = askWeight
        settings.targetPrecision = targetPrecision
        let (model, notes) = ScamRiskTraining.train(try ScamCorpusConversation.read(jsonLines: text), settings: settings)
        try model.text.write(toFile: output, atomically: true, encoding: .utf8)
        for note in notes { print(note) }
        print("written: \(output)")
    }
}

/// `inyeon scam-eval`: the shipped model's figures on a split of the corpus (the frozen test split
/// by default): precision, recall, false alarms per 1,000 ordinary messages, per language and per
/// family, and calibration.
struct ScamEval: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "scam-eval", abstract: "Score the shipped scam-risk model on the corpus's frozen test split (or another split)."
    )

    @Option(help: "The corpus folder.")
    var corpus = "data/scam-corpus"

    @Option(help: "Which split: test or train.")
    var split = "test"

    @Flag(help: "Score each message alone, without the sender's earlier messages (for comparison).")
    var withoutContext = false

    func run() throws {
        guard ["test", "train"].contains(split) else { throw ValidationError("--split must be test or train") }
        guard let model = ScamRiskModel.bundled else { throw ValidationError("the scam-risk model is missing from this build") }
        let text = try String(contentsOfFile: "\(corpus)/\(split).jsonl", encoding: .utf8)
        var examples = try ScamCorpusConversation.read(jsonLines: text).flatMap(\.examples)
        if withoutContext { examples = examples.map { var alone = $0; alone.earlier = []; return alone } }
        let risks = ScamRiskEvaluation.risks(model, examples)
        let title = "\(split) split\(withoutContext ? ", each message alone" : ", with the sender's earlier messages")"
        for line in ScamRiskEvaluation.lines(risks: risks, examples: examples, threshold: model.threshold, title: title) { print(line) }
    }
}

extension Benchmark {
    /// How long the scam check takes per message: the figure the README gives.
    struct ScamCheckTiming: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "scam-check", abstract: "Time the romance-scam check on 2,000-character messages (the longest a message may be); prints µs per message."
        )

        @Option(help: "How many checks of each message to time.")
        var runs: Int = 2_000

        func run() throws {
            guard runs > 0 else { throw ValidationError("--runs must be positive") }
            let detector = ScamSignalDetector()
            let messages = [
                ("Korean, ordinary", String(String(repeating: "퇴직 후 연금으로 생활하면서 손주 사진을 카톡으로 받아요. ", count: 60).prefix(2_000))),
                ("English, ordinary", String(String(repeating: "I walked along the river and had coffee with a friend. ", count: 40).prefix(2_000))),
                ("Korean, a request", String(String(repeating: "사업 때문에 급하게 돈이 필요해요. 300만원만 송금해 주실 수 있나요? ", count: 50).prefix(2_000))),
            ]
            for (name, text) in messages {
                _ = detector.signals(in: text)
                let start = ContinuousClock.now
                for _ in 0..<runs { _ = detector.signals(in: text) }
                let elapsed = (ContinuousClock.now - start).components
                let microseconds = (Double(elapsed.seconds) * 1e6 + Double(elapsed.attoseconds) / 1e12) / Double(runs)
                print("rules, \(name), \(text.count) characters: \(String(format: "%.1f", microseconds)) µs per message")
            }
            // The whole check as the chat runs it: the model over the message and the sender's three earlier messages.
            guard let model = ScamRiskModel.bundled else { throw ValidationError("the scam-risk model is missing from this build") }
            let earlier = messages.map(\.1)
            for (name, text) in messages {
                var samples: [Double] = []
                samples.reserveCapacity(runs)
                for _ in 0..<runs {
                    let start = ContinuousClock.now
                    _ = model.assess(text, earlier: earlier, detector: detector)
                    let elapsed = (ContinuousClock.now - start).components
                    samples.append(Double(elapsed.seconds) * 1e6 + Double(elapsed.attoseconds) / 1e12)
                }
                samples.sort()
                let p50 = samples[samples.count / 2], p99 = samples[min(samples.count - 1, samples.count * 99 / 100)]
                print("model with 3 earlier 2,000-character messages, \(name): p50 \(String(format: "%.0f", p50)) µs, p99 \(String(format: "%.0f", p99)) µs")
            }
        }
    }
}
