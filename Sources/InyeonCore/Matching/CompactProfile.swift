/// A matching profile with its scores in fixed-order arrays and its interests as interned numbers,
/// so scoring one person against thousands compares numbers, not strings. The score it gives is
/// exactly `CompatibilityCalculator.score` of the two profiles (tested). A class, so the thousands
/// handled per request are passed by reference, not copied field by field.
public final class CompactProfile: Sendable {
    public let profile: MatchingProfile
    /// Value and personality scores in `AssessmentScorer`'s dimension order; NaN where unknown.
    let values: [Double]
    let personality: [Double]
    /// Interned interests, sorted, without repeats.
    let interests: [Int32]
    let warmth: (Double, Double, Double)
    /// Position in its candidate index (-1 outside one), and the model's terms for the person
    /// (how readily they like, how readily they are liked), looked up once when the index is built.
    public let number: Int32
    public let selectivity: Double
    public let appeal: Double
    /// The facts the hard filters read, held apart so filtering never copies the whole profile.
    let filter: FilterFacts

    struct FilterFacts: Sendable {
        var gender: Gender
        var seeking: SeekingGender
        var birthYear: Int
        var maritalStatus: MaritalStatus
        var preferredAgeMin: Int
        var preferredAgeMax: Int
        var maxDistanceKm: Int
        var latitude: Double
        var longitude: Double
        var preferredMaritalStatuses: [MaritalStatus]
    }

    /// `MatchingProfile.admits` both ways, on the compact forms and measuring the distance once (tested to agree).
    public func admitsEachOther(_ other: CompactProfile, currentYear: Int) -> Bool {
        let a = filter
        let b = other.filter
        guard a.seeking.accepts(b.gender), b.seeking.accepts(a.gender) else { return false }
        let myAge = AgeBracket.age(birthYear: a.birthYear, currentYear: currentYear)
        let theirAge = AgeBracket.age(birthYear: b.birthYear, currentYear: currentYear)
        guard (a.preferredAgeMin...a.preferredAgeMax).contains(theirAge), (b.preferredAgeMin...b.preferredAgeMax).contains(myAge),
              a.preferredMaritalStatuses.isEmpty || a.preferredMaritalStatuses.contains(b.maritalStatus),
              b.preferredMaritalStatuses.isEmpty || b.preferredMaritalStatuses.contains(a.maritalStatus) else { return false }
        return GreatCircle.distanceKm(latitude1: a.latitude, longitude1: a.longitude, latitude2: b.latitude, longitude2: b.longitude)
            <= Double(min(a.maxDistanceKm, b.maxDistanceKm))
    }

    public init(_ profile: MatchingProfile, interests vocabulary: InterestVocabulary, number: Int32 = -1,
                selectivity: Double = 0, appeal: Double = 0) {
        self.profile = profile
        filter = FilterFacts(
            gender: profile.gender, seeking: profile.seeking, birthYear: profile.birthYear, maritalStatus: profile.maritalStatus,
            preferredAgeMin: profile.preferredAgeMin, preferredAgeMax: profile.preferredAgeMax, maxDistanceKm: profile.maxDistanceKm,
            latitude: profile.latitude, longitude: profile.longitude, preferredMaritalStatuses: profile.preferredMaritalStatuses
        )
        self.number = number
        self.selectivity = selectivity
        self.appeal = appeal
        values = AssessmentScorer.valueDimensions.map { profile.values[$0] ?? .nan }
        personality = AssessmentScorer.personalityDimensions.map { profile.personality[$0] ?? .nan }
        interests = Array(Set(profile.interests.map { vocabulary.id($0) })).sorted()
        warmth = (profile.personality["agreeableness"] ?? .nan, profile.personality["emotionalStability"] ?? .nan,
                  profile.personality["empathy"] ?? .nan)
    }
}

/// Numbers for interest names, fixed when an index is built; a name it has not seen gets a number
/// of its own that matches nothing else.
public struct InterestVocabulary: Sendable {
    let ids: [String: Int32]

    public init(_ profiles: [MatchingProfile]) {
        var ids: [String: Int32] = [:]
        for profile in profiles {
            for interest in profile.interests where ids[interest] == nil { ids[interest] = Int32(ids.count) }
        }
        self.ids = ids
    }

    func id(_ interest: String) -> Int32 {
        if let id = ids[interest] { return id }
        var hash: UInt32 = 2_166_136_261
        for byte in interest.utf8 { hash = (hash ^ UInt32(byte)) &* 16_777_619 }
        return -1 - Int32(hash & 0x3FFF_FFFF)
    }
}

extension CompatibilityCalculator {
    public func score(_ a: CompactProfile, _ b: CompactProfile) -> CompatibilityScore {
        score(a, a.profile, b, b.profile)
    }

    /// The same, with the two profiles already read out of their compact forms (reading one copies it).
    func score(_ a: CompactProfile, _ aProfile: MatchingProfile, _ b: CompactProfile, _ bProfile: MatchingProfile) -> CompatibilityScore {
        score(
            aProfile, bProfile,
            values: Self.valuesAlignment(Self.meanDifference(a.values, b.values)),
            personality: Self.personalityFit(
                meanDifference: Self.meanDifference(a.personality, b.personality),
                warmth: [(a.warmth.0, b.warmth.0), (a.warmth.1, b.warmth.1), (a.warmth.2, b.warmth.2)]
            ),
            sharedInterests: Self.sharedInterests(shared: Self.sharedCount(a.interests, b.interests),
                                                  fewer: min(a.interests.count, b.interests.count))
        )
    }

    static func meanDifference(_ a: [Double], _ b: [Double]) -> Double? {
        var total = 0.0
        var count = 0
        for index in a.indices where !a[index].isNaN && !b[index].isNaN {
            total += abs(a[index] - b[index])
            count += 1
        }
        return count == 0 ? nil : total / Double(count)
    }

    static func sharedCount(_ a: [Int32], _ b: [Int32]) -> Int {
        var i = 0, j = 0, shared = 0
        while i < a.count && j < b.count {
            if a[i] == b[j] { shared += 1; i += 1; j += 1 } else if a[i] < b[j] { i += 1 } else { j += 1 }
        }
        return shared
    }
}
