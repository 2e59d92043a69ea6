import Foundation
import Hummingbird
import Logging
import ServiceLifecycle
import Synchronization
import UnixSignals

/// Whether this instance wants new traffic. From the moment it starts stopping, `/api/health`
/// answers 503 so that a load balancer sends people elsewhere, while everything else still works.
final class Readiness: Sendable {
    private let stopping = Atomic<Bool>(false)

    var isStopping: Bool { stopping.load(ordering: .relaxed) }

    func beginStopping() { stopping.store(true, ordering: .relaxed) }
}

/// What an instance does between being asked to stop and its server's own graceful shutdown:
///
/// 1. report not-ready (`/api/health` 503) for the drain period, still serving everything, so a
///    load balancer notices before connections are refused;
/// 2. close every chat socket with 4000 ("server restarting: reconnect and resume"), each after the
///    frame it is handling is answered, so a committed send keeps its ack;
/// 3. return, after which the server stops accepting, finishes the requests in flight and stops.
///
/// It runs as a service after the application in one group, so it is shut down first.
final class ShutdownDrain: Service, Sendable {
    struct Settings: Sendable {
        /// How long to report not-ready before closing anything (SHUTDOWN_DRAIN).
        var drainPeriod: Duration = .seconds(5)
        /// How long to wait for the closed sockets to finish their closing handshake.
        var socketCloseTimeout: Duration = .seconds(10)
    }

    let settings: Settings
    let readiness: Readiness
    let chatHub: ChatHub
    let logger: Logger
    private let state = Mutex(State())

    private struct State {
        /// What asked the instance to stop (a signal's name), for the log.
        var cause = "shutdown requested"
        /// Skip the rest of the drain period (a second signal, or an interactive Ctrl-C).
        var hurry = false
    }

    init(settings: Settings, readiness: Readiness, chatHub: ChatHub, logger: Logger) {
        self.settings = settings
        self.readiness = readiness
        self.chatHub = chatHub
        self.logger = logger
    }

    /// Notes what asked the instance to stop; with `hurry`, the drain period is skipped.
    func requested(by cause: String, hurry: Bool) {
        state.withLock { state in
            state.cause = cause
            state.hurry = state.hurry || hurry
        }
    }

    /// A second request to stop while draining: the rest of the drain period is skipped.
    func hurry() { state.withLock { $0.hurry = true } }

    func run() async throws {
        do {
            try await gracefulShutdown()
        } catch {
            return // cancelled: the whole process is going away at once
        }
        let started = ContinuousClock.now
        readiness.beginStopping()
        let (cause, hurried) = state.withLock { ($0.cause, $0.hurry) }
        let period = hurried ? .zero : settings.drainPeriod
        logger.notice("stopping: \(cause); /api/health answers 503 from now", metadata: [
            "drainSeconds": "\(Self.seconds(period))", "openChatSockets": "\(chatHub.openSockets)",
        ])
        // Still serving everything while the load balancer takes the instance out of rotation.
        while ContinuousClock.now - started < period, !state.withLock({ $0.hurry }) {
            try? await Task.sleep(for: .milliseconds(50))
        }
        let asked = chatHub.closeAllForShutdown()
        logger.notice("drain period over; closing chat sockets with 4000 (reconnect and resume)", metadata: ["sockets": "\(asked)"])
        let closing = ContinuousClock.now
        while chatHub.openSockets > 0, ContinuousClock.now - closing < settings.socketCloseTimeout {
            try? await Task.sleep(for: .milliseconds(20))
        }
        logger.notice("chat sockets closed; the server now stops accepting and finishes the requests in flight", metadata: [
            "stillOpen": "\(chatHub.openSockets)", "closingSeconds": "\(Self.seconds(ContinuousClock.now - closing))",
            "totalSeconds": "\(Self.seconds(ContinuousClock.now - started))",
        ])
    }

    private static func seconds(_ duration: Duration) -> String {
        String(format: "%.2f", Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18)
    }
}

/// The service as `inyeon serve` runs it: the application and, shut down before it, its drain.
public struct ServingApplication: Service {
    let application: Application<RouterResponder<AppRequestContext>>
    let drain: ShutdownDrain

    public var logger: Logger { application.logger }

    /// Runs until the surrounding service group shuts it down: first the drain, then the application.
    public func run() async throws {
        let group = ServiceGroup(configuration: .init(services: [
            .init(service: application),
            .init(service: drain),
        ], logger: application.logger))
        try await group.run()
    }

    /// Runs until SIGTERM (drain, then stop) or SIGINT (Ctrl-C: stop in order without the drain
    /// period). A second signal while stopping skips what is left of the drain period.
    public func runUntilSignalled() async throws {
        let group = ServiceGroup(configuration: .init(services: [.init(service: self)], logger: logger))
        let signals = await UnixSignalsSequence(trapping: .sigterm, .sigint)
        try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await group.run() }
            tasks.addTask {
                var first = true
                for await signal in signals {
                    if first {
                        drain.requested(by: "\(signal) received", hurry: signal == .sigint)
                        await group.triggerGracefulShutdown()
                        first = false
                    } else {
                        logger.notice("\(signal) received again: skipping the rest of the drain period")
                        drain.hurry()
                    }
                }
            }
            try await tasks.next()
            tasks.cancelAll()
        }
        logger.notice("stopped")
    }
}
