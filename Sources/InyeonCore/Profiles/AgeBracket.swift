/// The age shown to other people: a bracket, never the birth year itself.
public enum AgeBracket: String, Sendable, Codable, CaseIterable {
    case from40to45 = "40-45"
    case from46to50 = "46-50"
    case from51to55 = "51-55"
    case from56to60 = "56-60"
    case over60 = "60+"
    /// Younger than the service's audience; stored people are 40+, but a bracket must always exist.
    case under40 = "40 미만"

    public init(age: Int) {
        switch age {
        case ..<40: self = .under40
        case 40...45: self = .from40to45
        case 46...50: self = .from46to50
        case 51...55: self = .from51to55
        case 56...60: self = .from56to60
        default: self = .over60
        }
    }

    public init(birthYear: Int, currentYear: Int) {
        self.init(age: Self.age(birthYear: birthYear, currentYear: currentYear))
    }

    /// The age other people's filters and scores read for someone in this bracket: its middle, the
    /// same for everyone in it, so no answer can reveal more than the bracket itself.
    public var representativeAge: Int {
        switch self {
        case .under40: 38
        case .from40to45: 43
        case .from46to50: 48
        case .from51to55: 53
        case .from56to60: 58
        case .over60: 63
        }
    }

    /// The age read for someone who hides theirs: one age for everyone (the middle of the audience),
    /// so nothing about theirs can be learned by probing with one's own preferences.
    public static let undisclosedRepresentativeAge = 50

    /// Age in years as counted internationally (this year's birthday assumed to have passed).
    public static func age(birthYear: Int, currentYear: Int) -> Int {
        currentYear - birthYear
    }
}
