extension Migration {
    /// Actions counted for limits that hold across instances (sign-ups per address and per e-mail
    /// address, reports per person; see `SharedRateLimit`). The subject is kept only as a hash, and
    /// only the system reads or writes the counts.
    static let rateLimits = Migration(
        version: 13,
        name: "rate_limits",
        script: #"""
            CREATE TABLE rate_limit_events (
                bucket text NOT NULL,
                subject_hash bytea NOT NULL,
                occurred_at timestamptz NOT NULL DEFAULT now()
            );
            CREATE INDEX rate_limit_events_subject_idx ON rate_limit_events (bucket, subject_hash, occurred_at);
            CREATE INDEX rate_limit_events_time_idx ON rate_limit_events (occurred_at);

            ALTER TABLE rate_limit_events ENABLE ROW LEVEL SECURITY;
            ALTER TABLE rate_limit_events FORCE ROW LEVEL SECURITY;
            CREATE POLICY rate_limit_events_system ON rate_limit_events FOR ALL
                USING ((SELECT app.is_system())) WITH CHECK ((SELECT app.is_system()));
            GRANT SELECT, INSERT, DELETE ON rate_limit_events TO {{app_role}};
            """#
    )
}
