import Foundation
import XCTest

/// The installation `make test` stages with `make install DESTDIR=… PREFIX=/usr` (FLAMEGEN_STAGE):
/// a binary that runs without the Swift toolchain, its man page and shell completions.
final class InstallTests: XCTestCase {
    var stage: URL!

    override func setUpWithError() throws {
        guard let path = ProcessInfo.processInfo.environment["FLAMEGEN_STAGE"], !path.isEmpty else {
            throw XCTSkip("FLAMEGEN_STAGE not set: make test stages an installation and sets it")
        }
        stage = URL(fileURLWithPath: path)
    }

    func run(_ executable: String, _ args: [String], environment: [String: String]? = nil) throws -> (status: Int32, output: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = args
        if let environment { process.environment = environment }
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }

    /// The directory of the Swift toolchain's runtime libraries (where libswiftCore.so lives).
    func toolchainLibraries() throws -> String {
        let swift = try run("/usr/bin/env", ["which", "swift"]).output.trimmingCharacters(in: .whitespacesAndNewlines)
        XCTAssertFalse(swift.isEmpty, "the tests run with a toolchain on PATH")
        let real = URL(fileURLWithPath: swift).resolvingSymlinksInPath()
        return real.deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("lib").path
    }

    func testInstalledBinaryRunsWithoutTheToolchain() throws {
        let binary = stage.appendingPathComponent("usr/bin/flamegen").path
        XCTAssertTrue(FileManager.default.isExecutableFile(atPath: binary))
        // ldd lists only system libraries: nothing from the toolchain, no libswift/libFoundation.
        let ldd = try run("/usr/bin/ldd", [binary])
        XCTAssertEqual(ldd.status, 0, ldd.output)
        let toolchain = try toolchainLibraries()
        XCTAssertFalse(ldd.output.contains(toolchain), ldd.output)
        XCTAssertFalse(ldd.output.contains("libswift"), ldd.output)
        XCTAssertFalse(ldd.output.contains("libFoundation"), ldd.output)
        XCTAssertFalse(ldd.output.contains("not found"), ldd.output)
        // With an empty environment and a PATH that has no Swift in it, it renders and reports.
        let clean = ["PATH": "/usr/bin:/bin", "TZ": "UTC"]
        XCTAssertEqual(try run(binary, ["--version"], environment: clean).output, "flamegen 0.3.0\n")
        let out = FileManager.default.temporaryDirectory.appendingPathComponent("installed-\(UUID().uuidString).png").path
        defer { try? FileManager.default.removeItem(atPath: out) }
        let render = try run(binary, [Fixture.path("cpu.pb.gz"), "-o", out], environment: clean)
        XCTAssertEqual(render.status, 0, render.output)
        let graph = try run(binary, ["graph", Fixture.path("cpu.pb.gz"), "-o", out], environment: clean)
        XCTAssertEqual(graph.status, 0, graph.output)
        let top = try run(binary, ["top", Fixture.path("cpu.pb.gz")], environment: clean)
        XCTAssertEqual(top.output, String(decoding: try CLITests.run(["top", Fixture.path("cpu.pb.gz")]).stdout, as: UTF8.self))
    }

    func testManPageAndCompletionsAreInstalled() throws {
        let man = try String(contentsOf: stage.appendingPathComponent("usr/share/man/man1/flamegen.1"), encoding: .utf8)
        XCTAssertTrue(man.contains(".Sh NAME"))
        for command in ["top", "peek", "check", "report", "graph"] { XCTAssertTrue(man.contains(".It Em \(command)"), command) }
        let bash = try String(contentsOf: stage.appendingPathComponent("usr/share/bash-completion/completions/flamegen"), encoding: .utf8)
        XCTAssertTrue(bash.contains("complete") && bash.contains("--sample-index"))
        let zsh = try String(contentsOf: stage.appendingPathComponent("usr/share/zsh/vendor-completions/_flamegen"), encoding: .utf8)
        XCTAssertTrue(zsh.hasPrefix("#compdef flamegen"))
        XCTAssertTrue(FileManager.default.fileExists(atPath: stage.appendingPathComponent("usr/share/fish/vendor_completions.d/flamegen.fish").path))
    }
}
