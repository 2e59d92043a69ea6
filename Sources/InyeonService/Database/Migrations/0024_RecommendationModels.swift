extension Migration {
    /// The recommendation model, trained once for the whole cluster: the instance that holds the
    /// training lock trains it and stores it here, versioned; every instance loads the newest. Only
    /// the system reads or writes it: a person's terms say how readily they like and are liked.
    static let recommendationModels = Migration(
        version: 24,
        name: "recommendation_models",
        script: #"""
            CREATE TABLE recommendation_models (
                version bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
                trained_at timestamptz NOT NULL DEFAULT now(),
                -- Which instance trained it (its host and process), for the operators.
                trained_by text NOT NULL CHECK (char_length(trained_by) <= 200),
                people integer NOT NULL CHECK (people >= 0),
                decisions integer NOT NULL CHECK (decisions >= 0),
                training_milliseconds integer NOT NULL CHECK (training_milliseconds >= 0),
                -- `ReciprocalModel.serialized()`.
                model bytea NOT NULL
            );

            ALTER TABLE recommendation_models ENABLE ROW LEVEL SECURITY;
            ALTER TABLE recommendation_models FORCE ROW LEVEL SECURITY;
            CREATE POLICY recommendation_models_system ON recommendation_models FOR ALL
                USING ((SELECT app.is_system())) WITH CHECK ((SELECT app.is_system()));
            GRANT SELECT, INSERT, DELETE ON recommendation_models TO {{app_role}};
            """#
    )
}
