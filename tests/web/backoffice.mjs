// The back office in a browser against `pst all --demo`: the librarian (catalogue list,
// CSV import with two bad rows then partial, edit with a concurrent edit refused, withdraw,
// softcopy upload with its progress bar, reading-room use, verifying a visitor's download),
// the supervisor (live tiles following a ticket, the month's report with its SVG charts and
// CSV, printed as A4, the complaint inbox: answer mailed, a second answer at the same time
// refused, an offline complaint recorded) and the administrator (an office with two
// counters, a staff account for it, both in the audit trail). Every page at 1366x768 with
// axe-core. Prints METRIC lines.
import { readFileSync, writeFileSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { BASE, SHOTS, must, check, launch, axe } from "./lib.mjs";

const PASSWORD = must("PST_DEMO_PASSWORD");
const OUTBOX = must("PST_OUTBOX");
const SOFTCOPY = must("PST_SOFTCOPY");
const VISITOR = must("PST_VISITOR_EMAIL");
const VISITOR_PASSWORD = must("PST_VISITOR_PASSWORD");
const OFFICE = "1674";
const NEW_OFFICE = process.env.PST_NEW_OFFICE || "1675";
const metric = (name, value) => console.log(`METRIC ${name} ${value}`);
const DESKTOP = { width: 1366, height: 768 };

async function api(path, { token, body, method, accept } = {}) {
  const r = await fetch(BASE + path, {
    method: method || (body ? "POST" : "GET"),
    headers: {
      "content-type": "application/json",
      ...(accept ? { accept } : {}),
      ...(token ? { authorization: `Bearer ${token}` } : {}),
    },
    body: body ? JSON.stringify(body) : undefined,
  });
  const text = await r.text();
  if (!r.ok) throw new Error(`${path}: ${r.status} ${text}`);
  return accept ? text : text ? JSON.parse(text) : null;
}
const login = async (email, password = PASSWORD) =>
  (await api("/api/v1/auth/login", { body: { email, password } })).access_token;

async function shot(page, name) {
  await page.waitForTimeout(200);
  await page.screenshot({ path: join(SHOTS, `b-${name}.png`), fullPage: true });
  await axe(page, `b-${name}`);
}

async function signIn(context, email, password = PASSWORD) {
  const page = await context.newPage();
  await page.goto(`${BASE}/masuk`);
  await page.fill("#f-email", email);
  await page.fill("#f-password", password);
  await page.click("main button[type=submit]");
  await page.waitForURL((u) => !u.pathname.startsWith("/masuk"));
  return page;
}

const day = (d) => d.toISOString().slice(0, 10);
const wib = new Date(Date.now() + 7 * 3600 * 1000);
const FROM = day(new Date(wib.getTime() - 30 * 86400000));
const TO = day(new Date(wib.getTime() - 86400000));

const browser = await launch();
const errors = [];
try {
  const ctx = async () => {
    const c = await browser.newContext({ viewport: DESKTOP, acceptDownloads: true, locale: "id-ID", timezoneId: "Asia/Jakarta" });
    c.on("page", (p) => p.on("pageerror", (e) => errors.push(e.message)));
    return c;
  };
  const libCtx = await ctx();
  const lib = await signIn(libCtx, "pustakawan@pst.test");
  const libToken = await login("pustakawan@pst.test");

  // ---- the catalogue list, with a filter
  await lib.goto(`${BASE}/pustakawan`);
  check((await lib.locator("tbody tr").count()) > 0, "the librarian's catalogue lists the office's publications");
  await shot(lib, "01-katalog");
  await lib.fill("#f-q", "inflasi");
  await lib.click("form.filters button[type=submit]");
  await lib.waitForURL(/q=inflasi/);
  const hits = await lib.locator("tbody tr").count();
  check(hits > 0 && (await lib.locator("tbody").textContent()).toLowerCase().includes("inflasi"), `a search in the catalogue list finds ${hits} entries about inflasi`);

  // ---- CSV import: two bad rows are shown at those rows and nothing is imported
  const stamp = Date.now().toString().slice(-6);
  const rows = [
    ["1674", `Impor Uji Satu ${stamp}`, "", "", "", "", "", "2025-01-10", "2024", "2024", "inflasi", "id", "40", "", "uji", "public"],
    ["1674", `Impor Uji Dua ${stamp}`, "", "", "", "", "978-0-306-40615-8", "2025-01-10", "2024", "2024", "inflasi", "id", "40", "", "", "public"],
    ["1674", `Impor Uji Tiga ${stamp}`, "", "", "", "", "", "2025-01-10", "2024", "2024", "kependudukan", "id", "12", "", "", "public"],
    ["1674", `Impor Uji Empat ${stamp}`, "", "", "", "", "", "2025-01-10", "2024", "2024", "astrologi", "id", "12", "", "", "public"],
  ];
  const header = "office_code,title,subtitle,catalogue_number,publication_number,issn,isbn,release_date,year_from,year_to,subject,language,pages,abstract,keywords,access_level";
  const csv = (rs) => [header, ...rs.map((r) => r.join(","))].join("\n") + "\n";
  const countOf = async (q) => (await api(`/api/v1/publications?q=${encodeURIComponent(q)}&office=${OFFICE}`, { token: libToken })).items
    .filter((h) => h.publication.title.includes(stamp)).length;
  await lib.goto(`${BASE}/pustakawan/impor`);
  const file = join(SHOTS, "impor-uji.csv");
  writeFileSync(file, csv(rows));
  await lib.setInputFiles("#f-berkas", file);
  await lib.waitForFunction(() => document.getElementById("f-csv").value.includes("Impor Uji"));
  await lib.click('button[value="pratinjau"]');
  await lib.waitForSelector("#galat-baris");
  const bad = await lib.$$eval("#galat-baris tbody tr", (trs) => trs.map((t) => t.getAttribute("data-row")));
  check(bad.includes("2") && bad.includes("4") && !bad.includes("1") && !bad.includes("3"), `the preview names rows 2 and 4 (${bad.join(", ")})`);
  const rowText = await lib.textContent('#galat-baris tr[data-row="2"]');
  check(rowText.includes("ISBN"), `row 2's error names its column in words: ${rowText.trim().replace(/\s+/g, " ")}`);
  await shot(lib, "02-impor-pratinjau");
  await lib.click('button[value="semua"]');
  await lib.waitForSelector("#hasil-impor");
  check((await lib.textContent("#hasil-impor")).includes("Tidak ada baris yang diimpor"), "all-or-nothing with bad rows imports nothing, and says so");
  check((await countOf(`Impor Uji ${stamp}`)) === 0, "no row of the refused file is in the catalogue");
  // fix row 2, keep row 4 bad, import the good rows only
  rows[1][6] = "978-0-306-40615-7";
  await lib.fill("#f-csv", csv(rows));
  await lib.click('button[value="sebagian"]');
  await lib.waitForSelector("#hasil-impor");
  const done = await lib.textContent("#hasil-impor");
  check(done.includes("3 publikasi diimpor") && done.includes("1 baris dilewati"), `partial import: ${done.trim().replace(/\s+/g, " ")}`);
  check((await countOf(`Impor Uji ${stamp}`)) === 3, "the three good rows are in the catalogue");
  await shot(lib, "03-impor-sebagian");

  // ---- a new entry through the form, inline ISBN check, then its softcopy with progress
  await lib.goto(`${BASE}/pustakawan/baru`);
  await lib.fill("#f-title", `Statistik Uji Unggah ${stamp}`);
  await lib.fill("#f-isbn", "978-0-306-40615-8");
  await lib.locator("#f-isbn").blur();
  await lib.waitForSelector("#v-isbn");
  check(await lib.getAttribute("#f-isbn", "aria-invalid") === "true", "a wrong ISBN check digit is flagged while typing");
  await lib.fill("#f-isbn", "978-0-306-40615-7");
  await lib.locator("#f-isbn").blur();
  check(await lib.locator("#v-isbn").count() === 0, "the flag goes when the ISBN is right");
  await lib.selectOption("#f-subject", "inflasi");
  await lib.fill("#f-year_to", "2025");
  await shot(lib, "04-baru");
  await lib.click("form.pubform button[type=submit]");
  await lib.waitForURL(/\/pustakawan\/publikasi\/[0-9a-f-]+\?disimpan=1/);
  const pubUrl = lib.url().split("?")[0];
  const pubId = pubUrl.split("/").pop();
  // not a PDF: refused with its reason in words, nothing stored
  const notPdf = join(SHOTS, "bukan-pdf.pdf");
  writeFileSync(notPdf, "Ini bukan berkas PDF, hanya teks biasa yang diberi nama .pdf\n".repeat(50));
  await lib.setInputFiles("#f-pdf", notPdf);
  await lib.click("form.upload button[type=submit]");
  await lib.waitForSelector("#jawaban-unggah");
  const refused = await lib.textContent("#jawaban-unggah");
  check(refused.includes("Softcopy ditolak") && refused.length > 30, `a file that is not a PDF is refused in words: ${refused.trim().replace(/\s+/g, " ")}`);
  await shot(lib, "05a-unggah-ditolak");
  await lib.setInputFiles("#f-pdf", SOFTCOPY);
  const progress = [];
  await lib.exposeFunction("__seen", (v) => progress.push(v));
  await lib.evaluate(() => {
    const bar = document.querySelector("#kemajuan");
    new MutationObserver(() => window.__seen(Number(bar.value))).observe(bar, { attributes: true, attributeFilter: ["value"] });
  });
  await lib.click("form.upload button[type=submit]");
  await lib.waitForSelector("#jawaban-unggah", { timeout: 120000 });
  const answer = await lib.textContent("#jawaban-unggah");
  check(answer.includes("Softcopy tersimpan") && /\d+ halaman/.test(answer), `the upload's answer: ${answer.trim().replace(/\s+/g, " ")}`);
  check(progress.includes(100) && (await lib.$eval("#kemajuan", (b) => b.value)) === 100, `the progress bar reached 100 % (${[...new Set(progress)].join(", ")})`);
  await shot(lib, "05-unggah");

  // ---- edit: only the changed field is sent; a concurrent edit is refused, not lost
  await lib.goto(pubUrl);
  const other = await libCtx.newPage();
  await other.goto(pubUrl);
  await lib.fill("#f-title", `Statistik Uji Unggah ${stamp} Edisi Revisi`);
  await lib.click("form.pubform button[type=submit]");
  await lib.waitForSelector("text=Perubahan tersimpan");
  await other.fill("#f-pages", "99");
  await other.click("form.pubform button[type=submit]");
  await other.waitForSelector("#galat");
  const clash = await other.textContent("#galat");
  check(clash.includes("sejak Anda membukanya"), `the later save is refused with a message: ${clash.trim()}`);
  check(await other.inputValue("#f-pages") === "99", "the refused edit keeps what the librarian typed");
  await shot(other, "06-bentrok");
  const now = await api(`/api/v1/publications/${pubId}`, { token: libToken });
  check(now.title.endsWith("Edisi Revisi") && now.pages !== 99, "the earlier save stands and the later one did not undo it");
  await other.close();
  const hist = await lib.textContent('section[aria-labelledby="riwayat"]');
  check(hist.includes("Diubah") && hist.includes("Judul") && hist.includes("Softcopy diunggah"), "the history names the change (title) and the upload");
  await shot(lib, "07-sunting");
  // printed copies, then withdraw with a reason
  await lib.fill("#f-call", "310 BPS s");
  await lib.fill("#f-shelf", "R-2");
  await lib.click('form[action$="/eksemplar"] button');
  await lib.waitForSelector("text=Eksemplar cetak tercatat");
  await lib.fill("#f-reason", "ok");
  await lib.click('form[action$="/tarik"] button');
  await lib.waitForSelector("#e-reason");
  check(true, "a too-short withdrawal reason is refused at its field");
  await lib.fill("#f-reason", "Diganti edisi revisi yang terbit bulan depan");
  await lib.click('form[action$="/tarik"] button');
  await lib.waitForSelector("text=Publikasi ditarik");
  check((await lib.textContent("main")).includes("Diganti edisi revisi"), "the withdrawn entry shows its reason");
  const publicView = await fetch(`${BASE}/api/v1/publications/${pubId}`);
  check(publicView.status === 404, "a withdrawn entry is gone for the public");

  // ---- printed holdings and the reading room
  await lib.goto(`${BASE}/pustakawan/cetak`);
  await shot(lib, "08-cetak");
  await lib.goto(`${BASE}/pustakawan/ruang-baca`);
  await lib.fill("#f-judul", "Dalam Angka");
  await lib.waitForSelector('#pilihan input[name="publication_id"]');
  await shot(lib, "09-ruang-baca");
  await lib.click('form[action="/pustakawan/ruang-baca"] button[type=submit]');
  await lib.waitForSelector("text=Penggunaan ruang baca tercatat");
  check(true, "a reading-room use is recorded from the type-ahead");

  // ---- a visitor downloads a copy; the librarian verifies it and sees who
  const visCtx = await ctx();
  const vis = await signIn(visCtx, VISITOR, VISITOR_PASSWORD);
  const digital = (await api(`/api/v1/publications?office=${OFFICE}&has_digital=true`)).items[0].publication;
  await vis.goto(`${BASE}/publikasi/${digital.id}/baca`);
  const [download] = await Promise.all([vis.waitForEvent("download"), vis.click('form[action$="/unduh"] button')]);
  const copy = join(SHOTS, "salinan-pengunjung.pdf");
  await download.saveAs(copy);
  await lib.goto(`${BASE}/pustakawan/verifikasi`);
  await shot(lib, "10-verifikasi");
  await lib.setInputFiles("#f-pdf", copy);
  await lib.click("form.upload button[type=submit]");
  await lib.waitForSelector("#putusan", { timeout: 60000 });
  const verdict = await lib.textContent("#putusan");
  check(verdict.includes("Asli") && verdict.includes(VISITOR), `the verdict names the visitor: ${verdict.trim().replace(/\s+/g, " ").slice(0, 160)}`);
  await shot(lib, "11-putusan");

  // ---- supervisor: live tiles follow a ticket being taken
  const supCtx = await ctx();
  const sup = await signIn(supCtx, "supervisor@pst.test");
  const supToken = await login("supervisor@pst.test");
  await sup.goto(`${BASE}/supervisor`);
  await sup.waitForSelector("#sambungan");
  await sup.waitForTimeout(500);
  await shot(sup, "12-supervisor");
  const waitingNow = async () => Number(await sup.textContent('[data-tile="waiting"]'));
  const latencies = [];
  for (let i = 0; i < 5; i++) {
    const before = await waitingNow();
    const t0 = Date.now();
    await api(`/api/v1/offices/${OFFICE}/tickets`, { body: { service_type: "perpustakaan", device_id: `uji-sv-${stamp}-${i}` } });
    await sup.waitForFunction((n) => Number(document.querySelector('[data-tile="waiting"]').textContent) === n, before + 1, { timeout: 10000 });
    latencies.push(Date.now() - t0);
  }
  latencies.sort((a, b) => a - b);
  metric("tile_after_ticket_ms_max", latencies[latencies.length - 1]);
  metric("tile_after_ticket_ms_median", latencies[2]);
  check(true, `the waiting tile followed 5 tickets (ms after the ticket answer: ${latencies.join(", ")})`);

  // ---- the month's report: charts, CSV = JSON, printed A4
  const t0 = Date.now();
  await sup.goto(`${BASE}/supervisor/laporan?dari=${FROM}&sampai=${TO}`);
  metric("report_page_ms", Date.now() - t0);
  const json = await api(`/api/v1/offices/${OFFICE}/reports/service-time?from=${FROM}&to=${TO}`, { token: supToken });
  const withVisits = json.days.filter((d) => d.visits > 0).length;
  const bars = await sup.locator("svg#harian rect").count();
  check(withVisits > 0 && bars === withVisits, `the daily chart has a bar for each of the ${withVisits} days with visits (${bars})`);
  check(await sup.locator("svg#harian title").first().textContent() !== "" && await sup.locator("#t-harian tbody tr").count() === withVisits, "the chart has a title and a table beside it");
  for (const id of ["tunggu", "keperluan", "ikm", "pengaduan-status"]) {
    check(await sup.locator(`svg#${id} rect`).count() > 0, `the ${id} chart is drawn`);
  }
  const csvText = await sup.evaluate(async (u) => (await fetch(u)).text(), `/supervisor/laporan/harian.csv?dari=${FROM}&sampai=${TO}`);
  const csvRows = csvText.replace(/^\uFEFF/, "").trim().split(/\r?\n/).slice(1).map((l) => l.split(","));
  const same = csvRows.length === json.days.length && csvRows.every((r, i) => r[0] === json.days[i].day && Number(r[1]) === json.days[i].visits && Number(r[2]) === json.days[i].served && Number(r[3]) === json.days[i].within_promise);
  check(same, `the daily CSV matches the JSON report (${csvRows.length} days)`);
  await shot(sup, "13-laporan");
  await sup.emulateMedia({ media: "print" });
  await sup.screenshot({ path: join(SHOTS, "b-14-laporan-cetak.png"), fullPage: true });
  const pdf = await sup.pdf({ format: "A4", printBackground: true });
  writeFileSync(join(SHOTS, "b-14-laporan.pdf"), pdf);
  check(pdf.length > 20000, `the report prints as an A4 PDF (${pdf.length} bytes)`);
  await sup.emulateMedia({ media: "screen" });

  // a ten-year period is refused at its field, nothing drawn
  await sup.goto(`${BASE}/supervisor/laporan?dari=2016-01-01&sampai=2025-12-31`);
  check(await sup.locator("#e-sampai").count() === 1 && await sup.locator("svg.chart").count() === 0, `a ten-year report period is refused at its field: ${(await sup.textContent("#galat")).trim()}`);

  // ---- the complaint inbox: overdue first; answer (mailed); a second answer at once refused
  await sup.goto(`${BASE}/supervisor/pengaduan`);
  check(await sup.locator('section[aria-labelledby="h-lewat"] table tbody tr').count() > 0, "the overdue complaint is listed first");
  await shot(sup, "15-pengaduan");
  await sup.click("text=Data PDRB kecamatan");
  await sup.waitForSelector("#f-text");
  const twin = await supCtx.newPage();
  await twin.goto(sup.url());
  const reply = `Data PDRB kecamatan sudah kami kirim hari ini (${stamp}).`;
  await sup.fill("#f-text", reply);
  await sup.click('form[action$="/jawab"] button');
  await sup.waitForSelector("text=Jawaban tersimpan");
  await twin.fill("#f-text", "Jawaban kedua yang terlambat");
  await twin.click('form[action$="/jawab"] button');
  await twin.waitForSelector("#galat");
  check((await twin.textContent("#galat")).includes("baru saja mendapat tanggapan"), "a second answer sent at the same time is refused with a message");
  await twin.close();
  const mailed = readdirSync(OUTBOX).map((f) => join(OUTBOX, f)).filter((f) => f.endsWith(".eml"))
    .sort((a, b) => statSync(b).mtimeMs - statSync(a).mtimeMs)
    .map((f) => readFileSync(f, "utf8").replace(/=\r?\n/g, ""))
    .find((t) => t.includes("rahmat@example.id") && t.includes(stamp));
  check(Boolean(mailed), "the answer is in the outbox, to the complainant");
  await shot(sup, "16-pengaduan-jawab");
  // an offline complaint from the suggestion box
  await sup.goto(`${BASE}/supervisor/pengaduan/baru`);
  await sup.selectOption("#f-channel", "lapor");
  await sup.fill("#f-text", `Antrean di loket 2 lama sekali (${stamp})`);
  await shot(sup, "17-pengaduan-luring");
  await sup.click("form.stack button[type=submit]");
  await sup.waitForSelector("text=Pengaduan tercatat");
  check((await sup.textContent("main")).includes("LAPOR!"), "the offline complaint is recorded with its channel");

  // ---- admin: an office with two counters, a staff account for it, both in the audit
  const admCtx = await ctx();
  const adm = await signIn(admCtx, "admin@pst.test");
  await adm.goto(`${BASE}/admin`);
  await shot(adm, "18-admin");
  await adm.goto(`${BASE}/admin/satker/${NEW_OFFICE}`);
  await adm.fill("#f-name", `BPS Kabupaten Uji ${stamp}`);
  await adm.fill('input[name="lines-0-name"]', "Perpustakaan");
  await adm.fill('input[name="counters-0-code"]', "L1");
  await adm.fill('input[name="counters-0-name"]', "Loket 1");
  await adm.check('input[name="counters-0-serves"]');
  await adm.fill('input[name="counters-1-code"]', "L2");
  await adm.fill('input[name="counters-1-name"]', "Loket 2");
  await adm.check('input[name="counters-1-serves"]');
  await adm.fill("#f-closes_at", "07:00");
  await adm.click("form.card button[type=submit]");
  await adm.waitForSelector("#galat");
  check((await adm.textContent("main")).includes("Jam tutup harus setelah jam buka"), "a closing time before opening is refused at its field");
  await adm.fill("#f-closes_at", "15:30");
  await adm.click("form.card button[type=submit]");
  await adm.waitForSelector("text=Pengaturan satker tersimpan");
  await shot(adm, "19-satker");
  const setup = await api(`/api/v1/offices/${NEW_OFFICE}/setup`);
  check(setup.counters.length === 2 && setup.counters.every((c) => c.service_types.includes("perpustakaan")), "the new office has two counters serving its line");
  await adm.goto(`${BASE}/admin/petugas?kantor=${NEW_OFFICE}`);
  const staffEmail = `petugas${stamp}@pst.test`;
  await adm.fill("#f-full_name", "Petugas Uji");
  await adm.fill("#f-email", staffEmail);
  await adm.fill("#f-password", "Sandi-Petugas-2026");
  await adm.selectOption("#f-role", "front_office");
  await adm.click('section[aria-labelledby="h-baru"] button[type=submit]');
  await adm.waitForSelector("text=Akun petugas dibuat");
  check((await adm.textContent("tbody")).includes(staffEmail), "the new staff account is listed for the office");
  await shot(adm, "20-petugas");
  await adm.goto(`${BASE}/admin/audit?kantor=${NEW_OFFICE}`);
  const audit = await adm.textContent("#audit");
  check(audit.includes("office.upsert") && audit.includes("staff.create"), "the audit trail shows the office and the staff account");
  await adm.goto(`${BASE}/admin/audit?kantor=${NEW_OFFICE}&tindakan=staff.`);
  const filtered = await adm.textContent("#audit tbody");
  check(filtered.includes("staff.create") && !filtered.includes("office.upsert"), "the audit trail filters by action");
  await shot(adm, "21-audit");

  // ---- roles: a librarian may not open the admin or supervisor pages
  for (const path of ["/admin", "/supervisor", "/admin/petugas"]) {
    const r = await lib.goto(`${BASE}${path}`);
    check(r.status() === 403, `a librarian gets 403 on ${path}`);
  }
  check(errors.length === 0, `no script error on any page ${errors.join("; ")}`);
  console.log("backoffice: all checks passed");
} finally {
  await browser.close();
}
