import Foundation
/// The one place the client's address is decided, for every per-address limit and log line.
///
/// The socket's peer, unless the peer is a trusted proxy: then `X-Forwarded-For` is read from the
/// right (each proxy appends the address it was reached from), skipping the trusted proxies, and the
/// first address that is not one is the client. Entries further left were written by the client
/// itself and are never believed, so a client can neither hide behind nor aim at someone else's address.
public enum ClientAddress {
    /// `peer` is the socket's remote address (nil: no socket, as in an in-process test);
    /// `forwardedFor` every `X-Forwarded-For` line, in order; `proxies` nil when `TRUST_PROXY` is off.
    public static func resolve(peer: String?, forwardedFor: [String], proxies: TrustedProxies?) -> String {
        guard let peer else { return "unknown" }
        guard let proxies, proxies.contains(peer) else { return peer }
        var client = peer
        let hops = forwardedFor.flatMap { $0.split(separator: ",") }.map { $0.trimmingCharacters(in: .whitespaces) }
        for hop in hops.reversed() {
            // Something that is not an address ends the walk: the last proxy that handed it on is all we know.
            guard let address = normalized(hop) else { return client }
            client = address
            if !proxies.contains(address) { return address }
        }
        return client
    }

    /// The bare address of an `X-Forwarded-For` entry (some proxies add a port: `1.2.3.4:5678`, `[::1]:80`).
    static func normalized(_ entry: String) -> String? {
        var text = Substring(entry)
        if text.hasPrefix("["), let end = text.firstIndex(of: "]") {
            text = text[text.index(after: text.startIndex)..<end]
        } else if text.filter({ $0 == ":" }).count == 1, let colon = text.firstIndex(of: ":") {
            text = text[..<colon]
        }
        let address = String(text)
        return TrustedProxies.bytes(of: address) == nil ? nil : address
    }
}
