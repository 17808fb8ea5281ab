// “Add a row” in an editor of rows (a Django formset): a copy of the empty row, numbered
// next, without a round trip to the server. Without this script the page offers its blank
// rows and the button stays hidden.
document.addEventListener("DOMContentLoaded", () => {
  for (const button of document.querySelectorAll("button.add-row")) {
    const template = document.getElementById(button.dataset.template);
    const total = document.getElementById(`id_${button.dataset.prefix}-TOTAL_FORMS`);
    if (!template || !total) continue;
    button.hidden = false;
    button.addEventListener("click", () => {
      const index = String(total.value);
      const row = template.content.firstElementChild.cloneNode(true);
      for (const element of row.querySelectorAll("[name], [id], [for], [aria-describedby]")) {
        for (const attribute of ["name", "id", "for", "aria-describedby"]) {
          const value = element.getAttribute(attribute);
          if (value) element.setAttribute(attribute, value.replaceAll("__prefix__", index));
        }
      }
      button.parentElement.before(row);
      total.value = Number(index) + 1;
      row.querySelector("input:not([type=hidden]), select, textarea")?.focus();
    });
  }
});
