// A whole visitor journey through a client generated from the gateway's OpenAPI document:
// `openapi-typescript` turns /api/openapi.json into ./generated/api.d.ts, `openapi-fetch`
// makes a typed client of it, and `tsc --strict` must accept every call below before it
// runs. Run by tests/e2e/openapi_client.rs:
//   node out/journey.js <base URL> <e-mail> <outbox folder>
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import createClient from "openapi-fetch";
import type { paths } from "./generated/api.js";

const [baseArg, emailArg, outboxArg] = process.argv.slice(2);
if (!baseArg || !emailArg || !outboxArg) throw new Error("usage: journey.js <base> <email> <outbox>");
const base: string = baseArg;
const email: string = emailArg;
const outbox: string = outboxArg;

function check(ok: boolean, what: string): void {
  if (!ok) throw new Error(`not ok - ${what}`);
  console.log(`ok - ${what}`);
}

/// The newest mail to `to` with a link `<path>?token=...`: its token.
function mailedToken(to: string, path: string): string {
  const files = readdirSync(outbox).sort().reverse();
  for (const f of files) {
    const text = readFileSync(join(outbox, f), "utf8").replaceAll("=\r\n", "").replaceAll("=3D", "=");
    if (!text.split(/\r?\n/).some((l) => l.startsWith("To:") && l.includes(to))) continue;
    const m = text.match(new RegExp(`${path}\\?token=([A-Za-z0-9_-]+)`));
    if (m?.[1]) return m[1];
  }
  throw new Error(`no mail to ${to} with ${path}`);
}

const api = createClient<paths>({ baseUrl: base });
const password = "Baca-Publikasi-2024";

// Register, confirm the e-mail, sign in.
const reg = await api.POST("/api/v1/auth/register", {
  body: {
    full_name: "Rina Klien",
    email,
    password,
    phone: "081234567890",
    institution: "Universitas Musi Rawas",
    occupation: "Mahasiswa",
    id_type: "ktp",
    id_number: "1674021203850002",
  },
});
check(reg.response.status === 201, "registered (201)");
const verified = await api.POST("/api/v1/auth/verify-email", {
  body: { token: mailedToken(email, "verifikasi-email") },
});
check(verified.response.status === 200, "e-mail confirmed");
const login = await api.POST("/api/v1/auth/login", { body: { email, password } });
check(login.data !== undefined, "signed in");
const token = login.data!.access_token;
const auth = { headers: { Authorization: `Bearer ${token}` } };

const me = await api.GET("/api/v1/me", auth);
check(me.data?.email === email && me.data?.role === "visitor", "the profile is the visitor's");

// Search right after registering; a softcopy to read.
const found = await api.GET("/api/v1/publications", {
  params: { query: { office: "1674", has_digital: true, limit: 10 } },
});
const items = found.data?.items ?? [];
check(items.length > 0, `the search finds softcopies (${items.length})`);
const pid = items[0]!.publication.id;
const one = await api.GET("/api/v1/publications/{id}", { params: { path: { id: pid } } });
check(one.data?.id === pid && one.data.has_digital, "the publication is shown with its softcopy");
const copy = await api.GET("/api/v1/publications/{id}/download", {
  params: { path: { id: pid } },
  parseAs: "arrayBuffer",
  ...auth,
});
const bytes = new Uint8Array(copy.data ?? new ArrayBuffer(0));
check(copy.response.status === 200 && new TextDecoder().decode(bytes.slice(0, 5)) === "%PDF-", "a stamped copy downloads");
const mine = await api.GET("/api/v1/me/downloads", { params: { query: { limit: 10 } }, ...auth });
check((mine.data?.items ?? []).some((d) => d.publication_id === pid), "the copy is in my downloads");

// A number for the walk-in queue, then its state.
const ticket = await api.POST("/api/v1/offices/{office}/tickets", {
  params: { path: { office: "1674" } },
  body: { service_type: "perpustakaan" },
  ...auth,
});
check(ticket.response.status === 201 && ticket.data !== undefined, `a queue number (${ticket.data?.number})`);
const again = await api.GET("/api/v1/tickets/{id}", { params: { path: { id: ticket.data!.id } }, ...auth });
check(again.data?.status === "waiting", `my ticket is waiting (${again.response.status})`);

// A complaint, then reading it back; errors are problem documents.
const complaint = await api.POST("/api/v1/complaints", {
  body: { category: "fasilitas", text: "Kursi ruang baca kurang.", office_code: "1674" },
  ...auth,
});
check(complaint.response.status === 201 && complaint.data !== undefined, "a complaint is filed");
const read = await api.GET("/api/v1/complaints/{id}", { params: { path: { id: complaint.data!.id } }, ...auth });
check(read.data?.id === complaint.data!.id, "the complaint reads back");
const bad = await api.GET("/api/v1/publications/{id}", { params: { path: { id: "00000000-0000-7000-8000-000000000000" } } });
check(bad.response.status === 404 && bad.error?.code === "PUBLICATION_NOT_FOUND", "a missing publication is a 404 problem");
console.log("journey done");
