import Foundation

/// A line chart drawn on the server as SVG (no script, nothing from elsewhere): time along the
/// bottom, one line per series, the steps of a rollout as marked lines. It is an image with a title
/// and a description for screen readers; the console shows the same figures in a table beside it.
struct SVGLineChart: Sendable {
    struct Point: Sendable, Equatable {
        var at: Date
        var value: Double
    }

    struct Series: Sendable {
        var name: String
        var points: [Point]
        /// A dashed line, so the two cohorts differ by more than colour.
        var dashed: Bool
    }

    struct Mark: Sendable {
        var at: Date
        var label: String
    }

    var id: String
    var title: String
    var description: String
    var unit: String
    var series: [Series]
    var marks: [Mark] = []
    var timeZone = TimeZone(identifier: "Asia/Seoul") ?? .gmt

    static let width = 720.0, height = 320.0
    static let left = 86.0, right = 24.0, top = 24.0, bottom = 56.0
    /// Colours with at least 7:1 against white: the cohort with the feature, the one without.
    static let colours = ["#0a4a7a", "#1b1b1b"]

    /// The span of time and of values drawn: every point and mark, from zero up to a round top.
    var bounds: (start: Date, end: Date, top: Double)? {
        let times = series.flatMap { $0.points.map(\.at) } + marks.map(\.at)
        guard let start = times.min(), let end = times.max() else { return nil }
        let highest = series.flatMap { $0.points.map(\.value) }.max() ?? 0
        return (start, end > start ? end : start.addingTimeInterval(60), Self.roundedUp(highest))
    }

    /// 1, 2 or 5 times a power of ten, at or above `value` (at least 1).
    static func roundedUp(_ value: Double) -> Double {
        guard value > 0, value.isFinite else { return 1 }
        let power = pow(10, floor(log10(value)))
        for factor in [1.0, 2.0, 5.0, 10.0] where factor * power >= value { return factor * power }
        return 10 * power
    }

    /// Where a point is drawn, inside the plotting area.
    func position(_ point: Point, start: Date, end: Date, top: Double) -> (x: Double, y: Double) {
        let plotWidth = Self.width - Self.left - Self.right, plotHeight = Self.height - Self.top - Self.bottom
        let x = Self.left + plotWidth * point.at.timeIntervalSince(start) / end.timeIntervalSince(start)
        let y = Self.top + plotHeight * (1 - min(max(point.value / top, 0), 1))
        return ((x * 10).rounded() / 10, (y * 10).rounded() / 10)
    }

    func render() -> String {
        let titleID = "\(id)-title", descriptionID = "\(id)-description"
        var svg = """
            <svg xmlns="http://www.w3.org/2000/svg" class="chart" id="\(Self.escaped(id))" viewBox="0 0 \(Int(Self.width)) \(Int(Self.height))" \
            role="img" aria-labelledby="\(titleID) \(descriptionID)"><title id="\(titleID)">\(Self.escaped(title))</title>\
            <desc id="\(descriptionID)">\(Self.escaped(description))</desc>
            """
        guard let (start, end, top) = bounds else {
            return svg + "<text x=\"\(Int(Self.left))\" y=\"\(Int(Self.height / 2))\" font-size=\"18\" fill=\"#1b1b1b\">–</text></svg>"
        }
        let bottomY = Self.height - Self.bottom, rightX = Self.width - Self.right
        // The value axis: zero, half and the top, with their gridlines.
        for fraction in [0.0, 0.5, 1.0] {
            let y = position(Point(at: start, value: top * fraction), start: start, end: end, top: top).y
            svg += "<line x1=\"\(Self.left)\" y1=\"\(y)\" x2=\"\(rightX)\" y2=\"\(y)\" stroke=\"#5a5a5a\" stroke-width=\"1\"/>"
            svg += "<text x=\"\(Self.left - 8)\" y=\"\(y + 6)\" text-anchor=\"end\" font-size=\"18\" fill=\"#1b1b1b\">\(Self.escaped(Self.number(top * fraction) + unit))</text>"
        }
        // The time axis: its start and end.
        let clock = Date.VerbatimFormatStyle(
            format: "\(hour: .twoDigits(clock: .twentyFourHour, hourCycle: .zeroBased)):\(minute: .twoDigits)", timeZone: timeZone,
            calendar: Calendar(identifier: .gregorian)
        )
        svg += "<text x=\"\(Self.left)\" y=\"\(bottomY + 28)\" font-size=\"18\" fill=\"#1b1b1b\">\(Self.escaped(start.formatted(clock)))</text>"
        svg += "<text x=\"\(rightX)\" y=\"\(bottomY + 28)\" text-anchor=\"end\" font-size=\"18\" fill=\"#1b1b1b\">\(Self.escaped(end.formatted(clock)))</text>"
        for mark in marks {
            let x = position(Point(at: mark.at, value: 0), start: start, end: end, top: top).x
            svg += "<line x1=\"\(x)\" y1=\"\(Self.top)\" x2=\"\(x)\" y2=\"\(bottomY)\" stroke=\"#3d3d3d\" stroke-width=\"2\" stroke-dasharray=\"2 4\"/>"
            svg += "<text x=\"\(x + 4)\" y=\"\(Self.top + 16)\" font-size=\"18\" fill=\"#1b1b1b\">\(Self.escaped(mark.label))</text>"
        }
        for (index, line) in series.enumerated() where !line.points.isEmpty {
            let colour = Self.colours[index % Self.colours.count]
            let coordinates = line.points.map { position($0, start: start, end: end, top: top) }
            let path = coordinates.enumerated().map { "\($0.offset == 0 ? "M" : "L")\($0.element.x) \($0.element.y)" }.joined(separator: " ")
            svg += "<path d=\"\(path)\" fill=\"none\" stroke=\"\(colour)\" stroke-width=\"3\"\(line.dashed ? " stroke-dasharray=\"10 6\"" : "")/>"
            if let last = coordinates.last {
                svg += "<circle cx=\"\(last.x)\" cy=\"\(last.y)\" r=\"5\" fill=\"\(colour)\"/>"
            }
        }
        svg += "<line x1=\"\(Self.left)\" y1=\"\(bottomY)\" x2=\"\(rightX)\" y2=\"\(bottomY)\" stroke=\"#1b1b1b\" stroke-width=\"2\"/>"
        return svg + "</svg>"
    }

    /// A figure as the axis shows it: whole numbers plain, others with up to two decimals.
    static func number(_ value: Double) -> String {
        value.rounded() == value ? String(Int(value)) : String(format: "%.2f", value).replacingOccurrences(of: #"\.?0+$"#, with: "", options: .regularExpression)
    }

    static func escaped(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;").replacingOccurrences(of: ">", with: "&gt;")
            .replacingOccurrences(of: "\"", with: "&quot;")
    }
}
