extension Migration {
    /// Likes, passes and super-likes become matches through one definer function, so a person can
    /// neither read others' likes nor create matches directly, and a mutual like becomes a match
    /// exactly once even when both people press like at the same instant.
    static let matchLifecycle = Migration(
        version: 6,
        name: "match_lifecycle",
        script: #"""
            -- The definer function below runs as this migration's role, which RLS (forced) also binds.
            DO $$
            BEGIN
                EXECUTE format('CREATE POLICY likes_definer ON public.likes FOR ALL TO %I USING (true) WITH CHECK (true)', current_user);
                EXECUTE format('CREATE POLICY matches_definer ON public.matches FOR ALL TO %I USING (true) WITH CHECK (true)', current_user);
                EXECUTE format('CREATE POLICY profiles_definer_read ON public.profiles FOR SELECT TO %I USING (true)', current_user);
            END
            $$;

            CREATE INDEX likes_from_decided_idx ON likes (from_user_id, decided_at DESC);
            CREATE INDEX matches_high_idx ON matches (user_high);
            CREATE INDEX profiles_candidates_idx ON profiles (gender, birth_year, latitude, longitude) WHERE searchable;

            -- Records the caller's decision about `target` and, when it completes a mutual like that has not
            -- expired, creates the match. Returns the match (if any) and whether this call created it.
            CREATE FUNCTION app.decide(target uuid, decision text)
            RETURNS TABLE (match_id uuid, created boolean)
            LANGUAGE plpgsql SECURITY DEFINER SET search_path = '' AS $$
            DECLARE
                me uuid := app.current_user_id();
                pair_low uuid;
                pair_high uuid;
                found uuid;
            BEGIN
                IF me IS NULL THEN
                    RAISE EXCEPTION 'sign in to decide' USING ERRCODE = '42501';
                END IF;
                IF decision NOT IN ('like', 'pass', 'super_like') THEN
                    RAISE EXCEPTION 'unknown decision %', decision USING ERRCODE = '22023';
                END IF;
                IF target = me OR target = ANY (app.blocked_user_ids())
                   OR NOT EXISTS (SELECT 1 FROM public.profiles p WHERE p.user_id = target AND p.searchable) THEN
                    RAISE EXCEPTION 'no such person' USING ERRCODE = 'P0002';
                END IF;
                pair_low := least(me, target);
                pair_high := greatest(me, target);
                -- Both people's decisions about each other are taken one at a time.
                PERFORM pg_advisory_xact_lock(hashtextextended(pair_low::text || pair_high::text, 6));
                INSERT INTO public.likes AS l (from_user_id, to_user_id, kind, decided_at, expires_at)
                VALUES (me, target, decision, now(), now() + interval '7 days')
                ON CONFLICT (from_user_id, to_user_id)
                    DO UPDATE SET kind = excluded.kind, decided_at = excluded.decided_at, expires_at = excluded.expires_at;
                IF decision = 'pass' OR NOT EXISTS (
                    SELECT 1 FROM public.likes
                    WHERE from_user_id = target AND to_user_id = me AND kind IN ('like', 'super_like') AND expires_at > now()
                ) THEN
                    RETURN QUERY SELECT NULL::uuid, false;
                    RETURN;
                END IF;
                INSERT INTO public.matches (user_low, user_high) VALUES (pair_low, pair_high)
                ON CONFLICT (user_low, user_high) DO NOTHING
                RETURNING id INTO found;
                IF found IS NOT NULL THEN
                    RETURN QUERY SELECT found, true;
                    RETURN;
                END IF;
                -- Already matched (or matched once and ended, which stays ended).
                SELECT m.id INTO found FROM public.matches m
                WHERE m.user_low = pair_low AND m.user_high = pair_high AND m.ended_at IS NULL;
                RETURN QUERY SELECT found, false;
            END
            $$;
            REVOKE ALL ON FUNCTION app.decide(uuid, text) FROM PUBLIC;
            GRANT EXECUTE ON FUNCTION app.decide(uuid, text) TO {{app_role}};

            -- Who super-liked the caller within the last seven days: a super-like is meant to be seen.
            CREATE FUNCTION app.super_likers() RETURNS uuid[]
            LANGUAGE sql STABLE SECURITY DEFINER SET search_path = '' AS $$
                SELECT coalesce(array_agg(l.from_user_id), '{}')
                FROM public.likes l
                WHERE l.to_user_id = app.current_user_id() AND l.kind = 'super_like' AND l.expires_at > now()
            $$;
            REVOKE ALL ON FUNCTION app.super_likers() FROM PUBLIC;
            GRANT EXECUTE ON FUNCTION app.super_likers() TO {{app_role}};
            """#
    )
}
