import Foundation
import InyeonCore
import Testing

@Suite struct ScamSignalDetectorTests {
    let detector = ScamSignalDetector()

    // MARK: Each signal, two Korean and two English messages at least

    @Test(arguments: [
        "돈 좀 보내줄 수 있어요? 다음 달에 꼭 갚을게요.",
        "택배를 받으시려면 관세 80만원을 먼저 입금하셔야 해요.",
        "이 계좌로 200만원만 송금해 주세요. 정말 급해요.",
        "Could you send me $500? I will pay you back next week.",
        "Please wire the money through Western Union today.",
        "You need to pay the customs fee before they release the parcel.",
    ])
    func detectsMoneyRequests(text: String) {
        #expect(detector.signals(in: text).contains(.moneyRequest), "\(text)")
    }

    @Test(arguments: [
        "구글 기프트카드 사서 핀번호 보내 주세요.",
        "문화상품권 5만원권 열 장만 사 줄 수 있어요?",
        "Can you buy iTunes cards and send me pictures of the codes?",
        "Scratch the back of the card and send me the code.",
    ])
    func detectsGiftCards(text: String) {
        #expect(detector.signals(in: text).contains(.giftCard), "\(text)")
    }

    @Test(arguments: [
        "비트코인 리딩방에 초대해 드릴게요. 수익 보장돼요.",
        "제가 하는 코인 거래소 앱 깔고 소액으로 시작해 보세요. 한 달 만에 두 배예요.",
        "This crypto platform has guaranteed returns of 20% a week.",
        "My uncle is a trader and gives me insider tips, you should invest with me.",
    ])
    func detectsInvestmentPitches(text: String) {
        #expect(detector.signals(in: text).contains(.investment), "\(text)")
    }

    @Test(arguments: [
        "카톡 아이디 알려 드릴게요, 추가해 주세요.",
        "여기 말고 텔레그램으로 대화해요.",
        "Let's move to WhatsApp, it's easier to talk there.",
        "Add me on Telegram, my username is mark_w.",
    ])
    func detectsMovesOffThePlatform(text: String) {
        #expect(detector.signals(in: text).contains(.offPlatform), "\(text)")
    }

    @Test(arguments: [
        "제 번호는 010-1234-5678이에요.",
        "휴대폰 번호 좀 알려 주세요.",
        "Call me on +82 10 9876 5432 tonight.",
        "My email is sunny.park@example.com, write to me there.",
        "What's your home address? I want to send you flowers.",
    ])
    func detectsContactDetails(text: String) {
        #expect(detector.signals(in: text).contains(.contactDetails), "\(text)")
    }

    @Test(arguments: [
        "아들이 사고로 입원했는데 수술비가 모자라요. 도와주실 수 있나요?",
        "해외에 있어서 계좌가 동결됐어요. 당신밖에 믿을 사람이 없어요.",
        "I'm a soldier deployed in Syria and I can't access my money. Please help me.",
        "I'm stranded at the airport after I was robbed, could you help me with a ticket home?",
    ])
    func detectsEmergencies(text: String) {
        #expect(detector.signals(in: text).contains(.emergency), "\(text)")
    }

    // MARK: Ordinary conversation stays quiet

    @Test(arguments: [
        "퇴직 후 연금으로 생활해요.",
        "손주 선물로 상품권을 샀어요.",
        "카톡으로 손주 사진 받았어요.",
        "점심값은 제가 낼게요.",
        "병원에 정기검진 다녀왔어요.",
        "번호는 만나고 나서 드릴게요.",
        "코인노래방에서 노래 불렀어요.",
        "온라인으로 주문하면 편해요.",
        "I keep my pension in a boring bond fund.",
        "My grandson sent me photos on WhatsApp yesterday.",
        "I'll pay for the coffee this time.",
        "I'll give you my number once we've met.",
        "My knee surgery went well, thank you.",
    ])
    func benignMessagesRaiseNothing(text: String) {
        #expect(detector.signals(in: text) == [], "\(text)")
    }

    // MARK: The development set

    @Test func developmentSetScoresHighPrecisionAndRecall() {
        let examples = ScamDevelopmentExamples.all
        let score = DetectionScore(examples: examples) { !detector.signals(in: $0).isEmpty }
        print("scam check, development set: \(score)")
        for example in examples where detector.signals(in: example.text).isEmpty == example.isScam {
            print("scam check, missed (\(example.isScam ? "scam" : "benign")): \(example.text)")
        }
        #expect(score.precision >= 0.9)
        #expect(score.recall >= 0.9)
    }

    @Test func developmentSetIsBalanced() {
        let examples = ScamDevelopmentExamples.all
        let korean = examples.filter { $0.text.unicodeScalars.contains { (0xAC00...0xD7A3).contains($0.value) } }
        let scams = examples.filter(\.isScam)
        #expect(examples.count >= 70)
        #expect((0.5...0.7).contains(Double(korean.count) / Double(examples.count)))
        #expect((0.4...0.6).contains(Double(scams.count) / Double(examples.count)))
    }

    // MARK: Normalisation

    @Test(arguments: ["돈 좀 보내줘", "돈좀보내줘", "돈 좀 보내 줘", "돈  좀\n보내  줘", "돈좀 보내 줘요"])
    func koreanSpacingDoesNotMatter(text: String) {
        #expect(detector.signals(in: text) == [.moneyRequest], "\(text)")
    }

    @Test(arguments: ["카톡 아이디 알려 주세요", "카톡아이디알려주세요", "카 톡 아이디 알려 주세요"])
    func messengerSpacingDoesNotMatter(text: String) {
        #expect(detector.signals(in: text).contains(.offPlatform), "\(text)")
    }

    @Test func fullWidthAndCapitalLettersAreFolded() {
        #expect(detector.signals(in: "ＡＤＤ ＭＥ ＯＮ ＷＨＡＴＳＡＰＰ").contains(.offPlatform))
        #expect(detector.signals(in: "ADD ME ON TELEGRAM").contains(.offPlatform))
        #expect(detector.signals(in: "제 번호는 ０１０－１２３４－５６７８").contains(.contactDetails))
    }

    @Test func curlyApostrophesAndInvisibleCharactersAreFolded() {
        #expect(detector.signals(in: "What’s your email address?").contains(.contactDetails))
        #expect(detector.signals(in: "텔레\u{200B}그램으로 얘기해요").contains(.offPlatform))
    }

    @Test func decomposedHangulIsComposed() {
        let decomposed = "돈 좀 보내 줘".decomposedStringWithCanonicalMapping
        #expect(decomposed.unicodeScalars.count > "돈 좀 보내 줘".unicodeScalars.count)
        #expect(detector.signals(in: decomposed) == [.moneyRequest])
    }

    // MARK: Results

    @Test func signalsComeInDeclarationOrderWithoutDuplicates() {
        let text = "Add me on WhatsApp, my number is 010-5555-1234. I need $900 urgently, please send it to me."
        let signals = detector.signals(in: text)
        #expect(signals == ScamSignal.allCases.filter { signals.contains($0) })
        #expect(Set(signals).count == signals.count)
        #expect(signals.contains(.moneyRequest) && signals.contains(.offPlatform) && signals.contains(.contactDetails))
    }

    @Test func emptyAndOddInputIsBenign() {
        #expect(detector.signals(in: "") == [])
        #expect(detector.signals(in: "   \n\t ") == [])
        #expect(detector.signals(in: "😀🌸👍") == [])
        #expect(detector.signals(in: "@") == [])
        #expect(detector.signals(in: "2024-05-12") == [])
        #expect(detector.signals(in: "1,000,000원이요") == [])
    }

    @Test(arguments: [
        "010-1234-5678 010-2222-3333", "(02) 555-0134", "+44 7700 900123", "555 867 5309", "01012345678",
        "lee.hj@hanmail.net", "ＫＩＭ＠ＮＡＶＥＲ.ＣＯＭ",
    ])
    func phoneNumbersAndAddressesAreFound(text: String) {
        #expect(detector.signals(in: text) == [.contactDetails], "\(text)")
    }

    @Test(arguments: ["2024-05-12", "3,500,000원", "1 2 3 4", "@", "a@b", "version 2.0.1", "KE1203 at 10:30"])
    func ordinaryNumbersAreNotPhoneNumbers(text: String) {
        #expect(detector.signals(in: text) == [], "\(text)")
    }

    @Test func longMessagesAreHandled() {
        let filler = "오늘은 날씨가 좋아서 한강을 따라 오래 걸었어요. 저녁에는 친구와 국수를 먹었어요. "
        var benign = ""
        while benign.count < 1_950 { benign += filler }
        let scam = benign + "그런데 급하게 돈이 필요해요. 300만원만 빌려 주세요."
        #expect(scam.count >= 2_000)
        #expect(detector.signals(in: benign) == [])
        #expect(detector.signals(in: scam) == [.moneyRequest])
        #expect(detector.signals(in: String(repeating: "a", count: 2_000)) == [])
        #expect(detector.signals(in: String(repeating: "0", count: 2_000)) == [])
    }

    /// Prints the time per 2,000-character message; meaningful in a release build (`swift test -c release`).
    // MARK: Warning text

    @Test func moneyWarningMentionsMoney() {
        let korean = SafetyWarning.text(for: [.moneyRequest], korean: true)
        let english = SafetyWarning.text(for: [.moneyRequest], korean: false)
        #expect(korean.contains("돈"))
        #expect(english.lowercased().contains("money"))
        #expect(korean != english)
    }

    @Test(arguments: ScamSignal.allCases)
    func everyWarningGivesTheSameAdvice(signal: ScamSignal) {
        let korean = SafetyWarning.text(for: [signal], korean: true)
        let english = SafetyWarning.text(for: [signal], korean: false)
        #expect(korean != english)
        #expect(korean.contains("신고") && korean.contains("차단") && korean.contains("인연"))
        #expect(english.contains("report") && english.contains("block") && english.contains("Inyeon"))
        #expect(english.contains("gift cards") && english.contains("public place"))
        let sentences = english.split(separator: ".").count
        #expect((2...3).contains(sentences))
    }

    @Test func warningOpensWithTheStrongestSignal() {
        let english = SafetyWarning.text(for: [.contactDetails, .giftCard, .offPlatform], korean: false)
        #expect(english.hasPrefix("This message asks for gift cards"))
        let korean = SafetyWarning.text(for: [.offPlatform, .moneyRequest], korean: true)
        #expect(korean.hasPrefix("이 메시지에는 돈"))
        #expect(SafetyWarning.text(for: [.offPlatform], korean: true).contains("메신저"))
    }

    @Test func namesArePlainAndDistinct() {
        #expect(Set(ScamSignal.allCases.map(\.koreanName)).count == ScamSignal.allCases.count)
        #expect(Set(ScamSignal.allCases.map(\.englishName)).count == ScamSignal.allCases.count)
        #expect(ScamSignal.moneyRequest.koreanName == "송금 요청")
        #expect(ScamSignal.moneyRequest.englishName == "request for money")
    }
}
