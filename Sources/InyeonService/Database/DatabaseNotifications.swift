import Foundation
import Logging
import PostgresNIO
import ServiceLifecycle

/// Listens on PostgreSQL channels and hands each notification to its handler; this is how a change
/// made through one instance reaches all of them. After a reconnect every handler is told to
/// resynchronise (`payload` nil), since notifications sent meanwhile are lost.
final class DatabaseNotifications: Service, Sendable {
    typealias Handler = @Sendable (_ payload: String?) async -> Void

    private let client: PostgresClient
    private let handlers: [String: Handler]
    private let logger: Logger

    init(client: PostgresClient, handlers: [String: Handler], logger: Logger) {
        self.client = client
        self.handlers = handlers
        self.logger = logger
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
                            try await group.next()
                            group.cancelAll()
                        }
                    }
                } catch is CancellationError {
                    return
                } catch {
                    if Task.isCancelled { return }
                    self.logger.warning("notification listener interrupted; reconnecting", metadata: ["error": "\(error)"])
                    try? await Task.sleep(for: .seconds(1))
                }
            }
        }
    }

    /// Sends `payload` on `channel` when the surrounding transaction commits (never for a rolled-back write).
    static func notify(_ channel: String, _ payload: String, on connection: PostgresConnection, logger: Logger) async throws {
        try await connection.query("SELECT pg_notify(\(channel), \(payload))", logger: logger)
    }
}
