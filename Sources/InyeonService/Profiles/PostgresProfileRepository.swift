import Foundation
import InyeonCore
import Logging
import PostgresNIO

struct PostgresProfileRepository: ProfileRepository {
    let database: Database
    let cache: any Cache
    let currentYear: @Sendable () -> Int

    /// Value and personality scores come as arrays in the order of the assessment's dimensions, with -1
    /// for a missing score, so a row decodes without parsing JSON.
    ///
    /// People are read through `visible_profiles`: only one's own row has the birth year and the
    /// district's point; others come with their age bracket (when shown) and the point of their
    /// district (or of their 시·도 when the district is hidden), so nothing computed from them can
    /// reveal more than their card does.
    static let personColumns: PostgresQuery = {
        func scores(_ column: String, _ dimensions: [String]) -> String {
            "ARRAY[" + dimensions.map { "coalesce((v.\(column)->>'\($0)')::float8, -1)" }.joined(separator: ", ") + "]"
        }
        return PostgresQuery(unsafeSQL: """
            SELECT p.user_id, p.display_name, p.birth_year, p.gender, p.seeking, p.marital_status, p.children_count,
                   p.children_age_groups, p.children_preference, p.industry, p.living_arrangement, p.fitness_level,
                   p.social_level, p.travel_frequency, p.city, p.district, p.latitude, p.longitude, p.interests,
                   p.communication_style, p.preferred_age_min, p.preferred_age_max, p.max_distance_km,
                   p.occupation_importance, p.lifestyle_importance, p.show_age, p.show_location, p.bio,
                   \(scores("value_scores", AssessmentScorer.valueDimensions)),
                   \(scores("personality_scores", AssessmentScorer.personalityDimensions)),
                   p.preferred_marital_statuses, p.age_bracket, p.religion, p.smoking, p.drinking, p.shared_facts,
                   p.outside_writer_allowed, p.created_at::text
            FROM visible_profiles p LEFT JOIN values_assessments v ON v.user_id = p.user_id
            """)
    }()

    func cards(as identity: RequestIdentity, limit: Int, offset: Int, after cursor: CardCursor?, logger: Logger) async throws -> CardPage {
        let year = currentYear()
        // While anonymous callers may see no card, there is nothing to look for (the policies would
        // turn every row down, one by one).
        if identity.userID == nil, identity.role == .anonymous, !database.anonymousCardsAllowed() {
            return CardPage(cards: [], total: 0, next: nil)
        }
        return try await database.transaction(as: identity, logger: logger) { connection in
            // Kept by the database (`app.people_counts`): the same for every page, whatever the membership.
            let total = try await connection.query("SELECT app.listed_people_count()::int", logger: logger)
                .decode(Int.self).reduce(0) { $0 + $1 }
            let rows = if let cursor {
                try await connection.rows(of: CardPageStatements.After(cursor: cursor, limit: limit, currentYear: year), logger: logger)
            } else {
                try await connection.rows(of: CardPageStatements.ByOffset(limit: limit, offset: offset, currentYear: year), logger: logger)
            }
            let cards = rows.map(\.0.card)
            let last = rows.last.map { CardCursor(createdAt: $0.1, userID: UUID(uuidString: $0.0.card.id)!) }
            return CardPage(cards: cards, total: total, next: cards.count == limit ? last : nil)
        }
    }

    /// Cached per viewer (what one person may see is never served to another), absence included, and
    /// dropped on every instance when the person's data changes: every write that changes a card or
    /// its visibility publishes `CacheInvalidation` for that person.
    func person(_ id: UUID, as identity: RequestIdentity, logger: Logger) async throws -> VisiblePerson? {
        let viewer = (identity.userID?.uuidString.lowercased() ?? "anonymous") + "/" + identity.role.rawValue + "/"
            + (database.anonymousCardsAllowed() ? "public" : "closed")
        return try await cache.value(.profiles, key: id.uuidString.lowercased() + "/" + viewer, as: VisiblePerson?.self) {
            try await fetchPerson(id, as: identity, logger: logger)
        }
    }

    func fetchPerson(_ id: UUID, as identity: RequestIdentity, logger: Logger) async throws -> VisiblePerson? {
        let year = currentYear()
        var read = ReadStatement(sql: Self.personColumns.sql)
        let person = read.bind(id)
        read.sql += " WHERE p.user_id = \(person)"
        return try await database.read(as: identity, read, logger: logger).first.map { try Self.person(from: $0.cells, currentYear: year) }
    }

    func people(excluding id: UUID, as identity: RequestIdentity, limit: Int, logger: Logger) async throws -> [VisiblePerson] {
        let year = currentYear()
        return try await database.transaction(as: identity, logger: logger) { connection in
            let people = try await connection.rows(of: CardPageStatements.Others(excluding: id, limit: limit, currentYear: year), logger: logger)
            return people
        }
    }

    func totalPeople(logger: Logger) async throws -> Int {
        try await database.transaction(as: .system, logger: logger) { connection in
            try await connection.query("SELECT app.listed_people_count()::int", logger: logger).decode(Int.self).reduce(0) { $0 + $1 }
        }
    }

    static func person(from row: PostgresRow, currentYear: Int) throws -> VisiblePerson {
        try person(from: row.makeRandomAccess(), currentYear: currentYear)
    }

    /// A card from the columns of `personColumns`, in order.
    static func person<Columns: RandomAccessCollection<PostgresCell>>(from columns: Columns, currentYear: Int) throws -> VisiblePerson
    where Columns.Index == Int {
        func text(_ index: Int) throws -> String { try columns[index].decode(String.self) }
        func number(_ index: Int) throws -> Int { try columns[index].decode(Int.self) }
        func real(_ index: Int) throws -> Double { try columns[index].decode(Double.self) }
        func flag(_ index: Int) throws -> Bool { try columns[index].decode(Bool.self) }
        let id = try columns[0].decode(UUID.self)
        let name = try text(1)
        // Exact for oneself; for others, the middle of the bracket they show, or one age for all who hide it.
        let bracket = try columns[31].decode(String?.self).flatMap(AgeBracket.init(rawValue:))
        let exactBirthYear = try columns[2].decode(Int?.self)
        let birthYear = exactBirthYear ?? currentYear - (bracket?.representativeAge ?? AgeBracket.undisclosedRepresentativeAge)
        let gender = try text(3)
        let seeking = try text(4)
        let marital = try text(5)
        let childrenCount = try number(6)
        let childGroups = try columns[7].decode([String].self)
        let childrenPreference = try text(8)
        let industry = try text(9)
        let interests = try columns[18].decode([String].self)
        let showAge = try flag(25)
        let showLocation = try flag(26)
        func scores(_ index: Int, _ dimensions: [String]) throws -> [String: Double] {
            let values = try columns[index].decode([Double].self)
            return Dictionary(uniqueKeysWithValues: zip(dimensions, values).filter { $0.1 >= 0 })
        }

        var matching = MatchingProfile(
            id: id.uuidString.lowercased(),
            birthYear: birthYear,
            gender: Gender(rawValue: gender) ?? .female,
            seeking: SeekingGender(rawValue: seeking) ?? .any,
            maritalStatus: MaritalStatus(rawValue: marital) ?? .single,
            childrenCount: childrenCount,
            childrenAllGrown: childGroups.allSatisfy { $0 == ChildAgeGroup.adult.rawValue },
            childrenPreference: ChildrenPreference(rawValue: childrenPreference) ?? .noPreference,
            industry: Industry(rawValue: industry) ?? .other,
            livingArrangement: try columns[10].decode(String?.self).flatMap(LivingArrangement.init(rawValue:)) ?? .other,
            fitnessLevel: ActivityLevel(rawValue: try text(11)) ?? .moderate,
            socialLevel: ActivityLevel(rawValue: try text(12)) ?? .moderate,
            travelFrequency: TravelFrequency(rawValue: try text(13)) ?? .yearly,
            city: try text(14),
            district: try columns[15].decode(String?.self) ?? "",
            latitude: try real(16),
            longitude: try real(17),
            interests: interests,
            communicationStyle: CommunicationStyle(rawValue: try text(19)) ?? .diplomatic,
            preferredAgeMin: try number(20),
            preferredAgeMax: try number(21),
            maxDistanceKm: try number(22),
            occupationImportance: try number(23),
            lifestyleImportance: try number(24),
            values: try scores(28, AssessmentScorer.valueDimensions),
            personality: try scores(29, AssessmentScorer.personalityDimensions),
            preferredMaritalStatuses: try columns[30].decode([String].self).compactMap(MaritalStatus.init(rawValue:)),
            ageDisclosed: showAge
        )
        // The optional facts, each only where its owner shares it (the view already hides the rest
        // from everyone else; this holds for her own row too, so her card and scores are what others get).
        let shared = Set(try columns[35].decode([String].self))
        func sharedFact(_ index: Int, _ name: String) throws -> String? {
            shared.contains(name) ? try columns[index].decode(String?.self) : nil
        }
        matching.religion = try sharedFact(32, "religion").flatMap(Religion.init(rawValue:))
        matching.smoking = try sharedFact(33, "smoking").flatMap(Habit.init(rawValue:))
        matching.drinking = try sharedFact(34, "drinking").flatMap(Habit.init(rawValue:))
        matching.outsideWriterAllowed = try flag(36)
        let card = ProfileCard(
            id: id.uuidString.lowercased(),
            name: name,
            ageRange: showAge ? bracket?.rawValue : nil,
            gender: gender,
            maritalStatus: marital,
            hasChildren: childrenCount > 0,
            city: matching.city,
            district: showLocation && !matching.district.isEmpty ? matching.district : nil,
            occupation: industry,
            interests: interests,
            bio: try text(27),
            communicationStyle: matching.communicationStyle.rawValue,
            religion: matching.religion?.rawValue, smoking: matching.smoking?.rawValue, drinking: matching.drinking?.rawValue,
            livesWith: shared.contains("living") ? try columns[10].decode(String?.self) : nil
        )
        return VisiblePerson(card: card, matching: matching)
    }
}
