import Foundation
import InyeonCore

/// The profile page's form: what it shows (the stored profile, or what was just typed) and how the
/// typed fields become the same `Profile` the API takes. Fields the form does not ask keep
/// sensible defaults (or what is stored).
struct ProfileForm: Sendable {
    var displayName = ""
    var birthYear = ""
    var gender = "female"
    var maritalStatus = "widowed"
    var childrenCount = "0"
    var industry = "other"
    var place = "서울|마포구"
    var interests = ""
    var bio = ""
    var seeking = "male"
    var ageMin = "45"
    var ageMax = "65"
    var distance = "30"
    var wantMarital: Set<String> = ["single", "divorced", "widowed", "separated"]
    var occupationImportance = "3"
    var lifestyleImportance = "3"
    var showAge = true
    var showLocation = true
    var searchable = true
    var allowPublicListing = false
    var communicationStyle = "supportive"

    static let distances = [5, 10, 20, 30, 50, 100]

    init() {}

    init(form: FormData) {
        displayName = form["displayName"] ?? ""
        birthYear = form["birthYear"] ?? ""
        gender = form["gender"] ?? ""
        maritalStatus = form["maritalStatus"] ?? ""
        childrenCount = form["childrenCount"] ?? "0"
        industry = form["industry"] ?? ""
        place = form["place"] ?? ""
        interests = form["interests"] ?? ""
        bio = form["bio"] ?? ""
        seeking = form["seeking"] ?? ""
        ageMin = form["ageMin"] ?? ""
        ageMax = form["ageMax"] ?? ""
        distance = form["distance"] ?? ""
        wantMarital = Set(MaritalStatus.allCases.map(\.rawValue).filter { form.checked("want-\($0)") })
        occupationImportance = form["occupationImportance"] ?? "3"
        lifestyleImportance = form["lifestyleImportance"] ?? "3"
        showAge = form.checked("showAge")
        showLocation = form.checked("showLocation")
        searchable = form.checked("searchable")
        allowPublicListing = form.checked("allowPublicListing")
        communicationStyle = form["communicationStyle"] ?? "supportive"
    }

    /// The typed form as a profile, or the problems to show next to each field (keyed by field name).
    func profile(currentYear: Int) -> Result<MyProfileController.Profile, ProfileProblems> {
        var problems: [String: String] = [:]
        let year = Int(birthYear.trimmingCharacters(in: .whitespaces))
        if year == nil { problems["birthYear"] = "태어난 해를 숫자 네 자리로 적어 주세요. 예: 1968" }
        let children = Int(childrenCount) ?? -1
        if !(0...20).contains(children) { problems["childrenCount"] = "자녀 수를 숫자로 적어 주세요. 없으면 0입니다." }
        let district = KoreanPlaces.districts.first { "\($0.city)|\($0.district)" == place }
        if district == nil { problems["place"] = "사는 곳을 목록에서 골라 주세요." }
        let (minimum, maximum, kilometres) = (Int(ageMin), Int(ageMax), Int(distance))
        if minimum == nil || maximum == nil { problems["ageMin"] = "원하는 나이를 숫자로 적어 주세요." }
        if kilometres == nil { problems["distance"] = "거리를 골라 주세요." }
        guard let gender = Gender(rawValue: gender), let seeking = SeekingGender(rawValue: seeking),
              let marital = MaritalStatus(rawValue: maritalStatus), let industry = Industry(rawValue: industry) else {
            problems["gender"] = problems["gender"] ?? "선택 항목을 다시 골라 주세요."
            return .failure(ProfileProblems(fields: problems))
        }
        guard problems.isEmpty, let year, let district, let minimum, let maximum, let kilometres else {
            return .failure(ProfileProblems(fields: problems))
        }
        let profile = MyProfileController.Profile(
            displayName: displayName.trimmingCharacters(in: .whitespaces), birthYear: year, gender: gender, seeking: seeking,
            maritalStatus: marital,
            children: .init(count: children, ageGroups: children > 0 ? [.adult] : [], livingTogether: false, preference: .noPreference),
            occupation: .init(industry: industry, position: nil, schedule: nil),
            lifestyle: .init(livingArrangement: .alone, ownsHome: nil, fitness: .moderate, social: .moderate, travel: .yearly),
            location: .init(city: district.city, district: district.district, latitude: district.latitude, longitude: district.longitude),
            interests: interests.split(whereSeparator: { $0 == "," || $0 == "、" }).map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty },
            bio: bio, communicationStyle: CommunicationStyle(rawValue: communicationStyle) ?? .supportive,
            preferences: .init(
                ageMin: minimum, ageMax: maximum, maxDistanceKm: kilometres, maritalStatuses: MaritalStatus.allCases.filter { wantMarital.contains($0.rawValue) },
                occupationImportance: Int(occupationImportance) ?? 3, lifestyleImportance: Int(lifestyleImportance) ?? 3
            ),
            privacy: .init(showAge: showAge, showLocation: showLocation, searchable: searchable, allowPublicListing: allowPublicListing)
        )
        let checked = profile.problems(currentYear: currentYear)
        guard checked.isEmpty else { return .failure(ProfileProblems(fields: Self.formFieldNames(checked))) }
        return .success(profile)
    }

    /// The API's problem keys as this form's field names.
    static func formFieldNames(_ problems: [String: String]) -> [String: String] {
        let names = [
            "displayName": "displayName", "birthYear": "birthYear", "children": "childrenCount", "location": "place",
            "location.coordinates": "place", "interests": "interests", "bio": "bio", "preferences.ageRange": "ageMin",
            "preferences.maxDistanceKm": "distance", "preferences.importance": "occupationImportance",
        ]
        return Dictionary(problems.map { (names[$0.key] ?? $0.key, $0.value) }, uniquingKeysWith: { first, _ in first })
    }
}

struct ProfileProblems: Error {
    var fields: [String: String]
}
