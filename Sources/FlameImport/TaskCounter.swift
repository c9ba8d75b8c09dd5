import Synchronization

/// Hands out task numbers 0, 1, 2, … to threads, each number once, up to a limit the caller
/// names at each claim: threads that finish their own work first take more of the shared work.
final class TaskCounter: Sendable {
    private let next = Atomic<Int>(0)

    /// The next unclaimed task number, if it is below `limit` (the number then stays unclaimed).
    func claim(below limit: Int) -> Int? {
        var task = next.load(ordering: .relaxed)
        while task < limit {
            let (exchanged, original) = next.compareExchange(expected: task, desired: task + 1, ordering: .relaxed)
            if exchanged { return task }
            task = original
        }
        return nil
    }
}
