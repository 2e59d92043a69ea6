import Foundation

// MARK: - Phone number and e-mail scanners

extension ScamSignalDetector {
    /// A cue found by a scanner rather than the vocabulary, as byte offsets into normalised text.
    struct ScannedCue {
        let cue: Cue
        let startByte: Int
        let endByte: Int
    }

    /// Hand-written scanners for what a word list cannot describe.
    enum ContactScanner {
        typealias Bytes = UnsafeBufferPointer<UInt8>

        /// Phone numbers, e-mail addresses and @handles in normalised text, ordered by where they end.
        static func cues(in bytes: [UInt8]) -> [ScannedCue] {
            bytes.withUnsafeBufferPointer { cues(in: $0) }
        }

        private static func cues(in bytes: Bytes) -> [ScannedCue] {
            var found: [ScannedCue] = []
            var index = 0
            while index < bytes.count {
                let byte = bytes[index]
                if byte > 0x40 {  // letters and non-ASCII: the common case, nothing to do
                    index += 1
                } else if byte == 0x40 {  // @
                    if let cue = addressCue(at: index, in: bytes) { found.append(cue) }
                    index += 1
                } else if startsNumber(at: index, in: bytes) {
                    index = scanPhoneNumber(from: index, in: bytes, into: &found)
                } else {
                    index += 1
                }
            }
            return found.count > 1 ? found.sorted { $0.endByte < $1.endByte } : found
        }

        private static func startsNumber(at index: Int, in bytes: Bytes) -> Bool {
            let byte = bytes[index]
            let isSign = byte == 0x2B || byte == 0x28  // + or (
            let digitFollows = index + 1 < bytes.count && ByteKind.isDigit(bytes[index + 1])
            let opens = ByteKind.isDigit(byte) || (isSign && digitFollows)
            return opens && (index == 0 || !ByteKind.isWord(bytes[index - 1]))
        }

        private static func isSeparator(_ byte: UInt8) -> Bool {
            byte == 0x20 || byte == 0x2D || byte == 0x2E || byte == 0x28 || byte == 0x29
        }

        /// 9 to 15 digits with light separators that start with + or 0, have two dashes, or form three groups of
        /// 10-11 digits: 010-1234-5678, +82 10 1234 5678, 02-123-4567, 555 867 5309, 110-123-456789 (an account
        /// number). Returns where scanning resumes.
        private static func scanPhoneNumber(from start: Int, in bytes: Bytes, into found: inout [ScannedCue]) -> Int {
            var index = start
            var digits = 0, dashes = 0, separatorRun = 0, groups = 0
            var firstDigit: UInt8 = 0
            var phoneEnd: Int?  // the longest prefix that reads as a phone number
            let hasPlus = bytes[start] == 0x2B
            if hasPlus { index += 1 }
            while index < bytes.count {
                let byte = bytes[index]
                if ByteKind.isDigit(byte) {
                    if digits == 0 { firstDigit = byte }
                    if digits == 0 || separatorRun > 0 { groups += 1 }
                    digits += 1
                    if digits > 15 { break }  // too long to be one number; keep what was found
                    separatorRun = 0
                    let groupEnds = index + 1 >= bytes.count || !ByteKind.isDigit(bytes[index + 1])
                    let endsCleanly = index + 1 >= bytes.count || !ByteKind.isLetter(bytes[index + 1])
                    let looksLikePhone =
                        hasPlus || firstDigit == 0x30 || dashes >= 2 || (groups >= 3 && (10...11).contains(digits))
                    if groupEnds && endsCleanly && looksLikePhone && (9...15).contains(digits) { phoneEnd = index }
                } else if isSeparator(byte) && separatorRun < 3 {
                    separatorRun += 1
                    if byte == 0x2D { dashes += 1 }
                } else {
                    break
                }
                index += 1
            }
            guard let phoneEnd else { return max(index, start + 1) }
            found.append(ScannedCue(cue: .contactShared, startByte: start, endByte: phoneEnd))
            return phoneEnd + 1
        }

        /// name@example.com is a shared address; a bare @handle is a messenger invitation.
        private static func addressCue(at sign: Int, in bytes: Bytes) -> ScannedCue? {
            var localStart = sign
            while localStart > 0 && isLocalPart(bytes[localStart - 1]) { localStart -= 1 }
            var domainEnd = sign + 1
            while domainEnd < bytes.count && isDomainPart(bytes[domainEnd]) { domainEnd += 1 }
            while domainEnd > sign + 1 && (bytes[domainEnd - 1] == 0x2E || bytes[domainEnd - 1] == 0x2D) {
                domainEnd -= 1  // a trailing . or - ends the sentence, not the address
            }
            let domain = bytes[(sign + 1)..<domainEnd]
            if localStart < sign && isEmailDomain(domain) {
                return ScannedCue(cue: .contactShared, startByte: localStart, endByte: domainEnd - 1)
            }
            if localStart == sign && !domain.isEmpty && ByteKind.isWord(bytes[sign + 1]) {
                return ScannedCue(cue: .messengerInvite, startByte: sign, endByte: domainEnd - 1)
            }
            return nil
        }

        private static func isLocalPart(_ byte: UInt8) -> Bool {
            ByteKind.isWord(byte) || byte == 0x2E || byte == 0x5F || byte == 0x25 || byte == 0x2B || byte == 0x2D
        }

        private static func isDomainPart(_ byte: UInt8) -> Bool {
            ByteKind.isWord(byte) || byte == 0x2E || byte == 0x2D || byte == 0x5F
        }

        private static func isEmailDomain(_ domain: Slice<Bytes>) -> Bool {
            guard let dot = domain.lastIndex(of: 0x2E), dot > domain.startIndex else { return false }
            let topLevel = domain[(dot + 1)...]
            return topLevel.count >= 2 && topLevel.allSatisfy(ByteKind.isLetter)
        }
    }
}
