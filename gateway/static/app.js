// PST Pustaka: small progressive enhancements. Every page works without this file.
(function () {
  "use strict";
  var meta = document.querySelector('meta[name="csrf-token"]');
  var csrf = meta ? meta.getAttribute("content") : "";
  // htmx requests carry the CSRF token the gateway checks.
  document.addEventListener("htmx:configRequest", function (e) {
    if (csrf) e.detail.headers["X-CSRF-Token"] = csrf;
  });
  // A second click on submit does nothing (the server also refuses a repeated form).
  document.addEventListener("submit", function (e) {
    var form = e.target;
    if (form.dataset.sent === "1" && !form.hasAttribute("hx-get")) { e.preventDefault(); return; }
    if (form.method && form.method.toLowerCase() === "post") {
      form.dataset.sent = "1";
      form.querySelectorAll('button[type="submit"]').forEach(function (b) { b.setAttribute("aria-busy", "true"); });
      // A download answers with a file, not a page: the form may be used again.
      setTimeout(function () { form.dataset.sent = ""; form.querySelectorAll('button[aria-busy]').forEach(function (b) { b.removeAttribute("aria-busy"); }); }, 8000);
    }
  }, true);
  // After a refused form, focus the error summary so screen readers announce it.
  document.addEventListener("DOMContentLoaded", function () {
    var alert = document.getElementById("galat");
    if (alert) alert.focus();
  });
  // Move focus to the new results after an htmx search.
  document.addEventListener("htmx:afterSwap", function (e) {
    var h = document.getElementById("jumlah");
    if (h && e.detail.target && e.detail.target.id === "hasil") { h.setAttribute("tabindex", "-1"); h.focus(); }
  });
})();
