// Shared pieces of the browser tests: the browser, screenshots at phone and desktop size,
// axe-core, the outbox, and a recorder of every request the browser makes.
import { readFileSync, readdirSync, mkdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { createRequire } from "node:module";
import { chromium } from "playwright-core";

const require = createRequire(import.meta.url);
const AXE = readFileSync(require.resolve("axe-core/axe.min.js"), "utf8");

export const BASE = must("PST_URL");
export const SHOTS = must("PST_SHOTS");
mkdirSync(SHOTS, { recursive: true });

export function must(name) {
  const v = process.env[name];
  if (!v) throw new Error(`${name} must be set (tests/e2e/web.rs sets it)`);
  return v;
}

export function check(cond, what) {
  if (!cond) throw new Error(`FAILED: ${what}`);
  console.log(`ok - ${what}`);
}

export async function launch() {
  return chromium.launch({
    executablePath: process.env.PST_CHROMIUM || "/usr/bin/chromium",
    headless: true,
    args: [
      "--no-sandbox", "--disable-gpu", "--disable-background-networking",
      "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic",
    ],
  });
}

export const PHONE = { width: 390, height: 844 };
export const DESKTOP = { width: 1366, height: 768 };

/// Every request a context makes, to prove nothing leaves the origin and to count bytes.
export function record(context) {
  const seen = [];
  context.on("request", (r) => seen.push(r));
  return seen;
}

export function offOrigin(requests) {
  return requests
    .map((r) => r.url())
    .filter((u) => !u.startsWith(BASE) && !u.startsWith("data:") && !u.startsWith("blob:"));
}

/// axe-core on the current page: no serious or critical violation.
export async function axe(page, name) {
  await page.evaluate(AXE);
  const result = await page.evaluate(async () =>
    // eslint-disable-next-line no-undef
    axe.run(document, { resultTypes: ["violations"] }));
  const bad = result.violations.filter((v) => v.impact === "serious" || v.impact === "critical");
  const text = bad.map((v) => `${v.id} (${v.impact}): ${v.help} @ ${v.nodes.map((n) => n.target.join(" ")).slice(0, 3).join(", ")}`);
  check(bad.length === 0, `axe: no serious or critical violation on ${name}${text.length ? "\n  " + text.join("\n  ") : ""}`);
}

/// Screenshots of the current page at phone and desktop size, then axe-core.
export async function look(page, name) {
  const before = page.viewportSize();
  for (const [size, vp] of [["ponsel", PHONE], ["desktop", DESKTOP]]) {
    await page.setViewportSize(vp);
    await page.waitForTimeout(400); // the reader re-fits the page after a resize
    await page.screenshot({ path: join(SHOTS, `${name}-${size}.png`), fullPage: true });
  }
  await page.setViewportSize(before || DESKTOP);
  await axe(page, name);
  const html = await page.content();
  const external = [...html.matchAll(/\b(?:src|href|action|data-[a-z]+)="(https?:)?\/\/([^"]*)"/g)].map((m) => m[0]);
  check(external.length === 0, `${name}: no attribute points outside the origin ${external.join(" ")}`);
}

/// The newest mail to `to` in the outbox, and the path of its link to `path`.
export function mailedLink(outbox, to, path) {
  const files = readdirSync(outbox)
    .map((f) => join(outbox, f))
    .filter((f) => f.endsWith(".eml"))
    .sort((a, b) => statSync(b).mtimeMs - statSync(a).mtimeMs);
  for (const f of files) {
    const text = readFileSync(f, "utf8").replace(/=\r?\n/g, "").replace(/=3D/g, "=");
    if (!text.includes(to)) continue;
    const m = text.match(new RegExp(`https?://[^/\\s]+(/${path}\\?token=[A-Za-z0-9_\\-]+)`));
    if (m) return m[1];
  }
  throw new Error(`no mail to ${to} with a /${path} link in ${outbox}`);
}
