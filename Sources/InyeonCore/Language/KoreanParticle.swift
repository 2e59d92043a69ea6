/// Korean particles whose form depends on whether the preceding word ends in a consonant (받침):
/// 등산을 / 바둑을 but 요가를; 독서와 but 바둑과.
public enum KoreanParticle {
    case object  // 을/를
    case and  // 과/와
    case topic  // 은/는

    /// `word` followed by the right form of the particle.
    public func attached(to word: String) -> String {
        let final = Self.endsWithConsonant(word)
        let particle: String =
            switch self {
            case .object: final ? "을" : "를"
            case .and: final ? "과" : "와"
            case .topic: final ? "은" : "는"
            }
        return word + particle
    }

    /// True when the last Hangul syllable has a final consonant; false for anything else.
    static func endsWithConsonant(_ word: String) -> Bool {
        guard let last = word.unicodeScalars.last, (0xAC00...0xD7A3).contains(last.value) else { return false }
        return (last.value - 0xAC00) % 28 != 0
    }
}
