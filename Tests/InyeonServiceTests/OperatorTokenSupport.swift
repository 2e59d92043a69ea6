import Foundation
import Hummingbird
import InyeonService

/// An operator's token for the routes that show the service's insides (`/metrics`,
/// `/api/health/enhanced`, `/api/rls/status`), as `inyeon token issue --role system --scope ops:read` prints it.
enum OperatorToken {
    static func opsRead() async throws -> String {
        try await OperatorTasks.issueServiceToken(
            configuration: try TestDatabase.configuration(), name: "ops-tests", role: .system, scope: "ops:read", lifetimeSeconds: 600,
            logger: TestDatabase.logger
        )
    }

    /// Headers carrying a fresh `ops:read` token.
    static func headers() async throws -> HTTPFields {
        [.authorization: "Bearer \(try await opsRead())"]
    }
}
