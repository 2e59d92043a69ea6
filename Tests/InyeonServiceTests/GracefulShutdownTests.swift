import Foundation
import HTTPTypes
import Hummingbird
@testable import HummingbirdTesting
@testable import InyeonService
import NIOCore
import NIOWebSocket
import WSCore
import PostgresNIO
import ServiceLifecycle
import Synchronization
import Testing

/// Stopping an instance as `inyeon serve` does on SIGTERM (`ServingApplication`, run in a service
/// group whose graceful shutdown the test triggers, as the signal does): it first reports not-ready
/// while still serving, then closes chat sockets with 4000 after the send in progress is acked, then
/// finishes the requests in flight.
@Suite(.serialized) struct GracefulShutdownTests {
    @Test func stoppingDrainsThenClosesSocketsWith4000AfterAckingTheCommittedSend() async throws {
        let outbox = AccountHelper.outboxDirectory()
        let configuration = try TestDatabase.configuration([
            "MAIL_OUTBOX_DIR": outbox, "TRUST_PROXY": "true", "FEATURE_REAL_TIME_CHAT": "true", "SHUTDOWN_DRAIN": "1500ms",
        ])
        let listening = PortPromise()
        let serving = try await buildServingApplication(
            configuration: configuration, logger: TestDatabase.logger, onServerRunning: { listening.fulfil($0.localAddress?.port ?? 0) }
        )
        let group = ServiceGroup(configuration: .init(services: [serving], logger: TestDatabase.logger))
        try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await group.run() }
            let port = await listening.value
            let client = TestClient(host: "localhost", port: port, configuration: .init(timeout: .seconds(20)))
            client.connect()
            let accounts = AccountHelper(client: LiveTestClient(client: client), outbox: outbox)
            let pair = try await ChatPair.make(accounts)
            let her = try await ChatTestSocket.open(port: port, conversation: pair.conversation, ticket: try await accounts.ticket(for: pair.first))
            let him = try await ChatTestSocket.open(port: port, conversation: pair.conversation, ticket: try await accounts.ticket(for: pair.second))

            // A request whose body is only half sent when the instance is told to stop.
            let login = #"{"email":"nobody-\#(UUID())@example.com","password":"not the password at all"}"#
            let inFlight = try await RawTCPConnection.open(port: port)
            try await inFlight.send(
                "POST /api/auth/login HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: \(login.utf8.count)\r\n\r\n"
                    + login.prefix(10)
            )

            try await TestDatabase.withOwnerClient { owner in
                try await owner.withConnection { connection in
                    // Her next send waits on this lock (the one `app.send_message` takes per sender)
                    // until the test lets it commit, well after the sockets were asked to close.
                    let key = "\(pair.first.id)"
                    try await connection.query("SELECT pg_advisory_lock(hashtextextended(\(key), 8))", logger: TestDatabase.logger).get()
                    try her.send(["type": "send", "clientId": "c-while-stopping", "text": "곧 다시 연결될 거예요"])
                    try await Task.sleep(for: .milliseconds(200))

                    await group.triggerGracefulShutdown()
                    // Not ready at once, yet still serving: the liveness probe, a new connection, the API.
                    try await Task.sleep(for: .milliseconds(100))
                    let health = try await client.get("/api/health")
                    #expect(health.status == .serviceUnavailable)
                    #expect(health.body.map { String(buffer: $0) }?.contains(#""code":"SHUTTING_DOWN""#) == true)
                    #expect(try await client.get("/ping").status == .ok)
                    let ready = try await client.get("/api/health/ready")
                    #expect(ready.status == .serviceUnavailable)
                    #expect(ready.body.map { String(buffer: $0) }?.contains(#""code":"NOT_READY""#) == true)
                    let fresh = TestClient(host: "localhost", port: port, configuration: .init(timeout: .seconds(5)))
                    fresh.connect()
                    #expect(try await fresh.get("/api/health").status == .serviceUnavailable, "a new connection is still answered while draining")
                    try await fresh.shutdown()

                    // The drain period (1.5 s) passes; the sockets are asked to close, but hers
                    // waits for the send it is handling.
                    try await Task.sleep(for: .milliseconds(1_900))
                    #expect(try await him.closedByServer()?.closeCode == .unknown(ChatConnection.CloseCode.resume))
                    #expect(try await her.next("ack", timeout: .milliseconds(300)) == nil, "no ack before the send commits")
                    try await connection.query("SELECT pg_advisory_unlock(hashtextextended(\(key), 8))", logger: TestDatabase.logger).get()
                }
            }
            let ack = try #require(try await her.next("ack"), "the committed send is acked before the socket closes")
            #expect(ack["clientId"] as? String == "c-while-stopping")
            let closed = try await her.closedByServer()
            #expect(closed?.closeCode == .unknown(4000))
            #expect(closed?.reason == "server restarting: reconnect and resume")

            // The request that was in flight is answered in full.
            try await inFlight.send(String(login.dropFirst(10)))
            #expect(try await inFlight.waitFor("HTTP/1.1 401", within: .seconds(10)))
            #expect(try await inFlight.waitFor(#""code":"INVALID_CREDENTIALS""#, within: .seconds(5)))
            try await client.shutdown()
            try await tasks.next()
        }
    }
}

/// A port learnt once the server listens.
final class PortPromise: Sendable {
    private let state = Mutex<(port: Int?, waiting: [CheckedContinuation<Int, Never>])>((nil, []))

    func fulfil(_ port: Int) {
        let waiting = state.withLock { state in
            state.port = port
            defer { state.waiting = [] }
            return state.waiting
        }
        for continuation in waiting { continuation.resume(returning: port) }
    }

    var value: Int {
        get async {
            await withCheckedContinuation { continuation in
                let port = state.withLock { state in
                    if state.port == nil { state.waiting.append(continuation) }
                    return state.port
                }
                if let port { continuation.resume(returning: port) }
            }
        }
    }
}

/// HummingbirdTesting's HTTP client as the account helpers' client, for a server the test runs itself.
struct LiveTestClient: TestClientProtocol {
    let client: TestClient

    func executeRequest(uri: String, method: HTTPRequest.Method, headers: HTTPFields, body: ByteBuffer?) async throws -> TestResponse {
        var headers = headers
        headers[.connection] = "keep-alive"
        let response = try await client.execute(.init(uri, method: method, authority: "localhost", headers: headers, body: body))
        return .init(head: response.head, body: response.body ?? ByteBuffer(), trailerHeaders: response.trailerHeaders)
    }

    var port: Int? { client.port }
}
