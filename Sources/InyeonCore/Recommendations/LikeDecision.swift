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
/// People are numbered as they first appear, so the inner work compares numbers, not id strings.
public struct DecisionGraph: Sendable {
    private var numbers: [String: Int32] = [:]
    /// person -> (receiver -> liked)
    private var given: [[Int32: Bool]] = []
    /// person -> (decider -> liked)
    private var received: [[Int32: Bool]] = []
    public private(set) var decisions: [LikeDecision] = []

    public init(_ decisions: some Sequence<LikeDecision>) {
        var position: [Int64: Int] = [:]
        for decision in decisions {
            let from = number(decision.from)
            let to = number(decision.to)
            given[Int(from)][to] = decision.liked
            received[Int(to)][from] = decision.liked
            // A later decision on the same person replaces the earlier one.
            let key = Int64(from) << 32 | Int64(to)
            if let index = position[key] {
                self.decisions[index] = decision
            } else {
                position[key] = self.decisions.count
                self.decisions.append(decision)
            }
        }
    }

    private mutating func number(_ id: String) -> Int32 {
        if let known = numbers[id] { return known }
        let new = Int32(given.count)
        numbers[id] = new
        given.append([:])
        received.append([:])
        return new
    }

    /// What `from` decided about `to`, if anything.
    public func decision(from: String, to: String) -> Bool? {
        guard let a = numbers[from], let b = numbers[to] else { return nil }
        return given[Int(a)][b]
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
        guard let me = numbers[decider], let target = numbers[receiver] else { return 0 }
        let mine = given[Int(me)]
        guard !mine.isEmpty else { return 0 }
        var signed = 0.0
        var weight = 0.0
        for (judge, judgeLiked) in received[Int(target)] where judge != me {
            let theirs = given[Int(judge)]
            var common = 0
            var agreed = 0
            // Iterate the smaller of the two decision sets.
            let (small, large) = mine.count <= theirs.count ? (mine, theirs) : (theirs, mine)
            for (other, liked) in small where other != target {
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
