/// A flag's rules in force: a setting, optionally refined per role and per person.
/// Per-person rules win over per-role rules, which win over the setting.
public struct FlagRules: Sendable, Equatable, Codable {
    public var setting: FlagSetting
    public var roles: [String: Bool]
    public var users: [String: Bool]
    /// Where the setting came from: `environment` or `override`.
    public var source: String

    public init(setting: FlagSetting, roles: [String: Bool] = [:], users: [String: Bool] = [:], source: String) {
        self.setting = setting
        self.roles = roles
        self.users = users
        self.source = source
    }

    enum CodingKeys: String, CodingKey {
        case setting, roles, users, source
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let text = try container.decode(String.self, forKey: .setting)
        guard let setting = FlagSetting(parsing: text) else {
            throw DecodingError.dataCorruptedError(forKey: .setting, in: container, debugDescription: FlagSetting.accepted)
        }
        self.setting = setting
        roles = try container.decodeIfPresent([String: Bool].self, forKey: .roles) ?? [:]
        users = try container.decodeIfPresent([String: Bool].self, forKey: .users) ?? [:]
        source = try container.decodeIfPresent(String.self, forKey: .source) ?? "override"
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(setting.description, forKey: .setting)
        try container.encode(roles, forKey: .roles)
        try container.encode(users, forKey: .users)
        try container.encode(source, forKey: .source)
    }

    /// Never throws: an unknown role or a missing identity falls through to the setting, with the reason.
    public func evaluate(flag: FeatureFlag, subject: String?, role: String?) -> FlagEvaluation {
        if let subject, let rule = users[subject] {
            return FlagEvaluation(enabled: rule, reason: "user rule")
        }
        if let role, let rule = roles[role] {
            return FlagEvaluation(enabled: rule, reason: "role rule (\(role))")
        }
        let enabled = setting.isEnabled(flag: flag, subject: subject)
        switch setting {
        case .on, .off:
            return FlagEvaluation(enabled: enabled, reason: "\(source): \(enabled ? "on" : "off")")
        case .percentage(let percentage):
            let bucket = subject.map { "bucket \(RolloutBucket.bucket(flag: flag.rawValue, subject: $0))" } ?? "no identity"
            return FlagEvaluation(enabled: enabled, reason: "\(source): \(percentage)% rollout, \(bucket)")
        }
    }
}

public struct FlagEvaluation: Sendable, Equatable, Codable {
    public var enabled: Bool
    public var reason: String

    public init(enabled: Bool, reason: String) {
        self.enabled = enabled
        self.reason = reason
    }
}
