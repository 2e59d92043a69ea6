/// A compatibility score between two people, each component 0-100, with the legacy API's field names.
public struct CompatibilityBreakdown: Sendable, Equatable, Codable {
    public var valuesAlignment: Int
    public var lifestyleMatch: Int
    public var maritalStatusCompatibility: Int
    public var childrenCompatibility: Int
    public var occupationCompatibility: Int
    public var ageCompatibility: Int
    public var locationCompatibility: Int
    public var personalityFit: Int
    public var sharedInterests: Int
    public var communicationStyle: Int
}

public struct CompatibilityResult: Sendable, Equatable {
    public var totalScore: Int
    public var breakdown: CompatibilityBreakdown
    /// How much this pairing could pleasantly surprise: close values, different pastimes.
    public var serendipityScore: Int
    public var sharedInterests: [String]
    public var distanceKm: Double
    /// One sentence in Korean naming what the two share most.
    public var matchReason: String
}

/// The total and its breakdown without the words: what ranking needs.
public struct CompatibilityScore: Sendable, Equatable {
    public var totalScore: Int
    public var breakdown: CompatibilityBreakdown
    public var distanceKm: Double
}

extension CompatibilityResult {
    public var score: CompatibilityScore {
        CompatibilityScore(totalScore: totalScore, breakdown: breakdown, distanceKm: distanceKm)
    }
}
