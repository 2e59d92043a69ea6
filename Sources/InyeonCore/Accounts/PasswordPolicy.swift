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
        if CommonPasswords.list.contains(lowered) { return .tooCommon }
        if let local = email?.lowercased().split(separator: "@").first, lowered == local { return .tooCommon }
        if Set(lowered).count == 1 { return .tooCommon }
        return nil
    }
}

/// The most used passwords in breach corpora, and the Korean keyboard patterns that top local lists.
enum CommonPasswords {
    static let list: Set<String> = [
        "12345678", "123456789", "1234567890", "password", "password1", "password123", "qwerty123", "qwertyuiop",
        "11111111", "00000000", "88888888", "iloveyou", "sunshine", "princess", "football", "baseball", "welcome1",
        "abc12345", "abcd1234", "1q2w3e4r", "1q2w3e4r5t", "q1w2e3r4", "qwer1234", "asdf1234", "zxcv1234", "1qaz2wsx",
        "a1234567", "aa123456", "passw0rd", "p@ssw0rd", "letmein1", "trustno1", "dragon12", "monkey12", "12341234",
        "11223344", "12121212", "123123123", "987654321", "87654321", "qazwsxedc", "zaq12wsx", "1234qwer", "qwe12345",
        "q1w2e3r4t5", "admin123", "administrator", "master12", "superman", "starwars", "whatever", "computer",
        "internet", "samsung1", "korea123", "saranghae", "sarang12", "iloveyou1", "loveyou1", "love1234", "gkstlf12",
        "dkssud12", "tkfkdgo", "tkfkdgo1", "rkskek12", "qwertyui", "asdfghjk", "zxcvbnm1", "asdfasdf", "qwerqwer",
        "changeme", "default1", "welcome123", "secret12", "inyeon123", "inyeon1234", "matching1", "20242024", "20252025",
        "20262026", "19701970", "19651965", "19601960", "password12", "1111aaaa", "aaaa1111", "a12345678", "abcdefgh",
    ]
}
