/// One person's answer to another's card: the raw material the recommendation engine learns from.
public struct LikeDecision: Sendable, Hashable, Codable {
    public var from: String
    public var to: String
    public var liked: Bool

    public init(from: String, to: String, liked: Bool) {
        self.from = from
        self.to = to
        self.liked = liked
    }
}

/// Everyone's decisions indexed both ways: what each person decided, and what each person received.
public struct DecisionGraph: Sendable {
    /// decider -> (receiver -> liked)
    public private(set) var given: [String: [String: Bool]] = [:]
    /// receiver -> (decider -> liked)
    public private(set) var received: [String: [String: Bool]] = [:]
    public private(set) var decisions: [LikeDecision] = []

    public init(_ decisions: some Sequence<LikeDecision>) {
        var position: [[String]: Int] = [:]
        for decision in decisions {
            given[decision.from, default: [:]][decision.to] = decision.liked
            received[decision.to, default: [:]][decision.from] = decision.liked
            // A later decision on the same person replaces the earlier one.
            if let index = position[[decision.from, decision.to]] {
                self.decisions[index] = decision
            } else {
                position[[decision.from, decision.to]] = self.decisions.count
                self.decisions.append(decision)
            }
        }
    }

    public var likeRate: Double {
        guard !decisions.isEmpty else { return 0 }
        return Double(decisions.count { $0.liked }) / Double(decisions.count)
    }

    /// How much `decider`'s taste agrees with the tastes of the people who decided on `receiver`,
    /// signed by what they decided: positive when people who judge as `decider` does liked `receiver`.
    /// In -1...1, shrunk towards 0 when little is known. `decider`'s own decision on `receiver`
    /// is never used, so the figure can be learned from without seeing the answer.
    public func tasteAgreement(decider: String, receiver: String) -> Double {
        guard let mine = given[decider], !mine.isEmpty, let judges = received[receiver] else { return 0 }
        var signed = 0.0
        var weight = 0.0
        for (judge, judgeLiked) in judges where judge != decider {
            guard let theirs = given[judge] else { continue }
            var common = 0
            var agreed = 0
            // Iterate the smaller of the two decision sets.
            let (small, large) = mine.count <= theirs.count ? (mine, theirs) : (theirs, mine)
            for (other, liked) in small where other != receiver {
                guard let otherLiked = large[other] else { continue }
                common += 1
                if liked == otherLiked { agreed += 1 }
            }
            guard common > 0 else { continue }
            let similarity = 2 * Double(agreed) / Double(common) - 1
            signed += similarity * (judgeLiked ? 1 : -1) * Double(common)
            weight += Double(common)
        }
        return signed / (weight + 5)
    }
}
