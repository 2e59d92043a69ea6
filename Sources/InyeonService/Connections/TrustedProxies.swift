import Foundation
import NIOCore

/// The reverse proxies whose `X-Forwarded-For` entries are believed (`TRUSTED_PROXIES`): single
/// addresses or CIDR ranges, IPv4 or IPv6. An IPv4 address written as IPv6 (`::ffff:10.0.0.1`)
/// matches its IPv4 range.
public struct TrustedProxies: Sendable, Equatable {
    struct Range: Sendable, Equatable {
        var bytes: [UInt8]
        var prefixLength: Int

        func contains(_ address: [UInt8]) -> Bool {
            guard address.count == bytes.count else { return false }
            var remaining = prefixLength
            for (candidate, network) in zip(address, bytes) where remaining > 0 {
                let bits = min(remaining, 8)
                let mask = UInt8(truncatingIfNeeded: 0xFF << (8 - bits))
                if candidate & mask != network & mask { return false }
                remaining -= bits
            }
            return true
        }
    }

    static let accepted = "a comma-separated list of addresses or CIDR ranges, such as 127.0.0.1/8, ::1, 10.0.0.0/8"

    /// Proxies on the same machine: the usual nginx or Caddy in front of one instance.
    public static let loopback = TrustedProxies(parsing: "127.0.0.0/8, ::1")!

    var ranges: [Range]

    /// Nil when an entry is not an address or range.
    public init?(parsing text: String) {
        var ranges: [Range] = []
        for entry in text.split(separator: ",") {
            let parts = entry.trimmingCharacters(in: .whitespaces).split(separator: "/", omittingEmptySubsequences: false)
            guard (1...2).contains(parts.count), let bytes = Self.bytes(of: String(parts[0])) else { return nil }
            let prefixLength = parts.count == 2 ? Int(parts[1]) : bytes.count * 8
            guard let prefixLength, (0...bytes.count * 8).contains(prefixLength) else { return nil }
            ranges.append(Range(bytes: bytes, prefixLength: prefixLength))
        }
        guard !ranges.isEmpty else { return nil }
        self.ranges = ranges
    }

    /// Whether `address` (as `SocketAddress.ipAddress` or `X-Forwarded-For` write it) is one of the proxies.
    public func contains(_ address: String) -> Bool {
        guard let bytes = Self.bytes(of: address) else { return false }
        return ranges.contains { $0.contains(bytes) }
    }

    /// The address's bytes: 4 for IPv4 (also when written as IPv4-mapped IPv6), 16 for IPv6.
    static func bytes(of text: String) -> [UInt8]? {
        guard let address = try? SocketAddress(ipAddress: text, port: 0) else { return nil }
        switch address {
        case .v4(let v4):
            return withUnsafeBytes(of: v4.address.sin_addr) { Array($0) }
        case .v6(let v6):
            let bytes = withUnsafeBytes(of: v6.address.sin6_addr) { Array($0) }
            if bytes[0..<10].allSatisfy({ $0 == 0 }) && bytes[10] == 0xFF && bytes[11] == 0xFF { return Array(bytes[12...]) }
            return bytes
        case .unixDomainSocket:
            return nil
        }
    }
}
