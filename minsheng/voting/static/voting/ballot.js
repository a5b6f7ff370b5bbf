// The ballot: count the projects marked For against N, and warn before sending too many. The server refuses
// more than N anyway. Also the print button of the result sheet. No inline script (CSP).
(function () {
  "use strict";
  function countFor(form) {
    var counter = document.getElementById("for-count");
    var warning = document.getElementById("for-warning");
    if (!counter) return;
    var seats = parseInt(form.getAttribute("data-seats"), 10) || 0;
    var marked = form.querySelectorAll('input[type="radio"][value="for"]:checked').length;
    counter.textContent = String(marked);
    var tooMany = marked > seats;
    counter.classList.toggle("text-danger", tooMany);
    if (warning) warning.classList.toggle("d-none", !tooMany);
  }
  document.addEventListener("DOMContentLoaded", function () {
    var form = document.getElementById("ballot-form");
    if (form) {
      form.addEventListener("change", function () { countFor(form); });
      countFor(form);
    }
    document.querySelectorAll(".print-button").forEach(function (button) {
      button.addEventListener("click", function () { window.print(); });
    });
  });
})();
