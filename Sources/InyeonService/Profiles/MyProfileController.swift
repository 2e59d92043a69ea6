import Foundation
import Hummingbird
import InyeonCore
import Logging
import PostgresNIO

/// `GET/PUT /api/me/profile`: one's own profile, preferences and privacy toggles. The exact location
/// goes to the private table; the card keeps it rounded to about a kilometre.
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
            var livingArrangement: LivingArrangement
            var ownsHome: Bool?
            var fitness: ActivityLevel
            var social: ActivityLevel
            var travel: TravelFrequency
        }

        struct Location: Codable, Sendable {
            var city: String
            var district: String
            var latitude: Double
            var longitude: Double
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
            }
            if !(-90...90).contains(location.latitude) || !(-180...180).contains(location.longitude) {
                problems["location.coordinates"] = "위치 좌표가 올바르지 않습니다."
            }
            if interests.count > 20 || interests.contains(where: { $0.isEmpty || $0.count > 30 }) {
                problems["interests"] = "관심사는 20개까지, 각각 30자 이하로 입력해 주세요."
            }
            if bio.storedLength > 1000 { problems["bio"] = "자기소개는 1000자 이하로 써 주세요." }
            if let position = occupation.position, position.storedLength > 60 { problems["occupation.position"] = "하시는 일은 60자 이하로 적어 주세요." }
            if preferences.ageMin > preferences.ageMax { problems["preferences.ageRange"] = "원하는 나이의 최소값이 최대값보다 큽니다." }
            if !(18...100).contains(preferences.ageMin) || !(18...100).contains(preferences.ageMax) {
                problems["preferences.ageRange"] = "원하는 나이는 18세에서 100세 사이로 정해 주세요."
            }
            if !(1...100).contains(preferences.maxDistanceKm) { problems["preferences.maxDistanceKm"] = "거리는 1km에서 100km 사이로 정해 주세요." }
            if !(1...5).contains(preferences.occupationImportance) || !(1...5).contains(preferences.lifestyleImportance) {
                problems["preferences.importance"] = "중요도는 1에서 5 사이로 골라 주세요."
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
                "SELECT row_to_json(p)::text FROM profiles p WHERE p.user_id = \(userID)", logger: logger
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
        // The card shows the neighbourhood, not the home: coordinates rounded to 0.01° (about 1 km).
        let publicLatitude = (profile.location.latitude * 100).rounded() / 100
        let publicLongitude = (profile.location.longitude * 100).rounded() / 100
        try await database.transaction(as: .user(userID), logger: logger) { connection in
            try await connection.query(
                """
                INSERT INTO profiles (user_id, display_name, birth_year, gender, seeking, marital_status, children_count,
                    children_age_groups, children_live_together, children_preference, industry, position, work_schedule,
                    living_arrangement, owns_home, fitness_level, social_level, travel_frequency, city, district, latitude, longitude,
                    interests, communication_style, bio, preferred_age_min, preferred_age_max, max_distance_km,
                    preferred_marital_statuses, occupation_importance, lifestyle_importance, show_age, show_location, searchable,
                    allow_public_listing, updated_at)
                VALUES (\(userID), \(profile.displayName.trimmingCharacters(in: .whitespacesAndNewlines)), \(profile.birthYear),
                    \(profile.gender.rawValue), \(profile.seeking.rawValue), \(profile.maritalStatus.rawValue), \(profile.children.count),
                    \(profile.children.ageGroups.map(\.rawValue)), \(profile.children.livingTogether), \(profile.children.preference.rawValue),
                    \(profile.occupation.industry.rawValue), \(profile.occupation.position), \(profile.occupation.schedule?.rawValue),
                    \(profile.lifestyle.livingArrangement.rawValue), \(profile.lifestyle.ownsHome), \(profile.lifestyle.fitness.rawValue),
                    \(profile.lifestyle.social.rawValue), \(profile.lifestyle.travel.rawValue), \(profile.location.city), \(profile.location.district),
                    \(publicLatitude), \(publicLongitude), \(profile.interests), \(profile.communicationStyle.rawValue), \(profile.bio),
                    \(profile.preferences.ageMin), \(profile.preferences.ageMax), \(profile.preferences.maxDistanceKm),
                    \(profile.preferences.maritalStatuses.map(\.rawValue)), \(profile.preferences.occupationImportance),
                    \(profile.preferences.lifestyleImportance), \(profile.privacy.showAge), \(profile.privacy.showLocation),
                    \(profile.privacy.searchable), \(profile.privacy.allowPublicListing), now())
                ON CONFLICT (user_id) DO UPDATE SET display_name = EXCLUDED.display_name, birth_year = EXCLUDED.birth_year,
                    gender = EXCLUDED.gender, seeking = EXCLUDED.seeking, marital_status = EXCLUDED.marital_status,
                    children_count = EXCLUDED.children_count, children_age_groups = EXCLUDED.children_age_groups,
                    children_live_together = EXCLUDED.children_live_together, children_preference = EXCLUDED.children_preference,
                    industry = EXCLUDED.industry, position = EXCLUDED.position, work_schedule = EXCLUDED.work_schedule,
                    living_arrangement = EXCLUDED.living_arrangement, owns_home = EXCLUDED.owns_home, fitness_level = EXCLUDED.fitness_level,
                    social_level = EXCLUDED.social_level, travel_frequency = EXCLUDED.travel_frequency, city = EXCLUDED.city,
                    district = EXCLUDED.district, latitude = EXCLUDED.latitude, longitude = EXCLUDED.longitude, interests = EXCLUDED.interests,
                    communication_style = EXCLUDED.communication_style, bio = EXCLUDED.bio, preferred_age_min = EXCLUDED.preferred_age_min,
                    preferred_age_max = EXCLUDED.preferred_age_max, max_distance_km = EXCLUDED.max_distance_km,
                    preferred_marital_statuses = EXCLUDED.preferred_marital_statuses, occupation_importance = EXCLUDED.occupation_importance,
                    lifestyle_importance = EXCLUDED.lifestyle_importance, show_age = EXCLUDED.show_age, show_location = EXCLUDED.show_location,
                    searchable = EXCLUDED.searchable, allow_public_listing = EXCLUDED.allow_public_listing, updated_at = now()
                """,
                logger: logger
            )
            try await connection.query(
                """
                UPDATE private_profiles SET latitude = \(profile.location.latitude), longitude = \(profile.location.longitude), updated_at = now()
                WHERE user_id = \(userID)
                """,
                logger: logger
            )
            try await AuditLog.record(
                AuditEntry(action: "profile.updated", actorID: userID, actorRole: .user, targetType: "account", targetID: userID.uuidString.lowercased()),
                requestID: requestID, on: connection, logger: logger
            )
            try await CacheInvalidation.publish(.profiles, keyPrefix: userID.uuidString.lowercased() + "/", on: connection, logger: logger)
        }
    }
}
