extension Migration {
    /// What the web pages keep: an unfinished values assessment (so leaving and returning continues
    /// where one stopped), and feedback about matching, the service or a meeting, stored with the
    /// rollout phase and flags in force so each step of the rollout can be judged.
    static let webApp = Migration(
        version: 9,
        name: "web_app",
        script: #"""
            CREATE TABLE assessment_drafts (
                user_id uuid PRIMARY KEY REFERENCES accounts (id) ON DELETE CASCADE,
                answers jsonb NOT NULL DEFAULT '{}',
                updated_at timestamptz NOT NULL DEFAULT now()
            );

            CREATE TABLE feedback (
                id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
                user_id uuid REFERENCES accounts (id) ON DELETE SET NULL,
                topic text NOT NULL CHECK (topic IN ('matching', 'service', 'meeting')),
                rating integer NOT NULL CHECK (rating BETWEEN 1 AND 5),
                comment text NOT NULL DEFAULT '' CHECK (char_length(comment) <= 2000),
                phase integer NOT NULL CHECK (phase BETWEEN 1 AND 3),
                flags jsonb NOT NULL,
                created_at timestamptz NOT NULL DEFAULT now()
            );
            CREATE INDEX feedback_time_idx ON feedback (created_at);

            ALTER TABLE assessment_drafts ENABLE ROW LEVEL SECURITY;
            ALTER TABLE assessment_drafts FORCE ROW LEVEL SECURITY;
            ALTER TABLE feedback ENABLE ROW LEVEL SECURITY;
            ALTER TABLE feedback FORCE ROW LEVEL SECURITY;
            CREATE POLICY assessment_drafts_self ON assessment_drafts FOR ALL
                USING (user_id = (SELECT app.current_user_id())) WITH CHECK (user_id = (SELECT app.current_user_id()));
            -- People write their own feedback and read it back; admins read all of it.
            CREATE POLICY feedback_own ON feedback FOR ALL
                USING (user_id = (SELECT app.current_user_id())) WITH CHECK (user_id = (SELECT app.current_user_id()));
            CREATE POLICY feedback_admin_read ON feedback FOR SELECT USING ((SELECT app.is_admin()));
            GRANT SELECT, INSERT, UPDATE, DELETE ON assessment_drafts TO {{app_role}};
            GRANT SELECT, INSERT ON feedback TO {{app_role}};
            """#
    )
}
