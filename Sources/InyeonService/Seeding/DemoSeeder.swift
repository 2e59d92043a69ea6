import Foundation
import InyeonCore
import Logging
import PostgresNIO

/// Stores generated demo people, in batches, as the `system` identity (the only one RLS lets write
/// other people's rows). Idempotent: people already stored are skipped, so seeding 100,000 after 200
/// adds the rest.
public struct DemoSeeder: Sendable {
    let database: Database
    let generator: DemoPeopleGenerator
    let batchSize = 1000

    public init(database: Database, currentYear: Int, seed: UInt64 = 4060) {
        self.database = database
        self.generator = DemoPeopleGenerator(seed: seed, currentYear: currentYear)
    }

    /// Whether the demo people have never been stored (the first of them is missing).
    public func isNeeded(logger: Logger) async throws -> Bool {
        let first = UUID(uuidString: generator.person(at: 0).id)!
        return try await database.transaction(as: .system, logger: logger) { connection in
            try await connection.query("SELECT NOT EXISTS (SELECT 1 FROM accounts WHERE id = \(first))", logger: logger)
                .decode(Bool.self).reduce(true) { $1 }
        }
    }

    /// Stores the first `count` demo people; returns how many were new.
    @discardableResult
    public func seed(count: Int, logger: Logger) async throws -> Int {
        var inserted = 0
        for start in stride(from: 0, to: count, by: batchSize) {
            let people = (start..<min(start + batchSize, count)).map(generator.person(at:))
            inserted += try await insert(people, logger: logger)
        }
        logger.info("seeded demo people", metadata: ["requested": "\(count)", "new": "\(inserted)"])
        return inserted
    }

    func insert(_ people: [DemoPerson], logger: Logger) async throws -> Int {
        try await database.transaction(as: .system, logger: logger) { connection in
            var query: PostgresQuery = "INSERT INTO accounts (id) SELECT unnest($1::uuid[]) ON CONFLICT (id) DO NOTHING RETURNING id"
            query.binds.append(people.map { UUID(uuidString: $0.id)! })
            var newIDs = Set<UUID>()
            for try await id in try await connection.query(query, logger: logger).decode(UUID.self) { newIDs.insert(id) }
            let fresh = people.filter { newIDs.contains(UUID(uuidString: $0.id)!) }
            guard !fresh.isEmpty else { return 0 }
            try await insertProfiles(fresh, connection: connection, logger: logger)
            try await insertPrivateParts(fresh, connection: connection, logger: logger)
            try await insertAssessmentsAndConsents(fresh, connection: connection, logger: logger)
            return fresh.count
        }
    }

    func insertProfiles(_ people: [DemoPerson], connection: DatabaseConnection, logger: Logger) async throws {
        var query = PostgresQuery(
            unsafeSQL: """
                INSERT INTO profiles (user_id, display_name, birth_year, gender, seeking, marital_status, children_count,
                    children_age_groups, children_live_together, children_preference, industry, position, work_schedule,
                    living_arrangement, owns_home, fitness_level, social_level, travel_frequency, city, district, latitude,
                    longitude, interests, communication_style, bio, preferred_age_min, preferred_age_max, max_distance_km,
                    occupation_importance, lifestyle_importance, show_age, show_location, searchable, allow_public_listing,
                    created_at)
                SELECT u, n, by, g, s, ms, cc, string_to_array(cg, '|'), clt, cp, ind, pos, ws, la, oh, fl, sl, tf, c, d, lat, lon,
                    string_to_array(i, '|'), cs, b, amin, amax, dist, oi, li, sa, slo, se, pl,
                    now() - make_interval(secs => ord)
                FROM unnest($1::uuid[], $2::text[], $3::int[], $4::text[], $5::text[], $6::text[], $7::int[], $8::text[],
                    $9::bool[], $10::text[], $11::text[], $12::text[], $13::text[], $14::text[], $15::bool[], $16::text[],
                    $17::text[], $18::text[], $19::text[], $20::text[], $21::float8[], $22::float8[], $23::text[], $24::text[],
                    $25::text[], $26::int[], $27::int[], $28::int[], $29::int[], $30::int[], $31::bool[], $32::bool[],
                    $33::bool[], $34::bool[])
                    WITH ORDINALITY AS t(u, n, by, g, s, ms, cc, cg, clt, cp, ind, pos, ws, la, oh, fl, sl, tf, c, d, lat, lon,
                        i, cs, b, amin, amax, dist, oi, li, sa, slo, se, pl, ord)
                """,
            binds: PostgresBindings()
        )
        query.binds.append(people.map { UUID(uuidString: $0.id)! })
        query.binds.append(people.map(\.displayName))
        query.binds.append(people.map(\.birthYear))
        query.binds.append(people.map(\.gender.rawValue))
        query.binds.append(people.map(\.seeking.rawValue))
        query.binds.append(people.map(\.maritalStatus.rawValue))
        query.binds.append(people.map(\.childrenCount))
        query.binds.append(people.map { $0.childrenAgeGroups.map(\.rawValue).joined(separator: "|") })
        query.binds.append(people.map(\.childrenLiveTogether))
        query.binds.append(people.map(\.childrenPreference.rawValue))
        query.binds.append(people.map(\.industry.rawValue))
        query.binds.append(people.map(\.position))
        query.binds.append(people.map(\.schedule.rawValue))
        query.binds.append(people.map(\.livingArrangement.rawValue))
        query.binds.append(people.map(\.ownsHome))
        query.binds.append(people.map(\.fitnessLevel.rawValue))
        query.binds.append(people.map(\.socialLevel.rawValue))
        query.binds.append(people.map(\.travelFrequency.rawValue))
        query.binds.append(people.map(\.place.city))
        query.binds.append(people.map(\.place.district))
        query.binds.append(people.map(\.place.latitude))
        query.binds.append(people.map(\.place.longitude))
        query.binds.append(people.map { $0.interests.joined(separator: "|") })
        query.binds.append(people.map(\.communicationStyle.rawValue))
        query.binds.append(people.map(\.bio))
        query.binds.append(people.map(\.preferredAgeMin))
        query.binds.append(people.map(\.preferredAgeMax))
        query.binds.append(people.map(\.maxDistanceKm))
        query.binds.append(people.map(\.occupationImportance))
        query.binds.append(people.map(\.lifestyleImportance))
        query.binds.append(people.map(\.showAge))
        query.binds.append(people.map(\.showLocation))
        query.binds.append(people.map(\.searchable))
        query.binds.append(people.map(\.allowPublicListing))
        try await connection.query(query, logger: logger)
    }

    func insertPrivateParts(_ people: [DemoPerson], connection: DatabaseConnection, logger: Logger) async throws {
        var query = PostgresQuery(
            unsafeSQL: """
                INSERT INTO private_profiles (user_id, email, phone, birth_date, income_band, latitude, longitude)
                SELECT u, e, p, make_date(y, m, d), ib, lat, lon
                FROM unnest($1::uuid[], $2::text[], $3::text[], $4::int[], $5::int[], $6::int[], $7::text[], $8::float8[], $9::float8[])
                    AS t(u, e, p, y, m, d, ib, lat, lon)
                ON CONFLICT DO NOTHING
                """,
            binds: PostgresBindings()
        )
        query.binds.append(people.map { UUID(uuidString: $0.id)! })
        query.binds.append(people.map(\.email))
        query.binds.append(people.map(\.phone))
        query.binds.append(people.map(\.birthYear))
        query.binds.append(people.map(\.birthMonth))
        query.binds.append(people.map(\.birthDay))
        query.binds.append(people.map(\.incomeBand))
        query.binds.append(people.map(\.exactLatitude))
        query.binds.append(people.map(\.exactLongitude))
        try await connection.query(query, logger: logger)
    }

    func insertAssessmentsAndConsents(_ people: [DemoPerson], connection: DatabaseConnection, logger: Logger) async throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        var assessments = PostgresQuery(
            unsafeSQL: """
                INSERT INTO values_assessments (user_id, value_scores, personality_scores)
                SELECT u, v::jsonb, p::jsonb FROM unnest($1::uuid[], $2::text[], $3::text[]) AS t(u, v, p)
                ON CONFLICT DO NOTHING
                """,
            binds: PostgresBindings()
        )
        assessments.binds.append(people.map { UUID(uuidString: $0.id)! })
        assessments.binds.append(try people.map { String(decoding: try encoder.encode($0.values), as: UTF8.self) })
        assessments.binds.append(try people.map { String(decoding: try encoder.encode($0.personality), as: UTF8.self) })
        try await connection.query(assessments, logger: logger)

        var consents = PostgresQuery(
            unsafeSQL: """
                INSERT INTO consents (user_id, kind, version, granted)
                SELECT u, k, '2026-01', g
                FROM unnest($1::uuid[], $2::bool[]) AS t(u, marketing),
                     LATERAL (VALUES ('terms', true), ('privacy', true), ('marketing', marketing)) AS c(k, g)
                """,
            binds: PostgresBindings()
        )
        consents.binds.append(people.map { UUID(uuidString: $0.id)! })
        consents.binds.append(people.map(\.marketingConsent))
        try await connection.query(consents, logger: logger)
    }
}
