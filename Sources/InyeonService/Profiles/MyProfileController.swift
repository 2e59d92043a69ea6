import Foundation
import Hummingbird
import InyeonCore
import Logging
import PostgresNIO

/// `GET/PUT /api/me/profile`: one's own profile, preferences and privacy toggles. The exact location,
/// when given, goes to the private table; the profile is placed at its district's point.
struct MyProfileController: Sendable {
    let database: Database
    let currentYear: @Sendable () -> Int

    struct Profile: Codable, Sendable {
        var displayName: String
        var birthYear: Int
        var gender: Gender
        var seeking: SeekingGender
        var maritalStatus: MaritalStatus
        var children: Children
        var occupation: Occupation
        var lifestyle: Lifestyle
        var location: Location
        var interests: [String]
        var bio: String
        var communicationStyle: CommunicationStyle
        var preferences: Preferences
        var privacy: Privacy
        /// Optional facts and which of them she shares; absent means none answered.
        var facts: Facts?

        struct Facts: Codable, Sendable {
            var religion: Religion?
            var smoking: Habit?
            var drinking: Habit?
            /// Which facts others see on her card (and so the matching reads): religion, smoking, drinking, living.
            var shared: [String]

            static let shareable = ["religion", "smoking", "drinking", "living"]
        }

        struct Children: Codable, Sendable {
            var count: Int
            var ageGroups: [ChildAgeGroup]
            var livingTogether: Bool
            var preference: ChildrenPreference
        }

        struct Occupation: Codable, Sendable {
            var industry: Industry
            var position: String?
            var schedule: WorkSchedule?
        }

        struct Lifestyle: Codable, Sendable {
            /// Whom she lives with; optional (nil: not said).
            var livingArrangement: LivingArrangement?
            var ownsHome: Bool?
            var fitness: ActivityLevel
            var social: ActivityLevel
            var travel: TravelFrequency
        }

        struct Location: Codable, Sendable {
            /// A 시·도 and one of its 시·군·구 (`KoreanDistrictDirectory`).
            var city: String
            var district: String
            /// The home, optional: kept in the private table, for the person alone.
            var latitude: Double?
            var longitude: Double?

            /// The district in the directory, with the stored short name of its 시·도.
            var place: KoreanDistrictDirectory.District? {
                KoreanDistrictDirectory.district(city: city, district: district)
            }
        }

        struct Preferences: Codable, Sendable {
            var ageMin: Int
            var ageMax: Int
            var maxDistanceKm: Int
            var maritalStatuses: [MaritalStatus]
            var occupationImportance: Int
            var lifestyleImportance: Int
        }

        struct Privacy: Codable, Sendable {
            var showAge: Bool
            var showLocation: Bool
            var searchable: Bool
            var allowPublicListing: Bool
        }

        /// Every problem at once, in plain Korean, field by field.
        func problems(currentYear: Int) -> [String: String] {
            var problems: [String: String] = [:]
            let name = displayName.trimmingCharacters(in: .whitespacesAndNewlines)
            if !(1...40).contains(name.storedLength) { problems["displayName"] = "이름은 1자 이상 40자 이하로 입력해 주세요." }
            if !((currentYear - 100)...(currentYear - 18)).contains(birthYear) { problems["birthYear"] = "태어난 해를 다시 확인해 주세요." }
            if !(0...20).contains(children.count) || children.ageGroups.count > children.count {
                problems["children"] = "자녀 수와 연령대를 다시 확인해 주세요."
            }
            if location.city.isEmpty || location.city.storedLength > 40 || location.district.isEmpty || location.district.storedLength > 40 {
                problems["location"] = "시와 구를 입력해 주세요."
            } else if location.place == nil {
                problems["location"] = "시·도와 시·군·구를 목록에 있는 이름으로 골라 주세요 (예: 서울 마포구)."
            }
            if (location.latitude == nil) != (location.longitude == nil)
                || !(-90...90).contains(location.latitude ?? 0) || !(-180...180).contains(location.longitude ?? 0) {
                problems["location.coordinates"] = "위치 좌표가 올바르지 않습니다."
            }
            // Counted in code points, as PostgreSQL counts them (a grapheme can hide many).
            if interests.count > 20 || interests.contains(where: { $0.isEmpty || $0.storedLength > 30 }) {
                problems["interests"] = "관심사는 20개까지, 각각 30자 이하로 입력해 주세요."
            }
            if bio.storedLength > 1000 { problems["bio"] = "자기소개는 1000자 이하로 써 주세요." }
            if let position = occupation.position, position.storedLength > 60 { problems["occupation.position"] = "하시는 일은 60자 이하로 적어 주세요." }
            if preferences.ageMin > preferences.ageMax { problems["preferences.ageRange"] = "원하는 나이의 최소값이 최대값보다 큽니다." }
            if !(18...100).contains(preferences.ageMin) || !(18...100).contains(preferences.ageMax) {
                problems["preferences.ageRange"] = "원하는 나이는 18세에서 100세 사이로 정해 주세요."
            }
            if !(1...100).contains(preferences.maxDistanceKm) { problems["preferences.maxDistanceKm"] = "거리는 1km에서 100km 사이로 정해 주세요." }
            if preferences.maritalStatuses.count > MaritalStatus.allCases.count || Set(preferences.maritalStatuses).count != preferences.maritalStatuses.count {
                problems["preferences.maritalStatuses"] = "원하는 혼인 상태는 겹치지 않게 골라 주세요."
            }
            if !(1...5).contains(preferences.occupationImportance) || !(1...5).contains(preferences.lifestyleImportance) {
                problems["preferences.importance"] = "중요도는 1에서 5 사이로 골라 주세요."
            }
            if let facts {
                if let smoking = facts.smoking, !Habit.smoking.contains(smoking) { problems["facts.smoking"] = "흡연은 no, sometimes, yes 중에서 골라 주세요." }
                if let drinking = facts.drinking, !Habit.drinking.contains(drinking) {
                    problems["facts.drinking"] = "음주는 no, sometimes, often 중에서 골라 주세요."
                }
                if !Set(facts.shared).isSubset(of: Facts.shareable) || Set(facts.shared).count != facts.shared.count {
                    problems["facts.shared"] = "공개할 항목은 religion, smoking, drinking, living 중에서 겹치지 않게 골라 주세요."
                }
            }
            return problems
        }
    }

    func addRoutes(to routes: RouteTable<AppRequestContext>) {
        routes.get("/api/me/profile", use: read)
        routes.put("/api/me/profile", use: write)
    }

    @Sendable func read(request: Request, context: AppRequestContext) async throws -> Response {
        let (userID, _) = try context.requireSignedIn()
        let logger = context.logger
        let json = try await database.transaction(as: .user(userID), logger: logger) { connection -> String? in
            for try await json in try await connection.query(
                "SELECT row_to_json(p)::text FROM visible_profiles p WHERE p.user_id = \(userID)", logger: logger
            ).decode(String.self) {
                return json
            }
            return nil
        }
        guard let json else { throw APIError(.notFound, code: "PROFILE_NOT_FOUND", message: "아직 프로필을 만들지 않으셨습니다.") }
        return try envelopedJSON(json, message: "내 프로필입니다.")
    }

    @Sendable func write(request: Request, context: AppRequestContext) async throws -> Response {
        let (userID, _) = try context.requireSignedIn()
        let profile = try await request.decode(as: Profile.self, context: context)
        let problems = profile.problems(currentYear: currentYear())
        guard problems.isEmpty else {
            throw APIError(.badRequest, code: "INVALID_PROFILE", message: "입력한 내용을 확인해 주세요.", fields: problems)
        }
        try await save(profile, for: userID, requestID: context.id, logger: context.logger)
        return try await read(request: request, context: context)
    }

    /// Stores a checked profile (the API and the profile page both come here).
    func save(_ profile: Profile, for userID: UUID, requestID: String?, logger: Logger) async throws {
        // Distances to others are measured from the district's point, never from the home.
        guard let place = profile.location.place else {
            throw APIError(.badRequest, code: "INVALID_PROFILE", message: "입력한 내용을 확인해 주세요.", fields: ["location": "시·도와 시·군·구를 확인해 주세요."])
        }
        try await database.transaction(as: .user(userID), logger: logger) { connection in
            let name = profile.displayName.trimmingCharacters(in: .whitespacesAndNewlines)
            // The row first (the service may write the hidden columns but not read them, so no
            // `ON CONFLICT DO UPDATE`, which reads the values it replaces), then every field.
            try await connection.query(
                """
                INSERT INTO profiles (user_id, display_name, birth_year, gender, seeking, marital_status, city, district, latitude, longitude)
                VALUES (\(userID), \(name), \(profile.birthYear), \(profile.gender.rawValue), \(profile.seeking.rawValue),
                    \(profile.maritalStatus.rawValue), \(place.city), \(place.district), \(place.point.latitude), \(place.point.longitude))
                ON CONFLICT (user_id) DO NOTHING
                """,
                logger: logger
            )
            try await connection.query(
                """
                UPDATE profiles SET display_name = \(name), birth_year = \(profile.birthYear), gender = \(profile.gender.rawValue),
                    seeking = \(profile.seeking.rawValue), marital_status = \(profile.maritalStatus.rawValue),
                    children_count = \(profile.children.count), children_age_groups = \(profile.children.ageGroups.map(\.rawValue)),
                    children_live_together = \(profile.children.livingTogether), children_preference = \(profile.children.preference.rawValue),
                    industry = \(profile.occupation.industry.rawValue), position = \(profile.occupation.position),
                    work_schedule = \(profile.occupation.schedule?.rawValue), living_arrangement = \(profile.lifestyle.livingArrangement?.rawValue),
                    owns_home = \(profile.lifestyle.ownsHome), fitness_level = \(profile.lifestyle.fitness.rawValue),
                    social_level = \(profile.lifestyle.social.rawValue), travel_frequency = \(profile.lifestyle.travel.rawValue),
                    city = \(place.city), district = \(place.district), latitude = \(place.point.latitude), longitude = \(place.point.longitude),
                    interests = \(profile.interests), communication_style = \(profile.communicationStyle.rawValue), bio = \(profile.bio),
                    preferred_age_min = \(profile.preferences.ageMin), preferred_age_max = \(profile.preferences.ageMax),
                    max_distance_km = \(profile.preferences.maxDistanceKm),
                    preferred_marital_statuses = \(profile.preferences.maritalStatuses.map(\.rawValue)),
                    occupation_importance = \(profile.preferences.occupationImportance),
                    lifestyle_importance = \(profile.preferences.lifestyleImportance), show_age = \(profile.privacy.showAge),
                    show_location = \(profile.privacy.showLocation), searchable = \(profile.privacy.searchable),
                    allow_public_listing = \(profile.privacy.allowPublicListing), religion = \(profile.facts?.religion?.rawValue),
                    smoking = \(profile.facts?.smoking?.rawValue), drinking = \(profile.facts?.drinking?.rawValue),
                    shared_facts = \(profile.facts?.shared ?? []), updated_at = now()
                WHERE user_id = \(userID)
                """,
                logger: logger
            )
            if let latitude = profile.location.latitude, let longitude = profile.location.longitude {
                try await connection.query(
                    "UPDATE private_profiles SET latitude = \(latitude), longitude = \(longitude), updated_at = now() WHERE user_id = \(userID)",
                    logger: logger
                )
            }
            try await AuditLog.record(
                AuditEntry(action: "profile.updated", actorID: userID, actorRole: .user, targetType: "account", targetID: userID.uuidString.lowercased()),
                requestID: requestID, on: connection, logger: logger
            )
            try await CacheInvalidation.publish(.profiles, keyPrefix: userID.uuidString.lowercased() + "/", on: connection, logger: logger)
        }
    }
}
