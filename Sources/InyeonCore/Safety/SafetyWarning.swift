/// A calm safety note shown to the person who receives a message with scam signals.
public enum SafetyWarning {
    /// Two or three short sentences: what the message contains, then what to do; Korean in 해요체.
    public static func text(for signals: [ScamSignal], korean: Bool) -> String {
        let opening = strongest(of: signals).map { korean ? koreanOpening($0) : englishOpening($0) }
        let advice = korean ? koreanAdvice : englishAdvice
        return ([opening].compactMap { $0 } + advice).joined(separator: " ")
    }

    /// Signals from most to least harmful; the first one present sets the opening sentence.
    static let severityOrder: [ScamSignal] = [
        .moneyRequest, .giftCard, .emergency, .investment, .offPlatform, .scamPattern, .contactDetails,
    ]

    static func strongest(of signals: [ScamSignal]) -> ScamSignal? {
        severityOrder.first { signals.contains($0) }
    }

    private static func koreanOpening(_ signal: ScamSignal) -> String {
        switch signal {
        case .moneyRequest: "이 메시지에는 돈이나 송금을 부탁하는 내용이 있어요."
        case .giftCard: "이 메시지에는 상품권이나 기프트카드, 핀번호를 부탁하는 내용이 있어요."
        case .emergency: "이 메시지에는 급한 사정을 이야기하며 도움을 구하는 내용이 있어요."
        case .investment: "이 메시지에는 투자나 코인을 권하는 내용이 있어요."
        case .offPlatform: "이 메시지에는 다른 메신저로 옮겨서 이야기하자는 내용이 있어요."
        case .contactDetails: "이 메시지에는 전화번호나 개인 정보에 관한 내용이 있어요."
        case .scamPattern: "이 메시지는 앞서 보낸 메시지들과 함께 보면 사기에서 흔히 보이는 흐름과 비슷해요."
        }
    }

    private static func englishOpening(_ signal: ScamSignal) -> String {
        switch signal {
        case .moneyRequest: "This message asks for money or a transfer."
        case .giftCard: "This message asks for gift cards or their codes."
        case .emergency: "This message describes an emergency and asks for help."
        case .investment: "This message suggests an investment or cryptocurrency."
        case .offPlatform: "This message suggests moving the conversation to another app."
        case .contactDetails: "This message shares or asks for personal contact details."
        case .scamPattern: "Together with the earlier messages, this message follows a pattern common in scams."
        }
    }

    private static let koreanAdvice = [
        "만나 보지 않은 분께는 돈, 상품권, 코드를 절대 보내지 마시고, 공공장소에서 직접 만나기 전까지는 인연 안에서 대화해 주세요.",
        "불편하시면 이 대화 아래 '안전하게 대화하기'에서 신고하거나 차단할 수 있고, 인연 직원은 절대 돈을 요구하지 않아요.",
    ]

    private static let englishAdvice = [
        "Never send money, gift cards or codes to someone you have not met, and keep talking in Inyeon until you have met in a public place.",
        "You can report or block under 'Talking safely' below this conversation, and Inyeon staff will never ask you for money.",
    ]
}
