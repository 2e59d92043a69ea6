/// The 20 questions of the values assessment (the topics of the earlier system), each option moving
/// personality and value dimensions up or down.
public enum AssessmentCatalog {
    public static let questions: [AssessmentQuestion] = [
        AssessmentQuestion(id: "life_values", topic: "life_values", korean: "삶에서 가장 소중하게 여기는 것은 무엇인가요?", english: "What matters most to you in life?", options: [
            .init(id: "a", korean: "가족과 함께하는 시간", english: "Time with family", effects: ["family": 15, "career": -5, "relationships": 5]),
            .init(id: "b", korean: "일에서 얻는 보람", english: "Fulfilment from work", effects: ["career": 15, "family": -5, "conscientiousness": 5]),
            .init(id: "c", korean: "자유롭게 사는 것", english: "Living freely", effects: ["freedom": 15, "security": -10, "openness": 5]),
            .init(id: "d", korean: "마음의 평화와 건강", english: "Peace of mind and health", effects: ["health": 15, "spirituality": 5, "neuroticism": -5]),
        ]),
        AssessmentQuestion(id: "leisure", topic: "leisure", korean: "여가 시간에 주로 무엇을 하시나요?", english: "How do you spend your free time?", options: [
            .init(id: "a", korean: "책이나 영화를 즐긴다", english: "Books or films", effects: ["intellectualCuriosity": 10, "extraversion": -5, "creativity": 5]),
            .init(id: "b", korean: "사람들과 어울린다", english: "Being with people", effects: ["extraversion": 15, "relationships": 10]),
            .init(id: "c", korean: "운동이나 산책을 한다", english: "Exercise or walks", effects: ["health": 15, "conscientiousness": 5]),
            .init(id: "d", korean: "새로운 것을 배운다", english: "Learning something new", effects: ["growth": 15, "openness": 10]),
        ]),
        AssessmentQuestion(id: "decisions", topic: "decisions", korean: "중요한 결정을 내릴 때 어떻게 하시나요?", english: "How do you make important decisions?", options: [
            .init(id: "a", korean: "충분히 조사하고 따져 본다", english: "Research and weigh carefully", effects: ["conscientiousness": 15, "adventurousness": -5]),
            .init(id: "b", korean: "마음이 가는 대로 정한다", english: "Follow my heart", effects: ["openness": 5, "conscientiousness": -10, "adventurousness": 10]),
            .init(id: "c", korean: "가까운 사람과 상의한다", english: "Talk it over with those close to me", effects: ["agreeableness": 10, "relationships": 10]),
            .init(id: "d", korean: "경험에 비추어 빨리 정한다", english: "Decide quickly from experience", effects: ["emotionalStability": 10, "neuroticism": -5]),
        ]),
        AssessmentQuestion(id: "weekends", topic: "weekends", korean: "이상적인 주말은 어떤 모습인가요?", english: "What does an ideal weekend look like?", options: [
            .init(id: "a", korean: "집에서 푹 쉰다", english: "Resting at home", effects: ["extraversion": -10, "security": 5]),
            .init(id: "b", korean: "친구나 가족과 모임을 갖는다", english: "Gathering with friends or family", effects: ["extraversion": 10, "family": 10]),
            .init(id: "c", korean: "가까운 곳으로 나들이 간다", english: "A short outing nearby", effects: ["adventurousness": 10, "health": 5]),
            .init(id: "d", korean: "봉사나 종교 활동을 한다", english: "Volunteering or faith activities", effects: ["spirituality": 15, "empathy": 10]),
        ]),
        AssessmentQuestion(id: "conflict", topic: "conflict", korean: "의견 충돌이 생기면 어떻게 하시나요?", english: "When you disagree with someone, what do you do?", options: [
            .init(id: "a", korean: "바로 이야기해서 푼다", english: "Talk it out right away", effects: ["extraversion": 5, "emotionalStability": 5, "agreeableness": -5]),
            .init(id: "b", korean: "시간을 두고 생각한 뒤 이야기한다", english: "Take time, then talk", effects: ["emotionalStability": 10, "conscientiousness": 5]),
            .init(id: "c", korean: "상대의 입장을 먼저 들어 본다", english: "Listen to their side first", effects: ["empathy": 15, "agreeableness": 10]),
            .init(id: "d", korean: "웬만하면 넘어간다", english: "Usually let it go", effects: ["agreeableness": 10, "neuroticism": 5, "extraversion": -5]),
        ]),
        AssessmentQuestion(id: "planning", topic: "planning", korean: "계획에 대해 어떻게 생각하시나요?", english: "How do you feel about plans?", options: [
            .init(id: "a", korean: "미리 세세하게 세운다", english: "I plan in detail ahead", effects: ["conscientiousness": 15, "security": 10, "adventurousness": -10]),
            .init(id: "b", korean: "큰 틀만 정해 둔다", english: "I set the broad outline", effects: ["conscientiousness": 5, "openness": 5]),
            .init(id: "c", korean: "그때그때 정한다", english: "I decide as I go", effects: ["conscientiousness": -10, "adventurousness": 10, "freedom": 10]),
            .init(id: "d", korean: "함께하는 사람에게 맞춘다", english: "I follow the other person's plan", effects: ["agreeableness": 10, "relationships": 5]),
        ]),
        AssessmentQuestion(id: "money", topic: "money", korean: "돈에 대한 생각은 어떠신가요?", english: "What is your attitude to money?", options: [
            .init(id: "a", korean: "노후를 위해 꼼꼼히 모은다", english: "Save carefully for later years", effects: ["security": 15, "conscientiousness": 10, "adventurousness": -5]),
            .init(id: "b", korean: "경험에 쓰는 것이 좋다", english: "Spend it on experiences", effects: ["adventurousness": 10, "freedom": 10, "security": -10]),
            .init(id: "c", korean: "가족을 위해 쓴다", english: "Spend it on family", effects: ["family": 15]),
            .init(id: "d", korean: "나누며 산다", english: "Share it", effects: ["empathy": 10, "spirituality": 5, "relationships": 5]),
        ]),
        AssessmentQuestion(id: "health", topic: "health", korean: "건강을 위해 무엇을 하시나요?", english: "What do you do for your health?", options: [
            .init(id: "a", korean: "규칙적으로 운동한다", english: "Exercise regularly", effects: ["health": 15, "conscientiousness": 10]),
            .init(id: "b", korean: "식습관을 챙긴다", english: "Mind my diet", effects: ["health": 10, "conscientiousness": 5]),
            .init(id: "c", korean: "마음 건강을 먼저 챙긴다", english: "Look after my mind first", effects: ["emotionalStability": 10, "spirituality": 5]),
            .init(id: "d", korean: "특별히 하는 것은 없다", english: "Nothing in particular", effects: ["health": -10, "conscientiousness": -5]),
        ]),
        AssessmentQuestion(id: "meeting_people", topic: "meeting_people", korean: "처음 만나는 사람과는 어떤가요?", english: "How are you with people you have just met?", options: [
            .init(id: "a", korean: "먼저 말을 건다", english: "I start the conversation", effects: ["extraversion": 15, "optimism": 5]),
            .init(id: "b", korean: "상대가 다가오면 편하게 대한다", english: "Relaxed once they approach", effects: ["agreeableness": 10]),
            .init(id: "c", korean: "시간이 지나야 편해진다", english: "It takes me time", effects: ["extraversion": -10, "neuroticism": 5]),
            .init(id: "d", korean: "분위기를 살피며 맞춘다", english: "I read the room and adapt", effects: ["empathy": 10, "agreeableness": 5]),
        ]),
        AssessmentQuestion(id: "stress", topic: "stress", korean: "스트레스를 받으면 어떻게 푸시나요?", english: "How do you relieve stress?", options: [
            .init(id: "a", korean: "혼자 조용히 쉰다", english: "Rest quietly alone", effects: ["extraversion": -10, "emotionalStability": 5]),
            .init(id: "b", korean: "누군가와 이야기한다", english: "Talk with someone", effects: ["extraversion": 10, "relationships": 10]),
            .init(id: "c", korean: "몸을 움직인다", english: "Move my body", effects: ["health": 10, "emotionalStability": 5]),
            .init(id: "d", korean: "잘 풀지 못하고 오래 간다", english: "It lingers with me", effects: ["neuroticism": 15, "emotionalStability": -15]),
        ]),
        AssessmentQuestion(id: "travel", topic: "travel", korean: "여행 스타일은 어떠신가요?", english: "What is your travel style?", options: [
            .init(id: "a", korean: "낯선 곳을 자유롭게 다닌다", english: "Roam unfamiliar places freely", effects: ["adventurousness": 15, "openness": 10]),
            .init(id: "b", korean: "계획된 패키지 여행이 편하다", english: "Planned package tours", effects: ["security": 10, "conscientiousness": 5, "adventurousness": -5]),
            .init(id: "c", korean: "익숙한 곳에서 쉰다", english: "Rest somewhere familiar", effects: ["security": 5, "adventurousness": -10]),
            .init(id: "d", korean: "문화와 역사를 배우러 간다", english: "Go to learn culture and history", effects: ["intellectualCuriosity": 15, "growth": 5]),
        ]),
        AssessmentQuestion(id: "friendship", topic: "friendship", korean: "친구 관계는 어떤가요?", english: "What are your friendships like?", options: [
            .init(id: "a", korean: "소수와 깊게 지낸다", english: "A few close friends", effects: ["relationships": 10, "extraversion": -5]),
            .init(id: "b", korean: "넓게 두루 지낸다", english: "Many friends", effects: ["extraversion": 10, "relationships": 5]),
            .init(id: "c", korean: "가족이 가장 가까운 친구다", english: "Family are my closest friends", effects: ["family": 10]),
            .init(id: "d", korean: "취미로 만난 사람들과 지낸다", english: "People I meet through hobbies", effects: ["openness": 5, "creativity": 5]),
        ]),
        AssessmentQuestion(id: "work_life", topic: "work_life", korean: "일과 삶의 균형에 대해서는요?", english: "How do you balance work and life?", options: [
            .init(id: "a", korean: "일이 삶의 중심이다", english: "Work is at the centre", effects: ["career": 15, "family": -5]),
            .init(id: "b", korean: "둘 다 균형 있게 챙긴다", english: "I keep both in balance", effects: ["conscientiousness": 5, "emotionalStability": 5]),
            .init(id: "c", korean: "이제는 삶이 먼저다", english: "Life comes first now", effects: ["freedom": 10, "career": -10]),
            .init(id: "d", korean: "은퇴 후 새 일을 찾고 싶다", english: "I want new work after retiring", effects: ["growth": 10, "career": 5]),
        ]),
        AssessmentQuestion(id: "problem_solving", topic: "problem_solving", korean: "문제가 생기면 어떻게 해결하시나요?", english: "How do you solve problems?", options: [
            .init(id: "a", korean: "논리적으로 분석한다", english: "Analyse logically", effects: ["intellectualCuriosity": 10, "conscientiousness": 5]),
            .init(id: "b", korean: "직감을 믿는다", english: "Trust my intuition", effects: ["openness": 10, "conscientiousness": -5]),
            .init(id: "c", korean: "주변에 도움을 청한다", english: "Ask others for help", effects: ["relationships": 10, "agreeableness": 5]),
            .init(id: "d", korean: "새로운 방법을 시도한다", english: "Try a new approach", effects: ["creativity": 15, "adventurousness": 5]),
        ]),
        AssessmentQuestion(id: "personality", topic: "personality", korean: "주변에서 나를 어떻게 말하나요?", english: "How do others describe you?", options: [
            .init(id: "a", korean: "밝고 긍정적인 사람", english: "Bright and positive", effects: ["optimism": 15, "neuroticism": -5]),
            .init(id: "b", korean: "차분하고 믿음직한 사람", english: "Calm and dependable", effects: ["emotionalStability": 15, "conscientiousness": 5]),
            .init(id: "c", korean: "따뜻하고 배려심 많은 사람", english: "Warm and caring", effects: ["empathy": 15, "agreeableness": 10]),
            .init(id: "d", korean: "호기심 많고 재미있는 사람", english: "Curious and fun", effects: ["openness": 10, "intellectualCuriosity": 10]),
        ]),
        AssessmentQuestion(id: "growth", topic: "growth", korean: "앞으로 더 키우고 싶은 것은?", english: "What would you like to grow in?", options: [
            .init(id: "a", korean: "새로운 지식과 기술", english: "New knowledge and skills", effects: ["growth": 15, "intellectualCuriosity": 10]),
            .init(id: "b", korean: "마음의 여유", english: "Peace of mind", effects: ["spirituality": 10, "emotionalStability": 5]),
            .init(id: "c", korean: "사람들과의 관계", english: "Relationships with people", effects: ["relationships": 15, "extraversion": 5]),
            .init(id: "d", korean: "지금에 만족한다", english: "I am content as I am", effects: ["growth": -10, "security": 5]),
        ]),
        AssessmentQuestion(id: "communication", topic: "communication", korean: "대화할 때 나는?", english: "When I talk with someone, I…", options: [
            .init(id: "a", korean: "생각을 솔직하고 분명하게 말한다", english: "say what I think, plainly", effects: ["extraversion": 5, "agreeableness": -5]),
            .init(id: "b", korean: "상대 기분을 살피며 부드럽게 말한다", english: "speak gently, minding their feelings", effects: ["agreeableness": 10, "empathy": 5]),
            .init(id: "c", korean: "주로 들어 주고 응원한다", english: "mostly listen and encourage", effects: ["empathy": 15]),
            .init(id: "d", korean: "근거를 들어 차근차근 말한다", english: "explain step by step, with reasons", effects: ["intellectualCuriosity": 5, "conscientiousness": 10]),
        ]),
        AssessmentQuestion(id: "change", topic: "change", korean: "변화에 대해 어떻게 느끼시나요?", english: "How do you feel about change?", options: [
            .init(id: "a", korean: "설레고 반갑다", english: "Excited", effects: ["openness": 15, "adventurousness": 10, "security": -5]),
            .init(id: "b", korean: "필요하면 받아들인다", english: "I accept it when needed", effects: ["emotionalStability": 5]),
            .init(id: "c", korean: "익숙한 것이 더 좋다", english: "I prefer the familiar", effects: ["security": 10, "openness": -10]),
            .init(id: "d", korean: "불안하다", english: "Anxious", effects: ["neuroticism": 15, "openness": -5]),
        ]),
        AssessmentQuestion(id: "meaning", topic: "meaning", korean: "삶의 의미를 어디에서 찾으시나요?", english: "Where do you find meaning in life?", options: [
            .init(id: "a", korean: "가족과 자녀", english: "Family and children", effects: ["family": 15]),
            .init(id: "b", korean: "신앙이나 영적인 삶", english: "Faith or spiritual life", effects: ["spirituality": 15]),
            .init(id: "c", korean: "남을 돕는 일", english: "Helping others", effects: ["empathy": 10, "relationships": 5]),
            .init(id: "d", korean: "나만의 성취와 창작", english: "My own achievements and creations", effects: ["creativity": 10, "career": 5]),
        ]),
        AssessmentQuestion(id: "partnership", topic: "partnership", korean: "이상적인 동반자 관계는?", english: "What is your ideal partnership?", options: [
            .init(id: "a", korean: "함께 모든 것을 나누는 관계", english: "Sharing everything together", effects: ["relationships": 15, "freedom": -10]),
            .init(id: "b", korean: "서로의 시간을 존중하는 관계", english: "Respecting each other's time", effects: ["freedom": 15, "relationships": -5]),
            .init(id: "c", korean: "든든한 버팀목이 되어 주는 관계", english: "Being each other's support", effects: ["security": 10, "family": 5]),
            .init(id: "d", korean: "함께 새로운 경험을 하는 관계", english: "Trying new things together", effects: ["adventurousness": 15, "openness": 5]),
        ]),
    ]
}
