extension Migration {
    /// "나에게 관심 보낸 분": a like or super-like becomes readable by the person it was sent to (never a
    /// pass), and a block hides it both ways at once.
    static let interestLists = Migration(
        version: 18,
        name: "interest_lists",
        script: #"""
            CREATE POLICY likes_receiver ON likes FOR SELECT
                USING (
                    to_user_id = (SELECT app.current_user_id()) AND kind IN ('like', 'super_like')
                    AND NOT (from_user_id = ANY (coalesce((SELECT app.blocked_user_ids()), '{}')))
                );
            CREATE INDEX likes_to_interest_idx ON likes (to_user_id, decided_at DESC) WHERE kind IN ('like', 'super_like');
            """#
    )
}
