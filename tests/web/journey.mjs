// The online journey of a new visitor in a real browser, against `pst all --demo`:
// register (with a refused first try) -> the link from the outbox -> sign in -> search with
// a typo -> the reader, jumping to the last page over range requests -> download -> rate ->
// complain -> my complaints -> sign out. Plus: CSRF refused, the expired-session path,
// JavaScript off for search and a form, axe-core and screenshots on every page, nothing
// fetched from another origin. Prints `METRIC name value` lines for the figures.
import { writeFileSync } from "node:fs";
import { BASE, must, check, launch, record, offOrigin, look, mailedLink, DESKTOP } from "./lib.mjs";

const OUTBOX = must("PST_OUTBOX");
const PUB = must("PST_PUBLICATION"); // a publication with a long softcopy
const PAGES = Number(must("PST_PAGES"));
const FILE_SIZE = Number(must("PST_FILE_SIZE")); // bytes of the stored original
const TYPO_QUERY = must("PST_TYPO_QUERY");
const TITLE = must("PST_TITLE");
const DOWNLOAD_TO = must("PST_DOWNLOAD_TO");
const EMAIL = must("PST_EMAIL");
const PASSWORD = "Baca-Publikasi-2026";
const metric = (name, value) => console.log(`METRIC ${name} ${value}`);

const browser = await launch();
let current = null; // the page in use, for a screenshot when a check fails
try {
  const context = await browser.newContext({ viewport: DESKTOP, locale: "id-ID", acceptDownloads: true });
  const requests = record(context);
  const cspErrors = [];
  const page = await context.newPage();
  current = page;
  page.on("console", (m) => { if (/Content.Security.Policy|Refused to/i.test(m.text())) cspErrors.push(m.text()); });
  page.on("pageerror", (e) => cspErrors.push(`page error: ${e.message}`));

  // ---- home and an unknown page
  await page.goto(BASE + "/");
  check(await page.locator("html").getAttribute("lang") === "id", "pages are lang=id");
  await look(page, "01-beranda");
  const missing = await page.goto(BASE + "/tidak-ada-halaman");
  check(missing.status() === 404 && (await page.textContent("h1")).includes("tidak ditemukan"), "an unknown path is an Indonesian 404 page");
  await look(page, "02-tidak-ditemukan");

  // ---- register: a refused first try keeps typed values, shows field errors
  await page.goto(BASE + "/daftar");
  await page.fill("#f-full_name", "Sari Wulandari");
  await page.fill("#f-email", EMAIL);
  await page.fill("#f-password", "pendek");
  await page.fill("#f-institution", "Universitas Musi Rawas");
  await page.fill("#f-occupation", "Mahasiswa");
  await page.fill("#f-id_number", "12345");
  await page.click("button[type=submit]");
  await page.waitForSelector(".err");
  check(await page.inputValue("#f-full_name") === "Sari Wulandari", "typed values are kept after a refused registration");
  check(await page.locator("#f-password[aria-invalid=true]").count() === 1, "the password field is marked invalid");
  check(await page.locator("#e-id_number").count() === 1, "the id number has its error next to it");
  await look(page, "03-daftar-galat");
  // Keyboard only: fill the fixed fields and submit with Enter.
  await page.focus("#f-password");
  await page.keyboard.type(PASSWORD);
  await page.focus("#f-id_number");
  await page.keyboard.press("Control+A");
  await page.keyboard.type("1674024501990003");
  await page.keyboard.press("Enter");
  await page.waitForURL(/\/daftar\/terkirim/);
  check((await page.textContent("main")).includes(EMAIL), "the check-your-mail page names the address");
  await look(page, "04-daftar-terkirim");

  // ---- search right after registering (no sign-in needed), with the keyboard only
  await page.goto(BASE + "/");
  for (let i = 0; i < 12 && (await page.evaluate(() => document.activeElement?.id)) !== "q"; i++) {
    await page.keyboard.press("Tab");
  }
  check(await page.evaluate(() => document.activeElement?.id) === "q", "the search box is reached with Tab");
  await page.keyboard.type("statistik");
  await page.keyboard.press("Enter");
  await page.waitForURL(/\/cari\?q=statistik/);
  check(await page.locator(".hit").count() > 0, "search works right after registering, keyboard only");

  // ---- the link from the outbox
  const verifyPath = mailedLink(OUTBOX, EMAIL, "verifikasi-email");
  await page.goto(BASE + verifyPath);
  await look(page, "05-verifikasi");
  await page.click("button[type=submit]");
  await page.waitForSelector("text=E-mail berhasil diverifikasi");
  await look(page, "06-verifikasi-berhasil");

  // ---- sign in (wrong password first)
  await page.goto(BASE + "/masuk");
  await page.fill("#f-email", EMAIL);
  await page.fill("#f-password", "salah-sekali-123");
  await page.click("main button[type=submit]");
  await page.waitForSelector(".alert");
  check(await page.inputValue("#f-email") === EMAIL, "the e-mail stays after a failed sign-in");
  await look(page, "07-masuk-galat");
  await page.fill("#f-password", PASSWORD);
  await page.click("main button[type=submit]");
  await page.waitForURL(BASE + "/");
  const cookies = await context.cookies();
  const at = cookies.find((c) => c.name === "pst_at");
  check(at && at.httpOnly && at.sameSite === "Lax", "the session cookie is HttpOnly and SameSite=Lax");
  check(!(await page.evaluate(() => document.cookie)).includes("pst_"), "no session cookie is readable from scripts");

  // ---- search with a typo, facets, the publication
  await page.fill("#q", TYPO_QUERY);
  await page.click("form.search button");
  await page.waitForURL(/\/cari\?/);
  await page.waitForSelector(".hit");
  const titles = await page.locator(".hit h3").allTextContents();
  check(titles.slice(0, 3).some((t) => t.includes(TITLE)), `"${TYPO_QUERY}" finds "${TITLE}" in the top 3 (${titles.slice(0, 3).join(" | ")})`);
  check(await page.locator(".facets a").count() > 2, "search results show facets");
  const said = (await page.locator("#koreksi").textContent()) || "";
  check(said.startsWith("Mungkin maksud Anda:") && !said.includes(TYPO_QUERY), `the corrected words are said: "${said}"`);
  await look(page, "08-hasil-cari");
  await page.click(`.hit h3 a:has-text("${TITLE}")`);
  await page.waitForURL(/\/publikasi\//);
  await look(page, "09-publikasi");

  // ---- the reader: first page, then the last over range requests only
  const before = requests.length;
  const t0 = Date.now();
  await page.click("text=Baca daring");
  await page.waitForSelector('#pembaca[data-rendered="1"]', { timeout: 60000 });
  metric("reader_first_page_ms", Date.now() - t0);
  await look(page, "10-pembaca");
  await page.fill(".pageno", String(PAGES));
  await page.dispatchEvent(".pageno", "change");
  await page.waitForSelector(`#pembaca[data-rendered="${PAGES}"]`, { timeout: 60000 });
  const fileRequests = requests.slice(before).filter((r) => r.url().includes(`/publikasi/${PUB}/berkas`));
  let fetched = 0;
  let ranged = 0;
  for (const r of fileRequests) {
    const res = await r.response();
    const sizes = await r.sizes().catch(() => ({ responseBodySize: 0 }));
    fetched += sizes.responseBodySize;
    if (res && res.status() === 206 && r.headers()["range"]) ranged += 1;
  }
  metric("reader_requests", fileRequests.length);
  metric("reader_bytes_fetched_to_last_page", fetched);
  metric("reader_file_bytes", FILE_SIZE);
  check(ranged >= 2, `the reader used range requests (${ranged} of ${fileRequests.length} answered 206)`);
  check(fetched < FILE_SIZE / 2, `page ${PAGES} opened after ${fetched} of ${FILE_SIZE} bytes`);
  const firstRes = await fileRequests[fileRequests.length - 1].response();
  check(firstRes.headers()["etag"] && firstRes.headers()["accept-ranges"] === "bytes", "copies carry ETag and Accept-Ranges: bytes");
  await look(page, "11-pembaca-halaman-akhir");
  // find in document
  await page.fill("#cari-teks", "Lubuklinggau");
  await page.press("#cari-teks", "Enter");
  await page.waitForSelector('[data-out="status"]:has-text("Ditemukan di halaman")', { timeout: 60000 });
  check(true, "find in document jumps to a page that holds the text");

  // ---- download
  const [download] = await Promise.all([
    page.waitForEvent("download"),
    page.click("#pembaca form[action$=\"/unduh\"] button"),
  ]);
  await download.saveAs(DOWNLOAD_TO);
  check(true, `the stamped copy was downloaded to ${DOWNLOAD_TO}`);

  // ---- my downloads and the rating of the download
  await page.goto(BASE + "/akun/unduhan");
  const code = (await page.locator("tbody tr").first().locator("code").textContent()).trim();
  writeFileSync(DOWNLOAD_TO + ".code", code);
  check((await page.locator("tbody tr").first().textContent()).includes("Unduhan"), "my downloads lists the download");
  await look(page, "12-unduhan-saya");
  await page.locator("tbody tr").first().locator("text=Beri penilaian").click();
  await page.waitForURL(/\/nilai\?unduhan=/);
  await page.click("main form button[type=submit]"); // nothing chosen: errors next to the elements
  await page.waitForSelector(".likert.invalid");
  await look(page, "13-nilai-galat");
  for (let i = 1; i <= 9; i++) await page.check(`input[name=U${i}][value="${i % 2 ? 4 : 3}"]`);
  await page.selectOption("#f-sex", "P");
  await page.selectOption("#f-age", "20-29");
  await page.selectOption("#f-edu", "D4/S1");
  await page.selectOption("#f-occ", "Pelajar/Mahasiswa");
  await page.fill("#f-comment", "Softcopy mudah dibaca di ponsel.");
  await page.click("main form button[type=submit]");
  await page.waitForSelector("h1:has-text('Terima kasih')");
  await look(page, "14-terima-kasih");

  // ---- complain, with a double click: one complaint only
  await page.goto(BASE + "/pengaduan/baru");
  await page.fill("#f-text", "Tombol unduh sempat tidak merespons saat jaringan lambat.");
  await look(page, "15-pengaduan-baru");
  await page.dblclick("main form button[type=submit]");
  await page.waitForURL(/\/pengaduan\/[0-9a-f-]{36}/);
  await look(page, "16-pengaduan-utas");
  await page.fill("#f-text", "Sudah dicoba lagi dan berhasil, terima kasih.");
  await page.click("text=Kirim tanggapan");
  await page.waitForSelector("text=Sudah dicoba lagi");
  await page.goto(BASE + "/pengaduan");
  check(await page.locator("tbody tr").count() === 1, "a double click filed exactly one complaint");
  check((await page.textContent("tbody")).includes("Tombol unduh"), "my complaints lists the complaint");
  await look(page, "17-pengaduan-saya");
  // The supervisor answers (through the JSON API); the visitor reads it and closes.
  await page.click("tbody a");
  const complaintId = page.url().split("/pengaduan/")[1].split("#")[0];
  const staff = await (await fetch(BASE + "/api/v1/auth/login", {
    method: "POST", headers: { "content-type": "application/json" },
    body: JSON.stringify({ email: "supervisor@pst.test", password: must("PST_DEMO_PASSWORD") }),
  })).json();
  const answered = await fetch(`${BASE}/api/v1/complaints/${complaintId}/responses`, {
    method: "POST", headers: { "content-type": "application/json", authorization: `Bearer ${staff.access_token}` },
    body: JSON.stringify({ text: "Terima kasih. Kapasitas server unduhan sudah kami tambah." }),
  });
  check(answered.ok, `the supervisor answers the complaint (${answered.status})`);
  await page.reload();
  check((await page.textContent(".thread")).includes("Kapasitas server") && (await page.textContent(".thread")).includes("Petugas PST"), "the answer appears in the thread");
  check((await page.textContent(".msg.mine:has-text(\"Sudah dicoba lagi\")")).includes("Anda"), "the complainant's own reply is marked as theirs");
  await look(page, "16b-pengaduan-dijawab");
  await page.click("text=Jawaban sudah menyelesaikan");
  await page.waitForSelector("text=Buka kembali");
  check((await page.textContent("main")).includes("Ditutup"), "the complainant closes the answered complaint");

  // ---- my tickets (none yet), the copy-check form, resend verification
  await page.goto(BASE + "/akun/kunjungan");
  check((await page.textContent("main")).includes("belum pernah mengambil nomor antrean"), "my tickets says there are none yet");
  await look(page, "17b-antrean-saya");
  await page.goto(BASE + "/cek");
  await look(page, "17c-cek-formulir");
  await page.goto(BASE + "/kirim-ulang-verifikasi");
  await look(page, "17d-kirim-ulang");
  await page.fill("#f-email", "bukan-email");
  await page.click("main form button[type=submit]");
  await page.waitForSelector("#e-email");
  check(true, "a malformed address is refused next to its field");

  // ---- profile and password pages
  await page.goto(BASE + "/akun");
  check((await page.textContent("main")).includes("16**********0003"), "the identity number is shown masked");
  await look(page, "18-akun");
  await page.goto(BASE + "/akun/sandi");
  await look(page, "19-ganti-sandi");

  // ---- the public check of the printed id
  await page.goto(BASE + "/cek/" + code);
  check((await page.textContent(".verdict")).includes("Salinan asli"), "the printed id checks as genuine");
  check(!(await page.textContent("main")).includes(EMAIL), "the public check shows no personal data");
  await look(page, "20-cek-asli");
  await page.goto(BASE + "/cek/ZZZZZZZZ");
  check((await page.textContent(".verdict")).includes("Tidak dikenal"), "an unknown id is 'tidak dikenal'");
  await look(page, "21-cek-tidak-dikenal");

  // ---- CSRF: a form without its token is refused with a page
  const forged = await page.request.post(BASE + "/pengaduan/baru", {
    form: { office_code: "1674", category: "layanan", text: "Palsu tanpa token CSRF" },
    maxRedirects: 0,
  });
  check(forged.status() === 403 && (await forged.text()).includes("Formulir kedaluwarsa"), "a form post without the CSRF token is refused (403 page)");

  // ---- the session: an expired access token is refreshed transparently
  await context.clearCookies({ name: "pst_at" });
  await page.goto(BASE + "/akun");
  check(page.url() === BASE + "/akun", "an expired access token is refreshed with the refresh token");
  check((await context.cookies()).some((c) => c.name === "pst_at"), "a new access cookie was set");

  // ---- sign out, then a protected page goes to sign-in and back
  await page.click("text=Keluar");
  await page.waitForURL(/\/masuk\?pesan=keluar/);
  check(await page.locator("header >> text=Masuk").count() === 1, "after sign-out the header offers sign-in");
  await look(page, "22-keluar");
  await page.goto(BASE + "/pengaduan");
  check(page.url().includes("/masuk?kembali=%2Fpengaduan"), "a protected page sends to sign-in with the way back");
  await page.fill("#f-email", EMAIL);
  await page.fill("#f-password", PASSWORD);
  await page.click("main button[type=submit]");
  await page.waitForURL(BASE + "/pengaduan");
  check(true, "after sign-in the user is back where they were");

  // ---- forgot / reset password pages
  await page.goto(BASE + "/lupa-sandi");
  await look(page, "23-lupa-sandi");
  await page.fill("#f-email", EMAIL);
  await page.click("main button[type=submit]");
  await page.waitForSelector(".note");
  await page.goto(BASE + mailedLink(OUTBOX, EMAIL, "atur-ulang-sandi"));
  await look(page, "24-atur-ulang-sandi");

  check(cspErrors.length === 0, `no CSP violation or script error in the journey ${cspErrors.join(" | ")}`);
  const outside = offOrigin(requests);
  check(outside.length === 0, `the browser fetched nothing outside the origin ${outside.join(" ")}`);
  await context.close();

  // ---- page weight of the search page: bytes over the wire (CDP encodedDataLength), fresh cache
  const fresh = await browser.newContext({ viewport: DESKTOP });
  const p2 = await fresh.newPage();
  const cdp = await fresh.newCDPSession(p2);
  await cdp.send("Network.enable");
  const wire = new Map();
  cdp.on("Network.responseReceived", (e) => wire.set(e.requestId, { url: e.response.url, bytes: 0 }));
  cdp.on("Network.loadingFinished", (e) => { const w = wire.get(e.requestId); if (w) w.bytes = e.encodedDataLength; });
  const weigh = (pred) => [...wire.values()].filter((w) => pred(w.url)).reduce((n, w) => n + w.bytes, 0);
  await p2.goto(BASE + "/cari?q=inflasi");
  await p2.waitForLoadState("networkidle");
  const weight = weigh(() => true);
  metric("search_page_wire_bytes", weight);
  check(weight < 60 * 1024, `the search page weighs ${weight} bytes over the wire (target 60 KB)`);
  // the reader page: its own weight (HTML, CSS, JS, PDF.js and its worker), without the PDF
  await p2.goto(BASE + "/masuk");
  await p2.fill("#f-email", EMAIL);
  await p2.fill("#f-password", PASSWORD);
  await p2.click("main button[type=submit]");
  await p2.waitForURL(BASE + "/");
  wire.clear();
  await p2.goto(BASE + `/publikasi/${PUB}/baca`);
  await p2.waitForSelector('#pembaca[data-rendered="1"]', { timeout: 60000 });
  await p2.waitForTimeout(300);
  metric("reader_page_wire_bytes_without_pdf", weigh((u) => !u.includes("/berkas")));
  metric("reader_first_page_pdf_wire_bytes", weigh((u) => u.includes("/berkas")));
  await fresh.close();

  // ---- JavaScript off: search and a form still work
  const nojs = await browser.newContext({ viewport: DESKTOP, javaScriptEnabled: false });
  const p3 = await nojs.newPage();
  await p3.goto(BASE + "/");
  await p3.fill("#q", "inflasi");
  await p3.click("form.search button");
  await p3.waitForURL(/\/cari\?q=inflasi/);
  check(await p3.locator(".hit").count() > 0, "search works with JavaScript off");
  await p3.goto(BASE + "/masuk");
  await p3.fill("#f-email", EMAIL);
  await p3.fill("#f-password", PASSWORD);
  await p3.click("main button[type=submit]");
  await p3.waitForURL(BASE + "/");
  check(await p3.locator("header >> text=Keluar").count() === 1, "signing in works with JavaScript off");
  await p3.goto(BASE + `/publikasi/${PUB}/baca`);
  check(await p3.locator("noscript").count() === 1, "the reader says it needs JavaScript and offers the download");
  await nojs.close();
} catch (e) {
  if (current && !current.isClosed()) {
    await current.screenshot({ path: `${process.env.PST_SHOTS}/GAGAL.png`, fullPage: true }).catch(() => {});
    console.log(`at ${current.url()}:\n${(await current.textContent("main").catch(() => "")).trim().slice(0, 800)}`);
  }
  throw e;
} finally {
  await browser.close();
}
console.log("journey: all checks passed");
