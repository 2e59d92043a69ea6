/// Cities and districts where the demo people live, at their points in `KoreanDistrictDirectory`.
public struct KoreanDistrict: Sendable {
    public var city: String
    public var district: String
    public var latitude: Double
    public var longitude: Double
    /// Relative population, so Seoul and Gyeonggi dominate as they do in life.
    public var weight: Int
}

public enum KoreanPlaces {
    private static func place(_ city: String, _ district: String, weight: Int) -> KoreanDistrict {
        guard let found = KoreanDistrictDirectory.district(city: city, district: district) else {
            preconditionFailure("\(city) \(district) is not in KoreanDistrictDirectory")
        }
        return KoreanDistrict(city: city, district: district, latitude: found.point.latitude, longitude: found.point.longitude, weight: weight)
    }

    public static let districts: [KoreanDistrict] = [
        place("서울", "강남구", weight: 6),
        place("서울", "서초구", weight: 5),
        place("서울", "송파구", weight: 6),
        place("서울", "마포구", weight: 4),
        place("서울", "노원구", weight: 5),
        place("서울", "종로구", weight: 2),
        place("서울", "강서구", weight: 5),
        place("서울", "영등포구", weight: 3),
        place("경기", "성남시 분당구", weight: 5),
        place("경기", "고양시 일산동구", weight: 4),
        place("경기", "수원시 영통구", weight: 4),
        place("경기", "용인시 수지구", weight: 3),
        place("인천", "연수구", weight: 3),
        place("부산", "해운대구", weight: 4),
        place("부산", "부산진구", weight: 3),
        place("대구", "수성구", weight: 3),
        place("대전", "유성구", weight: 2),
        place("광주", "서구", weight: 2),
        place("울산", "남구", weight: 1),
        place("제주", "제주시", weight: 1),
    ]
}
