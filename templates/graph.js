// flamegen call graph: pan and zoom. Without this script the SVG is a complete static picture.
// Wheel (or +/-) zooms around the pointer, dragging pans, double-click or 0 resets.
(function () {
  "use strict";
  var svg = document.documentElement;
  if (!svg || !svg.viewBox || !svg.createSVGPoint) return;
  var box = svg.viewBox.baseVal;
  var home = { x: box.x, y: box.y, width: box.width, height: box.height };
  var minWidth = home.width / 40, maxWidth = home.width * 4;
  var drag = null;

  // The pointer's position in picture coordinates.
  function at(clientX, clientY) {
    var p = svg.createSVGPoint(), m = svg.getScreenCTM();
    p.x = clientX; p.y = clientY;
    return m ? p.matrixTransform(m.inverse()) : { x: box.x + box.width / 2, y: box.y + box.height / 2 };
  }

  // Scales the view by factor (> 1 zooms out), keeping the point (cx, cy) where it is.
  function zoom(factor, cx, cy) {
    var width = Math.min(maxWidth, Math.max(minWidth, box.width * factor));
    factor = width / box.width;
    box.x = cx - (cx - box.x) * factor;
    box.y = cy - (cy - box.y) * factor;
    box.width = width;
    box.height = box.height * factor;
  }

  function reset() {
    box.x = home.x; box.y = home.y; box.width = home.width; box.height = home.height;
  }

  svg.addEventListener("wheel", function (e) {
    e.preventDefault();
    var p = at(e.clientX, e.clientY);
    zoom(Math.exp(Math.max(-1, Math.min(1, e.deltaY / 300))), p.x, p.y);
  }, { passive: false });
  svg.addEventListener("mousedown", function (e) {
    if (e.button !== 0) return;
    drag = at(e.clientX, e.clientY);
    svg.classList.add("panning");
  });
  window.addEventListener("mousemove", function (e) {
    if (!drag) return;
    var p = at(e.clientX, e.clientY);
    box.x -= p.x - drag.x;
    box.y -= p.y - drag.y;
  });
  window.addEventListener("mouseup", function () { drag = null; svg.classList.remove("panning"); });
  svg.addEventListener("dblclick", reset);
  window.addEventListener("keydown", function (e) {
    var c = { x: box.x + box.width / 2, y: box.y + box.height / 2 };
    if (e.key === "+" || e.key === "=") zoom(1 / 1.25, c.x, c.y);
    else if (e.key === "-") zoom(1.25, c.x, c.y);
    else if (e.key === "0") reset();
  });

  // A hint in the corner, added only when the script runs.
  var hint = document.createElementNS("http://www.w3.org/2000/svg", "text");
  hint.setAttribute("x", String(home.x + home.width - 8));
  hint.setAttribute("y", String(home.y + 14));
  hint.setAttribute("text-anchor", "end");
  hint.setAttribute("font-size", "11");
  hint.setAttribute("class", "hint");
  hint.textContent = "scroll to zoom · drag to pan · double-click to reset";
  svg.appendChild(hint);

  window.flamegenGraph = { zoom: zoom, reset: reset, view: function () { return { x: box.x, y: box.y, width: box.width, height: box.height }; } };
})();
