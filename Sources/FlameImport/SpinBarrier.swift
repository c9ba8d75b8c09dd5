import CPrefetch
import Foundation
import Synchronization

/// Lets a fixed number of threads wait for each other, step after step: a thread that arrives
/// first spins, then yields its core to any other runnable thread, and only then sleeps until
/// the last arrives. For steps of a fraction of a millisecond, where waking a sleeping thread
/// (on a virtual machine, a halted virtual processor) costs about as much as the step; the
/// sleep bounds what a long wait burns (more threads than free cores, a preempted thread).
final class SpinBarrier: @unchecked Sendable {
    private let parties: Int
    private let arrived = Atomic<Int>(0)
    private let generation = Atomic<Int>(0)
    private let sleep = NSCondition()

    init(parties: Int) { self.parties = parties }

    /// Returns once all `parties` threads have called it for this step; meanwhile, reads tasks
    /// of `helping`, if any are left.
    func wait(helping: ReadAhead? = nil) {
        let step = generation.load(ordering: .acquiring)
        if arrived.add(1, ordering: .acquiringAndReleasing).newValue == parties {
            arrived.store(0, ordering: .relaxed)
            sleep.lock()
            generation.store(step &+ 1, ordering: .releasing)
            sleep.broadcast()
            sleep.unlock()
            return
        }
        var spins = 0
        while generation.load(ordering: .acquiring) == step {
            if let helping, helping.help() { continue }
            spins += 1
            if spins <= 100 {
                flamegen_spin_pause()
            } else if spins <= 200 {
                sched_yield()
            } else {
                sleep.lock()
                while generation.load(ordering: .acquiring) == step { sleep.wait() }
                sleep.unlock()
            }
        }
    }
}
