import Foundation
import Hummingbird
import HummingbirdTesting
import InyeonService
import Testing

/// What the service tells about itself (assessment issue 15): the figures, the database role and the
/// tables are for operators; anyone may still ask whether it is up.
@Suite struct OperatorEndpointsTests {
    static let operatorOnly = ["/metrics", "/api/health/enhanced", "/api/rls/status"]

    @Test func theInnerFiguresNeedAnOperatorToken() async throws {
        try await withAccounts { accounts in
            let member = try await accounts.signUp()
            let operatorToken = try await OperatorToken.opsRead()
            let otherScope = try await OperatorTasks.issueServiceToken(
                configuration: try TestDatabase.configuration(), name: "ops-tests", role: .system, scope: "audit:read", lifetimeSeconds: 600,
                logger: TestDatabase.logger
            )
            for path in Self.operatorOnly {
                let anonymous = try await accounts.get(path, token: nil)
                #expect(anonymous.status == .unauthorized, "\(path)")
                #expect(try JSONBody(anonymous)["code"] as? String == "AUTH_REQUIRED", "\(path)")
                let person = try await accounts.get(path, token: member.access)
                #expect(person.status == .forbidden, "\(path)")
                #expect(try JSONBody(person)["code"] as? String == "FORBIDDEN", "\(path)")
                #expect(try await accounts.get(path, token: otherScope).status == .forbidden, "\(path): another scope")
                #expect(try await accounts.get(path, token: operatorToken).status == .ok, "\(path)")
            }
        }
    }

    @Test func livenessStaysPublicAndSaysLittle() async throws {
        try await withApp { client in
            let health = try await client.execute(uri: "/api/health", method: .get)
            #expect(health.status == .ok)
            let body = try JSONBody(health)
            // The build's version stamp is shown (operators and deploys compare it across instances); the
            // pool, the memory and the figures stay behind `ops:read`.
            #expect(Set((body["data"] as? [String: Any] ?? [:]).keys) == ["status", "database", "version", "uptimeSeconds", "timestamp"])
            #expect(try await client.execute(uri: "/ping", method: .get).status == .ok)
        }
    }

    @Test func everyAPIAnswerIsNotCachedNorSniffed() async throws {
        try await withApp { client in
            let operatorHeaders = try await OperatorToken.headers()
            let answers = [
                ("/api/users?limit=1", try await client.execute(uri: "/api/users?limit=1", method: .get)),
                ("/api/health", try await client.execute(uri: "/api/health", method: .get)),
                ("an error", try await client.execute(uri: "/api/users/rls", method: .get, headers: [.authorization: "Bearer not.a.token"])),
                ("an unknown path", try await client.execute(uri: "/api/no-such-thing", method: .get)),
                ("/metrics", try await client.execute(uri: "/metrics", method: .get, headers: operatorHeaders)),
            ]
            for (name, response) in answers {
                #expect(response.headers[.cacheControl] == "no-store", "\(name): \(response.status)")
                #expect(response.headers[.xContentTypeOptions] == "nosniff", "\(name)")
            }
            // Public files stay cacheable.
            let style = try await client.execute(uri: "/static/app.css", method: .get)
            #expect(style.status == .ok)
            #expect(style.headers[.cacheControl] == "max-age=3600")
        }
    }
}
