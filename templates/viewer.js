// flamegen viewer: reads the data document in #fg-data (format flamegen-viewer, version 1;
// see Sources/FlameRender/Viewer/ViewerDocument.swift) and draws every view from it.
// Names come from profiles and are untrusted: they only ever reach the page as textContent,
// canvas text or attribute values set through the DOM, never as markup.
"use strict";
(function () {
  const D = JSON.parse(document.getElementById("fg-data").textContent);
  if (D.format !== "flamegen-viewer" || D.version !== 1) throw new Error("unsupported viewer data");
  const $ = (id) => document.getElementById(id);
  const el = (tag, text, cls) => { const e = document.createElement(tag); if (text !== undefined) e.textContent = text; if (cls) e.className = cls; return e; };

  // ---- Units: pprof's measurement rules, as `flamegen top` prints them ----
  const FAMILIES = [
    { units: [["B", ["b", "byte"], 1], ["kB", ["kb", "kbyte", "kilobyte"], 1024], ["MB", ["mb", "mbyte", "megabyte"], 1048576],
      ["GB", ["gb", "gbyte", "gigabyte"], 1073741824], ["TB", ["tb", "tbyte", "terabyte"], 1099511627776],
      ["PB", ["pb", "pbyte", "petabyte"], 1125899906842624]], def: ["B", 1] },
    { units: [["ns", ["ns", "nanosecond"], 1], ["us", ["μs", "us", "microsecond"], 1e3], ["ms", ["ms", "millisecond"], 1e6],
      ["s", ["s", "sec", "second"], 1e9], ["hrs", ["hour", "hr"], 3600e9]], def: ["s", 1e9] },
  ];
  function findUnit(fam, name) {
    for (const u of fam.units) if (u[1].includes(name)) return u;
    let key = name.toLowerCase();
    if (key.length > 2 && key.endsWith("s")) key = key.slice(0, -1);
    for (const u of fam.units) if (u[1].includes(key) || u[0].toLowerCase() === key) return u;
    return null;
  }
  function scale(v, from, to) {
    if (v < 0) { const r = scale(-v, from, to); return [-r[0], r[1]]; }
    for (const fam of FAMILIES) {
      const f = findUnit(fam, from);
      if (!f) continue;
      const base = v * f[2];
      if (to === "auto" || to === "minimum") {
        let factor = 0, name = "";
        for (const u of fam.units) if (u[2] >= factor && base / u[2] >= 1) { factor = u[2]; name = u[0]; }
        return factor === 0 ? [base / fam.def[1], fam.def[0]] : [base / factor, name];
      }
      const t = findUnit(fam, to);
      return t ? [base / t[2], t[0]] : [base / fam.def[1], fam.def[0]];
    }
    return ["count", "sample", "unit", "minimum", "auto"].includes(to) ? [v, ""] : [v, to];
  }
  // printf's %.2f: exact ties (only multiples of 1/8 can be) round half to even, as glibc does.
  function fixed2(x) {
    const t = Math.abs(x) * 8;
    if (Number.isInteger(t) && t % 2 === 1 && (t * 125) % 10 === 5) {
      const hundredths = Math.abs(x) * 100, low = Math.floor(hundredths);
      const n = low % 2 === 0 ? low : low + 1;
      return (x < 0 ? "-" : "") + (n / 100).toFixed(2);
    }
    return x.toFixed(2);
  }
  function label(v, unit, to) {
    const [s, u] = scale(v, unit, to);
    let t = fixed2(s);
    if (t.endsWith(".00")) t = t.slice(0, -3);
    if (t === "0" || t === "-0") return "0";
    return t + u;
  }
  // printf's %.2g.
  function g2(x) {
    if (x === 0) return "0";
    let e = Math.floor(Math.log10(Math.abs(x)));
    let m = Number(x.toPrecision(2));
    e = Math.floor(Math.log10(Math.abs(m)));
    if (e < -4 || e >= 2) {
      let s = m.toExponential(1).replace(/\.0e/, "e").replace(/e([+-])(\d)$/, "e$10$2");
      return s;
    }
    return String(m);
  }
  function percent(v, total) {
    const r = total !== 0 ? Math.abs(v / total) * 100 : 0;
    if (r >= 99.95 && r <= 100.05) return "100%";
    if (r >= 1) return fixed2(r) + "%";
    return g2(r) + "%";
  }

  // ---- The data ----
  const N = D.parent.length;
  const PARENT = Int32Array.from(D.parent), FUNC = Int32Array.from(D.func);
  const names = D.funcs.slice();
  const pseudo = new Map(); // group frame name → func id
  function pseudoFunc(name) {
    let f = pseudo.get(name);
    if (f === undefined) { f = names.length; names.push(name); pseudo.set(name, f); }
    return f;
  }
  function part(p) {
    if (!p) return null;
    return { node: Int32Array.from(p.node), labels: Int32Array.from(p.labels), values: p.values.map((a) => Float64Array.from(a)) };
  }
  const MAIN = part(D.samples), BASE = part(D.base);
  const DIFF = BASE !== null;
  const divisor = D.divisor > 1 ? D.divisor : 1;
  const labelKeys = [];
  {
    const seen = new Set();
    for (const set of D.labelSets) for (const l of set) if (!seen.has(l[0])) { seen.add(l[0]); labelKeys.push(l[0]); }
  }

  // ---- State (mirrored in the URL hash) ----
  const DEFAULTS = { v: "flame", t: String(D.defaultType), q: "", re: "", cs: "", focus: "", ignore: "", hide: "", show: "",
    tagfocus: "", tagignore: "", group: "", o: "alpha", inv: "", ic: "", z: "", sw: "", src: "", sort: "flat" };
  for (const k of Object.keys(D.initial || {})) if (k in DEFAULTS) DEFAULTS[k] = String(D.initial[k]);
  const S = Object.assign({}, DEFAULTS);
  function readHash() {
    const p = new URLSearchParams(location.hash.slice(1));
    for (const k of Object.keys(DEFAULTS)) S[k] = p.has(k) ? p.get(k) : DEFAULTS[k];
    const t = Number(S.t);
    if (!(t >= 0 && t < D.sampleTypes.length)) S.t = String(D.defaultType);
  }
  function writeHash() {
    const p = new URLSearchParams();
    for (const k of Object.keys(DEFAULTS)) if (S[k] !== DEFAULTS[k]) p.set(k, S[k]);
    const h = p.toString();
    if (location.hash.slice(1) !== h) history.replaceState(null, "", h ? "#" + h : location.pathname + location.search);
  }

  // ---- Regexes ----
  function compile(src, flags) {
    if (!src) return null;
    try { return new RegExp(src, flags); } catch (e) { throw new Error("bad regex " + JSON.stringify(src) + ": " + e.message); }
  }
  function funcMatches(re) {
    const m = new Uint8Array(names.length);
    for (let f = 0; f < names.length; f++) m[f] = re.test(names[f]) ? 1 : 0;
    return m;
  }
  function searchRegex() {
    if (!S.q) return null;
    const src = S.re ? S.q : S.q.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
    try { return new RegExp(src, S.cs ? "" : "i"); } catch (e) { return null; }
  }
  function escapeRegex(s) { return s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"); }

  // ---- Trees: parent/func columns, self values (after and before), totals ----
  class Tree {
    constructor(rootName) { this.parent = [-1]; this.func = [rootName]; this.map = new Map(); this.self = [0]; this.bself = [0]; }
    child(p, f) {
      const key = p * 16777216 + f;
      let c = this.map.get(key);
      if (c === undefined) { c = this.parent.length; this.parent.push(p); this.func.push(f); this.self.push(0); this.bself.push(0); this.map.set(key, c); }
      return c;
    }
    finish() {
      const n = this.parent.length;
      if (!(this.parent instanceof Int32Array)) { this.parent = Int32Array.from(this.parent); this.func = Int32Array.from(this.func); }
      this.total = Float64Array.from(this.self);
      this.btotal = Float64Array.from(this.bself);
      for (let i = n - 1; i > 0; i--) { this.total[this.parent[i]] += this.total[i]; this.btotal[this.parent[i]] += this.btotal[i]; }
      this.depth = new Int32Array(n);
      for (let i = 1; i < n; i++) this.depth[i] = this.depth[this.parent[i]] + 1;
      // children in CSR form
      const count = new Int32Array(n + 1);
      for (let i = 1; i < n; i++) count[this.parent[i] + 1]++;
      for (let i = 0; i < n; i++) count[i + 1] += count[i];
      const at = count.slice(0, n), kids = new Int32Array(Math.max(0, n - 1));
      for (let i = 1; i < n; i++) kids[at[this.parent[i]]++] = i;
      this.first = count; this.kids = kids;
      delete this.map;
      return this;
    }
    name(n) { return n === 0 ? this.rootLabel : names[this.func[n]]; }
  }
  const ROOT = -1;

  // ---- The model: refine filters applied, grouped, summed for one sample type ----
  let M = null;
  function labelPass(tagfocus, tagignore) {
    function parse(spec) {
      if (!spec) return null;
      const eq = spec.indexOf("=");
      if (eq < 0) return { key: null, re: compile(spec, "") };
      return { key: spec.slice(0, eq), re: compile(spec.slice(eq + 1), "") };
    }
    const tf = parse(tagfocus), ti = parse(tagignore);
    function hit(set, spec) {
      for (const l of set) {
        if (spec.key !== null && l[0] !== spec.key) continue;
        const text = l.length === 3 ? String(l[1]) + (l[2] ? l[2] : "") : l[1];
        if (spec.re.test(text)) return true;
      }
      return false;
    }
    const pass = new Uint8Array(D.labelSets.length + 1);
    for (let i = -1; i < D.labelSets.length; i++) {
      const set = i < 0 ? [] : D.labelSets[i];
      pass[i + 1] = (!tf || hit(set, tf)) && !(ti && hit(set, ti)) ? 1 : 0;
    }
    return pass;
  }
  function waitBucket(minutes) {
    if (minutes < 1) return "<1 min";
    if (minutes < 10) return "1-10 min";
    if (minutes < 60) return "10-60 min";
    return "≥60 min";
  }
  function groupNames(keys) {
    const out = [];
    for (let i = -1; i < D.labelSets.length; i++) {
      const set = i < 0 ? [] : D.labelSets[i];
      const parts = [];
      for (const k of keys) {
        const l = set.find((x) => x[0] === k);
        if (!l) { parts.push(k === "wait_minutes" ? "waiting " + waitBucket(0) : k + ": none"); continue; }
        if (k === "wait_state") parts.push(l[1]);
        else if (k === "wait_minutes" && l.length === 3) parts.push("waiting " + waitBucket(l[1]));
        else parts.push(k + ": " + l[1] + (l.length === 3 && l[2] ? " " + l[2] : ""));
      }
      out.push(keys.length ? "[" + parts.join(", ") + "]" : null);
    }
    return out;
  }

  function compute() {
    const t = Number(S.t);
    const focus = compile(S.focus, ""), ignore = compile(S.ignore, ""), hide = compile(S.hide, ""), show = compile(S.show, "");
    const pass = labelPass(S.tagfocus, S.tagignore);
    const groups = S.group ? groupNames(S.group.split(",")) : null;
    const groupFunc = groups ? groups.map((g) => pseudoFunc(g)) : null;
    const nf = names.length;
    const fm = focus ? funcMatches(focus) : null, im = ignore ? funcMatches(ignore) : null;
    const hm = hide ? funcMatches(hide) : null, sm = show ? funcMatches(show) : null;
    const hidden = new Uint8Array(nf);
    for (let f = 0; f < nf; f++) hidden[f] = (hm && hm[f]) || (sm && !sm[f]) ? 1 : 0;
    const hasFocus = fm ? new Uint8Array(N) : null, hasIgnore = im ? new Uint8Array(N) : null;
    for (let i = 1; i < N; i++) {
      if (fm) hasFocus[i] = hasFocus[PARENT[i]] | fm[FUNC[i]];
      if (im) hasIgnore[i] = hasIgnore[PARENT[i]] | im[FUNC[i]];
    }
    const T = new Tree(ROOT);
    T.rootLabel = "root";
    const memo = new Map();
    // Nothing hidden and no groups: the tree is the document's, node for node.
    const identity = !groups && !hidden.some((h) => h === 1);
    if (identity) {
      T.parent = PARENT; T.func = FUNC;
      T.self = new Float64Array(N); T.bself = new Float64Array(N);
    }
    function mapped(n, g) {
      if (identity) return n;
      const gk = groups ? g : -1;
      let m = memo.get(gk);
      if (!m) { m = new Int32Array(N).fill(-1); m[0] = groups ? T.child(0, groupFunc[g + 1]) : 0; memo.set(gk, m); }
      if (m[n] >= 0) return m[n];
      const path = [];
      let x = n;
      while (m[x] < 0) { path.push(x); x = PARENT[x]; }
      let cur = m[x];
      for (let i = path.length - 1; i >= 0; i--) {
        const y = path[i];
        if (!hidden[FUNC[y]]) cur = T.child(cur, FUNC[y]);
        m[y] = cur;
      }
      return cur;
    }
    let total = 0, btotal = 0, kept = 0;
    function add(P, selfArr, sign) {
      if (!P) return;
      const vals = P.values[t];
      for (let s = 0; s < P.node.length; s++) {
        const v = vals[s] / divisor;
        if (sign > 0) total += Math.abs(v); else btotal += Math.abs(v);
        const n = P.node[s];
        if (!pass[P.labels[s] + 1]) continue;
        if (hasFocus && !hasFocus[n]) continue;
        if (hasIgnore && hasIgnore[n]) continue;
        if (v === 0) continue;
        const d = mapped(n, P.labels[s]);
        T[selfArr][d] += v;
        if (sign > 0) kept++;
      }
    }
    add(MAIN, "self", 1);
    add(BASE, "bself", -1);
    T.finish();
    M = { tree: T, total, btotal, unit: D.sampleTypes[t].unit, type: D.sampleTypes[t].type, mapped, pass, hasFocus, hasIgnore, kept };
    M.stats = functionStats(T);
    M.outputUnit = selectUnit();
    layoutCache = null;
  }

  // flat and cum per function; a function is counted once per stack however often it recurs.
  function functionStats(T) {
    const nf = names.length;
    const flat = new Float64Array(nf), cum = new Float64Array(nf), bflat = new Float64Array(nf), bcum = new Float64Array(nf);
    const onPath = new Int32Array(nf);
    const n = T.parent.length;
    // iterative DFS: enter pushes, exit pops
    const stack = [0], exit = [];
    const state = new Uint8Array(n);
    while (stack.length) {
      const x = stack[stack.length - 1];
      if (state[x] === 0) {
        state[x] = 1;
        if (x > 0) {
          const f = T.func[x];
          flat[f] += T.self[x]; bflat[f] += T.bself[x];
          if (onPath[f] === 0) { cum[f] += T.total[x]; bcum[f] += T.btotal[x]; }
          onPath[f]++;
        }
        for (let k = T.first[x]; k < T.first[x + 1]; k++) stack.push(T.kids[k]);
      } else {
        stack.pop();
        if (x > 0) onPath[T.func[x]]--;
      }
    }
    const rows = [];
    for (let f = 0; f < nf; f++) {
      if (flat[f] !== 0 || cum[f] !== 0 || bflat[f] !== 0 || bcum[f] !== 0) {
        rows.push(DIFF ? { f, flat: flat[f] - bflat[f], cum: cum[f] - bcum[f], before: bcum[f], after: cum[f] } : { f, flat: flat[f], cum: cum[f] });
      }
    }
    return rows;
  }

  // pprof's `minimum` unit: one unit for the table, from the smallest value kept at the default
  // node fraction (0.005) and the total.
  function selectUnit() {
    const flatSum = M.stats.reduce((a, r) => a + r.flat, 0);
    const cutoff = Math.abs(Math.trunc(flatSum * 0.005));
    let minValue = 0;
    const maxValue = Math.abs(M.total - (DIFF ? M.btotal : 0)) === 0 ? 0 : Math.abs(DIFF ? M.total - M.btotal : M.total);
    for (const r of M.stats) {
      if (Math.abs(r.cum) < cutoff) continue;
      let m = Math.abs(r.flat);
      if (m === 0) m = Math.abs(r.cum);
      if (m > 0 && (minValue === 0 || m < minValue)) minValue = m;
    }
    if (minValue === 0) minValue = maxValue;
    if (minValue === 0) return M.unit;
    const minUnit = scale(minValue, M.unit, "minimum")[1], maxUnit = scale(maxValue, M.unit, "minimum")[1];
    let unit = minUnit;
    if (minUnit !== maxUnit && minValue * 100 < maxValue) unit = scale(100 * minValue, M.unit, "minimum")[1];
    return unit === "" ? M.unit : unit;
  }
  function fmt(v) { return label(v, M.unit, M.outputUnit); }
  function fmtAuto(v) { return label(v, M.unit, "auto"); }
  function reportTotal() { return DIFF ? M.total : M.total; }

  // ---- Derived trees: inverted, callers, callees ----
  function inverted(T) {
    const I = new Tree(ROOT);
    I.rootLabel = T.rootLabel;
    const n = T.parent.length;
    for (let x = 1; x < n; x++) {
      if (T.self[x] === 0 && T.bself[x] === 0) continue;
      let c = 0;
      for (let y = x; y > 0; y = T.parent[y]) c = I.child(c, T.func[y]);
      I.self[c] += T.self[x]; I.bself[c] += T.bself[x];
    }
    return I.finish();
  }
  function topmost(T, f) {
    const n = T.parent.length, above = new Uint8Array(n), out = [];
    for (let x = 1; x < n; x++) {
      above[x] = above[T.parent[x]] | (T.func[T.parent[x]] === f ? 1 : 0);
      if (T.func[x] === f && !above[x]) out.push(x);
    }
    return out;
  }
  function callees(T, f) {
    const C = new Tree(ROOT);
    C.rootLabel = names[f];
    const n = T.parent.length, map = new Int32Array(n).fill(-1);
    for (const top of topmost(T, f)) map[top] = 0;
    for (let x = 1; x < n; x++) {
      const p = T.parent[x];
      if (map[x] === 0 && T.func[x] === f) { C.self[0] += T.self[x]; C.bself[0] += T.bself[x]; continue; }
      if (map[p] < 0) continue;
      map[x] = C.child(map[p], T.func[x]);
      C.self[map[x]] += T.self[x]; C.bself[map[x]] += T.bself[x];
    }
    return C.finish();
  }
  function callers(T, f) {
    const C = new Tree(ROOT);
    C.rootLabel = names[f];
    for (const top of topmost(T, f)) {
      let c = 0;
      for (let y = T.parent[top]; y > 0; y = T.parent[y]) c = C.child(c, T.func[y]);
      C.self[c] += T.total[top]; C.bself[c] += T.btotal[top];
    }
    return C.finish();
  }

  // ---- Layout: rectangles (node, x, width, depth), in value units ----
  // Each function's place in name order, for sorting siblings without comparing strings.
  let rankCache = null;
  function nameRank() {
    if (rankCache && rankCache.length === names.length) return rankCache;
    const order = Array.from(names.keys()).sort((a, b) => names[a] < names[b] ? -1 : names[a] > names[b] ? 1 : 0);
    rankCache = new Int32Array(names.length);
    order.forEach((f, i) => { rankCache[f] = i; });
    return rankCache;
  }
  function layoutTree(T, order) {
    const n = T.parent.length;
    const x = new Float64Array(n), rank = nameRank();
    const byName = (a, b) => rank[T.func[a]] - rank[T.func[b]];
    const cmp = order === "heavy" ? (a, b) => T.total[b] - T.total[a] || byName(a, b) : byName;
    for (let p = 0; p < n; p++) {
      const from = T.first[p], to = T.first[p + 1];
      if (to - from > 1) T.kids.subarray(from, to).sort(cmp);
      let cur = x[p];
      for (let j = from; j < to; j++) { const k = T.kids[j]; x[k] = cur; cur += T.total[k]; }
    }
    const node = new Int32Array(n), w = new Float64Array(n);
    for (let i = 0; i < n; i++) { node[i] = i; w[i] = T.total[i]; }
    return finishLayout({ node, x, w, d: T.depth, count: n, tree: T });
  }
  function layoutTime(T) {
    const node = [], x = [], w = [], d = [];
    const open = [];
    let pos = 0;
    const P = MAIN, vals = P.values[Number(S.t)];
    const groupsOn = !!S.group;
    for (let s = 0; s < P.node.length; s++) {
      const v = vals[s] / divisor, n = P.node[s];
      if (v === 0 || !M.pass[P.labels[s] + 1]) continue;
      if (M.hasFocus && !M.hasFocus[n]) continue;
      if (M.hasIgnore && M.hasIgnore[n]) continue;
      const leaf = M.mapped(n, groupsOn ? P.labels[s] : -1);
      const path = [];
      for (let y = leaf; y >= 0; y = T.parent[y]) path.push(y);
      path.reverse();
      let continuing = true;
      for (let depth = 0; depth < path.length; depth++) {
        const r = open[depth];
        if (continuing && r !== undefined && node[r] === path[depth]) { w[r] += v; continue; }
        continuing = false;
        open[depth] = node.length;
        node.push(path[depth]); x.push(pos); w.push(v); d.push(depth);
      }
      open.length = path.length;
      pos += v;
    }
    return finishLayout({ node: Int32Array.from(node), x: Float64Array.from(x), w: Float64Array.from(w), d: Int32Array.from(d), count: node.length, tree: T });
  }
  function finishLayout(L) {
    let maxDepth = 0;
    for (let i = 0; i < L.count; i++) if (L.w[i] > 0 && L.d[i] > maxDepth) maxDepth = L.d[i];
    L.maxDepth = maxDepth;
    L.byDepth = [];
    for (let i = 0; i <= maxDepth; i++) L.byDepth.push([]);
    for (let i = 0; i < L.count; i++) if (L.w[i] > 0) L.byDepth[L.d[i]].push(i);
    for (const row of L.byDepth) row.sort((a, b) => L.x[a] - L.x[b]);
    L.width = L.count ? L.w[0] : 0;
    return L;
  }
  let layoutCache = null;
  function mainLayout() {
    const key = S.o + "|" + S.inv;
    if (layoutCache && layoutCache.key === key) return layoutCache.layout;
    let L;
    if (S.inv) L = layoutTree(inverted(M.tree), S.o === "time" ? "alpha" : S.o);
    else L = S.o === "time" ? layoutTime(M.tree) : layoutTree(M.tree, S.o);
    layoutCache = { key, layout: L };
    return L;
  }

  // ---- Colours ----
  function hash(s) { let h = 2166136261; for (let i = 0; i < s.length; i++) { h ^= s.charCodeAt(i); h = Math.imul(h, 16777619); } return h >>> 0; }
  function packageOf(name) {
    if (name.startsWith("[")) return name;
    const slash = name.lastIndexOf("/", name.indexOf("(") >= 0 ? name.indexOf("(") : name.length);
    const dot = name.indexOf(".", slash + 1);
    return dot > 0 ? name.slice(0, dot) : name;
  }
  const byPackage = D.source !== "folded";
  function frameColor(T, n) {
    if (DIFF) {
      const a = T.total[n], b = T.btotal[n], m = Math.max(a, b);
      const r = m > 0 ? (a - b) / m : 0;
      const k = Math.round(200 * (1 - Math.min(1, Math.abs(r))));
      return r > 0 ? `rgb(255,${k + 55},${k + 55})` : r < 0 ? `rgb(${k + 55},${k + 55},255)` : "rgb(250,250,250)";
    }
    const name = n === 0 ? "root" : T.name(n);
    if (byPackage) {
      const h = hash(packageOf(name));
      return `hsl(${h % 360},${45 + (h >> 9) % 25}%,${68 + (h >> 17) % 12}%)`;
    }
    const h = hash(name);
    return `rgb(${205 + h % 50},${(h >> 8) % 230},${(h >> 16) % 55})`;
  }
  function drawLegend(L) {
    const box = $("fg-legend");
    box.textContent = "";
    if (DIFF) {
      box.append(legendItem("rgb(255,95,95)", "grew"), legendItem("rgb(95,95,255)", "shrank"), el("span", "width: after; colour: after vs before"));
      return;
    }
    if (!byPackage) return;
    const T = L.tree, sums = new Map();
    for (let n = 1; n < T.parent.length; n++) { const p = packageOf(T.name(n)); sums.set(p, (sums.get(p) || 0) + T.self[n]); }
    const top = Array.from(sums.entries()).sort((a, b) => b[1] - a[1]).slice(0, 12);
    for (const [p, v] of top) {
      if (v <= 0) continue;
      const h = hash(p);
      box.append(legendItem(`hsl(${h % 360},${45 + (h >> 9) % 25}%,${68 + (h >> 17) % 12}%)`, p + " " + percent(v, M.total)));
    }
  }
  function legendItem(color, text) { const s = el("span"), i = el("i"); i.style.background = color; s.append(i, document.createTextNode(text)); return s; }

  // ---- Drawing flame graphs on canvas ----
  const FH = 17;
  class FlameCanvas {
    constructor(canvas, opts) {
      this.canvas = canvas; this.opts = opts; this.L = null; this.zoom = null;
      canvas.addEventListener("mousemove", (e) => this.hover(e));
      canvas.addEventListener("mouseleave", () => { $("fg-tip").hidden = true; this.hot = -1; this.draw(); });
      canvas.addEventListener("click", (e) => { const r = this.hit(e); if (r >= 0) opts.onZoom(this, r); });
      canvas.addEventListener("contextmenu", (e) => { const r = this.hit(e); if (r < 0) return; e.preventDefault(); opts.onMenu(this, r, e); });
      this.hot = -1;
    }
    set(L, zoom) { this.L = L; this.zoom = zoom; this.draw(); }
    range() {
      const L = this.L, z = this.zoom;
      if (z && z.r >= 0 && z.r < L.count) return [L.x[z.r], L.x[z.r] + L.w[z.r], L.d[z.r]];
      return [0, L.width, 0];
    }
    y(d) { return this.opts.icicle() ? d * FH : (this.rows - 1 - d) * FH; }
    // The deepest row with a frame wide enough to draw at this zoom: the canvas is as tall as that.
    visibleRows(W) {
      const L = this.L, [x0, x1] = this.range(), k = W / (x1 - x0 || 1);
      for (let d = L.maxDepth; d > 0; d--) {
        for (const i of L.byDepth[d]) if (L.w[i] * k >= 0.4 && L.x[i] + L.w[i] > x0 && L.x[i] < x1) return d + 1;
      }
      return 1;
    }
    draw() {
      const L = this.L, c = this.canvas;
      if (!L) return;
      const W = c.clientWidth || 1200, dpr = window.devicePixelRatio || 1;
      this.rows = this.visibleRows(W);
      const rows = this.rows, H = rows * FH;
      if (c.width !== Math.round(W * dpr) || c.height !== Math.round(H * dpr)) { c.width = Math.round(W * dpr); c.height = Math.round(H * dpr); c.style.height = H + "px"; }
      const g = c.getContext("2d");
      g.setTransform(dpr, 0, 0, dpr, 0, 0);
      g.clearRect(0, 0, W, H);
      g.font = "12px 'DejaVu Sans Mono', Menlo, Consolas, monospace";
      g.textBaseline = "middle";
      const charW = g.measureText("M").width || 7;
      const [x0, x1, zd] = this.range(), span = x1 - x0 || 1, k = W / span;
      const T = L.tree, match = this.opts.match();
      this.drawn = 0;
      for (let d = 0; d < rows; d++) {
        const row = L.byDepth[d], y = this.y(d);
        for (let j = 0; j < row.length; j++) {
          const i = row[j];
          let px, pw;
          const x = L.x[i], w = L.w[i];
          if (d < zd) {
            if (x > x0 + span * 1e-9 || x + w < x1 - span * 1e-9) continue;
            px = 0; pw = W;
          } else {
            if (x + w <= x0 || x >= x1) continue;
            px = (x - x0) * k; pw = w * k;
            if (pw < 0.4) continue;
            if (px < 0) { pw += px; px = 0; }
            if (px + pw > W) pw = W - px;
          }
          const n = L.node[i];
          g.fillStyle = match && n > 0 && match[T.func[n]] ? "rgb(220,60,220)" : frameColor(T, n);
          g.globalAlpha = d < zd ? 0.55 : 1;
          g.fillRect(px, y, Math.max(pw - 0.5, 0.4), FH - 1);
          this.drawn++;
          if (i === this.hot) { g.strokeStyle = "#000"; g.strokeRect(px + 0.5, y + 0.5, Math.max(pw - 1.5, 0.5), FH - 2); }
          if (pw > 3 * charW) {
            // A name that does not fit is cut with "..", and only when a few letters of it remain.
            const name = T.name(n), fit = Math.floor((pw - 6) / charW);
            if (name.length <= fit || fit >= 6) {
              g.fillStyle = "#000";
              g.fillText(name.length <= fit ? name : name.slice(0, fit - 2) + "..", px + 3, y + FH / 2);
            }
          }
        }
      }
      g.globalAlpha = 1;
    }
    hit(e) {
      const L = this.L;
      if (!L) return -1;
      const rect = this.canvas.getBoundingClientRect(), W = rect.width;
      const mx = e.clientX - rect.left, my = e.clientY - rect.top;
      const row = Math.floor(my / FH);
      const d = this.opts.icicle() ? row : this.rows - 1 - row;
      if (d < 0 || d >= this.rows) return -1;
      const [x0, x1, zd] = this.range();
      const list = L.byDepth[d];
      if (d < zd) {
        for (const i of list) if (L.x[i] <= x0 && L.x[i] + L.w[i] >= x1) return i;
        return -1;
      }
      const vx = x0 + (mx / W) * (x1 - x0);
      let lo = 0, hi = list.length - 1, found = -1;
      while (lo <= hi) {
        const mid = (lo + hi) >> 1, i = list[mid];
        if (L.x[i] <= vx) { found = i; lo = mid + 1; } else hi = mid - 1;
      }
      return found >= 0 && vx < L.x[found] + L.w[found] ? found : -1;
    }
    hover(e) {
      const r = this.hit(e), tip = $("fg-tip");
      if (r !== this.hot) { this.hot = r; this.draw(); }
      if (r < 0) { tip.hidden = true; return; }
      tip.textContent = describe(this.L, r, this.range());
      tip.hidden = false;
      const tx = Math.min(e.clientX + 14, window.innerWidth - tip.offsetWidth - 8);
      const ty = e.clientY + 18 + tip.offsetHeight > window.innerHeight ? e.clientY - tip.offsetHeight - 8 : e.clientY + 18;
      tip.style.left = tx + "px"; tip.style.top = ty + "px";
    }
  }
  function describe(L, r, range) {
    const T = L.tree, n = L.node[r], w = L.w[r];
    const lines = [n === 0 ? T.rootLabel : T.name(n)];
    if (n > 0 && D.funcFiles[T.func[n]]) lines.push(D.funcFiles[T.func[n]]);
    const zoomW = range[1] - range[0];
    if (DIFF) {
      lines.push(`before: ${fmtAuto(T.btotal[n])}   after: ${fmtAuto(T.total[n])}   change: ${T.total[n] - T.btotal[n] > 0 ? "+" : ""}${fmtAuto(T.total[n] - T.btotal[n])}`);
    } else {
      lines.push(`total: ${fmtAuto(w)} (${percent(w, M.total)} of all${zoomW !== L.width ? ", " + percent(w, zoomW) + " of zoom" : ""})`);
      if (S.o !== "time" || S.inv) lines.push(`self: ${fmtAuto(T.self[n])} (${percent(T.self[n], M.total)})`);
    }
    return lines.join("\n");
  }

  // ---- Views ----
  let flame, callerCanvas, calleeCanvas;
  let matchCache = null;
  function currentMatch() {
    const re = searchRegex();
    if (!re) return null;
    const key = S.q + "|" + S.re + "|" + S.cs + "|" + names.length;
    if (matchCache && matchCache.key === key) return matchCache.m;
    matchCache = { key, m: funcMatches(re) };
    return matchCache.m;
  }
  function zoomFromState(L) {
    if (!S.z) return null;
    const [a, b, d] = S.z.split(",").map(Number);
    const row = L.byDepth[d];
    if (!row) return null;
    for (const i of row) if (Math.abs(L.x[i] - a) < 1e-6 * L.width + 1e-9 && Math.abs(L.x[i] + L.w[i] - b) < 1e-6 * L.width + 1e-9) return { r: i };
    return null;
  }
  function renderFlame() {
    const L = mainLayout();
    const zoom = zoomFromState(L);
    flame.set(L, zoom);
    drawLegend(L);
    renderCrumbs(L, zoom);
    renderMatch(L, zoom);
  }
  function renderCrumbs(L, zoom) {
    const box = $("fg-crumbs");
    box.textContent = "";
    if (!zoom) return;
    const T = L.tree, chain = [];
    for (let n = L.node[zoom.r]; n >= 0; n = T.parent[n]) chain.push(n);
    chain.reverse();
    box.append(el("span", "zoomed: "));
    for (let i = 0; i < chain.length; i++) {
      const b = el("button", chain[i] === 0 ? T.rootLabel : T.name(chain[i]));
      const depth = i;
      b.addEventListener("click", () => {
        if (depth === 0) { S.z = ""; } else {
          const list = L.byDepth[depth], cx = L.x[zoom.r];
          for (const r of list) if (L.x[r] <= cx && cx < L.x[r] + L.w[r]) { S.z = `${L.x[r]},${L.x[r] + L.w[r]},${depth}`; break; }
        }
        update();
      });
      if (i > 0) box.append(document.createTextNode(" › "));
      box.append(b);
    }
  }
  // Matched total: frames whose name matches, without a matching frame below them, so nothing
  // is counted twice; as a share of everything and of the zoomed frame.
  function matchedTotals(L, zoom) {
    const m = currentMatch();
    if (!m) return null;
    const T = L.tree, n = T.parent.length, under = new Uint8Array(n);
    let all = 0;
    for (let x = 1; x < n; x++) {
      const hit = m[T.func[x]];
      if (hit && !under[T.parent[x]]) all += T.total[x];
      under[x] = under[T.parent[x]] | hit;
    }
    let inZoom = null;
    if (zoom && S.o !== "time") {
      inZoom = 0;
      const zn = L.node[zoom.r], inside = new Uint8Array(n), u2 = new Uint8Array(n);
      inside[zn] = 1;
      u2[zn] = m[T.func[zn]] || 0;
      if (u2[zn]) inZoom = T.total[zn];
      for (let x = zn + 1; x < n; x++) {
        const p = T.parent[x];
        if (!inside[p]) continue;
        inside[x] = 1;
        const hit = m[T.func[x]];
        if (hit && !u2[p]) inZoom += T.total[x];
        u2[x] = u2[p] | hit;
      }
    }
    return { all, inZoom, zoomTotal: zoom ? L.w[zoom.r] : 0 };
  }
  function renderMatch(L, zoom) {
    const box = $("fg-match"), t = matchedTotals(L, zoom);
    if (!t) { box.textContent = ""; return; }
    let s = `matched ${fmtAuto(t.all)} = ${percent(t.all, M.total)} of total`;
    if (t.inZoom !== null) s += `, ${percent(t.inZoom, t.zoomTotal)} of zoomed frame`;
    box.textContent = s;
  }

  function sandwichFunc() {
    if (!S.sw) return -1;
    for (let f = 0; f < names.length; f++) if (names[f] === S.sw) return f;
    return -1;
  }
  function renderSandwich() {
    const f = sandwichFunc();
    const title = $("fg-sw-title");
    if (f < 0) {
      title.textContent = "Pick a function: right-click a frame, or click a row of the Top table.";
      callerCanvas.set(null, null); calleeCanvas.set(null, null);
      for (const c of [callerCanvas, calleeCanvas]) { c.canvas.width = c.canvas.width; c.L = null; }
      return;
    }
    const up = layoutTree(callers(M.tree, f), "heavy"), down = layoutTree(callees(M.tree, f), "heavy");
    const total = up.tree.total[0];
    title.textContent = `${names[f]} — cum ${fmtAuto(total)} (${percent(total, M.total)}), self ${fmtAuto(M.stats.find((r) => r.f === f)?.flat || 0)}`;
    callerCanvas.set(up, callerCanvas.zoomFor === f ? callerCanvas.zoom : null);
    calleeCanvas.set(down, calleeCanvas.zoomFor === f ? calleeCanvas.zoom : null);
    callerCanvas.zoomFor = calleeCanvas.zoomFor = f;
  }

  let showAllRows = false;
  const COLUMNS = DIFF
    ? [["flat", "flat Δ"], ["flatPct", "flat%"], ["sumPct", "sum%"], ["cum", "cum Δ"], ["cumPct", "cum%"], ["before", "before"], ["after", "after"], ["name", "function"]]
    : [["flat", "flat"], ["flatPct", "flat%"], ["sumPct", "sum%"], ["cum", "cum"], ["cumPct", "cum%"], ["name", "function"]];
  function sortedRows() {
    const key = S.sort.replace(/^-/, ""), asc = S.sort.startsWith("-");
    const re = searchRegex();
    let rows = M.stats.filter((r) => names[r.f] !== undefined && (!re || re.test(names[r.f])));
    // Differential tables sort by signed change: the biggest growth first.
    const size = DIFF ? (v) => v : Math.abs;
    const val = (r) => key === "flatPct" ? size(r.flat) : key === "cumPct" ? size(r.cum) : key === "name" ? 0 : size(r[key === "sumPct" ? "flat" : key] || 0);
    rows.sort((a, b) => {
      if (key === "name") return names[a.f] < names[b.f] ? -1 : names[a.f] > names[b.f] ? 1 : 0;
      return val(b) - val(a) || Math.abs(b.cum) - Math.abs(a.cum) || (names[a.f] < names[b.f] ? -1 : 1);
    });
    if (asc) rows.reverse();
    let sum = 0;
    const total = reportTotal();
    return rows.map((r) => {
      sum += r.flat;
      const o = { f: r.f, name: names[r.f], flat: fmt(r.flat), flatPct: percent(r.flat, total), sumPct: percent(sum, total), cum: fmt(r.cum), cumPct: percent(r.cum, total), flatValue: r.flat, cumValue: r.cum };
      if (DIFF) { o.before = fmt(r.before); o.after = fmt(r.after); }
      return o;
    });
  }
  function renderTop() {
    const rows = sortedRows();
    $("fg-top-head").textContent = D.header.concat([`Total: ${fmt(reportTotal())}` + (DIFF ? ` (after ${fmt(M.total)}, before ${fmt(M.btotal)})` : ""), `${rows.length} functions`]).join("\n");
    const thead = $("fg-table").tHead, tbody = $("fg-table").tBodies[0];
    thead.textContent = ""; tbody.textContent = "";
    const hr = el("tr");
    for (const [key, title] of COLUMNS) {
      const th = el("th", title + (S.sort === key ? " ▼" : S.sort === "-" + key ? " ▲" : ""), key === "name" ? "name" : undefined);
      th.addEventListener("click", () => { S.sort = S.sort === key ? "-" + key : key; update(); });
      hr.append(th);
    }
    thead.append(hr);
    const limit = showAllRows ? rows.length : Math.min(rows.length, 500);
    const frag = document.createDocumentFragment();
    for (let i = 0; i < limit; i++) {
      const r = rows[i], tr = el("tr");
      for (const [key] of COLUMNS) {
        const td = el("td", r[key], key === "name" ? "name" : undefined);
        if (DIFF && (key === "flat" || key === "cum")) td.className = (key === "flat" ? r.flatValue : r.cumValue) > 0 ? "fg-grew" : "fg-shrank";
        tr.append(td);
      }
      tr.addEventListener("click", () => { S.sw = r.name; S.v = "sandwich"; update(); });
      frag.append(tr);
    }
    tbody.append(frag);
    $("fg-more").hidden = limit >= rows.length;
  }

  // An SVG from the document, mounted once, with pan (drag) and zoom (wheel); double-click resets.
  const mounted = {};
  function mountSVG(box, text, onClick) {
    if (mounted[box.id]) return;
    mounted[box.id] = true;
    const doc = new DOMParser().parseFromString(text, "image/svg+xml");
    const svg = document.importNode(doc.documentElement, true);
    for (const s of svg.querySelectorAll("script")) s.remove();
    box.append(svg);
    const orig = (svg.getAttribute("viewBox") || "0 0 1000 1000").split(/[ ,]+/).map(Number);
    let vb = orig.slice();
    const apply = () => svg.setAttribute("viewBox", vb.join(" "));
    svg.addEventListener("wheel", (e) => {
      e.preventDefault();
      const r = svg.getBoundingClientRect(), f = e.deltaY < 0 ? 0.85 : 1 / 0.85;
      const px = vb[0] + (e.clientX - r.left) / r.width * vb[2], py = vb[1] + (e.clientY - r.top) / r.height * vb[3];
      vb = [px - (px - vb[0]) * f, py - (py - vb[1]) * f, vb[2] * f, vb[3] * f];
      apply();
    }, { passive: false });
    let drag = null, moved = false;
    svg.addEventListener("mousedown", (e) => { drag = { x: e.clientX, y: e.clientY, vb: vb.slice() }; moved = false; });
    window.addEventListener("mousemove", (e) => {
      if (!drag) return;
      const r = svg.getBoundingClientRect();
      if (Math.abs(e.clientX - drag.x) + Math.abs(e.clientY - drag.y) > 3) moved = true;
      vb = [drag.vb[0] - (e.clientX - drag.x) / r.width * drag.vb[2], drag.vb[1] - (e.clientY - drag.y) / r.height * drag.vb[3], drag.vb[2], drag.vb[3]];
      apply();
    });
    window.addEventListener("mouseup", () => { drag = null; });
    svg.addEventListener("dblclick", () => { vb = orig.slice(); apply(); });
    if (onClick) svg.addEventListener("click", (e) => { if (!moved) onClick(e); });
  }
  function renderGraph() {
    const box = $("fg-graph");
    if (!D.graph) { box.textContent = "No call graph in this file."; return; }
    mountSVG(box, D.graph, (e) => {
      const node = e.target.closest && e.target.closest("g.node");
      if (!node || node.id === "legend") return;
      const title = node.querySelector("title");
      if (!title) return;
      const name = title.textContent.replace(/ \([^()]*\)$/, "");
      S.focus = "^" + escapeRegex(name) + "$";
      S.v = "flame"; S.z = "";
      recompute();
    });
  }
  function renderTimeline() {
    if (D.timeline) mountSVG($("fg-timeline"), D.timeline, null);
  }
  let goroutinesDone = false;
  const GOROUTINE_ROWS = 1000;
  function renderGoroutines() {
    if (goroutinesDone || !D.goroutines || !D.goroutines.length) return;
    goroutinesDone = true;
    const table = $("fg-goroutines"), head = el("tr");
    for (const h of D.goroutines[0]) head.append(el("th", h, h === "start function" ? "name" : undefined));
    table.tHead.append(head);
    // The heaviest start functions (rows come heaviest first); a table of every one of 100k
    // would take the tab for a minute. `flamegen goroutines` prints them all.
    const rows = D.goroutines.length - 1, shown = Math.min(rows, GOROUTINE_ROWS), body = document.createDocumentFragment();
    for (const row of D.goroutines.slice(1, shown + 1)) {
      const tr = el("tr");
      row.forEach((c, i) => tr.append(el("td", c, i === 0 ? "name" : undefined)));
      body.append(tr);
    }
    if (shown < rows) {
      const tr = el("tr"), td = el("td", `… and ${rows - shown} more start functions: flamegen goroutines prints every one`);
      td.colSpan = D.goroutines[0].length;
      tr.append(td);
      body.append(tr);
    }
    table.tBodies[0].append(body);
  }

  function renderSource() {
    const select = $("fg-src-func"), pre = $("fg-src");
    const keys = Object.keys(D.sources).sort();
    if (select.options.length !== keys.length) {
      select.textContent = "";
      for (const k of keys) select.append(new Option(k, k));
    }
    const want = S.src || S.sw;
    if (!keys.length) { pre.textContent = "No source in this file: make it with --source-path DIR (and --trim-path) to include the annotated source of the top functions."; return; }
    let key = keys.includes(want) ? want : keys[0];
    select.value = key;
    pre.textContent = D.sources[key];
  }

  function renderActive() {
    const parts = [];
    for (const k of ["focus", "ignore", "hide", "show", "tagfocus", "tagignore"]) if (S[k]) parts.push(`${k}=${S[k]}`);
    if (S.group) parts.push(`group by ${S.group}`);
    const kept = parts.length ? ` — showing ${fmtAuto(M.tree.total[0])} (${percent(M.tree.total[0], M.total)}) of ${fmtAuto(M.total)}` : "";
    $("fg-active").textContent = (parts.length ? "Refined: " + parts.join(", ") : "") + kept;
  }

  // ---- Update cycle ----
  function recompute() {
    try { compute(); $("fg-refine-error").textContent = ""; } catch (e) {
      $("fg-refine-error").textContent = e.message;
      for (const k of ["focus", "ignore", "hide", "show", "tagfocus", "tagignore"]) S[k] = "";
      compute();
    }
    update();
  }
  function update() {
    writeHash();
    for (const b of document.querySelectorAll(".fg-tabs button")) b.setAttribute("aria-selected", String(b.dataset.view === S.v));
    for (const p of document.querySelectorAll("[data-panel]")) p.hidden = p.dataset.panel !== S.v;
    $("fg-type").value = S.t;
    $("fg-q").value !== S.q && ($("fg-q").value = S.q);
    $("fg-re").checked = !!S.re; $("fg-cs").checked = !!S.cs;
    $("fg-icicle").checked = !!S.ic; $("fg-inverted").checked = !!S.inv; $("fg-order").value = S.o;
    $("fg-group").value = S.group;
    for (const input of document.querySelectorAll("[data-refine]")) if (document.activeElement !== input) input.value = S[input.dataset.refine];
    renderActive();
    if (S.v === "flame") renderFlame();
    else renderMatch(mainLayout(), null);
    if (S.v === "sandwich") renderSandwich();
    if (S.v === "top") renderTop();
    if (S.v === "graph") renderGraph();
    if (S.v === "source") renderSource();
    if (S.v === "timeline") renderTimeline();
    if (S.v === "goroutines") renderGoroutines();
  }

  function openMenu(canvas, r, e) {
    const menu = $("fg-menu"), T = canvas.L.tree, n = canvas.L.node[r];
    if (n === 0) return;
    const name = T.name(n);
    menu.textContent = "";
    const item = (text, action) => { const b = el("button", text); b.addEventListener("click", () => { menu.hidden = true; action(); }); menu.append(b); };
    item("Sandwich: callers and callees", () => { S.sw = name; S.v = "sandwich"; update(); });
    item("Focus on this function", () => { S.focus = "^" + escapeRegex(name) + "$"; S.z = ""; recompute(); });
    item("Ignore this function", () => { S.ignore = "^" + escapeRegex(name) + "$"; S.z = ""; recompute(); });
    item("Hide this function", () => { S.hide = "^" + escapeRegex(name) + "$"; S.z = ""; recompute(); });
    if (D.sources[name]) item("Source", () => { S.src = name; S.v = "source"; update(); });
    menu.style.left = e.clientX + "px"; menu.style.top = e.clientY + "px";
    menu.hidden = false;
  }

  function setup() {
    for (const b of document.querySelectorAll("[data-view=timeline], [data-view=goroutines]")) b.hidden = !D.timeline;
    const typeSel = $("fg-type");
    D.sampleTypes.forEach((t, i) => typeSel.append(new Option(`${t.type} (${t.unit})`, String(i))));
    typeSel.disabled = D.sampleTypes.length < 2;
    const groupSel = $("fg-group");
    groupSel.append(new Option("nothing", ""));
    const keyName = (k) => k === "wait_minutes" ? "wait time" : k === "wait_state" ? "wait state" : k;
    for (const k of labelKeys) groupSel.append(new Option(keyName(k), k));
    if (labelKeys.includes("wait_state") && labelKeys.includes("wait_minutes")) groupSel.append(new Option("wait state + wait time", "wait_state,wait_minutes"));
    if (labelKeys.length > 1 && labelKeys.length <= 8) groupSel.append(new Option(labelKeys.map(keyName).join(" + "), labelKeys.join(",")));
    flame = new FlameCanvas($("fg-flame"), {
      icicle: () => !!S.ic, match: currentMatch,
      onZoom: (c, r) => { const L = c.L; S.z = r === 0 ? "" : `${L.x[r]},${L.x[r] + L.w[r]},${L.d[r]}`; update(); },
      onMenu: openMenu,
    });
    const local = (c, r) => { c.zoom = r === 0 ? null : { r }; c.draw(); };
    callerCanvas = new FlameCanvas($("fg-callers"), { icicle: () => false, match: currentMatch, onZoom: local, onMenu: openMenu });
    calleeCanvas = new FlameCanvas($("fg-callees"), { icicle: () => true, match: currentMatch, onZoom: local, onMenu: openMenu });
    for (const b of document.querySelectorAll(".fg-tabs button")) b.addEventListener("click", () => { S.v = b.dataset.view; update(); });
    typeSel.addEventListener("change", () => { S.t = typeSel.value; S.z = ""; recompute(); });
    $("fg-q").addEventListener("input", () => { S.q = $("fg-q").value; update(); });
    $("fg-re").addEventListener("change", () => { S.re = $("fg-re").checked ? "1" : ""; update(); });
    $("fg-cs").addEventListener("change", () => { S.cs = $("fg-cs").checked ? "1" : ""; update(); });
    $("fg-icicle").addEventListener("change", () => { S.ic = $("fg-icicle").checked ? "1" : ""; update(); });
    $("fg-inverted").addEventListener("change", () => { S.inv = $("fg-inverted").checked ? "1" : ""; S.z = ""; update(); });
    $("fg-order").addEventListener("change", () => { S.o = $("fg-order").value; S.z = ""; update(); });
    $("fg-reset").addEventListener("click", () => { S.z = ""; update(); });
    $("fg-more").addEventListener("click", () => { showAllRows = true; renderTop(); });
    $("fg-src-func").addEventListener("change", () => { S.src = $("fg-src-func").value; update(); });
    $("fg-refine-toggle").addEventListener("click", () => { $("fg-refine").hidden = !$("fg-refine").hidden; });
    $("fg-help-toggle").addEventListener("click", () => { $("fg-help").hidden = !$("fg-help").hidden; });
    $("fg-refine-apply").addEventListener("click", () => {
      for (const input of document.querySelectorAll("[data-refine]")) S[input.dataset.refine] = input.value;
      S.group = groupSel.value; S.z = ""; recompute();
    });
    $("fg-refine-clear").addEventListener("click", () => {
      for (const k of ["focus", "ignore", "hide", "show", "tagfocus", "tagignore", "group"]) S[k] = "";
      S.z = ""; recompute();
    });
    for (const input of document.querySelectorAll("[data-refine]")) input.addEventListener("keydown", (e) => { if (e.key === "Enter") $("fg-refine-apply").click(); });
    for (const b of document.querySelectorAll("[data-sw]")) b.addEventListener("click", () => {
      if (!S.sw) return;
      const re = "^" + escapeRegex(S.sw) + "$";
      if (b.dataset.sw === "source") { S.src = S.sw; S.v = "source"; update(); return; }
      S[b.dataset.sw] = re; S.v = "flame"; S.z = ""; recompute();
    });
    document.addEventListener("click", (e) => { if (!$("fg-menu").contains(e.target)) $("fg-menu").hidden = true; });
    document.addEventListener("keydown", (e) => {
      const typing = e.target instanceof HTMLInputElement || e.target instanceof HTMLSelectElement;
      if (e.key === "Escape") { $("fg-menu").hidden = true; $("fg-help").hidden = true; if (typing) e.target.blur(); S.z = ""; update(); return; }
      if (typing || e.ctrlKey || e.metaKey || e.altKey) return;
      const views = { f: "flame", s: "sandwich", t: "top", g: "graph", o: "source" };
      if (views[e.key]) { S.v = views[e.key]; update(); }
      else if (e.key === "/") { e.preventDefault(); $("fg-q").focus(); }
      else if (e.key === "i") { S.ic = S.ic ? "" : "1"; update(); }
      else if (e.key === "b") { S.inv = S.inv ? "" : "1"; S.z = ""; update(); }
      else if (e.key === "l") { S.o = { alpha: "heavy", heavy: "time", time: "alpha" }[S.o] || "alpha"; S.z = ""; update(); }
      else if (e.key === "r") { $("fg-refine").hidden = !$("fg-refine").hidden; }
      else if (e.key === "?") { $("fg-help").hidden = !$("fg-help").hidden; }
    });
    window.addEventListener("hashchange", () => { readHash(); recompute(); });
    let resizeTimer = 0;
    window.addEventListener("resize", () => { clearTimeout(resizeTimer); resizeTimer = setTimeout(update, 100); });
  }

  readHash();
  setup();
  $("fg-app").hidden = false;
  recompute();

  // A small read-only interface for tests and for the console.
  window.flamegen = {
    state: S,
    set(patch) {
      const deep = ["t", "focus", "ignore", "hide", "show", "tagfocus", "tagignore", "group"].some((k) => k in patch && patch[k] !== S[k]);
      Object.assign(S, patch);
      if (deep || !M) recompute(); else update();
    },
    rows: sortedRows,
    total: () => ({ total: M.total, text: fmt(reportTotal()), unit: M.outputUnit }),
    sandwich(name) {
      const f = names.indexOf(name);
      if (f < 0) return null;
      const up = callers(M.tree, f), down = callees(M.tree, f);
      return { callers: up.total[0], callees: down.total[0], callerNames: Array.from(up.kids.subarray(up.first[0], up.first[1])).map((n) => up.name(n)) };
    },
    matched() { const L = mainLayout(); return matchedTotals(L, zoomFromState(L)); },
    drawn: () => flame.drawn,
    redraw() { const t0 = performance.now(); flame.draw(); return performance.now() - t0; },
    layout: () => { const L = mainLayout(); return { count: L.count, maxDepth: L.maxDepth, width: L.width }; },
  };
})();
