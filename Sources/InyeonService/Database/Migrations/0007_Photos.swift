extension Migration {
    /// Up to six photos a person. The files are the service's own re-encodings (see `PhotoProcessor`);
    /// this table says whose they are and in what order, and who may see them: exactly those who may
    /// see the person's card.
    static let photos = Migration(
        version: 7,
        name: "photos",
        script: #"""
            CREATE TABLE photos (
                id uuid PRIMARY KEY,
                user_id uuid NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
                -- Six slots: the limit holds even for two uploads at the same instant.
                position integer NOT NULL CHECK (position BETWEEN 0 AND 5),
                width integer NOT NULL CHECK (width > 0),
                height integer NOT NULL CHECK (height > 0),
                source_format text NOT NULL CHECK (source_format IN ('jpeg', 'png', 'webp')),
                created_at timestamptz NOT NULL DEFAULT now(),
                CONSTRAINT photos_slot UNIQUE (user_id, position) DEFERRABLE INITIALLY IMMEDIATE
            );
            ALTER TABLE photos ENABLE ROW LEVEL SECURITY;
            ALTER TABLE photos FORCE ROW LEVEL SECURITY;
            CREATE POLICY photos_own ON photos FOR ALL
                USING (user_id = (SELECT app.current_user_id()) OR (SELECT app.is_system()))
                WITH CHECK (user_id = (SELECT app.current_user_id()) OR (SELECT app.is_system()));
            -- Others see a photo exactly when the profiles policies let them see the card.
            CREATE POLICY photos_with_card ON photos FOR SELECT
                USING (EXISTS (SELECT 1 FROM profiles p WHERE p.user_id = photos.user_id));
            CREATE POLICY photos_staff_read ON photos FOR SELECT USING ((SELECT app.is_staff()));
            GRANT SELECT, INSERT, UPDATE, DELETE ON photos TO {{app_role}};
            """#
    )
}
