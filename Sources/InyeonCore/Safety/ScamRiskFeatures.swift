/// What the scam-risk model reads from a message and the sender's recent earlier messages in the
/// same conversation: character n-grams and words of each (hashed into a fixed number of slots),
/// and the rules' signals (`ScamSignalDetector`) on each. Reading the earlier messages is what lets
/// a request be seen for what it is when the story came two messages before.
public struct ScamRiskFeatures: Sendable {
    /// The number of weight slots features are hashed into.
    public static let dimension = 1 << 18
    /// How many of the sender's earlier messages are read with a message.
    public static let earlierMessages = 3

    /// The active slots and their values (each group of text features has unit length).
    public var slots: [Int32]
    public var values: [Float]
    /// The rules' signals in the message itself (read once here, and named in a warning).
    public var signals: [ScamSignal]

    enum Group: UInt8, CaseIterable {
        case bias = 0, chars2, chars3, chars4, words, wordPairs, earlierChars3, earlierWords, signal, earlierSignal
    }

    /// The features of `text` given the sender's `earlier` messages (oldest first).
    public init(_ text: String, earlier: [String], detector: ScamSignalDetector = ScamSignalDetector()) {
        var builder = Builder()
        builder.add(.bias, hash: 0, value: 1)
        let scalars = Self.normalised(text)
        builder.addText(scalars, groups: [(.chars2, 2), (.chars3, 3), (.chars4, 4)], words: .words, wordPairs: .wordPairs)
        let context = earlier.suffix(Self.earlierMessages)
        if !context.isEmpty {
            let earlierScalars = Self.normalised(context.joined(separator: " \n "))
            builder.addText(earlierScalars, groups: [(.earlierChars3, 3)], words: .earlierWords, wordPairs: nil)
        }
        signals = detector.signals(in: text)
        for signal in signals { builder.add(.signal, hash: Self.hash(signal.rawValue), value: 1) }
        let earlierSignals = Set(context.flatMap { detector.signals(in: $0) }).sorted { $0.rawValue < $1.rawValue }
        for signal in earlierSignals { builder.add(.earlierSignal, hash: Self.hash(signal.rawValue), value: 1) }
        slots = builder.slots
        values = builder.values
    }

    /// The readable names of the features of `text` that fall in `wanted` slots (for explaining a
    /// score); only those are spelled out.
    static func names(_ text: String, earlier: [String], signals: [ScamSignal], detector: ScamSignalDetector, wanted: Set<Int32>)
        -> [Int32: String] {
        var names: [Int32: String] = [:]
        func name(_ group: Group, _ scalars: some Collection<Unicode.Scalar>, prefix: String = "") {
            let slot = slot(group, hash(scalars))
            if wanted.contains(slot), names[slot] == nil { names[slot] = prefix + "“" + String(String.UnicodeScalarView(scalars)) + "”" }
        }
        let scalars = normalised(text)
        for (group, size) in [(Group.chars2, 2), (.chars3, 3), (.chars4, 4)] where scalars.count >= size {
            for start in 0...(scalars.count - size) { name(group, scalars[start..<(start + size)]) }
        }
        let tokens = words(scalars)
        for word in tokens { name(.words, word) }
        for (first, second) in zip(tokens, tokens.dropFirst()) { name(.wordPairs, first + [" "] + second) }
        for signal in signals { names[slot(.signal, hash(signal.rawValue))] = "rule: \(signal.rawValue)" }
        let context = earlier.suffix(earlierMessages)
        for signal in Set(context.flatMap { detector.signals(in: $0) }) {
            names[slot(.earlierSignal, hash(signal.rawValue))] = "earlier messages: \(signal.rawValue)"
        }
        if !context.isEmpty {
            for word in words(normalised(context.joined(separator: " \n "))) { name(.earlierWords, word, prefix: "earlier messages: ") }
        }
        return names
    }

    /// Lower case, digits as 0 (amounts alike), every run of spaces and line breaks as one space.
    static func normalised(_ text: String) -> [Unicode.Scalar] {
        var output: [Unicode.Scalar] = [" "]
        output.reserveCapacity(text.unicodeScalars.count + 2)
        for scalar in text.lowercased().unicodeScalars {
            if scalar.properties.isWhitespace {
                if output.last != " " { output.append(" ") }
            } else if scalar.properties.numericType != nil, ("0"..."9").contains(scalar) {
                output.append("0")
            } else {
                output.append(scalar)
            }
        }
        if output.last != " " { output.append(" ") }
        return output
    }

    /// Runs of letters and digits.
    static func words(_ scalars: [Unicode.Scalar]) -> [[Unicode.Scalar]] {
        var words: [[Unicode.Scalar]] = []
        var current: [Unicode.Scalar] = []
        for scalar in scalars {
            if scalar.properties.isAlphabetic || ("0"..."9").contains(scalar) {
                current.append(scalar)
            } else if !current.isEmpty {
                words.append(current)
                current = []
            }
        }
        if !current.isEmpty { words.append(current) }
        return words
    }

    static func slot(_ group: Group, _ hash: UInt64) -> Int32 {
        Int32(truncatingIfNeeded: ((hash ^ (UInt64(group.rawValue) &* 0x9E37_79B9_7F4A_7C15)) &* 0xBF58_476D_1CE4_E5B9) >> 46)
    }

    /// FNV-1a over the scalars' values.
    static func hash(_ scalars: some Sequence<Unicode.Scalar>) -> UInt64 {
        var hash: UInt64 = 0xCBF2_9CE4_8422_2325
        for scalar in scalars {
            hash ^= UInt64(scalar.value)
            hash &*= 0x0000_0100_0000_01B3
        }
        return hash
    }

    static func hash(_ text: String) -> UInt64 { hash(text.unicodeScalars) }

    private struct Builder {
        var slots: [Int32] = []
        var values: [Float] = []

        mutating func add(_ group: Group, hash: UInt64, value: Float) {
            slots.append(ScamRiskFeatures.slot(group, hash))
            values.append(value)
        }

        /// Each group's distinct features, weighted to unit length together.
        mutating func addGroup(_ group: Group, hashes: Set<UInt64>) {
            guard !hashes.isEmpty else { return }
            let value = 1 / Float(hashes.count).squareRoot()
            // In a fixed order: a Set's order differs from one process to the next, and so would sums.
            for hash in hashes.sorted() { add(group, hash: hash, value: value) }
        }

        mutating func addText(_ scalars: [Unicode.Scalar], groups: [(Group, Int)], words: Group, wordPairs: Group?) {
            for (group, size) in groups where scalars.count >= size {
                var hashes = Set<UInt64>()
                for start in 0...(scalars.count - size) { hashes.insert(ScamRiskFeatures.hash(scalars[start..<(start + size)])) }
                addGroup(group, hashes: hashes)
            }
            let tokens = ScamRiskFeatures.words(scalars)
            addGroup(words, hashes: Set(tokens.map { ScamRiskFeatures.hash($0) }))
            if let wordPairs, tokens.count > 1 {
                addGroup(wordPairs, hashes: Set(zip(tokens, tokens.dropFirst()).map { ScamRiskFeatures.hash($0 + [" "] + $1) }))
            }
        }
    }
}
