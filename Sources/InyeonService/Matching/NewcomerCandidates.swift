import Foundation
import InyeonCore
import Logging

/// People who joined search after the candidate index was read, so they can be recommended before
/// the next load (every `RECOMMENDATION_MODEL_MAX_AGE`) rather than minutes later.
///
/// Read by their creation time through an index (the cost follows the sign-ups since the load, at
/// most `limit` of them, never the membership), laid out as a small index of their own with the
/// model's terms (0 for people it has not seen), and kept for `freshFor`: concurrent requests share
/// one read. The read looks back `clockAllowance` before the load, for a sign-up committed just
/// after the load read everyone, and leaves out whoever the index holds already. If the read fails,
/// recommendations go on without newcomers.
actor NewcomerCandidates {
    let repository: MatchingRepository
    static let freshFor: Duration = .seconds(2)
    static let limit = 2_000
    static let clockAllowance: TimeInterval = 60

    private struct Reading {
        var peopleReadAt: Date
        var readAt: ContinuousClock.Instant
        var index: CandidateIndex?
    }

    private var latest: Reading?
    private var reading: (peopleReadAt: Date, task: Task<CandidateIndex?, Never>)?

    init(repository: MatchingRepository) {
        self.repository = repository
    }

    /// The newcomers beside `snapshot`'s index, or nil when there are none (or the snapshot was not read from the database).
    func index(beside snapshot: RecommendationModelStore.Snapshot, currentYear: Int, logger: Logger) async -> CandidateIndex? {
        guard let peopleReadAt = snapshot.peopleReadAt else { return nil }
        if let latest, latest.peopleReadAt == peopleReadAt, ContinuousClock.now - latest.readAt < Self.freshFor { return latest.index }
        if let reading, reading.peopleReadAt == peopleReadAt { return await reading.task.value }
        let (repository, known, model) = (repository, snapshot.index, snapshot.engine.model)
        let task = Task { () -> CandidateIndex? in
            do {
                let people = try await repository.searchableProfiles(
                    createdAfter: peopleReadAt.addingTimeInterval(-Self.clockAllowance), limit: Self.limit, currentYear: currentYear, logger: logger
                ).filter { !known.contains($0.id) }
                return people.isEmpty ? nil : CandidateIndex(people, model: model)
            } catch {
                logger.failure("newcomers could not be read; recommending from the index alone", error)
                return nil
            }
        }
        reading = (peopleReadAt, task)
        let index = await task.value
        latest = Reading(peopleReadAt: peopleReadAt, readAt: .now, index: index)
        if reading?.peopleReadAt == peopleReadAt { reading = nil }
        return index
    }
}
