import InyeonCore

extension Migration {
    /// What others may read of a person comes from one view that holds only what a card may show.
    ///
    /// Row-level security decides which rows the service's role sees, not which columns, so before
    /// this every column of a visible profile (the birth year, the coordinates) could be read on
    /// another person's behalf, and one's own preferences then probed it. Now:
    /// - the service's role may not read `profiles.birth_year`, `district`, `latitude` or `longitude`
    ///   at all (column privileges); it reads people through `visible_profiles`, which shows them
    ///   only for the caller's own row, and otherwise the age bracket (when its owner shows it) and
    ///   the district's point (or, when its owner hides the district, the 시·도's point);
    /// - profiles are placed at their district's point (`app.places`), never at a home.
    ///
    /// The view runs with its owner's column privileges (not `security_invoker`): that is what lets
    /// it compute a bracket from a column the caller may not read. Rows are still filtered by the
    /// caller's identity, because `profiles` is FORCEd, so its owner obeys the same policies (its own
    /// read-everything policy is dropped here; `RowLevelSecurityTests` reads the view as each caller).
    static let cardFacts = Migration(
        version: 10,
        name: "card_facts",
        script: #"""
            CREATE TABLE app.places (
                city text NOT NULL,
                district text NOT NULL,  -- '' for the 시·도's own point
                latitude double precision NOT NULL,
                longitude double precision NOT NULL,
                PRIMARY KEY (city, district)
            );
            INSERT INTO app.places (city, district, latitude, longitude) VALUES
            """# + placeRows + #"""
            ;
            GRANT SELECT ON app.places TO {{app_role}};

            -- Existing people move to their district's point (kept where the district is unknown). The owner
            -- writes other people's rows only with the table's policies lifted, inside this transaction.
            ALTER TABLE profiles NO FORCE ROW LEVEL SECURITY;
            UPDATE profiles p SET latitude = d.latitude, longitude = d.longitude
                FROM app.places d WHERE d.city = p.city AND d.district = p.district;
            ALTER TABLE profiles FORCE ROW LEVEL SECURITY;

            -- The owner read every profile so that app.decide (a definer function) could check its target;
            -- under the table's own policies it sees exactly what the caller may see, which is what that check
            -- means. Without this, the view below (which runs as the owner) shows each caller only their rows.
            DROP POLICY profiles_definer_read ON profiles;

            -- The bracket shown for an age: AgeBracket in InyeonCore (a test keeps the two equal).
            CREATE FUNCTION app.age_bracket(birth_year integer) RETURNS text LANGUAGE sql STABLE SET search_path = '' AS $$
                SELECT CASE
                    WHEN age < 40 THEN '40 미만' WHEN age <= 45 THEN '40-45' WHEN age <= 50 THEN '46-50'
                    WHEN age <= 55 THEN '51-55' WHEN age <= 60 THEN '56-60' ELSE '60+' END
                FROM (SELECT extract(year FROM now() AT TIME ZONE 'Asia/Seoul')::int - birth_year AS age) a
            $$;

            CREATE VIEW visible_profiles WITH (security_barrier = true) AS
                SELECT p.user_id, p.display_name, p.gender, p.seeking, p.marital_status, p.children_count, p.children_age_groups,
                       p.children_custody, p.children_live_together, p.children_preference, p.industry, p.position, p.work_schedule,
                       p.living_arrangement, p.owns_home, p.fitness_level, p.social_level, p.travel_frequency, p.city,
                       p.interests, p.communication_style, p.bio, p.preferred_age_min, p.preferred_age_max, p.max_distance_km,
                       p.preferred_marital_statuses, p.occupation_importance, p.lifestyle_importance, p.show_age, p.show_location,
                       p.searchable, p.allow_public_listing, p.created_at, p.updated_at,
                       CASE WHEN own THEN p.birth_year END AS birth_year,
                       CASE WHEN own OR p.show_age THEN app.age_bracket(p.birth_year) END AS age_bracket,
                       CASE WHEN own OR p.show_location THEN p.district END AS district,
                       CASE WHEN own OR p.show_location THEN p.latitude ELSE coalesce(r.latitude, round(p.latitude::numeric)::float8) END
                           AS latitude,
                       CASE WHEN own OR p.show_location THEN p.longitude ELSE coalesce(r.longitude, round(p.longitude::numeric)::float8) END
                           AS longitude
                FROM public.profiles p
                CROSS JOIN LATERAL (SELECT p.user_id = (SELECT app.current_user_id()) AS own) o
                -- A hidden district is placed at its 시·도's point (a whole degree where the 시·도 is unknown).
                LEFT JOIN app.places r ON r.city = p.city AND r.district = '';
            GRANT SELECT ON visible_profiles TO {{app_role}};

            -- The service's role reads people only through the view: the hidden columns stay writable, not readable.
            REVOKE SELECT ON profiles FROM {{app_role}};
            GRANT SELECT (user_id, display_name, gender, seeking, marital_status, children_count, children_age_groups,
                          children_custody, children_live_together, children_preference, industry, position, work_schedule,
                          living_arrangement, owns_home, fitness_level, social_level, travel_frequency, city, interests,
                          communication_style, bio, preferred_age_min, preferred_age_max, max_distance_km,
                          preferred_marital_statuses, occupation_importance, lifestyle_importance, show_age, show_location,
                          searchable, allow_public_listing, created_at, updated_at)
                ON profiles TO {{app_role}};
            """#
    )

    /// `('서울', '강남구', 37.5, 127.0), …` for every 시·도 (district '') and 시·군·구.
    private static var placeRows: String {
        let regions = KoreanDistrictDirectory.regions.map { "('\($0.city)', '', \($0.point.latitude), \($0.point.longitude))" }
        let districts = KoreanDistrictDirectory.districts.map {
            "('\($0.city)', '\($0.district)', \($0.point.latitude), \($0.point.longitude))"
        }
        return (regions + districts).joined(separator: ",\n")
    }
}
