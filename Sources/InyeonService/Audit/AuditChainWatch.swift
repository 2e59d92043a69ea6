import Foundation
import Logging
import ServiceLifecycle

/// Keeps checking the audit log's hash chain while the service runs, so a monitoring alert can say
/// when it breaks (`inyeon audit verify` does the same by hand):
/// - every `interval`, the entries added since the last look, in batches of `batch`, so the work
///   follows what was written, not how long the log is;
/// - every `fullPassEvery`, the whole chain again from its first entry, in the same batches, so an
///   old entry altered in place is found too.
///
/// Metrics: `audit_chain_intact` (1, or 0 once an entry is altered or the chain broken; it stays 0
/// until a pass finds it whole again), `audit_chain_verified_position` and
/// `audit_chain_last_verified_timestamp_seconds` (when a look last finished).
struct AuditChainWatch: Service {
    let verifier: AuditChainVerifier
    let metrics: ServiceMetrics
    let logger: Logger
    var interval: Duration = .seconds(60)
    var fullPassEvery: Duration = .seconds(6 * 3600)
    var batch = 5_000

    func run() async throws {
        let state = Progress()
        await runPeriodically(every: interval, logger: logger, failure: "the audit chain could not be checked") {
            try await look(state)
        }
    }

    final class Progress: @unchecked Sendable {
        var checkpoint = AuditChainVerifier.Checkpoint.start
        var lastFullPass = ContinuousClock.now
        var brokenAt: Int64?
    }

    /// One look: from the checkpoint (or the start, when a full pass is due) up to the newest entry.
    func look(_ progress: Progress) async throws {
        if ContinuousClock.now - progress.lastFullPass >= fullPassEvery {
            progress.checkpoint = .start
            progress.lastFullPass = .now
        }
        while true {
            let (outcome, reached) = try await verifier.verify(after: progress.checkpoint, limit: batch, logger: logger)
            switch outcome {
            case .intact(let entries):
                progress.checkpoint = reached
                if let broken = progress.brokenAt, reached.position >= broken {
                    logger.notice("audit chain whole again", metadata: ["position": "\(reached.position)"])
                    progress.brokenAt = nil
                }
                metrics.recordAuditChain(intact: progress.brokenAt == nil, position: reached.position)
                if entries < batch { return }
            case .altered(let position, _), .broken(let position, _):
                if progress.brokenAt != position { logger.critical("\(outcome)") }
                progress.brokenAt = position
                metrics.recordAuditChain(intact: false, position: reached.position)
                // The next look starts again from the first entry: an operator's repair shows there.
                progress.checkpoint = .start
                return
            }
        }
    }
}
