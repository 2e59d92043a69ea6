import Foundation

// MARK: - Normalisation

extension ScamSignalDetector {
    /// Turns a message into the bytes the vocabulary is matched against.
    enum TextNormalizer {
        /// The message as normalised UTF-8 bytes (see the overview above).
        static func normalize(_ text: String) -> [UInt8] {
            var text = text
            if let bytes = text.withUTF8({ normalize(utf8: $0) }) { return bytes }
            // Decomposed Hangul (U+1100-U+11FF, as some keyboards send it) is composed first; it is rare.
            text = text.precomposedStringWithCanonicalMapping
            return text.withUTF8 { normalize(utf8: $0, allowJamo: true) } ?? []
        }

        /// Normalised bytes, or nil when the text holds conjoining jamo and `allowJamo` is false.
        /// The output is never longer than the input: every fold shortens or keeps a character.
        private static func normalize(utf8 input: UnsafeBufferPointer<UInt8>, allowJamo: Bool = false) -> [UInt8]? {
            var sawJamo = false
            let output = [UInt8](unsafeUninitializedCapacity: input.count) { output, count in
                var writer = ByteWriter(output: output)
                var index = 0
                while index < input.count {
                    let lead = input[index]
                    if lead < 0x80 {  // ASCII
                        writer.appendASCII(UInt32(lead))
                        index += 1
                    } else if (0xEA...0xED).contains(lead) && index + 2 < input.count {  // Hangul syllables and CJK
                        writer.appendCopy(input[index], input[index + 1], input[index + 2])
                        index += 3
                    } else {
                        let (value, length) = decode(input, at: index)
                        if !allowJamo && (0x1100...0x11FF).contains(value) {
                            sawJamo = true
                            break
                        }
                        writer.appendScalar(value, bytes: input[index..<(index + length)])
                        index += length
                    }
                }
                count = writer.written
            }
            return sawJamo ? nil : output
        }

        /// Writes normalised bytes, collapsing whitespace and dropping it next to non-ASCII characters.
        private struct ByteWriter {
            let output: UnsafeMutableBufferPointer<UInt8>
            var written = 0
            var pendingSpace = false
            var lastWasASCII = false

            mutating func appendASCII(_ value: UInt32) {
                if TextNormalizer.isWhitespace(value) {
                    pendingSpace = true
                    return
                }
                if pendingSpace && lastWasASCII { put(0x20) }
                put(UInt8(TextNormalizer.folded(value)))
                pendingSpace = false
                lastWasASCII = true
            }

            mutating func appendCopy(_ first: UInt8, _ second: UInt8, _ third: UInt8) {
                put(first)
                put(second)
                put(third)
                pendingSpace = false
                lastWasASCII = false
            }

            mutating func appendScalar(_ value: UInt32, bytes: Slice<UnsafeBufferPointer<UInt8>>) {
                if TextNormalizer.isIgnorable(value) { return }
                if TextNormalizer.isWhitespace(value) {
                    pendingSpace = true
                    return
                }
                let folded = TextNormalizer.folded(value)
                if folded < 0x80 {
                    appendASCII(folded)
                    return
                }
                for byte in bytes { put(byte) }
                pendingSpace = false
                lastWasASCII = false
            }

            private mutating func put(_ byte: UInt8) {
                output[written] = byte
                written += 1
            }
        }

        /// The scalar starting at `index` and its length in bytes (Swift strings hold valid UTF-8).
        private static func decode(_ bytes: UnsafeBufferPointer<UInt8>, at index: Int) -> (UInt32, Int) {
            let lead = UInt32(bytes[index])
            if lead < 0x80 { return (lead, 1) }
            func next(_ offset: Int) -> UInt32 {
                index + offset < bytes.count ? UInt32(bytes[index + offset]) & 0x3F : 0
            }
            if lead < 0xE0 { return ((lead & 0x1F) << 6 | next(1), 2) }
            if lead < 0xF0 { return ((lead & 0x0F) << 12 | next(1) << 6 | next(2), 3) }
            return ((lead & 0x07) << 18 | next(1) << 12 | next(2) << 6 | next(3), 4)
        }

        private static func isIgnorable(_ value: UInt32) -> Bool {
            value == 0xAD || (0x200B...0x200D).contains(value) || value == 0x2060 || value == 0xFEFF
        }

        private static func isWhitespace(_ value: UInt32) -> Bool {
            switch value {
            case 0x09...0x0D, 0x20, 0x85, 0xA0, 0x1680, 0x2000...0x200A, 0x2028, 0x2029, 0x202F, 0x205F, 0x3000:
                true
            default:
                false
            }
        }

        /// ASCII lowercase, full-width forms to ASCII, typographic quotes and dashes to plain ones.
        private static func folded(_ value: UInt32) -> UInt32 {
            switch value {
            case 0x41...0x5A: value + 0x20
            case 0xFF21...0xFF3A: value - 0xFEE0 + 0x20
            case 0xFF01...0xFF5E: value - 0xFEE0
            case 0x2018, 0x2019, 0x201B, 0x2032: 0x27
            case 0x201C, 0x201D: 0x22
            case 0x2010...0x2015, 0x2212, 0xFE63: 0x2D
            case 0x3002: 0x2E
            default: value
            }
        }
    }

    /// Classifies bytes of normalised text.
    enum ByteKind {
        static func isDigit(_ byte: UInt8) -> Bool { (0x30...0x39).contains(byte) }
        static func isLetter(_ byte: UInt8) -> Bool { (0x61...0x7A).contains(byte) || (0x41...0x5A).contains(byte) }
        static func isWord(_ byte: UInt8) -> Bool { isDigit(byte) || isLetter(byte) }
        /// Width in distance units of the character this byte starts: 1 for ASCII, 2 otherwise, 0 for continuations.
        static func units(_ byte: UInt8) -> Int { byte < 0x80 ? 1 : (byte >= 0xC0 ? 2 : 0) }
    }
}
