/// Cities and districts with the coordinates of their district offices, where the demo people live.
public struct KoreanDistrict: Sendable {
    public var city: String
    public var district: String
    public var latitude: Double
    public var longitude: Double
    /// Relative population, so Seoul and Gyeonggi dominate as they do in life.
    public var weight: Int
}

public enum KoreanPlaces {
    public static let districts: [KoreanDistrict] = [
        .init(city: "서울", district: "강남구", latitude: 37.5172, longitude: 127.0473, weight: 6),
        .init(city: "서울", district: "서초구", latitude: 37.4837, longitude: 127.0324, weight: 5),
        .init(city: "서울", district: "송파구", latitude: 37.5145, longitude: 127.1059, weight: 6),
        .init(city: "서울", district: "마포구", latitude: 37.5663, longitude: 126.9019, weight: 4),
        .init(city: "서울", district: "노원구", latitude: 37.6542, longitude: 127.0568, weight: 5),
        .init(city: "서울", district: "종로구", latitude: 37.5735, longitude: 126.9790, weight: 2),
        .init(city: "서울", district: "강서구", latitude: 37.5509, longitude: 126.8495, weight: 5),
        .init(city: "서울", district: "영등포구", latitude: 37.5264, longitude: 126.8962, weight: 3),
        .init(city: "경기", district: "성남시 분당구", latitude: 37.3827, longitude: 127.1189, weight: 5),
        .init(city: "경기", district: "고양시 일산동구", latitude: 37.6584, longitude: 126.7750, weight: 4),
        .init(city: "경기", district: "수원시 영통구", latitude: 37.2596, longitude: 127.0465, weight: 4),
        .init(city: "경기", district: "용인시 수지구", latitude: 37.3222, longitude: 127.0977, weight: 3),
        .init(city: "인천", district: "연수구", latitude: 37.4101, longitude: 126.6783, weight: 3),
        .init(city: "부산", district: "해운대구", latitude: 35.1631, longitude: 129.1635, weight: 4),
        .init(city: "부산", district: "부산진구", latitude: 35.1629, longitude: 129.0532, weight: 3),
        .init(city: "대구", district: "수성구", latitude: 35.8581, longitude: 128.6306, weight: 3),
        .init(city: "대전", district: "유성구", latitude: 36.3623, longitude: 127.3562, weight: 2),
        .init(city: "광주", district: "서구", latitude: 35.1520, longitude: 126.8903, weight: 2),
        .init(city: "울산", district: "남구", latitude: 35.5437, longitude: 129.3300, weight: 1),
        .init(city: "제주", district: "제주시", latitude: 33.4996, longitude: 126.5312, weight: 1),
    ]
}
