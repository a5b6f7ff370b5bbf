// 大字模式 (large text, high contrast; 适老化): remembered on this device and applied before the page paints, so
// that a page served from a cache (the same for everyone) still opens in the reader's mode. site.js toggles it.
(function () {
  try {
    if (localStorage.getItem("minsheng.large") === "1") document.documentElement.classList.add("large-text");
  } catch (e) {
    /* storage refused (private mode): the page opens in the normal mode */
  }
})();
