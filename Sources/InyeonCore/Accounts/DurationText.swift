/// Durations as the earlier system wrote them (`15m`, `7d`, `3600s`, `12h`), in seconds.
public enum DurationText {
    public static let accepted = "a duration such as 900s, 15m, 12h or 7d"

    public static func seconds(_ text: String) -> Int? {
        guard let unit = text.last, let number = Int(text.dropLast()), number > 0 else { return Int(text).flatMap { $0 > 0 ? $0 : nil } }
        switch unit {
        case "s": return number
        case "m": return number * 60
        case "h": return number * 3600
        case "d": return number * 86400
        default: return nil
        }
    }
}
