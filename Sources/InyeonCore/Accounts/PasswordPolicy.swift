import Foundation

/// What a password must be (NIST SP 800-63B): long enough, not one of the most common, and nothing
/// else: no composition rules, and long passphrases welcome.
public enum PasswordPolicy {
    public static let minimumLength = 8
    public static let maximumLength = 256

    public enum Problem: Equatable, Sendable {
        case tooShort, tooLong, tooCommon

        /// Plain Korean, for the person choosing it.
        public var message: String {
            switch self {
            case .tooShort: "비밀번호는 8자 이상이어야 합니다."
            case .tooLong: "비밀번호는 256자 이하여야 합니다."
            case .tooCommon: "너무 흔히 쓰이는 비밀번호입니다. 다른 비밀번호를 골라 주세요."
            }
        }
    }

    public static func problem(with password: String, email: String? = nil) -> Problem? {
        let length = password.count
        if length < minimumLength { return .tooShort }
        if length > maximumLength { return .tooLong }
        let lowered = password.lowercased()
        if CommonPasswords.contains(lowered) { return .tooCommon }
        // A common password with digits or symbols around it ("Password2024!", "!qwerty12") is as easily guessed.
        for core in commonPasswordCores(of: lowered) where core.count >= 4 && CommonPasswords.contains(core) { return .tooCommon }
        if let local = email?.lowercased().split(separator: "@").first, lowered == local { return .tooCommon }
        if Set(lowered).count == 1 { return .tooCommon }
        return nil
    }

    /// The password without what people add to a common one: symbols at its end ("qwer1234!@"),
    /// digits and symbols at its end ("sunshine1987!"), or at both ends ("!qwerty123").
    static func commonPasswordCores(of lowered: String) -> [String] {
        let symbols = CharacterSet.punctuationCharacters.union(.symbols).union(.whitespaces)
        let padding = symbols.union(.decimalDigits)
        func droppingTrailing(_ set: CharacterSet) -> String {
            String(String.UnicodeScalarView(lowered.unicodeScalars.reversed().drop(while: { set.contains($0) }).reversed()))
        }
        return [droppingTrailing(symbols), droppingTrailing(padding), lowered.trimmingCharacters(in: padding)].filter { $0 != lowered }
    }
}
