import InyeonCore
import Testing

@Suite struct DemoPeopleGeneratorTests {
    let generator = DemoPeopleGenerator(currentYear: 2026)

    @Test func isDeterministicAndAppendOnly() {
        let first = generator.people(count: 50).map(\.id)
        let again = DemoPeopleGenerator(currentYear: 2026).people(count: 80).map(\.id)
        #expect(Array(again.prefix(50)) == first)
        #expect(DemoPeopleGenerator(seed: 1, currentYear: 2026).people(count: 50).map(\.id) != first)
    }

    @Test func includesTheEarlierSystemsDemoMembers() {
        let people = generator.people(count: 2)
        #expect(people[0].displayName == "김세렌")
        #expect(AgeBracket(birthYear: people[0].birthYear, currentYear: 2026) == .from51to55)
        #expect(people[0].place.city == "서울" && people[0].place.district == "강남구")
        #expect(people[1].displayName == "이매력")
        #expect(AgeBracket(birthYear: people[1].birthYear, currentYear: 2026) == .from46to50)
        #expect(people[1].place.district == "서초구")
    }

    @Test func peopleAreRealisticAndUnique() {
        let people = generator.people(count: 3000)
        #expect(Set(people.map(\.id)).count == people.count)
        #expect(Set(people.map(\.email)).count == people.count)
        for person in people {
            let age = 2026 - person.birthYear
            #expect((40...69).contains(age))
            #expect(person.preferredAgeMin <= person.preferredAgeMax)
            #expect((1...100).contains(person.maxDistanceKm))
            #expect(person.childrenAgeGroups.count == person.childrenCount)
            #expect(abs(person.exactLatitude - person.place.latitude) <= 0.02)
        }
        let divorced = people.filter { $0.maritalStatus == .divorced }.count
        #expect(divorced > 1000 && divorced < 1700)
    }
}
