import Foundation

/// Prints how long each phase took to stderr when `FLAMEGEN_TIMING` is set: the tool for
/// profiling flamegen itself (`FLAMEGEN_TIMING=1 flamegen big.folded -o x.svg`).
struct PhaseTimer {
    private let enabled = ProcessInfo.processInfo.environment["FLAMEGEN_TIMING"] != nil
    private var last = DispatchTime.now().uptimeNanoseconds

    mutating func mark(_ phase: String) {
        guard enabled else { return }
        let now = DispatchTime.now().uptimeNanoseconds
        FileHandle.standardError.write(Data(String(format: "flamegen: %-8@ %7.1f ms\n", phase, Double(now - last) / 1e6).utf8))
        last = now
    }
}
