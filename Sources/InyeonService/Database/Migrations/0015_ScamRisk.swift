extension Migration {
    /// The scam-risk model's judgement reaches the moderators: a flagged message's case records the
    /// calibrated risk and the features that raised it most, beside the rules' signals. The two
    /// definer functions that store messages take them (the old four-argument ones are dropped).
    static let scamRisk = Migration(
        version: 15,
        name: "scam_risk",
        script: #"""
            ALTER TABLE moderation_cases
                ADD COLUMN risk real CHECK (risk IS NULL OR risk BETWEEN 0 AND 1),
                ADD COLUMN reasons text[] NOT NULL DEFAULT '{}';

            DROP FUNCTION app.send_message(uuid, text, text, text[]);
            DROP FUNCTION app.change_message(uuid, bigint, text, text[]);

            CREATE FUNCTION app.send_message(conversation uuid, client_id text, content text, signals text[], risk real, reasons text[])
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
                    INSERT INTO public.moderation_cases (match_id, message_sequence, subject_id, kind, signals, risk, reasons)
                    VALUES (conversation, next_sequence, me, 'scam_signal', signals, risk, coalesce(reasons, '{}'));
                END IF;
                RETURN QUERY SELECT next_sequence, next_revision, now(), content, coalesce(signals, '{}'), false;
            END
            $$;

            -- Edits (new content) or deletes (content NULL) one of the caller's own messages: edits
            -- within 30 minutes of sending, deletion within 24 hours. SQLSTATE IY403 when too late.
            CREATE FUNCTION app.change_message(conversation uuid, message_sequence bigint, content text, signals text[], risk real, reasons text[])
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
                    INSERT INTO public.moderation_cases (match_id, message_sequence, subject_id, kind, signals, risk, reasons)
                    VALUES (conversation, message_sequence, me, 'scam_signal', signals, risk, coalesce(reasons, '{}'));
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

            REVOKE ALL ON FUNCTION app.send_message(uuid, text, text, text[], real, text[]),
                app.change_message(uuid, bigint, text, text[], real, text[]) FROM PUBLIC;
            GRANT EXECUTE ON FUNCTION app.send_message(uuid, text, text, text[], real, text[]),
                app.change_message(uuid, bigint, text, text[], real, text[]) TO {{app_role}};
            """#
    )
}
