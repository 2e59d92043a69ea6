import Foundation
import Hummingbird
import HummingbirdTesting
import InyeonCore
@testable import InyeonService
import PostgresNIO
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// The notification listener notices when it has gone deaf: its PostgreSQL backend is stopped
/// (SIGSTOP, as a hung server or a path that drops packets would leave it), and a flag change made
/// meanwhile still reaches the running service because the listener, missing its own heartbeat,
/// listens again on a new connection and every handler resynchronises.
@Suite(.serialized) struct ListenerHeartbeatTests {
    /// The backend of a listener that started after `since`, other than `excluded` (read as the
    /// service's role, which sees its own sessions' statements). The pool may listen again on a
    /// connection it already had, older than the stopped one, so the stopped one is named, not
    /// assumed to be the oldest.
    static func listenerBackend(startedAfter since: Date, excluding excluded: Int32 = 0) async throws -> Int32? {
        try await TestDatabase.withAppRoleClient(poolSize: 1) { client in
            try await client.query(
                """
                SELECT pid FROM pg_stat_activity
                WHERE query LIKE 'LISTEN "inyeon_heartbeat_%' AND backend_start > \(since) AND pid <> \(excluded) ORDER BY backend_start DESC LIMIT 1
                """,
                logger: TestDatabase.logger
            ).collect().first?.decode(Int32.self)
        }
    }

    @Test func aStalledListenerIsNoticedAndReplacedSoChangesStillArrive() async throws {
        let configuration = try TestDatabase.configuration()
        try await OperatorTasks.resetFlag(configuration: configuration, flag: .realTimeChat, logger: TestDatabase.logger)
        let started = Date()
        try await withApp(["LISTENER_HEARTBEAT_INTERVAL": "300ms", "LISTENER_HEARTBEAT_DEADLINE": "1s"]) { client in
            var backend: Int32?
            for _ in 0..<100 where backend == nil {
                backend = try await Self.listenerBackend(startedAfter: started)
                if backend == nil { try await Task.sleep(for: .milliseconds(50)) }
            }
            let stalled = try #require(backend, "the listener's backend")
            #expect(try await FeatureFlagTests.chatEnabled(client) == false)
            #expect(kill(pid_t(stalled), SIGSTOP) == 0, "stop the listener's backend (needs root, as the tests run)")
            do {
                // A change the stopped backend cannot pass on.
                try await OperatorTasks.setFlag(configuration: configuration, flag: .realTimeChat, setting: .on, logger: TestDatabase.logger)
                let arrived = try await FeatureFlagTests.timeUntil(true, on: client, limit: .seconds(6))
                #expect(arrived != nil, "the change arrived through a new listener while the old one was stopped")
                // The change can arrive through the new listener's first resynchronisation, before it has
                // listened on its last channel (the heartbeat's), which is what the query finds.
                var replacement = try await Self.listenerBackend(startedAfter: started, excluding: stalled)
                for _ in 0..<100 where replacement == nil {
                    try await Task.sleep(for: .milliseconds(50))
                    replacement = try await Self.listenerBackend(startedAfter: started, excluding: stalled)
                }
                #expect(replacement != nil && replacement != stalled, "listening again on another connection")
            } catch {
                kill(pid_t(stalled), SIGCONT)
                throw error
            }
            kill(pid_t(stalled), SIGCONT)
            try await OperatorTasks.resetFlag(configuration: configuration, flag: .realTimeChat, logger: TestDatabase.logger)
        }
    }
}
