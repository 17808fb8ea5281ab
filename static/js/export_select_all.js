// The "select all" box of django-import-export's export page. Its template binds it with an
// inline handler, which the Content-Security-Policy blocks (the browser logs that); this
// binds it from a file instead.
document.addEventListener("DOMContentLoaded", () => {
  const toggle = document.querySelector("input.select-toggle");
  if (!toggle) {
    return;
  }
  toggle.addEventListener("change", () => {
    const boxes = document.querySelectorAll('.selectable-field-export-row input[type="checkbox"]');
    boxes.forEach((box) => {
      box.checked = toggle.checked;
    });
  });
});
