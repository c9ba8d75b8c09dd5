import FlameApp
import FlameImport
import FlameModel
import FlameReport
import FlameTrace
import Foundation
import XCTest

/// Dumps and traces recorded with Go 1.22, 1.24, 1.26 and 1.27 (testdata/make-release-fixtures.sh),
/// against Go 1.27.3's `go tool pprof -tags`, `go tool trace -pprof=TYPE` and goroutine pages.
final class GoReleaseFixtureTests: XCTestCase {
    static let root = Corpus.repoRoot.appendingPathComponent("Tests/FlamegenTests/Fixtures/releases")
    static let releases = ["go1.22", "go1.24", "go1.26", "go1.27"]

    func file(_ release: String, _ name: String) -> URL { Self.root.appendingPathComponent(release).appendingPathComponent(name) }

    func text(_ release: String, _ name: String) throws -> String { try String(contentsOf: file(release, name), encoding: .utf8) }

    func testEachReleaseWasRecordedByItself() throws {
        for release in Self.releases {
            XCTAssertTrue(try text(release, "go-version.txt").hasPrefix("go version \(release)."), release)
        }
    }

    /// Every blocking profile of every trace, byte for byte; among them the two causes of
    /// difference these releases show: one-frame stacks at PC 0 (sched) and syscalls that end
    /// before their goroutine first runs in the trace (syscall, the CPU profiler's reader).
    func testTraceProfilesEqualGoToolTrace() throws {
        for release in Self.releases {
            for name in ["http", "cpu", "profiled"] {
                for kind in [TraceProfileKind.net, .sync, .syscall, .sched] {
                    var inputs = ReportInputs(inputs: [file(release, "\(name).trace").path])
                    inputs.traceProfile = kind
                    let got = TopReport(context: try inputs.context(options: ReportOptions())).text()
                    XCTAssertEqual(got, try text(release, "\(name).\(kind.rawValue).top.txt"), "\(release) \(name) -pprof=\(kind.rawValue)")
                }
            }
        }
    }

    func testGoroutinePagesEqualGoToolTrace() throws {
        for release in Self.releases {
            for name in ["http", "cpu", "profiled"] {
                try TraceTests.checkGoroutinePages(trace: file(release, "\(name).trace"), pages: file(release, "\(name).goroutines.txt"), name: "\(release) \(name)")
            }
        }
    }

    /// Dumps count every goroutine of the profile taken with them; releases that print labels
    /// in dump headers (1.26 with GODEBUG=tracebacklabels=1: `[chan receive labels:{…}]`, 1.27:
    /// `[chan send] {…}`) give the tags of the proto profile, and filter like it.
    func testDumpsOfEveryReleaseCountAndLabelLikeTheProtoProfile() throws {
        for release in Self.releases {
            let proto = try ProfileLoader().load(path: file(release, "goroutine.pb.gz").path)
            let dump = try ProfileLoader().load(path: file(release, "goroutine_debug2.txt").path)
            XCTAssertEqual(dump.total(0), proto.total(0), release)
            XCTAssertEqual(try ProfileLoader().load(path: file(release, "goroutine_debug1.txt").path).total(0), proto.total(0), release)
            let printsLabels = release >= "go1.26"
            let headers = try text(release, "goroutine_debug2.txt")
            XCTAssertEqual(headers.contains(" labels:{"), release == "go1.26", release)
            guard printsLabels else {
                XCTAssertTrue(dump.labels.values.allSatisfy(\.isEmpty), "\(release) prints no labels in dumps")
                continue
            }
            let tags = TagsReport(context: try ReportContext(profile: dump, options: ReportOptions())).text()
            XCTAssertEqual(tags, try text(release, "goroutine.tags.txt"), release)
            var filter = StackFilter()
            filter.tagFocus = "state=recv"
            XCTAssertEqual(try dump.filtered(by: filter).total(0), try proto.filtered(by: filter).total(0), release)
            XCTAssertGreaterThan(try dump.filtered(by: filter).total(0), 0, release)
        }
    }
}
