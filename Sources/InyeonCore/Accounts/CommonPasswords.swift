import Foundation

/// Passwords that must not be chosen: the 20,000 most common in breach corpora (the list Django
/// ships, see the note at the top of `common-passwords.txt`), and the Korean keyboard patterns and
/// words that top local lists. Compared lowercased.
enum CommonPasswords {
    static func contains(_ lowered: String) -> Bool { list.contains(lowered) || korean.contains(lowered) }

    /// The breach list from the bundled resource (read once).
    static let list: Set<String> = {
        guard let url = Bundle.module.url(forResource: "common-passwords", withExtension: "txt"),
              let text = try? String(contentsOf: url, encoding: .utf8)
        else {
            return []
        }
        return Set(text.split(separator: "\n").lazy.filter { !$0.hasPrefix("## ") }.map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }
            .filter { !$0.isEmpty })
    }()

    /// The earlier hand-made list: Korean keyboard patterns (Korean words typed in English mode), dates,
    /// and this service's own name, kept beside the breach list.
    static let korean: Set<String> = [
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
