// The kiosk: a device name set once (kept on the device), the printer's paper width, the
// ticket printed at once, an on-screen keypad for the checkout code, and back to the start
// screen after 30 s without a touch or after printing.
const root = document.getElementById("kios");
const IDLE_MS = 30000;
const home = root.dataset.home;
const onStart = location.pathname === home;

// ---- device name and paper, set once per device
const dialog = root.querySelector("[data-setup]");
if (dialog && !localStorage.getItem("pst-kiosk-id")) {
  dialog.showModal();
  dialog.addEventListener("close", () => {
    const id = dialog.querySelector("#kid").value.trim() || `kios-${Math.random().toString(36).slice(2, 8)}`;
    localStorage.setItem("pst-kiosk-id", id);
    localStorage.setItem("pst-kiosk-kertas", dialog.querySelector("#kertas").value);
    fill();
  });
}
function fill() {
  root.querySelectorAll("[data-device]").forEach((i) => { i.value = localStorage.getItem("pst-kiosk-id") || ""; });
}
fill();
document.body.classList.add(`paper-${localStorage.getItem("pst-kiosk-kertas") || "80"}`);

// ---- printing: at once on a new ticket, then back to the start screen
function printTicket() { window.print(); }
root.querySelector('[data-act="print"]')?.addEventListener("click", printTicket);
window.addEventListener("afterprint", () => { if (!onStart) setTimeout(() => location.assign(home), 4000); });
if (root.dataset.print === "1") setTimeout(printTicket, 300);

// ---- idle: back to the start screen
let idle = null;
function touch() { clearTimeout(idle); if (!onStart || document.querySelector("input:not([type=hidden]), textarea")) idle = setTimeout(() => location.assign(home), IDLE_MS); }
["pointerdown", "keydown", "input"].forEach((ev) => document.addEventListener(ev, touch, { passive: true }));
touch();

// ---- the on-screen keypad types into the code field
const code = root.querySelector("[data-code]");
root.querySelectorAll(".keypad button").forEach((b) => b.addEventListener("click", () => {
  if (!code) return;
  const k = b.dataset.key;
  if (k === "del") code.value = code.value.slice(0, -1);
  else if (k === "clear") code.value = "";
  else if (code.value.length < 12) code.value += k;
  code.dispatchEvent(new Event("input"));
}));
