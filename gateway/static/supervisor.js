// PST Pustaka, supervisor: the tiles follow the server's events (EventSource reconnects by
// itself; the page works without this file, showing the numbers as of loading).
(function () {
  "use strict";
  var box = document.querySelector("[data-live]");
  if (!box || !window.EventSource) return;
  var state = document.getElementById("sambungan");
  var when = document.getElementById("waktu");
  var es = new EventSource(box.getAttribute("data-live"));
  es.addEventListener("lantai", function (e) {
    var d; try { d = JSON.parse(e.data); } catch (x) { return; }
    Object.keys(d).forEach(function (k) {
      var el = box.querySelector('[data-tile="' + k + '"]');
      if (el && String(el.textContent) !== String(d[k])) { el.textContent = d[k]; el.classList.add("changed"); setTimeout(function () { el.classList.remove("changed"); }, 1500); }
    });
    // as_of is already in the office's zone: its clock time is shown as it is.
    if (when && d.as_of) { when.textContent = "Per pukul " + String(d.as_of).substr(11, 8).replace(/:/g, "."); }
    if (state) { state.textContent = "Tersambung"; state.classList.remove("warn"); }
  });
  es.onerror = function () { if (state) { state.textContent = "Menyambung ulang…"; state.classList.add("warn"); } };
})();
