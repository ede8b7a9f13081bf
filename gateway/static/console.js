// The front-office console: keyboard shortcuts for the counter's buttons, and the 5-minute
// timer from the guest book (green, amber after 4 min, red after 5).
const root = document.getElementById("konsol");
document.addEventListener("keydown", (e) => {
  if (e.ctrlKey || e.metaKey || e.altKey || e.target.closest("input, textarea, select")) return;
  const button = root.querySelector(`button[data-key="${e.key.toLowerCase()}"]`);
  if (!button) return;
  e.preventDefault();
  if (button.dataset.key === "a") { root.querySelector("#alih")?.focus(); return; }
  button.click();
});
// The shortcuts work from here on (the browser test waits for this before pressing keys).
root.dataset.keys = "ready";

function fmt(secs) { const m = Math.floor(secs / 60); return `${m}:${String(secs % 60).padStart(2, "0")}`; }
function tick() {
  root.querySelectorAll(".timer[data-since]").forEach((t) => {
    const since = Date.parse(t.dataset.since);
    if (!Number.isFinite(since)) return;
    const end = t.dataset.started ? Date.parse(t.dataset.started) : Date.now();
    const secs = Math.max(0, Math.floor(((Number.isFinite(end) ? end : Date.now()) - since) / 1000));
    t.textContent = fmt(secs);
    t.classList.toggle("green", secs < 240);
    t.classList.toggle("amber", secs >= 240 && secs < 300);
    t.classList.toggle("red", secs >= 300);
  });
}
tick();
setInterval(tick, 1000);
