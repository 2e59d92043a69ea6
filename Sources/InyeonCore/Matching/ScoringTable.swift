/// The facts of one profile that compatibility and the hard filters read, as plain values: no
/// strings, arrays or dictionaries, so thousands are read per request without reference counting
/// or copying. The scores and interests, whose number varies, are kept beside them in a
/// `ScoringTable`.
public struct ScoringFacts: Sendable {
    public var birthYear: Int
    public var gender: Gender
    public var seeking: SeekingGender
    public var maritalStatus: MaritalStatus
    /// One bit per `MaritalStatus` the person would consider in a partner (`MaritalStatus.bit`); 0 means any.
    var acceptedMaritalStatuses: UInt8
    var childrenCount: Int
    var childrenAllGrown: Bool
    var childrenPreference: ChildrenPreference
    var industry: Industry
    var fitnessLevel: ActivityLevel
    var socialLevel: ActivityLevel
    var travelFrequency: TravelFrequency
    /// The shared optional facts, 0 when not shared: the habits as ordinal + 1, the religion as its index + 1.
    var smoking: UInt8
    var drinking: UInt8
    var religion: UInt8
    var communicationStyle: CommunicationStyle
    var preferredAgeMin: Int
    var preferredAgeMax: Int
    var maxDistanceKm: Int
    var occupationImportance: Int
    var lifestyleImportance: Int
    var latitude: Double
    var longitude: Double
    var cosLatitude: Double

    public init(_ profile: MatchingProfile) {
        birthYear = profile.birthYear
        gender = profile.gender
        seeking = profile.seeking
        maritalStatus = profile.maritalStatus
        acceptedMaritalStatuses = profile.preferredMaritalStatuses.reduce(0) { $0 | $1.bit }
        childrenCount = profile.childrenCount
        childrenAllGrown = profile.childrenAllGrown
        childrenPreference = profile.childrenPreference
        industry = profile.industry
        fitnessLevel = profile.fitnessLevel
        socialLevel = profile.socialLevel
        travelFrequency = profile.travelFrequency
        smoking = profile.smoking.map { UInt8($0.ordinal + 1) } ?? 0
        drinking = profile.drinking.map { UInt8($0.ordinal + 1) } ?? 0
        religion = profile.religion.flatMap { Religion.allCases.firstIndex(of: $0) }.map { UInt8($0 + 1) } ?? 0
        communicationStyle = profile.communicationStyle
        preferredAgeMin = profile.preferredAgeMin
        preferredAgeMax = profile.preferredAgeMax
        maxDistanceKm = profile.maxDistanceKm
        occupationImportance = profile.occupationImportance
        lifestyleImportance = profile.lifestyleImportance
        latitude = profile.latitude
        longitude = profile.longitude
        cosLatitude = GreatCircle.cosLatitude(profile.latitude)
    }

    /// This person's own hard filters, except distance: whom they seek, the age range, the marital
    /// statuses they named (`MatchingProfile.admits` without the distance).
    func admitsApartFromDistance(_ other: ScoringFacts, currentYear: Int) -> Bool {
        let age = AgeBracket.age(birthYear: other.birthYear, currentYear: currentYear)
        return seeking.accepts(other.gender)
            && age >= preferredAgeMin && age <= preferredAgeMax
            && (acceptedMaritalStatuses == 0 || acceptedMaritalStatuses & other.maritalStatus.bit != 0)
    }

    /// `MatchingProfile.admits` both ways, measuring the distance once (tested to agree).
    public func admitsEachOther(_ other: ScoringFacts, currentYear: Int) -> Bool {
        distanceKmIfBothAdmit(other, currentYear: currentYear) != nil
    }

    /// The distance between the two when they admit each other, else nil.
    func distanceKmIfBothAdmit(_ other: ScoringFacts, currentYear: Int) -> Double? {
        guard admitsApartFromDistance(other, currentYear: currentYear), other.admitsApartFromDistance(self, currentYear: currentYear)
        else { return nil }
        let distance = distanceKm(to: other)
        return distance <= Double(min(maxDistanceKm, other.maxDistanceKm)) ? distance : nil
    }

    func distanceKm(to other: ScoringFacts) -> Double {
        GreatCircle.distanceKm(
            latitude1: latitude, longitude1: longitude, cosLatitude1: cosLatitude,
            latitude2: other.latitude, longitude2: other.longitude, cosLatitude2: other.cosLatitude
        )
    }
}

extension MaritalStatus {
    var bit: UInt8 {
        switch self {
        case .single: 1
        case .divorced: 2
        case .widowed: 4
        case .separated: 8
        }
    }
}

/// People's scoring facts in flat columns, for scoring one person against thousands: each row's
/// `ScoringFacts`, its value and personality scores in one run of numbers, and its interests as
/// interned numbers. The score it gives is exactly `CompatibilityCalculator.score` of the two
/// profiles (tested).
public struct ScoringTable: Sendable {
    static let valueCount = AssessmentScorer.valueDimensions.count
    static let traitCount = AssessmentScorer.valueDimensions.count + AssessmentScorer.personalityDimensions.count
    /// Where the warmth traits (`CompatibilityCalculator.warmthTraits`) sit in a row's run of scores.
    static let warmthOffsets = CompatibilityCalculator.warmthTraits.map { trait in
        valueCount + AssessmentScorer.personalityDimensions.firstIndex(of: trait)!
    }

    public let facts: [ScoringFacts]
    /// `traitCount` numbers per row: the value scores, then the personality scores, in
    /// `AssessmentScorer`'s dimension order; NaN where unknown.
    let traits: [Double]
    /// Row `i`'s interests are `interests[interestStarts[i]..<interestStarts[i + 1]]`: interned,
    /// sorted, without repeats.
    let interests: [Int32]
    let interestStarts: [Int]

    public init(_ people: [MatchingProfile], vocabulary: InterestVocabulary) {
        facts = people.map(ScoringFacts.init)
        var traits: [Double] = []
        traits.reserveCapacity(people.count * Self.traitCount)
        var interests: [Int32] = []
        var interestStarts = [0]
        interestStarts.reserveCapacity(people.count + 1)
        for person in people {
            traits += AssessmentScorer.valueDimensions.map { person.values[$0] ?? .nan }
            traits += AssessmentScorer.personalityDimensions.map { person.personality[$0] ?? .nan }
            interests += Set(person.interests.map { vocabulary.id($0) }).sorted()
            interestStarts.append(interests.count)
        }
        self.traits = traits
        self.interests = interests
        self.interestStarts = interestStarts
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
    /// `score` of row `i` of `a` and row `j` of `b`, read from the tables' columns.
    public func score(_ a: ScoringTable, _ i: Int, _ b: ScoringTable, _ j: Int) -> CompatibilityScore {
        score(a, i, b, j, distanceKm: a.facts[i].distanceKm(to: b.facts[j]))
    }

    /// The same, with the distance between the two already measured.
    func score(_ a: ScoringTable, _ i: Int, _ b: ScoringTable, _ j: Int, distanceKm: Double) -> CompatibilityScore {
        let stride = ScoringTable.traitCount
        let values = ScoringTable.valueCount
        let aStart = i * stride, bStart = j * stride
        func meanDifference(_ range: Range<Int>) -> Double? {
            var total = 0.0
            var count = 0
            for offset in range {
                let x = a.traits[aStart + offset], y = b.traits[bStart + offset]
                if x.isNaN || y.isNaN { continue }
                total += abs(x - y)
                count += 1
            }
            return count == 0 ? nil : total / Double(count)
        }
        let warmth = ScoringTable.warmthOffsets
        func pair(_ trait: Int) -> (Double, Double) { (a.traits[aStart + warmth[trait]], b.traits[bStart + warmth[trait]]) }
        let aInterests = a.interestStarts[i]..<a.interestStarts[i + 1]
        let bInterests = b.interestStarts[j]..<b.interestStarts[j + 1]
        return score(
            a.facts[i], b.facts[j], distanceKm: distanceKm,
            values: Self.valuesAlignment(meanDifference(0..<values)),
            personality: Self.personalityFit(
                meanDifference: meanDifference(values..<stride),
                warmth: pair(0), pair(1), pair(2)
            ),
            sharedInterests: Self.sharedInterests(
                shared: Self.sharedCount(a.interests, aInterests, b.interests, bInterests),
                fewer: min(aInterests.count, bInterests.count)
            )
        )
    }

    /// How many numbers two sorted runs without repeats have in common.
    static func sharedCount(_ a: [Int32], _ aRange: Range<Int>, _ b: [Int32], _ bRange: Range<Int>) -> Int {
        var i = aRange.lowerBound, j = bRange.lowerBound, shared = 0
        while i < aRange.upperBound && j < bRange.upperBound {
            if a[i] == b[j] {
                shared += 1
                i += 1
                j += 1
            } else if a[i] < b[j] {
                i += 1
            } else {
                j += 1
            }
        }
        return shared
    }
}
