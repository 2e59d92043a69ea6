import Foundation
import NIOPosix

/// Where re-encoded photos live. The service only ever stores its own re-encodings under keys it
/// made (`<photo id>/<size>.jpg`); the local folder is the default, and an object store would
/// implement the same three calls.
protocol PhotoStorage: Sendable {
    func store(_ data: Data, key: String) async throws
    func load(key: String) async throws -> Data?
    func remove(keyPrefix: String) async throws
}

struct LocalFolderPhotoStorage: PhotoStorage {
    let directory: URL

    init(directory: String) {
        self.directory = URL(fileURLWithPath: directory, isDirectory: true)
    }

    func store(_ data: Data, key: String) async throws {
        let url = try path(for: key)
        try await NIOThreadPool.singleton.runIfActive {
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            // Written beside and renamed, so a reader never sees half a file.
            try data.write(to: url, options: .atomic)
        }
    }

    func load(key: String) async throws -> Data? {
        let url = try path(for: key)
        return try await NIOThreadPool.singleton.runIfActive { FileManager.default.contents(atPath: url.path) }
    }

    func remove(keyPrefix: String) async throws {
        let url = try path(for: keyPrefix)
        try await NIOThreadPool.singleton.runIfActive {
            if FileManager.default.fileExists(atPath: url.path) { try FileManager.default.removeItem(at: url) }
        }
    }

    /// Keys are made by the service from UUIDs and size names; anything else is refused.
    private func path(for key: String) throws -> URL {
        guard !key.isEmpty, key.allSatisfy({ $0.isLetter || $0.isNumber || "-/._".contains($0) }), !key.contains("..") else {
            throw CocoaError(.fileWriteInvalidFileName)
        }
        return directory.appendingPathComponent(key)
    }
}
