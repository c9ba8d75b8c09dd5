import Foundation

/// Prints how long each phase took to stderr when `FLAMEGEN_TIMING` is set: the tool for
/// profiling flamegen itself (`FLAMEGEN_TIMING=1 flamegen big.folded -o x.svg`). Each phase
/// shows its wall time and the processor time of all threads in it (up to twice the wall
/// time on two cores when both are busy), and the peak resident memory at its end.
struct PhaseTimer {
    private let enabled = ProcessInfo.processInfo.environment["FLAMEGEN_TIMING"] != nil
    private var last = DispatchTime.now().uptimeNanoseconds
    private var lastCPU = PhaseTimer.processorNanoseconds()

    mutating func mark(_ phase: String) {
        guard enabled else { return }
        let now = DispatchTime.now().uptimeNanoseconds
        let cpu = Self.processorNanoseconds()
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        let line = String(format: "flamegen: %-8@ %7.1f ms (cpu %7.1f ms, peak %4d MB)\n", phase, Double(now - last) / 1e6,
                          Double(cpu - lastCPU) / 1e6, Int32(truncatingIfNeeded: usage.ru_maxrss >> 10))
        FileHandle.standardError.write(Data(line.utf8))
        last = now
        lastCPU = cpu
    }

    /// User and system time of every thread of the process so far.
    private static func processorNanoseconds() -> UInt64 {
        var time = timespec()
        clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &time)
        return UInt64(time.tv_sec) * 1_000_000_000 + UInt64(time.tv_nsec)
    }
}
