import ArgumentParser
import Foundation
import InyeonCore

/// `inyeon scam-check`: the chat's romance-scam check on any labelled set, so a set the project
/// never sees can be scored the same way. JSON lines in (`{"id": …, "text": "…"}`), JSON lines out
/// (`{"id": …, "flagged": true, "signals": ["moneyRequest"]}`), in the same order.
struct ScamCheck: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "scam-check",
        abstract: "Check messages for romance-scam signals: JSON lines {\"id\",\"text\"} in, {\"id\",\"flagged\",\"signals\"} out."
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
        let detector = ScamSignalDetector()
        let lines = String(decoding: handle.readDataToEndOfFile(), as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false)
        for (index, line) in lines.enumerated() where !line.trimmingCharacters(in: .whitespaces).isEmpty {
            guard let object = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any],
                  let text = object["text"] as? String, let id = object["id"], id is String || id is NSNumber
            else {
                throw ValidationError("line \(index + 1): expected {\"id\": string or number, \"text\": string}")
            }
            let signals = detector.signals(in: text)
            let answer: [String: Any] = ["id": id, "flagged": !signals.isEmpty, "signals": signals.map(\.rawValue)]
            print(String(decoding: try JSONSerialization.data(withJSONObject: answer, options: [.sortedKeys, .withoutEscapingSlashes]), as: UTF8.self))
        }
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
                print("\(name), \(text.count) characters: \(String(format: "%.1f", microseconds)) µs per message")
            }
        }
    }
}
