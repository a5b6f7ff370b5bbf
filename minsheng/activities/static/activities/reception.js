// Reception pages: small enhancements only; every form works without JavaScript.
// 1. The fields a micro-wish needs ([data-wish-block]) show only while the kind (or the matter's disposal)
//    chosen in the same block ([data-wish-scope], else the form) is "wish" ([data-wish-switch]).
// 2. 「再加一项」: the button [data-add-matter] adds a matter block from the formset's empty form
//    (<template data-matter-template>, "__prefix__" for the index) instead of re-rendering the page, up to
//    the formset's MAX_NUM_FORMS; without JavaScript it is a submit button the server answers with one more
//    block (nothing saved).
(() => {
  const syncWish = (root) => {
    root.querySelectorAll("[data-wish-block]").forEach((block) => {
      const scope = block.closest("[data-wish-scope]") || block.closest("form");
      const choice = scope && scope.querySelector("[data-wish-switch]");
      block.hidden = choice ? choice.value !== "wish" : false;
    });
  };

  const addMatter = (button) => {
    const form = button.closest("form");
    const prefix = button.dataset.addMatter;
    const total = form.querySelector(`input[name="${prefix}-TOTAL_FORMS"]`);
    const max = form.querySelector(`input[name="${prefix}-MAX_NUM_FORMS"]`);
    const template = form.querySelector("template[data-matter-template]");
    const list = form.querySelector("[data-matter-list]");
    if (!total || !template || !list) return false;
    const index = Number(total.value);
    if (max && index >= Number(max.value)) return false;
    const html = template.innerHTML
      .replaceAll("__prefix__", String(index))
      .replaceAll("__number__", String(index + 1));
    list.insertAdjacentHTML("beforeend", html);
    total.value = String(index + 1);
    const block = list.lastElementChild;
    syncWish(block);
    block.dispatchEvent(new CustomEvent("minsheng:content-added", { bubbles: true }));
    const first = block.querySelector("textarea, input, select");
    if (first) first.focus();
    if (max && index + 1 >= Number(max.value)) button.hidden = true;
    return true;
  };

  document.addEventListener("click", (event) => {
    const button = event.target.closest("[data-add-matter]");
    if (button && addMatter(button)) event.preventDefault();
  });
  document.addEventListener("change", (event) => {
    if (event.target.matches("[data-wish-switch]")) syncWish(event.target.form || document);
  });
  document.addEventListener("DOMContentLoaded", () => syncWish(document));
})();
