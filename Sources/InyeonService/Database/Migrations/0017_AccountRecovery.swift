extension Migration {
    /// Six-digit codes: a sign-up is confirmed by its code (or its link), five tries per code, and a
    /// confirmed sign-up is remembered until it expires, so a link opened twice can say so. Password
    /// resets by e-mail: a code and a link, valid 15 minutes, single use, five tries.
    static let accountRecovery = Migration(
        version: 17,
        name: "account_recovery",
        script: #"""
            ALTER TABLE pending_signups
                ADD COLUMN code_hash bytea,
                ADD COLUMN code_attempts integer NOT NULL DEFAULT 0,
                ADD COLUMN confirmed_at timestamptz;

            CREATE TABLE password_resets (
                id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
                user_id uuid NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
                token_hash bytea NOT NULL UNIQUE,
                -- HMAC of the account and the code under a key derived from DATA_ENCRYPTION_KEY.
                code_hash bytea NOT NULL,
                attempts integer NOT NULL DEFAULT 0,
                created_at timestamptz NOT NULL DEFAULT now(),
                expires_at timestamptz NOT NULL,
                used_at timestamptz
            );
            CREATE INDEX password_resets_user_idx ON password_resets (user_id, created_at);

            ALTER TABLE password_resets ENABLE ROW LEVEL SECURITY;
            ALTER TABLE password_resets FORCE ROW LEVEL SECURITY;
            CREATE POLICY password_resets_system ON password_resets FOR ALL
                USING ((SELECT app.is_system())) WITH CHECK ((SELECT app.is_system()));
            GRANT SELECT, INSERT, UPDATE, DELETE ON password_resets TO {{app_role}};
            """#
    )
}
