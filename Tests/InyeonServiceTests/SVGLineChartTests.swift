import Foundation
import Testing

@testable import InyeonService

/// The console's charts: where each point is drawn, the value axis's round top, and that nothing a
/// label holds can become markup.
struct SVGLineChartTests {
    let start = Date(timeIntervalSince1970: 1_800_000_000)

    func chart(_ series: [SVGLineChart.Series], marks: [SVGLineChart.Mark] = []) -> SVGLineChart {
        SVGLineChart(id: "c", title: "오류율 <b>", description: "d & e", unit: "%", series: series, marks: marks, timeZone: .gmt)
    }

    @Test func theValueAxisEndsAtARoundNumberAtOrAboveTheHighestPoint() {
        #expect(SVGLineChart.roundedUp(0) == 1)
        #expect(SVGLineChart.roundedUp(0.3) == 0.5)
        #expect(SVGLineChart.roundedUp(3.2) == 5)
        #expect(SVGLineChart.roundedUp(7) == 10)
        #expect(SVGLineChart.roundedUp(120) == 200)
        #expect(SVGLineChart.roundedUp(.infinity) == 1)
    }

    @Test func pointsAreDrawnWhereTheirTimeAndValueSay() throws {
        let line = SVGLineChart.Series(name: "on", points: [.init(at: start, value: 0), .init(at: start.addingTimeInterval(600), value: 4)], dashed: false)
        let drawn = chart([line])
        let bounds = try #require(drawn.bounds)
        #expect(bounds.top == 5)
        // The first point at the plot's left and bottom, the last at its right and 4/5 of its height.
        let first = drawn.position(line.points[0], start: bounds.start, end: bounds.end, top: bounds.top)
        let last = drawn.position(line.points[1], start: bounds.start, end: bounds.end, top: bounds.top)
        #expect(first.x == SVGLineChart.left && first.y == SVGLineChart.height - SVGLineChart.bottom)
        #expect(last.x == SVGLineChart.width - SVGLineChart.right)
        let plotHeight = SVGLineChart.height - SVGLineChart.top - SVGLineChart.bottom
        #expect(abs(last.y - (SVGLineChart.top + plotHeight / 5)) < 0.1)
        let svg = drawn.render()
        #expect(svg.contains("d=\"M\(first.x) \(first.y) L\(last.x) \(last.y)\""))
        #expect(svg.contains(">5%</text>") && svg.contains(">2.5%</text>") && svg.contains(">0%</text>"))
        #expect(svg.contains(">08:00</text>") && svg.contains(">08:10</text>"), "the time axis from the first point to the last")
    }

    @Test func theSecondCohortIsDashedAndStepsAreMarked() {
        let on = SVGLineChart.Series(name: "on", points: [.init(at: start, value: 1)], dashed: false)
        let off = SVGLineChart.Series(name: "off", points: [.init(at: start, value: 2), .init(at: start.addingTimeInterval(60), value: 2)], dashed: true)
        let svg = chart([on, off], marks: [.init(at: start.addingTimeInterval(30), label: "50%")]).render()
        #expect(svg.components(separatedBy: "stroke-dasharray=\"10 6\"").count == 2, "one dashed line")
        #expect(svg.contains(">50%</text>"))
    }

    @Test func labelsAreEscapedAndAnEmptyChartSaysSo() {
        let svg = chart([]).render()
        #expect(svg.contains("<title id=\"c-title\">오류율 &lt;b&gt;</title>"))
        #expect(svg.contains("<desc id=\"c-description\">d &amp; e</desc>"))
        #expect(svg.contains("role=\"img\"") && svg.hasSuffix("</svg>") && !svg.contains("<path"))
    }
}
