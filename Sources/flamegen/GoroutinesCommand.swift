import ArgumentParser
import FlameApp
import FlameImport
import FlameTrace
import Foundation

extension Flamegen {
    /// `flamegen goroutines`: where goroutines spent their time, from an execution trace.
    struct Goroutines: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "goroutines",
            abstract: "Goroutine analysis of a Go execution trace: per start function, count and time running, waiting, blocked, in syscalls, GC assist and sweep.",
            discussion: """
            The numbers are those of go tool trace's goroutine analysis.

            Examples:
              curl -o trace.out 'localhost:6060/debug/pprof/trace?seconds=5'
              flamegen goroutines trace.out
              flamegen goroutines trace.out --format json
            """)

        @Argument(help: "A Go execution trace (Go 1.22 or later); - reads standard input.")
        var input: String

        @Option(help: "text or json.")
        var format = "text"

        func validate() throws {
            guard ["text", "json"].contains(format) else { throw ValidationError("--format must be text or json") }
        }

        func run() throws {
            let report: GoroutineReport
            do { report = try GoroutineReport(events: ProfileLoader().traceEvents(path: input)) } catch let error as ProfileLoader.Failure {
                throw AppError(error.description)
            } catch { throw AppError("\(input): \(error)") }
            try OutputFile.write(Array((format == "json" ? report.json() : report.text()).utf8), to: "-")
        }
    }
}

extension Flamegen {
    /// `flamegen tasks`: user task and region latencies from an execution trace.
    struct Tasks: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "tasks",
            abstract: "User task and region latency tables of a Go execution trace (runtime/trace NewTask, WithRegion).",
            discussion: "The counts and duration buckets are those of go tool trace's /usertasks and /userregions pages.\n\nExample:\n  flamegen tasks trace.out")

        @Argument(help: "A Go execution trace (Go 1.22 or later); - reads standard input.")
        var input: String

        @Option(help: "text or json.")
        var format = "text"

        func validate() throws {
            guard ["text", "json"].contains(format) else { throw ValidationError("--format must be text or json") }
        }

        func run() throws {
            let report: AnnotationReport
            do { report = try AnnotationReport(events: ProfileLoader().traceEvents(path: input)) } catch let error as ProfileLoader.Failure {
                throw AppError(error.description)
            } catch { throw AppError("\(input): \(error)") }
            try OutputFile.write(Array((format == "json" ? report.json() : report.text()).utf8), to: "-")
        }
    }
}

extension Flamegen {
    /// `flamegen mmu`: minimum mutator utilization of an execution trace.
    struct MMU: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "mmu",
            abstract: "Minimum mutator utilization of a Go execution trace: a table with the worst windows, or the curve as a picture.",
            discussion: "Stop-the-world pauses take every P; a running background mark worker or a goroutine assisting the marking takes one. Windows are exact (every breakpoint is tried).\n\nExamples:\n  flamegen mmu trace.out\n  flamegen mmu trace.out -o mmu.svg\n  flamegen mmu trace.out --as-go-tool-trace")

        @Argument(help: "A Go execution trace (Go 1.22 or later); - reads standard input.")
        var input: String

        @Option(name: [.short, .long], help: "Write the curve to this .svg or .png instead of printing the table.")
        var output: String?

        @Flag(help: "Count as go tool trace (Go 1.22–1.27) does, to compare with its /mmu page: it counts a GC mark worker once more each time it starts, so after the first GC cycle some P seems busy with GC for good.")
        var asGoToolTrace = false

        func run() throws {
            let report: MMUReport
            do { report = try MMUReport(events: ProfileLoader().traceEvents(path: input), rules: asGoToolTrace ? .goToolTrace : .corrected) } catch let error as ProfileLoader.Failure {
                throw AppError(error.description)
            } catch { throw AppError("\(input): \(error)") }
            if let output {
                try OutputFile.write(try report.picture(for: output, title: "MMU: \((input as NSString).lastPathComponent)", fontPath: nil), to: output)
            } else {
                try OutputFile.write(Array(report.text().utf8), to: "-")
            }
        }
    }
}
