import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1

/// Where the benchmark's requests come from: `wrk` (Debian's package) when it is on the PATH,
/// else clients in this process.
enum LoadGenerator: Sendable {
    case wrk(path: String)
    case inProcess

    static func available() -> LoadGenerator {
        let paths = (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":")
        for directory in paths where FileManager.default.isExecutableFile(atPath: "\(directory)/wrk") {
            return .wrk(path: "\(directory)/wrk")
        }
        return .inProcess
    }

    var name: String {
        switch self {
        case .wrk: "wrk (2 threads, a separate process)"
        case .inProcess: "clients inside the benchmark's own process (wrk is not installed; they cost the service CPU)"
        }
    }

    func measure(_ endpoint: HTTPBenchmark.Endpoint, concurrency: Int, seconds: Double) async throws -> HTTPBenchmark.Measurement {
        let url = "http://127.0.0.1:\(endpoint.port)\(endpoint.path)"
        switch self {
        case .wrk(let path):
            var arguments = ["-t2", "-c\(concurrency)", "-d\(max(1, Int(seconds)))s", "--latency", "--timeout", "30s"]
            if let token = endpoint.token { arguments += ["-H", "Authorization: Bearer \(token)"] }
            // A short warm-up, not counted.
            _ = try await BenchmarkProcess.output(of: path, ["-t1", "-c2", "-d1s", url] + (endpoint.token.map { ["-H", "Authorization: Bearer \($0)"] } ?? []))
            let text = try await BenchmarkProcess.output(of: path, arguments + [url])
            return try WrkReport(endpoint: endpoint.name, text: text).measurement
        case .inProcess:
            return try await Self.inProcess(endpoint, url: url, concurrency: concurrency, seconds: seconds)
        }
    }

    /// `concurrency` clients in this process, each asking again as soon as an answer is complete.
    static func inProcess(_ endpoint: HTTPBenchmark.Endpoint, url: String, concurrency: Int, seconds: Double) async throws -> HTTPBenchmark.Measurement {
        var request = HTTPClientRequest(url: url)
        if let token = endpoint.token { request.headers.add(name: "Authorization", value: "Bearer \(token)") }
        let prepared = request
        for _ in 0..<5 { _ = try? await HTTPClient.shared.execute(prepared, timeout: .seconds(30)).body.collect(upTo: 1 << 24) }
        let clock = ContinuousClock()
        let start = clock.now
        let end = start + .milliseconds(Int(seconds * 1000))
        let results = try await withThrowingTaskGroup(of: ([Double], Int).self) { group in
            for _ in 0..<concurrency {
                group.addTask {
                    var latencies: [Double] = []
                    var errors = 0
                    while clock.now < end {
                        let sent = clock.now
                        do {
                            let response = try await HTTPClient.shared.execute(prepared, timeout: .seconds(30))
                            _ = try await response.body.collect(upTo: 1 << 24)
                            if response.status.code >= 400 { errors += 1 }
                        } catch {
                            errors += 1
                        }
                        latencies.append(CacheBenchmark.milliseconds(clock.now - sent))
                    }
                    return (latencies, errors)
                }
            }
            var all: [Double] = []
            var errors = 0
            for try await (latencies, failed) in group {
                all += latencies
                errors += failed
            }
            return (all.sorted(), errors)
        }
        let elapsed = CacheBenchmark.milliseconds(clock.now - start) / 1000
        let latencies = results.0
        func percentile(_ p: Double) -> Double {
            latencies.isEmpty ? 0 : latencies[min(latencies.count - 1, Int(Double(latencies.count) * p))]
        }
        return HTTPBenchmark.Measurement(
            endpoint: endpoint.name, requests: latencies.count, errors: results.1, requestsPerSecond: Double(latencies.count) / elapsed,
            p50Milliseconds: percentile(0.5), p99Milliseconds: percentile(0.99)
        )
    }
}

/// What `wrk --latency` prints, read.
struct WrkReport {
    let measurement: HTTPBenchmark.Measurement

    init(endpoint: String, text: String) throws {
        var percentiles: [String: Double] = [:]
        var requests = 0, errors = 0
        var perSecond: Double?
        for line in text.split(separator: "\n").map({ $0.trimmingCharacters(in: .whitespaces) }) {
            let words = line.split(separator: " ", omittingEmptySubsequences: true).map(String.init)
            if words.count == 2, words[0].hasSuffix("%"), let value = Self.milliseconds(words[1]) {
                percentiles[words[0]] = value
            } else if words.count >= 3, words[1] == "requests", words[2] == "in", let count = Int(words[0]) {
                requests = count
            } else if line.hasPrefix("Non-2xx or 3xx responses:"), let count = Int(words.last ?? "") {
                errors += count
            } else if line.hasPrefix("Socket errors:") {
                // "Socket errors: connect 0, read 0, write 0, timeout 0"
                errors += line.split(whereSeparator: { !$0.isNumber }).compactMap { Int($0) }.reduce(0, +)
            } else if line.hasPrefix("Requests/sec:"), let value = Double(words.last ?? "") {
                perSecond = value
            }
        }
        guard let perSecond, let p50 = percentiles["50%"], let p99 = percentiles["99%"] else {
            throw ChatBenchmark.BenchmarkError("wrk printed no latency distribution: \(text)")
        }
        measurement = HTTPBenchmark.Measurement(
            endpoint: endpoint, requests: requests, errors: errors, requestsPerSecond: perSecond, p50Milliseconds: p50, p99Milliseconds: p99
        )
    }

    /// "812.00us", "1.23ms", "2.01s", in milliseconds.
    static func milliseconds(_ text: String) -> Double? {
        for (unit, scale) in [("us", 0.001), ("ms", 1.0), ("s", 1000.0), ("m", 60_000.0)] where text.hasSuffix(unit) {
            return Double(text.dropLast(unit.count)).map { $0 * scale }
        }
        return nil
    }
}
