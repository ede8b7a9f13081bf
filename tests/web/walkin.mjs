// The walk-in day in three browsers at once, against `pst all --demo`: the kiosk at the
// door (1080x1920), the display board (1920x1080, its Audio stubbed to record the clips it
// plays) and the front-office console (1366x768). Take a number -> the board shows it ->
// the officer calls it (keyboard) -> the board announces it -> guest book -> locker + ID
// card -> start -> finish -> checkout -> the kiosk rating with the code. Plus recall, skip
// and transfer; the printed ticket at 58 and 80 mm with its QR code read back; the time
// from "call next" to the board's first clip over many calls. Prints METRIC lines.
import { execFileSync } from "node:child_process";
import { createRequire } from "node:module";
import { BASE, must, check, launch, axe, mailedLink } from "./lib.mjs";

const require = createRequire(import.meta.url);
const jsQR = require("jsqr");
const { PNG } = require("pngjs");
const OFFICE = "1674";
const PASSWORD = must("PST_DEMO_PASSWORD");
const SHOTS = must("PST_SHOTS");
const CALLS = Number(process.env.PST_LATENCY_CALLS || "50");
const metric = (name, value) => console.log(`METRIC ${name} ${value}`);

// Every Audio the board creates plays instantly and is recorded (name of the clip, time).
const FAKE_AUDIO = () => {
  window.__played = [];
  window.Audio = class {
    constructor(src) { this.src = src; this.l = {}; }
    addEventListener(t, f) { (this.l[t] ||= []).push(f); }
    set volume(_) {}
    play() {
      const clip = decodeURIComponent(this.src).split("/").pop().split(".")[0];
      window.__played.push({ clip, at: Date.now() });
      setTimeout(() => (this.l.ended || []).forEach((f) => f()), 5);
      return Promise.resolve();
    }
  };
};

async function api(path, { token, body, method } = {}) {
  const r = await fetch(BASE + path, {
    method: method || (body ? "POST" : "GET"),
    headers: { "content-type": "application/json", ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  const text = await r.text();
  if (!r.ok) throw new Error(`${path}: ${r.status} ${text}`);
  return text ? JSON.parse(text) : null;
}
const login = async (email) => (await api("/api/v1/auth/login", { body: { email, password: PASSWORD } })).access_token;

// The clips an announcement plays after the chime, computed independently of the app.
const ONES = ["", "satu", "dua", "tiga", "empat", "lima", "enam", "tujuh", "delapan", "sembilan"];
function words(n) {
  const w = []; const h = Math.floor(n / 100); const r = n % 100; const t = Math.floor(r / 10); const o = r % 10;
  if (h === 1) w.push("seratus"); else if (h > 1) w.push(ONES[h], "ratus");
  if (t === 0 && o > 0) w.push(ONES[o]);
  else if (t === 1) w.push(o === 0 ? "sepuluh" : o === 1 ? "sebelas" : ONES[o], ...(o > 1 ? ["belas"] : []));
  else if (t > 1) w.push(ONES[t], "puluh", ...(o ? [ONES[o]] : []));
  return w;
}
function expectedClips(number, counterNo) {
  const [prefix, digits] = number.split("-");
  return ["chime", "nomor-antrian", ...[...prefix.toLowerCase()].map((c) => `huruf-${c}`), ...words(Number(digits)), "silakan-ke", "loket", ...words(counterNo)];
}

async function shot(page, name) {
  await page.waitForTimeout(300);
  await page.screenshot({ path: `${SHOTS}/${name}.png`, fullPage: true });
  await axe(page, name);
}

const browser = await launch();
const pages = [];
try {
  const board = await (await browser.newContext({ viewport: { width: 1920, height: 1080 } })).newPage();
  await board.addInitScript(FAKE_AUDIO);
  const kioskCtx = await browser.newContext({ viewport: { width: 1080, height: 1920 }, hasTouch: true });
  await kioskCtx.addInitScript(() => { window.print = () => { window.__printed = (window.__printed || 0) + 1; window.dispatchEvent(new Event("afterprint")); }; });
  const kiosk = await kioskCtx.newPage();
  const consoleCtx = await browser.newContext({ viewport: { width: 1366, height: 768 } });
  const desk = await consoleCtx.newPage();
  const errors = [];
  for (const p of [board, kiosk, desk]) p.on("pageerror", (e) => errors.push(e.message));
  pages.push(["papan", board], ["kios", kiosk], ["loket", desk]);

  // ---- the board, live, sound on
  await board.goto(`${BASE}/board/${OFFICE}`);
  await board.waitForSelector('#papan[data-live="1"]');
  await board.click("text=Aktifkan suara");
  await shot(board, "w01-papan");
  const waiting = async () => Number(await board.locator('[data-out="lines"] li:has-text("Perpustakaan") strong').textContent());
  const before = await waiting();

  // ---- the kiosk: set up once, take a number, the ticket prints, back to the start
  await kiosk.goto(`${BASE}/kiosk/${OFFICE}`);
  await kiosk.waitForSelector("dialog[open]");
  await kiosk.fill("#kid", "kios-uji");
  await kiosk.selectOption("#kertas", "58");
  await kiosk.click("dialog button");
  await shot(kiosk, "w02-kios-awal");
  const tapped = Date.now();
  await kiosk.click('button[value="perpustakaan"]');
  await kiosk.waitForSelector(".tno");
  const number = (await kiosk.textContent(".tno")).trim();
  check(/^P-\d{3}$/.test(number), `the kiosk gave number ${number}`);
  await kiosk.screenshot({ path: `${SHOTS}/w03-kios-tiket.png`, fullPage: true });
  await board.waitForFunction((n) => [...document.querySelectorAll('[data-out="lines"] li')].some((li) => li.textContent.includes("Perpustakaan") && Number(li.querySelector("strong").textContent) === n), before + 1, { timeout: 5000 });
  const shown = Date.now() - tapped;
  metric("kiosk_tap_to_board_ms", shown);
  check(true, `the board shows the new ticket waiting (${shown} ms after the tap, including the kiosk page load; a figure, not a timed assertion)`);
  await axe(kiosk, "w03-kios-tiket");
  await kiosk.waitForFunction(() => window.__printed === 1);
  check(true, "the ticket was sent to the printer once");
  check(await kiosk.evaluate(() => localStorage.getItem("pst-kiosk-id")) === "kios-uji", "the kiosk keeps its device name");

  // The printed ticket at 58 mm and 80 mm: nothing cut off, the QR code opens its status.
  const ticketUrl = kiosk.url().replace("?cetak=1", "");
  for (const [mm, px] of [[58, 219], [80, 302]]) {
    const p = await (await browser.newContext({ viewport: { width: px, height: 900 }, deviceScaleFactor: 3 })).newPage();
    await p.goto(ticketUrl);
    await p.emulateMedia({ media: "print" });
    await p.evaluate((w) => document.body.classList.add(`paper-${w}`), mm);
    const fits = await p.evaluate(() => [...document.querySelectorAll(".ticket, .ticket *")].every((e) => e.getBoundingClientRect().right <= window.innerWidth + 0.5));
    check(fits, `the ticket fits ${mm} mm paper`);
    const png = PNG.sync.read(await p.screenshot({ path: `${SHOTS}/w04-tiket-${mm}mm.png`, fullPage: true }));
    const qr = jsQR(new Uint8ClampedArray(png.data), png.width, png.height);
    check(qr && qr.data.endsWith(`/antrean/${ticketUrl.split("/tiket/")[1]}`), `the ${mm} mm ticket's QR code reads back (${qr && qr.data})`);
    const pdf = await p.pdf({ width: `${mm}mm`, printBackground: true });
    check(pdf.length > 1000, `the ticket prints as a ${mm} mm page`);
    await p.context().close();
  }
  await kiosk.waitForURL(`${BASE}/kiosk/${OFFICE}`, { timeout: 10000 });
  check(true, "after printing the kiosk returns to its start screen");

  // ---- the console: sign in, choose the counter, call with the keyboard
  await desk.goto(`${BASE}/loket`);
  await desk.waitForURL(/\/masuk\?kembali=%2Floket/);
  await desk.fill("#f-email", "fo@pst.test");
  await desk.fill("#f-password", PASSWORD);
  await desk.click("main button[type=submit]");
  await desk.waitForURL(`${BASE}/loket`);
  await shot(desk, "w05-loket-pilih");
  await desk.check('input[value="L1"]');
  await desk.click("text=Mulai bertugas");
  await desk.waitForSelector("text=Panggil berikutnya");
  // The shortcut keys listen once console.js has run (under load it may come after the text).
  await desk.waitForSelector("#konsol[data-keys=ready]", { state: "attached" });
  check((await desk.textContent("main")).includes("Pintasan"), "the console lists its shortcuts");
  await board.evaluate(() => { window.__played = []; });
  const called = Date.now();
  await desk.keyboard.press("n");
  await desk.waitForSelector(`.current-no:has-text("${number}")`);
  await board.waitForFunction((n) => document.querySelector('[data-out="number"]').textContent.trim() === n, number, { timeout: 5000 });
  await board.waitForFunction((k) => window.__played.length >= k, expectedClips(number, 1).length, { timeout: 10000 });
  const played = await board.evaluate(() => window.__played.map((p) => p.clip));
  check(JSON.stringify(played) === JSON.stringify(expectedClips(number, 1)), `the board says ${played.join(" ")}`);
  metric("first_call_to_first_clip_ms", (await board.evaluate(() => window.__played[0].at)) - called);
  await shot(board, "w06-papan-dipanggil");

  // ---- guest book, locker and ID card, start, finish, checkout
  await desk.fill("#g-name", "Rahmat Hidayat");
  await desk.selectOption("#g-sex", "L");
  await desk.selectOption("#g-age_group", "30-39");
  await desk.selectOption("#g-education", "D4/S1");
  await desk.fill("#g-occupation", "PNS");
  await desk.selectOption("#g-institution_type", "pemerintah");
  await desk.fill("#g-institution_name", "Bappeda Kota Lubuklinggau");
  await desk.fill("#g-purpose", "Mencari data kemiskinan 2020-2024");
  await desk.click("text=Simpan buku tamu");
  await desk.waitForSelector(".timer");
  check((await desk.textContent(".timer")).match(/^0:0\d$/), "the 5-minute timer runs from the guest book");
  check(await desk.locator(".timer.green").count() === 1, "the timer is green within 4 minutes");
  await desk.fill("#k-number", "12345");
  await desk.click("text=Titipkan kartu");
  await desk.waitForSelector(".err");
  check((await desk.textContent(".err")).length > 5, "a bad ID number is refused at its field");
  await desk.fill("#k-number", "1674020707800005");
  await desk.click("text=Titipkan kartu");
  await desk.waitForSelector("text=16**********0005");
  await shot(desk, "w07-loket-dilayani");
  await desk.keyboard.press("m");
  await desk.waitForSelector("text=Pelayanan dimulai");
  await desk.keyboard.press("s");
  await desk.waitForSelector("text=selesai dilayani");
  await desk.check('input[name="id_returned"]');
  await desk.evaluate(() => document.activeElement.blur());
  await desk.keyboard.press("c"); // the checkout shortcut
  await desk.waitForSelector(".feedback-code");
  const code = (await desk.textContent(".feedback-code")).trim();
  check(/^[A-Z2-9]{8}$/.test(code), `checkout shows the feedback code ${code}`);
  await shot(desk, "w08-loket-checkout");

  // ---- the kiosk rating with the code typed on the on-screen keypad
  await kiosk.click("text=Beri penilaian");
  for (const ch of code) await kiosk.click(`.keypad button[data-key="${ch}"]`);
  await shot(kiosk, "w09-kios-kode");
  await kiosk.click("text=Lanjut");
  await kiosk.waitForSelector(".likert");
  for (let i = 1; i <= 9; i++) await kiosk.check(`input[name=U${i}][value="4"]`);
  await kiosk.selectOption("#f-sex", "L");
  await kiosk.selectOption("#f-age", "30-39");
  await kiosk.selectOption("#f-edu", "D4/S1");
  await kiosk.selectOption("#f-occ", "PNS");
  await kiosk.click("text=Kirim penilaian");
  await kiosk.waitForSelector("h1:has-text('Terima kasih')", { timeout: 8000 });
  await shot(kiosk, "w10-kios-terima-kasih");

  // ---- the visit in the service-time report with its five times
  const firstId = ticketUrl.split("/tiket/")[1];
  const day = (await api(`/api/v1/tickets/${firstId}`)).service_day;
  const sup = await login("supervisor@pst.test");
  const report = await api(`/api/v1/offices/${OFFICE}/reports/service-time?from=${day}&to=${day}`, { token: sup });
  const row = report.visit_times.find((v) => v.ticket_number === number);
  check(row && ["taken_at", "guest_book_at", "called_at", "started_at", "finished_at"].every((k) => row[k]) && row.counter === "L1",
    `the visit is in the service-time report with its five times (${row && [row.taken_at, row.guest_book_at, row.called_at, row.started_at, row.finished_at].join(", ")})`);

  // ---- recall, skip and transfer on new numbers
  const k1 = await api(`/api/v1/offices/${OFFICE}/tickets`, { body: { service_type: "perpustakaan", device_id: "kios-uji" } });
  const k2 = await api(`/api/v1/offices/${OFFICE}/tickets`, { body: { service_type: "perpustakaan", device_id: "kios-uji" } });
  await desk.goto(`${BASE}/loket`);
  await desk.waitForSelector("#konsol[data-keys=ready]", { state: "attached" });
  await desk.keyboard.press("n");
  await desk.waitForSelector(`.current-no:has-text("${k1.number}")`);
  await board.evaluate(() => { window.__played = []; });
  await desk.keyboard.press("u");
  await desk.waitForSelector("text=dipanggil ulang");
  await board.waitForFunction(() => window.__played.length > 0 && document.querySelector('[data-out="history"]').textContent.includes("(ulang)"), null, { timeout: 5000 });
  check(true, `a recall of ${k1.number} is announced again`);
  await desk.keyboard.press("l");
  await desk.waitForSelector("text=Nomor dilewati");
  check((await api(`/api/v1/tickets/${k1.id}`)).status === "skipped", "the skipped ticket is skipped");
  await desk.keyboard.press("n");
  await desk.waitForSelector(`.current-no:has-text("${k2.number}")`);
  await desk.keyboard.press("a"); // the transfer shortcut puts the focus on the line to choose
  check(await desk.evaluate(() => document.activeElement.id) === "alih", "the transfer shortcut focuses the line choice");
  await desk.selectOption("#alih", "konsultasi");
  await desk.click("button:has-text('Alihkan')");
  await desk.waitForSelector("text=dialihkan");
  const moved = await api(`/api/v1/tickets/${k2.id}`);
  check(moved.service_type === "konsultasi" && moved.status === "waiting", `the transferred ticket waits in konsultasi (${moved.status})`);
  await desk.keyboard.press("n");
  await desk.waitForSelector(`.current-no:has-text("${moved.number}")`);
  await desk.keyboard.press("l");
  await desk.waitForSelector("text=Nomor dilewati");

  // ---- one person across both paths: the visitor's "kartu kunjungan", scanned at the counter
  const email = "wulan.kartu@example.id";
  await api("/api/v1/auth/register", { body: { full_name: "Wulan Sari", email, password: "Kartu-Kunjungan-2026", phone: "081234567891",
    institution: "Universitas Musi Rawas", occupation: "Mahasiswa", id_type: "ktp", id_number: "1674024501990003" } });
  const verifyToken = mailedLink(must("PST_OUTBOX"), email, "verifikasi-email").split("token=")[1];
  await api("/api/v1/auth/verify-email", { body: { token: verifyToken } });
  const phone = await (await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true })).newPage();
  pages.push(["ponsel", phone]);
  await phone.goto(`${BASE}/masuk?kembali=/akun/kartu-kunjungan`);
  await phone.fill("#f-email", email);
  await phone.fill("#f-password", "Kartu-Kunjungan-2026");
  await phone.click("main button[type=submit]");
  await phone.waitForSelector("[data-card] svg");
  const card = await phone.getAttribute("[data-card]", "data-card");
  await shot(phone, "w13-kartu-kunjungan");
  const walkIn = await api(`/api/v1/offices/${OFFICE}/tickets`, { body: { service_type: "perpustakaan", device_id: "kios-uji" } });
  await desk.goto(`${BASE}/loket`);
  await desk.waitForSelector("#konsol[data-keys=ready]", { state: "attached" });
  await desk.keyboard.press("n");
  await desk.waitForSelector(`.current-no:has-text("${walkIn.number}")`);
  await desk.fill("#g-visit_card", "bukan-kartu");
  await desk.selectOption("#g-sex", "P");
  await desk.selectOption("#g-age_group", "20-29");
  await desk.selectOption("#g-education", "SMA");
  await desk.fill("#g-purpose", "Membaca publikasi kemiskinan");
  await desk.click("text=Simpan buku tamu");
  await desk.waitForSelector("#ge-visit_card");
  check(true, "a card that is not one is refused at its field");
  await desk.fill("#g-visit_card", card); // what a USB scanner types
  await desk.selectOption("#g-sex", "P");
  await desk.selectOption("#g-age_group", "20-29");
  await desk.selectOption("#g-education", "SMA");
  await desk.fill("#g-purpose", "Membaca publikasi kemiskinan");
  await desk.click("text=Simpan buku tamu");
  await desk.waitForSelector("text=Buku tamu tersimpan");
  check(await desk.inputValue("#g-name") === "Wulan Sari" && await desk.inputValue("#g-email") === email,
    "the scanned card filled the guest book from the account");
  await phone.goto(`${BASE}/akun/kunjungan`);
  check((await phone.textContent("main")).includes(walkIn.number), `the walk-in visit ${walkIn.number} appears in the visitor's portal`);
  await shot(phone, "w14-kunjungan-saya");
  await desk.keyboard.press("l");
  await desk.waitForSelector("text=Nomor dilewati");

  // A ticket an account took: the front office's guest book is filled from that account.
  const wulan = (await api("/api/v1/auth/login", { body: { email, password: "Kartu-Kunjungan-2026" } })).access_token;
  const own = await api(`/api/v1/offices/${OFFICE}/tickets`, { token: wulan, body: { service_type: "perpustakaan" } });
  await desk.goto(`${BASE}/loket`);
  await desk.waitForSelector("#konsol[data-keys=ready]", { state: "attached" });
  await desk.keyboard.press("n");
  await desk.waitForSelector(`.current-no:has-text("${own.number}")`);
  await desk.selectOption("#g-sex", "P");
  await desk.selectOption("#g-age_group", "20-29");
  await desk.selectOption("#g-education", "SMA");
  await desk.fill("#g-purpose", "Konsultasi data kemiskinan");
  await desk.click("text=Simpan buku tamu");
  await desk.waitForSelector("text=Buku tamu tersimpan");
  check(await desk.inputValue("#g-name") === "Wulan Sari" && await desk.inputValue("#g-phone") === "081234567891",
    "the guest book of an account's ticket is filled from the account");
  await desk.keyboard.press("l");
  await desk.waitForSelector("text=Nomor dilewati");

  // ---- Redis wiped mid-day: the queue is rebuilt from Postgres and the screens go on
  const w1 = await api(`/api/v1/offices/${OFFICE}/tickets`, { body: { service_type: "perpustakaan", device_id: "kios-uji" } });
  const w2 = await api(`/api/v1/offices/${OFFICE}/tickets`, { body: { service_type: "perpustakaan", device_id: "kios-uji" } });
  const waitingNow = async (p) => Number(await p.locator('[data-out="lines"] li:has-text("Perpustakaan") strong').textContent());
  await board.waitForFunction(() => [...document.querySelectorAll('[data-out="lines"] li')].some((li) => li.textContent.includes("Perpustakaan") && Number(li.querySelector("strong").textContent) >= 2));
  const beforeWipe = await waitingNow(board);
  const prefix = must("PST_REDIS_PREFIX");
  const keys = execFileSync("redis-cli", ["-h", "127.0.0.1", "--scan", "--pattern", `${prefix}*`]).toString().split("\n").filter(Boolean);
  for (let i = 0; i < keys.length; i += 200) execFileSync("redis-cli", ["-h", "127.0.0.1", "del", ...keys.slice(i, i + 200)]);
  check(keys.length > 0, `Redis wiped (${keys.length} keys of this installation)`);
  await board.reload();
  await board.waitForSelector('#papan[data-live="1"]', { timeout: 15000 });
  await board.click("text=Aktifkan suara");
  check(await waitingNow(board) === beforeWipe, `after the wipe the board shows the same ${beforeWipe} waiting again`);
  await desk.goto(`${BASE}/loket`);
  await desk.waitForSelector("#konsol[data-keys=ready]", { state: "attached" });
  await desk.keyboard.press("n");
  await desk.waitForSelector(`.current-no:has-text("${w1.number}")`);
  check(true, `after the wipe the console calls the oldest waiting number ${w1.number}`);
  await desk.keyboard.press("l");
  await desk.waitForSelector("text=Nomor dilewati");
  await desk.keyboard.press("n");
  await desk.waitForSelector(`.current-no:has-text("${w2.number}")`);
  await desk.keyboard.press("l");
  await desk.waitForSelector("text=Nomor dilewati");

  // ---- the end-of-day list of cards still held (none: returned at checkout)
  await desk.goto(`${BASE}/loket/titipan`);
  check((await desk.textContent("main")).includes("Tidak ada kartu identitas"), "no ID card is left held");
  await shot(desk, "w11-titipan");

  // ---- time from "call next" to the board's first clip, over many calls
  const fo2 = await login("fo@pst.test");
  const lat = [];
  for (let i = 0; i < CALLS; i++) {
    await api(`/api/v1/offices/${OFFICE}/tickets`, { body: { service_type: "konsultasi", device_id: `uji-${i}` } });
    await board.evaluate(() => { window.__played = []; });
    const t0 = Date.now();
    const r = await api(`/api/v1/offices/${OFFICE}/counters/L1/call-next`, { token: fo2, body: {} });
    if (!r.ticket) continue;
    await board.waitForFunction(() => window.__played.length > 0, null, { timeout: 10000 });
    lat.push((await board.evaluate(() => window.__played[0].at)) - t0);
    await api(`/api/v1/tickets/${r.ticket.id}/skip`, { token: fo2, body: {} });
    await board.waitForTimeout(700);
  }
  lat.sort((a, b) => a - b);
  const pct = (p) => lat[Math.min(lat.length - 1, Math.floor(p * lat.length))];
  metric("call_to_first_clip_calls", lat.length);
  metric("call_to_first_clip_p50_ms", pct(0.5));
  metric("call_to_first_clip_p95_ms", pct(0.95));
  check(lat.length >= Math.min(CALLS, 10), `${lat.length} calls were announced`);

  // A board whose stream is cut says so ("Koneksi terputus"), greys its data, and recovers.
  const cut = await (await browser.newContext({ viewport: { width: 1920, height: 1080 } })).newPage();
  await cut.route("**/queue/stream", (r) => r.abort());
  await cut.goto(`${BASE}/board/${OFFICE}`);
  await cut.waitForSelector('[data-out="offline"]:not([hidden])', { timeout: 10000 });
  check(await cut.locator("#papan.stale").count() === 1, "a board without its stream shows 'Koneksi terputus' and greys stale data");
  await cut.screenshot({ path: `${SHOTS}/w12-papan-terputus.png` });
  await cut.unroute("**/queue/stream");
  await cut.waitForSelector('#papan[data-live="1"]', { timeout: 15000 });
  check(await cut.locator('[data-out="offline"]').isHidden(), "the board reconnects by itself and clears the banner");
  check(errors.length === 0, `no script error on the walk-in screens ${errors.join(" | ")}`);
} catch (e) {
  for (const [name, p] of pages) {
    if (p.isClosed()) continue;
    await p.screenshot({ path: `${SHOTS}/GAGAL-${name}.png`, fullPage: true }).catch(() => {});
    console.log(`${name} at ${p.url()}:\n${(await p.textContent("main").catch(() => "")).replace(/\s+/g, " ").trim().slice(0, 600)}`);
  }
  throw e;
} finally {
  await browser.close();
}
console.log("walkin: all checks passed");
