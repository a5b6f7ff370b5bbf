// Case pages: small enhancements only; every form works without JavaScript.
// A field marked data-show-when="name=value" is shown only while that radio choice is checked
// (assigning: a lead unit or split handling; a reassignment request: confirm or reassign).
(() => {
  const sync = (form) => {
    form.querySelectorAll("[data-show-when]").forEach((el) => {
      const [name, value] = el.dataset.showWhen.split("=");
      const checked = form.querySelector(`input[name="${name}"]:checked`);
      const wrapper = el.closest(".mb-3") || el;
      wrapper.hidden = checked ? checked.value !== value : false;
    });
  };
  document.addEventListener("change", (event) => {
    if (event.target.form) sync(event.target.form);
  });
  document.addEventListener("DOMContentLoaded", () => {
    document.querySelectorAll("form").forEach(sync);
  });
  // A button marked data-print prints the page (the priority list; its print CSS drops the menus).
  document.addEventListener("click", (event) => {
    if (event.target.closest("[data-print]")) window.print();
  });
})();
