import CImageProcessing
import Foundation
import NIOPosix
import Synchronization

/// Accepts a photo by what its bytes are (JPEG, PNG or WebP; never by the name or the declared
/// type), checks its size and pixel limits, and re-encodes it with libvips into the three sizes the
/// service shows. Re-encoding drops every piece of metadata, EXIF location above all, and turns the
/// picture upright by its EXIF orientation first.
struct PhotoProcessor: Sendable {
    static let maximumBytes = 10 * 1024 * 1024
    static let maximumPixels = 40_000_000
    static let minimumSide = 200

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
        case tooManyPixels(width: Int, height: Int)
        case tooSmall(width: Int, height: Int)
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

    /// Runs on NIO's blocking thread pool: decoding a large photo takes tens of milliseconds.
    func render(_ data: Data) async throws -> Rendered {
        try await NIOThreadPool.singleton.runIfActive { try Self.renderNow(data) }
    }

    static func renderNow(_ data: Data) throws -> Rendered {
        guard data.count <= maximumBytes else { throw Rejection.tooLarge }
        guard let format = sniff(data) else { throw Rejection.notAnImage }
        guard started else { throw Rejection.unreadable("libvips did not start") }
        var width: Int32 = 0
        var height: Int32 = 0
        var loaderName = [CChar](repeating: 0, count: 64)
        let probed = data.withUnsafeBytes { buffer in
            inyeon_image_probe(buffer.baseAddress, buffer.count, &width, &height, &loaderName, loaderName.count)
        }
        guard probed == 0 else { throw Rejection.unreadable(lastError()) }
        let loader = String(decoding: loaderName.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        // The bytes must also be what libvips reads them as (a PNG header glued to something else is refused).
        // libvips names the loader class, e.g. "VipsForeignLoadJpegBuffer".
        guard loader.lowercased().contains("load" + format.rawValue) else { throw Rejection.notAnImage }
        guard Int(width) * Int(height) <= maximumPixels else { throw Rejection.tooManyPixels(width: Int(width), height: Int(height)) }
        guard min(width, height) >= minimumSide else { throw Rejection.tooSmall(width: Int(width), height: Int(height)) }
        var sizes: [Size: Data] = [:]
        for size in Size.allCases {
            var output: UnsafeMutableRawPointer?
            var length = 0
            let failed = data.withUnsafeBytes { buffer in
                inyeon_image_render_jpeg(buffer.baseAddress, buffer.count, Int32(size.longestSide), 82, &output, &length)
            }
            guard failed == 0, let output else { throw Rejection.unreadable(lastError()) }
            sizes[size] = Data(bytes: output, count: length)
            inyeon_image_free(output)
        }
        return Rendered(format: format, width: Int(width), height: Int(height), sizes: sizes)
    }

    static func lastError() -> String {
        var buffer = [CChar](repeating: 0, count: 512)
        inyeon_image_last_error(&buffer, buffer.count)
        return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}
