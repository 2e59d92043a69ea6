extension Migration {
    /// Sessions, refresh tokens, signing keys, pending sign-ups, login throttling, WebSocket tickets,
    /// and the audit log's hash chain.
    static let accounts = Migration(
        version: 4,
        name: "accounts",
        script: #"""
            -- A session is one device's sign-in: the family of its refresh tokens. Revoking it ends them all,
            -- and the access tokens that name it.
            CREATE TABLE sessions (
                id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
                user_id uuid NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
                created_at timestamptz NOT NULL DEFAULT now(),
                last_used_at timestamptz NOT NULL DEFAULT now(),
                expires_at timestamptz NOT NULL,
                revoked_at timestamptz,
                revoked_reason text,
                user_agent text CHECK (char_length(user_agent) <= 300),
                ip_address text CHECK (char_length(ip_address) <= 64)
            );
            CREATE INDEX sessions_user_idx ON sessions (user_id, revoked_at);

            -- Refresh tokens are stored only as SHA-256 hashes; each is used once.
            CREATE TABLE refresh_tokens (
                token_hash bytea PRIMARY KEY,
                session_id uuid NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
                user_id uuid NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
                issued_at timestamptz NOT NULL DEFAULT now(),
                expires_at timestamptz NOT NULL,
                used_at timestamptz
            );
            CREATE INDEX refresh_tokens_session_idx ON refresh_tokens (session_id);
            CREATE INDEX refresh_tokens_user_idx ON refresh_tokens (user_id);

            -- Access-token signing keys. Private keys are sealed with DATA_ENCRYPTION_KEY (AES-GCM).
            CREATE TABLE signing_keys (
                kid text PRIMARY KEY,
                algorithm text NOT NULL CHECK (algorithm = 'EdDSA'),
                public_key bytea NOT NULL,
                sealed_private_key bytea NOT NULL,
                created_at timestamptz NOT NULL DEFAULT now(),
                -- After this the key no longer signs; it stays published until published_until.
                signing_until timestamptz,
                published_until timestamptz
            );

            -- A sign-up waits here until its e-mail address is confirmed; the account exists only then.
            CREATE TABLE pending_signups (
                token_hash bytea PRIMARY KEY,
                email text NOT NULL,
                display_name text NOT NULL,
                password_hash text NOT NULL,
                marketing_consent boolean NOT NULL,
                consent_version text NOT NULL,
                created_at timestamptz NOT NULL DEFAULT now(),
                expires_at timestamptz NOT NULL
            );
            CREATE INDEX pending_signups_email_idx ON pending_signups (lower(email));

            -- Failed logins, for throttling per account and per address. The e-mail is kept only as a hash.
            CREATE TABLE auth_failures (
                id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
                email_hash bytea NOT NULL,
                ip_address text NOT NULL,
                occurred_at timestamptz NOT NULL DEFAULT now()
            );
            CREATE INDEX auth_failures_email_idx ON auth_failures (email_hash, occurred_at);
            CREATE INDEX auth_failures_ip_idx ON auth_failures (ip_address, occurred_at);

            -- Single-use, 60-second tickets for opening the chat WebSocket.
            CREATE TABLE websocket_tickets (
                ticket_hash bytea PRIMARY KEY,
                user_id uuid NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
                session_id uuid NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
                expires_at timestamptz NOT NULL,
                used_at timestamptz
            );
            CREATE INDEX websocket_tickets_user_idx ON websocket_tickets (user_id);

            DO $$
            DECLARE
                t text;
            BEGIN
                FOREACH t IN ARRAY ARRAY['sessions', 'refresh_tokens', 'signing_keys', 'pending_signups', 'auth_failures',
                                         'websocket_tickets'] LOOP
                    EXECUTE format('ALTER TABLE public.%I ENABLE ROW LEVEL SECURITY', t);
                    EXECUTE format('ALTER TABLE public.%I FORCE ROW LEVEL SECURITY', t);
                END LOOP;
                -- The audit chain trigger runs as the owner and must read the last link.
                EXECUTE format('CREATE POLICY audit_log_chain_read ON public.audit_log FOR SELECT TO %I USING (true)', current_user);
            END
            $$;

            -- Sessions: one's own (to list and end them); the system runs sign-in and refresh.
            CREATE POLICY sessions_self ON sessions FOR SELECT
                USING (user_id = (SELECT app.current_user_id()) OR (SELECT app.is_system()));
            CREATE POLICY sessions_self_update ON sessions FOR UPDATE
                USING (user_id = (SELECT app.current_user_id()) OR (SELECT app.is_system()))
                WITH CHECK (user_id = (SELECT app.current_user_id()) OR (SELECT app.is_system()));
            CREATE POLICY sessions_system ON sessions FOR ALL
                USING ((SELECT app.is_system())) WITH CHECK ((SELECT app.is_system()));
            -- Token material and throttling data: the system alone.
            CREATE POLICY refresh_tokens_system ON refresh_tokens FOR ALL
                USING ((SELECT app.is_system())) WITH CHECK ((SELECT app.is_system()));
            CREATE POLICY signing_keys_system ON signing_keys FOR ALL
                USING ((SELECT app.is_system())) WITH CHECK ((SELECT app.is_system()));
            CREATE POLICY pending_signups_system ON pending_signups FOR ALL
                USING ((SELECT app.is_system())) WITH CHECK ((SELECT app.is_system()));
            CREATE POLICY auth_failures_system ON auth_failures FOR ALL
                USING ((SELECT app.is_system())) WITH CHECK ((SELECT app.is_system()));
            CREATE POLICY websocket_tickets_self ON websocket_tickets FOR ALL
                USING (user_id = (SELECT app.current_user_id()) OR (SELECT app.is_system()))
                WITH CHECK (user_id = (SELECT app.current_user_id()) OR (SELECT app.is_system()));

            -- The name given at sign-up, until a profile card exists.
            ALTER TABLE private_profiles ADD COLUMN display_name text CHECK (char_length(display_name) <= 40);

            -- A person can read the audit entries about themself.
            CREATE POLICY audit_log_self_read ON audit_log FOR SELECT
                USING (actor_id = (SELECT app.current_user_id()) OR target_id = (SELECT app.current_user_id())::text);
            CREATE INDEX audit_log_target_idx ON audit_log (target_id);

            -- The hash chain: each row carries the previous row's hash, so an edit or a removal breaks it.
            ALTER TABLE audit_log ADD COLUMN chain_position bigint UNIQUE;
            ALTER TABLE audit_log ADD COLUMN prev_hash bytea;
            ALTER TABLE audit_log ADD COLUMN row_hash bytea;

            CREATE FUNCTION app.audit_row_hash(entry public.audit_log) RETURNS bytea
                LANGUAGE sql STABLE SET search_path = '' AS $$
                SELECT pg_catalog.sha256(pg_catalog.convert_to(pg_catalog.concat_ws('|',
                    entry.chain_position,
                    pg_catalog.to_char(entry.occurred_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US'),
                    coalesce(entry.actor_id::text, ''), entry.actor_role, entry.action,
                    coalesce(entry.target_type, ''), coalesce(entry.target_id, ''), coalesce(entry.request_id, ''),
                    entry.details::text, pg_catalog.encode(coalesce(entry.prev_hash, '\x'::bytea), 'hex')), 'UTF8'))
            $$;

            CREATE FUNCTION app.chain_audit_entry() RETURNS trigger
                LANGUAGE plpgsql SECURITY DEFINER SET search_path = '' AS $$
            DECLARE
                last record;
            BEGIN
                -- One writer at a time extends the chain, so positions follow commit order.
                PERFORM pg_catalog.pg_advisory_xact_lock(4061);
                SELECT chain_position, row_hash INTO last FROM public.audit_log
                    WHERE chain_position IS NOT NULL ORDER BY chain_position DESC LIMIT 1;
                NEW.chain_position := coalesce(last.chain_position, 0) + 1;
                NEW.prev_hash := last.row_hash;
                NEW.row_hash := app.audit_row_hash(NEW);
                RETURN NEW;
            END
            $$;
            CREATE TRIGGER audit_log_chain BEFORE INSERT ON audit_log
                FOR EACH ROW EXECUTE FUNCTION app.chain_audit_entry();

            GRANT SELECT, INSERT, UPDATE, DELETE ON sessions, refresh_tokens, signing_keys, pending_signups,
                auth_failures, websocket_tickets TO {{app_role}};
            GRANT EXECUTE ON ALL FUNCTIONS IN SCHEMA app TO {{app_role}};
            """#
    )
}
