import Foundation
import Logging
import PostgresNIO
import ServiceLifecycle
import Synchronization

/// Listens on PostgreSQL channels and hands each notification to its handler; this is how a change
/// made through one instance reaches all of them. After a reconnect every handler is told to
/// resynchronise (`payload` nil), since notifications sent meanwhile are lost.
///
/// The listening connection is leased for good, so the pool's keep-alive never reaches it, and a
/// stalled backend or a path that drops packets would leave it silent while everything else works.
/// So the listener checks itself: every `heartbeat.interval` it notifies its own channel through
/// another connection and expects to hear it within `heartbeat.deadline`; when it does not, it
/// closes the connection, logs why, and listens again on a new one (handlers resynchronise).
final class DatabaseNotifications: Service, Sendable {
    typealias Handler = @Sendable (_ payload: String?) async -> Void

    struct Heartbeat: Sendable {
        var interval: Duration = .seconds(5)
        var deadline: Duration = .seconds(5)
    }

    /// The listener as health and metrics show it.
    struct Status: Sendable, Encodable {
        /// When this instance last heard its own heartbeat (nil before the first).
        var lastHeartbeat: Date?
        /// How often the listener was started again because a heartbeat went missing.
        var stalls: Int
    }

    private let client: PostgresClient
    private let handlers: [String: Handler]
    private let logger: Logger
    private let heartbeat: Heartbeat
    /// This instance's own channel: only it listens there.
    private let heartbeatChannel = "inyeon_heartbeat_" + UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "")
    private let state = Mutex(State())
    private let onStatus: @Sendable (Status) -> Void

    private struct State {
        var sent = 0
        var heard = 0
        var status = Status(lastHeartbeat: nil, stalls: 0)
    }

    init(
        client: PostgresClient, handlers: [String: Handler], heartbeat: Heartbeat = Heartbeat(), logger: Logger,
        onStatus: @escaping @Sendable (Status) -> Void = { _ in }
    ) {
        self.client = client
        self.handlers = handlers
        self.heartbeat = heartbeat
        self.logger = logger
        self.onStatus = onStatus
    }

    /// The listener missed its own heartbeat.
    struct Stalled: Error, CustomStringConvertible {
        var deadline: Duration
        var description: String { "no heartbeat heard within \(deadline)" }
    }

    func run() async throws {
        try await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                do {
                    try await self.client.withConnection { connection in
                        try await withThrowingTaskGroup(of: Void.self) { group in
                            for (channel, handler) in self.handlers {
                                let notifications = try await connection.listen(channel)
                                await handler(nil)
                                group.addTask {
                                    for try await notification in notifications { await handler(notification.payload) }
                                }
                            }
                            let beats = try await connection.listen(self.heartbeatChannel)
                            group.addTask {
                                for try await beat in beats { self.heard(Int(beat.payload) ?? 0) }
                            }
                            group.addTask { try await self.beat(closingOnStall: connection) }
                            try await group.next()
                            group.cancelAll()
                        }
                    }
                } catch is CancellationError {
                    return
                } catch {
                    if Task.isCancelled { return }
                    self.logger.failure("notification listener interrupted; reconnecting", error)
                    try? await Task.sleep(for: .seconds(1))
                }
            }
        }
    }

    /// Notifies this instance's channel through the pool every interval, and closes the listening
    /// connection (ending `run`'s lease with an error) when the listener does not hear it in time.
    private func beat(closingOnStall connection: PostgresConnection) async throws {
        while !Task.isCancelled {
            try await Task.sleep(for: heartbeat.interval)
            let number = state.withLock { state in
                state.sent += 1
                return state.sent
            }
            let started = ContinuousClock.now
            // A failed send means the database is away, which the listener finds out for itself.
            _ = try? await withDeadline(heartbeat.deadline) {
                try await self.client.query("SELECT pg_notify(\(self.heartbeatChannel), \(String(number)))", logger: self.logger)
            }
            while state.withLock({ $0.heard }) < number {
                guard ContinuousClock.now - started < heartbeat.deadline else {
                    let stall = Stalled(deadline: heartbeat.deadline)
                    let status = state.withLock { state in
                        state.status.stalls += 1
                        return state.status
                    }
                    onStatus(status)
                    logger.error("notification listener stalled; closing its connection and listening again", metadata: ["reason": "\(stall)"])
                    try? await connection.close()
                    throw stall
                }
                try await Task.sleep(for: .milliseconds(50))
            }
        }
    }

    private func heard(_ number: Int) {
        let status = state.withLock { state in
            state.heard = max(state.heard, number)
            state.status.lastHeartbeat = Date()
            return state.status
        }
        onStatus(status)
    }

    /// Sends `payload` on `channel` when the surrounding transaction commits (never for a rolled-back write).
    static func notify(_ channel: String, _ payload: String, on connection: DatabaseConnection, logger: Logger) async throws {
        try await connection.query("SELECT pg_notify(\(channel), \(payload))", logger: logger)
    }
}
