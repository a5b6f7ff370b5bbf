// Small progressive enhancements; every page works without JavaScript.
document.addEventListener("change", (event) => {
  const el = event.target;
  if (el.matches("[data-autosubmit]")) el.form.submit();
});

// 大字模式: the button in the navigation switches large text and high contrast on and off; a11y.js applies the
// remembered choice on every page.
function largeTextButtons(on) {
  document.querySelectorAll("[data-large-toggle]").forEach((button) => {
    button.hidden = false;
    button.setAttribute("aria-pressed", on ? "true" : "false");
  });
}
document.addEventListener("click", (event) => {
  const button = event.target.closest("[data-large-toggle]");
  if (!button) return;
  const on = document.documentElement.classList.toggle("large-text");
  try {
    localStorage.setItem("minsheng.large", on ? "1" : "0");
  } catch (e) {
    /* not remembered, still switched for this page */
  }
  largeTextButtons(on);
});

// Tables become cards on a phone: each cell is labelled with its column's heading (shown before the value by
// site.css under 768 px). A table marked .table-keep stays a table (a grid that only reads as one).
function tablesAsCards() {
  document.querySelectorAll("main table.table:not(.table-keep)").forEach((table) => {
    const headings = [];
    const head = table.tHead && table.tHead.rows[table.tHead.rows.length - 1];
    if (!head) return;
    for (const th of head.cells) {
      for (let i = 0; i < (th.colSpan || 1); i += 1) headings.push(th.textContent.trim());
    }
    for (const body of table.tBodies) {
      for (const row of body.rows) {
        let column = 0;
        for (const cell of row.cells) {
          const label = headings[column];
          if (label && !cell.hasAttribute("data-label")) cell.setAttribute("data-label", label);
          column += cell.colSpan || 1;
        }
      }
    }
    table.classList.add("table-cards");
  });
}

document.addEventListener("DOMContentLoaded", () => {
  largeTextButtons(document.documentElement.classList.contains("large-text"));
  tablesAsCards();
  // A form sent back with errors: bring its one error banner into view (a case's action forms sit far down).
  const banner = document.querySelector('[data-testid="form-errors"]');
  if (banner && banner.getBoundingClientRect().top > window.innerHeight) banner.scrollIntoView({ block: "center" });
});
// Rows that htmx brings in later are labelled too.
document.addEventListener("htmx:afterSettle", tablesAsCards);
