extension Migration {
    /// A session that ends says so to every instance, in the transaction that ends it, whatever ended
    /// it (logout, logout everywhere, a password change, refresh-token reuse, suspension, deletion):
    /// `inyeon_sessions` carries `{"session": …, "user": …}` for one session, `{"user": …}` for all of
    /// a person's, and each instance closes the chat sockets bound to them. `tokens_not_before` ends
    /// every token of a person issued before it (the earlier system's tokens have no session to end).
    static let sessionEnds = Migration(
        version: 14,
        name: "session_ends",
        script: #"""
            ALTER TABLE accounts ADD COLUMN tokens_not_before timestamptz;

            CREATE FUNCTION app.announce_session_end() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                IF TG_OP = 'DELETE' THEN
                    IF OLD.revoked_at IS NULL THEN
                        PERFORM pg_notify('inyeon_sessions', json_build_object('session', OLD.id, 'user', OLD.user_id)::text);
                    END IF;
                    RETURN OLD;
                END IF;
                PERFORM pg_notify('inyeon_sessions', json_build_object('session', NEW.id, 'user', NEW.user_id)::text);
                RETURN NEW;
            END
            $$;
            CREATE TRIGGER sessions_end_announced AFTER UPDATE OF revoked_at ON sessions
                FOR EACH ROW WHEN (OLD.revoked_at IS NULL AND NEW.revoked_at IS NOT NULL)
                EXECUTE FUNCTION app.announce_session_end();
            CREATE TRIGGER sessions_delete_announced AFTER DELETE ON sessions
                FOR EACH ROW EXECUTE FUNCTION app.announce_session_end();

            -- Suspension ends everything at once, however it is done (an admin, the system, an operator's SQL).
            -- A person can neither lift their own suspension nor move their tokens' cut-off back.
            CREATE FUNCTION app.guard_account_status() RETURNS trigger LANGUAGE plpgsql AS $$
            DECLARE
                -- An admin, the system, or the tables' owner (an operator at the SQL prompt).
                trusted boolean := app.is_admin() OR current_user = (SELECT pg_get_userbyid(relowner) FROM pg_class WHERE oid = TG_RELID);
            BEGIN
                IF NEW.status IS DISTINCT FROM OLD.status AND NOT trusted THEN
                    RAISE EXCEPTION 'only an admin can change an account''s status' USING ERRCODE = 'insufficient_privilege';
                END IF;
                IF NEW.tokens_not_before IS DISTINCT FROM OLD.tokens_not_before AND OLD.tokens_not_before IS NOT NULL
                   AND (NEW.tokens_not_before IS NULL OR NEW.tokens_not_before < OLD.tokens_not_before)
                   AND NOT trusted THEN
                    RAISE EXCEPTION 'tokens_not_before only moves forward' USING ERRCODE = 'insufficient_privilege';
                END IF;
                IF NEW.status <> 'active' AND OLD.status = 'active' THEN
                    NEW.tokens_not_before := now();
                    PERFORM pg_notify('inyeon_sessions', json_build_object('user', NEW.id)::text);
                END IF;
                RETURN NEW;
            END
            $$;
            CREATE TRIGGER accounts_guard_status BEFORE UPDATE ON accounts
                FOR EACH ROW EXECUTE FUNCTION app.guard_account_status();
            """#
    )
}
