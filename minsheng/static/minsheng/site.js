// Small progressive enhancements; every page works without JavaScript.
document.addEventListener("change", (event) => {
  const el = event.target;
  if (el.matches("[data-autosubmit]")) el.form.submit();
});
// A form sent back with errors: bring its one error banner into view (a case's action forms sit far down).
document.addEventListener("DOMContentLoaded", () => {
  const banner = document.querySelector('[data-testid="form-errors"]');
  if (banner && banner.getBoundingClientRect().top > window.innerHeight) banner.scrollIntoView({ block: "center" });
});
