import Foundation
import Hummingbird

/// The request context of every route: who is asking, as RLS will see them.
public struct AppRequestContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    /// Anonymous until an authenticator proves otherwise.
    public var identity: RequestIdentity

    public init(source: Source) {
        self.coreContext = .init(source: source)
        self.identity = .anonymous
    }

    /// Stable key order and unescaped slashes, so answers read and diff well.
    public var responseEncoder: JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }
}
