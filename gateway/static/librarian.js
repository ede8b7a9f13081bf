// PST Pustaka, back office: uploads with a progress bar, drop a PDF to verify, inline
// checks of ISBN / ISSN / catalogue number, a CSV file read into the import form, print.
(function () {
  "use strict";
  var meta = document.querySelector('meta[name="csrf-token"]');
  var csrf = meta ? meta.getAttribute("content") : "";

  // --- Uploads: the file is the request body; progress from XHR upload events. ---
  function send(form, file) {
    var url = form.getAttribute("data-upload");
    var bar = form.querySelector("progress");
    var pct = form.querySelector(".pct");
    var box = form.querySelector(".progress");
    var answer = form.querySelector(".answer");
    var button = form.querySelector('button[type="submit"]');
    if (!file) { answer.innerHTML = '<p class="err">Pilih berkas PDF dulu.</p>'; return; }
    var name = encodeURIComponent((file.name || "dokumen.pdf").slice(0, 200));
    var xhr = new XMLHttpRequest();
    xhr.open("POST", url + (url.indexOf("?") < 0 ? "?" : "&") + "nama=" + name);
    xhr.setRequestHeader("Content-Type", "application/pdf");
    xhr.setRequestHeader("X-CSRF-Token", csrf);
    box.hidden = false; bar.value = 0; pct.textContent = "0 %"; answer.textContent = "";
    button.setAttribute("aria-busy", "true");
    xhr.upload.onprogress = function (e) {
      if (!e.lengthComputable) return;
      var p = Math.floor((e.loaded / e.total) * 100);
      bar.value = p; pct.textContent = p + " %";
    };
    xhr.upload.onload = function () { bar.value = 100; pct.textContent = "100 % — menunggu hasil pemeriksaan…"; };
    xhr.onload = function () {
      button.removeAttribute("aria-busy");
      if (xhr.status >= 200 && xhr.status < 300) { bar.value = 100; pct.textContent = "100 %"; }
      var ct = xhr.getResponseHeader("Content-Type") || "";
      if (ct.indexOf("text/html") === 0 && xhr.responseText.length < 20000 && xhr.responseText.indexOf("<html") < 0) {
        answer.innerHTML = xhr.responseText;
      } else {
        answer.innerHTML = '<p class="err">Berkas ditolak (kode ' + xhr.status + '). Muat ulang halaman lalu coba lagi.</p>';
      }
      var f = answer.firstElementChild; if (f) { f.setAttribute("tabindex", "-1"); f.focus(); }
      // The upload changed the entry: the edit form continues from its new version.
      var v = f && f.getAttribute("data-versi");
      var versi = document.querySelector('form.pubform input[name="versi"]');
      if (v && versi) versi.value = v;
    };
    xhr.onerror = function () {
      button.removeAttribute("aria-busy");
      answer.innerHTML = '<p class="err">Koneksi terputus saat mengunggah. Periksa jaringan lalu coba lagi.</p>';
    };
    xhr.send(file);
  }
  document.querySelectorAll("form[data-upload]").forEach(function (form) {
    var input = form.querySelector('input[type="file"]');
    form.addEventListener("submit", function (e) { e.preventDefault(); send(form, input.files[0]); });
    if (form.classList.contains("drop")) {
      ["dragenter", "dragover"].forEach(function (t) { form.addEventListener(t, function (e) { e.preventDefault(); form.classList.add("over"); }); });
      ["dragleave", "drop"].forEach(function (t) { form.addEventListener(t, function (e) { e.preventDefault(); form.classList.remove("over"); }); });
      form.addEventListener("drop", function (e) { if (e.dataTransfer.files[0]) send(form, e.dataTransfer.files[0]); });
    }
  });

  // --- Inline checks (the catalogue service checks again on save). ---
  function isbn(v) {
    var s = v.replace(/[-\s]/g, "").toUpperCase();
    if (/^\d{9}[\dX]$/.test(s)) {
      var t = 0; for (var i = 0; i < 10; i++) t += (s[i] === "X" ? 10 : +s[i]) * (10 - i);
      return t % 11 === 0;
    }
    if (/^\d{13}$/.test(s)) {
      var u = 0; for (var j = 0; j < 13; j++) u += +s[j] * (j % 2 ? 3 : 1);
      return u % 10 === 0;
    }
    return false;
  }
  function issn(v) {
    var s = v.replace(/[-\s]/g, "").toUpperCase();
    if (!/^\d{7}[\dX]$/.test(s)) return false;
    var t = 0; for (var i = 0; i < 7; i++) t += +s[i] * (8 - i);
    var c = (11 - (t % 11)) % 11;
    return (c === 10 ? "X" : String(c)) === s[7];
  }
  function catalogue(v) { return /^\d{7}\.\d{4}$/.test(v.trim()); }
  var checks = {
    isbn: [isbn, "ISBN tidak valid: periksa 10 atau 13 digitnya (digit pemeriksa tidak cocok)."],
    issn: [issn, "ISSN tidak valid: 8 karakter, digit pemeriksa tidak cocok."],
    catalogue_number: [catalogue, "Nomor katalog: 7 digit, titik, kode satker (mis. 1102001.1674)."]
  };
  document.querySelectorAll("form[data-validate]").forEach(function (form) {
    Object.keys(checks).forEach(function (name) {
      var input = form.querySelector('[name="' + name + '"]');
      if (!input) return;
      input.addEventListener("blur", function () {
        var id = "v-" + name, old = document.getElementById(id);
        if (old) old.remove();
        var v = input.value.trim();
        if (v === "" || checks[name][0](v)) {
          if (!input.closest(".invalid")) input.removeAttribute("aria-invalid");
          return;
        }
        var p = document.createElement("p");
        p.className = "err"; p.id = id; p.textContent = checks[name][1];
        input.setAttribute("aria-invalid", "true");
        input.setAttribute("aria-describedby", id);
        input.insertAdjacentElement("afterend", p);
      });
    });
  });

  // --- CSV import: the chosen file goes into the form, only if it is UTF-8. ---
  document.querySelectorAll("input[data-csv-file]").forEach(function (input) {
    input.addEventListener("change", function () {
      var f = input.files[0], area = document.getElementById("f-csv");
      if (!f || !area) return;
      var old = document.getElementById("e-berkas"); if (old) old.remove();
      f.arrayBuffer().then(function (buf) {
        try {
          area.value = new TextDecoder("utf-8", { fatal: true }).decode(buf);
        } catch (e) {
          area.value = "";
          var p = document.createElement("p");
          p.className = "err"; p.id = "e-berkas";
          p.textContent = "Berkas bukan teks UTF-8. Simpan ulang dari spreadsheet sebagai \"CSV UTF-8\", lalu pilih lagi.";
          input.insertAdjacentElement("afterend", p);
        }
      });
    });
  });

  document.querySelectorAll("[data-print]").forEach(function (b) {
    b.addEventListener("click", function () { window.print(); });
  });
})();
