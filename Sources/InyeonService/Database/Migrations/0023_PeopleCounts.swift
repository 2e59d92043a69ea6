extension Migration {
    /// How many people there are, kept by the database as profiles change, so that no request counts
    /// them: an exact `count(*)` under row-level security reads every row and checks the policies on
    /// each (11.5 ms of a 12 ms `/api/users` at 10,000 people, growing with the membership).
    ///
    /// One row, changed by statement-level triggers with transition tables, so a bulk insert (the
    /// demo seed) changes it once per statement; a profile saved without a change to what is counted
    /// leaves it untouched (no lock on it). The figures:
    /// - `everyone`: every profile (what staff and the system see);
    /// - `listed`: searchable and not paused (a signed-in person's list, before their own blocks,
    ///   their own card when it is hidden, and paused matches);
    /// - `public_listed`: listed and allowing public listing (an anonymous caller's list while
    ///   anonymous cards are allowed).
    static let peopleCounts = Migration(
        version: 23,
        name: "people_counts",
        script: #"""
            CREATE TABLE app.people_counts (
                singleton boolean PRIMARY KEY DEFAULT true CHECK (singleton),
                everyone bigint NOT NULL CHECK (everyone >= 0),
                listed bigint NOT NULL CHECK (listed >= 0),
                public_listed bigint NOT NULL CHECK (public_listed >= 0)
            );

            -- The starting figures, read with the table's policies lifted inside this transaction.
            ALTER TABLE profiles NO FORCE ROW LEVEL SECURITY;
            INSERT INTO app.people_counts (everyone, listed, public_listed)
                SELECT count(*), count(*) FILTER (WHERE searchable AND paused_at IS NULL),
                       count(*) FILTER (WHERE searchable AND paused_at IS NULL AND allow_public_listing)
                FROM profiles;
            ALTER TABLE profiles FORCE ROW LEVEL SECURITY;

            CREATE FUNCTION app.add_to_people_counts(everyone_change bigint, listed_change bigint, public_change bigint) RETURNS void
            LANGUAGE sql SECURITY DEFINER SET search_path = '' AS $$
                UPDATE app.people_counts
                SET everyone = everyone + everyone_change, listed = listed + listed_change, public_listed = public_listed + public_change
                WHERE everyone_change <> 0 OR listed_change <> 0 OR public_change <> 0
            $$;

            CREATE FUNCTION app.count_people_added() RETURNS trigger
            LANGUAGE plpgsql SECURITY DEFINER SET search_path = '' AS $$
            BEGIN
                PERFORM app.add_to_people_counts(
                    (SELECT count(*) FROM added),
                    (SELECT count(*) FROM added WHERE searchable AND paused_at IS NULL),
                    (SELECT count(*) FROM added WHERE searchable AND paused_at IS NULL AND allow_public_listing));
                RETURN NULL;
            END
            $$;

            CREATE FUNCTION app.count_people_removed() RETURNS trigger
            LANGUAGE plpgsql SECURITY DEFINER SET search_path = '' AS $$
            BEGIN
                PERFORM app.add_to_people_counts(
                    -(SELECT count(*) FROM removed),
                    -(SELECT count(*) FROM removed WHERE searchable AND paused_at IS NULL),
                    -(SELECT count(*) FROM removed WHERE searchable AND paused_at IS NULL AND allow_public_listing));
                RETURN NULL;
            END
            $$;

            CREATE FUNCTION app.count_people_changed() RETURNS trigger
            LANGUAGE plpgsql SECURITY DEFINER SET search_path = '' AS $$
            BEGIN
                PERFORM app.add_to_people_counts(
                    0,
                    (SELECT count(*) FROM after_change WHERE searchable AND paused_at IS NULL)
                        - (SELECT count(*) FROM before_change WHERE searchable AND paused_at IS NULL),
                    (SELECT count(*) FROM after_change WHERE searchable AND paused_at IS NULL AND allow_public_listing)
                        - (SELECT count(*) FROM before_change WHERE searchable AND paused_at IS NULL AND allow_public_listing));
                RETURN NULL;
            END
            $$;

            CREATE TRIGGER profiles_counted_after_insert AFTER INSERT ON profiles
                REFERENCING NEW TABLE AS added FOR EACH STATEMENT EXECUTE FUNCTION app.count_people_added();
            CREATE TRIGGER profiles_counted_after_delete AFTER DELETE ON profiles
                REFERENCING OLD TABLE AS removed FOR EACH STATEMENT EXECUTE FUNCTION app.count_people_removed();
            CREATE TRIGGER profiles_counted_after_update AFTER UPDATE ON profiles
                REFERENCING OLD TABLE AS before_change NEW TABLE AS after_change
                FOR EACH STATEMENT EXECUTE FUNCTION app.count_people_changed();

            -- What the caller's list holds, by who is asking (see above for what "listed" leaves out).
            CREATE FUNCTION app.listed_people_count() RETURNS bigint
            LANGUAGE sql STABLE SECURITY DEFINER SET search_path = '' AS $$
                SELECT CASE
                    WHEN app.is_staff() THEN everyone
                    WHEN app.current_user_id() IS NOT NULL THEN listed
                    WHEN app.anonymous_cards_allowed() THEN public_listed
                    ELSE 0 END
                FROM app.people_counts
            $$;
            GRANT EXECUTE ON FUNCTION app.listed_people_count() TO {{app_role}};
            REVOKE EXECUTE ON FUNCTION app.add_to_people_counts(bigint, bigint, bigint) FROM PUBLIC;
            """#
    )
}
