import Foundation

/// Writes output atomically: to a temporary file beside the target, then renamed over it, so a
/// failure never leaves a partial or clobbered file. `-` writes to standard output.
public enum OutputFile {
    public static func write(_ bytes: [UInt8], to path: String) throws(AppError) {
        if path == "-" {
            FileHandle.standardOutput.write(Data(bytes))
            return
        }
        let url = URL(fileURLWithPath: path)
        let directory = url.deletingLastPathComponent()
        let temp = directory.appendingPathComponent(".\(url.lastPathComponent).\(getpid()).\(UInt32.random(in: 0...UInt32.max)).tmp")
        do {
            try Data(bytes).write(to: temp)
            if rename(temp.path, url.path) != 0 {
                let reason = String(cString: strerror(errno))
                try? FileManager.default.removeItem(at: temp)
                throw AppError("\(path): cannot write: \(reason)", exitCode: 1)
            }
        } catch let error as AppError {
            throw error
        } catch {
            try? FileManager.default.removeItem(at: temp)
            throw AppError("\(path): cannot write: \((error as NSError).localizedDescription)", exitCode: 1)
        }
    }
}
