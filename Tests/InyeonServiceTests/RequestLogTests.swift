import Foundation
import Hummingbird
import HummingbirdTesting
@testable import InyeonService
import Logging
import Synchronization
import Testing

/// Each request leaves one line when it ends, with its status and duration, on its own logger (`MetricsMiddleware`).
@Suite struct RequestLogTests {
    final class Lines: Sendable {
        let lines = Mutex<[(message: String, metadata: Logger.Metadata)]>([])
    }

    struct CollectingHandler: LogHandler {
        let lines: Lines
        var metadata: Logger.Metadata = [:]
        var logLevel: Logger.Level = .info

        subscript(metadataKey key: String) -> Logger.Metadata.Value? {
            get { metadata[key] }
            set { metadata[key] = newValue }
        }

        func log(event: LogEvent) {
            var all = metadata
            all.merge(event.metadata ?? [:]) { $1 }
            lines.lines.withLock { $0.append((event.message.description, all)) }
        }
    }

    @Test func aRequestEndsWithALineNamingItsStatusAndDuration() async throws {
        let lines = Lines()
        let logger = Logger(label: "request-log-test") { _ in CollectingHandler(lines: lines) }
        let app = try await buildApplication(configuration: try TestDatabase.configuration(), logger: logger)
        try await app.test(.router) { client in
            _ = try await client.execute(uri: "/api/health", method: .get)
            _ = try await client.execute(uri: "/api/no-such-thing", method: .get)
        }
        let seen = lines.lines.withLock { $0 }
        let health = try #require(seen.first { $0.message == "GET /api/health 200" })
        #expect(health.metadata["duration_ms"].flatMap { Double("\($0)") } != nil)
        #expect(health.metadata["hb.request.id"] != nil || health.metadata.keys.contains { $0.contains("id") }, "the request's id: \(health.metadata)")
        #expect(seen.contains { $0.message == "GET /api/no-such-thing 404" })
    }
}
