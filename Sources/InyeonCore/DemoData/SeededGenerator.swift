import Foundation

/// SplitMix64: a small, fast, fully deterministic random number generator, so the same seed
/// always yields the same demo people on every machine.
public struct SeededGenerator: RandomNumberGenerator, Sendable {
    private var state: UInt64

    public init(seed: UInt64) {
        self.state = seed
    }

    public mutating func next() -> UInt64 {
        state &+= 0x9e37_79b9_7f4a_7c15
        var z = state
        z = (z ^ (z >> 30)) &* 0xbf58_476d_1ce4_e5b9
        z = (z ^ (z >> 27)) &* 0x94d0_49bb_1331_11eb
        return z ^ (z >> 31)
    }

    /// A version-4-shaped UUID string from the generator's bits.
    public mutating func uuidString() -> String {
        let high = next()
        let low = next()
        let hex = String(format: "%016llx%016llx", high, low)
        let chars = Array(hex)
        var result = ""
        for (index, char) in chars.enumerated() {
            if [8, 12, 16, 20].contains(index) { result.append("-") }
            if index == 12 {
                result.append("4")
            } else if index == 16 {
                result.append(["8", "9", "a", "b"][Int(String(char), radix: 16)! % 4])
            } else {
                result.append(char)
            }
        }
        return result
    }
}
