import Foundation
import Hummingbird
import HummingbirdTesting
import InyeonService
import Testing

/// What the operator console stands on, through HTTP: `inyeon staff` makes a person an admin (her
/// old sessions end, her next sign-in carries the role, the change is audited), and the audit log's
/// filters (`action` exact or a prefix, `actor`, `target`, a page before a position) answer only what
/// they name, with a 400 for a value that is not what its name says.
@Suite struct StaffConsoleAPITests {
    @Test func aStaffRoleFromTheCommandLineEndsHerSessionsAndIsAudited() async throws {
        try await withAccounts { accounts in
            let email = AccountHelper.uniqueEmail(), password = "a calm morning walk"
            let before = try await accounts.signUp(email: email, password: password)
            #expect(try await accounts.get("/api/admin/audit-log", token: before.access).status == .forbidden)
            let configuration = try TestDatabase.configuration()
            #expect(try await OperatorTasks.setRole(configuration: configuration, email: email.uppercased(), role: .admin, logger: TestDatabase.logger)
                == .changed(from: "user", to: "admin"))
            #expect(try await OperatorTasks.setRole(configuration: configuration, email: email, role: .admin, logger: TestDatabase.logger) == .unchanged)
            #expect(try await OperatorTasks.setRole(configuration: configuration, email: AccountHelper.uniqueEmail(), role: .admin, logger: TestDatabase.logger)
                == .noSuchAccount)
            // The token from before the change no longer works; a new sign-in is an admin's.
            #expect(try await accounts.get("/api/auth/sessions", token: before.access).status == .unauthorized)
            let login = try await accounts.login(email: email, password: password)
            #expect(login.status == .ok)
            let admin = try JSONBody(login)["data.accessToken"] as! String
            let filtered = try await accounts.get("/api/admin/audit-log?action=account.role_changed&target=\(before.userID)", token: admin)
            #expect(filtered.status == .ok, "\(filtered.text)")
            let entries = try JSONBody(filtered)["data.entries"] as? [[String: Any]] ?? []
            #expect(entries.count == 1, "\(entries)")
            #expect((entries.first?["details"] as? [String: Any])?["to"] as? String == "admin")
        }
    }

    @Test func theAuditLogsFiltersAnswerOnlyWhatTheyName() async throws {
        try await withAccounts { accounts in
            let token = try await OperatorTasks.issueServiceToken(
                configuration: try TestDatabase.configuration(), name: "audit-filters", role: .admin, scope: "audit:read", lifetimeSeconds: 600,
                logger: TestDatabase.logger
            )
            let person = try await accounts.signUp()
            #expect(try await accounts.login(email: AccountHelper.uniqueEmail(), password: "not the password").status == .unauthorized)
            func entries(_ query: String) async throws -> [[String: Any]] {
                let response = try await accounts.get("/api/admin/audit-log?\(query)", token: token)
                #expect(response.status == .ok, "\(query): \(response.text)")
                return try JSONBody(response)["data.entries"] as? [[String: Any]] ?? []
            }
            let prefixed = try await entries("action=account.&limit=500")
            #expect(!prefixed.isEmpty && prefixed.allSatisfy { ($0["action"] as? String)?.hasPrefix("account.") == true })
            let exact = try await entries("action=auth.login_failed")
            #expect(!exact.isEmpty && exact.allSatisfy { $0["action"] as? String == "auth.login_failed" })
            // `_` and `%` are letters here, not LIKE's wildcards.
            #expect(try await entries("action=account_%").isEmpty)
            let hers = try await entries("actor=\(person.userID)")
            #expect(!hers.isEmpty && hers.allSatisfy { $0["actor_id"] as? String == person.userID.uppercased() || $0["actor_id"] as? String == person.userID })
            // Pages: everything before the oldest entry of the first page is older still.
            let first = try await entries("limit=3")
            let oldest = try #require(first.last?["chain_position"] as? Int)
            let next = try await entries("limit=3&before=\(oldest)")
            #expect(!next.isEmpty && next.allSatisfy { ($0["chain_position"] as? Int ?? .max) < oldest })
            #expect(try await entries("since=2999-01-01").isEmpty)
            #expect(try await entries("until=2000-01-01").isEmpty)
            for bad in ["actor=someone", "since=yesterday", "before=-1", "before=x"] {
                let refused = try await accounts.get("/api/admin/audit-log?\(bad)", token: token)
                #expect(refused.status == .badRequest, "\(bad): \(refused.status)")
                #expect(try JSONBody(refused)["code"] as? String == "INVALID_PARAMETER", "\(bad)")
            }
        }
    }
}
