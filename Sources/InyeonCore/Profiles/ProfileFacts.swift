/// The facts of a person's profile that the earlier system recorded, as closed sets of values.
/// Raw values are what the database stores and the API shows.

public enum Gender: String, Sendable, Codable, CaseIterable {
    case male, female
}

public enum SeekingGender: String, Sendable, Codable, CaseIterable {
    case male, female, any

    public func accepts(_ gender: Gender) -> Bool {
        switch self {
        case .any: true
        case .male: gender == .male
        case .female: gender == .female
        }
    }
}

public enum MaritalStatus: String, Sendable, Codable, CaseIterable {
    case single, divorced, widowed, separated
}

public enum ChildrenPreference: String, Sendable, Codable, CaseIterable {
    case noPreference = "no_preference"
    case hasChildren = "has_children"
    case noChildren = "no_children"
    case grownChildren = "grown_children"
}

public enum ChildAgeGroup: String, Sendable, Codable, CaseIterable {
    case infant, child, teen, youngAdult = "young_adult", adult
}

public enum Industry: String, Sendable, Codable, CaseIterable {
    case education, healthcare, finance, technology, manufacturing, publicService = "public_service"
    case retail, arts, construction, hospitality, selfEmployed = "self_employed", retired, other
}

public enum WorkSchedule: String, Sendable, Codable, CaseIterable {
    case regular, flexible, shift, partTime = "part_time", none
}

public enum LivingArrangement: String, Sendable, Codable, CaseIterable {
    case alone, withChildren = "with_children", withParents = "with_parents", other
}

/// Optional facts a person may answer and share (on the card, and so in the matching): nil when
/// unanswered or kept to herself.
public enum Religion: String, Sendable, Codable, CaseIterable {
    case none, buddhist, protestant, catholic, other
}

/// How often someone smokes or drinks, in three plain steps.
public enum Habit: String, Sendable, Codable, CaseIterable {
    case no, sometimes, yes, often

    /// 0, 1 or 2: never, now and then, regularly ("yes" for smoking, "often" for drinking).
    var ordinal: Int {
        switch self {
        case .no: 0
        case .sometimes: 1
        case .yes, .often: 2
        }
    }

    public static let smoking: [Habit] = [.no, .sometimes, .yes]
    public static let drinking: [Habit] = [.no, .sometimes, .often]
}

public enum ActivityLevel: String, Sendable, Codable, CaseIterable {
    case low, moderate, high

    var ordinal: Int {
        switch self {
        case .low: 0
        case .moderate: 1
        case .high: 2
        }
    }
}

public enum TravelFrequency: String, Sendable, Codable, CaseIterable {
    case rarely, yearly, quarterly, monthly

    var ordinal: Int {
        switch self {
        case .rarely: 0
        case .yearly: 1
        case .quarterly: 2
        case .monthly: 3
        }
    }
}

public enum CommunicationStyle: String, Sendable, Codable, CaseIterable {
    case direct, diplomatic, supportive, analytical
}
