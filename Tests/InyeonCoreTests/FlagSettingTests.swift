import InyeonCore
import Testing

@Suite struct FlagSettingTests {
    @Test func parsesTheAcceptedForms() {
        #expect(FlagSetting(parsing: "true") == .on)
        #expect(FlagSetting(parsing: " FALSE ") == .off)
        #expect(FlagSetting(parsing: "25%") == .percentage(25))
        #expect(FlagSetting(parsing: "100%") == .on)
        #expect(FlagSetting(parsing: "0%") == .off)
        for invalid in ["maybe", "101%", "-1%", "%", "25", "2.5%"] {
            #expect(FlagSetting(parsing: invalid) == nil, "\(invalid)")
        }
    }

    @Test func bucketsAreStableAndInRange() {
        let bucket = RolloutBucket.bucket(flag: "FEATURE_AI_INSIGHTS", subject: "user-1")
        #expect((1...100).contains(bucket))
        #expect(RolloutBucket.bucket(flag: "FEATURE_AI_INSIGHTS", subject: "user-1") == bucket)
    }

    @Test func raisingAPercentageOnlyAddsPeople() {
        let people = (0..<2000).map { "person-\($0)" }
        var previous = Set<String>()
        for percentage in [10, 25, 50, 75, 99] {
            let enabled = Set(people.filter { FlagSetting.percentage(percentage).isEnabled(flag: .aiInsights, subject: $0) })
            #expect(previous.isSubset(of: enabled))
            let share = Double(enabled.count) / Double(people.count) * 100
            #expect(abs(share - Double(percentage)) < 5, "\(percentage)% enabled \(share)%")
            previous = enabled
        }
    }

    @Test func withoutAnIdentityOnlyAFullyOnFlagIsOn() {
        #expect(FlagSetting.percentage(99).isEnabled(flag: .enhancedAuth, subject: nil) == false)
        #expect(FlagSetting.on.isEnabled(flag: .enhancedAuth, subject: nil))
    }
}

@Suite struct FlagRulesTests {
    @Test func personRulesBeatRoleRulesWhichBeatTheSetting() {
        let rules = FlagRules(setting: .percentage(0 + 1), roles: ["admin": true], users: ["u1": false], source: "override")
        #expect(rules.evaluate(flag: .aiInsights, subject: "u1", role: "admin") == FlagEvaluation(enabled: false, reason: "user rule"))
        #expect(rules.evaluate(flag: .aiInsights, subject: "u2", role: "admin").enabled)
        #expect(rules.evaluate(flag: .aiInsights, subject: nil, role: nil) == FlagEvaluation(enabled: false, reason: "override: 1% rollout, no identity"))
    }
}
