// flamegen interactive flame graph: click to zoom, reset, regex search (Ctrl-F or "/"),
// details on hover. The SVG is complete without this script; it only adds interaction.
(function () {
  "use strict";
  var svg = document.documentElement;
  var framesRoot = document.getElementById("frames");
  if (!framesRoot) return;
  var total = +framesRoot.getAttribute("data-total");
  var xpad = +framesRoot.getAttribute("data-xpad");
  var charWidth = +framesRoot.getAttribute("data-charwidth");
  var fontSize = +framesRoot.getAttribute("data-fontsize");
  var usable = +svg.getAttribute("width") - 2 * xpad;
  var details = document.getElementById("details");
  var unzoom = document.getElementById("unzoom");
  var search = document.getElementById("search");
  var matched = document.getElementById("matched");
  var frames = [];
  var groups = framesRoot.children;
  for (var i = 0; i < groups.length; i++) {
    var g = groups[i];
    frames.push({
      g: g, rect: g.querySelector("rect"), text: g.querySelector("text"),
      title: g.querySelector("title").textContent,
      name: g.querySelector("title").textContent.replace(/ \([^()]*\)$/, ""),
      start: +g.getAttribute("data-s"), value: +g.getAttribute("data-v"), depth: +g.getAttribute("data-d"),
      fill: g.querySelector("rect").getAttribute("fill")
    });
  }
  svg.classList.add("live");
  unzoom.classList.add("off");

  function fit(name, width) {
    var chars = Math.floor((width - 6) / (charWidth * fontSize));
    if (chars < 3) return "";
    return name.length <= chars ? name : name.substring(0, chars - 2) + "..";
  }

  function place(f, x, width) {
    f.rect.setAttribute("x", x.toFixed(2));
    f.rect.setAttribute("width", width.toFixed(2));
    f.text.setAttribute("x", (x + 3).toFixed(2));
    f.text.textContent = fit(f.name, width);
  }

  function zoom(target) {
    var lo = target.start, hi = target.start + target.value;
    var scale = usable / Math.max(target.value, 1e-9);
    frames.forEach(function (f) {
      f.g.classList.remove("hidden", "parent");
      var end = f.start + f.value;
      if (f.depth < target.depth && f.start <= lo && end >= hi) {
        f.g.classList.add("parent");
        place(f, xpad, usable);
      } else if (f.depth >= target.depth && f.start >= lo && end <= hi && f.value * scale >= 0.1) {
        place(f, xpad + (f.start - lo) * scale, f.value * scale);
      } else {
        f.g.classList.add("hidden");
      }
    });
    unzoom.classList.remove("off");
  }

  function reset() {
    var scale = usable / total;
    frames.forEach(function (f) {
      f.g.classList.remove("hidden", "parent");
      place(f, xpad + f.start * scale, f.value * scale);
    });
    unzoom.classList.add("off");
  }

  function clearSearch() {
    frames.forEach(function (f) { f.rect.setAttribute("fill", f.fill); });
    matched.textContent = " ";
    search.classList.remove("on");
  }

  function runSearch(pattern) {
    var re;
    try { re = new RegExp(pattern); } catch (e) { matched.textContent = "bad regex"; return; }
    clearSearch();
    var spans = [];
    frames.forEach(function (f) {
      if (f.depth > 0 && re.test(f.name)) {
        f.rect.setAttribute("fill", "rgb(230,0,230)");
        spans.push([f.start, f.start + f.value]);
      }
    });
    // Matched share: the union of matched spans, so nested matches count once.
    spans.sort(function (a, b) { return a[0] - b[0] || b[1] - a[1]; });
    var covered = 0, end = -Infinity;
    spans.forEach(function (s) {
      if (s[0] >= end) { covered += s[1] - s[0]; end = s[1]; }
      else if (s[1] > end) { covered += s[1] - end; end = s[1]; }
    });
    search.classList.add("on");
    matched.textContent = "Matched: " + (total ? (100 * covered / total).toFixed(1) : "0") + "%";
  }

  function askSearch() {
    var pattern = window.prompt("Search (regular expression):", "");
    if (pattern === null || pattern === "") { clearSearch(); return; }
    runSearch(pattern);
  }

  frames.forEach(function (f) {
    f.g.addEventListener("click", function () { zoom(f); });
    f.g.addEventListener("mouseover", function () { details.textContent = f.title; });
    f.g.addEventListener("mouseout", function () { details.textContent = " "; });
  });
  unzoom.addEventListener("click", reset);
  search.addEventListener("click", askSearch);
  window.addEventListener("keydown", function (e) {
    if ((e.ctrlKey || e.metaKey) && e.key === "f" || e.key === "/") { e.preventDefault(); askSearch(); }
    else if (e.key === "Escape") { clearSearch(); reset(); }
  });
  window.flamegen = { zoom: function (i) { zoom(frames[i]); }, reset: reset, search: runSearch, frames: frames };
})();
