import Algorithms
import Foundation

/// Everyone who may be recommended, held in memory in flat columns (`ScoringTable`) and in a grid
/// of 0.2° cells per gender. Rows are laid out cell by cell, each cell's people by birth year, so a
/// person's candidates are found by reading only the cells within their distance, and in each cell
/// only the birth years their age range allows, and those rows lie next to each other in memory
/// (scoring thousands of them then reads memory in order instead of waiting on it at random).
/// It only proposes: whom a person may actually see is decided again by PostgreSQL's row-level
/// security when the cards are read.
public struct CandidateIndex: Sendable {
    struct Cell: Hashable, Sendable, Comparable {
        var gender: Gender
        var latitude: Int
        var longitude: Int

        static func < (a: Cell, b: Cell) -> Bool {
            (a.gender.rawValue, a.latitude, a.longitude) < (b.gender.rawValue, b.latitude, b.longitude)
        }
    }

    static let cellDegrees = 0.2
    public let vocabulary: InterestVocabulary
    let people: [MatchingProfile]
    let table: ScoringTable
    /// The model's terms for each row: how readily the person likes, and is liked.
    private(set) var selectivity: [Double]
    private(set) var appeal: [Double]
    let rows: [String: Int32]
    /// Each cell's rows, by birth year (oldest first).
    let cells: [Cell: Range<Int>]

    /// - Parameter model: the engine's model, whose per-person terms are stored with each row.
    public init(_ people: [MatchingProfile], model: ReciprocalModel? = nil) {
        let placed = people.map { (cell: Self.cell($0.gender, $0.latitude, $0.longitude), person: $0) }.sorted {
            ($0.cell, $0.person.birthYear, $0.person.id) < ($1.cell, $1.person.birthYear, $1.person.id)
        }
        let people = placed.map(\.person)
        let vocabulary = InterestVocabulary(people)
        self.vocabulary = vocabulary
        self.people = people
        table = ScoringTable(people, vocabulary: vocabulary)
        selectivity = people.map { model?.selectivity[$0.id] ?? 0 }
        appeal = people.map { model?.appeal[$0.id] ?? 0 }
        rows = Dictionary(people.enumerated().map { ($1.id, Int32($0)) }, uniquingKeysWith: { first, _ in first })
        var cells: [Cell: Range<Int>] = [:]
        for (row, entry) in placed.enumerated() {
            cells[entry.cell] = (cells[entry.cell]?.lowerBound ?? row)..<row + 1
        }
        self.cells = cells
    }

    public var count: Int { people.count }

    /// The same people in the same layout, with another model's per-person terms: what
    /// `CandidateIndex(people, model:)` gives, without sorting and tabulating everyone again.
    public func with(model: ReciprocalModel) -> CandidateIndex {
        var index = self
        index.selectivity = people.map { model.selectivity[$0.id] ?? 0 }
        index.appeal = people.map { model.appeal[$0.id] ?? 0 }
        return index
    }

    /// The person who asks for recommendations, as a one-row table (their profile is read fresh, so
    /// it may differ from their row in the index), with the model's terms for them.
    public struct Viewer: Sendable {
        public let profile: MatchingProfile
        let table: ScoringTable
        let row: Int
        let selectivity: Double
        let appeal: Double

        var facts: ScoringFacts { table.facts[0] }
    }

    /// Whether the person is one of the index's rows.
    public func contains(_ id: String) -> Bool { rows[id] != nil }

    public func viewer(_ profile: MatchingProfile, model: ReciprocalModel) -> Viewer {
        Viewer(
            profile: profile, table: ScoringTable([profile], vocabulary: vocabulary), row: rows[profile.id].map(Int.init) ?? -1,
            selectivity: model.selectivity[profile.id] ?? 0, appeal: model.appeal[profile.id] ?? 0
        )
    }

    static func cell(_ gender: Gender, _ latitude: Double, _ longitude: Double) -> Cell {
        Cell(gender: gender, latitude: Int((latitude / cellDegrees).rounded(.down)), longitude: Int((longitude / cellDegrees).rounded(.down)))
    }

    /// A row of the index that passed both people's filters, and its distance from the viewer.
    public struct Candidate: Sendable {
        let row: Int32
        let distanceKm: Double
    }

    /// Everyone who passes both people's hard filters (whom each seeks, both age ranges, both
    /// marital-status choices, the distance within both limits), other than the viewer and the ids
    /// in `excluded`.
    public func eligible(for viewer: Viewer, excluding excluded: Set<String>, currentYear: Int) -> [Candidate] {
        let me = viewer.facts
        guard me.preferredAgeMin <= me.preferredAgeMax else { return [] }
        // The degrees the distance limit spans on `GreatCircle`'s sphere, with 1% to spare (a great
        // circle bends slightly towards the pole, so an arc reaches a little further in longitude).
        let reachDegrees = 1.01 * Double(me.maxDistanceKm) / (GreatCircle.earthRadiusKm * GreatCircle.radians)
        let latitudeReach = reachDegrees
        let longitudeReach = reachDegrees / max(me.cosLatitude, 0.01)
        let low = Self.cell(.female, me.latitude - latitudeReach, me.longitude - longitudeReach)
        let high = Self.cell(.female, me.latitude + latitudeReach, me.longitude + longitudeReach)
        // The birth years the viewer's age range allows.
        let earliestBirthYear = currentYear - me.preferredAgeMax
        let latestBirthYear = currentYear - me.preferredAgeMin
        let hidden = excluded.compactMap { rows[$0] }.sorted()
        var found: [Candidate] = []
        for gender in Gender.allCases where me.seeking.accepts(gender) {
            for latitude in low.latitude...high.latitude {
                for longitude in low.longitude...high.longitude {
                    guard let members = cells[Cell(gender: gender, latitude: latitude, longitude: longitude)] else { continue }
                    for row in members.partitioningIndex(where: { table.facts[$0].birthYear >= earliestBirthYear })..<members.upperBound {
                        let candidate = table.facts[row]
                        if candidate.birthYear > latestBirthYear { break }
                        if row != viewer.row, let distance = me.distanceKmIfBothAdmit(candidate, currentYear: currentYear),
                           !Self.contains(hidden, Int32(row)) {
                            found.append(Candidate(row: Int32(row), distanceKm: distance))
                        }
                    }
                }
            }
        }
        return found
    }

    private static func contains(_ sorted: [Int32], _ row: Int32) -> Bool {
        let index = sorted.partitioningIndex { $0 >= row }
        return index < sorted.endIndex && sorted[index] == row
    }
}
