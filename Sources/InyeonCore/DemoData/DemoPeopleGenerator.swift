import Foundation

/// Generates realistic, deterministic demo profiles of Korean adults aged 40 to 69.
///
/// The first two people are always the earlier system's demo members, 김세렌 and 이매력.
public struct DemoPeopleGenerator: Sendable {
    public static let kimSeren = "00000000-0000-4000-8000-000000000001"
    public static let leeMaeryeok = "00000000-0000-4000-8000-000000000002"

    public static let valueDimensions = [
        "family", "career", "freedom", "security", "growth", "relationships", "health", "creativity", "spirituality", "adventure",
    ]
    public static let personalityDimensions = [
        "openness", "conscientiousness", "extraversion", "agreeableness", "neuroticism",
        "optimism", "emotionalStability", "adventurousness", "intellectualCuriosity", "empathy",
    ]
    static let surnames = ["김", "이", "박", "최", "정", "강", "조", "윤", "장", "임", "한", "오", "서", "신", "권", "황", "안", "송", "류", "홍"]
    static let femaleNames = ["영희", "미경", "정숙", "은주", "혜진", "선영", "미숙", "경희", "순자", "지영", "현숙", "수진", "명숙", "은희", "옥순"]
    static let maleNames = ["철수", "영호", "성민", "동현", "정훈", "상철", "재석", "민수", "광수", "진우", "병철", "종원", "태호", "승현", "기태", "현우"]
    static let interests = [
        "등산", "골프", "독서", "여행", "요리", "사진", "낚시", "텃밭 가꾸기", "음악 감상", "영화",
        "와인", "봉사활동", "걷기", "서예", "바둑", "댄스", "캠핑", "미술관 관람", "트로트", "요가",
    ]
    static let positions: [Industry: [String]] = [
        .education: ["교사", "교감", "학원 원장"], .healthcare: ["간호사", "약사", "의사"], .finance: ["은행 지점장", "보험 설계사"],
        .technology: ["개발 팀장", "IT 컨설턴트"], .manufacturing: ["공장장", "품질 관리자"], .publicService: ["공무원", "행정 주무관"],
        .retail: ["매장 운영", "영업 관리자"], .arts: ["화가", "음악 강사"], .construction: ["현장 소장", "건축사"],
        .hospitality: ["식당 운영", "호텔 매니저"], .selfEmployed: ["자영업", "카페 운영"], .retired: ["은퇴"], .other: ["프리랜서"],
    ]

    public var seed: UInt64
    public var currentYear: Int

    public init(seed: UInt64 = 4060, currentYear: Int) {
        self.seed = seed
        self.currentYear = currentYear
    }

    /// The first `count` people; the same seed gives the same people, and a larger count only appends.
    public func people(count: Int) -> [DemoPerson] {
        (0..<count).map(person(at:))
    }

    public func person(at index: Int) -> DemoPerson {
        var rng = SeededGenerator(seed: seed &+ UInt64(index) &* 0x1000_0001)
        var person = randomPerson(index: index, rng: &rng)
        if index == 0 {
            person.id = Self.kimSeren
            person.displayName = "김세렌"
            person.gender = .female
            person.seeking = .male
            person.birthYear = currentYear - 53
            person.place = KoreanPlaces.districts[0]
            person.maritalStatus = .divorced
            person.preferredAgeMin = 48
            person.preferredAgeMax = 60
        } else if index == 1 {
            person.id = Self.leeMaeryeok
            person.displayName = "이매력"
            person.gender = .male
            person.seeking = .female
            person.birthYear = currentYear - 48
            person.place = KoreanPlaces.districts[1]
            person.maritalStatus = .widowed
            person.preferredAgeMin = 44
            person.preferredAgeMax = 56
        }
        if index < 2 {
            person.bio = Self.bio(district: person.place.district, interests: person.interests)
            person.exactLatitude = person.place.latitude + 0.004
            person.exactLongitude = person.place.longitude - 0.003
            person.searchable = true
            person.allowPublicListing = true
            person.showAge = true
            person.showLocation = true
            person.email = "demo\(index + 1)@example.com"
        }
        return person
    }

    func randomPerson(index: Int, rng: inout SeededGenerator) -> DemoPerson {
        let gender: Gender = index.isMultiple(of: 2) ? .female : .male
        let age = Int.random(in: 40...69, using: &rng)
        let surname = Self.surnames.randomElement(using: &rng)!
        let given = (gender == .female ? Self.femaleNames : Self.maleNames).randomElement(using: &rng)!
        let marital = weighted([(.divorced, 45), (.widowed, 20), (.single, 20), (.separated, 15)] as [(MaritalStatus, Int)], &rng)
        let childrenCount = marital == .single ? weighted([(0, 80), (1, 20)], &rng) : weighted([(0, 20), (1, 35), (2, 35), (3, 10)], &rng)
        let childGroups: [ChildAgeGroup] = (0..<childrenCount).map { _ in
            age >= 55 ? .adult : age >= 48 ? weighted([(.youngAdult, 50), (.adult, 40), (.teen, 10)], &rng)
                : weighted([(.teen, 45), (.child, 35), (.youngAdult, 20)], &rng)
        }
        let industry = age >= 62 ? weighted([(.retired, 60), (.selfEmployed, 25), (.other, 15)], &rng) : Industry.allCases.randomElement(using: &rng)!
        let place = weighted(KoreanPlaces.districts.map { ($0, $0.weight) }, &rng)
        let myInterests = Array(Self.interests.shuffled(using: &rng).prefix(Int.random(in: 3...6, using: &rng)))
        let values = Dictionary(uniqueKeysWithValues: Self.valueDimensions.map { ($0, Double(Int.random(in: 20...95, using: &rng))) })
        let personality = Dictionary(uniqueKeysWithValues: Self.personalityDimensions.map { ($0, Double(Int.random(in: 15...90, using: &rng))) })
        let seeking: SeekingGender = Int.random(in: 0..<20, using: &rng) == 0 ? .any : (gender == .female ? .male : .female)
        let spread = Int.random(in: 4...10, using: &rng)
        let number = index + 1
        return DemoPerson(
            id: rng.uuidString(),
            displayName: surname + given,
            birthYear: currentYear - age,
            birthMonth: Int.random(in: 1...12, using: &rng),
            birthDay: Int.random(in: 1...28, using: &rng),
            gender: gender,
            seeking: seeking,
            maritalStatus: marital,
            childrenCount: childrenCount,
            childrenAgeGroups: childGroups,
            childrenLiveTogether: childrenCount > 0 && childGroups.contains { $0 != .adult } && Bool.random(using: &rng),
            childrenPreference: weighted([(.noPreference, 45), (.grownChildren, 25), (.hasChildren, 15), (.noChildren, 15)], &rng),
            industry: industry,
            position: Self.positions[industry]!.randomElement(using: &rng)!,
            schedule: industry == .retired ? .none : WorkSchedule.allCases.filter { $0 != .none }.randomElement(using: &rng)!,
            incomeBand: ["under_30m", "30m_50m", "50m_80m", "80m_120m", "over_120m"].randomElement(using: &rng)!,
            livingArrangement: childGroups.contains { $0 != .adult } ? .withChildren : weighted([(.alone, 70), (.withParents, 15), (.other, 15)], &rng),
            ownsHome: Int.random(in: 0..<100, using: &rng) < 65,
            fitnessLevel: ActivityLevel.allCases.randomElement(using: &rng)!,
            socialLevel: ActivityLevel.allCases.randomElement(using: &rng)!,
            travelFrequency: TravelFrequency.allCases.randomElement(using: &rng)!,
            place: place,
            exactLatitude: place.latitude + Double.random(in: -0.02...0.02, using: &rng),
            exactLongitude: place.longitude + Double.random(in: -0.02...0.02, using: &rng),
            interests: myInterests,
            communicationStyle: CommunicationStyle.allCases.randomElement(using: &rng)!,
            bio: Self.bio(district: place.district, interests: myInterests),
            preferredAgeMin: max(40, age - spread),
            preferredAgeMax: min(70, age + spread),
            maxDistanceKm: [10, 20, 30, 30, 50, 100].randomElement(using: &rng)!,
            occupationImportance: Int.random(in: 1...5, using: &rng),
            lifestyleImportance: Int.random(in: 1...5, using: &rng),
            showAge: Int.random(in: 0..<100, using: &rng) < 85,
            showLocation: Int.random(in: 0..<100, using: &rng) < 90,
            searchable: Int.random(in: 0..<100, using: &rng) < 95,
            allowPublicListing: Int.random(in: 0..<100, using: &rng) < 80,
            marketingConsent: Bool.random(using: &rng),
            email: "member\(number)@example.com",
            phone: String(format: "010-%04d-%04d", Int.random(in: 1000...9999, using: &rng), Int.random(in: 0...9999, using: &rng)),
            values: values,
            personality: personality
        )
    }

    static func bio(district: String, interests: [String]) -> String {
        let liked = "\(KoreanParticle.and.attached(to: interests[0])) \(KoreanParticle.object.attached(to: interests[1]))"
        return "\(district)에 살고 있습니다. \(liked) 좋아하고, 함께 웃으며 일상을 나눌 분을 찾습니다."
    }

    func weighted<T>(_ choices: [(T, Int)], _ rng: inout SeededGenerator) -> T {
        var pick = Int.random(in: 0..<choices.reduce(0) { $0 + $1.1 }, using: &rng)
        for (choice, weight) in choices {
            if pick < weight { return choice }
            pick -= weight
        }
        return choices[choices.count - 1].0
    }
}

extension DemoPerson {
    /// The view of this person the compatibility calculation uses.
    public var matchingProfile: MatchingProfile {
        MatchingProfile(
            id: id, birthYear: birthYear, gender: gender, seeking: seeking, maritalStatus: maritalStatus,
            childrenCount: childrenCount, childrenAllGrown: childrenAgeGroups.allSatisfy { $0 == .adult },
            childrenPreference: childrenPreference, industry: industry, livingArrangement: livingArrangement,
            fitnessLevel: fitnessLevel, socialLevel: socialLevel, travelFrequency: travelFrequency,
            city: place.city, district: place.district, latitude: place.latitude, longitude: place.longitude,
            interests: interests, communicationStyle: communicationStyle, preferredAgeMin: preferredAgeMin,
            preferredAgeMax: preferredAgeMax, maxDistanceKm: maxDistanceKm, occupationImportance: occupationImportance,
            lifestyleImportance: lifestyleImportance, values: values, personality: personality
        )
    }
}
