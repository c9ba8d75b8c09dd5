import Foundation

/// One frame of a stack: a function, optionally with its source position.
///
/// For pprof input every `Location.line` entry becomes one frame, so inlined calls are frames of
/// their own with `isInlined` set. Only the name is stored inline: the rest lives in a shared
/// record that frames without a position (folded input: the most frames) do not have, so a
/// frame takes 24 bytes, not 88.
public struct Frame: Hashable, Sendable {
    /// Function name as shown to users (for folded input: the whole frame text).
    public var name: String
    private var position: Position?

    /// Source file, or empty when unknown.
    public var file: String {
        get { position?.fields.file ?? "" }
        set { update { $0.file = newValue } }
    }
    /// Source line, or 0 when unknown.
    public var line: Int64 {
        get { position?.fields.line ?? 0 }
        set { update { $0.line = newValue } }
    }
    /// First line of the function (pprof `Function.start_line`), or 0 when unknown.
    public var startLine: Int64 {
        get { position?.fields.startLine ?? 0 }
        set { update { $0.startLine = newValue } }
    }
    /// File of the binary the frame's code is in (pprof `Mapping.filename`), or empty.
    public var mappingFile: String {
        get { position?.fields.mappingFile ?? "" }
        set { update { $0.mappingFile = newValue } }
    }
    /// True when this call was inlined into its caller (the next frame toward the root).
    public var isInlined: Bool {
        get { position?.fields.isInlined ?? false }
        set { update { $0.isInlined = newValue } }
    }
    /// Instruction address of the pprof location, 0 when unknown. Part of the identity, so that
    /// merging keeps samples at different addresses apart, as pprof does.
    public var address: UInt64 {
        get { position?.fields.address ?? 0 }
        set { update { $0.address = newValue } }
    }

    public init(name: String, file: String = "", line: Int64 = 0, isInlined: Bool = false, address: UInt64 = 0, startLine: Int64 = 0, mappingFile: String = "") {
        self.name = name
        let fields = Fields(file: file, line: line, startLine: startLine, mappingFile: mappingFile, isInlined: isInlined, address: address)
        position = fields == Fields() ? nil : Position(fields)
    }

    /// Everything but the name; all defaults is stored as no `Position`.
    private struct Fields: Hashable, Sendable {
        var file = ""
        var line: Int64 = 0
        var startLine: Int64 = 0
        var mappingFile = ""
        var isInlined = false
        var address: UInt64 = 0
    }

    /// An immutable box of `Fields`, shared by copies of a frame; a change makes a new one.
    private final class Position: Sendable {
        let fields: Fields
        init(_ fields: Fields) { self.fields = fields }
    }

    private mutating func update(_ change: (inout Fields) -> Void) {
        var fields = position?.fields ?? Fields()
        change(&fields)
        position = fields == Fields() ? nil : Position(fields)
    }

    public static func == (a: Frame, b: Frame) -> Bool {
        a.name == b.name && (a.position === b.position || a.position?.fields ?? Fields() == b.position?.fields ?? Fields())
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(name)
        if let fields = position?.fields { hasher.combine(fields) }
    }
}

/// Interns frames: each distinct frame is stored once and referred to by a dense `Int32` id.
public struct FrameTable: Sendable {
    private var stored: [Frame] = []
    /// Names read from input and not yet made frames (see `init(distinctNames:)`).
    private var pending: PendingNames?
    private var ids: [Frame: Int32] = [:]
    /// `ids` covers every frame (built when first needed after `init(distinct:)`).
    private var indexed = true

    public init() {}

    /// A table of frames known to be distinct (a folded parser's interned names): no lookup is
    /// made, and the index is only built if another frame is interned later.
    public init(distinct: [Frame]) {
        stored = distinct
        indexed = distinct.isEmpty
    }

    /// A table of the distinct names of `names`, each a frame with no source position. Frames
    /// are made from the bytes one at a time as they are asked for (a flame graph asks only for
    /// those it draws), all at once when `frames` is read.
    public init(distinctNames names: ByteInterner) {
        pending = PendingNames(names)
        indexed = names.count == 0
    }

    /// Every frame, in id order.
    public var frames: [Frame] { pending?.frames ?? stored }

    /// Every frame has its own name (a folded parser's table, nothing interned since): a frame's
    /// id can serve as its name's key without looking names up.
    public var namesAreDistinct: Bool { !indexed }

    /// The id of `frame`, adding it if it is new.
    public mutating func intern(_ frame: Frame) -> Int32 {
        if let pending {
            stored = pending.frames
            self.pending = nil
        }
        if !indexed {
            ids.reserveCapacity(stored.count + 1)
            for (i, f) in stored.enumerated() { ids[f] = Int32(i) }
            indexed = true
        }
        if let id = ids[frame] { return id }
        let id = Int32(stored.count)
        stored.append(frame)
        ids[frame] = id
        return id
    }

    public subscript(id: Int32) -> Frame {
        if let pending { return Frame(name: pending.names.string(id)) }
        return stored[Int(id)]
    }

    /// The id of frame `id` as the outermost call of its location (not inlined), added if new.
    mutating func outermostVersion(of id: Int32, cache: inout [Int32: Int32]) -> Int32 {
        if let known = cache[id] { return known }
        var frame = self[id]
        frame.isInlined = false
        let result = intern(frame)
        cache[id] = result
        return result
    }
    public var count: Int { pending?.names.count ?? stored.count }
}

/// Interned names whose frames are made on first use of the whole list; safe from several
/// threads.
private final class PendingNames: @unchecked Sendable {
    let names: ByteInterner
    private let lock = NSLock()
    private var made: [Frame]?

    init(_ names: ByteInterner) { self.names = names }

    var frames: [Frame] {
        lock.lock()
        defer { lock.unlock() }
        if let made { return made }
        let frames = (0..<Int32(names.count)).map { Frame(name: names.string($0)) }
        made = frames
        return frames
    }
}
