extension Migration {
    /// What a person may read of the audit entries about them: their own actions, and what staff,
    /// the system or an unknown caller did to their account (a suspension, failed logins). Not what
    /// another member did to them: a block names its target, so reading it would tell the blocked
    /// person who blocked them.
    static let auditAboutMe = Migration(
        version: 11,
        name: "audit_about_me",
        script: #"""
            DROP POLICY audit_log_self_read ON audit_log;
            CREATE POLICY audit_log_self_read ON audit_log FOR SELECT
                USING (
                    actor_id = (SELECT app.current_user_id())
                    OR (target_id = (SELECT app.current_user_id())::text
                        AND (actor_id IS NULL OR actor_role IN ('moderator', 'admin', 'system')))
                );
            """#
    )
}
