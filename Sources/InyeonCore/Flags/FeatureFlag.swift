import Foundation

/// The rollout flags of the brief's phased plan.
public enum FeatureFlag: String, Sendable, CaseIterable, Codable {
    case enhancedAuth = "FEATURE_ENHANCED_AUTH"
    case aiInsights = "FEATURE_AI_INSIGHTS"
    case realTimeChat = "FEATURE_REAL_TIME_CHAT"

    /// The name the API shows (`enhancedAuth`, ...).
    public var apiName: String {
        switch self {
        case .enhancedAuth: "enhancedAuth"
        case .aiInsights: "aiInsights"
        case .realTimeChat: "realTimeChat"
        }
    }
}

/// A flag's setting: fully on, fully off, or on for a sticky percentage of people.
public enum FlagSetting: Sendable, Equatable, CustomStringConvertible {
    case on
    case off
    /// On for people whose bucket (1...100) is at most this number.
    case percentage(Int)

    public static let accepted = "true, false, or a percentage from 0% to 100% (for example 25%)"

    /// Parses `true`, `false`, `1`, `0`, `on`, `off` or `N%`; nil for anything else.
    public init?(parsing text: String) {
        let value = text.trimmingCharacters(in: .whitespaces).lowercased()
        switch value {
        case "true", "1", "on", "yes": self = .on
        case "false", "0", "off", "no": self = .off
        default:
            guard value.hasSuffix("%"), let number = Int(value.dropLast()), (0...100).contains(number) else { return nil }
            self = number == 100 ? .on : number == 0 ? .off : .percentage(number)
        }
    }

    public var description: String {
        switch self {
        case .on: "true"
        case .off: "false"
        case .percentage(let number): "\(number)%"
        }
    }

    /// Whether the flag is on for this person. Without an identity only a fully-on flag is on.
    public func isEnabled(flag: FeatureFlag, subject: String?) -> Bool {
        switch self {
        case .on: return true
        case .off: return false
        case .percentage(let number):
            guard let subject else { return false }
            return RolloutBucket.bucket(flag: flag.rawValue, subject: subject) <= number
        }
    }
}

/// A person's place in a rollout: a stable hash of the flag name and their id, 1...100.
///
/// Stable across processes and releases (FNV-1a, not Swift's seeded `Hasher`), so raising a
/// percentage only ever adds people.
public enum RolloutBucket {
    public static func bucket(flag: String, subject: String) -> Int {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in "\(flag):\(subject)".utf8 {
            hash ^= UInt64(byte)
            hash &*= 0x0000_0100_0000_01b3
        }
        return Int(hash % 100) + 1
    }
}
