// The credit code and contact person are for enterprises and organisations: hide them for individuals.
document.addEventListener("DOMContentLoaded", () => {
  const form = document.querySelector("[data-donor-form]");
  if (!form) return;
  const block = form.querySelector("[data-organisation-only]");
  const update = () => {
    const chosen = form.querySelector("input[name=kind]:checked");
    block.hidden = chosen !== null && chosen.value === "individual";
  };
  form.addEventListener("change", (event) => {
    if (event.target.name === "kind") update();
  });
  update();
});
