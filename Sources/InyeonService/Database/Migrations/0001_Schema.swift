extension Migration {
    /// Tables for people's data, and the helpers that read the request's identity.
    static let schema = Migration(
        version: 1,
        name: "schema",
        script: #"""
            CREATE SCHEMA app;

            -- The caller's identity, set per transaction by the service with set_config(..., true).
            -- After a commit the setting reads '' rather than NULL, hence nullif.
            CREATE FUNCTION app.current_user_id() RETURNS uuid LANGUAGE sql STABLE AS $$
                SELECT nullif(current_setting('app.user_id', true), '')::uuid
            $$;

            CREATE FUNCTION app.current_app_role() RETURNS text LANGUAGE sql STABLE AS $$
                SELECT coalesce(nullif(current_setting('app.role', true), ''), 'anonymous')
            $$;

            -- Whether anonymous callers may see cards of people who allow public listing (phase 1 only).
            -- Unset means no: the service opens it per transaction while enhanced auth is off.
            CREATE FUNCTION app.anonymous_cards_allowed() RETURNS boolean LANGUAGE sql STABLE AS $$
                SELECT coalesce(nullif(current_setting('app.anonymous_cards', true), ''), 'off') = 'on'
            $$;

            CREATE FUNCTION app.is_admin() RETURNS boolean LANGUAGE sql STABLE AS $$
                SELECT app.current_app_role() IN ('admin', 'system')
            $$;

            CREATE FUNCTION app.is_staff() RETURNS boolean LANGUAGE sql STABLE AS $$
                SELECT app.current_app_role() IN ('moderator', 'admin', 'system')
            $$;

            CREATE FUNCTION app.is_system() RETURNS boolean LANGUAGE sql STABLE AS $$
                SELECT app.current_app_role() = 'system'
            $$;

            CREATE TABLE accounts (
                id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
                role text NOT NULL DEFAULT 'user' CHECK (role IN ('user', 'verified', 'moderator', 'admin', 'system')),
                status text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'suspended')),
                password_hash text,
                created_at timestamptz NOT NULL DEFAULT now(),
                updated_at timestamptz NOT NULL DEFAULT now()
            );

            -- The public card and the matching facts. Coordinates here are the district's, never the home's.
            CREATE TABLE profiles (
                user_id uuid PRIMARY KEY REFERENCES accounts (id) ON DELETE CASCADE,
                display_name text NOT NULL CHECK (char_length(display_name) BETWEEN 1 AND 40),
                birth_year integer NOT NULL CHECK (birth_year BETWEEN 1900 AND 2100),
                gender text NOT NULL CHECK (gender IN ('male', 'female')),
                seeking text NOT NULL CHECK (seeking IN ('male', 'female', 'any')),
                marital_status text NOT NULL CHECK (marital_status IN ('single', 'divorced', 'widowed', 'separated')),
                children_count integer NOT NULL DEFAULT 0 CHECK (children_count BETWEEN 0 AND 20),
                children_age_groups text[] NOT NULL DEFAULT '{}'
                    CHECK (children_age_groups <@ ARRAY['infant', 'child', 'teen', 'young_adult', 'adult']),
                children_custody text CHECK (children_custody IN ('full', 'shared', 'none')),
                children_live_together boolean NOT NULL DEFAULT false,
                children_preference text NOT NULL DEFAULT 'no_preference'
                    CHECK (children_preference IN ('no_preference', 'has_children', 'no_children', 'grown_children')),
                industry text NOT NULL DEFAULT 'other' CHECK (industry IN ('education', 'healthcare', 'finance', 'technology',
                    'manufacturing', 'public_service', 'retail', 'arts', 'construction', 'hospitality', 'self_employed', 'retired', 'other')),
                position text CHECK (char_length(position) <= 60),
                work_schedule text CHECK (work_schedule IN ('regular', 'flexible', 'shift', 'part_time', 'none')),
                living_arrangement text NOT NULL DEFAULT 'alone' CHECK (living_arrangement IN ('alone', 'with_children', 'with_parents', 'other')),
                owns_home boolean,
                fitness_level text NOT NULL DEFAULT 'moderate' CHECK (fitness_level IN ('low', 'moderate', 'high')),
                social_level text NOT NULL DEFAULT 'moderate' CHECK (social_level IN ('low', 'moderate', 'high')),
                travel_frequency text NOT NULL DEFAULT 'yearly' CHECK (travel_frequency IN ('rarely', 'yearly', 'quarterly', 'monthly')),
                city text NOT NULL CHECK (char_length(city) BETWEEN 1 AND 40),
                district text NOT NULL CHECK (char_length(district) BETWEEN 1 AND 40),
                latitude double precision NOT NULL CHECK (latitude BETWEEN -90 AND 90),
                longitude double precision NOT NULL CHECK (longitude BETWEEN -180 AND 180),
                interests text[] NOT NULL DEFAULT '{}' CHECK (cardinality(interests) <= 20),
                communication_style text NOT NULL DEFAULT 'diplomatic'
                    CHECK (communication_style IN ('direct', 'diplomatic', 'supportive', 'analytical')),
                bio text NOT NULL DEFAULT '' CHECK (char_length(bio) <= 1000),
                preferred_age_min integer NOT NULL DEFAULT 40 CHECK (preferred_age_min BETWEEN 18 AND 100),
                preferred_age_max integer NOT NULL DEFAULT 70 CHECK (preferred_age_max BETWEEN 18 AND 100),
                max_distance_km integer NOT NULL DEFAULT 30 CHECK (max_distance_km BETWEEN 1 AND 100),
                preferred_marital_statuses text[] NOT NULL DEFAULT '{}',
                occupation_importance integer NOT NULL DEFAULT 3 CHECK (occupation_importance BETWEEN 1 AND 5),
                lifestyle_importance integer NOT NULL DEFAULT 3 CHECK (lifestyle_importance BETWEEN 1 AND 5),
                show_age boolean NOT NULL DEFAULT true,
                show_location boolean NOT NULL DEFAULT true,
                searchable boolean NOT NULL DEFAULT true,
                allow_public_listing boolean NOT NULL DEFAULT false,
                created_at timestamptz NOT NULL DEFAULT now(),
                updated_at timestamptz NOT NULL DEFAULT now(),
                CHECK (preferred_age_min <= preferred_age_max)
            );
            CREATE INDEX profiles_visible_idx ON profiles (searchable, allow_public_listing);
            CREATE INDEX profiles_matching_idx ON profiles (gender, seeking, birth_year);
            CREATE INDEX profiles_place_idx ON profiles (city, district);
            CREATE INDEX profiles_created_idx ON profiles (created_at, user_id);

            -- The private part of a person: only they can read it (RLS works on rows, not columns).
            CREATE TABLE private_profiles (
                user_id uuid PRIMARY KEY REFERENCES accounts (id) ON DELETE CASCADE,
                email text NOT NULL CHECK (char_length(email) BETWEEN 3 AND 254),
                phone text CHECK (char_length(phone) <= 30),
                birth_date date,
                income_band text CHECK (income_band IN ('under_30m', '30m_50m', '50m_80m', '80m_120m', 'over_120m')),
                latitude double precision CHECK (latitude BETWEEN -90 AND 90),
                longitude double precision CHECK (longitude BETWEEN -180 AND 180),
                updated_at timestamptz NOT NULL DEFAULT now()
            );
            CREATE UNIQUE INDEX private_profiles_email_key ON private_profiles (lower(email));

            CREATE TABLE consents (
                id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
                user_id uuid NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
                kind text NOT NULL CHECK (kind IN ('terms', 'privacy', 'marketing')),
                version text NOT NULL,
                granted boolean NOT NULL,
                recorded_at timestamptz NOT NULL DEFAULT now()
            );
            CREATE INDEX consents_user_idx ON consents (user_id, kind, recorded_at DESC);

            CREATE TABLE values_assessments (
                user_id uuid PRIMARY KEY REFERENCES accounts (id) ON DELETE CASCADE,
                answers jsonb NOT NULL DEFAULT '{}',
                personality_scores jsonb NOT NULL DEFAULT '{}',
                value_scores jsonb NOT NULL DEFAULT '{}',
                reliability real CHECK (reliability BETWEEN 0 AND 1),
                completed_at timestamptz NOT NULL DEFAULT now()
            );

            CREATE TABLE likes (
                from_user_id uuid NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
                to_user_id uuid NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
                kind text NOT NULL CHECK (kind IN ('like', 'pass', 'super_like')),
                decided_at timestamptz NOT NULL DEFAULT now(),
                expires_at timestamptz NOT NULL DEFAULT now() + interval '7 days',
                PRIMARY KEY (from_user_id, to_user_id),
                CHECK (from_user_id <> to_user_id)
            );
            CREATE INDEX likes_to_user_idx ON likes (to_user_id, kind);

            -- A match's two people are stored in a canonical order so a pair exists once.
            CREATE TABLE matches (
                id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
                user_low uuid NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
                user_high uuid NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
                matched_at timestamptz NOT NULL DEFAULT now(),
                ended_at timestamptz,
                ended_by uuid,
                UNIQUE (user_low, user_high),
                CHECK (user_low < user_high)
            );
            CREATE INDEX matches_user_high_idx ON matches (user_high);

            CREATE TABLE blocks (
                blocker_id uuid NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
                blocked_id uuid NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
                reason text CHECK (char_length(reason) <= 500),
                created_at timestamptz NOT NULL DEFAULT now(),
                PRIMARY KEY (blocker_id, blocked_id),
                CHECK (blocker_id <> blocked_id)
            );
            CREATE INDEX blocks_blocked_idx ON blocks (blocked_id);

            -- Append-only: no policy allows UPDATE or DELETE, and a trigger refuses them even to the owner.
            CREATE TABLE audit_log (
                id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
                occurred_at timestamptz NOT NULL DEFAULT clock_timestamp(),
                actor_id uuid,
                actor_role text NOT NULL,
                action text NOT NULL CHECK (char_length(action) BETWEEN 1 AND 100),
                target_type text,
                target_id text,
                request_id text,
                details jsonb NOT NULL DEFAULT '{}'
            );
            CREATE INDEX audit_log_actor_idx ON audit_log (actor_id, occurred_at);
            CREATE INDEX audit_log_time_idx ON audit_log (occurred_at);

            CREATE FUNCTION app.refuse_audit_change() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                RAISE EXCEPTION 'audit_log is append-only' USING ERRCODE = 'insufficient_privilege';
            END
            $$;
            CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE OR TRUNCATE ON audit_log
                FOR EACH STATEMENT EXECUTE FUNCTION app.refuse_audit_change();

            -- A person cannot promote themselves: only an admin (or the system) changes a role.
            CREATE FUNCTION app.guard_account_role() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                IF NEW.role IS DISTINCT FROM OLD.role AND NOT app.is_admin() THEN
                    RAISE EXCEPTION 'only an admin can change a role' USING ERRCODE = 'insufficient_privilege';
                END IF;
                RETURN NEW;
            END
            $$;
            CREATE TRIGGER accounts_guard_role BEFORE UPDATE ON accounts
                FOR EACH ROW EXECUTE FUNCTION app.guard_account_role();
            """#
    )
}
