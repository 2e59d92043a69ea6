extension Migration {
    /// What the two cohorts of a rollout looked like over time, for the operator console's charts:
    /// the driver that holds the rollout lock writes, about once a minute, each cohort's totals so far
    /// in the current step (requests, server errors, slow requests) and its p95. Admins and the system only.
    /// And an index for reading the audit log by action; chat sockets that broke counted per cohort;
    /// indexes for the product measures' newest likes and messages.
    static let rolloutHistory = Migration(
        version: 27,
        name: "rollout_history",
        script: #"""
            CREATE TABLE rollout_cohort_history (
                flag text NOT NULL REFERENCES rollout_plans (flag) ON DELETE CASCADE,
                taken_at timestamptz NOT NULL,
                -- The step the figures belong to (its start and its percentage then).
                started timestamptz NOT NULL,
                percentage integer NOT NULL CHECK (percentage BETWEEN 0 AND 100),
                with_feature boolean NOT NULL,
                requests bigint NOT NULL CHECK (requests >= 0),
                server_errors bigint NOT NULL CHECK (server_errors >= 0),
                slow_requests bigint NOT NULL CHECK (slow_requests >= 0),
                p95_ms integer,
                PRIMARY KEY (flag, taken_at, with_feature)
            );

            ALTER TABLE rollout_cohort_history ENABLE ROW LEVEL SECURITY;
            ALTER TABLE rollout_cohort_history FORCE ROW LEVEL SECURITY;
            CREATE POLICY rollout_cohort_history_admin ON rollout_cohort_history FOR ALL
                USING ((SELECT app.is_admin())) WITH CHECK ((SELECT app.is_admin()));
            GRANT SELECT, INSERT, UPDATE, DELETE ON rollout_cohort_history TO {{app_role}};

            -- The console's audit filters and security page read by action, newest first.
            CREATE INDEX audit_log_action_idx ON audit_log (action, occurred_at);

            -- Chat sockets that broke, counted per cohort like requests.
            ALTER TABLE rollout_cohort_counts DROP CONSTRAINT rollout_cohort_counts_measure_check,
                ADD CONSTRAINT rollout_cohort_counts_measure_check CHECK (measure IN ('serverErrors', 'slowRequests', 'socketDrops'));

            -- The product measures read the newest likes and messages of a step.
            CREATE INDEX likes_decided_idx ON likes (decided_at) WHERE kind IN ('like', 'super_like');
            CREATE INDEX messages_sent_idx ON messages (sent_at);
            """#
    )
}
