extension Migration {
    /// Runtime overrides of the rollout flags. A change notifies every instance (`LISTEN inyeon_flags`).
    static let featureFlags = Migration(
        version: 5,
        name: "feature_flags",
        script: #"""
            CREATE TABLE feature_flag_overrides (
                flag text PRIMARY KEY CHECK (flag IN ('FEATURE_ENHANCED_AUTH', 'FEATURE_AI_INSIGHTS', 'FEATURE_REAL_TIME_CHAT')),
                setting text NOT NULL CHECK (setting ~ '^(true|false|([0-9]|[1-9][0-9]|100)%)$'),
                roles jsonb NOT NULL DEFAULT '{}',
                users jsonb NOT NULL DEFAULT '{}',
                updated_at timestamptz NOT NULL DEFAULT now(),
                updated_by uuid
            );
            ALTER TABLE feature_flag_overrides ENABLE ROW LEVEL SECURITY;
            ALTER TABLE feature_flag_overrides FORCE ROW LEVEL SECURITY;
            CREATE POLICY feature_flags_read ON feature_flag_overrides FOR SELECT USING ((SELECT app.is_admin()));
            CREATE POLICY feature_flags_write ON feature_flag_overrides FOR ALL
                USING ((SELECT app.is_admin())) WITH CHECK ((SELECT app.is_admin()));

            CREATE FUNCTION app.notify_flag_change() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                PERFORM pg_notify('inyeon_flags', coalesce(NEW.flag, OLD.flag));
                RETURN NULL;
            END
            $$;
            CREATE TRIGGER feature_flags_notify AFTER INSERT OR UPDATE OR DELETE ON feature_flag_overrides
                FOR EACH ROW EXECUTE FUNCTION app.notify_flag_change();

            GRANT SELECT, INSERT, UPDATE, DELETE ON feature_flag_overrides TO {{app_role}};
            """#
    )
}
