import Foundation
import Hummingbird
import HummingbirdTesting
import InyeonService
import Testing

/// With the database cut off, the service stays up, says it is degraded, answers 503 in the
/// envelope instead of hanging or crashing, and recovers by itself when the database returns.
@Suite struct DatabaseOutageTests {
    @Test func degradesWhileTheDatabaseIsUnreachableAndRecovers() async throws {
        let direct = try #require(DatabaseURL(try TestDatabase.databaseURL))
        let proxy = try await CuttableTCPProxy(upstreamHost: direct.host, upstreamPort: direct.port)
        let proxyTask = Task { try await proxy.run() }
        defer { proxyTask.cancel() }
        var viaProxy = try TestDatabase.databaseURL
        viaProxy = viaProxy.replacingOccurrences(of: ":\(direct.port)/", with: ":\(proxy.port)/")

        try await withApp(["DATABASE_URL": viaProxy]) { client in
            try await client.execute(uri: "/api/health", method: .get) { response in
                #expect(response.status == .ok)
            }
            // The operator's token is checked once while the database is up (its key is then known).
            let operatorHeaders = try await OperatorToken.headers()
            #expect(try await client.execute(uri: "/api/health/enhanced", method: .get, headers: operatorHeaders).status == .ok)

            proxy.cut()
            let started = ContinuousClock.now
            try await client.execute(uri: "/api/health", method: .get) { response in
                #expect(response.status == .serviceUnavailable)
                let body = try JSONBody(response)
                #expect(body["code"] as? String == "SERVICE_DEGRADED")
                #expect(body["data.status"] as? String == "degraded")
            }
            try await client.execute(uri: "/api/users", method: .get) { response in
                #expect(response.status == .serviceUnavailable)
                let body = try JSONBody(response)
                #expect(body["code"] as? String == "DATABASE_UNAVAILABLE")
            }
            try await client.execute(uri: "/api/health/enhanced", method: .get, headers: operatorHeaders) { response in
                #expect(response.status == .ok)
                let body = try JSONBody(response)
                #expect(body["data.status"] as? String == "degraded")
                #expect(body["data.database.status"] as? String == "unreachable")
            }
            try await client.execute(uri: "/ping", method: .get) { response in
                #expect(response.status == .ok)
            }
            #expect(ContinuousClock.now - started < .seconds(15), "answers come within the deadlines, not after a hang")

            proxy.restore()
            var recovered = false
            for _ in 0..<40 where !recovered {
                try await client.execute(uri: "/api/health", method: .get) { response in
                    recovered = response.status == .ok
                }
                if !recovered { try await Task.sleep(for: .milliseconds(500)) }
            }
            #expect(recovered, "healthy again once the database is back")
            try await client.execute(uri: "/api/users", method: .get) { response in
                #expect(response.status == .ok)
            }
        }
    }
}
