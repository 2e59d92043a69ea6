extension Migration {
    /// Rollout plans run by the service (`RolloutDriver`): one per flag, with where it stands, and
    /// the counts of the two cohorts (people with the feature and without) for the current step,
    /// per instance, which the driver adds up. Admins and the system only.
    static let rolloutPlans = Migration(
        version: 26,
        name: "rollout_plans",
        script: #"""
            CREATE TABLE rollout_plans (
                flag text PRIMARY KEY CHECK (flag IN ('FEATURE_ENHANCED_AUTH', 'FEATURE_AI_INSIGHTS', 'FEATURE_REAL_TIME_CHAT')),
                -- `RolloutPlan` as JSON: steps, minimum time and people, guardrails, ceilings.
                plan jsonb NOT NULL,
                status text NOT NULL CHECK (status IN ('running', 'paused', 'completed', 'rolled_back')),
                step integer NOT NULL CHECK (step >= 0),
                step_started_at timestamptz NOT NULL,
                -- Why it last changed (a guardrail's verdict, an operator's words).
                reason text CHECK (char_length(reason) <= 2000),
                updated_at timestamptz NOT NULL DEFAULT now()
            );

            -- Counts belong to one run of one step: `started` is the plan's step_started_at then.
            CREATE TABLE rollout_cohort_counts (
                flag text NOT NULL REFERENCES rollout_plans (flag) ON DELETE CASCADE,
                started timestamptz NOT NULL,
                instance text NOT NULL CHECK (char_length(instance) <= 200),
                with_feature boolean NOT NULL,
                measure text NOT NULL CHECK (measure IN ('serverErrors', 'slowRequests')),
                trials bigint NOT NULL DEFAULT 0 CHECK (trials >= 0),
                events bigint NOT NULL DEFAULT 0 CHECK (events >= 0),
                PRIMARY KEY (flag, started, instance, with_feature, measure)
            );

            -- The on- and off-cohort's latencies as a histogram (requests at or under each bound, in
            -- ms; the last bound stands for any slower), so a p95 is read across every instance.
            CREATE TABLE rollout_cohort_latency (
                flag text NOT NULL REFERENCES rollout_plans (flag) ON DELETE CASCADE,
                started timestamptz NOT NULL,
                instance text NOT NULL CHECK (char_length(instance) <= 200),
                with_feature boolean NOT NULL,
                bound_ms integer NOT NULL,
                requests bigint NOT NULL DEFAULT 0 CHECK (requests >= 0),
                PRIMARY KEY (flag, started, instance, with_feature, bound_ms)
            );

            -- Each instance's resident memory, as it last said (for the phase's memory ceiling).
            CREATE TABLE rollout_instance_memory (
                instance text PRIMARY KEY CHECK (char_length(instance) <= 200),
                resident_megabytes double precision NOT NULL CHECK (resident_megabytes >= 0),
                reported_at timestamptz NOT NULL DEFAULT now()
            );

            CREATE TABLE rollout_cohort_people (
                flag text NOT NULL REFERENCES rollout_plans (flag) ON DELETE CASCADE,
                started timestamptz NOT NULL,
                user_id uuid NOT NULL,
                PRIMARY KEY (flag, started, user_id)
            );

            ALTER TABLE rollout_plans ENABLE ROW LEVEL SECURITY;
            ALTER TABLE rollout_plans FORCE ROW LEVEL SECURITY;
            ALTER TABLE rollout_cohort_counts ENABLE ROW LEVEL SECURITY;
            ALTER TABLE rollout_cohort_counts FORCE ROW LEVEL SECURITY;
            ALTER TABLE rollout_cohort_latency ENABLE ROW LEVEL SECURITY;
            ALTER TABLE rollout_cohort_latency FORCE ROW LEVEL SECURITY;
            ALTER TABLE rollout_instance_memory ENABLE ROW LEVEL SECURITY;
            ALTER TABLE rollout_instance_memory FORCE ROW LEVEL SECURITY;
            ALTER TABLE rollout_cohort_people ENABLE ROW LEVEL SECURITY;
            ALTER TABLE rollout_cohort_people FORCE ROW LEVEL SECURITY;
            CREATE POLICY rollout_plans_admin ON rollout_plans FOR ALL
                USING ((SELECT app.is_admin())) WITH CHECK ((SELECT app.is_admin()));
            CREATE POLICY rollout_cohort_counts_admin ON rollout_cohort_counts FOR ALL
                USING ((SELECT app.is_admin())) WITH CHECK ((SELECT app.is_admin()));
            CREATE POLICY rollout_cohort_latency_admin ON rollout_cohort_latency FOR ALL
                USING ((SELECT app.is_admin())) WITH CHECK ((SELECT app.is_admin()));
            CREATE POLICY rollout_instance_memory_admin ON rollout_instance_memory FOR ALL
                USING ((SELECT app.is_admin())) WITH CHECK ((SELECT app.is_admin()));
            CREATE POLICY rollout_cohort_people_admin ON rollout_cohort_people FOR ALL
                USING ((SELECT app.is_admin())) WITH CHECK ((SELECT app.is_admin()));
            GRANT SELECT, INSERT, UPDATE, DELETE ON rollout_plans, rollout_cohort_counts, rollout_cohort_latency, rollout_instance_memory,
                rollout_cohort_people TO {{app_role}};
            """#
    )
}
