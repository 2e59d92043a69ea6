extension Migration {
    /// What the service's login role may do at all; RLS then narrows it to rows. It owns nothing.
    static let appRoleGrants = Migration(
        version: 3,
        name: "app_role_grants",
        script: #"""
            GRANT USAGE ON SCHEMA app TO {{app_role}};
            GRANT EXECUTE ON ALL FUNCTIONS IN SCHEMA app TO {{app_role}};
            GRANT SELECT, INSERT, UPDATE, DELETE
                ON accounts, profiles, private_profiles, consents, values_assessments, likes, matches, blocks
                TO {{app_role}};
            -- Append and read only: the log can never be rewritten through the service.
            GRANT SELECT, INSERT ON audit_log TO {{app_role}};
            """#
    )
}
