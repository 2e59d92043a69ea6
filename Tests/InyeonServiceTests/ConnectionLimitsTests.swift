import Foundation
import Hummingbird
import HummingbirdTesting
import InyeonService
import Testing

/// The server's own defences against connections that never finish (assessment issue 15): each
/// test talks raw TCP to the live server, with the time limits shortened through the configuration.
@Suite struct ConnectionLimitsTests {
    static let shortLimits = [
        "HTTP_HEADER_TIMEOUT": "600ms", "HTTP_IDLE_TIMEOUT": "800ms", "HTTP_BODY_TIMEOUT": "800ms", "MAX_CONNECTIONS_PER_ADDRESS": "4",
    ]

    /// Runs `test` with the port of the live server.
    static func withLiveServer(_ overrides: [String: String] = shortLimits, _ test: @Sendable @escaping (Int) async throws -> Void) async throws {
        let app = try await buildApplication(configuration: try TestDatabase.configuration(overrides), logger: TestDatabase.logger)
        try await app.test(.live) { client in
            guard let port = client.port else { throw TestSetupError("the live test server has no port") }
            try await test(port)
        }
    }

    @Test func theLimitsHaveDefaultsAndRefuseNonsense() throws {
        let base = [
            "DATABASE_URL": "postgres://app:secret@127.0.0.1:5432/inyeon", "JWT_SECRET": "a-legacy-secret-of-at-least-32-characters",
            "DATA_ENCRYPTION_KEY": "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=",
        ]
        let limits = try AppConfiguration(reader: TestDatabase.reader(base)).connectionLimits
        #expect(limits.headerTimeout == .seconds(10))
        #expect(limits.idleTimeout == .seconds(60))
        #expect(limits.bodyTimeout == .seconds(120))
        #expect(limits.connectionsPerAddress == 64)
        let short = try AppConfiguration(reader: TestDatabase.reader(base.merging(["HTTP_HEADER_TIMEOUT": "500ms"]) { $1 })).connectionLimits
        #expect(short.headerTimeout == .milliseconds(500))
        for (variable, value) in [("HTTP_IDLE_TIMEOUT", "0"), ("HTTP_BODY_TIMEOUT", "soon"), ("MAX_CONNECTIONS_PER_ADDRESS", "0")] {
            #expect(throws: ConfigurationError.self, "\(variable)=\(value)") {
                try AppConfiguration(reader: TestDatabase.reader(base.merging([variable: value]) { $1 }))
            }
        }
    }

    @Test func aConnectionThatNeverSendsARequestIsClosedAfterTheHeaderTimeout() async throws {
        try await Self.withLiveServer { port in
            try await RawTCPConnection.with(port: port) { connection in
                let opened = ContinuousClock.now
                let closed = try await connection.closedByServer(within: .seconds(10))
                #expect(closed)
                #expect(ContinuousClock.now - opened >= .milliseconds(500), "not before the header timeout")
                #expect(connection.text.isEmpty)
            }
        }
    }

    @Test func aHalfSentRequestHeadIsClosedAfterTheHeaderTimeout() async throws {
        try await Self.withLiveServer { port in
            try await RawTCPConnection.with(port: port) { connection in
                try await connection.send("GET /api/health HTTP/1.1\r\nHost: localhost\r\nX-Slow: ")
                for _ in 0..<3 {
                    try await Task.sleep(for: .milliseconds(150))
                    try await connection.send("a")
                }
                #expect(try await connection.closedByServer(within: .seconds(10)), "trickling header bytes does not keep it open")
                #expect(connection.text.isEmpty)
            }
        }
    }

    @Test func anIdleKeepAliveConnectionIsClosedAfterTheIdleTimeout() async throws {
        try await Self.withLiveServer { port in
            try await RawTCPConnection.with(port: port) { connection in
                try await connection.send("GET /ping HTTP/1.1\r\nHost: localhost\r\n\r\n")
                #expect(try await connection.waitFor("\"pong\":true"))
                #expect(connection.text.hasPrefix("HTTP/1.1 200"))
                let answered = ContinuousClock.now
                #expect(try await connection.closedByServer(within: .seconds(10)))
                #expect(ContinuousClock.now - answered >= .milliseconds(700), "not before the idle timeout")
            }
        }
    }

    @Test func aBodyThatTricklesInIsCutOffAfterTheBodyTimeout() async throws {
        try await Self.withLiveServer { port in
            try await RawTCPConnection.with(port: port) { connection in
                try await connection.send(
                    "POST /api/auth/login HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: 200\r\n\r\n{"
                )
                let started = ContinuousClock.now
                while connection.channel.isActive, ContinuousClock.now - started < .seconds(10) {
                    try? await connection.send(" ")
                    try await Task.sleep(for: .milliseconds(100))
                }
                #expect(!connection.channel.isActive, "a body sent a byte at a time is cut off")
            }
        }
    }

    @Test func aClientThatDoesNotReadItsAnswersIsClosedAfterTheIdleTimeout() async throws {
        try await Self.withLiveServer { port in
            let connection = try await RawTCPConnection.open(port: port, reading: false)
            let asked = 150  // about 9 MB of answers, more than the socket buffers hold
            try await connection.send(String(repeating: "GET /openapi.json HTTP/1.1\r\nHost: localhost\r\n\r\n", count: asked))
            try await Task.sleep(for: .seconds(3))
            try await connection.startReading()
            let closed = try await connection.closedByServer(within: .seconds(20))
            #expect(closed)
            let answered = connection.text.components(separatedBy: "HTTP/1.1 200").count - 1
            #expect(answered < asked, "the server gave up on the reader: \(answered) of \(asked) answers")
            await connection.close()
        }
    }

    @Test(arguments: ["HELLO\r\n\r\n", "BREW /pot HTTP/1.1\r\nHost: localhost\r\n\r\n", "GET /ping HTTP/1.1\r\nBroken header line\r\n\r\n"])
    func anUnreadableRequestGets400AndTheConnectionCloses(request: String) async throws {
        try await Self.withLiveServer { port in
            try await RawTCPConnection.with(port: port) { connection in
                try await connection.send(request)
                #expect(try await connection.closedByServer(within: .seconds(10)))
                #expect(connection.text.hasPrefix("HTTP/1.1 400 "), "\(connection.text)")
                #expect(connection.text.lowercased().contains("connection: close"))
                #expect(connection.text.contains(#""code":"MALFORMED_REQUEST""#))
            }
        }
    }

    @Test func oneAddressCannotHoldMoreThanItsConnectionsWhileOthersAreServed() async throws {
        var limits = Self.shortLimits
        limits["HTTP_HEADER_TIMEOUT"] = "30s"
        try await Self.withLiveServer(limits) { port in
            var held: [RawTCPConnection] = []
            for _ in 0..<4 { held.append(try await RawTCPConnection.open(port: port, from: "127.0.0.3")) }
            try await RawTCPConnection.with(port: port, from: "127.0.0.3") { extra in
                let refused = try await extra.closedByServer(within: .seconds(5))
                #expect(refused, "the fifth connection from one address is refused")
            }
            for connection in held { #expect(connection.channel.isActive, "the first four stay open") }

            try await RawTCPConnection.with(port: port, from: "127.0.0.2") { someoneElse in
                try await someoneElse.send("GET /api/health HTTP/1.1\r\nHost: localhost\r\n\r\n")
                #expect(try await someoneElse.waitFor("\"status\":\"healthy\""), "another address is served: \(someoneElse.text)")
            }

            // A closed connection frees its place.
            for connection in held { await connection.close() }
            try await Task.sleep(for: .milliseconds(200))
            try await RawTCPConnection.with(port: port, from: "127.0.0.3") { again in
                try await again.send("GET /ping HTTP/1.1\r\nHost: localhost\r\n\r\n")
                #expect(try await again.waitFor("\"pong\":true"))
            }
        }
    }

    @Test func aTrustedProxyIsNotCountedAsOneClient() async throws {
        var limits = Self.shortLimits
        limits["HTTP_HEADER_TIMEOUT"] = "30s"
        limits["TRUST_PROXY"] = "true"
        limits["TRUSTED_PROXIES"] = "127.0.0.4"
        try await Self.withLiveServer(limits) { port in
            var held: [RawTCPConnection] = []
            for _ in 0..<6 { held.append(try await RawTCPConnection.open(port: port, from: "127.0.0.4")) }
            try await Task.sleep(for: .milliseconds(300))
            for connection in held { #expect(connection.channel.isActive) }
            for connection in held { await connection.close() }
        }
    }
}
