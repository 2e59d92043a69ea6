import CImageProcessing
import Foundation
import Synchronization

/// Accepts a photo by what its bytes are (JPEG, PNG or WebP; never by the name or the declared
/// type), checks what its header says before a single pixel is decoded (size, pixels, shape, 8 bits
/// per sample), and re-encodes it with libvips into the three sizes the service shows. Re-encoding
/// drops every piece of metadata, EXIF location above all, and turns the picture upright by its EXIF
/// orientation first. A truncated or damaged file is refused, not patched with grey rows.
struct PhotoProcessor: Sendable {
    static let maximumBytes = 10 * 1024 * 1024
    /// The largest size kept is 1600 px a side. A JPEG is shrunk while it is decoded (up to 8 times),
    /// so a 24-megapixel camera photo costs little; PNG and WebP are decoded whole, so their limit is lower.
    static let maximumPixelsJPEG = 24_000_000
    static let maximumPixelsOther = 12_000_000
    static let minimumSide = 200
    /// Longest side over shortest: a panorama of 4:1 is a photo, a 1×10000 strip is not.
    static let maximumAspectRatio = 4

    static func maximumPixels(for format: Format) -> Int {
        format == .jpeg ? maximumPixelsJPEG : maximumPixelsOther
    }

    enum Size: String, CaseIterable, Sendable {
        case thumbnail, card, full

        var longestSide: Int {
            switch self {
            case .thumbnail: 160
            case .card: 640
            case .full: 1600
            }
        }
    }

    enum Format: String, Sendable {
        case jpeg, png, webp
    }

    enum Rejection: Error, Equatable {
        case tooLarge
        case notAnImage
        case tooManyPixels(width: Int, height: Int, limit: Int)
        case tooSmall(width: Int, height: Int)
        case extremeAspectRatio(width: Int, height: Int)
        /// 16 bits per sample, floating point, or more than four channels.
        case unsupportedDepth
        case unreadable(String)
    }

    struct Rendered: Sendable {
        var format: Format
        var width: Int
        var height: Int
        var sizes: [Size: Data]
    }

    private static let started: Bool = inyeon_image_start() == 0

    /// The format the bytes start like, if it is one accepted.
    static func sniff(_ data: Data) -> Format? {
        let bytes = [UInt8](data.prefix(12))
        if bytes.starts(with: [0xFF, 0xD8, 0xFF]) { return .jpeg }
        if bytes.starts(with: [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]) { return .png }
        if bytes.count == 12, bytes[0..<4].elementsEqual("RIFF".utf8), bytes[8..<12].elementsEqual("WEBP".utf8) { return .webp }
        return nil
    }

    /// Checks the header, then decodes and re-encodes on the photo pool (never NIO's shared pool,
    /// which password hashing and file reads use).
    func render(_ data: Data, on pool: PhotoDecodePool) async throws -> Rendered {
        try await pool.run { try Self.renderNow(data) }
    }

    /// What the header says, or why the photo is refused before any pixel is decoded.
    static func check(_ data: Data) throws -> (Format, width: Int, height: Int) {
        guard data.count <= maximumBytes else { throw Rejection.tooLarge }
        guard let format = sniff(data) else { throw Rejection.notAnImage }
        guard started else { throw Rejection.unreadable("libvips did not start") }
        var header = inyeon_image_header()
        let probed = data.withUnsafeBytes { buffer in inyeon_image_probe(buffer.baseAddress, buffer.count, &header) }
        guard probed == 0 else { throw Rejection.unreadable(lastError()) }
        let loader = withUnsafeBytes(of: header.loader) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
        // The bytes must also be what libvips reads them as (a PNG header glued to something else is refused).
        // libvips names the loader class, e.g. "VipsForeignLoadJpegBuffer".
        guard loader.lowercased().contains("load" + format.rawValue) else { throw Rejection.notAnImage }
        let (width, height) = (Int(header.width), Int(header.height))
        let limit = maximumPixels(for: format)
        guard width * height <= limit else { throw Rejection.tooManyPixels(width: width, height: height, limit: limit) }
        // VIPS_FORMAT_UCHAR is 0: 8 bits per sample; grey, grey with alpha, RGB, RGBA or CMYK.
        guard header.band_format == 0, (1...4).contains(header.bands) else { throw Rejection.unsupportedDepth }
        guard max(width, height) <= min(width, height) * maximumAspectRatio else {
            throw Rejection.extremeAspectRatio(width: width, height: height)
        }
        guard min(width, height) >= minimumSide else { throw Rejection.tooSmall(width: width, height: height) }
        return (format, width, height)
    }

    static func renderNow(_ data: Data) throws -> Rendered {
        let (format, width, height) = try check(data)
        let sizes = Size.allCases.sorted { $0.longestSide > $1.longestSide }
        let sides = sizes.map { Int32($0.longestSide) }
        var outputs = [UnsafeMutableRawPointer?](repeating: nil, count: sizes.count)
        var lengths = [Int](repeating: 0, count: sizes.count)
        let failed = data.withUnsafeBytes { buffer in
            inyeon_image_render_jpegs(buffer.baseAddress, buffer.count, sides, Int32(sides.count), 82, &outputs, &lengths)
        }
        defer { for output in outputs { inyeon_image_free(output) } }
        guard failed == 0 else { throw Rejection.unreadable(lastError()) }
        var rendered: [Size: Data] = [:]
        for (index, size) in sizes.enumerated() {
            guard let output = outputs[index] else { throw Rejection.unreadable("libvips gave no \(size.rawValue) image") }
            rendered[size] = Data(bytes: output, count: lengths[index])
        }
        return Rendered(format: format, width: width, height: height, sizes: rendered)
    }

    static func lastError() -> String {
        var buffer = [CChar](repeating: 0, count: 512)
        inyeon_image_last_error(&buffer, buffer.count)
        return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}
