extension Migration {
    /// Conversations between the two people of a match. Messages are written only through definer
    /// functions, which check that the match is still open, number each conversation's messages
    /// without gaps, recognise a resent client id, and hold each person to 30 messages a minute.
    /// Flagged messages put the conversation in a moderation queue that staff read through their role.
    static let chat = Migration(
        version: 8,
        name: "chat",
        script: #"""
            -- One row per conversation (created with its first message): its counters, taken under the row lock.
            -- `last_sequence` numbers messages 1, 2, 3 …; `last_revision` numbers every change (send, edit,
            -- delete), so a reconnecting client also learns what changed in messages it had already seen.
            CREATE TABLE conversations (
                match_id uuid PRIMARY KEY REFERENCES matches (id) ON DELETE CASCADE,
                last_sequence bigint NOT NULL DEFAULT 0,
                last_revision bigint NOT NULL DEFAULT 0,
                last_message_at timestamptz
            );

            CREATE TABLE messages (
                match_id uuid NOT NULL REFERENCES conversations (match_id) ON DELETE CASCADE,
                sequence bigint NOT NULL CHECK (sequence > 0),
                revision bigint NOT NULL,
                sender_id uuid NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
                client_message_id text NOT NULL CHECK (char_length(client_message_id) BETWEEN 1 AND 64),
                body text NOT NULL,
                scam_signals text[] NOT NULL DEFAULT '{}',
                sent_at timestamptz NOT NULL DEFAULT now(),
                edited_at timestamptz,
                deleted_at timestamptz,
                PRIMARY KEY (match_id, sequence),
                UNIQUE (match_id, sender_id, client_message_id),
                CHECK ((deleted_at IS NULL AND char_length(body) BETWEEN 1 AND 2000) OR (deleted_at IS NOT NULL AND body = ''))
            );
            CREATE INDEX messages_revision_idx ON messages (match_id, revision);
            CREATE INDEX messages_sender_time_idx ON messages (sender_id, sent_at);

            -- How far each person has read: the other person's read receipts, and one's unread count.
            CREATE TABLE conversation_reads (
                match_id uuid NOT NULL REFERENCES conversations (match_id) ON DELETE CASCADE,
                user_id uuid NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
                read_sequence bigint NOT NULL DEFAULT 0,
                PRIMARY KEY (match_id, user_id)
            );

            -- Conversations that need a moderator's eyes: a flagged message, or a person's report.
            CREATE TABLE moderation_cases (
                id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
                match_id uuid NOT NULL REFERENCES matches (id) ON DELETE CASCADE,
                message_sequence bigint,
                subject_id uuid REFERENCES accounts (id) ON DELETE SET NULL,
                reporter_id uuid REFERENCES accounts (id) ON DELETE SET NULL,
                kind text NOT NULL CHECK (kind IN ('scam_signal', 'report')),
                signals text[] NOT NULL DEFAULT '{}',
                note text CHECK (char_length(note) <= 1000),
                status text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'dismissed', 'actioned')),
                created_at timestamptz NOT NULL DEFAULT now(),
                reviewed_by uuid REFERENCES accounts (id) ON DELETE SET NULL,
                reviewed_at timestamptz
            );
            CREATE INDEX moderation_cases_open_idx ON moderation_cases (created_at) WHERE status = 'open';
            CREATE INDEX moderation_cases_match_idx ON moderation_cases (match_id);

            DO $$
            DECLARE
                t text;
            BEGIN
                FOREACH t IN ARRAY ARRAY['conversations', 'messages', 'conversation_reads', 'moderation_cases'] LOOP
                    EXECUTE format('ALTER TABLE public.%I ENABLE ROW LEVEL SECURITY', t);
                    EXECUTE format('ALTER TABLE public.%I FORCE ROW LEVEL SECURITY', t);
                    -- The definer functions below run as this migration's role.
                    EXECUTE format('CREATE POLICY %I ON public.%I FOR ALL TO %I USING (true) WITH CHECK (true)', t || '_definer', t, current_user);
                END LOOP;
            END
            $$;

            -- Whether the caller is one of the two people of this match and it is still open (not
            -- unmatched, not ended by a block). Reads matches under the caller's own RLS.
            CREATE FUNCTION app.in_open_conversation(conversation uuid) RETURNS boolean
            LANGUAGE sql STABLE AS $$
                SELECT EXISTS (
                    SELECT 1 FROM public.matches m
                    WHERE m.id = conversation AND m.ended_at IS NULL
                      AND app.current_user_id() IN (m.user_low, m.user_high)
                )
            $$;

            CREATE FUNCTION app.in_moderation(conversation uuid) RETURNS boolean
            LANGUAGE sql STABLE AS $$
                SELECT app.is_staff() AND EXISTS (SELECT 1 FROM public.moderation_cases c WHERE c.match_id = conversation)
            $$;

            CREATE POLICY conversations_members ON conversations FOR SELECT
                USING ((SELECT app.in_open_conversation(match_id)) OR (SELECT app.in_moderation(match_id)));
            -- Members read an open conversation; staff read one that is in the moderation queue; and
            -- everyone can always read what they wrote themselves (their data export).
            CREATE POLICY messages_members ON messages FOR SELECT
                USING ((SELECT app.in_open_conversation(match_id)) OR (SELECT app.in_moderation(match_id)));
            CREATE POLICY messages_own ON messages FOR SELECT USING (sender_id = (SELECT app.current_user_id()));
            CREATE POLICY conversation_reads_members ON conversation_reads FOR SELECT
                USING ((SELECT app.in_open_conversation(match_id)));
            CREATE POLICY moderation_cases_staff ON moderation_cases FOR SELECT USING ((SELECT app.is_staff()));
            -- A person sees the reports they made themselves.
            CREATE POLICY moderation_cases_own_reports ON moderation_cases FOR SELECT
                USING (reporter_id = (SELECT app.current_user_id()));
            CREATE POLICY moderation_cases_review ON moderation_cases FOR UPDATE
                USING ((SELECT app.is_staff())) WITH CHECK ((SELECT app.is_staff()));
            -- Either person of a match (open or ended) can report the other.
            CREATE POLICY moderation_cases_report ON moderation_cases FOR INSERT
                WITH CHECK (kind = 'report' AND reporter_id = (SELECT app.current_user_id()) AND EXISTS (
                    SELECT 1 FROM matches m WHERE m.id = match_id AND reporter_id IN (m.user_low, m.user_high)
                        AND subject_id IN (m.user_low, m.user_high) AND subject_id <> reporter_id
                ));
            GRANT SELECT ON conversations, messages, conversation_reads TO {{app_role}};
            GRANT SELECT, INSERT, UPDATE ON moderation_cases TO {{app_role}};

            -- The caller's open conversation `conversation` (its match), or an error: no such conversation.
            CREATE FUNCTION app.open_conversation_partner(conversation uuid) RETURNS uuid
            LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = '' AS $$
            DECLARE
                me uuid := app.current_user_id();
                partner uuid;
            BEGIN
                IF me IS NULL THEN
                    RAISE EXCEPTION 'sign in to chat' USING ERRCODE = '42501';
                END IF;
                SELECT CASE WHEN m.user_low = me THEN m.user_high ELSE m.user_low END INTO partner
                FROM public.matches m
                WHERE m.id = conversation AND m.ended_at IS NULL AND me IN (m.user_low, m.user_high);
                IF partner IS NULL OR partner = ANY (app.blocked_user_ids()) THEN
                    RAISE EXCEPTION 'no such conversation' USING ERRCODE = 'P0002';
                END IF;
                RETURN partner;
            END
            $$;

            -- Stores a message from the caller. A client id seen before returns the stored message
            -- (duplicate = true) and stores nothing. More than 30 messages in a minute: SQLSTATE IY429.
            CREATE FUNCTION app.send_message(conversation uuid, client_id text, content text, signals text[])
            RETURNS TABLE (sequence bigint, revision bigint, sent_at timestamptz, body text, scam_signals text[], duplicate boolean)
            LANGUAGE plpgsql SECURITY DEFINER SET search_path = '' AS $$
            DECLARE
                me uuid := app.current_user_id();
                partner uuid := app.open_conversation_partner(conversation);
                next_sequence bigint;
                next_revision bigint;
            BEGIN
                IF content IS NULL OR char_length(content) NOT BETWEEN 1 AND 2000 THEN
                    RAISE EXCEPTION 'a message is 1 to 2000 characters' USING ERRCODE = '22023';
                END IF;
                -- One person's messages are taken one at a time: the rate limit holds across instances.
                PERFORM pg_advisory_xact_lock(hashtextextended(me::text, 8));
                RETURN QUERY
                    SELECT m.sequence, m.revision, m.sent_at, m.body, m.scam_signals, true FROM public.messages m
                    WHERE m.match_id = conversation AND m.sender_id = me AND m.client_message_id = client_id;
                IF FOUND THEN
                    RETURN;
                END IF;
                IF (SELECT count(*) FROM public.messages m WHERE m.sender_id = me AND m.sent_at > now() - interval '1 minute') >= 30 THEN
                    RAISE EXCEPTION 'at most 30 messages a minute' USING ERRCODE = 'IY429';
                END IF;
                INSERT INTO public.conversations AS c (match_id) VALUES (conversation) ON CONFLICT (match_id) DO NOTHING;
                UPDATE public.conversations c
                SET last_sequence = c.last_sequence + 1, last_revision = c.last_revision + 1, last_message_at = now()
                WHERE c.match_id = conversation
                RETURNING c.last_sequence, c.last_revision INTO next_sequence, next_revision;
                INSERT INTO public.messages (match_id, sequence, revision, sender_id, client_message_id, body, scam_signals)
                VALUES (conversation, next_sequence, next_revision, me, client_id, content, coalesce(signals, '{}'));
                -- Writing a reply means one has read what came before it.
                INSERT INTO public.conversation_reads AS r (match_id, user_id, read_sequence) VALUES (conversation, me, next_sequence)
                ON CONFLICT (match_id, user_id) DO UPDATE SET read_sequence = greatest(r.read_sequence, excluded.read_sequence);
                IF cardinality(signals) > 0 THEN
                    INSERT INTO public.moderation_cases (match_id, message_sequence, subject_id, kind, signals)
                    VALUES (conversation, next_sequence, me, 'scam_signal', signals);
                END IF;
                RETURN QUERY SELECT next_sequence, next_revision, now(), content, coalesce(signals, '{}'), false;
            END
            $$;

            -- Edits (new content) or deletes (content NULL) one of the caller's own messages: edits
            -- within 30 minutes of sending, deletion within 24 hours. SQLSTATE IY403 when too late.
            CREATE FUNCTION app.change_message(conversation uuid, message_sequence bigint, content text, signals text[])
            RETURNS TABLE (revision bigint, body text, scam_signals text[], sent_at timestamptz, edited_at timestamptz, deleted_at timestamptz)
            LANGUAGE plpgsql SECURITY DEFINER SET search_path = '' AS $$
            DECLARE
                me uuid := app.current_user_id();
                partner uuid := app.open_conversation_partner(conversation);
                original public.messages%ROWTYPE;
                next_revision bigint;
            BEGIN
                IF content IS NOT NULL AND char_length(content) NOT BETWEEN 1 AND 2000 THEN
                    RAISE EXCEPTION 'a message is 1 to 2000 characters' USING ERRCODE = '22023';
                END IF;
                UPDATE public.conversations c SET last_revision = c.last_revision + 1
                WHERE c.match_id = conversation RETURNING c.last_revision INTO next_revision;
                SELECT * INTO original FROM public.messages m
                WHERE m.match_id = conversation AND m.sequence = message_sequence AND m.sender_id = me AND m.deleted_at IS NULL;
                IF NOT FOUND THEN
                    RAISE EXCEPTION 'no such message' USING ERRCODE = 'P0002';
                END IF;
                IF content IS NOT NULL AND original.sent_at < now() - interval '30 minutes' THEN
                    RAISE EXCEPTION 'a message can be edited within 30 minutes' USING ERRCODE = 'IY403';
                END IF;
                IF content IS NULL AND original.sent_at < now() - interval '24 hours' THEN
                    RAISE EXCEPTION 'a message can be deleted within 24 hours' USING ERRCODE = 'IY403';
                END IF;
                IF content IS NOT NULL AND cardinality(signals) > 0 THEN
                    INSERT INTO public.moderation_cases (match_id, message_sequence, subject_id, kind, signals)
                    VALUES (conversation, message_sequence, me, 'scam_signal', signals);
                END IF;
                RETURN QUERY
                    UPDATE public.messages m SET
                        revision = next_revision,
                        body = coalesce(content, ''),
                        scam_signals = CASE WHEN content IS NULL THEN '{}' ELSE coalesce(signals, '{}') END,
                        edited_at = CASE WHEN content IS NULL THEN m.edited_at ELSE now() END,
                        deleted_at = CASE WHEN content IS NULL THEN now() ELSE NULL END
                    WHERE m.match_id = conversation AND m.sequence = message_sequence
                    RETURNING m.revision, m.body, m.scam_signals, m.sent_at, m.edited_at, m.deleted_at;
            END
            $$;

            -- Moves the caller's read marker forward (never back, never past the last message).
            CREATE FUNCTION app.mark_read(conversation uuid, up_to bigint) RETURNS bigint
            LANGUAGE plpgsql SECURITY DEFINER SET search_path = '' AS $$
            DECLARE
                me uuid := app.current_user_id();
                partner uuid := app.open_conversation_partner(conversation);
                newest bigint;
                marker bigint;
            BEGIN
                SELECT c.last_sequence INTO newest FROM public.conversations c WHERE c.match_id = conversation;
                INSERT INTO public.conversation_reads AS r (match_id, user_id, read_sequence)
                SELECT conversation, me, least(greatest(up_to, 0), newest) WHERE newest IS NOT NULL
                ON CONFLICT (match_id, user_id) DO UPDATE SET read_sequence = greatest(r.read_sequence, excluded.read_sequence)
                RETURNING r.read_sequence INTO marker;
                RETURN coalesce(marker, 0);
            END
            $$;

            REVOKE ALL ON FUNCTION app.open_conversation_partner(uuid), app.send_message(uuid, text, text, text[]),
                app.change_message(uuid, bigint, text, text[]), app.mark_read(uuid, bigint) FROM PUBLIC;
            GRANT EXECUTE ON FUNCTION app.open_conversation_partner(uuid), app.send_message(uuid, text, text, text[]),
                app.change_message(uuid, bigint, text, text[]), app.mark_read(uuid, bigint) TO {{app_role}};
            """#
    )
}
