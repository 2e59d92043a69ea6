/// One question of the values assessment, in Korean with English alongside.
public struct AssessmentQuestion: Sendable, Codable, Equatable {
    public struct Option: Sendable, Codable, Equatable {
        public var id: String
        public var korean: String
        public var english: String
        /// How choosing this moves each dimension (personality or value), up or down.
        public var effects: [String: Int]
    }

    public var id: String
    public var topic: String
    public var korean: String
    public var english: String
    public var options: [Option]
}
