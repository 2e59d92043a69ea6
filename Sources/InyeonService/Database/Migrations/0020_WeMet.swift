extension Migration {
    /// "만나셨나요?": some days after a match has had a real conversation, each person is asked,
    /// privately, whether they met and whether they would like to meet again. An answer is its
    /// person's alone (the other never sees it); the operators see only the counts.
    static let weMet = Migration(
        version: 20,
        name: "we_met",
        script: #"""
            CREATE TABLE meeting_feedback (
                match_id uuid NOT NULL REFERENCES matches (id) ON DELETE CASCADE,
                user_id uuid NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
                met boolean NOT NULL,
                want_again text CHECK (want_again IN ('yes', 'no', 'unsure')),
                answered_at timestamptz NOT NULL DEFAULT now(),
                PRIMARY KEY (match_id, user_id),
                CHECK (met OR want_again IS NULL)
            );
            CREATE INDEX meeting_feedback_answered_idx ON meeting_feedback (answered_at);
            CREATE INDEX matches_matched_at_idx ON matches (matched_at);

            ALTER TABLE meeting_feedback ENABLE ROW LEVEL SECURITY;
            ALTER TABLE meeting_feedback FORCE ROW LEVEL SECURITY;
            CREATE POLICY meeting_feedback_own ON meeting_feedback FOR ALL
                USING (user_id = (SELECT app.current_user_id()) OR (SELECT app.is_system()))
                WITH CHECK (
                    (user_id = (SELECT app.current_user_id())
                     AND EXISTS (SELECT 1 FROM matches m WHERE m.id = match_id AND (SELECT app.current_user_id()) IN (m.user_low, m.user_high)))
                    OR (SELECT app.is_system())
                );
            GRANT SELECT, INSERT, UPDATE, DELETE ON meeting_feedback TO {{app_role}};
            """#
    )
}
