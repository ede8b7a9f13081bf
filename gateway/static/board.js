// The display board: live from the queue's server-sent events (reconnecting by itself),
// with a voice call for every call and recall: a chime, then the recorded Indonesian clips
// (or the browser's id-ID voice where the office prefers it). Calls queue, never overlap.
const root = document.getElementById("papan");
const out = (n) => root.querySelector(`[data-out="${n}"]`);
const clipUrl = Object.fromEntries(root.dataset.clips.split(",").map((p) => p.split("=")));
const zone = root.dataset.zone || "Asia/Jakarta";
const zoneName = { "Asia/Jakarta": "WIB", "Asia/Pontianak": "WIB", "Asia/Makassar": "WITA", "Asia/Jayapura": "WIT" }[zone] || "";
let soundOn = false;
const queue = [];
let speaking = false;
const history = [];

// ---- the office's clock, ticking every second
const clockFmt = new Intl.DateTimeFormat("id-ID", { timeZone: zone, hour: "2-digit", minute: "2-digit", second: "2-digit", hour12: false });
function tick() { out("clock").textContent = `${clockFmt.format(new Date()).replace(/\./g, ":")} ${zoneName}`; }
tick();
setInterval(tick, 1000);

// ---- sound: browsers block audio until someone presses a button on the page
root.querySelector('[data-act="sound"]').addEventListener("click", (e) => {
  soundOn = true;
  e.target.hidden = true;
  const a = new Audio(clipUrl["chime"]); // unlocks audio for the page
  a.volume = 0.01;
  a.play().catch(() => {});
});

function play(url) {
  return new Promise((resolve) => {
    const a = new Audio(url);
    a.addEventListener("ended", resolve, { once: true });
    a.addEventListener("error", resolve, { once: true });
    a.play().catch(resolve);
  });
}

function speak(text) {
  return new Promise((resolve) => {
    const voice = speechSynthesis.getVoices().find((v) => v.lang && v.lang.toLowerCase().startsWith("id"));
    if (!voice) return resolve(false);
    const u = new SpeechSynthesisUtterance(text);
    u.voice = voice; u.lang = "id-ID"; u.rate = 0.9;
    u.onend = () => resolve(true); u.onerror = () => resolve(true);
    speechSynthesis.speak(u);
  });
}

async function drain() {
  if (speaking) return;
  speaking = true;
  while (queue.length) {
    const a = queue.shift();
    out("caption").textContent = a.text;
    if (soundOn) {
      await play(clipUrl["chime"]);
      const spoken = root.dataset.voice === "browser" && "speechSynthesis" in window && (await speak(a.text));
      if (!spoken) for (const c of a.clips) if (clipUrl[c]) await play(clipUrl[c]);
    }
    await new Promise((r) => setTimeout(r, 600));
  }
  speaking = false;
}

// ---- drawing a board update
function el(tag, cls, text) { const e = document.createElement(tag); if (cls) e.className = cls; e.textContent = text; return e; }

function draw(b) {
  const counters = out("counters");
  counters.replaceChildren(...b.counters.map((c) => {
    const li = document.createElement("li");
    li.append(el("span", "cname", c.name), " ", el("span", "cnum", c.number || "—"));
    if (c.status === "called") li.classList.add("called");
    return li;
  }));
  out("lines").replaceChildren(...b.lines.map((l) => {
    const li = document.createElement("li");
    li.append(el("span", "", l.name), " ", el("strong", "", String(l.waiting)));
    return li;
  }));
  if (b.call) {
    out("number").textContent = b.call.number;
    out("counter").textContent = b.call.counter_name;
    root.querySelector(".now").classList.remove("flash");
    void root.offsetWidth;
    root.querySelector(".now").classList.add("flash");
    history.unshift(`${b.call.number} → ${b.call.counter_name}${b.call.recall ? " (ulang)" : ""}`);
    history.length = Math.min(history.length, 6);
    out("history").replaceChildren(...history.map((h) => el("li", "", h)));
    const a = b.call.announcement || { text: `Nomor antrian ${b.call.number}, silakan ke ${b.call.counter_name}`, clips: [] };
    queue.push(a);
    root.dataset.calls = String(Number(root.dataset.calls || 0) + 1);
    drain();
  }
  root.dataset.updated = b.generated_at;
}

// ---- the live stream: never show stale data as live
let source = null;
function connect() {
  source = new EventSource(root.dataset.stream);
  source.addEventListener("open", () => { out("offline").hidden = true; root.classList.remove("stale"); root.dataset.live = "1"; });
  source.addEventListener("board", (e) => { try { draw(JSON.parse(e.data)); } catch (_) { /* a bad frame is skipped */ } });
  source.addEventListener("error", () => {
    out("offline").hidden = false; root.classList.add("stale"); root.dataset.live = "0";
    if (source.readyState === EventSource.CLOSED) { setTimeout(connect, 3000); }
  });
}
connect();
