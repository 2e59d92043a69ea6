/// Everything the compatibility calculation may read about one person.
///
/// Built from the public card plus the values assessment; it never holds contact details
/// or the exact location (coordinates here are the district's, not the home's).
public struct MatchingProfile: Sendable, Equatable, Codable {
    public var id: String
    /// Exact only in a person's own profile; for someone else, the middle of the bracket their card
    /// shows, or `AgeBracket.undisclosedRepresentativeAge` when they hide it (see `ageDisclosed`).
    public var birthYear: Int
    /// False when the person hides their age: for someone else `birthYear` is then a stand-in, and
    /// for oneself it is used in matching but never told (an insight names no hidden bracket).
    public var ageDisclosed: Bool
    public var gender: Gender
    public var seeking: SeekingGender
    public var maritalStatus: MaritalStatus
    public var childrenCount: Int
    /// True when every child is an adult (or there are none); answers the "grown children" preference.
    public var childrenAllGrown: Bool
    public var childrenPreference: ChildrenPreference
    public var industry: Industry
    public var livingArrangement: LivingArrangement
    public var fitnessLevel: ActivityLevel
    public var socialLevel: ActivityLevel
    public var travelFrequency: TravelFrequency
    public var city: String
    public var district: String
    public var latitude: Double
    public var longitude: Double
    public var interests: [String]
    public var communicationStyle: CommunicationStyle
    public var preferredAgeMin: Int
    public var preferredAgeMax: Int
    public var maxDistanceKm: Int
    public var occupationImportance: Int
    public var lifestyleImportance: Int
    /// Value scores 0-100 keyed by dimension (family, career, ...); empty when no assessment was taken.
    public var values: [String: Double]
    /// Personality scores 0-100 keyed by dimension (openness, agreeableness, ...); empty when unknown.
    public var personality: [String: Double]
    /// Marital statuses the person would consider in a partner; empty means any.
    public var preferredMaritalStatuses: [MaritalStatus]
    /// The optional facts the person shares (nil when unanswered or not shared): the matching reads
    /// only what the card shows, so no score can reveal a fact she kept to herself.
    public var religion: Religion?
    public var smoking: Habit?
    public var drinking: Habit?
    /// False when the person keeps their card's facts from the outside AI provider (the conversation
    /// helper then writes with the local templates).
    public var outsideWriterAllowed: Bool?

    public init(
        id: String, birthYear: Int, gender: Gender, seeking: SeekingGender, maritalStatus: MaritalStatus,
        childrenCount: Int, childrenAllGrown: Bool, childrenPreference: ChildrenPreference, industry: Industry,
        livingArrangement: LivingArrangement, fitnessLevel: ActivityLevel, socialLevel: ActivityLevel,
        travelFrequency: TravelFrequency, city: String, district: String, latitude: Double, longitude: Double,
        interests: [String], communicationStyle: CommunicationStyle, preferredAgeMin: Int, preferredAgeMax: Int,
        maxDistanceKm: Int, occupationImportance: Int, lifestyleImportance: Int, values: [String: Double],
        personality: [String: Double] = [:], preferredMaritalStatuses: [MaritalStatus] = [], ageDisclosed: Bool = true
    ) {
        self.id = id
        self.birthYear = birthYear
        self.ageDisclosed = ageDisclosed
        self.gender = gender
        self.seeking = seeking
        self.maritalStatus = maritalStatus
        self.childrenCount = childrenCount
        self.childrenAllGrown = childrenAllGrown
        self.childrenPreference = childrenPreference
        self.industry = industry
        self.livingArrangement = livingArrangement
        self.fitnessLevel = fitnessLevel
        self.socialLevel = socialLevel
        self.travelFrequency = travelFrequency
        self.city = city
        self.district = district
        self.latitude = latitude
        self.longitude = longitude
        self.interests = interests
        self.communicationStyle = communicationStyle
        self.preferredAgeMin = preferredAgeMin
        self.preferredAgeMax = preferredAgeMax
        self.maxDistanceKm = maxDistanceKm
        self.occupationImportance = occupationImportance
        self.lifestyleImportance = lifestyleImportance
        self.values = values
        self.personality = personality
        self.preferredMaritalStatuses = preferredMaritalStatuses
    }
}

extension MatchingProfile {
    /// Whether this person's own hard filters admit `other`: whom they seek, the age range, the
    /// marital statuses they named, and the distance (within both people's limits).
    public func admits(_ other: MatchingProfile, currentYear: Int) -> Bool {
        let age = AgeBracket.age(birthYear: other.birthYear, currentYear: currentYear)
        return seeking.accepts(other.gender)
            && age >= preferredAgeMin && age <= preferredAgeMax
            && (preferredMaritalStatuses.isEmpty || preferredMaritalStatuses.contains(other.maritalStatus))
            && GreatCircle.distanceKm(latitude1: latitude, longitude1: longitude, latitude2: other.latitude, longitude2: other.longitude)
                <= Double(min(maxDistanceKm, other.maxDistanceKm))
    }
}
