// The working-day calendar grid: a click cycles a day (weekday: normal ↔ day off; weekend: weekend ↔ working
// day) and rewrites the form's one-day-a-line field, which the server reads and checks. Without JavaScript the
// field itself can be edited.
(function () {
  "use strict";
  var field = document.querySelector("[data-calendar-days]");
  if (!field) return;
  function read() {
    var map = {};
    field.value.split(/\r?\n/).forEach(function (line) {
      var parts = line.trim().split(/\s+/);
      if (parts[0]) map[parts[0]] = parts.slice(1).join(" ");
    });
    return map;
  }
  function write(map) {
    field.value = Object.keys(map).sort().map(function (day) { return (day + " " + map[day]).trim(); }).join("\n");
  }
  document.querySelectorAll("button.cal-day").forEach(function (button) {
    button.addEventListener("click", function () {
      var day = button.dataset.day, weekend = button.dataset.weekend === "1", map = read();
      var state;
      if (weekend) {
        if (map[day] && map[day].indexOf("上班") === 0) { delete map[day]; state = "weekend"; }
        else { map[day] = "上班"; state = "work"; }
      } else {
        if (map[day] && map[day].indexOf("放假") === 0) { delete map[day]; state = "normal"; }
        else { map[day] = "放假"; state = "off"; }
      }
      button.className = "cal-day cal-" + state;
      write(map);
    });
  });
})();
