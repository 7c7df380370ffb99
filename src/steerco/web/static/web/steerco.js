// What every page does with a script (each page works without it too).
//
// A box that scrolls sideways on a small screen (a wide table, a chart: see steerco.css)
// must be reachable by the keyboard, so that its arrow keys scroll it (WCAG 2.1.1): such a
// box is made focusable while its content is wider than it.
// Without this script the boxes still scroll with a pointer or a finger.
//
// A link to a folded section (a meeting's paper in a <details>) opens the fold it points to;
// without this script the reader opens it.
(function () {
  "use strict";
  var BOXES = "table.grid, .md table, .scroll, .chart-box";
  var FOCUSABLE = "a[href], button, input, select, textarea, [tabindex]";

  function mark(box) {
    var wide = box.scrollWidth > box.clientWidth + 1;
    if (wide && !box.querySelector(FOCUSABLE)) {
      box.setAttribute("tabindex", "0");
      box.dataset.scrollBox = "1";
    } else if (box.dataset.scrollBox) {
      box.removeAttribute("tabindex");
      delete box.dataset.scrollBox;
    }
  }

  function markAll() {
    document.querySelectorAll(BOXES).forEach(mark);
  }

  var pending = 0;
  function later() {
    window.cancelAnimationFrame(pending);
    pending = window.requestAnimationFrame(markAll);
  }

  function unfold() {
    var id = decodeURIComponent(window.location.hash.slice(1));
    var target = id && document.getElementById(id);
    var fold = target && target.closest("details");
    if (fold && !fold.open) {
      fold.open = true;
      target.scrollIntoView();
    }
  }

  document.addEventListener("DOMContentLoaded", function () {
    markAll();
    unfold();
  });
  window.addEventListener("hashchange", unfold);
  window.addEventListener("resize", later);
  document.addEventListener("htmx:afterSettle", later);
  document.addEventListener("toggle", later, true);  // an opened fold may hold a wide table
})();
