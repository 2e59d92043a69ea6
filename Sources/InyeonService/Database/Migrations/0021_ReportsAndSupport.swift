extension Migration {
    /// Reporting a person from their card, before any match, with a category; and the customer
    /// centre's contact form. Both become cases in the moderation queue that staff already work
    /// through, so nothing arrives anywhere a moderator does not look.
    static let reportsAndSupport = Migration(
        version: 21,
        name: "reports_and_support",
        script: #"""
            ALTER TABLE moderation_cases ALTER COLUMN match_id DROP NOT NULL;
            ALTER TABLE moderation_cases DROP CONSTRAINT moderation_cases_kind_check;
            ALTER TABLE moderation_cases
                ADD CONSTRAINT moderation_cases_kind_check CHECK (kind IN ('scam_signal', 'report', 'profile_report', 'support')),
                -- What a report is about (a person's own words go in the note).
                ADD COLUMN category text CHECK (category IN ('money', 'fake', 'harassment', 'married', 'minor', 'other',
                                                             'account', 'safety', 'privacy', 'suspension', 'question')),
                -- Where staff answer a ticket from someone who could not sign in.
                ADD COLUMN contact_email text CHECK (char_length(contact_email) BETWEEN 3 AND 254),
                -- A conversation's cases name their conversation; a card's report names its person;
                -- a ticket names nobody else.
                ADD CONSTRAINT moderation_cases_shape CHECK (
                    CASE kind
                        WHEN 'profile_report' THEN match_id IS NULL AND category IS NOT NULL
                        WHEN 'support' THEN match_id IS NULL AND subject_id IS NULL AND category IS NOT NULL
                        ELSE match_id IS NOT NULL
                    END
                );
            CREATE INDEX moderation_cases_subject_idx ON moderation_cases (subject_id, created_at);

            -- Anyone whose card the caller may see (the profiles policies decide) can be reported by them.
            CREATE POLICY moderation_cases_profile_report ON moderation_cases FOR INSERT
                WITH CHECK (
                    kind = 'profile_report' AND reporter_id = (SELECT app.current_user_id())
                    AND subject_id IS NOT NULL AND subject_id <> reporter_id
                    AND EXISTS (SELECT 1 FROM profiles p WHERE p.user_id = subject_id)
                );
            -- A ticket is one's own (or, signed out, nobody's but the e-mail address given). Someone to
            -- answer is required here, not in a CHECK: deleting the account later sets reporter_id to
            -- NULL, and that must not fail.
            CREATE POLICY moderation_cases_support ON moderation_cases FOR INSERT
                WITH CHECK (
                    kind = 'support' AND subject_id IS NULL AND match_id IS NULL
                    AND reporter_id IS NOT DISTINCT FROM (SELECT app.current_user_id())
                    AND (reporter_id IS NOT NULL OR contact_email IS NOT NULL)
                );
            """#
    )
}
