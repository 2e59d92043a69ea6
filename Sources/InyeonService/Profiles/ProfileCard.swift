import Foundation
import InyeonCore

/// What another person may see of someone: no e-mail, phone, birth date or coordinates, ever.
/// Age appears only as a bracket, and only when its owner shows it; likewise the district.
struct ProfileCard: Codable, Sendable, Equatable {
    /// Lower-case UUID.
    var id: String
    var name: String
    var ageRange: String?
    var gender: String
    var maritalStatus: String
    var hasChildren: Bool
    var city: String
    var district: String?
    var occupation: String
    var interests: [String]
    var bio: String
    var communicationStyle: String
    /// The optional facts its owner shares; absent otherwise.
    var religion: String?
    var smoking: String?
    var drinking: String?
    var livesWith: String?
}

/// A visible person: the card they show, and what the compatibility calculation reads.
struct VisiblePerson: Sendable, Codable {
    var card: ProfileCard
    var matching: MatchingProfile
}
