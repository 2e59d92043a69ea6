import Foundation

/// Everyone who may be recommended, held in memory by gender and by a grid of 0.2° cells, so a
/// person's candidates (those within their distance) are found without reading every profile.
/// It only proposes: whom a person may actually see is decided again by PostgreSQL's row-level
/// security when the cards are read.
public struct CandidateIndex: Sendable {
    struct Cell: Hashable, Sendable {
        var gender: Gender
        var latitude: Int
        var longitude: Int
    }

    static let cellDegrees = 0.2
    public let vocabulary: InterestVocabulary
    let profiles: [CompactProfile]
    let numbers: [String: Int32]
    let cells: [Cell: [Int]]

    /// - Parameter model: the engine's model, whose per-person terms are stored with each profile.
    public init(_ people: [MatchingProfile], model: ReciprocalModel? = nil) {
        let vocabulary = InterestVocabulary(people)
        self.vocabulary = vocabulary
        let profiles = people.enumerated().map { number, person in
            CompactProfile(person, interests: vocabulary, number: Int32(number),
                           selectivity: model?.selectivity[person.id] ?? 0, appeal: model?.appeal[person.id] ?? 0)
        }
        self.profiles = profiles
        numbers = Dictionary(people.enumerated().map { ($1.id, Int32($0)) }, uniquingKeysWith: { first, _ in first })
        var cells: [Cell: [Int]] = [:]
        for (index, compact) in profiles.enumerated() {
            let profile = compact.profile
            cells[Self.cell(profile.gender, profile.latitude, profile.longitude), default: []].append(index)
        }
        self.cells = cells
    }

    public var count: Int { profiles.count }

    /// The person as indexed (with the model's terms), or a fresh compact form for someone not in it.
    public func compact(_ profile: MatchingProfile, model: ReciprocalModel) -> CompactProfile {
        CompactProfile(profile, interests: vocabulary, number: numbers[profile.id] ?? -1,
                       selectivity: model.selectivity[profile.id] ?? 0, appeal: model.appeal[profile.id] ?? 0)
    }

    static func cell(_ gender: Gender, _ latitude: Double, _ longitude: Double) -> Cell {
        Cell(gender: gender, latitude: Int((latitude / cellDegrees).rounded(.down)), longitude: Int((longitude / cellDegrees).rounded(.down)))
    }

    /// The people of the genders `viewer` seeks whose cell lies within `viewer`'s distance limit,
    /// excluding `excluded` ids. Distance and every other filter are checked by the caller.
    public func nearby(_ viewer: MatchingProfile, excluding excluded: Set<String>) -> [CompactProfile] {
        let latitudeReach = Double(viewer.maxDistanceKm) / 110.574
        let longitudeReach = Double(viewer.maxDistanceKm) / (111.320 * max(cos(viewer.latitude * .pi / 180), 0.01))
        let low = Self.cell(.female, viewer.latitude - latitudeReach, viewer.longitude - longitudeReach)
        let high = Self.cell(.female, viewer.latitude + latitudeReach, viewer.longitude + longitudeReach)
        let me = numbers[viewer.id] ?? -1
        let hidden = Set(excluded.compactMap { numbers[$0] })
        var found: [CompactProfile] = []
        for gender in Gender.allCases where viewer.seeking.accepts(gender) {
            for latitude in low.latitude...high.latitude {
                for longitude in low.longitude...high.longitude {
                    for index in cells[Cell(gender: gender, latitude: latitude, longitude: longitude)] ?? [] {
                        let number = Int32(index)
                        if number != me && !hidden.contains(number) { found.append(profiles[index]) }
                    }
                }
            }
        }
        return found
    }
}
