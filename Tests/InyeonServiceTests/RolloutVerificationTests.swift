import Foundation
import HummingbirdTesting
import InyeonService
import Synchronization
import Testing

/// `inyeon rollout verify`: the seed's checklist for each phase, against the service on a real port
/// with that phase's flags; a phase whose flags are not set, or checks without their credentials,
/// fail and say why.
@Suite struct RolloutVerificationTests {
    static let phaseFlags: [Int: [String: String]] = [
        1: [:],
        2: ["FEATURE_AI_INSIGHTS": "true"],
        3: ["FEATURE_AI_INSIGHTS": "true", "FEATURE_ENHANCED_AUTH": "true", "FEATURE_REAL_TIME_CHAT": "true"],
    ]

    /// The checklist for `phase` against a service started with `flags`, signed in as a new person.
    static func verify(
        phase number: Int, flags: [String: String], operatorToken: Bool = true, person: Bool = true
    ) async throws -> [RolloutVerification.Check] {
        var ceilings = try #require(RolloutVerification.Phase.numbered(number))
        // The memory KPI is this whole test process's, which hosts every suite, and its latency is a
        // debug build's (a sign-up's password hashing alone takes about half a second): the phase's
        // ceilings are for a release build serving alone. The checks of the KPIs themselves still run.
        ceilings.maximumMemoryMegabytes = 4096
        ceilings.maximumP95Milliseconds = 5000
        let phase = ceilings
        let checks = Mutex<[RolloutVerification.Check]>([])
        try await withAccounts(flags) { helper in
            let email = AccountHelper.uniqueEmail("verify"), password = "a calm morning walk"
            if person {
                let tokens = try await helper.signUp(email: email, password: password)
                try await HiddenFactsTests.put(helper, MyProfileTests.profile(), token: tokens.access)
            }
            let port = try #require(helper.client.port)
            let token = operatorToken ? try await OperatorToken.opsRead() : nil
            let found = await RolloutVerification(
                phase: phase, baseURL: "http://127.0.0.1:\(port)", operatorToken: token,
                person: person ? (email, password) : nil
            ).run()
            checks.withLock { $0 = found }
        }
        return checks.withLock { $0 }
    }

    @Test(arguments: [1, 2, 3])
    func eachPhasesChecklistPassesWithThatPhasesFlags(phase: Int) async throws {
        let checks = try await Self.verify(phase: phase, flags: Self.phaseFlags[phase]!)
        #expect(checks.count == 16)
        #expect(checks.filter { !$0.passed }.isEmpty, "\(RolloutVerification.table(checks))")
        #expect(RolloutVerification.table(checks).hasSuffix("all 16 checks passed"))
        print(RolloutVerification.table(checks))
    }

    @Test func aPhaseWhoseFlagsAreNotOnFailsAndSaysWhich() async throws {
        let checks = try await Self.verify(phase: 2, flags: Self.phaseFlags[1]!)
        let failed = checks.filter { !$0.passed }
        #expect(failed.map(\.name) == ["GET /api/matching/enhanced-test has aiInsights", "phase 2 flags"], "\(RolloutVerification.table(checks))")
        #expect(failed.last?.detail == "aiInsights is false; phase 2 wants it on")
        #expect(RolloutVerification.table(checks).hasSuffix("2 of 16 checks failed"))
    }

    @Test func checksWithoutTheirCredentialsFailSayingWhatToGive() async throws {
        let checks = try await Self.verify(phase: 1, flags: [:], operatorToken: false, person: false)
        let failed = checks.filter { !$0.passed }
        // The signed-in view, /api/health/enhanced, the flags, RLS and the four KPIs.
        #expect(failed.count == 8, "\(RolloutVerification.table(checks))")
        #expect(failed.allSatisfy { $0.detail.hasPrefix("not checked") })
        #expect(checks.first { $0.name.hasPrefix("GET /api/users/rls with an invalid token") }?.passed == true)
    }
}
