/// Every 시·도 and 시·군·구 of South Korea with a representative point: where a person is placed
/// for distances. Others are measured from the district's point (or, when a person hides their
/// district, from their 시·도's point), never from a home, so no answer can reveal more than that.
public enum KoreanDistrictDirectory {
    public struct Point: Sendable, Equatable {
        public var latitude: Double
        public var longitude: Double

        public init(latitude: Double, longitude: Double) {
            self.latitude = latitude
            self.longitude = longitude
        }
    }

    public struct District: Sendable, Equatable {
        public var city: String
        public var district: String
        public var point: Point
    }

    /// Full and older names people may type or send, mapped to the short names the service stores.
    static let cityAliases: [String: String] = [
        "서울특별시": "서울", "서울시": "서울", "부산광역시": "부산", "부산시": "부산", "대구광역시": "대구", "대구시": "대구",
        "인천광역시": "인천", "인천시": "인천", "광주광역시": "광주", "광주시": "광주", "대전광역시": "대전", "대전시": "대전",
        "울산광역시": "울산", "울산시": "울산", "세종특별자치시": "세종", "세종시": "세종", "경기도": "경기",
        "강원도": "강원", "강원특별자치도": "강원", "충청북도": "충북", "충청남도": "충남", "전라북도": "전북", "전북특별자치도": "전북",
        "전라남도": "전남", "경상북도": "경북", "경상남도": "경남", "제주도": "제주", "제주특별자치도": "제주",
    ]

    public struct Region: Sendable, Equatable {
        public var city: String
        public var point: Point
    }

    public static let regions: [Region] = regionRows.map { Region(city: $0.0, point: Point(latitude: $0.1, longitude: $0.2)) }

    public static let districts: [District] = districtRows.map {
        District(city: $0.0, district: $0.1, point: Point(latitude: $0.2, longitude: $0.3))
    }

    private static let regionPoints: [String: Point] = Dictionary(
        regions.map { ($0.city, $0.point) }, uniquingKeysWith: { first, _ in first }
    )
    private static let districtIndex: [String: District] = Dictionary(
        districts.map { ($0.city + "|" + $0.district, $0) }, uniquingKeysWith: { first, _ in first }
    )

    /// The stored short name of a 시·도 (`서울` for `서울특별시`), or nil when it is not one.
    public static func city(named name: String) -> String? {
        let trimmed = name.trimmingWhitespace
        if regionPoints[trimmed] != nil { return trimmed }
        return cityAliases[trimmed]
    }

    /// The district of that 시·도, or nil when there is none by that name.
    public static func district(city: String, district: String) -> District? {
        guard let city = Self.city(named: city) else { return nil }
        return districtIndex[city + "|" + district.trimmingWhitespace]
    }

    /// The point of a 시·도 (by short or full name).
    public static func regionPoint(city: String) -> Point? {
        Self.city(named: city).flatMap { regionPoints[$0] }
    }
}

extension String {
    fileprivate var trimmingWhitespace: String {
        var scalars = Substring(self)
        while let first = scalars.first, first.isWhitespace { scalars = scalars.dropFirst() }
        while let last = scalars.last, last.isWhitespace { scalars = scalars.dropLast() }
        return String(scalars)
    }
}
