extension Migration {
    /// A profile that is its owner's to shape:
    /// - optional facts people of this age weigh (religion, smoking, drinking, whom one lives with),
    ///   each unanswered until she answers, and shown to others (and so used by the matching) only
    ///   when she shares it. A fact the matching used but the card hid could be read back from
    ///   scores, so "shared" means both, and `visible_profiles` hides the rest from everyone else;
    /// - a pause (휴면): while paused she is introduced to no one and her card is seen only by the
    ///   people she is already matched with, so their conversations go on;
    /// - whether the conversation helper may send her card's facts to the outside AI provider.
    static let profileChoices = Migration(
        version: 22,
        name: "profile_choices",
        script: #"""
            ALTER TABLE profiles
                ADD COLUMN religion text CHECK (religion IN ('none', 'buddhist', 'protestant', 'catholic', 'other')),
                ADD COLUMN smoking text CHECK (smoking IN ('no', 'sometimes', 'yes')),
                ADD COLUMN drinking text CHECK (drinking IN ('no', 'sometimes', 'often')),
                ADD COLUMN shared_facts text[] NOT NULL DEFAULT '{}'
                    CHECK (shared_facts <@ ARRAY['religion', 'smoking', 'drinking', 'living']),
                ADD COLUMN paused_at timestamptz,
                ADD COLUMN outside_writer_allowed boolean NOT NULL DEFAULT true,
                ALTER COLUMN living_arrangement DROP NOT NULL;

            -- Cards: searchable and not paused; a paused card stays visible to those already matched with her.
            DROP POLICY profiles_select_cards ON profiles;
            CREATE POLICY profiles_select_cards ON profiles FOR SELECT
                USING (
                    searchable
                    AND (paused_at IS NULL OR EXISTS (
                        SELECT 1 FROM matches m
                        WHERE m.ended_at IS NULL
                          AND ((m.user_low = profiles.user_id AND m.user_high = (SELECT app.current_user_id()))
                               OR (m.user_high = profiles.user_id AND m.user_low = (SELECT app.current_user_id())))
                    ))
                    AND ((SELECT app.current_user_id()) IS NOT NULL OR (allow_public_listing AND (SELECT app.anonymous_cards_allowed())))
                    AND NOT (user_id = ANY (coalesce((SELECT app.blocked_user_ids()), '{}')))
                );

            -- The same view, with the optional facts shown to others only where shared, and the
            -- owner's own choices (the pause, the helper) to her alone.
            CREATE OR REPLACE VIEW visible_profiles WITH (security_barrier = true) AS
                SELECT p.user_id, p.display_name, p.gender, p.seeking, p.marital_status, p.children_count, p.children_age_groups,
                       p.children_custody, p.children_live_together, p.children_preference, p.industry, p.position, p.work_schedule,
                       CASE WHEN own OR 'living' = ANY (p.shared_facts) THEN p.living_arrangement END AS living_arrangement,
                       p.owns_home, p.fitness_level, p.social_level, p.travel_frequency, p.city,
                       p.interests, p.communication_style, p.bio, p.preferred_age_min, p.preferred_age_max, p.max_distance_km,
                       p.preferred_marital_statuses, p.occupation_importance, p.lifestyle_importance, p.show_age, p.show_location,
                       p.searchable, p.allow_public_listing, p.created_at, p.updated_at,
                       CASE WHEN own THEN p.birth_year END AS birth_year,
                       CASE WHEN own OR p.show_age THEN app.age_bracket(p.birth_year) END AS age_bracket,
                       CASE WHEN own OR p.show_location THEN p.district END AS district,
                       CASE WHEN own OR p.show_location THEN p.latitude ELSE coalesce(r.latitude, round(p.latitude::numeric)::float8) END
                           AS latitude,
                       CASE WHEN own OR p.show_location THEN p.longitude ELSE coalesce(r.longitude, round(p.longitude::numeric)::float8) END
                           AS longitude,
                       CASE WHEN own OR 'religion' = ANY (p.shared_facts) THEN p.religion END AS religion,
                       CASE WHEN own OR 'smoking' = ANY (p.shared_facts) THEN p.smoking END AS smoking,
                       CASE WHEN own OR 'drinking' = ANY (p.shared_facts) THEN p.drinking END AS drinking,
                       p.shared_facts,
                       CASE WHEN own OR (SELECT app.is_system()) THEN p.paused_at END AS paused_at,
                       -- Whether the helper may use the outside writer for a pair depends on both people, so
                       -- anyone who may see the card may read this one choice.
                       p.outside_writer_allowed
                FROM public.profiles p
                CROSS JOIN LATERAL (SELECT p.user_id = (SELECT app.current_user_id()) AS own) o
                LEFT JOIN app.places r ON r.city = p.city AND r.district = '';

            -- The new columns are read only through the view, like the hidden ones (the pause: by its
            -- owner, and by the system when it trains).
            GRANT SELECT (shared_facts, outside_writer_allowed) ON profiles TO {{app_role}};
            REVOKE SELECT (living_arrangement) ON profiles FROM {{app_role}};
            CREATE INDEX profiles_paused_idx ON profiles (paused_at) WHERE paused_at IS NOT NULL;
            """#
    )
}
