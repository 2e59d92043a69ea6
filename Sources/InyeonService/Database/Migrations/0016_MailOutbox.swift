extension Migration {
    /// The transactional outbox: a mail is a row written in the same transaction as what causes it,
    /// so a crash can neither lose it nor send it for something that rolled back. Its content is
    /// sealed with the data-encryption key (it can hold a one-time code) and dropped once sent.
    static let mailOutbox = Migration(
        version: 16,
        name: "mail_outbox",
        script: #"""
            CREATE TABLE mail_outbox (
                id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
                kind text NOT NULL CHECK (char_length(kind) <= 60),
                recipient text NOT NULL CHECK (char_length(recipient) <= 254),
                -- The Mail as JSON, sealed (AES-GCM); NULL once delivered.
                sealed_content bytea,
                message_id text NOT NULL UNIQUE,
                state text NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'sent', 'dead')),
                attempts integer NOT NULL DEFAULT 0,
                next_attempt_at timestamptz NOT NULL DEFAULT now(),
                -- A worker that took the mail holds it until then; after that another may take it.
                leased_until timestamptz,
                last_error text,
                created_at timestamptz NOT NULL DEFAULT now(),
                sent_at timestamptz,
                CHECK (state <> 'pending' OR sealed_content IS NOT NULL)
            );
            CREATE INDEX mail_outbox_due_idx ON mail_outbox (next_attempt_at) WHERE state = 'pending';
            CREATE INDEX mail_outbox_state_idx ON mail_outbox (state, created_at);

            ALTER TABLE mail_outbox ENABLE ROW LEVEL SECURITY;
            ALTER TABLE mail_outbox FORCE ROW LEVEL SECURITY;
            -- Written and delivered by the system; admins see it (never the sealed content) and can
            -- send a dead mail again.
            CREATE POLICY mail_outbox_system ON mail_outbox FOR ALL
                USING ((SELECT app.is_system())) WITH CHECK ((SELECT app.is_system()));
            CREATE POLICY mail_outbox_admin_read ON mail_outbox FOR SELECT USING ((SELECT app.is_admin()));
            CREATE POLICY mail_outbox_admin_retry ON mail_outbox FOR UPDATE
                USING ((SELECT app.is_admin()) AND state = 'dead')
                WITH CHECK ((SELECT app.is_admin()) AND state = 'pending');
            GRANT SELECT, INSERT, UPDATE, DELETE ON mail_outbox TO {{app_role}};
            """#
    )
}
