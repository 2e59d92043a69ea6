extension Migration {
    /// The identity policies read is the one the service signed (see `DatabaseIdentityKey`), not
    /// whatever the connection sets: `app.user_id` and `app.role` no longer mean anything, and a
    /// missing, altered, expired or unknown-key `app.identity` reads as anonymous.
    static let verifiedIdentity = Migration(
        version: 12,
        name: "verified_identity",
        script: #"""
            -- The HMAC key's pads, readable by the owner alone (the service's role has no privilege on it).
            CREATE TABLE app.identity_keys (
                key_id text PRIMARY KEY,
                inner_pad bytea NOT NULL CHECK (length(inner_pad) = 64),
                outer_pad bytea NOT NULL CHECK (length(outer_pad) = 64),
                created_at timestamptz NOT NULL DEFAULT now()
            );
            REVOKE ALL ON app.identity_keys FROM PUBLIC;

            -- {user, role, anonymous cards} when app.identity carries a valid signature of this database's
            -- keys and has not expired at the transaction's start; NULL otherwise.
            CREATE FUNCTION app.verified_identity() RETURNS text[]
                LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = '' AS $$
            DECLARE
                parts text[] := string_to_array(nullif(current_setting('app.identity', true), ''), '|');
                pads record;
            BEGIN
                IF parts IS NULL OR cardinality(parts) <> 6 OR parts[4] !~ '^[0-9]{1,12}$' THEN
                    RETURN NULL;
                END IF;
                IF parts[4]::bigint < extract(epoch FROM now()) THEN
                    RETURN NULL;
                END IF;
                SELECT k.inner_pad, k.outer_pad INTO pads FROM app.identity_keys k WHERE k.key_id = parts[5];
                IF NOT FOUND OR encode(sha256(pads.outer_pad || sha256(pads.inner_pad || convert_to(array_to_string(parts[1:5], '|'), 'UTF8'))), 'hex')
                       <> parts[6] THEN
                    RETURN NULL;
                END IF;
                RETURN parts[1:3];
            END
            $$;

            CREATE OR REPLACE FUNCTION app.current_user_id() RETURNS uuid LANGUAGE sql STABLE AS $$
                SELECT nullif((app.verified_identity())[1], '')::uuid
            $$;

            CREATE OR REPLACE FUNCTION app.current_app_role() RETURNS text LANGUAGE sql STABLE AS $$
                SELECT coalesce(nullif((app.verified_identity())[2], ''), 'anonymous')
            $$;

            CREATE OR REPLACE FUNCTION app.anonymous_cards_allowed() RETURNS boolean LANGUAGE sql STABLE AS $$
                SELECT coalesce((app.verified_identity())[3], 'off') = 'on'
            $$;
            """#
    )
}
