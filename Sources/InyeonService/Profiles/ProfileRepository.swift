import Foundation
import Logging

/// Reading people's cards. Every method runs as the given identity, so PostgreSQL's policies
/// decide whom the caller can see; nothing here filters for privacy by itself.
protocol ProfileRepository: Sendable {
    /// Visible cards, newest first, and how many are visible in all.
    func cards(as identity: RequestIdentity, limit: Int, offset: Int, logger: Logger) async throws -> (cards: [ProfileCard], total: Int)
    /// One visible person, or nil when they don't exist or the caller may not see them.
    func person(_ id: UUID, as identity: RequestIdentity, logger: Logger) async throws -> VisiblePerson?
    /// Visible people other than `excluding`, up to `limit`, for ranking.
    func people(excluding id: UUID, as identity: RequestIdentity, limit: Int, logger: Logger) async throws -> [VisiblePerson]
    /// Everyone with a profile (an operator figure).
    func totalPeople(logger: Logger) async throws -> Int
}
