import Algorithms

/// One person's answer to another's card: the raw material the recommendation engine learns from.
public struct LikeDecision: Sendable, Hashable, Codable {
    public var from: String
    public var to: String
    public var liked: Bool
    /// How much this decision teaches the reciprocal model: 1 for a like or a pass; more for what a
    /// person said after meeting (`weMet`), which is stronger evidence than a tap on a card.
    public var weight: Double

    public init(from: String, to: String, liked: Bool, weight: Double = 1) {
        self.from = from
        self.to = to
        self.liked = liked
        self.weight = weight
    }

    /// The weight of an answer given after meeting.
    public static let afterMeetingWeight = 3.0

    /// A like (or super-like) made better informed by its person's answer after they met: wanting to
    /// meet again confirms it, with `afterMeetingWeight`; not wanting to turns it into a no, with the
    /// same weight; not having met, or being unsure, leaves it an ordinary like.
    public static func like(from: String, to: String, wantAgainAfterMeeting answer: String?) -> LikeDecision {
        switch answer {
        case "yes": LikeDecision(from: from, to: to, liked: true, weight: afterMeetingWeight)
        case "no": LikeDecision(from: from, to: to, liked: false, weight: afterMeetingWeight)
        default: LikeDecision(from: from, to: to, liked: true)
        }
    }

    private enum CodingKeys: String, CodingKey { case from, to, liked, weight }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        from = try container.decode(String.self, forKey: .from)
        to = try container.decode(String.self, forKey: .to)
        liked = try container.decode(Bool.self, forKey: .liked)
        weight = try container.decodeIfPresent(Double.self, forKey: .weight) ?? 1
    }
}

/// Everyone's decisions indexed both ways: what each person decided, and what each person received.
/// People are numbered as they first appear, and each person's decisions are kept sorted by the
/// other person's number, so the inner work merges short sorted runs of numbers: no hashing.
public struct DecisionGraph: Sendable {
    /// One decision seen from one side: the other person, and whether it was a like.
    struct Edge: Sendable {
        var other: Int32
        var liked: Bool
    }

    private let numbers: [String: Int32]
    /// person -> the decisions they made, by receiver
    private let given: [[Edge]]
    /// person -> the decisions made about them, by decider
    private let received: [[Edge]]
    public let decisions: [LikeDecision]

    public init(_ decisions: some Sequence<LikeDecision>) {
        var numbers: [String: Int32] = [:]
        func number(_ id: String) -> Int32 {
            if let known = numbers[id] { return known }
            let new = Int32(numbers.count)
            numbers[id] = new
            return new
        }
        var position: [Int64: Int] = [:]
        var kept: [LikeDecision] = []
        var pairs: [(from: Int32, to: Int32)] = []
        for decision in decisions {
            let from = number(decision.from)
            let to = number(decision.to)
            // A later decision on the same person replaces the earlier one.
            let key = Int64(from) << 32 | Int64(to)
            if let index = position[key] {
                kept[index] = decision
            } else {
                position[key] = kept.count
                kept.append(decision)
                pairs.append((from, to))
            }
        }
        var given = [[Edge]](repeating: [], count: numbers.count)
        var received = [[Edge]](repeating: [], count: numbers.count)
        for (decision, pair) in zip(kept, pairs) {
            given[Int(pair.from)].append(Edge(other: pair.to, liked: decision.liked))
            received[Int(pair.to)].append(Edge(other: pair.from, liked: decision.liked))
        }
        for person in given.indices {
            given[person].sort { $0.other < $1.other }
            received[person].sort { $0.other < $1.other }
        }
        self.numbers = numbers
        self.given = given
        self.received = received
        self.decisions = kept
    }

    /// What `from` decided about `to`, if anything.
    public func decision(from: String, to: String) -> Bool? {
        guard let a = numbers[from], let b = numbers[to] else { return nil }
        let edges = given[Int(a)]
        let index = edges.partitioningIndex { $0.other >= b }
        return index < edges.count && edges[index].other == b ? edges[index].liked : nil
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
        for judge in received[Int(target)] where judge.other != me {
            let (common, agreed) = Self.agreement(mine, given[Int(judge.other)], ignoring: target)
            guard common > 0 else { continue }
            let similarity = 2 * Double(agreed) / Double(common) - 1
            signed += similarity * (judge.liked ? 1 : -1) * Double(common)
            weight += Double(common)
        }
        return signed / (weight + 5)
    }

    /// How many people both runs decided on (other than `ignored`), and on how many they agreed.
    private static func agreement(_ a: [Edge], _ b: [Edge], ignoring ignored: Int32) -> (common: Int, agreed: Int) {
        let (small, large) = a.count <= b.count ? (a, b) : (b, a)
        var common = 0, agreed = 0
        func count(_ x: Edge, _ y: Edge) {
            guard x.other != ignored else { return }
            common += 1
            if x.liked == y.liked { agreed += 1 }
        }
        if large.count > 16 * small.count {
            // Much longer: look each of the few up by halving.
            var start = 0
            for edge in small {
                start = large[start...].partitioningIndex { $0.other >= edge.other }
                guard start < large.count else { break }
                if large[start].other == edge.other { count(edge, large[start]) }
            }
        } else {
            var i = 0, j = 0
            while i < small.count && j < large.count {
                if small[i].other == large[j].other {
                    count(small[i], large[j])
                    i += 1
                    j += 1
                } else if small[i].other < large[j].other {
                    i += 1
                } else {
                    j += 1
                }
            }
        }
        return (common, agreed)
    }
}
