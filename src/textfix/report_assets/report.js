// textfix review report: filtering by stage, pagination and keyboard navigation.
// The report reads fully without this script; nothing here loads anything from anywhere.
(function () {
  "use strict";
  var root = document.documentElement;
  var marks = Array.prototype.slice.call(document.querySelectorAll("mark.e"));
  var pages = Array.prototype.slice.call(document.querySelectorAll("section.page"));
  var boxes = Array.prototype.slice.call(document.querySelectorAll("input[data-stage]"));
  var lowOnly = document.getElementById("low-only");
  var shownOut = document.getElementById("shown");
  var posOut = document.getElementById("position");
  root.classList.add("js");
  document.querySelectorAll("[data-needs-js]").forEach(function (el) {
    el.disabled = false;
    el.hidden = false;
  });
  document.querySelectorAll("[data-no-js]").forEach(function (el) { el.hidden = true; });

  function visible(m) { return !m.classList.contains("off"); }

  function applyFilter() {
    var on = {};
    boxes.forEach(function (b) { on[b.dataset.stage] = b.checked; });
    var low = lowOnly !== null && lowOnly.checked;
    var shown = 0;
    marks.forEach(function (m) {
      var parts = m.dataset.s ? m.dataset.s.split(" ") : [m.classList[1].slice(1)];
      var keep = parts.some(function (p) { return on[p]; }) && (!low || m.classList.contains("lo"));
      if (keep === m.classList.contains("off")) {
        m.classList.toggle("off", !keep);
        m.tabIndex = keep ? 0 : -1;
      }
      if (keep) { shown += 1; }
    });
    root.dataset.shown = String(shown);
    if (shownOut !== null) { shownOut.textContent = String(shown); }
  }

  function pageOf(el) { return el.closest("section.page"); }

  function showPage(page) {
    if (pages.length < 2 || page === null) { return; }
    pages.forEach(function (p) { p.hidden = p !== page; });
    document.querySelectorAll(".pager a").forEach(function (a) {
      if (a.getAttribute("href") === "#" + page.id) {
        a.setAttribute("aria-current", "page");
      } else {
        a.removeAttribute("aria-current");
      }
    });
    root.dataset.page = page.id;
  }

  function route() {
    var id = decodeURIComponent(location.hash.slice(1));
    var target = id ? document.getElementById(id) : null;
    var page = target !== null ? pageOf(target) : null;
    showPage(page !== null ? page : (pages.length ? pages[0] : null));
    if (target !== null) { target.scrollIntoView(); }
  }

  function go(step) {
    var active = document.activeElement;
    var i = active !== null && active.matches && active.matches("mark.e") ? marks.indexOf(active) : -1;
    if (i < 0 && step < 0) { i = marks.length; }
    if (i < 0 && pages.length > 1) {
      // Start from the first edit of the page on screen.
      var cur = pages.filter(function (p) { return !p.hidden; })[0];
      for (var k = 0; k < marks.length; k += 1) {
        if (pageOf(marks[k]) === cur) { i = k - 1; break; }
      }
    }
    for (var j = i + step; j >= 0 && j < marks.length; j += step) {
      var m = marks[j];
      if (visible(m)) {
        showPage(pageOf(m));
        m.focus({ preventScroll: true });
        m.scrollIntoView({ block: "center" });
        return true;
      }
    }
    return false;
  }

  function readQuery() {
    var q = new URLSearchParams(location.search);
    var stages = q.get("stages");
    if (stages !== null) {
      var wanted = stages.split(",");
      boxes.forEach(function (b) { b.checked = wanted.indexOf(b.value) >= 0; });
    }
    if (lowOnly !== null && q.get("low") === "1") { lowOnly.checked = true; }
    var view = document.getElementById("view-" + (q.get("view") || ""));
    if (view !== null) { view.checked = true; }
  }

  boxes.forEach(function (b) { b.addEventListener("change", applyFilter); });
  if (lowOnly !== null) { lowOnly.addEventListener("change", applyFilter); }
  var next = document.getElementById("next-edit");
  var prev = document.getElementById("prev-edit");
  if (next !== null) { next.addEventListener("click", function () { go(1); }); }
  if (prev !== null) { prev.addEventListener("click", function () { go(-1); }); }
  document.addEventListener("keydown", function (ev) {
    if (ev.altKey || ev.ctrlKey || ev.metaKey || ev.defaultPrevented) { return; }
    var t = ev.target;
    if (t !== null && t.matches && t.matches("input, textarea, select, [contenteditable]")) { return; }
    if (ev.key === "n" || ev.key === "j") {
      if (go(1)) { ev.preventDefault(); }
    } else if (ev.key === "p" || ev.key === "k") {
      if (go(-1)) { ev.preventDefault(); }
    }
  });
  // The details of the focused edit also go to the panel (a live region), where nothing clips them.
  document.addEventListener("focusin", function (ev) {
    var m = ev.target;
    if (posOut === null || !(m instanceof Element) || !m.matches("mark.e")) { return; }
    posOut.textContent = "Edit " + (marks.indexOf(m) + 1) + " of " + marks.length + ": " +
      m.title.split("\n").join(" · ");
  });
  window.addEventListener("hashchange", route);
  readQuery();
  if (boxes.some(function (b) { return !b.checked; }) || (lowOnly !== null && lowOnly.checked)) {
    applyFilter();  // untouched otherwise: a big report starts faster
  }
  route();
  root.dataset.ready = "1";
}());
