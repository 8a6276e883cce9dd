// Interactive checklists: ticks persist in localStorage, keyed by checklist id and a hash of its items,
// so that an edited checklist never shows stale ticks. Re-run on every page (Material's instant navigation).
(function () {
  function setup(box) {
    var key = "handbook:" + box.dataset.checklist + ":" + box.dataset.version;
    var checks = Array.prototype.slice.call(box.querySelectorAll("input.hb-check"));
    var progress = box.querySelector(".hb-progress");
    var saved = {};
    try { saved = JSON.parse(localStorage.getItem(key) || "{}"); } catch (e) { saved = {}; }
    function update() {
      var state = {};
      var done = 0;
      checks.forEach(function (c) { if (c.checked) { state[c.dataset.item] = true; done += 1; } });
      box.querySelector(".hb-done").textContent = String(done);
      try { localStorage.setItem(key, JSON.stringify(state)); } catch (e) { /* storage disabled */ }
    }
    checks.forEach(function (c) {
      c.checked = !!saved[c.dataset.item];
      c.addEventListener("change", update);
    });
    box.querySelector(".hb-reset").addEventListener("click", function () {
      checks.forEach(function (c) { c.checked = false; });
      update();
    });
    progress.hidden = false;
    update();
  }
  function init() {
    document.querySelectorAll(".hb-checklist").forEach(function (box) {
      if (!box.dataset.ready) { box.dataset.ready = "1"; setup(box); }
    });
  }
  if (window.document$) { window.document$.subscribe(init); } else { document.addEventListener("DOMContentLoaded", init); }
})();
