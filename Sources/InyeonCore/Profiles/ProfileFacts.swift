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
