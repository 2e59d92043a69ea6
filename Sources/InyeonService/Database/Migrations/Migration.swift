import Crypto
import Foundation
import InyeonCore

/// A versioned schema change. The text is recorded with a SHA-256 checksum when applied, so an
/// edit to an already-applied migration is noticed instead of silently diverging.
struct Migration: Sendable {
    var version: Int
    var name: String
    /// SQL run by the owner role; `{{app_role}}` stands for the service's login role.
    var script: String

    var checksum: String {
        SHA256.hash(data: Data(script.utf8)).map { String(format: "%02x", $0) }.joined()
    }

    func statements(appRole: String) -> [String] {
        let quotedRole = "\"" + appRole.replacingOccurrences(of: "\"", with: "\"\"") + "\""
        return SQLStatementSplitter.statements(in: script.replacingOccurrences(of: "{{app_role}}", with: quotedRole))
    }

    /// Every migration, in the order they apply.
    static let all: [Migration] = [
        .schema, .rowLevelSecurity, .appRoleGrants, .accounts, .featureFlags, .matchLifecycle, .photos, .chat, .webApp, .cardFacts,
        .auditAboutMe, .verifiedIdentity, .rateLimits, .sessionEnds, .scamRisk, .mailOutbox, .accountRecovery, .interestLists, .notifications, .weMet,
        .reportsAndSupport, .profileChoices, .peopleCounts, .recommendationModels, .schemaVersion, .rolloutPlans, .rolloutHistory,
    ]
}
