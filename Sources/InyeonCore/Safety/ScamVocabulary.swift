import Foundation

// MARK: - Vocabulary
//
// Korean phrases are written with natural spacing; spaces inside Korean vanish in normalisation.
// English phrases match whole words; `*` at an end allows a longer word ("transfer*" = transferred).

extension ScamSignalDetector {
    /// Every phrase the detector knows, grouped by cue, and the rules that combine cues.
    enum Vocabulary {
        static let rules: [PairRule] = [
            PairRule(.moneyNoun, .moneyAsk, .moneyRequest, maxGap: 80),
            PairRule(.giftNoun, .giftAsk, .giftCard, maxGap: 80),
            PairRule(.giftNoun, .moneyAsk, .giftCard, maxGap: 60),
            PairRule(.investNoun, .investPitch, .investment, maxGap: 100),
            PairRule(.messenger, .messengerSuffix, .offPlatform, maxGap: 4, ordered: true),
            PairRule(.messengerPrefix, .messenger, .offPlatform, maxGap: 3, ordered: true),
            PairRule(.messenger, .messengerInvite, .offPlatform, maxGap: 60),
            PairRule(.contactNoun, .contactAsk, .contactDetails, maxGap: 24),
            PairRule(.contactNoun, .contactOffer, .contactDetails, maxGap: 24),
            PairRule(.emergencyContext, .helpAsk, .emergency, maxGap: 160),
            PairRule(.emergencyContext, .moneyFired, .emergency, maxGap: 160),
            PairRule(.meeting, .contactOffer, nil, maxGap: 30),
            PairRule(.meeting, .contactAsk, nil, maxGap: 30),
        ]

        static var patterns: [PatternSpec] {
            var specs: [PatternSpec] = []
            let lists: [(Cue, [String])] = [
                (.moneyStrong, moneyStrong), (.moneyNoun, moneyNouns), (.moneyAsk, moneyAsks),
                (.giftStrong, giftStrong), (.giftNoun, giftNouns), (.giftAsk, giftAsks),
                (.investStrong, investStrong), (.investNoun, investNouns), (.investPitch, investPitches),
                (.offPlatformStrong, offPlatformStrong), (.messenger, messengers),
                (.messengerPrefix, messengerPrefixes), (.messengerSuffix, messengerSuffixes),
                (.messengerInvite, messengerInvites),
                (.contactShared, contactShared), (.contactNoun, contactNouns), (.contactAsk, contactAsks),
                (.contactOffer, contactOffers),
                (.emergencyStrong, emergencyStrong), (.emergencyContext, emergencyContexts), (.helpAsk, helpAsks),
                (.meeting, meetings), (.deferral, deferrals),
            ]
            for (cue, words) in lists {
                specs += words.map { word in
                    // "보내 줘" asks; "보내 줘서" (because someone sent) tells.
                    var unlessFollowedBy = word.hasSuffix("줘") ? ["서"] : []
                    // "카톡으로 옮기자고 한대요" reports what someone else said.
                    if cue == .messengerSuffix || cue == .messengerInvite { unlessFollowedBy += reportedSpeech }
                    return PatternSpec(text: word, cue: cue, unlessFollowedBy: unlessFollowedBy)
                }
            }
            return specs + guardedWords
        }

        /// Short words that also occur inside innocent ones (돈 in 돈가스, 라인 in 온라인, 사고 in 사고 싶어요).
        static let guardedWords: [PatternSpec] = [
            PatternSpec(
                text: "돈", cue: .moneyNoun, unlessPrecededBy: ["마", "노"],
                unlessFollowedBy: ["까스", "가스", "카츠", "까쓰", "독", "키호테", "부리", "암", "의문", "벌이가"]),
            PatternSpec(
                text: "이자", cue: .moneyNoun, unlessPrecededBy: ["여", "남", "이", "회사", "부", "모"],
                unlessFollowedBy: ["카야", "나", "면"]),
            PatternSpec(text: "코인", cue: .investNoun, unlessFollowedBy: ["노래", "세탁", "빨래", "락커", "워시"]),
            PatternSpec(
                text: "텔레", cue: .messenger, unlessPrecededBy: ["호", "모"],
                unlessFollowedBy: ["비", "파시", "마케", "워크", "포트"]),
            PatternSpec(text: "카카오", cue: .messenger, unlessFollowedBy: kakaoServices),
            PatternSpec(text: "kakao", cue: .messenger, unlessFollowedBy: kakaoServices.map { " " + $0 }),
            PatternSpec(text: "아이디", cue: .messengerInvite, unlessFollowedBy: ["어"]),
            PatternSpec(text: "아이디", cue: .messengerSuffix, unlessFollowedBy: ["어"]),
            PatternSpec(
                text: "번호", cue: .contactNoun,
                unlessPrecededBy: [
                    "예약", "방", "버스", "좌석", "주문", "송장", "운송장", "차", "등", "대기", "순", "호수", "비밀",
                    "인증", "카드", "계좌", "주민", "전화", "폰", "여권",
                ],
                unlessFollowedBy: ["표", "판", "대로"]),
            PatternSpec(text: "주소", cue: .contactNoun, unlessPrecededBy: placesWithAddresses),
            PatternSpec(
                text: "집 주소", cue: .contactNoun,
                unlessPrecededBy: [
                    "찻", "맛", "술", "밥", "빵", "꽃", "횟", "국숫", "고깃", "떡", "옷", "책", "약", "찜", "칼국수",
                    "중국", "한정식", "기와", "냉면", "국밥",
                ]),
            PatternSpec(
                text: "dot com", cue: .contactShared,
                unlessFollowedBy: [" bubble", " boom", " era", " crash", " days", " company", " companies"]),
            PatternSpec(text: "닷컴", cue: .contactShared, unlessFollowedBy: ["버블", "시대", "붐", "기업", "열풍"]),
            PatternSpec(text: "만나면", cue: .meeting, unlessFollowedBy: ["좋", "행복", "재밌", "즐거", "설레"]),
            PatternSpec(text: "만나고", cue: .meeting, unlessFollowedBy: ["싶", "파", "픈"]),
            PatternSpec(
                text: "만나서", cue: .meeting,
                unlessFollowedBy: ["반가", "반갑", "좋았", "좋아", "즐거", "기뻐", "기뻤", "영광"]),
            PatternSpec(
                text: "사고", cue: .emergencyContext,
                unlessFollowedBy: ["싶", "파", "팔", "방식", "력", "를 치", "뭉치", "쳤"]),
            PatternSpec(text: "부대", cue: .emergencyContext, unlessFollowedBy: ["찌개", "시설", "끼"]),
            PatternSpec(text: "원금 보장", cue: .investStrong, unlessFollowedBy: negations),
            PatternSpec(text: "수익 보장", cue: .investStrong, unlessFollowedBy: negations),
            PatternSpec(text: "보장", cue: .investPitch, unlessFollowedBy: negations),
            PatternSpec(
                text: "확실한", cue: .investPitch,
                unlessFollowedBy: ["게 없", "건 없", "것은 없", "것이 없", "건 아니", "게 아니"]),
            PatternSpec(text: "guarantee*", cue: .investPitch, unlessPrecededBy: englishNegations),
            PatternSpec(text: "make money", cue: .investPitch, unlessPrecededBy: englishNegations),
        ]
            // 꿔 (lend) also ends 바꿔 (change).
            + requests(["꿔"]).flatMap { word in
                [Cue.moneyAsk, .helpAsk].map {
                    PatternSpec(text: word, cue: $0, unlessPrecededBy: ["바"], unlessFollowedBy: ["서"])
                }
            }
            + ambiguousMessengerPhrases

        /// An address of these is a meeting place, not a personal detail ("식당 주소 보내 드릴게요").
        static let placesWithAddresses = [
            "식당", "가게", "카페", "찻집", "맛집", "음식점", "장소", "모임", "행사", "메일", "웹", "홈페이지",
            "사이트", "링크", "인터넷", "집", "공원", "매장", "역", "건물", "센터", "회관", "교회", "성당", "절",
            "병원", "전시회", "미술관", "박물관", "호텔", "그곳", "거기",
        ]
        /// Endings that report what someone else said ("카톡으로 옮기자고 한대요").
        static let reportedSpeech = [
            "고 하", "고 한", "고 했", "고 해", "고들", "는 사람", "는 경우", "기자고", "기라고", "자고", "라고",
        ]
        static let kakaoServices = [
            "페이", "뱅크", "택시", "맵",
            "t",
            "모빌리티", "스토리", "게임", "프렌즈", "선물", "쇼핑", "웹툰", "페이지", "내비",
            "pay", "bank", "taxi", "map", "games", "story",
        ]
        static let negations = [
            "이 안", "은 안", "안", "되지 않", "이 되지 않", "은 없", "이 없", "하지 않", "못", "는 없", "는 안",
        ]
        static let englishNegations = [
            "no ", "not ", "not a ", "isn't a ", "aren't ", "never ", "nothing is ", "can't ", "cannot ", "won't ",
            "don't ", "didn't ",
        ]

        /// 라인 / LINE and 시그널 / Signal are everyday words, so they count only in fixed phrases.
        static let ambiguousMessengerPhrases: [PatternSpec] = {
            let korean = [
                "라인 아이디", "라인 id", "라인 추가", "라인 친추", "라인으로 얘기", "라인으로 대화", "라인으로 이야기",
                "라인으로 옮", "라인으로 넘어", "라인으로 연락 주", "라인으로 연락 줘", "라인 하세요", "라인 하시나요",
                "라인 쓰세요", "라인 있으세요", "라인 메신저", "시그널 앱", "시그널 메신저", "시그널로 얘기",
                "시그널로 대화", "시그널 하세요", "시그널 아이디", "시그널 추가",
            ]
            let english = [
                "line id", "line app", "line messenger", "add me on line", "my line id", "signal app",
                "signal messenger", "on signal", "add me on signal", "download signal", "install signal", "use signal?",
                "switch to signal", "move to signal", "do you have signal", "are you on line", "do you have line",
            ]
            let excluded = [
                "온", "프", "헤어", "가이드", "데드", "허리", "바디", "몸", "턱", "브이", "스카이", "메인", "파이프",
            ]
            return korean.map { PatternSpec(text: $0, cue: .offPlatformStrong, unlessPrecededBy: excluded) }
                + english.map { PatternSpec(text: $0, cue: .offPlatformStrong) }
        }()

        // MARK: Money

        static let moneyStrong = [
            "돈 좀 보내", "돈 좀 빌려", "돈 좀 꿔", "돈을 보내 주", "돈 보내 줘", "돈 보내 주", "돈 부쳐 줘",
            "돈 부쳐 주", "돈이 급해", "돈이 급하", "급하게 돈", "급히 돈", "급전", "송금 부탁", "송금해 주세요",
            "입금 부탁", "이체 부탁", "웨스턴 유니온", "웨스턴유니온", "머니그램", "머니 그램", "계좌번호 보내 드릴",
            "계좌번호 알려 드릴", "이 계좌로 보내", "이 계좌로 입금", "이 계좌로 송금", "아래 계좌로", "제 계좌로 보내",
            "내 계좌로 보내", "돈 부탁", "돈을 부탁",
            "send me money", "send me some money", "send me the money", "send money to me", "send some money",
            "send the money", "send the funds", "wire me", "wire the money", "wire the funds", "wire transfer to",
            "transfer the money", "transfer the funds", "lend me some money", "lend me money", "loan me",
            "western union", "moneygram", "money gram", "my account details are", "remit the", "remit it",
            "please remit",
        ]

        static let moneyNouns = [
            "송금", "입금", "이체", "계좌", "현금", "만원", "만 원", "천원", "억원", "달러", "유로", "엔화", "비용",
            "수수료", "관세", "통관비", "통관", "세금", "보증금", "착수금", "계약금", "선입금", "병원비", "수술비",
            "치료비", "입원비", "항공권", "비행기표", "비행기 표", "항공료", "여비", "경비", "대출", "빚", "합의금",
            "벌금", "보석금", "변호사비", "변호사 비용", "생활비", "월세", "카드값", "배송비", "택배비", "운송비",
            "보관료", "상속세", "증여세", "세관", "대납", "선결제", "페이팔", "토스", "카카오페이", "카카오 페이",
            "페이코", "네이버페이", "무통장", "유산",
            "money", "cash", "funds", "$*", "usd", "dollars", "dollar", "euros", "pounds", "bucks", "payment", "loan",
            "wire transfer", "bank transfer", "transfer", "deposit", "fee", "fees", "tax", "taxes", "customs duty",
            "clearance", "charges", "medical bill*", "hospital bill*", "hotel bill*", "my rent", "the rent", "airfare",
            "plane ticket*", "flight ticket*", "bail", "paypal", "zelle", "venmo", "cash app", "cashapp", "remitly",
            "the amount", "financial assistance", "financial help", "financial support", "bank account*",
            "account number*", "routing number", "inheritance",
        ]

        /// Request forms of Korean verb stems: 보내 → 보내 줘, 보내 주세요, 보내 주실, 보내 줄래, 보내 줄 수, ...
        static func requests(_ stems: [String]) -> [String] {
            let endings = ["줘", "줘요", "주세요", "주실", "주시면", "주면", "주라", "주시겠", "줄래", "줄 수"]
            return stems.flatMap { stem in endings.map { stem + " " + $0 } }
        }

        static let moneyAsks = requests([
            "보내", "부쳐", "빌려", "보태", "입금해", "송금해", "이체해", "내", "결제해", "납부해", "지불해", "해",
            "도와", "융통해", "대신 내",
        ]) + [
            "보내면 돼", "보내시면", "보내셔야", "송금 가능하세요", "입금 가능하세요", "송금 가능할까", "빌릴 수 있",
            "융통", "입금 좀", "입금하세요", "입금하시면", "입금하셔야", "입금해야", "송금 좀", "송금하세요",
            "송금하시면", "송금하셔야", "이체 좀", "이체하세요", "이체하시면", "이체하셔야", "부탁이 있", "내셔야",
            "내시면", "결제 좀", "결제하셔야", "대신 결제", "대신 납부", "납부하셔야", "지불하셔야", "갚을게", "갚을께",
            "갚겠", "갚아 줄", "돌려 줄게", "돌려 드릴게", "돌려 드리겠", "두 배로 갚", "쓰고 드릴", "쓰고 갚",
            "쓰고 돌려", "줄 수 있", "주실 수 있", "여유 있으", "여유가 있으", "여유 되", "여유 좀", "급해요",
            "급합니다", "급한데", "급한 상황", "당장 필요", "급히 필요", "급하게 필요", "받으시려면", "찾으시려면",
            "내면 된", "내면 돼", "만 내면", "만 보내면", "만 입금하면", "만 송금하면", "만 결제하면", "입금 확인되면",
            "입금 확인 후", "입금되면 바로", "입금하시는 대로",
            "send me", "send it to me", "send it to my", "can you send", "could you send", "would you send",
            "will you send", "please send", "send over", "wire it", "send it by", "send it via", "send it through",
            "send it with", "send by", "send via", "send through", "just send", "send $*", "send only", "kindly send",
            "kindly help", "kindly assist", "kindly transfer", "kindly pay", "assist me", "please assist",
            "can you assist", "could you assist", "all i need is", "i just need", "i only need", "i need some",
            "i need a little", "i need a small", "can you wire", "could you wire", "lend me", "can you lend",
            "could you lend", "spot me", "front me", "can i borrow", "could i borrow", "let me borrow",
            "borrow from you", "can you transfer", "could you transfer", "can you deposit", "could you deposit",
            "please deposit", "put it into my account", "transfer it to my account", "on my behalf", "help me pay",
            "help me with the", "help me out", "can you help", "could you help", "would you help", "please help",
            "i need you to", "need you to", "you need to pay", "you have to pay", "you must pay", "you'll need to pay",
            "you will need to pay", "you only need to pay", "you just need to pay", "you need to send",
            "you have to send", "you must send", "pay for my", "cover it for me", "help me cover",
            "cover the cost for me", "pay you back", "pay it back", "repay you", "reimburse", "refund you",
            "make it up to you", "need $*", "urgently", "urgent", "asap", "to release the", "to release your",
            "to receive your", "to claim your", "to claim the package", "to claim it",
        ]

        // MARK: Gift cards


        static let giftStrong = [
            "핀번호 보내", "핀번호 찍어", "핀 번호 보내", "핀 번호 찍어", "핀번호 알려", "핀 번호 알려", "뒷면 긁어",
            "뒷면을 긁어", "번호 찍어서 보내", "상품권 핀", "구글 기프트카드 사", "구글 기프트 카드 사",
            "기프트카드 사서", "기프트 카드 사서", "문화상품권 사서", "상품권 사서 보내",
            "scratch off", "scratch the back", "back of the card", "photo of the code*", "picture of the code*",
            "pic of the code*", "send me the code*", "send the code*", "card codes", "gift card code*",
            "gift card pin*", "card pin*", "steam wallet", "razer gold", "in gift cards", "with gift cards",
            "buy gift cards for me",
        ]

        static let giftNouns = [
            "기프트카드", "기프트 카드", "구글 기프트", "구글 플레이 카드", "구글플레이", "구글 카드", "문화상품권",
            "해피머니", "컬쳐랜드", "컬처랜드", "틴캐시", "북앤라이프", "상품권", "아이튠즈", "아이튠스", "스팀 카드",
            "스팀 월렛", "애플 기프트", "기프티콘", "모바일 상품권", "핀번호", "핀 번호", "pin 번호",
            "gift card*", "giftcard*", "gift voucher*", "voucher*", "itunes", "apple gift card*", "google play",
            "play store card*", "steam card*", "steam gift*", "amazon card*", "amazon gift*", "ebay card*",
            "vanilla card*", "vanilla visa", "prepaid card*", "prepaid visa", "walmart card*", "target card*",
            "card code*", "redeem code*", "redemption code*",
        ]

        static let giftAsks = [
            "사서 보내", "사 와", "사 오", "구매 부탁", "구입 부탁", "사 줘", "사 주세요", "사 주실", "사 줄 수",
            "사 줄래", "사 주면", "사 주시면", "사다 줘", "사다 주", "구매해", "구입해", "충전해", "번호를 보내",
            "번호 보내", "번호 찍어", "번호를 찍어", "사진 찍어", "찍어서 보내", "찍어 보내", "뒷면", "긁어", "코드",
            "만원권", "만원짜리", "장 사", "장만 사",
            "kindly buy", "can you buy", "could you buy", "would you buy", "please buy", "buy me", "go buy",
            "go and buy", "you can buy", "you need to buy", "just buy", "buy the cards", "buy a few", "get me",
            "can you get", "could you get", "can you purchase", "please purchase", "scratch", "the code*", "codes",
            "the pin", "pin number*", "redeem", "card number*", "and buy", "then buy", "buy them", "buy it for me",
            "on the back", "the numbers", "text me", "send a picture", "send a photo", "send pictures", "send photos",
            "picture of", "photo of",
        ]

        // MARK: Investment

        static let investStrong = [
            "리딩방", "리딩 방", "주식 리딩", "코인 리딩", "확정 수익", "고수익 보장", "무조건 오릅", "무조건 올라",
            "무조건 수익", "손실 없이 수익", "내부 정보", "내부자 정보", "작전주", "급등주 정보", "투자 플랫폼",
            "투자 사이트", "재택 부업", "코인 지갑 주소",
            "double your money", "triple your money", "guaranteed return*", "guaranteed profit*", "guaranteed income",
            "guaranteed payout*", "risk-free invest*", "risk free invest*", "insider tip*", "insider information",
            "insider info", "trading signal*", "crypto mentor", "trading mentor", "investment mentor", "mining pool",
            "liquidity mining", "arbitrage bot", "trading bot", "usdt wallet", "wallet address", "investment platform",
        ]

        static let investNouns = [
            "투자", "비트코인", "가상화폐", "가상자산", "암호화폐", "테더",
            "usdt",
            "이더리움", "리플", "선물거래", "선물 거래", "선물옵션", "마진거래", "레버리지", "거래소", "주식", "종목",
            "급등주", "재테크", "펀드", "외환", "트레이딩", "채굴", "스테이킹", "에어드랍", "수익률", "수익", "플랫폼",
            "부업", "금 거래", "돈 버는 방법", "재테크 방법", "수익 내는 방법", "부수입", "용돈벌이",
            "invest*", "crypto*", "bitcoin*", "btc", "ethereum", "eth", "tether", "forex", "trading", "stocks",
            "stock market", "futures", "binance", "coinbase", "mining", "staking", "defi", "arbitrage", "liquidity",
            "gold trading", "trade gold", "trading gold", "trade crypto", "trade forex", "trade stocks", "portfolio",
            "hedge fund", "trading platform", "platform",
        ]

        static let investPitches = [
            "확실히", "틀림없",
            "100%",
            "알려 드릴게", "알려 줄게", "알려 드릴 수", "가르쳐 드릴", "가르쳐 줄", "도와 드릴게", "같이 해요",
            "같이 해 봐요", "같이 하실래", "같이 해 보실래", "같이 해 볼래", "같이 하면", "함께 해요", "함께 하실래",
            "함께 해 보실래", "해 보세요", "해 보실래", "해 볼래", "해 보시겠", "시작해 보세요", "시작하세요",
            "시작하시면", "추천해 드릴", "추천할게", "추천해 줄게", "가입하세요", "가입해 보세요", "가입만",
            "가입하시면", "앱 깔", "앱을 깔", "앱 설치", "앱을 설치", "설치해 보세요", "설치하세요", "설치하시면",
            "삼촌이 알려 준", "삼촌이 알려 주", "삼촌이 증권", "삼촌이 거래소", "삼촌이 금융", "삼촌 정보", "정보 드릴",
            "정보를 드릴", "넣어 보세요", "넣으세요", "넣으시면", "두 배", "2배", "3배", "10배", "열 배", "벌게 해",
            "벌 수 있", "수익을 내", "초대해 드릴", "초대할게", "소액으로 시작", "소액으로도", "적은 돈으로", "출금",
            "입금하면", "입금하시면", "매일 들어와", "매주 들어와", "매달 들어와", "좋은 기회", "지금이 기회",
            "기회 놓치", "놓치지 마", "안전한 투자",
            "vip",
            "자리 하나", "자리 만들어", "찍어 드릴", "찍어 줄게", "배예요", "배입니다", "배가 돼", "배는 돼", "배가 됩",
            "지금 투자하면", "지금 투자하시면",
            "profit in a", "profits in a", "returns in a", "you'll see profit*", "you will see profit*", "see profit*",
            "secret strategy", "secret trading",
            "지금 들어가면", "지금 시작하면", "지금 사면", "지금 넣으면", "배는 벌", "배 이상 벌", "배로 불", "배 수익",
            "공부하실래", "같이 공부", "나눠 드릴", "수익 나면", "수익이 나면", "링크 보내 드릴", "링크 드릴",
            "링크 보내 줄", "손실 없", "손해 없", "손해 볼 일 없", "제 말대로", "제 말만 믿", "저만 믿", "시키는 대로",
            "매일 수익", "하루 만에", "일주일 만에", "한 달 만에",
            "risk-free", "risk free", "no risk", "zero risk", "can't lose", "cannot lose", "never lose",
            "earn together", "make money together", "profit together", "we can earn", "have you heard of",
            "help you set up", "set you up", "i'll help you", "you should try", "you should invest", "you should join",
            "you should start", "you should consider", "let me teach", "i can teach", "teach you", "i can show you",
            "let me show you", "show you how", "i'll guide", "i will guide", "i can guide", "guide you", "mentor*",
            "join the", "join my", "join our", "sign up", "register", "registration", "download the", "install the",
            "use this app", "open an account", "my uncle works", "my uncle is", "uncle's", "insider*",
            "inside information", "inside info", "double your", "doubled", "triple your", "tripled", "10x", "% a week",
            "% per week", "% weekly", "% a day", "% per day", "% daily", "% a month", "% per month", "% monthly",
            "join me", "% in a week", "% in a day", "% every", "you can make", "you could make", "make you money",
            "you can earn", "you could earn", "you will earn", "you'll earn", "earn you", "passive income",
            "start with", "start small", "minimum deposit", "make a deposit", "first deposit", "initial deposit",
            "deposit just", "deposit only", "deposit $*", "deposit at least", "withdraw your", "withdraw profits",
            "withdrawal fee", "can withdraw", "withdraw anytime", "great opportunity", "golden opportunity",
            "rare opportunity", "opportunity for you", "don't miss", "limited time", "easy money", "quick money",
            "huge profit*", "big profit*", "click the link", "use my link", "through my link", "referral",
            "invitation code", "invite code",
        ]

        // MARK: Leaving the app

        static let offPlatformStrong = [
            "앱 밖에서", "다른 앱으로", "다른 앱에서 얘기", "다른 앱에서 대화", "다른 메신저", "개인 메신저",
            "이 앱은 잘 안", "여기는 잘 안 들어", "여기 잘 안 들어", "앱을 잘 안", "앱은 자주 안", "앱에 잘 안 들어",
            "회원권이 만료", "이용권이 끝", "이용권 만료", "구독이 끝", "다른 곳에서 얘기", "다른 데서 얘기",
            "이 앱 불편", "앱이 불편", "여기는 불편", "여기 불편", "앱이 느려", "여기서 그만", "개인 이메일",
            "개인 메일",
            "personal email", "private email", "talk here anymore", "chat here anymore", "don't like this app",
            "hate this app", "this app is slow", "this app keeps", "outside this app", "outside the app",
            "off this app", "off the app", "off this site", "outside this site", "outside of this app",
            "move to another app", "talk on another app", "chat on another app", "use another app",
            "another app to talk", "another app to chat", "a different app to", "i don't use this app",
            "i rarely use this app", "i rarely check this app", "i don't check this app", "rarely on here",
            "not often on here", "my subscription here", "my subscription on this", "my subscription is ending",
            "my subscription expires", "subscription runs out", "membership expires", "membership is expiring",
            "subscription expires", "subscription is ending", "somewhere more private", "more private app",
            "more private chat", "private messenger", "chat privately", "talk privately",
        ]

        static let messengers = [
            "카톡", "카카오톡", "카똑", "까톡", "보이스톡", "페이스톡", "행아웃", "구글 챗", "스냅챗", "디스코드",
            "오픈채팅", "오픈톡", "텔레그램", "텔그", "왓츠앱", "왓츠업", "왓츠 앱", "왓챱", "왓샵", "위챗", "위쳇",
            "바이버", "스카이프", "페메", "메신저", "인스타 디엠",
            "kakaotalk", "kakao talk", "ktalk", "telegram", "whatsapp", "whats app", "whatsap", "watsapp", "wechat",
            "viber", "discord", "hangouts", "google chat", "google hangouts", "skype", "snapchat", "kik",
            "facebook messenger", "fb messenger", "instagram dm", "messenger app",
        ]

        static let messengerPrefixes = [
            "add me on", "add me at", "add me in", "add me to", "add me via", "add my", "find me on", "reach me on",
            "text me on", "message me on", "msg me on", "contact me on", "chat with me on", "talk to me on", "talk on",
            "chat on", "continue on", "continue this on", "continue our chat on", "talk more on", "chat more on",
            "move to", "move this to", "move our chat to", "switch to", "switch over to", "come to", "join me on",
            "are you on", "r u on", "you on", "do you have", "do you use", "have you got", "download", "install",
            "get on", "what's your", "what is your", "whats your", "send me your", "give me your", "share your",
            "let's use", "lets use", "we can use", "let's talk on", "let's chat on", "lets talk on", "lets chat on",
            "let's move to", "lets move to", "we can talk on", "we could talk on", "talk via", "chat via",
        ]

        static let messengerSuffixes = [
            "id", "i.d.", "handle", "username", "user name", "number", "me", "contact", "details", "info", "name", "?",
            "추가", "친추", "친구 추가", "주소", "계정", "으로 옮", "로 옮", "으로 넘어", "로 넘어", "으로 와 주세요",
            "로 와 주세요", "으로 와줘", "로 와줘", "으로 오세요", "로 오세요", "으로 얘기해요", "로 얘기해요",
            "으로 얘기하자", "로 얘기하자", "으로 얘기할까", "로 얘기할까", "으로 얘기 나눠", "로 얘기 나눠",
            "으로 얘기 나눌", "로 얘기 나눌", "으로 얘기하면", "로 얘기하면", "으로 이야기해요", "로 이야기해요",
            "으로 이야기할까", "로 이야기할까", "으로 이야기 나눠", "로 이야기 나눠", "으로 대화해요", "로 대화해요",
            "으로 대화하자", "로 대화하자", "으로 대화할까", "로 대화할까", "으로 대화 나눠", "로 대화 나눠",
            "으로 대화하면", "로 대화하면", "에서 대화해요", "에서 대화할까", "에서 대화하자", "에서 얘기해요",
            "에서 얘기할까", "에서 얘기하자", "에서 이야기해요", "에서 이야기할까", "으로 연락 주", "로 연락 주",
            "으로 연락 줘", "로 연락 줘", "으로 연락 드릴", "로 연락 드릴", "으로 연락할게", "로 연락할게",
            "으로 연락하세요", "로 연락하세요", "으로 연락 부탁", "로 연락 부탁", "으로 하자", "로 하자", "으로 해요",
            "로 해요", "으로 할까요", "로 할까요", "으로 하실래", "로 하실래", "으로 주세요", "로 주세요", "하세요",
            "하시나요", "하시죠", "하시면", "하시는지", "하세용", "해요?", "쓰세요", "쓰시나요", "쓰시면", "쓰시는지",
            "있으세요", "있으신가요", "있으시면", "있나요", "있어요?", "있으신지", "깔아", "까세요", "설치", "검색",
            "알려", "주세요", "줘", "드릴게", "드릴께", "드릴까요", "보내 드릴", "교환", "링크", "초대",
        ]

        static let messengerInvites = [
            "추가해", "추가 해", "추가 부탁", "추가 좀", "추가하세요", "친추", "친구 추가",
            "id",
            "검색해", "검색하면", "옮겨요", "옮길까요", "옮기자", "옮기실래", "옮겨서 얘기", "옮겨 가요", "넘어가요",
            "넘어갈까요", "넘어가실래", "넘어와", "넘어오세요", "거기서 얘기", "거기서 대화", "거기서 이야기",
            "add me", "add you", "my id", "id is", "id:", "username", "user name", "handle", "reach me", "find me",
            "search for me", "look me up", "text me", "message me", "contact me", "easier to talk", "better to talk",
            "talk there", "chat there", "more private", "can we move", "can we continue", "let's move",
            "let's continue", "lets move", "lets continue", "continue there", "move there",
        ]

        // MARK: Contact details

        static let contactShared = [
            "골뱅이",
            "gmail.com", "naver.com", "hanmail.net", "daum.net", "yahoo.com", "hotmail.com", "outlook.com",
            "icloud.com", "nate.com", "at gmail", "at naver", "at hotmail", "at yahoo", "at hanmail", "at daum",
            "at outlook", "at icloud", "gmail dot", "naver dot",
            "지메일 닷", "네이버 닷",
        ]

        static let contactNouns = [
            "전화번호", "전화 번호", "폰번호", "폰 번호", "핸드폰 번호", "휴대폰 번호", "휴대전화 번호", "핸폰 번호",
            "연락처", "이메일", "메일 주소", "e메일", "사는 곳 주소", "댁 주소", "사시는 곳", "계좌번호", "계좌",
            "주민번호", "주민등록번호", "주민 번호", "신분증", "여권 번호", "여권 사본", "여권 사진", "운전면허",
            "카드 번호", "비밀번호", "생년월일", "인증번호", "인증 번호",
            "otp", "phone number*", "phone no", "cell number*", "cell phone number*", "cellphone number*",
            "mobile number*", "mobile no", "telephone number*", "your number", "my number", "email*", "e-mail*",
            "email address*", "your address", "my address", "home address", "mailing address", "postal address",
            "street address", "where you live", "bank account*", "account number*", "account details", "bank details",
            "routing number", "sort code", "iban", "swift code", "social security", "ssn", "passport", "id card",
            "photo id", "your id", "driver's license", "drivers license", "date of birth", "card number*",
            "card details", "cvv", "verification code*", "one-time code", "otp",
        ]

        static let contactAsks = [
            "알려", "가르쳐", "주세요", "주실래", "주실 수", "주시면", "주면", "줄래", "줄 수", "줘", "남겨", "보내",
            "찍어", "불러", "적어", "공유", "뭐예요", "뭐에요", "뭐야", "뭔가요", "어떻게 돼", "어떻게 되", "받을 수",
            "받고 싶", "알고 싶", "알 수 있", "물어봐도", "여쭤", "교환", "주고받",
            "give me", "send me", "send your", "show me your", "upload your", "picture of your", "photo of your",
            "copy of your", "tell me", "share your", "what is your", "what's your", "whats your", "can i have",
            "can i get", "could i have", "could i get", "may i have", "may i get", "can you give", "could you give",
            "can you send", "could you send", "can you share", "could you share", "let me have", "i'd like your",
            "i would like your", "i need your", "need your", "drop me", "jot down", "text me", "call me at",
            "reach me at", "email me", "write to me", "send it to", "swap", "exchange", "trade numbers", "please",
            "좀",
        ]

        static let contactOffers = [
            "드릴게", "드릴께", "드려요", "드릴까", "드려도", "줄게", "줄께", "남길게", "보낼게", "적어 드릴", "입니다",
            "이에요", "예요",
            "here is my", "here's my", "heres my", "this is my", "i'll give you", "i will give you", "i'll send you my",
            "i can give you", "let me give you", "i'll share", "i can share", "i will share", "i'll tell you",
            "i will tell you",
        ]

        // MARK: Emergencies

        static let emergencyStrong = [
            "계좌 동결", "계좌가 동결", "계좌가 정지", "계좌가 막혀", "계좌가 막혔", "출금 정지", "인출 정지",
            "출금이 막", "인출이 막", "출금이 안 돼", "출금이 안 되", "인출이 안 돼", "인출이 안 되", "억류", "구금돼",
            "구금되",
            "account is frozen", "account has been frozen", "account was frozen", "accounts are frozen",
            "frozen account*", "account is blocked", "account is suspended", "account has been blocked",
            "can't access my account", "cannot access my account", "can't access my money", "cannot access my money",
            "can't access my funds", "cannot access my funds", "detained at", "held at customs", "held by customs",
            "stuck at customs", "stuck in customs", "customs detained", "i'm stranded", "i am stranded",
            "i'm stuck at the airport", "i am stuck at the airport",
        ]

        static let emergencyContexts = [
            "병원", "세관", "입원", "수술", "응급", "중환자", "사고", "교통사고", "다쳤", "다쳐서", "아파서", "공항",
            "통관", "경찰", "감옥", "교도소", "여권", "비자", "해외에 있어서", "해외에 나와", "해외 현장",
            "외국에 있어서", "외국에 나와", "발이 묶", "돈을 찾을 수 없", "파병", "파견", "군인", "작전", "전쟁",
            "시리아", "아프가니스탄", "이라크", "예멘", "우크라이나", "가자지구", "소말리아", "유전", "시추", "해상",
            "석유", "플랜트", "유엔", "평화유지",
            "un",
            "변호사", "소송", "재판", "벌금", "보석금", "호텔비", "숙박비", "항공권", "비행기표", "강도", "소매치기",
            "도난", "지갑을 잃", "지갑을 도둑", "수술비", "병원비", "치료비", "상속", "유산", "장례", "동결", "출국",
            "귀국", "납치", "인질",
            "hospital*", "surgery", "operation", "medical bill*", "hospital bill*", "medical fees", "treatment",
            "accident", "emergency", "icu", "intensive care", "cancer", "sick", "injured", "stranded", "stuck abroad",
            "stuck overseas", "stuck at the airport", "airport", "customs", "detained", "arrested", "jail", "prison",
            "police", "passport", "visa", "deployed", "deployment", "soldier", "military", "army", "marine", "syria",
            "afghanistan", "iraq", "yemen", "ukraine", "gaza", "somalia", "sudan", "libya", "oil rig", "offshore",
            "rig", "un doctor", "united nations", "peacekeeping", "peacekeeper", "lawyer", "attorney", "legal fee*",
            "court case", "in court", "court fees", "bail", "hotel bill*", "plane ticket*", "flight home",
            "ticket home", "robbed", "mugged", "lost my wallet", "stolen", "kidnapped", "ransom", "funeral",
            "inheritance", "gold bars", "consignment", "diplomat",
        ]

        static let helpAsks = requests(["도와", "빌려", "보내", "송금해"]) + [
            "도와 달라", "도움이 필요", "도움 좀", "도움을 요청", "부탁이 있", "어려운 부탁", "염치없", "염치 불구",
            "말하기 어렵", "손 벌려", "너밖에", "당신밖에", "자기밖에", "너뿐", "당신뿐", "자기뿐", "믿을 사람",
            "믿을 수 있는 사람은", "의지할 사람", "낼 방법이 없", "낼 돈이 없", "돈이 없어서", "갚을게", "갚을께",
            "갚겠", "돌려 줄게", "돌려 드릴게", "송금해", "급히 돈", "급하게 돈", "돈이 필요", "돈이 급", "비용이 필요",
            "help me", "please help", "need help", "need your help", "can you help", "could you help", "would you help",
            "will you help", "i'm begging", "i beg you", "can't ask anyone else", "cannot ask anyone else",
            "no one else to ask", "nobody else", "only you", "only one i trust", "only person i trust",
            "only one who can", "my only hope", "send me", "can you send", "could you send", "please send", "wire me",
            "lend me", "loan me", "can i borrow", "could i borrow", "pay you back", "repay you", "i will repay",
            "i'll repay", "reimburse you", "need money", "need the money", "need some money", "need funds", "need cash",
            "need $*", "cover the cost", "cover the bill", "pay the bill", "pay the fee", "pay for my", "help with the",
            "help with my", "financial assistance", "financial help", "financial support",
        ]

        // MARK: Deferring contact until after meeting

        /// Phrases about meeting in person, or later; next to an offer ("드릴게요", "I'll give you") they defer it.
        static let meetings = [
            "만난 후", "만난 뒤", "만난 다음", "뵙고", "뵈면", "뵙게 되면", "얼굴 보고", "얼굴 보면", "직접 보고",
            "직접 보면", "만날 때", "만나는 날", "첫 만남", "만남 후", "만남 이후", "만남 뒤", "만난 이후", "데이트 후",
            "데이트하고", "나중에", "천천히", "그때", "그 때",
            "later", "someday", "some day", "when we meet", "once we meet", "after we meet", "when we've met",
            "once we've met", "after we've met", "after we have met", "after meeting", "after we", "once we",
            "when we've", "after coffee", "after our coffee", "after a date", "after our date", "on our first date",
            "after our first date", "at our first date", "when i see you", "once i see you",
        ]

        static let deferrals = [
            "만나고 나서", "만난 후에", "만난 뒤에", "만난 다음에", "뵙고 나서", "얼굴 보고 나서", "만나 보고 나서",
            "만나 본 후", "만나 본 다음", "만나 본 뒤", "만나기 전에는", "만나기 전엔", "만나기 전까지는",
            "만날 때까지는", "직접 만나기 전", "은 안 해요", "는 안 해요", "은 안 드려요", "는 안 드려요", "은 안 알려",
            "는 안 알려", "안 드릴게요", "여기서 얘기해요", "여기서 대화해요", "앱에서 계속", "여기서 계속",
            "여기서 보내 드릴", "여기로 보내 드릴", "앱으로 보내 드릴", "여기서 알려 드릴", "조심스러", "아직은",
            "아직 좀", "아직 알려", "아직 이르", "나중에 알려", "나중에 드릴",
            "after we meet", "after we've met", "after we have met", "once we meet", "once we've met", "until we meet",
            "until we've met", "until after we meet", "after our first date", "after our first meeting",
            "after meeting", "in person first", "meet in person first", "numbers in person", "exchange in person",
            "rather not share", "rather not give", "prefer not to share", "prefer not to give", "don't give out",
            "not comfortable sharing", "not comfortable giving", "won't share", "don't share", "not share",
            "not ready to share", "not ready to give", "keep chatting here", "keep talking here", "stay on this app",
            "here in the app", "not yet", "too soon to", "too early to", "maybe later", "a bit early",
        ]
    }
}
