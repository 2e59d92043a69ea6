import Foundation

/// Finds romance-scam signals in one chat message, in Korean or English; pure and fast enough for every message.
public struct ScamSignalDetector: Sendable {
    public init() {}

    /// The distinct signals in `text`, in `ScamSignal.allCases` order; empty means nothing was found.
    public func signals(in text: String) -> [ScamSignal] {
        let found = Self.engine.scan(text)
        return ScamSignal.allCases.filter { found.contains($0) }
    }

    /// Built once, on first use, and shared by every detector.
    private static let engine = SignalEngine(patterns: Vocabulary.patterns, rules: Vocabulary.rules)
}

// MARK: - How the detector works
//
// 1. The message is normalised into UTF-8 bytes: ASCII lowercased, full-width forms folded, curly quotes
//    and dashes straightened, invisible characters dropped, whitespace collapsed, and whitespace next to
//    Hangul removed (Korean spacing varies, so "돈 좀 보내" and "돈좀보내" read the same).
// 2. One pass of a byte-level Aho-Corasick automaton finds every vocabulary phrase; two hand-written
//    scanners find phone numbers and e-mail addresses. Each phrase is a *cue* (e.g. "a money noun").
// 3. A few cues are signals on their own; most signals need two cues close together, e.g. a money
//    noun near a request ("돈" + "보내 주세요"), a messenger right before an invitation ("카톡" + "아이디").
//    Distances are in units: one per ASCII character, two per Hangul syllable (about one Korean
//    syllable carries as much as two English letters).
// 4. Contact and off-platform signals are withdrawn when the message defers them until after meeting
//    ("번호는 만나서 드릴게요"), except for an actual phone number or e-mail address in the text.

extension ScamSignalDetector {
    /// A kind of phrase in the vocabulary; signals are cues alone or two cues close together.
    enum Cue: Int, CaseIterable {
        case moneyStrong, moneyNoun, moneyAsk, moneyFired
        case giftStrong, giftNoun, giftAsk
        case investStrong, investNoun, investPitch
        case offPlatformStrong, messenger, messengerPrefix, messengerSuffix, messengerInvite
        case contactShared, contactNoun, contactAsk, contactOffer
        case emergencyStrong, emergencyContext, helpAsk
        case meeting, deferral

        /// The signal this cue raises by itself, if any.
        var strongSignal: ScamSignal? {
            switch self {
            case .moneyStrong: .moneyRequest
            case .giftStrong: .giftCard
            case .investStrong: .investment
            case .offPlatformStrong: .offPlatform
            case .contactShared: .contactDetails
            case .emergencyStrong: .emergency
            default: nil
            }
        }
    }

    /// Two cues that together raise a signal when at most `maxGap` units apart (`ordered`: `first` comes first);
    /// with no signal, the pair marks a deferral ("번호는 만나면 드릴게요").
    struct PairRule: Sendable {
        let first: Cue
        let second: Cue
        let signal: ScamSignal?
        let maxGap: Int
        let ordered: Bool

        init(_ first: Cue, _ second: Cue, _ signal: ScamSignal?, maxGap: Int, ordered: Bool = false) {
            self.first = first
            self.second = second
            self.signal = signal
            self.maxGap = maxGap
            self.ordered = ordered
        }
    }

    /// One vocabulary phrase. In English text a phrase must start and end at word boundaries unless it
    /// begins or ends with `*`; `unlessPrecededBy` / `unlessFollowedBy` rule out look-alike words.
    struct PatternSpec: Sendable {
        let text: String
        let cue: Cue
        var unlessPrecededBy: [String] = []
        var unlessFollowedBy: [String] = []
    }

    /// A set of signals as a bit mask.
    struct SignalSet: Sendable {
        private var bits: UInt8 = 0

        func contains(_ signal: ScamSignal) -> Bool { bits & Self.bit(signal) != 0 }
        mutating func insert(_ signal: ScamSignal) { bits |= Self.bit(signal) }

        private static func bit(_ signal: ScamSignal) -> UInt8 {
            switch signal {
            case .moneyRequest: 1
            case .giftCard: 2
            case .investment: 4
            case .offPlatform: 8
            case .contactDetails: 16
            case .emergency: 32
            case .scamPattern: 64  // the model's, never the rules'
            }
        }
    }
}
