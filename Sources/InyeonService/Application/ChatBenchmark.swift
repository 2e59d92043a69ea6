import AsyncHTTPClient
import Foundation
import Hummingbird
import HummingbirdWSClient
import InyeonCore
import Logging
import NIOCore
import NIOHTTP1
import NIOWebSocket
import PostgresNIO
import ServiceLifecycle
import Synchronization

/// The chat benchmark: the service runs in this process on a real port; N people in N/2 matched
/// pairs open N real WebSocket clients; each person then sends messages one after another (the
/// next when the last is acknowledged). Measured: messages stored and delivered per second, the
/// time from sending to the other person's socket (p50, p99), and the time to the sender's ack.
public enum ChatBenchmark {
    public struct Result: Sendable, CustomStringConvertible {
        public var sockets: Int
        public var messages: Int
        public var seconds: Double
        public var deliveryP50Milliseconds: Double
        public var deliveryP99Milliseconds: Double
        public var ackP50Milliseconds: Double
        public var ackP99Milliseconds: Double
        public var residentMegabytes: Double

        public var messagesPerSecond: Double { Double(messages) / seconds }

        public var description: String {
            String(
                format: "sockets=%d messages=%d seconds=%.2f messages_per_second=%.0f delivery_p50=%.1fms delivery_p99=%.1fms ack_p50=%.1fms ack_p99=%.1fms rss=%.0fMB",
                sockets, messages, seconds, messagesPerSecond, deliveryP50Milliseconds, deliveryP99Milliseconds, ackP50Milliseconds,
                ackP99Milliseconds, residentMegabytes
            )
        }
    }

    public static func run(configuration: AppConfiguration, sockets: Int, messagesPerSocket: Int, logger: Logger) async throws -> Result {
        var configuration = configuration
        configuration.host = "127.0.0.1"
        configuration.port = try freePort()
        configuration.flags[.realTimeChat] = .on
        let app = try await buildApplication(configuration: configuration, logger: logger)
        let server = Task { try await app.runService(gracefulShutdownSignals: []) }
        defer { server.cancel() }
        let port = configuration.port
        try await waitUntilServing(port: port)

        return try await OperatorTasks.withDatabase(configuration, logger: logger) { database in
            let people = try await makePairs(sockets / 2, database: database, logger: logger)
            defer { Task { try? await removePeople(people.map(\.userID), database: database, logger: logger) } }
            let measurements = Measurements()
            let start = Gate(), finish = Gate()
            let clients = Task {
                try await withThrowingTaskGroup(of: Void.self) { group in
                    for (index, person) in people.enumerated() {
                        group.addTask {
                            try await runClient(
                                port: port, person: person, index: index, messages: messagesPerSocket,
                                start: start, finish: finish, measurements: measurements, logger: logger
                            )
                        }
                    }
                    try await group.waitForAll()
                }
            }
            try await measurements.waitUntil(\.ready, reaches: people.count, deadline: .seconds(120))
            let began = ContinuousClock.now
            start.open()
            try await measurements.waitUntil(\.delivered, reaches: people.count * messagesPerSocket, deadline: .seconds(600))
            let seconds = CacheBenchmark.milliseconds(ContinuousClock.now - began) / 1000
            let resident = Double(ProcessMemory.residentBytes() ?? 0) / 1_048_576
            finish.open()
            try await clients.value
            let (delivery, acks) = measurements.latencies()
            return Result(
                sockets: people.count, messages: people.count * messagesPerSocket, seconds: seconds,
                deliveryP50Milliseconds: CacheBenchmark.percentile(delivery, 0.5), deliveryP99Milliseconds: CacheBenchmark.percentile(delivery, 0.99),
                ackP50Milliseconds: CacheBenchmark.percentile(acks, 0.5), ackP99Milliseconds: CacheBenchmark.percentile(acks, 0.99),
                residentMegabytes: resident
            )
        }
    }

    struct Person: Sendable {
        var userID: UUID
        var conversation: UUID
        var ticket: String
    }

    /// N/2 pairs, each matched, each person with a session and a socket ticket (written as the system).
    static func makePairs(_ count: Int, database: Database, logger: Logger) async throws -> [Person] {
        let low = (0..<count).map { _ in UUID() }, high = (0..<count).map { _ in UUID() }
        let everyone = low + high
        let tickets = everyone.map { _ in OpaqueToken.generate() }
        let hashes = tickets.map { OpaqueToken.hash($0).map { String(format: "%02x", $0) }.joined() }
        return try await database.transaction(as: .system, logger: logger) { connection in
            try await connection.query("INSERT INTO accounts (id) SELECT unnest(\(everyone)::uuid[])", logger: logger)
            var conversations: [UUID: UUID] = [:]
            for try await (id, first, second) in try await connection.query(
                """
                INSERT INTO matches (user_low, user_high)
                SELECT least(a, b), greatest(a, b) FROM unnest(\(low)::uuid[], \(high)::uuid[]) AS pair(a, b)
                RETURNING id, user_low, user_high
                """,
                logger: logger
            ).decode((UUID, UUID, UUID).self) {
                conversations[first] = id
                conversations[second] = id
            }
            try await connection.query(
                """
                WITH opened AS (
                    INSERT INTO sessions (user_id, expires_at) SELECT unnest(\(everyone)::uuid[]), now() + interval '1 hour'
                    RETURNING id, user_id
                )
                INSERT INTO websocket_tickets (ticket_hash, user_id, session_id, expires_at)
                SELECT decode(t.hex, 'hex'), o.user_id, o.id, now() + interval '10 minutes'
                FROM unnest(\(everyone)::uuid[], \(hashes)::text[]) AS t(user_id, hex)
                JOIN opened o ON o.user_id = t.user_id
                """,
                logger: logger
            )
            return zip(everyone, tickets).map { Person(userID: $0, conversation: conversations[$0]!, ticket: $1) }
        }
    }

    static func removePeople(_ ids: [UUID], database: Database, logger: Logger) async throws {
        try await database.transaction(as: .system, logger: logger) { connection in
            try await connection.query("DELETE FROM accounts WHERE id = ANY(\(ids))", logger: logger)
        }
    }

    private struct Incoming: Decodable {
        struct Message: Decodable { var text: String }
        var type: String
        var message: Message?
    }

    /// One person's socket: waits for the start, sends `messages` one after another (each after the
    /// last one's ack), records the latency of what arrives from the other person, then waits to close.
    static func runClient(
        port: Int, person: Person, index: Int, messages: Int, start: Gate, finish: Gate, measurements: Measurements, logger: Logger
    ) async throws {
        let url = "ws://127.0.0.1:\(port)/api/conversations/\(person.conversation.uuidString.lowercased())/socket?ticket=\(person.ticket)"
        let clock = ContinuousClock()
        let origin = clock.now
        _ = try await WebSocketClient.connect(url: url, logger: logger) { inbound, outbound, _ in
            let (acks, ackContinuation) = AsyncStream.makeStream(of: Void.self)
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask {
                    let decoder = JSONDecoder()
                    for try await frame in inbound.messages(maxSize: 1 << 16) {
                        guard case .text(let text) = frame, let incoming = try? decoder.decode(Incoming.self, from: Data(text.utf8)) else { continue }
                        switch incoming.type {
                        case "ready": measurements.add(\.ready)
                        case "ack": ackContinuation.yield()
                        case "message":
                            // "… @<nanoseconds since origin>": the sender's clock, which is this process's clock.
                            if let stamp = incoming.message?.text.split(separator: "@").last.flatMap({ Int64($0) }) {
                                let sent = origin + .nanoseconds(stamp)
                                measurements.recordDelivery(CacheBenchmark.milliseconds(clock.now - sent))
                            }
                        default: break
                        }
                    }
                }
                group.addTask {
                    await start.wait()
                    var pending = acks.makeAsyncIterator()
                    for number in 0..<messages {
                        let sentAt = clock.now
                        let stamp = (sentAt - origin).components
                        let nanoseconds = stamp.seconds * 1_000_000_000 + stamp.attoseconds / 1_000_000_000
                        try await outbound.write(.text(
                            #"{"type":"send","clientId":"b\#(index)-\#(number)","text":"안녕하세요, 오늘 산책 어떠셨어요? @\#(nanoseconds)"}"#
                        ))
                        guard await pending.next() != nil else { return }
                        measurements.recordAck(CacheBenchmark.milliseconds(clock.now - sentAt))
                    }
                    await finish.wait()
                    try await outbound.close(.normalClosure, reason: nil)
                }
                try await group.next()
                try await group.next()
            }
        }
    }

    /// Counters and latencies shared by every client.
    final class Measurements: Sendable {
        struct Counts {
            var ready = 0
            var delivered = 0
        }

        private let counts = Mutex(Counts())
        private let recorded = Mutex<(delivery: [Double], acks: [Double])>(([], []))

        func add(_ counter: WritableKeyPath<Counts, Int>) { counts.withLock { $0[keyPath: counter] += 1 } }

        func recordDelivery(_ milliseconds: Double) {
            recorded.withLock { $0.delivery.append(milliseconds) }
            add(\.delivered)
        }

        func recordAck(_ milliseconds: Double) { recorded.withLock { $0.acks.append(milliseconds) } }

        func latencies() -> (delivery: [Double], acks: [Double]) { recorded.withLock { ($0.delivery, $0.acks) } }

        func waitUntil(_ counter: KeyPath<Counts, Int>, reaches target: Int, deadline: Duration) async throws {
            let start = ContinuousClock.now
            while counts.withLock({ $0[keyPath: counter] }) < target {
                guard ContinuousClock.now - start < deadline else {
                    throw BenchmarkError("only \(counts.withLock { $0[keyPath: counter] }) of \(target) after \(deadline)")
                }
                try await Task.sleep(for: .milliseconds(10))
            }
        }
    }

    /// Holds every waiter until opened.
    final class Gate: Sendable {
        private let state = Mutex<(open: Bool, waiters: [CheckedContinuation<Void, Never>])>((false, []))

        func wait() async {
            await withCheckedContinuation { continuation in
                let resumeNow = state.withLock { state in
                    if state.open { return true }
                    state.waiters.append(continuation)
                    return false
                }
                if resumeNow { continuation.resume() }
            }
        }

        func open() {
            let waiters = state.withLock { state in
                state.open = true
                defer { state.waiters = [] }
                return state.waiters
            }
            for waiter in waiters { waiter.resume() }
        }
    }

    struct BenchmarkError: Error, CustomStringConvertible {
        var description: String
        init(_ description: String) { self.description = description }
    }

    static func freePort() throws -> Int {
        let socket = try ServerSocketProbe()
        return socket.port
    }

    static func waitUntilServing(port: Int) async throws {
        let start = ContinuousClock.now
        while ContinuousClock.now - start < .seconds(120) {
            if let response = try? await HTTPClient.shared.get(url: "http://127.0.0.1:\(port)/api/health").get(), response.status == .ok { return }
            try await Task.sleep(for: .milliseconds(100))
        }
        throw BenchmarkError("the service did not start on port \(port)")
    }
}

/// Asks the kernel for a free TCP port by binding port 0 and letting it go.
private struct ServerSocketProbe {
    let port: Int

    init() throws {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard descriptor >= 0 else { throw ChatBenchmark.BenchmarkError("socket() failed") }
        defer { close(descriptor) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(descriptor, $0, length) == 0 && getsockname(descriptor, $0, &length) == 0 }
        }
        guard bound else { throw ChatBenchmark.BenchmarkError("could not find a free port") }
        port = Int(UInt16(bigEndian: address.sin_port))
    }
}
