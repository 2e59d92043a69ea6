/// Labelled chat messages used while building `ScamSignalDetector` (tuning is allowed against these).
/// About 60% Korean and 40% English, half scams and half benign; many benign ones sit near the boundary.
enum ScamDevelopmentExamples {
    static let all: [ScamExample] = koreanScams + koreanBenign + englishScams + englishBenign

    static let koreanScams: [ScamExample] = [
        ScamExample(
            text: "자기야, 나 지금 너무 급한 일이 생겼어. 500만원만 빌려줄 수 있어? 다음 주에 꼭 갚을게.",
            isScam: true, note: "loan request with a promise to repay"),
        ScamExample(
            text: "세관에서 당신에게 보낸 선물 상자가 묶여 있대요. 통관비 120만원을 내셔야 받을 수 있다고 하네요.",
            isScam: true, note: "parcel held at customs, fee to release"),
        ScamExample(
            text: "제가 해외 유전에서 일하는데 계좌가 동결돼서 돈을 찾을 수가 없어요. 수수료만 보내주시면 바로 돌려드릴게요.",
            isScam: true, note: "oil-rig engineer with a frozen account"),
        ScamExample(
            text: "문화상품권 10만원짜리 5장만 사서 핀번호 사진 찍어 보내줄 수 있어요?",
            isScam: true, note: "gift-card PINs"),
        ScamExample(
            text: "구글 기프트카드 좀 사 주세요. 여기서는 그걸로만 결제가 돼요.",
            isScam: true, note: "Google gift card request"),
        ScamExample(
            text: "우리 삼촌이 증권사에 다니는데 코인 내부 정보가 있어요. 같이 해 보실래요? 원금 보장돼요.",
            isScam: true, note: "uncle's insider tips, guaranteed principal"),
        ScamExample(
            text: "제가 들어가 있는 리딩방이 있는데 수익률이 정말 좋아요. 초대해 드릴게요.",
            isScam: true, note: "stock-tip chat room invitation"),
        ScamExample(
            text: "이 앱은 잘 안 들어와서요, 카톡 아이디 알려 드릴게요. kim7788 이에요.",
            isScam: true, note: "KakaoTalk ID, rarely on the app"),
        ScamExample(
            text: "여기 말고 텔레그램으로 얘기해요. 제 아이디는 @sunny_kim 입니다.",
            isScam: true, note: "move to Telegram"),
        ScamExample(
            text: "라인 하세요? 라인으로 대화하면 사진도 더 보내 드릴 수 있어요.",
            isScam: true, note: "move to LINE"),
        ScamExample(
            text: "제 번호는 010-2345-6789예요. 문자 주세요.",
            isScam: true, note: "shares a mobile number"),
        ScamExample(
            text: "전화번호 좀 알려 주실래요? 목소리 듣고 싶어요.",
            isScam: true, note: "asks for a phone number"),
        ScamExample(
            text: "선물 보내 드리고 싶은데 집 주소 알려 주세요.",
            isScam: true, note: "asks for a home address (parcel scam set-up)"),
        ScamExample(
            text: "저는 유엔 소속 의사로 예멘에 파견돼 있어요. 휴가를 받으려면 비용이 필요한데 도와주실 수 있을까요?",
            isScam: true, note: "UN doctor needing money for leave"),
        ScamExample(
            text: "딸이 교통사고로 중환자실에 있어요. 병원비가 급한데 당신밖에 믿을 사람이 없어요.",
            isScam: true, note: "hospital bill emergency"),
        ScamExample(
            text: "공항에서 여권 문제로 발이 묶였어요. 호텔비랑 비행기표 살 돈 좀 보내 줘요.",
            isScam: true, note: "stranded abroad"),
        ScamExample(
            text: "비트코인 투자 플랫폼 알려 드릴게요. 소액으로 시작해도 한 달 만에 두 배 벌 수 있어요.",
            isScam: true, note: "crypto platform pitch"),
        ScamExample(
            text: "카카오톡 추가해 주세요. ID는 love1965 이에요.",
            isScam: true, note: "KakaoTalk invitation"),
        ScamExample(
            text: "계좌번호 알려 드릴 테니 이체 좀 부탁해요. 정말 급해요.",
            isScam: true, note: "asks for a transfer"),
        ScamExample(
            text: "이메일 주소가 어떻게 되세요? 사진 보내 드릴게요.",
            isScam: true, note: "asks for an e-mail address"),
        ScamExample(
            text: "여기는 곧 회원권이 만료돼서요. 왓츠앱으로 연락 주세요.",
            isScam: true, note: "membership expiring, move to WhatsApp"),
        ScamExample(
            text: "변호사 비용만 내면 아버지 유산을 받을 수 있어요. 300만원만 송금해 주시면 두 배로 갚을게요.",
            isScam: true, note: "inheritance fee"),
        ScamExample(
            text: "이 코인은 무조건 올라요. 제가 알려 드리는 거래소 앱 깔고 넣어 보세요.",
            isScam: true, note: "coin pitch with an exchange app"),
        ScamExample(
            text: "스팀 카드 번호 찍어서 보내 주시면 제가 바로 갚을게요.",
            isScam: true, note: "Steam card numbers"),
        ScamExample(
            text: "주민등록번호랑 신분증 사진 보내 주시면 제가 숙소 예약해 둘게요.",
            isScam: true, note: "ID number and ID card photo"),
        ScamExample(
            text: "저 군인인데 시리아에서 작전 중이라 돈을 찾을 수 없어요. 제발 도와주세요.",
            isScam: true, note: "deployed soldier"),
    ]

    static let koreanBenign: [ScamExample] = [
        ScamExample(
            text: "점심값은 제가 낼게요. 다음엔 맛있는 커피 사 주세요.",
            isScam: false, note: "paying for lunch"),
        ScamExample(
            text: "오늘 병원에 정기검진 다녀왔어요. 다 괜찮대요.",
            isScam: false, note: "routine check-up"),
        ScamExample(
            text: "퇴직 후 연금으로 생활해요. 여유롭게 산책하고 책 읽어요.",
            isScam: false, note: "living on a pension"),
        ScamExample(
            text: "카톡으로 손주 사진 받았어요. 너무 귀여워요.",
            isScam: false, note: "KakaoTalk mentioned in passing"),
        ScamExample(
            text: "손주 생일 선물로 기프트카드를 줬더니 좋아하더라고요.",
            isScam: false, note: "gift card for a grandchild"),
        ScamExample(
            text: "주식은 잘 몰라요. 저는 예금만 조금 해요.",
            isScam: false, note: "own savings"),
        ScamExample(
            text: "번호는 만나서 직접 교환해요. 천천히 알아 가요.",
            isScam: false, note: "defers numbers until after meeting"),
        ScamExample(
            text: "요즘 코인노래방 자주 가요. 옛날 노래 부르면 스트레스가 풀려요.",
            isScam: false, note: "coin karaoke, not crypto"),
        ScamExample(
            text: "돈가스 맛집 알아요. 다음에 같이 가요.",
            isScam: false, note: "돈 inside 돈가스"),
        ScamExample(
            text: "딸이 해외에서 공부해서 학비 보내느라 바빠요.",
            isScam: false, note: "sending tuition to a daughter"),
        ScamExample(
            text: "저는 천천히 알아가고 싶어요. 카톡은 만나고 나서 해요.",
            isScam: false, note: "KakaoTalk only after meeting"),
        ScamExample(
            text: "작년에 무릎 수술 받아서 지금은 등산을 조심스럽게 해요.",
            isScam: false, note: "past surgery"),
        ScamExample(
            text: "아들이 결혼 비용 때문에 고민이 많더라고요. 요즘 다 비싸요.",
            isScam: false, note: "wedding costs"),
        ScamExample(
            text: "온라인으로 장 보니까 편하더라고요. 라인댄스도 배우고 있어요.",
            isScam: false, note: "라인 inside 온라인 and 라인댄스"),
        ScamExample(
            text: "주말에 은행에 가서 통장 정리하고 적금도 새로 들었어요.",
            isScam: false, note: "banking errand"),
        ScamExample(
            text: "펀드는 원금 보장이 안 돼서 저는 안 해요.",
            isScam: false, note: "declines funds: no guaranteed principal"),
        ScamExample(
            text: "커피 기프티콘 보내 드릴게요. 좋은 하루 보내세요!",
            isScam: false, note: "offers a coffee coupon"),
        ScamExample(
            text: "여행 경비는 각자 내는 게 편하죠?",
            isScam: false, note: "splitting travel costs"),
        ScamExample(
            text: "어머니가 입원하셔서 요즘 병원에 자주 가요. 걱정이 많네요.",
            isScam: false, note: "mother in hospital, no request"),
        ScamExample(
            text: "저도 예전에 사기 당할 뻔했어요. 모르는 사람한테 돈 보내면 안 돼요.",
            isScam: false, note: "warns against sending money"),
        ScamExample(
            text: "전화 통화는 조금 더 친해지면 해요.",
            isScam: false, note: "phone call later"),
        ScamExample(
            text: "다음 주 토요일에 인사동에서 만나요. 찻집 주소는 여기서 보내 드릴게요.",
            isScam: false, note: "meeting-place address, in the app"),
        ScamExample(
            text: "제 이름으로 예약해 둘게요. 예약 번호는 나중에 알려 드릴게요.",
            isScam: false, note: "reservation number"),
        ScamExample(
            text: "손주가 텔레비전 보면서 춤을 춰요.",
            isScam: false, note: "텔레 inside 텔레비전"),
        ScamExample(
            text: "코로나 때 병원비가 많이 나왔었죠. 지금은 다 나았어요.",
            isScam: false, note: "past hospital bills"),
    ]

    static let englishScams: [ScamExample] = [
        ScamExample(
            text: "My love, I'm stuck at the airport in Istanbul and they won't let me board until I pay $2,500. Can you help me?",
            isScam: true, note: "stranded at an airport"),
        ScamExample(
            text: "Could you buy me some Google Play cards? Just scratch the back and send me a photo of the codes.",
            isScam: true, note: "gift-card codes"),
        ScamExample(
            text: "I made 300% last month on this crypto trading platform. Let me show you how, just download the app and start with $1,000.",
            isScam: true, note: "crypto platform pitch"),
        ScamExample(
            text: "This app is so slow, can we continue on WhatsApp? My number is +1 555 203 4455",
            isScam: true, note: "WhatsApp and a phone number"),
        ScamExample(
            text: "Add me on Telegram @mark_wilson so we can talk more privately.",
            isScam: true, note: "Telegram handle"),
        ScamExample(
            text: "I am a UN doctor in Yemen and my account is frozen. Please send me money for the flight home, I will pay you back.",
            isScam: true, note: "UN doctor, frozen account"),
        ScamExample(
            text: "The package I sent you is held at customs. You need to pay the clearance fee of $800 to release it.",
            isScam: true, note: "customs fee"),
        ScamExample(
            text: "What's your email address? I want to send you some pictures of my garden.",
            isScam: true, note: "asks for an e-mail address"),
        ScamExample(
            text: "Give me your phone number and I'll call you tonight.",
            isScam: true, note: "asks for a phone number"),
        ScamExample(
            text: "Do you use Kakao? It's easier to talk there.",
            isScam: true, note: "move to KakaoTalk"),
        ScamExample(
            text: "My uncle works at a big bank and gives me insider tips on bitcoin. You should invest while prices are low.",
            isScam: true, note: "uncle's insider tips"),
        ScamExample(
            text: "Steam gift cards are the only way I can receive money here on the oil rig. Can you get me four $100 cards?",
            isScam: true, note: "Steam cards on an oil rig"),
        ScamExample(
            text: "Honey, my daughter is in the hospital and I can't access my funds. Could you wire $3,000 through Western Union?",
            isScam: true, note: "hospital emergency, wire transfer"),
        ScamExample(
            text: "I rarely check this app, my subscription here ends tomorrow. Text me on WhatsApp.",
            isScam: true, note: "subscription ending, WhatsApp"),
        ScamExample(
            text: "Please send me a picture of your passport so I can book the tickets for your visit.",
            isScam: true, note: "passport photo"),
        ScamExample(
            text: "You can reach me at james.miller1962@gmail.com",
            isScam: true, note: "shares an e-mail address"),
    ]

    static let englishBenign: [ScamExample] = [
        ScamExample(
            text: "I invest a little in index funds for retirement, nothing exciting.",
            isScam: false, note: "own investments in passing"),
        ScamExample(
            text: "My son set up WhatsApp so I can see photos of the grandkids.",
            isScam: false, note: "WhatsApp in passing"),
        ScamExample(
            text: "I was in the hospital for knee surgery last year, all good now, thanks for asking.",
            isScam: false, note: "past surgery"),
        ScamExample(
            text: "Let's keep chatting here for now. I'll give you my number after we meet in person.",
            isScam: false, note: "defers the number until after meeting"),
        ScamExample(
            text: "I'll pay for dinner, you can get the coffee next time.",
            isScam: false, note: "paying for dinner"),
        ScamExample(
            text: "I bought my granddaughter an Amazon gift card for her birthday, she loved it.",
            isScam: false, note: "gift card as a present"),
        ScamExample(
            text: "There's no guarantee with stocks, so I keep most of my savings in the bank.",
            isScam: false, note: "cautious about stocks"),
        ScamExample(
            text: "We used Skype to call our son when he was working in Canada.",
            isScam: false, note: "Skype in passing"),
        ScamExample(
            text: "Could you send me a photo of your garden? I love roses.",
            isScam: false, note: "asks for a photo, not money"),
        ScamExample(
            text: "I lent my brother money once and never got it back, ha! Lesson learned.",
            isScam: false, note: "story about lending"),
        ScamExample(
            text: "My late husband was in the army; we moved a lot when the kids were small.",
            isScam: false, note: "army in passing"),
        ScamExample(
            text: "The café near the station has great coffee, the address is on their website.",
            isScam: false, note: "café address"),
        ScamExample(
            text: "I'd rather not share my phone number before we meet, I hope you understand.",
            isScam: false, note: "declines to share a number"),
        ScamExample(
            text: "My daughter works in crypto compliance, I don't really understand it.",
            isScam: false, note: "crypto in passing"),
        ScamExample(
            text: "I paid the hospital bill for my mother's surgery last month, it was expensive but she's fine.",
            isScam: false, note: "past hospital bill"),
        ScamExample(
            text: "Can you help me choose a hiking trail for Saturday?",
            isScam: false, note: "asks for help, nothing else"),
        ScamExample(
            text: "Trust me, the bibimbap at that place is worth the trip.",
            isScam: false, note: "ordinary recommendation"),
    ]
}
