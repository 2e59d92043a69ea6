extension Migration {
    /// Telling a person that something happened: a like or super-like, a match, new messages (one
    /// notice per conversation while unread), a like about to lapse. Written by the database itself
    /// (definer triggers on the rows that cause them), so no path can forget one; read by their
    /// person only, and never about someone across a block. `mailed_at` and the per-kind e-mail
    /// switches serve the notification mails, which go through the outbox.
    static let notifications = Migration(
        version: 19,
        name: "notifications",
        script: #"""
            CREATE TABLE notifications (
                id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
                user_id uuid NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
                kind text NOT NULL CHECK (kind IN ('like', 'super_like', 'match', 'message', 'like_expiring')),
                actor_id uuid REFERENCES accounts (id) ON DELETE CASCADE,
                match_id uuid REFERENCES matches (id) ON DELETE CASCADE,
                -- New messages while the conversation is unread are counted on one notice.
                count integer NOT NULL DEFAULT 1,
                created_at timestamptz NOT NULL DEFAULT now(),
                updated_at timestamptz NOT NULL DEFAULT now(),
                read_at timestamptz,
                mailed_at timestamptz
            );
            CREATE INDEX notifications_user_idx ON notifications (user_id, updated_at DESC);
            CREATE INDEX notifications_unread_idx ON notifications (user_id) WHERE read_at IS NULL;
            CREATE UNIQUE INDEX notifications_open_conversation_idx ON notifications (user_id, match_id)
                WHERE kind = 'message' AND read_at IS NULL;
            -- Likes about to lapse are found by time, not by scanning every like.
            CREATE INDEX likes_expiring_idx ON likes (expires_at) WHERE kind IN ('like', 'super_like');
            -- One open "about to lapse" notice per pair, however many instances look at once.
            CREATE UNIQUE INDEX notifications_expiring_once_idx ON notifications (user_id, actor_id)
                WHERE kind = 'like_expiring' AND read_at IS NULL;
            -- The mailer looks only at the last two days' unmailed, unread notices: bounded, however many
            -- accumulate from people who turned mail off.
            CREATE INDEX notifications_to_mail_idx ON notifications (created_at) WHERE mailed_at IS NULL AND read_at IS NULL;

            -- Which notification mails a person wants (absent: yes).
            CREATE TABLE notification_preferences (
                user_id uuid NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
                kind text NOT NULL CHECK (kind IN ('match', 'message')),
                email boolean NOT NULL,
                updated_at timestamptz NOT NULL DEFAULT now(),
                PRIMARY KEY (user_id, kind)
            );

            ALTER TABLE notifications ENABLE ROW LEVEL SECURITY;
            ALTER TABLE notifications FORCE ROW LEVEL SECURITY;
            ALTER TABLE notification_preferences ENABLE ROW LEVEL SECURITY;
            ALTER TABLE notification_preferences FORCE ROW LEVEL SECURITY;
            CREATE POLICY notifications_own_read ON notifications FOR SELECT
                USING (
                    (user_id = (SELECT app.current_user_id())
                     AND NOT (coalesce(actor_id = ANY (coalesce((SELECT app.blocked_user_ids()), '{}')), false)))
                    OR (SELECT app.is_system())
                );
            CREATE POLICY notifications_own_mark ON notifications FOR UPDATE
                USING (user_id = (SELECT app.current_user_id()) OR (SELECT app.is_system()))
                WITH CHECK (user_id = (SELECT app.current_user_id()) OR (SELECT app.is_system()));
            CREATE POLICY notifications_system_write ON notifications FOR INSERT WITH CHECK ((SELECT app.is_system()));
            CREATE POLICY notifications_system_delete ON notifications FOR DELETE USING ((SELECT app.is_system()));
            CREATE POLICY notification_preferences_own ON notification_preferences FOR ALL
                USING (user_id = (SELECT app.current_user_id()) OR (SELECT app.is_system()))
                WITH CHECK (user_id = (SELECT app.current_user_id()) OR (SELECT app.is_system()));
            GRANT SELECT, INSERT, UPDATE, DELETE ON notifications, notification_preferences TO {{app_role}};

            -- The triggers below run as this migration's role, which RLS (forced) also binds.
            DO $$
            BEGIN
                EXECUTE format('CREATE POLICY notifications_definer ON public.notifications FOR ALL TO %I USING (true) WITH CHECK (true)', current_user);
            END
            $$;

            -- A like or super-like tells its receiver (a pass never does), once: a notice lives only as
            -- long as its like, so a like withdrawn or turned into a pass takes its unread notice with
            -- it (nothing tells the receiver what happened), and a pair that ever matched gets none.
            CREATE FUNCTION app.notify_like() RETURNS trigger
                LANGUAGE plpgsql SECURITY DEFINER SET search_path = '' AS $$
            BEGIN
                IF TG_OP = 'DELETE' OR (TG_OP = 'UPDATE' AND NEW.kind = 'pass') THEN
                    DELETE FROM public.notifications
                    WHERE user_id = OLD.to_user_id AND actor_id = OLD.from_user_id
                      AND kind IN ('like', 'super_like', 'like_expiring') AND read_at IS NULL;
                    RETURN NULL;
                END IF;
                IF NEW.kind IN ('like', 'super_like') AND (TG_OP = 'INSERT' OR OLD.kind = 'pass')
                   AND NOT EXISTS (
                       SELECT 1 FROM public.matches m
                       WHERE m.user_low = least(NEW.from_user_id, NEW.to_user_id) AND m.user_high = greatest(NEW.from_user_id, NEW.to_user_id)
                   )
                   AND NOT EXISTS (
                       SELECT 1 FROM public.notifications n
                       WHERE n.user_id = NEW.to_user_id AND n.actor_id = NEW.from_user_id AND n.kind IN ('like', 'super_like') AND n.read_at IS NULL
                   ) THEN
                    INSERT INTO public.notifications (user_id, kind, actor_id) VALUES (NEW.to_user_id, NEW.kind, NEW.from_user_id);
                END IF;
                RETURN NULL;
            END
            $$;
            CREATE TRIGGER likes_notify AFTER INSERT OR UPDATE OF kind OR DELETE ON likes
                FOR EACH ROW EXECUTE FUNCTION app.notify_like();

            -- A match tells both; the like that led to it has been answered.
            CREATE FUNCTION app.notify_match() RETURNS trigger
                LANGUAGE plpgsql SECURITY DEFINER SET search_path = '' AS $$
            BEGIN
                -- The like that completed the match, written in this same transaction, is no news of its own.
                DELETE FROM public.notifications
                WHERE created_at = now() AND kind IN ('like', 'super_like')
                  AND ((user_id = NEW.user_low AND actor_id = NEW.user_high) OR (user_id = NEW.user_high AND actor_id = NEW.user_low));
                UPDATE public.notifications SET read_at = now()
                WHERE read_at IS NULL AND kind IN ('like', 'super_like', 'like_expiring')
                  AND ((user_id = NEW.user_low AND actor_id = NEW.user_high) OR (user_id = NEW.user_high AND actor_id = NEW.user_low));
                INSERT INTO public.notifications (user_id, kind, actor_id, match_id)
                VALUES (NEW.user_low, 'match', NEW.user_high, NEW.id), (NEW.user_high, 'match', NEW.user_low, NEW.id);
                RETURN NULL;
            END
            $$;
            CREATE TRIGGER matches_notify AFTER INSERT ON matches
                FOR EACH ROW EXECUTE FUNCTION app.notify_match();

            -- A new message tells the other person: one notice per conversation while it is unread.
            CREATE FUNCTION app.notify_message() RETURNS trigger
                LANGUAGE plpgsql SECURITY DEFINER SET search_path = '' AS $$
            DECLARE
                partner uuid;
            BEGIN
                SELECT CASE WHEN m.user_low = NEW.sender_id THEN m.user_high ELSE m.user_low END INTO partner
                FROM public.matches m WHERE m.id = NEW.match_id;
                INSERT INTO public.notifications AS n (user_id, kind, actor_id, match_id)
                VALUES (partner, 'message', NEW.sender_id, NEW.match_id)
                ON CONFLICT (user_id, match_id) WHERE kind = 'message' AND read_at IS NULL
                DO UPDATE SET count = n.count + 1, updated_at = now();
                RETURN NULL;
            END
            $$;
            CREATE TRIGGER messages_notify AFTER INSERT ON messages
                FOR EACH ROW EXECUTE FUNCTION app.notify_message();

            -- Reading a conversation reads its notice.
            CREATE FUNCTION app.read_message_notifications() RETURNS trigger
                LANGUAGE plpgsql SECURITY DEFINER SET search_path = '' AS $$
            BEGIN
                UPDATE public.notifications SET read_at = now()
                WHERE user_id = NEW.user_id AND match_id = NEW.match_id AND kind = 'message' AND read_at IS NULL;
                RETURN NULL;
            END
            $$;
            CREATE TRIGGER conversation_reads_notify AFTER INSERT OR UPDATE ON conversation_reads
                FOR EACH ROW EXECUTE FUNCTION app.read_message_notifications();
            """#
    )
}
