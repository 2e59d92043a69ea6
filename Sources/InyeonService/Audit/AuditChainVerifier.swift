import Foundation
import Logging
import PostgresNIO

/// Walks the audit log's hash chain and names the first entry that was altered or removed.
public struct AuditChainVerifier: Sendable {
    public enum Outcome: Sendable, Equatable, CustomStringConvertible {
        case intact(entries: Int)
        /// The entry at `position` no longer matches its own hash: it was changed.
        case altered(position: Int64, id: Int64)
        /// The entry at `position` does not follow the one before it: something between was removed or reordered.
        case broken(position: Int64, id: Int64)

        public var description: String {
            switch self {
            case .intact(let entries): "audit chain intact: \(entries) entries"
            case .altered(let position, let id): "audit chain ALTERED at position \(position) (audit_log.id \(id)): its content no longer matches its hash"
            case .broken(let position, let id): "audit chain BROKEN before position \(position) (audit_log.id \(id)): an entry was removed or its link changed"
            }
        }
    }

    let database: Database

    public init(database: Database) {
        self.database = database
    }

    /// Where a verification stopped: the last entry found intact, and its hash.
    public struct Checkpoint: Sendable, Equatable {
        public var position: Int64
        public var hash: Data?
        public static let start = Checkpoint(position: 0, hash: nil)
    }

    /// At most `limit` entries after `checkpoint`, checked as `verify` checks them (each against its
    /// own hash and its link to the one before, starting from the checkpoint's): the outcome for
    /// these entries, and where the next call goes on from.
    func verify(after checkpoint: Checkpoint, limit: Int, logger: Logger) async throws -> (Outcome, Checkpoint) {
        try await database.transaction(as: .system, logger: logger) { connection in
            let rows = try await connection.query(
                """
                SELECT a.id, a.chain_position, a.prev_hash, a.row_hash, app.audit_row_hash(a)
                FROM audit_log a WHERE a.chain_position > \(checkpoint.position) ORDER BY a.chain_position LIMIT \(limit)
                """,
                logger: logger
            )
            var reached = checkpoint
            var count = 0
            for try await (id, position, prevHash, rowHash, recomputed) in rows.decode((Int64, Int64, Data?, Data?, Data).self) {
                if position != reached.position + 1 || prevHash != reached.hash { return (.broken(position: position, id: id), reached) }
                if rowHash != recomputed { return (.altered(position: position, id: id), reached) }
                reached = Checkpoint(position: position, hash: rowHash)
                count += 1
            }
            return (.intact(entries: count), reached)
        }
    }

    public func verify(logger: Logger) async throws -> Outcome {
        try await database.transaction(as: .system, logger: logger) { connection in
            let rows = try await connection.query(
                """
                SELECT a.id, a.chain_position, a.prev_hash, a.row_hash, app.audit_row_hash(a)
                FROM audit_log a WHERE a.chain_position IS NOT NULL ORDER BY a.chain_position
                """,
                logger: logger
            )
            var previousHash: Data?
            var expectedPosition: Int64 = 1
            var count = 0
            for try await (id, position, prevHash, rowHash, recomputed) in rows.decode((Int64, Int64, Data?, Data?, Data).self) {
                if position != expectedPosition || prevHash != previousHash { return .broken(position: position, id: id) }
                if rowHash != recomputed { return .altered(position: position, id: id) }
                previousHash = rowHash
                expectedPosition = position + 1
                count += 1
            }
            return .intact(entries: count)
        }
    }
}
