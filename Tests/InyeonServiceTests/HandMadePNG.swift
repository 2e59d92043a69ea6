import Foundation

/// PNG files written byte by byte (deflate "stored" blocks, no compression library), so a test can
/// make the hostile images it needs (huge, 16-bit, a strip) without keeping them as fixtures.
enum HandMadePNG {
    /// A PNG of `width`×`height` with `bitDepth` bits per sample of grey (`colorType` 0) or RGB (2),
    /// every pixel black. With `pixels` false, the image data is cut off after a few bytes: the header
    /// still tells the whole size, which is all a check made before decoding may look at.
    static func make(width: Int, height: Int, bitDepth: UInt8 = 8, colorType: UInt8 = 2, pixels: Bool = true) -> Data {
        let channels = colorType == 2 ? 3 : 1
        let rowLength = 1 + width * channels * Int(bitDepth) / 8
        let raw = pixels ? [UInt8](repeating: 0, count: rowLength * height) : [UInt8](repeating: 0, count: 16)
        var header: [UInt8] = []
        header += bigEndian(UInt32(width)) + bigEndian(UInt32(height))
        header += [bitDepth, colorType, 0, 0, 0]
        var png: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]
        png += chunk("IHDR", header)
        png += chunk("IDAT", zlibStored(raw))
        png += chunk("IEND", [])
        return Data(png)
    }

    static func bigEndian(_ value: UInt32) -> [UInt8] {
        [UInt8(value >> 24 & 0xFF), UInt8(value >> 16 & 0xFF), UInt8(value >> 8 & 0xFF), UInt8(value & 0xFF)]
    }

    static func chunk(_ type: String, _ data: [UInt8]) -> [UInt8] {
        let typed = Array(type.utf8) + data
        return bigEndian(UInt32(data.count)) + typed + bigEndian(crc32(typed))
    }

    /// A zlib stream of stored (uncompressed) deflate blocks.
    static func zlibStored(_ data: [UInt8]) -> [UInt8] {
        var out: [UInt8] = [0x78, 0x01]
        var index = 0
        repeat {
            let length = min(65_535, data.count - index)
            let last: UInt8 = index + length == data.count ? 1 : 0
            out += [last, UInt8(length & 0xFF), UInt8(length >> 8), UInt8(~length & 0xFF), UInt8((~length >> 8) & 0xFF)]
            out += data[index..<index + length]
            index += length
        } while index < data.count
        return out + bigEndian(adler32(data))
    }

    static func crc32(_ bytes: [UInt8]) -> UInt32 {
        var crc: UInt32 = 0xFFFF_FFFF
        for byte in bytes {
            crc ^= UInt32(byte)
            for _ in 0..<8 { crc = crc & 1 == 1 ? (crc >> 1) ^ 0xEDB8_8320 : crc >> 1 }
        }
        return ~crc
    }

    static func adler32(_ bytes: [UInt8]) -> UInt32 {
        var (a, b): (UInt32, UInt32) = (1, 0)
        for byte in bytes {
            a = (a + UInt32(byte)) % 65_521
            b = (b + a) % 65_521
        }
        return b << 16 | a
    }
}
