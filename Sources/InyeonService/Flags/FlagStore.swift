import Foundation
import InyeonCore
import Logging
import PostgresNIO
import Synchronization

/// The flags in force on this instance: the environment's defaults, overridden at runtime by what
/// admins store in `feature_flag_overrides`. Every instance listens on `inyeon_flags`, so a change
/// (a rollback above all) reaches all of them within a second, with no restart.
final class FlagStore: Sendable {
    private let defaults: [FeatureFlag: FlagSetting]
    private let database: Database
    private let logger: Logger
    private let rules: Mutex<[FeatureFlag: FlagRules]>
    static let channel = "inyeon_flags"

    private let onEvaluation: @Sendable (FeatureFlag, Bool) -> Void

    init(
        defaults: [FeatureFlag: FlagSetting], database: Database, logger: Logger,
        onEvaluation: @escaping @Sendable (FeatureFlag, Bool) -> Void = { _, _ in }
    ) {
        self.defaults = defaults
        self.database = database
        self.logger = logger
        self.onEvaluation = onEvaluation
        self.rules = Mutex(Self.environmentRules(defaults))
    }

    static func environmentRules(_ defaults: [FeatureFlag: FlagSetting]) -> [FeatureFlag: FlagRules] {
        Dictionary(uniqueKeysWithValues: FeatureFlag.allCases.map { ($0, FlagRules(setting: defaults[$0] ?? .off, source: "environment")) })
    }

    /// The rules for `flag` right now.
    func rules(for flag: FeatureFlag) -> FlagRules {
        rules.withLock { $0[flag] } ?? FlagRules(setting: defaults[flag] ?? .off, source: "environment")
    }

    /// Never throws: the answer and why.
    func evaluate(_ flag: FeatureFlag, for identity: RequestIdentity) -> FlagEvaluation {
        let evaluation = rules(for: flag).evaluate(
            flag: flag, subject: identity.userID?.uuidString.lowercased(), role: identity.userID == nil ? nil : identity.role.rawValue
        )
        onEvaluation(flag, evaluation.enabled)
        return evaluation
    }

    /// Each flag's setting, for health and status output.
    var settingsInForce: [String: String] {
        rules.withLock { rules in
            Dictionary(uniqueKeysWithValues: FeatureFlag.allCases.map { flag in
                let rule = rules[flag]
                let refinements = (rule?.roles.isEmpty ?? true) && (rule?.users.isEmpty ?? true) ? "" : " (with rules)"
                return (flag.apiName, (rule?.setting ?? .off).description + refinements)
            })
        }
    }

    /// Reads the overrides; a flag without one goes back to its environment default.
    func reload() async throws {
        let logger = self.logger
        let overrides = try await database.transaction(as: .system, logger: logger) { connection in
            var found: [(String, String, String, String)] = []
            for try await row in try await connection.query(
                "SELECT flag, setting, roles::text, users::text FROM feature_flag_overrides", logger: logger
            ).decode((String, String, String, String).self) {
                found.append(row)
            }
            return found
        }
        var next = Self.environmentRules(defaults)
        for (name, setting, roles, users) in overrides {
            guard let flag = FeatureFlag(rawValue: name), let setting = FlagSetting(parsing: setting) else { continue }
            next[flag] = FlagRules(
                setting: setting,
                roles: (try? JSONDecoder().decode([String: Bool].self, from: Data(roles.utf8))) ?? [:],
                users: (try? JSONDecoder().decode([String: Bool].self, from: Data(users.utf8))) ?? [:],
                source: "override"
            )
        }
        rules.withLock { $0 = next }
    }
}
