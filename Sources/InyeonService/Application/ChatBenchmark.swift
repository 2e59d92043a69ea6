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
/// pairs open N real WebSocket clients. Two phases:
/// 1. steady: every person sends a message every N/rate seconds (the whole service carries `rate`
///    messages a second), which is how chat load looks; measured: the time from sending to the
///    other person's socket and to the sender's ack (p50, p99);
/// 2. saturation: every person sends as fast as the acks come back; measured: messages stored and
///    delivered per second, and how latency grows when the service is the bottleneck.
/// Each person sends at most 30 messages in the minute, within the service's limit.
public enum ChatBenchmark {
    public struct Phase: Sendable {
        public var messages: Int
        public var seconds: Double
        public var deliveryP50Milliseconds: Double
        public var deliveryP99Milliseconds: Double
        public var ackP50Milliseconds: Double
        public var ackP99Milliseconds: Double
        public var messagesPerSecond: Double { Double(messages) / seconds }

        var summary: String {
            String(
                format: "messages=%d seconds=%.1f messages_per_second=%.0f delivery_p50=%.1fms delivery_p99=%.1fms ack_p50=%.1fms ack_p99=%.1fms",
                messages, seconds, messagesPerSecond, deliveryP50Milliseconds, deliveryP99Milliseconds, ackP50Milliseconds, ackP99Milliseconds
            )
        }
    }

    public struct Result: Sendable, CustomStringConvertible {
        public var sockets: Int
        public var steady: Phase
        public var saturation: Phase
        public var residentMegabytes: Double

        public var description: String {
            "sockets=\(sockets) rss=\(Int(residentMegabytes))MB\n  steady:     \(steady.summary)\n  saturation: \(saturation.summary)"
        }
    }

    struct Plan: Sendable {
        /// Messages each person sends in the steady phase, and the whole service's rate then.
        var steadyMessages: Int
        var steadyRate: Double
        /// Messages each person sends in the saturation phase.
        var burstMessages: Int
        var sockets: Int
        /// Seconds between one person's steady messages.
        var interval: Double { Double(sockets) / steadyRate }
    }

    public static func run(
        configuration: AppConfiguration, sockets: Int, steadyRate: Double, steadyMessages: Int, burstMessages: Int, logger: Logger
    ) async throws -> Result {
        var configuration = configuration
        configuration.host = "127.0.0.1"
        configuration.port = try freePort()
        configuration.flags[.realTimeChat] = .on
        // Every simulated person connects from this machine's one address.
        configuration.connectionLimits.connectionsPerAddress = max(configuration.connectionLimits.connectionsPerAddress, sockets + 16)
        let app = try await buildApplication(configuration: configuration, logger: logger)
        let server = Task { try await app.runService(gracefulShutdownSignals: []) }
        defer { server.cancel() }
        let port = configuration.port
        try await waitUntilServing(port: port)
        let plan = Plan(steadyMessages: steadyMessages, steadyRate: steadyRate, burstMessages: burstMessages, sockets: sockets)

        return try await OperatorTasks.withDatabase(configuration, logger: logger) { database in
            let people = try await makePairs(sockets / 2, database: database, logger: logger)
            defer { Task { try? await removePeople(people.map(\.userID), database: database, logger: logger) } }
            let measurements = Measurements()
            let steady = Gate(), burst = Gate(), finish = Gate()
            let clients = Task {
                try await withThrowingTaskGroup(of: Void.self) { group in
                    for (index, person) in people.enumerated() {
                        group.addTask {
                            try await runClient(
                                port: port, person: person, index: index, plan: plan,
                                gates: (steady, burst, finish), measurements: measurements, logger: logger
                            )
                        }
                    }
                    try await group.waitForAll()
                }
            }
            try await measurements.waitUntilReady(people.count, deadline: .seconds(120))
            let steadyPhase = try await measure(.steady, opening: steady, expecting: people.count * steadyMessages, measurements)
            let saturationPhase = try await measure(.saturation, opening: burst, expecting: people.count * burstMessages, measurements)
            let resident = Double(ProcessMemory.residentBytes() ?? 0) / 1_048_576
            finish.open()
            try await clients.value
            return Result(sockets: people.count, steady: steadyPhase, saturation: saturationPhase, residentMegabytes: resident)
        }
    }

    enum PhaseName: Int, Sendable {
        case steady = 0, saturation = 1
    }

    private static func measure(_ phase: PhaseName, opening gate: Gate, expecting messages: Int, _ measurements: Measurements) async throws -> Phase {
        let began = ContinuousClock.now
        gate.open()
        try await measurements.waitUntilDelivered(messages, in: phase, deadline: .seconds(600))
        let seconds = CacheBenchmark.milliseconds(ContinuousClock.now - began) / 1000
        let (delivery, acks) = measurements.latencies(phase)
        return Phase(
            messages: messages, seconds: seconds,
            deliveryP50Milliseconds: CacheBenchmark.percentile(delivery, 0.5), deliveryP99Milliseconds: CacheBenchmark.percentile(delivery, 0.99),
            ackP50Milliseconds: CacheBenchmark.percentile(acks, 0.5), ackP99Milliseconds: CacheBenchmark.percentile(acks, 0.99)
        )
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

    /// One person's socket: in the steady phase it sends at its own slot of the schedule, in the
    /// saturation phase as fast as acks come back; it records the latency of what the other person
    /// sends, then waits for the end to close.
    static func runClient(
        port: Int, person: Person, index: Int, plan: Plan, gates: (steady: Gate, burst: Gate, finish: Gate), measurements: Measurements,
        logger: Logger
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
                        case "ready": measurements.countReady()
                        case "ack": ackContinuation.yield()
                        case "message":
                            // "… @<phase>:<nanoseconds since origin>", stamped by the sender with this process's clock.
                            guard let stamp = incoming.message?.text.split(separator: "@").last?.split(separator: ":"), stamp.count == 2,
                                  let phase = Int(stamp[0]).flatMap(PhaseName.init(rawValue:)), let nanoseconds = Int64(stamp[1]) else { continue }
                            measurements.recordDelivery(CacheBenchmark.milliseconds(clock.now - (origin + .nanoseconds(nanoseconds))), in: phase)
                        default: break
                        }
                    }
                }
                group.addTask {
                    var pending = acks.makeAsyncIterator()
                    func send(_ number: Int, _ phase: PhaseName) async throws -> Bool {
                        let sentAt = clock.now
                        let stamp = (sentAt - origin).components
                        let nanoseconds = stamp.seconds * 1_000_000_000 + stamp.attoseconds / 1_000_000_000
                        try await outbound.write(.text(
                            #"{"type":"send","clientId":"b\#(index)-\#(number)","text":"안녕하세요, 오늘 산책 어떠셨어요? @\#(phase.rawValue):\#(nanoseconds)"}"#
                        ))
                        guard await pending.next() != nil else { return false }
                        measurements.recordAck(CacheBenchmark.milliseconds(clock.now - sentAt), in: phase)
                        return true
                    }
                    await gates.steady.wait()
                    // Spread over the schedule: this person's first message comes at its own offset.
                    let steadyStart = clock.now
                    let offset = plan.interval * Double(index) / Double(plan.sockets)
                    for number in 0..<plan.steadyMessages {
                        try await clock.sleep(until: steadyStart + .seconds(offset + plan.interval * Double(number)))
                        guard try await send(number, .steady) else { return }
                    }
                    await gates.burst.wait()
                    for number in plan.steadyMessages..<(plan.steadyMessages + plan.burstMessages) {
                        guard try await send(number, .saturation) else { return }
                    }
                    await gates.finish.wait()
                    try await outbound.close(.normalClosure, reason: nil)
                }
                try await group.next()
                try await group.next()
            }
        }
    }

    /// Counters and latencies shared by every client, per phase.
    final class Measurements: Sendable {
        private struct Recorded {
            var ready = 0
            var delivered = [0, 0]
            var delivery: [[Double]] = [[], []]
            var acks: [[Double]] = [[], []]
        }

        private let recorded = Mutex(Recorded())

        func countReady() { recorded.withLock { $0.ready += 1 } }

        func recordDelivery(_ milliseconds: Double, in phase: PhaseName) {
            recorded.withLock {
                $0.delivery[phase.rawValue].append(milliseconds)
                $0.delivered[phase.rawValue] += 1
            }
        }

        func recordAck(_ milliseconds: Double, in phase: PhaseName) { recorded.withLock { $0.acks[phase.rawValue].append(milliseconds) } }

        func latencies(_ phase: PhaseName) -> (delivery: [Double], acks: [Double]) {
            recorded.withLock { ($0.delivery[phase.rawValue], $0.acks[phase.rawValue]) }
        }

        func waitUntilReady(_ target: Int, deadline: Duration) async throws {
            try await wait(deadline: deadline, what: "sockets ready", target: target) { recorded.withLock { $0.ready } }
        }

        func waitUntilDelivered(_ target: Int, in phase: PhaseName, deadline: Duration) async throws {
            try await wait(deadline: deadline, what: "messages delivered", target: target) { recorded.withLock { $0.delivered[phase.rawValue] } }
        }

        private func wait(deadline: Duration, what: String, target: Int, count: () -> Int) async throws {
            let start = ContinuousClock.now
            while count() < target {
                guard ContinuousClock.now - start < deadline else { throw BenchmarkError("only \(count()) of \(target) \(what) after \(deadline)") }
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
