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

extension CompatibilityBreakdown {
    /// The breakdown as it is shown: the components that read what a person may keep to themselves
    /// (age, place) in steps of 25, so a shown figure says "close" or "far", never how close.
    public var shown: CompatibilityBreakdown {
        var shown = self
        shown.ageCompatibility = Self.coarse(ageCompatibility)
        shown.locationCompatibility = Self.coarse(locationCompatibility)
        return shown
    }

    static func coarse(_ score: Int) -> Int {
        min(100, max(0, Int((Double(score) / 25).rounded()) * 25))
    }
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
