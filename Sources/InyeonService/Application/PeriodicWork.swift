import Logging
import PostgresNIO
import ServiceLifecycle

/// Runs `work` now and then every `interval` until the service stops. A failure is logged and the
/// work is tried again at the next turn (the database may be away for a while); a database not yet
/// migrated (42P01, before the first start's migrations have run) is not a failure.
func runPeriodically(
    every interval: Duration, logger: Logger, failure: String, _ work: @Sendable () async throws -> Void
) async {
    while !Task.isCancelled, !Task.isShuttingDownGracefully {
        do {
            try await work()
        } catch let error as PSQLError where error.serverInfo?[.sqlState] == "42P01" {
            logger.debug("\(failure): the database is not migrated yet")
        } catch {
            logger.failure("\(failure)", error)
        }
        try? await cancelWhenGracefulShutdown { try await Task.sleep(for: interval) }
    }
}
