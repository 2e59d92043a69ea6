import Foundation

/// The benchmark's plot: each endpoint's p50 (solid) and p99 (dashed) latency against the number of
/// people, on logarithmic axes, as a self-contained SVG (no script, no fonts to fetch).
public struct LatencyPlot {
    let report: HTTPBenchmark.Report

    static let palette = ["#1b5e20", "#0d47a1", "#b71c1c", "#6a1b9a", "#e65100", "#00838f", "#795548", "#37474f", "#c2185b"]

    var svg: String {
        let (width, height) = (960.0, 560.0)
        let plot = (left: 80.0, top: 50.0, right: 600.0, bottom: 490.0)
        let people = report.sizes.map { Double($0.people) }
        let latencies = report.sizes.flatMap { $0.measurements.flatMap { [$0.p50Milliseconds, $0.p99Milliseconds] } }.filter { $0 > 0 }
        guard let fewest = people.min(), let most = people.max(), let lowest = latencies.min(), let highest = latencies.max() else {
            return "<svg xmlns=\"http://www.w3.org/2000/svg\"/>"
        }
        let xRange = (floor(log10(fewest)), max(ceil(log10(most)), floor(log10(fewest)) + 1))
        let yRange = (floor(log10(lowest)), max(ceil(log10(highest)), floor(log10(lowest)) + 1))
        func x(_ n: Double) -> Double { plot.left + (log10(n) - xRange.0) / (xRange.1 - xRange.0) * (plot.right - plot.left) }
        // A value of 0 (no answer in time) is drawn at the bottom edge.
        func y(_ ms: Double) -> Double { plot.bottom - (log10(max(ms, pow(10, yRange.0))) - yRange.0) / (yRange.1 - yRange.0) * (plot.bottom - plot.top) }
        func number(_ value: Double) -> String { String(format: "%.1f", value) }

        var parts = [
            #"<svg xmlns="http://www.w3.org/2000/svg" width="\#(Int(width))" height="\#(Int(height))" viewBox="0 0 \#(Int(width)) \#(Int(height))" font-family="sans-serif" font-size="13">"#,
            #"<title>Latency against the number of people (p50 solid, p99 dashed)</title>"#,
            #"<rect width="100%" height="100%" fill="white"/>"#,
            #"<text x="\#(Int(plot.left))" y="28" font-size="16">Latency against the number of people: p50 solid, p99 dashed (\#(Self.escape(report.loadGenerator)), \#(report.concurrency) connections)</text>"#,
        ]
        for power in Int(xRange.0)...Int(xRange.1) {
            let at = x(pow(10, Double(power)))
            parts.append(#"<line x1="\#(number(at))" y1="\#(plot.top)" x2="\#(number(at))" y2="\#(plot.bottom)" stroke="gainsboro"/>"#)
            parts.append(#"<text x="\#(number(at))" y="\#(plot.bottom + 20)" text-anchor="middle">\#(Int(pow(10, Double(power))).formatted())</text>"#)
        }
        for power in Int(yRange.0)...Int(yRange.1) {
            let at = y(pow(10, Double(power)))
            parts.append(#"<line x1="\#(plot.left)" y1="\#(number(at))" x2="\#(plot.right)" y2="\#(number(at))" stroke="gainsboro"/>"#)
            parts.append(#"<text x="\#(plot.left - 8)" y="\#(number(at + 4))" text-anchor="end">\#(Self.milliseconds(pow(10, Double(power))))</text>"#)
        }
        parts.append(#"<text x="\#((plot.left + plot.right) / 2)" y="\#(plot.bottom + 42)" text-anchor="middle">people</text>"#)
        parts.append(#"<text x="20" y="\#((plot.top + plot.bottom) / 2)" transform="rotate(-90 20 \#((plot.top + plot.bottom) / 2))" text-anchor="middle">latency</text>"#)

        let endpoints = report.sizes.first?.measurements.map(\.endpoint) ?? []
        for (index, endpoint) in endpoints.enumerated() {
            let colour = Self.palette[index % Self.palette.count]
            for (percentile, dash) in [(\HTTPBenchmark.Measurement.p50Milliseconds, ""), (\HTTPBenchmark.Measurement.p99Milliseconds, #" stroke-dasharray="6 4""#)] {
                let points = report.sizes.compactMap { size in
                    size.measurements.first { $0.endpoint == endpoint }.map { "\(number(x(Double(size.people)))),\(number(y($0[keyPath: percentile])))" }
                }
                parts.append(#"<polyline points="\#(points.joined(separator: " "))" fill="none" stroke="\#(colour)" stroke-width="2"\#(dash)/>"#)
            }
            let legendY = plot.top + 10 + Double(index) * 22
            parts.append(#"<line x1="\#(plot.right + 20)" y1="\#(legendY)" x2="\#(plot.right + 44)" y2="\#(legendY)" stroke="\#(colour)" stroke-width="3"/>"#)
            parts.append(#"<text x="\#(plot.right + 50)" y="\#(legendY + 4)">\#(Self.escape(endpoint))</text>"#)
        }
        parts.append("</svg>")
        return parts.joined(separator: "\n") + "\n"
    }

    static func milliseconds(_ value: Double) -> String {
        value >= 1000 ? "\(Int(value / 1000)) s" : value >= 1 ? "\(Int(value)) ms" : String(format: "%g ms", value)
    }

    static func escape(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;").replacingOccurrences(of: ">", with: "&gt;")
    }

    /// The plot of a report already written (`bench-http.md`), to draw it again without measuring.
    public static func svg(fromMarkdown text: String) -> String {
        var sizes: [HTTPBenchmark.SizeResult] = []
        var load = "", concurrency = 0, seconds = 0.0
        for line in text.split(separator: "\n").map(String.init) {
            if line.hasPrefix("load: ") {
                let parts = line.dropFirst(6).components(separatedBy: ", ")
                load = parts.dropLast(2).joined(separator: ", ")
                concurrency = Int(parts.dropLast().last?.split(separator: " ").first ?? "") ?? 0
                seconds = Double(parts.last?.split(separator: " ").first ?? "") ?? 0
            } else if line.hasPrefix("### "), let people = Int(line.dropFirst(4).split(separator: " ").first?.replacingOccurrences(of: ",", with: "") ?? "") {
                sizes.append(HTTPBenchmark.SizeResult(people: people, measurements: [], ceilings: [], residentMegabytes: 0))
            } else if line.hasPrefix("| `"), !sizes.isEmpty {
                let cells = line.split(separator: "|").map { $0.trimmingCharacters(in: .whitespaces) }
                guard cells.count >= 5, let rate = Double(cells[1]), let p50 = Double(cells[2]), let p99 = Double(cells[3]) else { continue }
                sizes[sizes.count - 1].measurements.append(HTTPBenchmark.Measurement(
                    endpoint: cells[0].trimmingCharacters(in: CharacterSet(charactersIn: "`")), requests: 0, errors: Int(cells[4]) ?? 0,
                    requestsPerSecond: rate, p50Milliseconds: p50, p99Milliseconds: p99
                ))
            }
        }
        return LatencyPlot(report: HTTPBenchmark.Report(concurrency: concurrency, seconds: seconds, loadGenerator: load, sizes: sizes)).svg
    }
}
