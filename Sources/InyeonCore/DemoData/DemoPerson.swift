/// One generated person: the public card, the private part and a values profile, as the seeder stores them.
public struct DemoPerson: Sendable {
    public var id: String
    public var displayName: String
    public var birthYear: Int
    public var birthMonth: Int
    public var birthDay: Int
    public var gender: Gender
    public var seeking: SeekingGender
    public var maritalStatus: MaritalStatus
    public var childrenCount: Int
    public var childrenAgeGroups: [ChildAgeGroup]
    public var childrenLiveTogether: Bool
    public var childrenPreference: ChildrenPreference
    public var industry: Industry
    public var position: String
    public var schedule: WorkSchedule
    public var incomeBand: String
    public var livingArrangement: LivingArrangement
    public var ownsHome: Bool
    public var fitnessLevel: ActivityLevel
    public var socialLevel: ActivityLevel
    public var travelFrequency: TravelFrequency
    public var place: KoreanDistrict
    /// The home's coordinates (private); the card only carries the district's.
    public var exactLatitude: Double
    public var exactLongitude: Double
    public var interests: [String]
    public var communicationStyle: CommunicationStyle
    public var bio: String
    public var preferredAgeMin: Int
    public var preferredAgeMax: Int
    public var maxDistanceKm: Int
    public var occupationImportance: Int
    public var lifestyleImportance: Int
    public var showAge: Bool
    public var showLocation: Bool
    public var searchable: Bool
    public var allowPublicListing: Bool
    public var marketingConsent: Bool
    public var email: String
    public var phone: String
    public var values: [String: Double]
    public var personality: [String: Double]
}
