/// For each frame (by a few low bits of its id), the frame that followed it in the last new
/// stack that had it: a caller mostly calls what it called before, so a new stack's next
/// name is checked against that guess before it is hashed and looked up. `score` tells
/// whether guesses have lately been worth checking. One parser's (one thread's) alone.
final class CalleeGuesses {
    private static let slots = 4096
    private let callees = UnsafeMutablePointer<Int32>.allocate(capacity: CalleeGuesses.slots)
    /// Hits minus misses of the guesses checked lately, within ±32.
    private(set) var score = 0

    init() { callees.initialize(repeating: -1, count: Self.slots) }
    deinit { callees.deallocate() }

    /// The frame that followed `previous` (-1: the first frame of a stack) last time, or -1.
    @inline(__always)
    func guess(after previous: Int32) -> Int32 { callees[Int(previous) & (Self.slots - 1)] }

    /// The guess was right.
    @inline(__always)
    func hit() { score = min(32, score + 1) }

    /// The guess was wrong (or there was none): `id` followed `previous`.
    @inline(__always)
    func missed(_ id: Int32, after previous: Int32) {
        score = max(-32, score - 1)
        callees[Int(previous) & (Self.slots - 1)] = id
    }
}
