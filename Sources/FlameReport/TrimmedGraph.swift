import FlameModel

/// pprof's `newTrimmedGraph` for text reports: drop nodes below the node fraction, keep the top
/// N, rebuild from the samples after each cut, trim light edges.
public struct TrimmedGraph: Sendable {
    public var graph: CallGraph
    /// Nodes after the node-fraction cut (before the node count).
    public let originalCount: Int
    public let droppedNodes: Int
    public let droppedEdges: Int
    /// Nodes (and tags) below this |value| were dropped.
    public let nodeCutoff: Int64

    /// - Parameter visual: the call-graph variant: entropy order and redundant residual edges removed.
    ///
    /// Text reports sort by flat or cum, so their cuts need no edges: they are summed once, for
    /// the nodes that are left (on big profiles the edges are most of the work). `labelsOnly`:
    /// the edges serve only the `(inline)` labels, so only edges into nodes with inlined frames
    /// are summed.
    public init(context: ReportContext, sortByCum: Bool, visual: Bool = false, labelsOnly: Bool = false) {
        let o = context.options
        var g = CallGraph(profile: context.filtered, granularity: o.granularity, noInlines: o.noInlines)
        g.build(profile: context.filtered, index: context.index, mean: context.meanDivisor, kept: nil, withTags: visual, withEdges: visual)
        let total = g.flatSum
        let nodeCutoff = Checked.goAbs(Checked.goInt64(Double(total) * o.nodeFraction))
        let edgeCutoff = Checked.goAbs(Checked.goInt64(Double(total) * o.edgeFraction))
        var dropped = 0
        var lastKept: [Bool]?
        if nodeCutoff > 0 {
            var kept = [Bool](repeating: false, count: g.nodes.count)
            var keptCount = 0
            for n in g.order where abs(g.nodes[n].cum) >= nodeCutoff { kept[n] = true; keptCount += 1 }
            if keptCount != g.order.count {
                dropped = g.order.count - keptCount
                lastKept = kept
                g.build(profile: context.filtered, index: context.index, mean: context.meanDivisor, kept: kept, withTags: visual, withEdges: visual)
            }
        }
        originalCount = g.order.count
        g.sort(byCum: sortByCum, entropy: visual)
        if o.nodeCount > 0 {
            _ = g.trimEdges(below: edgeCutoff)
            // Call graphs count each node's nodelets (label boxes) against the budget.
            var limit = o.nodeCount
            if visual {
                var count = 0
                for (i, n) in g.order.enumerated() {
                    count += g.nodeletCount(n, cutoff: nodeCutoff) + 1
                    if count >= limit { limit = i + 1; break }
                }
            }
            if g.order.count > limit {
                var kept = [Bool](repeating: false, count: g.nodes.count)
                for n in g.order.prefix(limit) { kept[n] = true }
                lastKept = kept
                g.build(profile: context.filtered, index: context.index, mean: context.meanDivisor, kept: kept, withTags: visual, withEdges: visual)
                g.sort(byCum: sortByCum, entropy: visual)
            }
        }
        if !visual {
            let targets = labelsOnly ? g.nodesWithInlinedFrames : nil
            if targets?.contains(true) ?? true {
                g.build(profile: context.filtered, index: context.index, mean: context.meanDivisor, kept: lastKept, withTags: false,
                        withEdges: true, edgeTargets: targets)
                g.sort(byCum: sortByCum)
            }
        }
        droppedEdges = g.trimEdges(below: edgeCutoff)
        if visual { g.removeRedundantEdges() }
        droppedNodes = dropped
        self.nodeCutoff = nodeCutoff
        graph = g
    }
}
