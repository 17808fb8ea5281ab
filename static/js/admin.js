// The admin's boxes that Django's scripts build, made readable by a screen reader and the
// keyboard: an autocomplete box (select2), its choices and its search field are named by
// their field's label, its "clear" button is an item of its list of choices; a filter box's
// help icon is an image; a table of rows wider than the screen takes the focus, so that the
// keyboard can scroll it. Boxes added later (a row added, a drop-down opened) are handled as
// they appear.
"use strict";

(function () {
  function labelOfSelect(id) {
    const select = id && document.getElementById(id);
    if (!select) return "";
    const label = document.querySelector(`label[for="${CSS.escape(id)}"]`);
    const text = label ? label.textContent : select.getAttribute("aria-label") || "";
    return text.replace(/:\s*$/, "").trim();
  }

  // The select a select2 element stands for: its box follows the select; an open
  // drop-down's search field controls the results list "select2-<id>-results".
  function selectIdOf(element) {
    const box = element.closest(".select2-container");
    const before = box && box.previousElementSibling;
    if (before && before.tagName === "SELECT") return before.id;
    const results = /^select2-(.+)-results$/.exec(element.getAttribute("aria-controls") || "");
    return results ? results[1] : "";
  }

  function mend(root) {
    const boxes = ".select2-selection, .select2-selection__rendered, .select2-search__field";
    for (const element of root.querySelectorAll(boxes)) {
      const name = labelOfSelect(selectIdOf(element));
      if (name) element.setAttribute("aria-label", name);
    }
    // select2 puts its "clear all" button inside the list of choices, where only items go
    // (it removes it from there on each change: it stays where it is, as an item).
    for (const clear of root.querySelectorAll("ul > .select2-selection__clear:not([role])")) {
      clear.setAttribute("role", "listitem");
    }
    for (const icon of root.querySelectorAll("span.help-tooltip[aria-label]:not([role])")) {
      icon.setAttribute("role", "img");
    }
    for (const group of root.querySelectorAll(".inline-group:has(.tabular):not([tabindex])")) {
      if (group.scrollWidth <= group.clientWidth) continue;
      const heading = group.querySelector("h2");
      group.setAttribute("tabindex", "0");
      group.setAttribute("role", "region");
      if (heading) group.setAttribute("aria-label", heading.textContent.trim());
    }
  }

  function start() {
    mend(document);
    new MutationObserver(() => mend(document)).observe(document.body, {
      childList: true,
      subtree: true,
      attributes: true,
      attributeFilter: ["aria-controls"],
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
