// The reader: PDF.js (vendored, loaded only on this page) shows the stamped reading copy
// through range requests, so any page opens without fetching the whole file.
const root = document.getElementById("pembaca");
const $ = (sel) => root.querySelector(sel);
const out = (name) => root.querySelector(`[data-out="${name}"]`);
const status = (text) => { out("status").textContent = text; };

const pdfjs = await import(root.dataset.pdfjs);
pdfjs.GlobalWorkerOptions.workerSrc = root.dataset.worker;

const canvas = out("canvas");
const wrap = root.querySelector(".canvas-wrap");
const pageInput = $('[data-act="goto"]');
let doc = null;
let current = 1;
let zoom = 1; // times "fit width"
let rendering = null;
let pending = null;

const CHUNK = 65536;
const src = root.dataset.src;
// Every byte comes from a Range request: the first 64 KiB tell the file's length, then
// PDF.js asks for just the ranges a shown page needs (no initial full download).
async function range(begin, end) {
  // A session that ended answers with a redirect to sign in, never with PDF bytes.
  const r = await fetch(src, { headers: { Range: `bytes=${begin}-${end - 1}` }, credentials: "same-origin", redirect: "manual" });
  const pdf = (r.headers.get("Content-Type") || "").startsWith("application/pdf");
  if (r.type === "opaqueredirect" || r.status === 401) {
    status("Sesi Anda telah berakhir. Muat ulang halaman untuk masuk kembali.");
    throw new Error("signed out");
  }
  if (!(r.status === 206 || r.status === 200) || !pdf) throw new Error(`HTTP ${r.status}`);
  return r;
}
async function open() {
  const first = await range(0, CHUNK);
  const initial = new Uint8Array(await first.arrayBuffer());
  const total = Number((first.headers.get("Content-Range") || "").split("/")[1]);
  const common = { disableAutoFetch: true, disableStream: true, rangeChunkSize: CHUNK, useWasm: false, enableXfa: false };
  if (first.status !== 206 || !Number.isFinite(total) || total <= initial.length) {
    return pdfjs.getDocument({ ...common, data: initial }).promise; // the whole file came
  }
  class Ranges extends pdfjs.PDFDataRangeTransport {
    requestDataRange(begin, end) {
      range(begin, end)
        .then((r) => r.arrayBuffer())
        .then((b) => this.onDataRange(begin, new Uint8Array(b)))
        .catch(() => status("Sebagian dokumen gagal dimuat. Periksa koneksi lalu muat ulang."));
    }
  }
  return pdfjs.getDocument({ ...common, range: new Ranges(total, initial) }).promise;
}

try {
  doc = await open();
} catch (e) {
  status("Dokumen tidak dapat dibuka. Muat ulang halaman, atau unduh salinan berwatermark.");
  throw e;
}
out("pages").textContent = String(doc.numPages);
pageInput.max = String(doc.numPages);
root.dataset.pages = String(doc.numPages);

async function render(n) {
  if (rendering) { pending = n; return; }
  rendering = n;
  try {
    const page = await doc.getPage(n);
    const base = page.getViewport({ scale: 1 });
    const avail = Math.max(200, wrap.clientWidth - 16);
    const scale = (avail / base.width) * zoom;
    const ratio = window.devicePixelRatio || 1;
    const viewport = page.getViewport({ scale: scale * ratio });
    canvas.width = Math.floor(viewport.width);
    canvas.height = Math.floor(viewport.height);
    canvas.style.width = `${Math.floor(viewport.width / ratio)}px`;
    canvas.style.height = `${Math.floor(viewport.height / ratio)}px`;
    await page.render({ canvas, viewport }).promise;
    current = n;
    pageInput.value = String(n);
    out("zoom").textContent = `${Math.round(zoom * 100)}%`;
    canvas.setAttribute("aria-label", `Halaman ${n} dari ${doc.numPages}`);
    root.dataset.rendered = String(n);
    status(`Halaman ${n} dari ${doc.numPages}`);
  } catch (e) {
    status("Halaman tidak dapat ditampilkan. Coba lagi.");
  } finally {
    rendering = null;
    if (pending !== null) { const p = pending; pending = null; render(p); }
  }
}

function go(n) {
  if (!Number.isFinite(n)) return;
  render(Math.min(doc.numPages, Math.max(1, Math.round(n))));
}

root.addEventListener("click", (e) => {
  const act = e.target.closest("[data-act]")?.dataset.act;
  if (act === "prev") go(current - 1);
  if (act === "next") go(current + 1);
  if (act === "zoomin") { zoom = Math.min(4, zoom * 1.25); go(current); }
  if (act === "zoomout") { zoom = Math.max(0.25, zoom / 1.25); go(current); }
});
pageInput.addEventListener("change", () => go(Number(pageInput.value)));
document.addEventListener("keydown", (e) => {
  if (e.target.closest("input, textarea, select")) return;
  if (e.key === "ArrowRight" || e.key === "PageDown") go(current + 1);
  if (e.key === "ArrowLeft" || e.key === "PageUp") go(current - 1);
});

// Find in document: the next page (from the one after this, wrapping) whose text holds it.
$('[data-act="find"]').addEventListener("submit", async (e) => {
  e.preventDefault();
  const needle = root.querySelector("#cari-teks").value.trim().toLocaleLowerCase("id");
  if (!needle) return;
  status("Mencari…");
  for (let i = 1; i <= doc.numPages; i++) {
    const n = ((current - 1 + i) % doc.numPages) + 1;
    const text = await (await doc.getPage(n)).getTextContent();
    const joined = text.items.map((it) => it.str).join(" ").toLocaleLowerCase("id");
    if (joined.includes(needle)) { await render(n); status(`Ditemukan di halaman ${n}.`); return; }
  }
  status("Teks tidak ditemukan dalam dokumen.");
});

let resizeTimer = null;
window.addEventListener("resize", () => { clearTimeout(resizeTimer); resizeTimer = setTimeout(() => go(current), 200); });

await render(1);
