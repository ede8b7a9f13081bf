//! Every route of the HTTP API × every role (anonymous, visitor, front office, librarian,
//! supervisor, admin) × own / other office, from one table: who may pass the route's
//! authorization (the answer is anything but a refusal) and who may not (401 / 403, or
//! 404 where existence is hidden). The routes come from the served OpenAPI document, so a
//! route without a row in the table fails this test.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::{Value, json};

use crate::helpers::*;

const ROLES: [&str; 6] = ["anon", "visitor", "fo", "lib", "sup", "admin"];
const OWN: &str = "1674";
const OTHER: &str = "1600";

/// Who passes a route. `own`: in the caller's office (or a route without an office);
/// `other`: when the route names another office (only for routes with `{office}` or
/// `{code}` in the path); `hides`: a refusal may be a 404 (existence not told).
struct Rule {
    own: &'static [&'static str],
    other: &'static [&'static str],
    hides: bool,
    body: Body,
}

#[derive(Clone, Copy)]
enum Body {
    None,
    Json(fn(&Fixtures) -> Value),
    Pdf,
    Csv,
}

const ALL: &[&str] = &ROLES;
const SIGNED: &[&str] = &["visitor", "fo", "lib", "sup", "admin"];
const STAFF: &[&str] = &["fo", "lib", "sup", "admin"];
/// The counter: the office's front office (and admins); supervisors watch, they do not call.
const DESK: &[&str] = &["fo", "admin"];
/// What the floor looks like (lockers, custody, the tiles): the desk and its supervisor.
const WATCH: &[&str] = &["fo", "sup", "admin"];
const LIB: &[&str] = &["lib", "admin"];
const SUP: &[&str] = &["sup", "admin"];
const ADMIN: &[&str] = &["admin"];
const NONE: &[&str] = &[];

struct Fixtures {
    publication: String,
    scratch_publication: String,
    complaint: String,
    ticket: String,
    visit: String,
    scratch_staff: String,
    code: String,
    nonce: std::sync::atomic::AtomicU32,
}

impl Fixtures {
    fn unique(&self) -> u32 {
        self.nonce
            .fetch_add(1, std::sync::atomic::Ordering::Relaxed)
    }
}

fn rule(own: &'static [&'static str], other: &'static [&'static str], body: Body) -> Rule {
    Rule {
        own,
        other,
        hides: false,
        body,
    }
}

fn hidden(own: &'static [&'static str], body: Body) -> Rule {
    Rule {
        own,
        other: NONE,
        hides: true,
        body,
    }
}

fn guest_book() -> Value {
    json!({ "name": "Pengunjung Matriks", "sex": "L", "age_group": "20-29", "education": "SMA", "occupation": "Mahasiswa",
        "institution_type": "perorangan", "purpose": "Uji matriks otorisasi" })
}

fn table() -> BTreeMap<&'static str, Rule> {
    use Body::*;
    let mut t = BTreeMap::new();
    let mut add = |k: &'static str, r: Rule| {
        assert!(t.insert(k, r).is_none(), "{k} twice in the table");
    };
    add("GET /api/v1/admin/audit", rule(ADMIN, NONE, None));
    add(
        "PUT /api/v1/admin/offices/{code}",
        rule(
            ADMIN,
            ADMIN,
            Json(|_| json!({ "name": "BPS Satker Uji Matriks", "time_zone": "Asia/Jakarta" })),
        ),
    );
    add(
        "GET /api/v1/admin/offices/{code}/audit",
        rule(SUP, ADMIN, None),
    );
    add(
        "PUT /api/v1/admin/offices/{code}/setup",
        rule(
            ADMIN,
            ADMIN,
            Json(|_| {
                json!({ "name": "BPS Satker Uji Matriks", "time_zone": "Asia/Jakarta",
        "opens_at": "00:00", "closes_at": "23:59", "open_days": [1,2,3,4,5,6,7], "lockers": 20,
        "service_types": [{ "code": "perpustakaan", "prefix": "P", "name": "Perpustakaan" }, { "code": "konsultasi", "prefix": "K", "name": "Konsultasi Statistik" }],
        "counters": [{ "code": "L1", "name": "Loket 1", "service_types": ["perpustakaan", "konsultasi"] }, { "code": "L2", "name": "Loket 2", "service_types": ["perpustakaan"] }] })
            }),
        ),
    );
    add(
        "GET /api/v1/admin/offices/{code}/staff",
        rule(SUP, ADMIN, None),
    );
    add(
        "POST /api/v1/admin/staff",
        rule(
            ADMIN,
            NONE,
            Json(|f| {
                json!({ "full_name": "Petugas Matriks", "email": format!("matriks{}@pst.test", f.unique()),
        "password": "Sandi-Matriks-2026", "role": "front_office", "office_code": OWN })
            }),
        ),
    );
    add(
        "PATCH /api/v1/admin/staff/{id}",
        rule(
            ADMIN,
            NONE,
            Json(|_| json!({ "full_name": "Petugas Cadangan Matriks" })),
        ),
    );
    add(
        "POST /api/v1/admin/staff/{id}/password-reset",
        rule(ADMIN, NONE, None),
    );
    add(
        "POST /api/v1/auth/login",
        rule(
            ALL,
            NONE,
            Json(|_| json!({ "email": "fo@pst.test", "password": DEMO_PASSWORD })),
        ),
    );
    add(
        "POST /api/v1/auth/logout",
        rule(
            ALL,
            NONE,
            Json(|_| json!({ "refresh_token": "bukan-token" })),
        ),
    );
    add(
        "POST /api/v1/auth/password-reset/confirm",
        rule(
            ALL,
            NONE,
            Json(|_| json!({ "token": "bukan-token", "new_password": "Sandi-Baru-Matriks-2026" })),
        ),
    );
    add(
        "POST /api/v1/auth/password-reset/request",
        rule(
            ALL,
            NONE,
            Json(|f| json!({ "email": format!("lupa{}@example.id", f.unique()) })),
        ),
    );
    add(
        "POST /api/v1/auth/refresh",
        rule(
            ALL,
            NONE,
            Json(|_| json!({ "refresh_token": "bukan-token" })),
        ),
    );
    add(
        "POST /api/v1/auth/register",
        rule(
            ALL,
            NONE,
            Json(|f| registration(&format!("matriks{}@example.id", f.unique()))),
        ),
    );
    add(
        "POST /api/v1/auth/verify-email",
        rule(ALL, NONE, Json(|_| json!({ "token": "bukan-token" }))),
    );
    add(
        "POST /api/v1/auth/verify-email/resend",
        rule(ALL, NONE, Json(|_| json!({ "email": "siapa@example.id" }))),
    );
    add(
        "GET /api/v1/complaints",
        rule(SIGNED, &["visitor", "admin"], None),
    );
    add(
        "POST /api/v1/complaints",
        rule(
            ALL,
            ALL,
            Json(|_| {
                json!({ "category": "layanan", "text": "Uji matriks otorisasi pengaduan.", "office_code": OWN,
        "contact_name": "Penguji", "contact_email": "penguji@example.id" })
            }),
        ),
    );
    add(
        "POST /api/v1/complaints/contact/confirm",
        rule(ALL, NONE, Json(|_| json!({ "token": "bukan-token" }))),
    );
    add("GET /api/v1/complaints/{id}", hidden(STAFF, None));
    add(
        "POST /api/v1/complaints/{id}/responses",
        hidden(
            STAFF,
            Json(|_| json!({ "text": "Tanggapan uji matriks otorisasi." })),
        ),
    );
    add(
        "POST /api/v1/complaints/{id}/status",
        hidden(STAFF, Json(|_| json!({ "status": "in_progress" }))),
    );
    add("POST /api/v1/documents/verify", rule(STAFF, NONE, Pdf));
    add("GET /api/v1/documents/verify/{code}", rule(ALL, NONE, None));
    add("GET /api/v1/me", rule(SIGNED, NONE, None));
    add(
        "PATCH /api/v1/me",
        rule(SIGNED, NONE, Json(|_| json!({ "phone": "081234567890" }))),
    );
    add("GET /api/v1/me/downloads", rule(SIGNED, NONE, None));
    add(
        "POST /api/v1/me/password",
        rule(
            SIGNED,
            NONE,
            Json(
                |_| json!({ "current_password": "bukan-sandinya-1", "new_password": "Sandi-Baru-Matriks-2026" }),
            ),
        ),
    );
    add("GET /api/v1/me/tickets", rule(SIGNED, NONE, None));
    add("POST /api/v1/me/visit-card", rule(&["visitor"], NONE, None));
    add("GET /api/v1/offices", rule(ALL, NONE, None));
    add(
        "POST /api/v1/offices/{office}/counters/{counter}/call-next",
        rule(DESK, ADMIN, None),
    );
    add(
        "GET /api/v1/offices/{office}/custody",
        rule(WATCH, ADMIN, None),
    );
    add(
        "GET /api/v1/offices/{office}/floor",
        rule(WATCH, ADMIN, None),
    );
    add(
        "GET /api/v1/offices/{office}/lockers",
        rule(WATCH, ADMIN, None),
    );
    add("GET /api/v1/offices/{office}/queue", rule(ALL, ALL, None));
    add(
        "GET /api/v1/offices/{office}/queue/stream",
        rule(ALL, ALL, None),
    );
    add(
        "GET /api/v1/offices/{office}/reports/complaints",
        rule(SUP, ADMIN, None),
    );
    add(
        "GET /api/v1/offices/{office}/reports/downloads",
        rule(&["lib", "sup", "admin"], ADMIN, None),
    );
    add(
        "GET /api/v1/offices/{office}/reports/ikm",
        rule(SUP, ADMIN, None),
    );
    add(
        "GET /api/v1/offices/{office}/reports/reading-room",
        rule(&["lib", "sup", "admin"], ADMIN, None),
    );
    add(
        "GET /api/v1/offices/{office}/reports/service-time",
        rule(SUP, ADMIN, None),
    );
    add("GET /api/v1/offices/{office}/setup", rule(ALL, ALL, None));
    add(
        "POST /api/v1/offices/{office}/tickets",
        rule(
            ALL,
            ALL,
            Json(
                |f| json!({ "service_type": "perpustakaan", "device_id": format!("matriks-{}", f.unique()) }),
            ),
        ),
    );
    add("GET /api/v1/publications", rule(ALL, NONE, None));
    add(
        "POST /api/v1/publications",
        rule(
            LIB,
            NONE,
            Json(
                |f| json!({ "office_code": OWN, "title": format!("Uji Matriks Otorisasi {}", f.unique()), "subject": "inflasi", "language": "id" }),
            ),
        ),
    );
    add("GET /api/v1/publications/export", rule(STAFF, ADMIN, None));
    add("POST /api/v1/publications/import", rule(LIB, NONE, Csv));
    add("GET /api/v1/publications/{id}", rule(ALL, NONE, None));
    add(
        "PATCH /api/v1/publications/{id}",
        rule(LIB, NONE, Json(|_| json!({ "pages": 41 }))),
    );
    add(
        "POST /api/v1/publications/{id}/document",
        rule(LIB, NONE, Pdf),
    );
    add(
        "GET /api/v1/publications/{id}/download",
        rule(SIGNED, NONE, None),
    );
    add("GET /api/v1/publications/{id}/history", hidden(STAFF, None));
    add(
        "POST /api/v1/publications/{id}/holdings",
        rule(
            LIB,
            NONE,
            Json(|_| json!({ "call_number": "310 BPS m", "copies": 1 })),
        ),
    );
    add(
        "GET /api/v1/publications/{id}/read",
        rule(SIGNED, NONE, None),
    );
    add(
        "POST /api/v1/publications/{id}/reading-room-uses",
        rule(
            &["visitor", "fo", "lib", "admin"],
            NONE,
            Json(|_| json!({ "office_code": OWN })),
        ),
    );
    add(
        "POST /api/v1/publications/{id}/withdraw",
        rule(
            LIB,
            NONE,
            Json(|_| json!({ "reason": "Uji matriks otorisasi penarikan" })),
        ),
    );
    add("GET /api/v1/skm/questionnaire", rule(ALL, NONE, None));
    add(
        "POST /api/v1/skm/responses",
        rule(
            &["anon", "visitor"],
            NONE,
            Json(|_| {
                json!({ "visit_code": "BUKANKODE1",
        "scores": { "U1": 4, "U2": 4, "U3": 4, "U4": 4, "U5": 4, "U6": 4, "U7": 4, "U8": 4, "U9": 4 },
        "profile": { "sex": "P", "age_group": "20-29", "education": "D4/S1", "occupation": "Pelajar/Mahasiswa" } })
            }),
        ),
    );
    add("GET /api/v1/tickets/{id}", rule(ALL, NONE, None));
    add(
        "POST /api/v1/tickets/{id}/finish",
        rule(DESK, NONE, Json(|_| json!({}))),
    );
    add(
        "POST /api/v1/tickets/{id}/recall",
        rule(DESK, NONE, Json(|_| json!({ "counter": "L1" }))),
    );
    add(
        "POST /api/v1/tickets/{id}/skip",
        rule(DESK, NONE, Json(|_| json!({}))),
    );
    add(
        "POST /api/v1/tickets/{id}/start",
        rule(DESK, NONE, Json(|_| json!({}))),
    );
    add(
        "POST /api/v1/tickets/{id}/transfer",
        rule(
            DESK,
            NONE,
            Json(|_| json!({ "service_type": "konsultasi" })),
        ),
    );
    add(
        "POST /api/v1/visits",
        // The guest book of a ticket: whoever holds the ticket (the kiosk is anonymous)
        // or the desk.
        rule(
            &["anon", "visitor", "fo", "admin"],
            NONE,
            Json(|f| json!({ "ticket_id": f.ticket, "guest_book": guest_book() })),
        ),
    );
    add("GET /api/v1/visits/{id}", hidden(STAFF, None));
    add(
        "PATCH /api/v1/visits/{id}",
        hidden(
            DESK,
            Json(|_| json!({ "purpose": "Uji matriks otorisasi (koreksi)" })),
        ),
    );
    add(
        "POST /api/v1/visits/{id}/checkout",
        hidden(DESK, Json(|_| json!({}))),
    );
    add(
        "POST /api/v1/visits/{id}/locker",
        hidden(
            DESK,
            Json(|_| json!({ "locker": 3, "id_type": "ktp", "id_number": "1674015505900009" })),
        ),
    );
    t
}

/// Is this answer a refusal of the caller (not a business answer such as 404 or 422)?
fn refused(status: u16, code: &str, hides: bool) -> bool {
    matches!((status, code), (401, "UNAUTHENTICATED") | (403, _)) || (hides && status == 404)
}

fn fill(path: &str, f: &Fixtures, office: &str) -> String {
    let id = |p: &str| -> String {
        if p.starts_with("/api/v1/publications/{id}/withdraw")
            || p.starts_with("/api/v1/publications/{id}/holdings")
            || p.starts_with("/api/v1/publications/{id}/document")
            || p == "/api/v1/publications/{id}"
        {
            f.scratch_publication.clone()
        } else if p.starts_with("/api/v1/publications") {
            f.publication.clone()
        } else if p.starts_with("/api/v1/complaints") {
            f.complaint.clone()
        } else if p.starts_with("/api/v1/tickets") {
            f.ticket.clone()
        } else if p.starts_with("/api/v1/visits") {
            f.visit.clone()
        } else {
            f.scratch_staff.clone()
        }
    };
    let mut out = path
        .replace("{office}", office)
        .replace(
            "{code}",
            if path.contains("/documents/verify/") {
                &f.code
            } else {
                office
            },
        )
        .replace("{counter}", "L1")
        .replace("{id}", &id(path));
    if path == "/api/v1/complaints" {
        out.push_str(&format!("?office={office}"));
    }
    if path == "/api/v1/publications/export" {
        out.push_str(&format!("?office={office}"));
    }
    if path.contains("/reports/") {
        out.push_str("?from=2026-11-01&to=2026-11-30");
    }
    out
}

async fn send(
    stack: &Stack,
    method: &str,
    url: &str,
    token: Option<&str>,
    body: Body,
    f: &Fixtures,
) -> (u16, String) {
    let m = reqwest::Method::from_bytes(method.as_bytes()).expect("method");
    let mut req = stack.http.request(m, stack.url(url));
    if let Some(t) = token {
        req = req.bearer_auth(t);
    }
    req = match body {
        Body::None => req,
        Body::Json(b) => req.json(&b(f)),
        Body::Pdf => req
            .header("content-type", "application/pdf")
            .body(b"%PDF-1.7 bukan berkas".to_vec()),
        Body::Csv => req
            .header("content-type", "text/csv")
            .body("office_code,title,subject,language\n"),
    };
    let r = req
        .send()
        .await
        .unwrap_or_else(|e| panic!("{method} {url}: {e}"));
    let status = r.status().as_u16();
    let is_stream = r
        .headers()
        .get("content-type")
        .is_some_and(|v| v.as_bytes().starts_with(b"text/event-stream"));
    let code = if is_stream {
        String::new()
    } else {
        let text = r.text().await.unwrap_or_default();
        serde_json::from_str::<Value>(&text)
            .ok()
            .and_then(|v| v["code"].as_str().map(str::to_owned))
            .unwrap_or_default()
    };
    (status, code)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_route_admits_exactly_the_roles_and_offices_in_the_table() {
    let stack = spawn_stack().await;
    // Numbers and copies many times over; this test is about who, not how many.
    let mut tokens: BTreeMap<&str, Option<String>> = BTreeMap::new();
    tokens.insert("anon", None);
    for (role, email) in [
        ("fo", "fo@pst.test"),
        ("lib", "pustakawan@pst.test"),
        ("sup", "supervisor@pst.test"),
        ("admin", "admin@pst.test"),
    ] {
        tokens.insert(role, Some(stack.token(email, DEMO_PASSWORD).await));
    }
    let visitor = stack
        .verified_visitor("matriks.pengunjung@example.id")
        .await["access_token"]
        .as_str()
        .expect("visitor token")
        .to_owned();
    tokens.insert("visitor", Some(visitor.clone()));
    let admin = tokens["admin"].clone().expect("admin");
    // The other office exists everywhere, so its answers are about who, not "not found".
    let r = stack
        .http
        .put(stack.url(&format!("/api/v1/admin/offices/{OTHER}/setup")))
        .bearer_auth(&admin)
        .json(&json!({ "name": "BPS Provinsi Sumatera Selatan", "time_zone": "Asia/Jakarta", "opens_at": "00:00", "closes_at": "23:59",
            "open_days": [1,2,3,4,5,6,7], "lockers": 5,
            "service_types": [{ "code": "perpustakaan", "prefix": "P", "name": "Perpustakaan" }],
            "counters": [{ "code": "L1", "name": "Loket 1", "service_types": ["perpustakaan"] }] }))
        .send()
        .await
        .expect("setup");
    assert_eq!(r.status(), 200, "{}", r.text().await.unwrap_or_default());
    let lib = tokens["lib"].clone().expect("lib");
    let fo = tokens["fo"].clone().expect("fo");

    // Fixtures: a public publication with a softcopy, a scratch one to change and withdraw,
    // a complaint of the office, a ticket and its visit, a scratch staff account, a code.
    let digital: Value = stack
        .get(
            &format!("/api/v1/publications?office={OWN}&has_digital=true"),
            None,
        )
        .await
        .json()
        .await
        .expect("json");
    let publication = digital["items"][0]["publication"]["id"]
        .as_str()
        .expect("publication")
        .to_owned();
    let scratch: Value = stack.post("/api/v1/publications", &json!({ "office_code": OWN, "title": "Publikasi Cadangan Matriks", "subject": "inflasi", "language": "id" }), Some(&lib)).await.json().await.expect("scratch");
    let complaints: Value = stack
        .get(
            &format!("/api/v1/complaints?office={OWN}"),
            tokens["sup"].as_deref(),
        )
        .await
        .json()
        .await
        .expect("complaints");
    let complaint = complaints["items"][0]["id"]
        .as_str()
        .expect("a demo complaint")
        .to_owned();
    let ticket: Value = stack
        .post(
            &format!("/api/v1/offices/{OWN}/tickets"),
            &json!({ "service_type": "perpustakaan", "device_id": "matriks" }),
            None,
        )
        .await
        .json()
        .await
        .expect("ticket");
    let visit_ticket: Value = stack
        .post(
            &format!("/api/v1/offices/{OWN}/tickets"),
            &json!({ "service_type": "perpustakaan", "device_id": "matriks" }),
            None,
        )
        .await
        .json()
        .await
        .expect("ticket");
    let visit: Value = stack
        .post(
            "/api/v1/visits",
            &json!({ "ticket_id": visit_ticket["id"], "guest_book": guest_book() }),
            Some(&fo),
        )
        .await
        .json()
        .await
        .expect("visit");
    let staff: Value = stack
        .post(
            "/api/v1/admin/staff",
            &json!({ "full_name": "Petugas Cadangan Matriks", "email": "cadangan.matriks@pst.test",
        "password": "Sandi-Cadangan-2026", "role": "front_office", "office_code": OWN }),
            Some(&admin),
        )
        .await
        .json()
        .await
        .expect("staff");
    let r = stack
        .get(
            &format!("/api/v1/publications/{publication}/download"),
            Some(&visitor),
        )
        .await;
    assert_eq!(r.status(), 200);
    let _ = r.bytes().await;
    let mine: Value = stack
        .get("/api/v1/me/downloads", Some(&visitor))
        .await
        .json()
        .await
        .expect("downloads");
    let f = Fixtures {
        publication,
        scratch_publication: scratch["id"].as_str().expect("id").to_owned(),
        complaint,
        ticket: ticket["id"].as_str().expect("ticket").to_owned(),
        visit: visit["id"].as_str().expect("visit").to_owned(),
        scratch_staff: staff["id"].as_str().expect("staff").to_owned(),
        code: mine["items"][0]["code"].as_str().expect("code").to_owned(),
        nonce: std::sync::atomic::AtomicU32::new(1),
    };

    let doc: Value = stack
        .get("/api/openapi.json", None)
        .await
        .json()
        .await
        .expect("openapi");
    let mut routes = BTreeSet::new();
    for (path, ops) in doc["paths"].as_object().expect("paths") {
        for method in ops.as_object().expect("ops").keys() {
            routes.insert(format!("{} {path}", method.to_uppercase()));
        }
    }
    let table = table();
    let missing: Vec<&String> = routes
        .iter()
        .filter(|r| !table.contains_key(r.as_str()))
        .collect();
    assert!(
        missing.is_empty(),
        "routes without a row in the authorization table: {missing:?}"
    );
    let stale: Vec<&&str> = table.keys().filter(|k| !routes.contains(**k)).collect();
    assert!(
        stale.is_empty(),
        "rows for routes that do not exist: {stale:?}"
    );

    // The document's `x-roles` say the same as this table (for the caller's own office).
    fn name(r: &str) -> &str {
        match r {
            "anon" => "anonymous",
            "fo" => "front_office",
            "lib" => "librarian",
            "sup" => "supervisor",
            other => other,
        }
    }
    for (route, rule) in &table {
        let (method, path) = route.split_once(' ').expect("METHOD path");
        let said: BTreeSet<String> = doc["paths"][path][method.to_lowercase()]["x-roles"]
            .as_array()
            .unwrap_or_else(|| panic!("{route}: no x-roles"))
            .iter()
            .map(|r| r.as_str().expect("role").to_owned())
            .collect();
        let here: BTreeSet<String> = rule.own.iter().map(|r| name(r).to_owned()).collect();
        assert_eq!(said, here, "{route}: x-roles in the document");
    }

    let mut wrong = Vec::new();
    let mut checked = 0;
    for (route, rule) in &table {
        let (method, path) = route.split_once(' ').expect("METHOD path");
        let has_office = (path.contains("{office}") || path.contains("{code}"))
            && !path.contains("/documents/verify/")
            || path == "/api/v1/complaints"
            || path == "/api/v1/publications/export";
        let mut variants = vec![(OWN, rule.own)];
        if has_office {
            variants.push((OTHER, rule.other));
        }
        for (office, allowed) in variants {
            let url = fill(path, &f, office);
            for role in ROLES {
                let (status, code) =
                    send(&stack, method, &url, tokens[role].as_deref(), rule.body, &f).await;
                checked += 1;
                let was_refused = refused(status, &code, rule.hides);
                let may = allowed.contains(&role);
                if may == was_refused {
                    wrong.push(format!(
                        "{route} [{}] as {role}: {} (got {status} {code})",
                        if office == OWN {
                            "own office"
                        } else {
                            "other office"
                        },
                        if may {
                            "should pass"
                        } else {
                            "should be refused"
                        }
                    ));
                }
            }
        }
    }
    eprintln!("METRIC authz_requests {checked}");
    assert!(
        wrong.is_empty(),
        "{} of {checked} answers disagree with the table:\n{}",
        wrong.len(),
        wrong.join("\n")
    );
}
