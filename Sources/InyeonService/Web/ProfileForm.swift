import Foundation
import InyeonCore

/// The profile page's form: what it shows (the stored profile, or what was just typed) and how the
/// typed fields become the same `Profile` the API takes.
///
/// Nothing about her is chosen for her: gender, whom she seeks, marital status, children and place
/// start empty and must be answered; the optional facts start unanswered and unshared. Only
/// preferences with an obvious middle (the age range, the distance, the importances) start filled.
struct ProfileForm: Sendable {
    var displayName = ""
    var birthYear = ""
    var gender = ""
    var maritalStatus = ""
    var childrenCount = ""
    var industry = ""
    /// "시·도|시·군·구", as `KoreanDistrictDirectory` names them.
    var place = ""
    var interests = ""
    var bio = ""
    var seeking = ""
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
    var religion = ""
    var smoking = ""
    var drinking = ""
    var living = ""
    var shared: Set<String> = []

    static let distances = [5, 10, 20, 30, 50, 100]
    /// The facts she may add, in the order the form asks them, with their choices.
    static let optionalFacts: [(name: String, choices: [String])] = [
        ("religion", Religion.allCases.map(\.rawValue)), ("smoking", Habit.smoking.map(\.rawValue)),
        ("drinking", Habit.drinking.map(\.rawValue)), ("living", LivingArrangement.allCases.map(\.rawValue)),
    ]

    init() {}

    init(form: FormData) {
        displayName = form["displayName"] ?? ""
        birthYear = form["birthYear"] ?? ""
        gender = form["gender"] ?? ""
        maritalStatus = form["maritalStatus"] ?? ""
        childrenCount = form["childrenCount"] ?? ""
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
        religion = form["religion"] ?? ""
        smoking = form["smoking"] ?? ""
        drinking = form["drinking"] ?? ""
        living = form["living"] ?? ""
        shared = Set(Self.optionalFacts.map(\.name).filter { form.checked("share-\($0)") })
    }

    /// One problem: the field it is about (its form name) and what to do, in the reader's words.
    typealias Problems = [String: String]

    /// The typed form as a profile, or the problems to show next to each field (keyed by field name),
    /// in the reader's language.
    func profile(currentYear: Int, text: WebText) -> Result<MyProfileController.Profile, ProfileProblems> {
        var problems: Problems = [:]
        let name = displayName.trimmingCharacters(in: .whitespaces)
        if name.isEmpty || name.count > 40 { problems["displayName"] = text["problem_display_name"] }
        let year = Int(birthYear.trimmingCharacters(in: .whitespaces))
        if let year {
            let age = currentYear - year
            if !((currentYear - 100)...(currentYear - 18)).contains(year) {
                problems["birthYear"] = text["problem_birth_year_range"]
                    .replacingOccurrences(of: "%1", with: String(year)).replacingOccurrences(of: "%2", with: String(age))
                    .replacingOccurrences(of: "%3", with: String(currentYear - 100)).replacingOccurrences(of: "%4", with: String(currentYear - 18))
            }
        } else {
            problems["birthYear"] = text["problem_birth_year"]
        }
        let gender = Gender(rawValue: gender)
        if gender == nil { problems["gender"] = text["problem_gender"] }
        let marital = MaritalStatus(rawValue: maritalStatus)
        if marital == nil { problems["maritalStatus"] = text["problem_marital"] }
        let children = Int(childrenCount.trimmingCharacters(in: .whitespaces))
        if children.map({ !(0...20).contains($0) }) ?? true { problems["childrenCount"] = text["problem_children"] }
        let district = place.split(separator: "|", maxSplits: 1).map(String.init)
        let found = district.count == 2 ? KoreanDistrictDirectory.district(city: district[0], district: district[1]) : nil
        if found == nil { problems["place"] = text["problem_place"] }
        let interestList = interests.split(whereSeparator: { $0 == "," || $0 == "、" }).map { $0.trimmingCharacters(in: .whitespaces) }
            .filter { !$0.isEmpty }
        if interestList.count > 20 || interestList.contains(where: { $0.count > 30 }) { problems["interests"] = text["problem_interests"] }
        if bio.count > 1000 { problems["bio"] = text["problem_bio"] }
        let seeking = SeekingGender(rawValue: seeking)
        if seeking == nil { problems["seeking"] = text["problem_seeking"] }
        let (minimum, maximum) = (Int(ageMin.trimmingCharacters(in: .whitespaces)), Int(ageMax.trimmingCharacters(in: .whitespaces)))
        if let minimum, let maximum {
            if !(18...100).contains(minimum) || !(18...100).contains(maximum) {
                problems["ageMin"] = text["problem_age_bounds"]
            } else if minimum > maximum {
                problems["ageMin"] = text["problem_age_order"].replacingOccurrences(of: "%1", with: String(minimum))
                    .replacingOccurrences(of: "%2", with: String(maximum))
            }
        } else {
            problems["ageMin"] = text["problem_age_numbers"]
        }
        let kilometres = Int(distance).flatMap { (1...100).contains($0) ? $0 : nil }
        if kilometres == nil { problems["distance"] = text["problem_distance"] }
        let importances = [occupationImportance, lifestyleImportance].map { Int($0).flatMap { (1...5).contains($0) ? $0 : nil } }
        if importances.contains(where: { $0 == nil }) { problems["occupationImportance"] = text["problem_importance"] }
        let religion = self.religion.isEmpty ? nil : Religion(rawValue: self.religion)
        let smoking = self.smoking.isEmpty ? nil : Habit(rawValue: self.smoking).flatMap { Habit.smoking.contains($0) ? $0 : nil }
        let drinking = self.drinking.isEmpty ? nil : Habit(rawValue: self.drinking).flatMap { Habit.drinking.contains($0) ? $0 : nil }
        let living = self.living.isEmpty ? nil : LivingArrangement(rawValue: self.living)
        if (!self.religion.isEmpty && religion == nil) || (!self.smoking.isEmpty && smoking == nil) || (!self.drinking.isEmpty && drinking == nil)
            || (!self.living.isEmpty && living == nil) {
            problems["religion"] = text["problem_choice"]
        }
        guard problems.isEmpty, let year, let gender, let marital, let children, let found, let seeking, let minimum, let maximum,
              let kilometres else {
            return .failure(ProfileProblems(fields: problems))
        }
        let profile = MyProfileController.Profile(
            displayName: name, birthYear: year, gender: gender, seeking: seeking,
            maritalStatus: marital,
            children: .init(count: children, ageGroups: children > 0 ? [.adult] : [], livingTogether: false, preference: .noPreference),
            occupation: .init(industry: Industry(rawValue: industry) ?? .other, position: nil, schedule: nil),
            lifestyle: .init(livingArrangement: living, ownsHome: nil, fitness: .moderate, social: .moderate, travel: .yearly),
            location: .init(city: found.city, district: found.district, latitude: nil, longitude: nil),
            interests: interestList,
            bio: bio, communicationStyle: CommunicationStyle(rawValue: communicationStyle) ?? .supportive,
            preferences: .init(
                ageMin: minimum, ageMax: maximum, maxDistanceKm: kilometres, maritalStatuses: MaritalStatus.allCases.filter { wantMarital.contains($0.rawValue) },
                occupationImportance: importances[0] ?? 3, lifestyleImportance: importances[1] ?? 3
            ),
            privacy: .init(showAge: showAge, showLocation: showLocation, searchable: searchable, allowPublicListing: allowPublicListing),
            facts: .init(religion: religion, smoking: smoking, drinking: drinking,
                         shared: Self.optionalFacts.map(\.name).filter { shared.contains($0) })
        )
        // The API's own checks, for anything the form's did not cover, in the reader's words.
        let checked = profile.problems(currentYear: currentYear)
        guard checked.isEmpty else {
            return .failure(ProfileProblems(fields: Dictionary(checked.map { key, _ in
                let field = Self.formFieldNames[key] ?? "displayName"
                return (field, problems[field] ?? text["problem_generic"])
            }, uniquingKeysWith: { first, _ in first })))
        }
        return .success(profile)
    }

    /// The API's problem keys as this form's field names.
    static let formFieldNames = [
        "displayName": "displayName", "birthYear": "birthYear", "children": "childrenCount", "location": "place",
        "location.coordinates": "place", "interests": "interests", "bio": "bio", "preferences.ageRange": "ageMin",
        "preferences.maxDistanceKm": "distance", "preferences.importance": "occupationImportance", "facts.smoking": "smoking",
        "facts.drinking": "drinking", "facts.shared": "religion",
    ]

    /// The form's fields in the order the page shows them, with the id each summary link moves to.
    static let fieldOrder: [(name: String, id: String)] = [
        ("displayName", "display-name"), ("birthYear", "birth-year"), ("gender", "gender-female"), ("maritalStatus", "marital-status"),
        ("childrenCount", "children-count"), ("place", "region"), ("interests", "interests"), ("bio", "bio"), ("religion", "religion"),
        ("smoking", "smoking"), ("drinking", "drinking"), ("seeking", "seeking-male"), ("ageMin", "age-min"), ("distance", "distance"),
        ("occupationImportance", "occupation-importance"),
    ]

    /// The display names of the 시·도 as they are called today (the directory stores short names).
    static let regionNames: [String: String] = [
        "서울": "서울특별시", "부산": "부산광역시", "대구": "대구광역시", "인천": "인천광역시", "광주": "광주광역시", "대전": "대전광역시",
        "울산": "울산광역시", "세종": "세종특별자치시", "경기": "경기도", "강원": "강원특별자치도", "충북": "충청북도", "충남": "충청남도",
        "전북": "전북특별자치도", "전남": "전라남도", "경북": "경상북도", "경남": "경상남도", "제주": "제주특별자치도",
    ]
}

struct ProfileProblems: Error {
    var fields: [String: String]
}
