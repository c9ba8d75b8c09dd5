import FlameModel

/// Decodes pprof's `profile.proto` (already decompressed) into a `Profile`.
///
/// Follows pprof's own decoder: packed and unpacked repeated scalars, unknown fields skipped,
/// `string_table[0]` must be empty, a second `time_nanos` means concatenated profiles, IDs must be
/// nonzero and unique, references must resolve. Inlined frames are expanded from `Location.line`
/// (leaf first in the file, root first in the model), and `drop_frames`/`keep_frames` are applied.
public enum PprofDecoder {
    struct Mapping { var id: UInt64 = 0; var file = 0; var buildID = 0 }
    struct Function { var id: UInt64 = 0; var name = 0; var systemName = 0; var file = 0; var startLine: Int64 = 0 }
    struct Line { var function: UInt64 = 0; var line: Int64 = 0 }
    struct Location { var id: UInt64 = 0; var mapping: UInt64 = 0; var address: UInt64 = 0; var lines: [Line] = [] }

    /// Top-level fields, gathered in one pass (messages by byte range, resolved later).
    struct Raw {
        var sampleTypes: [Range<Int>] = []
        var samples: [Range<Int>] = []
        var mappings: [Range<Int>] = []
        var locations: [Range<Int>] = []
        var functions: [Range<Int>] = []
        var strings: [Range<Int>] = []
        var dropFrames = 0, keepFrames = 0, defaultSampleType = 0, docURL = 0
        var timeNanos: Int64 = 0, durationNanos: Int64 = 0, period: Int64 = 0
        var periodType: Range<Int>?
        var comments: [UInt64] = []
        var sawTime = false
    }

    /// Decodes `data`; throws a one-line reason when it is not a valid profile.
    public static func decode(_ data: [UInt8]) throws(ImportError) -> Profile {
        guard !data.isEmpty else { throw .empty }
        do {
            return try data.withUnsafeBufferPointer { (buffer) throws(ImportError) -> Profile in
                var decoding = Decoding(bytes: buffer)
                return try decoding.run()
            }
        }
    }

    /// Quick shape check used for format sniffing: does `data` start like a profile message?
    /// A cheap test on the first bytes of an input: they start with a protobuf field tag (field
    /// 1 or more, a known wire type). Zeros, for instance, do not.
    static func mayStartProfile(_ prefix: [UInt8]) -> Bool {
        guard let first = prefix.first else { return false }
        let wireType = first & 7
        return first >> 3 != 0 && [0, 1, 2, 5].contains(wireType)
    }

    static func looksLikeProfile(_ data: [UInt8]) -> Bool {
        data.withUnsafeBufferPointer { buffer in
            var reader = ProtoReader(buffer)
            var fields = 0
            while !reader.isAtEnd && fields < 8 {
                guard let tag = try? reader.tag(), (1...15).contains(tag.field) || tag.field > 15,
                      (try? reader.skip(tag.wireType)) != nil else { return false }
                fields += 1
            }
            return fields > 0
        }
    }

    private struct Decoding {
        let bytes: UnsafeBufferPointer<UInt8>
        var strings: [String] = []

        init(bytes: UnsafeBufferPointer<UInt8>) { self.bytes = bytes }

        mutating func run() throws(ImportError) -> Profile {
            let raw = try scanTop()
            if let long = raw.strings.first(where: { $0.count > ImportLimits.maxNameBytes }) {
                throw .limitExceeded("a string of \(long.count) bytes exceeds the limit of \(ImportLimits.maxNameBytes)")
            }
            strings = raw.strings.map { String(decoding: UnsafeBufferPointer(rebasing: bytes[$0]), as: UTF8.self) }
            guard strings.first == "" else { throw .invalidProfile("string_table[0] must be ''") }

            var types: [SampleType] = []
            for r in raw.sampleTypes { types.append(try valueType(r)) }
            guard !types.isEmpty else { throw .invalidProfile("no sample types") }
            var defaultIndex: Int?
            if raw.defaultSampleType != 0 {
                let name = try string(raw.defaultSampleType)
                defaultIndex = types.firstIndex { $0.type == name }
            }
            var profile = Profile(source: .pprof, sampleTypes: types, defaultSampleIndex: defaultIndex)
            profile.timeNanos = raw.timeNanos
            profile.durationNanos = raw.durationNanos
            profile.period = raw.period
            if let pt = raw.periodType { profile.periodType = try valueType(pt) }
            for c in raw.comments { profile.comments.append(try string(Int(truncatingIfNeeded: c))) }
            profile.docURL = try string(raw.docURL)

            var mappings: [UInt64: Mapping] = [:]
            var firstMapping: Mapping?
            for r in raw.mappings {
                let m = try mapping(r)
                guard m.id != 0 else { throw .invalidProfile("mapping with id 0") }
                guard mappings.updateValue(m, forKey: m.id) == nil else { throw .invalidProfile("duplicate mapping id \(m.id)") }
                if firstMapping == nil { firstMapping = m }
            }
            if let main = firstMapping {
                profile.mainBinary = baseName(strings[main.file])
                profile.mainBuildID = strings[main.buildID]
            }

            var functions: [UInt64: Function] = [:]
            for r in raw.functions {
                let f = try function(r)
                guard f.id != 0 else { throw .invalidProfile("function with id 0") }
                guard functions.updateValue(f, forKey: f.id) == nil else { throw .invalidProfile("duplicate function id \(f.id)") }
            }

            let dropper = try FrameDropper(drop: string(raw.dropFrames), keep: string(raw.keepFrames))
            // Each location becomes a run of frames, root first.
            var locationFrames = IDTable<[Int32]>(count: raw.locations.count)
            var prune: Set<UInt64> = [], pruneBeneath: Set<UInt64> = []
            for r in raw.locations {
                let loc = try location(r)
                guard loc.id != 0 else { throw .invalidProfile("location with id 0") }
                guard locationFrames[loc.id] == nil else { throw .invalidProfile("duplicate location id \(loc.id)") }
                if loc.mapping != 0 && mappings[loc.mapping] == nil {
                    throw .invalidProfile("location \(loc.id) refers to missing mapping \(loc.mapping)")
                }
                var lines = loc.lines
                for line in lines where line.function != 0 && functions[line.function] == nil {
                    throw .invalidProfile("location \(loc.id) refers to missing function \(line.function)")
                }
                let names = lines.map { functions[$0.function].map { strings[$0.name] } ?? "" }
                let mappingFile = mappings[loc.mapping].map { strings[$0.file] } ?? ""
                let objfile = baseName(mappingFile)
                if let cut = dropper?.cutIndex(lineNames: names) {
                    pruneBeneath.insert(loc.id)
                    if cut == lines.count - 1 { prune.insert(loc.id) } else { lines = Array(lines[(cut + 1)...]) }
                }
                var frames: [Int32] = []
                if lines.isEmpty || lines.allSatisfy({ $0.function == 0 }) {
                    frames.append(profile.frames.intern(Frame(name: objfile.isEmpty ? "<unknown>" : "[\(objfile)]", address: loc.address, mappingFile: mappingFile)))
                } else {
                    for (j, line) in lines.enumerated().reversed() {
                        let fn = functions[line.function]
                        var name = fn.map { strings[$0.name] } ?? ""
                        if name.isEmpty { name = objfile.isEmpty ? "<unknown>" : "[\(objfile)]" }
                        let file = fn.map { strings[$0.file] } ?? ""
                        let frame = Frame(name: name, file: file, line: line.line, isInlined: j < lines.count - 1, address: loc.address, startLine: fn?.startLine ?? 0, mappingFile: mappingFile)
                        frames.append(profile.frames.intern(frame))
                    }
                }
                locationFrames[loc.id] = frames
            }

            var ids: [UInt64] = []
            var vals: [UInt64] = []
            var stack: [Int32] = []
            var sampleValues: [Int64] = []
            for r in raw.samples {
                ids.removeAll(keepingCapacity: true)
                vals.removeAll(keepingCapacity: true)
                let labels = try sample(r, ids: &ids, values: &vals)
                guard vals.count == types.count else {
                    throw .invalidProfile("sample has \(vals.count) values, but the profile has \(types.count) sample types")
                }
                guard ids.count <= ImportLimits.maxStackDepth else {
                    throw .limitExceeded("a sample with \(ids.count) locations exceeds the limit of \(ImportLimits.maxStackDepth)")
                }
                let kept = pruned(ids, prune: prune, pruneBeneath: pruneBeneath)
                // Inlined calls expand a location into several frames: count before expanding.
                var expanded = 0
                for id in kept {
                    guard let frames = locationFrames[id] else {
                        throw .invalidProfile("sample refers to missing location \(id)")
                    }
                    expanded += frames.count
                    guard expanded <= ImportLimits.maxStackDepth else {
                        throw .limitExceeded("a sample expands to more than \(ImportLimits.maxStackDepth) frames (inlined calls included)")
                    }
                }
                guard profile.frameCount + expanded <= ImportLimits.maxTotalFrames else {
                    throw .limitExceeded("the samples expand to more than \(ImportLimits.maxTotalFrames) frames in all")
                }
                stack.removeAll(keepingCapacity: true)
                for id in kept.reversed() { stack.append(contentsOf: locationFrames[id]!) }
                sampleValues.removeAll(keepingCapacity: true)
                for v in vals { sampleValues.append(Int64(bitPattern: v)) }
                if !labels.isEmpty { profile.labels[profile.sampleCount] = labels }
                profile.addSample(stack: stack, values: sampleValues)
            }
            return profile
        }

        /// pprof's `Prune`: scanning from the root, the first dropped location after a user frame
        /// cuts the stack there (the value goes to its caller). `ids` is leaf first.
        func pruned(_ ids: [UInt64], prune: Set<UInt64>, pruneBeneath: Set<UInt64>) -> ArraySlice<UInt64> {
            if prune.isEmpty && pruneBeneath.isEmpty { return ids[...] }
            var foundUser = false
            for i in stride(from: ids.count - 1, through: 0, by: -1) {
                let id = ids[i]
                if !prune.contains(id) && !pruneBeneath.contains(id) { foundUser = true; continue }
                if !foundUser { continue }
                return prune.contains(id) ? ids[(i + 1)...] : ids[i...]
            }
            return ids[...]
        }

        func string(_ index: Int) throws(ImportError) -> String {
            guard index >= 0 && index < strings.count else {
                throw .malformedProto("string index \(index) out of range (table has \(strings.count))")
            }
            return strings[index]
        }

        func stringIndex(_ reader: inout ProtoReader, _ wireType: UInt8) throws(ImportError) -> Int {
            let v = Int64(bitPattern: try reader.integer(wireType))
            guard v >= 0 && v < Int64(strings.count) else {
                throw .malformedProto("string index \(v) out of range (table has \(strings.count))")
            }
            return Int(v)
        }

        func scanTop() throws(ImportError) -> Raw {
            var raw = Raw()
            var r = ProtoReader(bytes)
            var stringIndexes: [(Int, UInt8, UInt64)] = []
            while !r.isAtEnd {
                let tag = try r.tag()
                func message() throws(ImportError) -> Range<Int> {
                    guard tag.wireType == 2 else { throw .malformedProto("field \(tag.field) should be a message") }
                    return try r.lengthDelimited()
                }
                switch tag.field {
                case 1: raw.sampleTypes.append(try message())
                case 2: raw.samples.append(try message())
                case 3: raw.mappings.append(try message())
                case 4: raw.locations.append(try message())
                case 5: raw.functions.append(try message())
                case 6: raw.strings.append(try message())
                case 7, 8, 14, 15: stringIndexes.append((Int(tag.field), tag.wireType, try r.integer(tag.wireType)))
                case 9:
                    if raw.sawTime { throw .invalidProfile("concatenated profiles detected") }
                    raw.sawTime = true
                    raw.timeNanos = Int64(bitPattern: try r.integer(tag.wireType))
                case 10: raw.durationNanos = Int64(bitPattern: try r.integer(tag.wireType))
                case 11: raw.periodType = try message()
                case 12: raw.period = Int64(bitPattern: try r.integer(tag.wireType))
                case 13: try r.repeatedInteger(tag.wireType, into: &raw.comments)
                default: try r.skip(tag.wireType)
                }
            }
            for (field, _, value) in stringIndexes {
                guard value < UInt64(raw.strings.count) else {
                    throw .malformedProto("string index \(Int64(bitPattern: value)) out of range (table has \(raw.strings.count))")
                }
                switch field {
                case 7: raw.dropFrames = Int(value)
                case 8: raw.keepFrames = Int(value)
                case 14: raw.defaultSampleType = Int(value)
                default: raw.docURL = Int(value)
                }
            }
            return raw
        }

        func valueType(_ range: Range<Int>) throws(ImportError) -> SampleType {
            var r = ProtoReader(bytes, range: range)
            var type = 0, unit = 0
            while !r.isAtEnd {
                let tag = try r.tag()
                switch tag.field {
                case 1: type = try stringIndex(&r, tag.wireType)
                case 2: unit = try stringIndex(&r, tag.wireType)
                default: try r.skip(tag.wireType)
                }
            }
            return SampleType(type: strings[type], unit: strings[unit])
        }

        func mapping(_ range: Range<Int>) throws(ImportError) -> Mapping {
            var r = ProtoReader(bytes, range: range)
            var m = Mapping()
            while !r.isAtEnd {
                let tag = try r.tag()
                switch tag.field {
                case 1: m.id = try r.integer(tag.wireType)
                case 5: m.file = try stringIndex(&r, tag.wireType)
                case 6: m.buildID = try stringIndex(&r, tag.wireType)
                case 2, 3, 4, 7, 8, 9, 10: _ = try r.integer(tag.wireType)
                default: try r.skip(tag.wireType)
                }
            }
            return m
        }

        func function(_ range: Range<Int>) throws(ImportError) -> Function {
            var r = ProtoReader(bytes, range: range)
            var f = Function()
            while !r.isAtEnd {
                let tag = try r.tag()
                switch tag.field {
                case 1: f.id = try r.integer(tag.wireType)
                case 2: f.name = try stringIndex(&r, tag.wireType)
                case 3: f.systemName = try stringIndex(&r, tag.wireType)
                case 4: f.file = try stringIndex(&r, tag.wireType)
                case 5: f.startLine = Int64(bitPattern: try r.integer(tag.wireType))
                default: try r.skip(tag.wireType)
                }
            }
            return f
        }

        func location(_ range: Range<Int>) throws(ImportError) -> Location {
            var r = ProtoReader(bytes, range: range)
            var loc = Location()
            while !r.isAtEnd {
                let tag = try r.tag()
                switch tag.field {
                case 1: loc.id = try r.integer(tag.wireType)
                case 2: loc.mapping = try r.integer(tag.wireType)
                case 3: loc.address = try r.integer(tag.wireType)
                case 4:
                    guard tag.wireType == 2 else { throw .malformedProto("Location.line should be a message") }
                    var lr = ProtoReader(bytes, range: try r.lengthDelimited())
                    var line = Line()
                    while !lr.isAtEnd {
                        let t = try lr.tag()
                        switch t.field {
                        case 1: line.function = try lr.integer(t.wireType)
                        case 2: line.line = Int64(bitPattern: try lr.integer(t.wireType))
                        default: try lr.skip(t.wireType)
                        }
                    }
                    loc.lines.append(line)
                case 5: _ = try r.integer(tag.wireType)
                default: try r.skip(tag.wireType)
                }
            }
            return loc
        }

        func sample(_ range: Range<Int>, ids: inout [UInt64], values: inout [UInt64]) throws(ImportError) -> [SampleLabel] {
            var r = ProtoReader(bytes, range: range)
            var labels: [SampleLabel] = []
            while !r.isAtEnd {
                let tag = try r.tag()
                switch tag.field {
                case 1: try r.repeatedInteger(tag.wireType, into: &ids)
                case 2: try r.repeatedInteger(tag.wireType, into: &values)
                case 3:
                    guard tag.wireType == 2 else { throw .malformedProto("Sample.label should be a message") }
                    var lr = ProtoReader(bytes, range: try r.lengthDelimited())
                    var key = 0, str = 0, unit = 0
                    var num: Int64 = 0
                    while !lr.isAtEnd {
                        let t = try lr.tag()
                        switch t.field {
                        case 1: key = try stringIndex(&lr, t.wireType)
                        case 2: str = try stringIndex(&lr, t.wireType)
                        case 3: num = Int64(bitPattern: try lr.integer(t.wireType))
                        case 4: unit = try stringIndex(&lr, t.wireType)
                        default: try lr.skip(t.wireType)
                        }
                    }
                    // pprof drops a label with neither string, number nor unit.
                    if str != 0 {
                        labels.append(SampleLabel(key: strings[key], string: strings[str]))
                    } else if num != 0 || unit != 0 {
                        labels.append(SampleLabel(key: strings[key], number: num, numberUnit: unit != 0 ? strings[unit] : nil))
                    }
                default: try r.skip(tag.wireType)
                }
            }
            return labels
        }
    }
}

/// Base name of a path: the part after the last `/`.
func baseName(_ path: String) -> String {
    guard let slash = path.lastIndex(of: "/") else { return path }
    return String(path[path.index(after: slash)...])
}

/// Objects by ID: a dense array for the usual small IDs (1…n), a dictionary for the rest, like
/// pprof's decoder.
struct IDTable<Value> {
    private var dense: [Value?]
    private var sparse: [UInt64: Value] = [:]

    init(count: Int) { dense = Array(repeating: nil, count: count + 1) }

    subscript(id: UInt64) -> Value? {
        get { id < UInt64(dense.count) ? dense[Int(id)] : sparse[id] }
        set {
            if id < UInt64(dense.count) { dense[Int(id)] = newValue } else { sparse[id] = newValue }
        }
    }
}
