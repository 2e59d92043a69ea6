import Foundation

// MARK: - Multi-pattern matching

extension ScamSignalDetector {
    /// A vocabulary phrase compiled to normalised bytes; plain values only, so reading one costs nothing.
    struct CompiledPattern: Sendable {
        let cue: Cue
        let byteCount: Int
        let unitCount: Int
        let checksStartBoundary: Bool
        let checksEndBoundary: Bool
        /// Index into `SignalEngine.guards`, or -1 when the phrase has no look-alike contexts.
        let guardIndex: Int

        init(_ cue: Cue, bytes: [UInt8], openStart: Bool, openEnd: Bool, guardIndex: Int) {
            self.cue = cue
            byteCount = bytes.count
            unitCount = bytes.reduce(0) { $0 + ByteKind.units($1) }
            checksStartBoundary = !openStart && bytes.first.map(ByteKind.isWord) == true
            checksEndBoundary = !openEnd && bytes.last.map(ByteKind.isWord) == true
            self.guardIndex = guardIndex
        }

        /// Whether a raw match ending at byte `end` starts and ends at word boundaries where it should.
        func fitsWordBoundaries(endingAt end: Int, in text: UnsafeBufferPointer<UInt8>) -> Bool {
            let start = end + 1 - byteCount
            if checksStartBoundary && start > 0 && ByteKind.isWord(text[start - 1]) { return false }
            if checksEndBoundary && end + 1 < text.count && ByteKind.isWord(text[end + 1]) { return false }
            return true
        }
    }

    /// The contexts that rule out a phrase ("돈" before "가스"), as normalised bytes.
    struct PatternGuard: Sendable {
        let unlessPrecededBy: [[UInt8]]
        let unlessFollowedBy: [[UInt8]]

        init(_ spec: PatternSpec) {
            unlessPrecededBy = spec.unlessPrecededBy.map(Self.bytes)
            unlessFollowedBy = spec.unlessFollowedBy.map(Self.bytes)
        }

        /// Normalised, but keeping an edge space ("no " before "guarantee").
        private static func bytes(_ text: String) -> [UInt8] {
            let leading: [UInt8] = text.hasPrefix(" ") ? [0x20] : []
            let trailing: [UInt8] = text.hasSuffix(" ") ? [0x20] : []
            return leading + TextNormalizer.normalize(text) + trailing
        }

        /// Whether the match of bytes `start...end` sits in none of the ruled-out contexts.
        func allows(start: Int, end: Int, in text: UnsafeBufferPointer<UInt8>) -> Bool {
            for word in unlessPrecededBy where start >= word.count {
                if text[(start - word.count)..<start].elementsEqual(word) { return false }
            }
            for word in unlessFollowedBy where end + word.count < text.count {
                if text[(end + 1)...(end + word.count)].elementsEqual(word) { return false }
            }
            return true
        }
    }

    /// An Aho-Corasick automaton over bytes, expanded to a full transition table over byte classes.
    struct ByteAutomaton: Sendable {
        static let classBits = 7
        let byteClass: [UInt8]
        let classCount: Int
        /// Next state for `state * classCount + byteClass[byte]`.
        let transitions: [UInt16]
        /// States are numbered so that exactly those at or above this one have matches.
        let firstMatchingState: Int
        /// Matches of matching state s are `outputs[outputStart[k]..<outputStart[k + 1]]`, k = s - firstMatchingState.
        let outputStart: [Int32]
        let outputs: [Int32]

        init(patterns: [[UInt8]]) {
            var classes = [UInt8](repeating: 0, count: 256)
            var classCount = 1
            for byte in Set(patterns.joined()).sorted() {
                classes[Int(byte)] = UInt8(classCount)
                classCount += 1
            }
            precondition(classCount <= 1 << Self.classBits, "scam vocabulary uses too many distinct bytes")
            classCount = 1 << Self.classBits  // a power of two, so a row starts at state << classBits
            let trie = Self.trie(patterns, classes: classes, classCount: classCount)
            var children = trie.children
            let (failure, order) = Self.failureLinks(&children, classCount: classCount)
            precondition(children.count < Int(UInt16.max), "scam vocabulary too large for 16-bit states")
            var matches = trie.outputs
            for state in order {  // breadth-first, so each failure target is already complete
                matches[state] += matches[failure[state]]
            }
            // Renumber: states without matches first (the root stays 0), then those with matches.
            let quiet = children.indices.filter { matches[$0].isEmpty }
            let matching = children.indices.filter { !matches[$0].isEmpty }
            var newNumber = [Int](repeating: 0, count: children.count)
            for (number, state) in (quiet + matching).enumerated() { newNumber[state] = number }
            byteClass = classes
            self.classCount = classCount
            transitions = (quiet + matching).flatMap { children[$0].map { UInt16(newNumber[$0]) } }
            firstMatchingState = quiet.count
            var start: [Int32] = [0]
            for state in matching { start.append(start[start.count - 1] + Int32(matches[state].count)) }
            outputStart = start
            outputs = matching.flatMap { matches[$0].map { Int32($0) } }
        }

        var stateCount: Int { transitions.count / classCount }

        private static func trie(
            _ patterns: [[UInt8]], classes: [UInt8], classCount: Int
        ) -> (children: [[Int]], outputs: [[Int]]) {
            var children: [[Int]] = [Array(repeating: -1, count: classCount)]
            var outputs: [[Int]] = [[]]
            for (index, pattern) in patterns.enumerated() {
                var state = 0
                for byte in pattern {
                    let symbol = Int(classes[Int(byte)])
                    if children[state][symbol] < 0 {
                        children[state][symbol] = children.count
                        children.append(Array(repeating: -1, count: classCount))
                        outputs.append([])
                    }
                    state = children[state][symbol]
                }
                outputs[state].append(index)
            }
            return (children, outputs)
        }

        /// Fills every missing transition (turning the trie into a DFA); returns the failure links and
        /// the non-root states in breadth-first order.
        private static func failureLinks(_ children: inout [[Int]], classCount: Int) -> (failure: [Int], order: [Int]) {
            var failure = [Int](repeating: 0, count: children.count)
            var queue: [Int] = []
            for symbol in 0..<classCount {
                if children[0][symbol] < 0 {
                    children[0][symbol] = 0
                } else {
                    queue.append(children[0][symbol])
                }
            }
            var head = 0
            while head < queue.count {
                let state = queue[head]
                head += 1
                for symbol in 0..<classCount {
                    let child = children[state][symbol]
                    if child < 0 {
                        children[state][symbol] = children[failure[state]][symbol]
                    } else {
                        failure[child] = children[failure[state]][symbol]
                        queue.append(child)
                    }
                }
            }
            return (failure, queue)
        }
    }
}
