import Testing
@testable import InyeonCore

/// The common-password check: a breach list of about 20,000 (ASVS asks for at least the top 3,000),
/// compared case-insensitively and with the digits and symbols people add around a common word.
@Suite struct PasswordPolicyTests {
    /// The most common passwords of the well-known lists that are 8 characters or longer (shorter ones
    /// are refused for their length), and the Korean favourites.
    static let mostCommon = [
        "12345678", "123456789", "1234567890", "password", "password1", "qwerty123", "iloveyou", "1q2w3e4r", "qwertyuiop",
        "11111111", "00000000", "sunshine", "princess", "football", "baseball", "qwer1234", "asdf1234", "1qaz2wsx",
        "superman", "zxcvbnm1", "abcd1234", "password123", "welcome1", "starwars", "whatever", "trustno1", "1q2w3e4r5t",
        "q1w2e3r4", "aa123456", "michelle", "jennifer", "liverpool", "charlie1", "computer", "corvette", "mercedes",
    ]

    @Test func theMostCommonPasswordsAreRefused() {
        for password in Self.mostCommon {
            #expect(PasswordPolicy.problem(with: password) == .tooCommon, "\(password)")
        }
    }

    @Test func theListHasTheTwentyThousandFromTheResource() {
        #expect(CommonPasswords.list.count >= 19_000)
        #expect(!CommonPasswords.list.contains { $0.hasPrefix("## ") }, "the provenance note is not a password")
        // Entries that were never on the earlier hand-made list.
        for password in ["michelle", "jennifer", "liverpool", "mercedes", "corvette"] {
            #expect(CommonPasswords.list.contains(password), "\(password)")
        }
    }

    @Test func caseAndTheUsualAdditionsDoNotHideACommonPassword() {
        for password in ["PASSWORD", "Password1!", "Password2024!", "Sunshine1987", "!qwerty123", "iloveyou!!", "Qwer1234!@", "Michelle1965",
                         "football 2024", "1q2w3e4r!"] {
            #expect(PasswordPolicy.problem(with: password) == .tooCommon, "\(password)")
        }
    }

    @Test func passphrasesAndUncommonPasswordsPass() {
        for password in ["a calm morning walk", "another fine phrase", "leaked password 1", "제주도 바다 산책", "Tqz7-wp2n-Kx9e", "gyeongju in autumn"] {
            #expect(PasswordPolicy.problem(with: password) == nil, "\(password)")
        }
        #expect(PasswordPolicy.problem(with: "short") == .tooShort)
        #expect(PasswordPolicy.problem(with: "hong.gildong", email: "hong.gildong@example.com") == .tooCommon)
    }
}
