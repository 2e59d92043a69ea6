extension Migration {
    /// The newest migration applied, for the readiness check (`/api/health/ready`): an instance is
    /// ready only once the schema is at least the one it was built for. The service's role may not
    /// read `schema_migrations` itself; this tells it the one number.
    static let schemaVersion = Migration(
        version: 25,
        name: "schema_version",
        script: #"""
            CREATE FUNCTION app.schema_version() RETURNS integer
            LANGUAGE sql STABLE SECURITY DEFINER SET search_path = '' AS $$
                SELECT coalesce(max(version), 0) FROM public.schema_migrations
            $$;
            REVOKE ALL ON FUNCTION app.schema_version() FROM PUBLIC;
            GRANT EXECUTE ON FUNCTION app.schema_version() TO {{app_role}};
            """#
    )
}
