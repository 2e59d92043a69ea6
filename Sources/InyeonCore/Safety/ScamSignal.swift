/// A kind of romance-scam warning sign found in a chat message.
public enum ScamSignal: String, Sendable, Codable, CaseIterable {
    /// Asking for money, a loan, a transfer, an account number, or fees to release a parcel or inheritance.
    case moneyRequest
    /// Asking for gift cards, vouchers or their PIN codes.
    case giftCard
    /// Pitching an investment, crypto or a trading platform.
    case investment
    /// Pressing to move the conversation to another messenger.
    case offPlatform
    /// Sharing or asking for a phone number, e-mail, address, bank account or ID number.
    case contactDetails
    /// A sad emergency story used to ask for help.
    case emergency
    /// No single telltale phrase, but the message with the sender's earlier ones reads like a scam's
    /// ask (the scam-risk model's judgement).
    case scamPattern

    /// A short name in plain Korean.
    public var koreanName: String {
        switch self {
        case .moneyRequest: "송금 요청"
        case .giftCard: "상품권 요청"
        case .investment: "투자 권유"
        case .offPlatform: "다른 메신저 권유"
        case .contactDetails: "개인 연락처"
        case .emergency: "급한 사정 호소"
        case .scamPattern: "사기에서 흔한 흐름"
        }
    }

    /// A short name in plain English.
    public var englishName: String {
        switch self {
        case .moneyRequest: "request for money"
        case .giftCard: "request for gift cards"
        case .investment: "investment pitch"
        case .offPlatform: "move to another app"
        case .contactDetails: "personal contact details"
        case .emergency: "emergency story"
        case .scamPattern: "a pattern common in scams"
        }
    }
}
