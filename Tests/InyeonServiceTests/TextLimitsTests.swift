import Foundation
import Hummingbird
import HummingbirdTesting
import Testing
@testable import InyeonService

/// Limits on text count the way PostgreSQL's CHECK constraints do (code points, not what a reader
/// sees as characters), so a value that passes the service's checks is also stored, and one that
/// does not gets the field's own error, never a bare constraint violation half-way through a flow.
@Suite struct TextLimitsTests {
    /// One character on screen, five code points.
    static let family = "👨‍👩‍👧"
    /// One character on screen, two code points (e and a combining acute accent).
    static let accented = "e\u{301}"

    @Test func storedLengthCountsCodePointsAndPrefixCutsBetweenCharacters() {
        #expect(Self.family.count == 1 && Self.family.storedLength == 5)
        #expect(String(repeating: Self.accented, count: 3).storedLength == 6)
        #expect(String(repeating: Self.accented, count: 3).prefix(storedLength: 5) == Self.accented + Self.accented)
        #expect(("ab" + Self.family).prefix(storedLength: 4) == "ab")
        #expect("인연".prefix(storedLength: 10) == "인연")
        #expect("".prefix(storedLength: 3) == "")
    }

    @Test func aNameTooLongForTheDatabaseIsRefusedAtSignUpNotAtConfirmation() async throws {
        try await withAccounts { accounts in
            for name in [String(repeating: Self.family, count: 9), String(repeating: Self.accented, count: 21)] {
                let response = try await accounts.post(
                    "/api/auth/signup",
                    ["email": AccountHelper.uniqueEmail(), "password": "a calm morning walk", "name": name, "consents": ["terms": true, "privacy": true]]
                )
                #expect(response.status == .badRequest)
                #expect(try JSONBody(response)["code"] as? String == "INVALID_NAME", "\(response.text)")
            }
            // Exactly 40 code points: signed up and confirmed.
            let email = AccountHelper.uniqueEmail()
            let accepted = try await accounts.post(
                "/api/auth/signup",
                ["email": email, "password": "a calm morning walk", "name": String(repeating: Self.accented, count: 20), "consents": ["terms": true, "privacy": true]]
            )
            #expect(accepted.status == .accepted)
            let mail = try await accounts.mail(to: email)
            let code = try #require(mail.split(separator: "\n").first { $0.hasPrefix("확인 코드: ") }).dropFirst("확인 코드: ".count)
            #expect(try await accounts.post("/api/auth/verify-email", ["email": email, "code": String(code)]).status == .created)
        }
    }

    @Test func aLongUserAgentIsCutToWhatTheSessionKeeps() async throws {
        try await withAccounts { accounts in
            let email = AccountHelper.uniqueEmail()
            _ = try await accounts.signUp(email: email)
            let response = try await accounts.client.execute(
                uri: "/api/auth/login", method: .post,
                headers: [.contentType: "application/json", .userAgent: String(repeating: Self.accented, count: 300)],
                body: accounts.json(["email": email, "password": "a calm morning walk"])
            )
            #expect(response.status == .ok, "\(response.text)")
        }
    }

    @Test func profileTextPastItsLimitGetsTheFieldsOwnError() async throws {
        try await withAccounts { accounts in
            let me = try await accounts.signUp()
            var profile = MyProfileTests.profile()
            profile["displayName"] = "\n\n"
            profile["bio"] = String(repeating: Self.family, count: 201)
            profile["location"] = ["city": String(repeating: Self.accented, count: 21), "district": "마포구", "latitude": 37.56, "longitude": 126.9]
            profile["occupation"] = ["industry": "education", "position": String(repeating: Self.accented, count: 31)]
            // 16 characters on screen, 32 code points: past the 30 an interest may hold.
            profile["interests"] = ["등산", String(repeating: Self.accented, count: 16)]
            var preferences = try #require(profile["preferences"] as? [String: Any])
            preferences["maritalStatuses"] = Array(repeating: "widowed", count: 5_000)
            profile["preferences"] = preferences
            let refused = try await MyProfileTests().put(accounts, profile, token: me.access)
            #expect(refused.status == .badRequest)
            let body = try JSONBody(refused)
            #expect(body["code"] as? String == "INVALID_PROFILE", "\(refused.text)")
            let fields = try #require(body["fields"] as? [String: String])
            #expect(
                Set(fields.keys).isSuperset(of: ["displayName", "bio", "location", "occupation.position", "interests", "preferences.maritalStatuses"]),
                "\(fields)"
            )
        }
    }

    @Test func aBodyPastTheLimitIsA413InTheEnvelope() async throws {
        try await withApp { client in
            let huge = "{\"email\":\"" + String(repeating: "a", count: 3 * 1024 * 1024) + "\",\"password\":\"x\"}"
            try await client.execute(
                uri: "/api/auth/login", method: .post, headers: [.contentType: "application/json"], body: ByteBuffer(string: huge)
            ) { response in
                #expect(response.status == .contentTooLarge)
                let body = try JSONBody(response)
                #expect(body["code"] as? String == "PAYLOAD_TOO_LARGE")
                #expect(body["success"] as? Bool == false)
            }
        }
    }
}
