import Foundation
import XCTest

/// Headless Chromium (Debian's `chromium`) for tests of pages and interactive SVGs.
enum Browser {
    static let binary = ["/usr/bin/chromium", "/usr/bin/chromium-browser"].first { FileManager.default.isExecutableFile(atPath: $0) }

    /// Runs Chromium on `url`; returns (DOM after scripts ran, console messages, stderr).
    static func dumpDOM(_ url: URL, virtualTimeBudgetMs: Int = 2000) throws -> (dom: String, log: String) {
        guard let binary else { throw XCTSkip("chromium is not installed (apt-get install chromium)") }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: binary)
        let profile = FileManager.default.temporaryDirectory.appendingPathComponent("flamegen-chromium-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: profile) }
        process.arguments = ["--headless", "--no-sandbox", "--disable-gpu", "--user-data-dir=\(profile.path)",
                             "--enable-logging=stderr", "--v=0", "--virtual-time-budget=\(virtualTimeBudgetMs)",
                             "--dump-dom", url.absoluteString]
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let dom = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        let log = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        return (dom, log)
    }

    /// Console lines Chromium logged (`CONSOLE(…)`).
    static func consoleMessages(_ log: String) -> [String] {
        log.split(separator: "\n").filter { $0.contains("CONSOLE") }.map(String.init)
    }

    static func assertLoadsCleanly(_ url: URL, file: StaticString = #filePath, line: UInt = #line) throws {
        guard binary != nil else { return }
        let (dom, log) = try dumpDOM(url)
        XCTAssertFalse(dom.isEmpty, "chromium rendered nothing for \(url.lastPathComponent)", file: file, line: line)
        XCTAssertEqual(consoleMessages(log), [], "console messages from \(url.lastPathComponent)", file: file, line: line)
    }
}
