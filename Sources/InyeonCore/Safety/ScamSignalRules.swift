import Foundation

// MARK: - Combining cues into signals

extension ScamSignalDetector {
    /// The pair rules grouped by cue, in one flat array.
    struct RuleIndex: Sendable {
        private let rules: [PairRule]
        private let starts: [Int]

        init(_ rules: [PairRule]) {
            var grouped: [PairRule] = []
            var starts: [Int] = []
            for cue in Cue.allCases {
                starts.append(grouped.count)
                grouped += rules.filter { $0.first == cue || $0.second == cue }
            }
            starts.append(grouped.count)
            self.rules = grouped
            self.starts = starts
        }

        /// Positions in `subscript` of the rules that involve `cue`.
        func indices(for cue: Cue) -> Range<Int> { starts[cue.rawValue]..<starts[cue.rawValue + 1] }
        subscript(index: Int) -> PairRule { rules[index] }
    }

    /// What one scan has seen so far: where each cue last ended, and the signals raised.
    struct CueTally {
        static let deferralReach = 50
        /// Bounds the work on adversarial text; a message with this many contact cues is flagged anyway.
        static let pendingLimit = 32
        private let rules: RuleIndex
        private var lastEnd: [Int]
        private var found = SignalSet()
        private var pending: [(signal: ScamSignal, at: Int)] = []
        private var deferrals: [(start: Int, end: Int)] = []

        init(rules: RuleIndex) {
            self.rules = rules
            lastEnd = Array(repeating: Int.min, count: Cue.allCases.count)
        }

        /// Notes a cue spanning units `start..<end` and raises any signal it completes.
        mutating func record(_ cue: Cue, start: Int, end: Int) {
            if cue == .deferral { addDeferral(start: start, end: end) }
            if let signal = cue.strongSignal { raise(signal, at: end, deferrable: cue != .contactShared) }
            for index in rules.indices(for: cue) {
                let rule = rules[index]
                let partner = rule.first == cue ? rule.second : rule.first
                let partnerEnd = lastEnd[partner.rawValue]
                guard partnerEnd != Int.min else { continue }
                if rule.ordered && (cue != rule.second || partnerEnd > start) { continue }
                guard start - partnerEnd <= rule.maxGap else { continue }
                if let signal = rule.signal {
                    raise(signal, at: end, deferrable: true)
                } else {
                    addDeferral(start: min(start, partnerEnd), end: end)
                }
            }
            lastEnd[cue.rawValue] = max(lastEnd[cue.rawValue], end)
        }

        private mutating func addDeferral(start: Int, end: Int) {
            if deferrals.count < Self.pendingLimit { deferrals.append((start, end)) }
        }

        private mutating func raise(_ signal: ScamSignal, at position: Int, deferrable: Bool) {
            let isDeferrable = deferrable && (signal == .contactDetails || signal == .offPlatform)
            if isDeferrable && pending.count < Self.pendingLimit {
                pending.append((signal, position))
            } else {
                found.insert(signal)
            }
            if signal == .moneyRequest { record(.moneyFired, start: position, end: position) }
        }

        /// The signals, after withdrawing contact and off-platform ones deferred until after meeting.
        func result() -> SignalSet {
            var result = found
            for (signal, position) in pending where !result.contains(signal) {
                let deferred = deferrals.contains { deferral in
                    max(deferral.start - position, position - deferral.end, 0) <= Self.deferralReach
                }
                if !deferred { result.insert(signal) }
            }
            return result
        }
    }

    /// The compiled vocabulary and rules; `scan` is the whole per-message work.
    struct SignalEngine: Sendable {
        private let automaton: ByteAutomaton
        private let patterns: [CompiledPattern]
        private let guards: [PatternGuard]
        private let rules: RuleIndex

        init(patterns specs: [PatternSpec], rules: [PairRule]) {
            var compiled: [CompiledPattern] = []
            var guards: [PatternGuard] = []
            var byteForms: [[UInt8]] = []
            for spec in specs {
                let bytes = TextNormalizer.normalize(spec.text.trimmingCharacters(in: CharacterSet(charactersIn: "*")))
                guard !bytes.isEmpty else { continue }
                let isGuarded = !spec.unlessPrecededBy.isEmpty || !spec.unlessFollowedBy.isEmpty
                if isGuarded { guards.append(PatternGuard(spec)) }
                compiled.append(
                    CompiledPattern(
                        spec.cue, bytes: bytes, openStart: spec.text.hasPrefix("*"), openEnd: spec.text.hasSuffix("*"),
                        guardIndex: isGuarded ? guards.count - 1 : -1))
                byteForms.append(bytes)
            }
            automaton = ByteAutomaton(patterns: byteForms)
            patterns = compiled
            self.guards = guards
            self.rules = RuleIndex(rules)
        }

        /// Number of automaton states and byte classes, for tests and tuning.
        var automatonSize: (states: Int, classes: Int) { (automaton.stateCount, automaton.classCount) }

        func scan(_ text: String) -> SignalSet {
            let bytes = TextNormalizer.normalize(text)
            let scanned = ContactScanner.cues(in: bytes)
            var tally = CueTally(rules: rules)
            bytes.withUnsafeBufferPointer { text in
                automaton.transitions.withUnsafeBufferPointer { transitions in
                    automaton.byteClass.withUnsafeBufferPointer { byteClass in
                        let firstMatchingState = automaton.firstMatchingState
                        var state = 0
                        var unit = 0
                        var nextScanned = 0
                        var nextScannedEnd = scanned.first?.endByte ?? -1
                        for index in 0..<text.count {
                            let byte = text[index]
                            unit &+= ByteKind.units(byte)
                            state = Int(transitions[state &<< ByteAutomaton.classBits &+ Int(byteClass[Int(byte)])])
                            if index == nextScannedEnd {
                                while nextScanned < scanned.count && scanned[nextScanned].endByte == index {
                                    let cue = scanned[nextScanned]
                                    tally.record(cue.cue, start: unit - (cue.endByte - cue.startByte + 1), end: unit)
                                    nextScanned += 1
                                }
                                nextScannedEnd = nextScanned < scanned.count ? scanned[nextScanned].endByte : -1
                            }
                            if state >= firstMatchingState {
                                let matching = state - firstMatchingState
                                recordMatches(of: matching, endingAt: index, unit: unit, in: text, into: &tally)
                            }
                        }
                    }
                }
            }
            return tally.result()
        }

        private func recordMatches(
            of matchingState: Int, endingAt end: Int, unit: Int, in text: UnsafeBufferPointer<UInt8>,
            into tally: inout CueTally
        ) {
            let first = Int(automaton.outputStart[matchingState])
            let last = Int(automaton.outputStart[matchingState + 1])
            for slot in first..<last {
                let pattern = patterns[Int(automaton.outputs[slot])]
                guard pattern.fitsWordBoundaries(endingAt: end, in: text) else { continue }
                if pattern.guardIndex >= 0 {
                    let start = end + 1 - pattern.byteCount
                    guard guards[pattern.guardIndex].allows(start: start, end: end, in: text) else { continue }
                }
                tally.record(pattern.cue, start: unit - pattern.unitCount, end: unit)
            }
        }
    }
}
