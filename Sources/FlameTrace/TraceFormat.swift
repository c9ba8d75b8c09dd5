/// The wire format of Go execution traces, version 2 (Go 1.22 and later), as written by the
/// runtime: a header `go 1.NN trace\0\0\0`, then batches of events grouped in generations.
/// New event types have only ever been appended, so one table serves every version.
enum TraceFormat {
    /// Versions with the v2 format (Go 1.27 still writes `go 1.26 trace`).
    static let supportedVersions: ClosedRange<Int> = 22...26

    // Structural events.
    static let eventBatch: UInt8 = 1
    static let stacks: UInt8 = 2
    static let stack: UInt8 = 3
    static let strings: UInt8 = 4
    static let string: UInt8 = 5
    static let cpuSamples: UInt8 = 6
    static let cpuSample: UInt8 = 7
    static let frequency: UInt8 = 8
    static let experimentalBatch: UInt8 = 49
    static let sync: UInt8 = 50
    static let clockSnapshot: UInt8 = 51
    static let endOfGeneration: UInt8 = 52

    // Timed events.
    static let procsChange: UInt8 = 9
    static let procStart: UInt8 = 10
    static let procStop: UInt8 = 11
    static let procSteal: UInt8 = 12
    static let procStatus: UInt8 = 13
    static let goCreate: UInt8 = 14
    static let goCreateSyscall: UInt8 = 15
    static let goStart: UInt8 = 16
    static let goDestroy: UInt8 = 17
    static let goDestroySyscall: UInt8 = 18
    static let goStop: UInt8 = 19
    static let goBlock: UInt8 = 20
    static let goUnblock: UInt8 = 21
    static let goSyscallBegin: UInt8 = 22
    static let goSyscallEnd: UInt8 = 23
    static let goSyscallEndBlocked: UInt8 = 24
    static let goStatus: UInt8 = 25
    static let stwBegin: UInt8 = 26
    static let stwEnd: UInt8 = 27
    static let gcActive: UInt8 = 28
    static let gcBegin: UInt8 = 29
    static let gcEnd: UInt8 = 30
    static let gcSweepActive: UInt8 = 31
    static let gcSweepBegin: UInt8 = 32
    static let gcSweepEnd: UInt8 = 33
    static let gcMarkAssistActive: UInt8 = 34
    static let gcMarkAssistBegin: UInt8 = 35
    static let gcMarkAssistEnd: UInt8 = 36
    static let heapAlloc: UInt8 = 37
    static let heapGoal: UInt8 = 38
    static let goLabel: UInt8 = 39
    static let userTaskBegin: UInt8 = 40
    static let userTaskEnd: UInt8 = 41
    static let userRegionBegin: UInt8 = 42
    static let userRegionEnd: UInt8 = 43
    static let userLog: UInt8 = 44
    static let goSwitch: UInt8 = 45
    static let goSwitchDestroy: UInt8 = 46
    static let goCreateBlocked: UInt8 = 47
    static let goStatusStack: UInt8 = 48

    /// What the decoder needs of an event type: its argument count (after the time delta), and
    /// which arguments are stack and string ids (indices into those arguments).
    struct Spec {
        let arguments: Int
        let stackArguments: [Int]
        let stringArguments: [Int]
        init(_ arguments: Int, stacks: [Int] = [], strings: [Int] = []) {
            self.arguments = arguments
            stackArguments = stacks
            stringArguments = strings
        }
    }

    /// Timed events by type; nil for types that cannot appear in an M's batch.
    static let specs: [Spec?] = {
        var s = [Spec?](repeating: nil, count: 256)
        s[Int(procsChange)] = Spec(2, stacks: [1])
        s[Int(procStart)] = Spec(2)
        s[Int(procStop)] = Spec(0)
        s[Int(procSteal)] = Spec(3)
        s[Int(procStatus)] = Spec(2)
        s[Int(goCreate)] = Spec(3, stacks: [2, 1])
        s[Int(goCreateSyscall)] = Spec(1)
        s[Int(goStart)] = Spec(2)
        s[Int(goDestroy)] = Spec(0)
        s[Int(goDestroySyscall)] = Spec(0)
        s[Int(goStop)] = Spec(2, stacks: [1], strings: [0])
        s[Int(goBlock)] = Spec(2, stacks: [1], strings: [0])
        s[Int(goUnblock)] = Spec(3, stacks: [2])
        s[Int(goSyscallBegin)] = Spec(2, stacks: [1])
        s[Int(goSyscallEnd)] = Spec(0)
        s[Int(goSyscallEndBlocked)] = Spec(0)
        s[Int(goStatus)] = Spec(3)
        s[Int(stwBegin)] = Spec(2, stacks: [1], strings: [0])
        s[Int(stwEnd)] = Spec(0)
        s[Int(gcActive)] = Spec(1)
        s[Int(gcBegin)] = Spec(2, stacks: [1])
        s[Int(gcEnd)] = Spec(1)
        s[Int(gcSweepActive)] = Spec(1)
        s[Int(gcSweepBegin)] = Spec(1, stacks: [0])
        s[Int(gcSweepEnd)] = Spec(2)
        s[Int(gcMarkAssistActive)] = Spec(1)
        s[Int(gcMarkAssistBegin)] = Spec(1, stacks: [0])
        s[Int(gcMarkAssistEnd)] = Spec(0)
        s[Int(heapAlloc)] = Spec(1)
        s[Int(heapGoal)] = Spec(1)
        s[Int(goLabel)] = Spec(1, strings: [0])
        s[Int(userTaskBegin)] = Spec(4, stacks: [3], strings: [2])
        s[Int(userTaskEnd)] = Spec(2, stacks: [1])
        s[Int(userRegionBegin)] = Spec(3, stacks: [2], strings: [1])
        s[Int(userRegionEnd)] = Spec(3, stacks: [2], strings: [1])
        s[Int(userLog)] = Spec(4, stacks: [3], strings: [1, 2])
        s[Int(goSwitch)] = Spec(2)
        s[Int(goSwitchDestroy)] = Spec(2)
        s[Int(goCreateBlocked)] = Spec(3, stacks: [2, 1])
        s[Int(goStatusStack)] = Spec(4, stacks: [3])
        s[Int(clockSnapshot)] = Spec(3)
        // Experimental heap and stack events (AllocFree).
        for (type, count) in [(128, 3), (129, 3), (130, 1), (131, 2), (132, 2), (133, 1), (134, 2), (135, 2), (136, 1)] {
            s[type] = Spec(count)
        }
        return s
    }()

    static let maxBatchSize = 64 << 10
    static let maxFramesPerStack = 128
    static let maxStringSize = 1 << 10

    /// The version in a trace header, or nil when `bytes` do not start like a Go trace.
    /// Versions 11–21 (the v1 format) are returned too, so the caller can name them.
    static func headerVersion(_ bytes: ArraySlice<UInt8>) -> (version: Int, length: Int)? {
        let prefix = Array("go 1.".utf8)
        guard bytes.count >= 16, bytes.starts(with: prefix) else { return nil }
        var i = bytes.startIndex + prefix.count
        var version = 0
        while i < bytes.endIndex, bytes[i] >= 0x30, bytes[i] <= 0x39, version < 1000 {
            version = version * 10 + Int(bytes[i] - 0x30)
            i += 1
        }
        let suffix = Array(" trace\0\0\0".utf8)
        guard bytes[i...].starts(with: suffix) else { return nil }
        return (version, i + suffix.count - bytes.startIndex)
    }
}
