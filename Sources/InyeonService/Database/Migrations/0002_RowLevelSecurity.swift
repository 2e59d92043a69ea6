extension Migration {
    /// Row-level security on every table holding people's data, enforced by PostgreSQL.
    ///
    /// Helpers are wrapped as `(SELECT app.f())` so PostgreSQL evaluates them once per statement,
    /// not once per row. Tables are FORCEd, so even their owner is filtered.
    static let rowLevelSecurity = Migration(
        version: 2,
        name: "row_level_security",
        script: #"""
            -- Everyone blocked by, or blocking, the caller. It must see blocks in both directions, which the
            -- caller's own policy (blocker only) does not allow, so it runs as the owner with a policy of its own.
            CREATE FUNCTION app.blocked_user_ids() RETURNS uuid[]
                LANGUAGE sql STABLE SECURITY DEFINER SET search_path = '' AS $$
                SELECT coalesce(array_agg(CASE WHEN b.blocker_id = app.current_user_id() THEN b.blocked_id ELSE b.blocker_id END), '{}')
                FROM public.blocks b
                WHERE b.blocker_id = app.current_user_id() OR b.blocked_id = app.current_user_id()
            $$;

            DO $$
            DECLARE
                t text;
            BEGIN
                FOREACH t IN ARRAY ARRAY['accounts', 'profiles', 'private_profiles', 'consents', 'values_assessments',
                                         'likes', 'matches', 'blocks', 'audit_log'] LOOP
                    EXECUTE format('ALTER TABLE public.%I ENABLE ROW LEVEL SECURITY', t);
                    EXECUTE format('ALTER TABLE public.%I FORCE ROW LEVEL SECURITY', t);
                END LOOP;
                -- The owner (this migration's role) reads blocks only through app.blocked_user_ids().
                EXECUTE format('CREATE POLICY blocks_definer_read ON public.blocks FOR SELECT TO %I USING (true)', current_user);
            END
            $$;

            -- accounts: one's own; staff read for moderation; only the system creates other people.
            CREATE POLICY accounts_select ON accounts FOR SELECT
                USING (id = (SELECT app.current_user_id()) OR (SELECT app.is_staff()));
            CREATE POLICY accounts_insert ON accounts FOR INSERT
                WITH CHECK ((id = (SELECT app.current_user_id()) AND role = 'user') OR (SELECT app.is_system()));
            CREATE POLICY accounts_update ON accounts FOR UPDATE
                USING (id = (SELECT app.current_user_id()) OR (SELECT app.is_admin()))
                WITH CHECK (id = (SELECT app.current_user_id()) OR (SELECT app.is_admin()));
            CREATE POLICY accounts_delete ON accounts FOR DELETE
                USING (id = (SELECT app.current_user_id()) OR (SELECT app.is_system()));

            -- profiles: one's own in full; others' only as cards: searchable, never across a block, and for an
            -- anonymous caller only when the owner allows public listing and enhanced auth is off.
            CREATE POLICY profiles_select_own ON profiles FOR SELECT
                USING (user_id = (SELECT app.current_user_id()) OR (SELECT app.is_staff()));
            CREATE POLICY profiles_select_cards ON profiles FOR SELECT
                USING (
                    searchable
                    AND ((SELECT app.current_user_id()) IS NOT NULL OR (allow_public_listing AND (SELECT app.anonymous_cards_allowed())))
                    AND NOT (user_id = ANY (coalesce((SELECT app.blocked_user_ids()), '{}')))
                );
            CREATE POLICY profiles_insert ON profiles FOR INSERT
                WITH CHECK (user_id = (SELECT app.current_user_id()) OR (SELECT app.is_system()));
            CREATE POLICY profiles_update ON profiles FOR UPDATE
                USING (user_id = (SELECT app.current_user_id()) OR (SELECT app.is_system()))
                WITH CHECK (user_id = (SELECT app.current_user_id()) OR (SELECT app.is_system()));
            CREATE POLICY profiles_delete ON profiles FOR DELETE
                USING (user_id = (SELECT app.current_user_id()) OR (SELECT app.is_system()));

            -- private_profiles: the person alone (and the system, which seeds and erases).
            CREATE POLICY private_profiles_self ON private_profiles FOR ALL
                USING (user_id = (SELECT app.current_user_id()) OR (SELECT app.is_system()))
                WITH CHECK (user_id = (SELECT app.current_user_id()) OR (SELECT app.is_system()));

            -- consents: the person; admins read them for PIPA compliance.
            CREATE POLICY consents_self ON consents FOR ALL
                USING (user_id = (SELECT app.current_user_id()) OR (SELECT app.is_system()))
                WITH CHECK (user_id = (SELECT app.current_user_id()) OR (SELECT app.is_system()));
            CREATE POLICY consents_admin_read ON consents FOR SELECT USING ((SELECT app.is_admin()));

            -- values_assessments: written by the person; readable wherever their card is (for compatibility).
            CREATE POLICY values_assessments_self ON values_assessments FOR ALL
                USING (user_id = (SELECT app.current_user_id()) OR (SELECT app.is_system()))
                WITH CHECK (user_id = (SELECT app.current_user_id()) OR (SELECT app.is_system()));
            CREATE POLICY values_assessments_with_card ON values_assessments FOR SELECT
                USING (EXISTS (SELECT 1 FROM profiles p WHERE p.user_id = values_assessments.user_id));

            -- likes: visible to and written by their sender, never towards someone across a block.
            CREATE POLICY likes_sender ON likes FOR ALL
                USING (from_user_id = (SELECT app.current_user_id()) OR (SELECT app.is_system()))
                WITH CHECK (
                    (from_user_id = (SELECT app.current_user_id()) AND NOT (to_user_id = ANY (coalesce((SELECT app.blocked_user_ids()), '{}'))))
                    OR (SELECT app.is_system())
                );

            -- matches: its two people; staff read for moderation; created by the system on a mutual like.
            CREATE POLICY matches_members ON matches FOR SELECT
                USING ((SELECT app.current_user_id()) IN (user_low, user_high) OR (SELECT app.is_staff()));
            CREATE POLICY matches_members_update ON matches FOR UPDATE
                USING ((SELECT app.current_user_id()) IN (user_low, user_high) OR (SELECT app.is_system()))
                WITH CHECK ((SELECT app.current_user_id()) IN (user_low, user_high) OR (SELECT app.is_system()));
            CREATE POLICY matches_system_write ON matches FOR INSERT WITH CHECK ((SELECT app.is_system()));
            CREATE POLICY matches_system_delete ON matches FOR DELETE USING ((SELECT app.is_system()));

            -- blocks: the blocker's own; staff read for moderation.
            CREATE POLICY blocks_blocker ON blocks FOR ALL
                USING (blocker_id = (SELECT app.current_user_id()) OR (SELECT app.is_system()))
                WITH CHECK (blocker_id = (SELECT app.current_user_id()) OR (SELECT app.is_system()));
            CREATE POLICY blocks_staff_read ON blocks FOR SELECT USING ((SELECT app.is_staff()));

            -- audit_log: anyone appends events about themselves (or anonymous ones); admins read.
            CREATE POLICY audit_log_append ON audit_log FOR INSERT
                WITH CHECK (
                    (actor_id IS NULL AND actor_role = (SELECT app.current_app_role()))
                    OR actor_id = (SELECT app.current_user_id())
                    OR (SELECT app.is_system())
                );
            CREATE POLICY audit_log_admin_read ON audit_log FOR SELECT USING ((SELECT app.is_admin()));
            """#
    )
}
