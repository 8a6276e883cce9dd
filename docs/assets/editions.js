// "某日现行的版本": for the date chosen, show only the editions in force that day (data-from <= day < data-until).
// Dates are YYYY-MM-DD strings, so they compare as text. Wording comes from the page (data-none).
(function () {
  function update(block) {
    var day = block.querySelector("input.hb-date").value;
    var shown = 0;
    block.querySelectorAll("li[data-from]").forEach(function (item) {
      var inForce = !day || (item.dataset.from <= day && day < item.dataset.until);
      item.hidden = !inForce;
      if (inForce) shown += 1;
    });
    var none = block.querySelector(".hb-on-date-none");
    if (!none) {
      none = document.createElement("p");
      none.className = "hb-on-date-none";
      none.textContent = block.dataset.none;
      block.appendChild(none);
    }
    none.hidden = shown > 0;
  }
  function start() {
    document.querySelectorAll(".hb-on-date").forEach(function (block) {
      var input = block.querySelector("input.hb-date");
      if (!input) return;
      // The reader's today: what is in force when the page is read, not when it was built.
      if (!input.value) input.value = new Date().toLocaleDateString("sv-SE");
      input.addEventListener("input", function () { update(block); });
      update(block);
    });
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
