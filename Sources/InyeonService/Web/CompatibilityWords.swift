import InyeonCore

/// A compatibility breakdown in words a person understands, strongest first.
enum CompatibilityWords {
    static func lines(_ breakdown: CompatibilityBreakdown, text: WebText) -> [[String: String]] {
        let components: [(String, Int)] = [
            ("values", breakdown.valuesAlignment), ("personality", breakdown.personalityFit), ("lifestyle", breakdown.lifestyleMatch),
            ("interests", breakdown.sharedInterests), ("communication", breakdown.communicationStyle), ("age", breakdown.ageCompatibility),
            ("location", breakdown.locationCompatibility), ("marital", breakdown.maritalStatusCompatibility),
            ("children", breakdown.childrenCompatibility), ("occupation", breakdown.occupationCompatibility),
        ]
        return components.sorted { $0.1 > $1.1 }.map { name, score in
            ["name": text["component_\(name)"], "words": text[level(score)], "score": String(score)]
        }
    }

    static func level(_ score: Int) -> String {
        switch score {
        case 80...: "fit_great"
        case 60..<80: "fit_good"
        case 40..<60: "fit_fair"
        default: "fit_different"
        }
    }
}
