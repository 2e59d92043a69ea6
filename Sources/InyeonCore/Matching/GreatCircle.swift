import Foundation

/// Great-circle distance on a spherical Earth (haversine), in kilometres.
public enum GreatCircle {
    static let earthRadiusKm = 6371.0088
    static let radians = Double.pi / 180

    public static func distanceKm(latitude1: Double, longitude1: Double, latitude2: Double, longitude2: Double) -> Double {
        distanceKm(
            latitude1: latitude1, longitude1: longitude1, cosLatitude1: cosLatitude(latitude1),
            latitude2: latitude2, longitude2: longitude2, cosLatitude2: cosLatitude(latitude2)
        )
    }

    /// The cosine of a latitude in degrees, which a place can keep so that it is not worked out again
    /// for every distance measured from it.
    static func cosLatitude(_ latitude: Double) -> Double { cos(latitude * radians) }

    static func distanceKm(
        latitude1: Double, longitude1: Double, cosLatitude1: Double, latitude2: Double, longitude2: Double, cosLatitude2: Double
    ) -> Double {
        let latitudeHalfSine = sin((latitude2 - latitude1) * radians / 2)
        let longitudeHalfSine = sin((longitude2 - longitude1) * radians / 2)
        let a = latitudeHalfSine * latitudeHalfSine + cosLatitude1 * cosLatitude2 * longitudeHalfSine * longitudeHalfSine
        return 2 * earthRadiusKm * asin(min(1, sqrt(a)))
    }
}
