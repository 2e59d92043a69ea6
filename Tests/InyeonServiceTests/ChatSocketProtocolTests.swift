import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

/// The chat socket speaks RFC 6455 strictly toward clients (assessment issue 15: it accepted
/// unmasked client frames, which section 5.1 says a server must answer by closing with 1002).
@Suite struct ChatSocketProtocolTests {
    struct Frame {
        var opcode: UInt8
        var payload: [UInt8]
        var text: String { String(decoding: payload, as: UTF8.self) }
        var closeCode: Int? { opcode == 0x8 && payload.count >= 2 ? Int(payload[0]) << 8 | Int(payload[1]) : nil }
    }

    /// The server's frames after the 101 head (server frames are never masked).
    static func frames(in bytes: [UInt8]) -> [Frame] {
        guard let headEnd = bytes.indices.dropLast(3).first(where: { bytes[$0..<$0 + 4].elementsEqual([13, 10, 13, 10]) }) else { return [] }
        var frames: [Frame] = []
        var at = headEnd + 4
        while at + 2 <= bytes.count {
            var length = Int(bytes[at + 1] & 0x7F)
            var start = at + 2
            if length == 126, start + 2 <= bytes.count {
                length = Int(bytes[start]) << 8 | Int(bytes[start + 1])
                start += 2
            } else if length == 127, start + 8 <= bytes.count {
                length = bytes[start..<start + 8].reduce(0) { $0 << 8 | Int($1) }
                start += 8
            }
            guard start + length <= bytes.count else { break }
            frames.append(Frame(opcode: bytes[at] & 0x0F, payload: Array(bytes[start..<start + length])))
            at = start + length
        }
        return frames
    }

    /// A final text frame; masked as a client must, or not.
    static func textFrame(_ text: String, masked: Bool) -> [UInt8] {
        let payload = Array(text.utf8)
        guard masked else { return [0x81, UInt8(payload.count)] + payload }
        let key: [UInt8] = [0x37, 0xFA, 0x21, 0x3D]
        return [0x81, 0x80 | UInt8(payload.count)] + key + payload.enumerated().map { $0.element ^ key[$0.offset % 4] }
    }

    @Test func anUnmaskedClientFrameClosesTheSocketWithProtocolError() async throws {
        try await withLiveAccounts { accounts, port in
            let pair = try await ChatPair.make(accounts)
            let ticket = try await accounts.ticket(for: pair.first)
            try await RawTCPConnection.with(port: port) { connection in
                try await connection.send(
                    "GET /api/conversations/\(pair.conversation)/socket?ticket=\(ticket) HTTP/1.1\r\nHost: localhost\r\n"
                        + "Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n"
                )
                #expect(try await connection.waitFor(#""type":"ready""#), "\(connection.text)")
                #expect(connection.text.hasPrefix("HTTP/1.1 101"))

                // A masked frame is answered as usual.
                try await connection.send(Self.textFrame(#"{"type":"ping"}"#, masked: true))
                #expect(try await connection.waitFor(#""type":"pong""#))
                let pongs = Self.frames(in: connection.bytes).filter { $0.text.contains("pong") }.count

                try await connection.send(Self.textFrame(#"{"type":"ping"}"#, masked: false))
                #expect(try await connection.closedByServer(within: .seconds(10)), "the server closes the connection")
                let frames = Self.frames(in: connection.bytes)
                #expect(frames.last?.closeCode == 1002, "close frame with 1002: \(frames.map { ($0.opcode, $0.text) })")
                #expect(frames.filter { $0.text.contains("pong") }.count == pongs, "the unmasked frame was not acted on")
            }
        }
    }
}
