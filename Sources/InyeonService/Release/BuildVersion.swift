import Foundation

/// Which build this is: what `inyeon --version`, `/api/health` and the readiness check report.
///
/// A release bundle (`make release`) carries a `VERSION` file beside its executable, written when it
/// was built (the package's version, the commit and the build's date); any other build is the
/// package's version marked as a development build. The file is found from the executable's own
/// path, so a bundle can be moved anywhere and still knows what it is.
public enum BuildVersion {
    /// The package's version, which a release stamps with its commit and date.
    public static let package = "0.1.0"

    public static let current: String = read(besideExecutable: executableURL()) ?? package + "+development"

    /// The first line of `VERSION` beside the executable, if there is a sensible one.
    static func read(besideExecutable executable: URL?) -> String? {
        guard let folder = executable?.deletingLastPathComponent(),
            let text = try? String(contentsOf: folder.appendingPathComponent("VERSION"), encoding: .utf8),
            let line = text.split(whereSeparator: \.isNewline).first.map({ $0.trimmingCharacters(in: .whitespaces) }),
            (1...100).contains(line.count),
            line.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || "+-._".contains($0)) })
        else { return nil }
        return line
    }

    private static func executableURL() -> URL? {
        #if os(Linux)
        if let path = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe") {
            return URL(fileURLWithPath: path)
        }
        #endif
        return Bundle.main.executableURL?.resolvingSymlinksInPath()
    }
}
