//! The back office's rules through the real gateway, one stack: who sees staff-only
//! entries, edits that would undo each other, the import preview and its limits, report
//! periods, the floor, the download report, office setup, staff password reset, the audit
//! trail's filters, and a complaint answered twice at once.

use serde_json::{Value, json};

use crate::helpers::*;

async fn body(r: reqwest::Response, status: u16) -> Value {
    let s = r.status().as_u16();
    let text = r.text().await.unwrap_or_default();
    assert_eq!(s, status, "{text}");
    serde_json::from_str(&text).unwrap_or(Value::Null)
}

async fn put(stack: &Stack, path: &str, b: &Value, token: &str) -> reqwest::Response {
    stack
        .http
        .put(stack.url(path))
        .bearer_auth(token)
        .json(b)
        .send()
        .await
        .expect("put")
}

fn setup(name: &str, closes: &str) -> Value {
    json!({
        "name": name, "time_zone": "Asia/Makassar", "opens_at": "08:00", "closes_at": closes,
        "open_days": [1, 2, 3, 4, 5], "holidays": ["2027-01-01"], "lockers": 6,
        "service_types": [{ "code": "perpustakaan", "prefix": "P", "name": "Perpustakaan" }],
        "counters": [
            { "code": "L1", "name": "Loket 1", "service_types": ["perpustakaan"] },
            { "code": "L2", "name": "Loket 2", "service_types": ["perpustakaan"] }
        ]
    })
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_back_office_rules_hold_through_the_gateway() {
    let stack = spawn_stack().await;
    let admin = stack.token("admin@pst.test", DEMO_PASSWORD).await;
    let lib = stack.token("pustakawan@pst.test", DEMO_PASSWORD).await;
    let sup = stack.token("supervisor@pst.test", DEMO_PASSWORD).await;

    // ---- an office set up in one call; a bad setup changes nothing
    let r = put(
        &stack,
        "/api/v1/admin/offices/7371/setup",
        &setup("BPS Kota Makassar", "07:00"),
        &admin,
    )
    .await;
    let p = problem(r, 422, "VALIDATION_FAILED").await;
    assert!(fields(&p).contains(&"closes_at".to_owned()), "{p}");
    assert_eq!(
        stack.get("/api/v1/offices/7371/setup", None).await.status(),
        404
    );
    let r = put(
        &stack,
        "/api/v1/admin/offices/7371/setup",
        &setup("BPS Kota Makassar", "15:30"),
        &admin,
    )
    .await;
    let s = body(r, 200).await;
    assert_eq!(s["counters"].as_array().map(Vec::len), Some(2));
    assert_eq!(s["holidays"], json!(["2027-01-01"]));
    let offices = body(stack.get("/api/v1/offices", None).await, 200).await;
    assert!(
        offices
            .as_array()
            .expect("list")
            .iter()
            .any(|o| o["code"] == "7371" && o["time_zone"] == "Asia/Makassar")
    );
    let r = put(
        &stack,
        "/api/v1/admin/offices/7371/setup",
        &setup("BPS Kota Makassar", "15:30"),
        &lib,
    )
    .await;
    problem(r, 403, "FORBIDDEN").await;

    // ---- a librarian of another office sees no staff-only entry of 1674
    let r = stack
        .post(
            "/api/v1/admin/staff",
            &json!({ "full_name": "Pustakawan Makassar", "email": "lib7371@pst.test",
            "password": "Sandi-Makassar-2026", "role": "librarian", "office_code": "7371" }),
            Some(&admin),
        )
        .await;
    let other = body(r, 201).await;
    let lib7371 = stack.token("lib7371@pst.test", "Sandi-Makassar-2026").await;
    let secret = body(
        stack
            .post("/api/v1/publications", &json!({ "office_code": "1674", "title": "Draf Internal Statistik Rahasia Lubuklinggau",
                "subject": "kependudukan", "language": "id", "year_to": 2026, "access_level": "staff" }), Some(&lib))
            .await,
        201,
    )
    .await;
    let sid = secret["id"].as_str().expect("id").to_owned();
    let found = |v: &Value| {
        v["items"]
            .as_array()
            .expect("items")
            .iter()
            .any(|h| h["publication"]["id"] == sid.as_str())
    };
    let mine = body(
        stack
            .get("/api/v1/publications?q=draf+internal+rahasia", Some(&lib))
            .await,
        200,
    )
    .await;
    assert!(
        found(&mine),
        "the office's own librarian finds its staff-only entry"
    );
    let theirs = body(
        stack
            .get(
                "/api/v1/publications?q=draf+internal+rahasia",
                Some(&lib7371),
            )
            .await,
        200,
    )
    .await;
    assert!(
        !found(&theirs),
        "another office's librarian does not: {theirs}"
    );
    problem(
        stack
            .get(&format!("/api/v1/publications/{sid}"), Some(&lib7371))
            .await,
        404,
        "PUBLICATION_NOT_FOUND",
    )
    .await;
    problem(
        stack
            .get(
                &format!("/api/v1/publications/{sid}/history"),
                Some(&lib7371),
            )
            .await,
        404,
        "PUBLICATION_NOT_FOUND",
    )
    .await;
    let _ = other;

    // ---- two edits from the same version: the later one is refused and changes nothing
    let v1 = secret["updated_at"]
        .as_str()
        .expect("updated_at")
        .to_owned();
    let patch = |title: &str| json!({ "title": title });
    let send = |b: Value, version: String| {
        let (stack, lib, sid) = (&stack, &lib, &sid);
        async move {
            stack
                .http
                .patch(stack.url(&format!("/api/v1/publications/{sid}")))
                .bearer_auth(lib)
                .header("if-match", format!("\"{version}\""))
                .json(&b)
                .send()
                .await
                .expect("patch")
        }
    };
    body(
        send(
            patch("Draf Internal Statistik Rahasia Lubuklinggau Revisi"),
            v1.clone(),
        )
        .await,
        200,
    )
    .await;
    problem(
        send(json!({ "pages": 12 }), v1).await,
        409,
        "PUBLICATION_CHANGED",
    )
    .await;
    let now = body(
        stack
            .get(&format!("/api/v1/publications/{sid}"), Some(&lib))
            .await,
        200,
    )
    .await;
    assert_eq!(
        now["title"],
        "Draf Internal Statistik Rahasia Lubuklinggau Revisi"
    );
    assert_eq!(now["pages"], 0, "the refused edit left nothing");
    let hist = body(
        stack
            .get(&format!("/api/v1/publications/{sid}/history"), Some(&lib))
            .await,
        200,
    )
    .await;
    assert_eq!(hist["items"][0]["action"], "update");
    assert_eq!(hist["items"][0]["changed"], json!(["title"]));

    // ---- import: the preview imports nothing; 10,001 rows are refused whole
    let csv = "office_code,title,subject,language\n1674,Pratinjau Saja Tidak Diimpor,inflasi,id\n1674,Baris Salah,astrologi,id\n";
    let r = stack
        .post_csv("/api/v1/publications/import?dry_run=true", csv, &lib)
        .await;
    let v = body(r, 200).await;
    assert_eq!(
        (v["imported"].as_u64(), v["dry_run"].as_bool()),
        (Some(1), Some(true)),
        "{v}"
    );
    assert_eq!(v["errors"][0]["field"], "rows[2].subject");
    let none = body(
        stack
            .get(
                "/api/v1/publications?q=pratinjau+saja+tidak+diimpor&office=1674",
                Some(&lib),
            )
            .await,
        200,
    )
    .await;
    assert_eq!(
        none["items"].as_array().map(Vec::len),
        Some(0),
        "a preview imports nothing"
    );
    let mut big = String::from("office_code,title,subject,language\n");
    for i in 0..10_001 {
        big.push_str(&format!("1674,Judul Uji {i},inflasi,id\n"));
    }
    let r = stack
        .post_csv("/api/v1/publications/import", big, &lib)
        .await;
    let p = problem(r, 422, "VALIDATION_FAILED").await;
    assert!(p.to_string().contains("10000"), "{p}");
    let latin1 = b"office_code,title,subject,language\n1674,Kependudukan Kecamatan Lubuklinggau Sel\xe9tan,kependudukan,id\n".to_vec();
    let r = stack
        .post_csv("/api/v1/publications/import", latin1, &lib)
        .await;
    let p = problem(r, 422, "VALIDATION_FAILED").await;
    assert!(p.to_string().contains("UTF-8"), "{p}");

    // ---- reports: a ten-year period is refused by name; the month has days and tallies
    let r = stack
        .get(
            "/api/v1/offices/1674/reports/service-time?from=2016-01-01&to=2025-12-31",
            Some(&sup),
        )
        .await;
    let p = problem(r, 422, "VALIDATION_FAILED").await;
    assert!(fields(&p).contains(&"to".to_owned()));
    let today = chrono::Utc::now()
        .with_timezone(&chrono_tz::Asia::Jakarta)
        .date_naive();
    let from = today - chrono::Duration::days(30);
    let rep = body(
        stack
            .get(
                &format!("/api/v1/offices/1674/reports/service-time?from={from}&to={today}"),
                Some(&sup),
            )
            .await,
        200,
    )
    .await;
    let days = rep["days"].as_array().expect("days");
    assert!(
        days.len() >= 15,
        "the demo month has visits on working days: {}",
        days.len()
    );
    let visits: u64 = days.iter().map(|d| d["visits"].as_u64().unwrap_or(0)).sum();
    assert_eq!(
        Some(visits),
        rep["visits"].as_u64(),
        "the days add up to the period"
    );
    let waits: u64 = rep["wait_minutes"]
        .as_array()
        .expect("waits")
        .iter()
        .map(|w| w["count"].as_u64().unwrap_or(0))
        .sum();
    assert_eq!(
        Some(waits),
        rep["served"].as_u64(),
        "every served visit is in one wait bucket"
    );
    let by_sex: u64 = rep["by_sex"]
        .as_array()
        .expect("sex")
        .iter()
        .map(|w| w["count"].as_u64().unwrap_or(0))
        .sum();
    assert_eq!(Some(by_sex), rep["visits"].as_u64());
    problem(
        stack
            .get(
                &format!("/api/v1/offices/1674/reports/downloads?from={from}&to={today}"),
                Some(&lib7371),
            )
            .await,
        403,
        "FORBIDDEN",
    )
    .await;

    // ---- the floor follows a ticket; only office staff see it
    let floor = |t: String| {
        let stack = &stack;
        async move { body(stack.get("/api/v1/offices/1674/floor", Some(&t)).await, 200).await }
    };
    let before = floor(sup.clone()).await;
    body(
        stack
            .post(
                "/api/v1/offices/1674/tickets",
                &json!({ "service_type": "perpustakaan", "device_id": "uji-lantai" }),
                None,
            )
            .await,
        201,
    )
    .await;
    let after = floor(sup.clone()).await;
    assert_eq!(
        after["waiting"].as_u64(),
        before["waiting"].as_u64().map(|n| n + 1)
    );
    problem(
        stack
            .get("/api/v1/offices/1674/floor", Some(&lib7371))
            .await,
        403,
        "FORBIDDEN",
    )
    .await;
    problem(
        stack.get("/api/v1/offices/1674/floor", None).await,
        401,
        "UNAUTHENTICATED",
    )
    .await;

    // ---- a download counts in the office's download report
    let visitor = "rina.anggraini@example.id";
    let vt = stack.verified_visitor(visitor).await["access_token"]
        .as_str()
        .expect("visitor token")
        .to_owned();
    let digital = body(
        stack
            .get("/api/v1/publications?office=1674&has_digital=true", None)
            .await,
        200,
    )
    .await;
    let pid = digital["items"][0]["publication"]["id"]
        .as_str()
        .expect("digital")
        .to_owned();
    let r = stack
        .get(&format!("/api/v1/publications/{pid}/download"), Some(&vt))
        .await;
    assert_eq!(r.status(), 200);
    let _ = r.bytes().await;
    let dl = body(
        stack
            .get(
                &format!("/api/v1/offices/1674/reports/downloads?from={today}&to={today}"),
                Some(&sup),
            )
            .await,
        200,
    )
    .await;
    assert!(
        dl["publications"]
            .as_array()
            .expect("list")
            .iter()
            .any(|p| p["publication_id"] == pid.as_str() && p["downloads"].as_u64() >= Some(1)),
        "{dl}"
    );

    // ---- a complaint answered twice at once: the second is refused, the thread has one
    let list = body(
        stack
            .get(
                "/api/v1/complaints?office=1674&status=in_progress",
                Some(&sup),
            )
            .await,
        200,
    )
    .await;
    let cid = list["items"][0]["id"]
        .as_str()
        .expect("a demo complaint in progress")
        .to_owned();
    let seen = list["items"][0]["messages"].as_array().map_or(0, Vec::len);
    let c = body(
        stack
            .get(&format!("/api/v1/complaints/{cid}"), Some(&sup))
            .await,
        200,
    )
    .await;
    let seen = c["messages"].as_array().map_or(seen, Vec::len);
    let answer = |text: &str| json!({ "text": text, "expected_messages": seen });
    body(
        stack
            .post(
                &format!("/api/v1/complaints/{cid}/responses"),
                &answer("Data sudah kami kirim lewat e-mail."),
                Some(&sup),
            )
            .await,
        200,
    )
    .await;
    problem(
        stack
            .post(
                &format!("/api/v1/complaints/{cid}/responses"),
                &answer("Jawaban kedua."),
                Some(&admin),
            )
            .await,
        409,
        "COMPLAINT_THREAD_CHANGED",
    )
    .await;
    let c = body(
        stack
            .get(&format!("/api/v1/complaints/{cid}"), Some(&sup))
            .await,
        200,
    )
    .await;
    assert_eq!(c["messages"].as_array().map(Vec::len), Some(seen + 1));
    let due = body(
        stack
            .get(
                &format!("/api/v1/complaints?office=1674&due_by={today}"),
                Some(&sup),
            )
            .await,
        200,
    )
    .await;
    assert!(
        due["items"]
            .as_array()
            .expect("items")
            .iter()
            .all(|c| c["status"] != "closed" && c["status"] != "answered")
    );
    problem(
        stack
            .get("/api/v1/complaints?office=1674&due_by=besok", Some(&sup))
            .await,
        422,
        "VALIDATION_FAILED",
    )
    .await;

    // ---- a staff password reset mails a link and ends the staff member's session
    let refresh = body(
        stack.login("lib7371@pst.test", "Sandi-Makassar-2026").await,
        200,
    )
    .await["refresh_token"]
        .as_str()
        .expect("rt")
        .to_owned();
    let id = body(
        stack
            .get("/api/v1/admin/offices/7371/staff", Some(&admin))
            .await,
        200,
    )
    .await["items"][0]["id"]
        .as_str()
        .expect("id")
        .to_owned();
    let m = body(
        stack
            .post(
                &format!("/api/v1/admin/staff/{id}/password-reset"),
                &json!({}),
                Some(&admin),
            )
            .await,
        200,
    )
    .await;
    assert!(
        m["message"]
            .as_str()
            .unwrap_or_default()
            .contains("lib7371@pst.test")
    );
    assert!(
        stack
            .mailed_token("lib7371@pst.test", "atur-ulang-sandi")
            .is_some(),
        "the reset link is mailed"
    );
    problem(
        stack
            .post(
                "/api/v1/auth/refresh",
                &json!({ "refresh_token": refresh }),
                None,
            )
            .await,
        401,
        "REFRESH_TOKEN_INVALID",
    )
    .await;
    problem(
        stack
            .post(
                &format!("/api/v1/admin/staff/{id}/password-reset"),
                &json!({}),
                Some(&sup),
            )
            .await,
        403,
        "FORBIDDEN",
    )
    .await;

    // ---- the audit trail: filtered by action, by office, and only for the allowed
    let a = body(
        stack
            .get(
                "/api/v1/admin/offices/7371/audit?action=staff.",
                Some(&admin),
            )
            .await,
        200,
    )
    .await;
    let actions: Vec<&str> = a["items"]
        .as_array()
        .expect("items")
        .iter()
        .filter_map(|e| e["action"].as_str())
        .collect();
    assert!(
        actions.contains(&"staff.create") && actions.contains(&"staff.reset_password"),
        "{actions:?}"
    );
    assert!(actions.iter().all(|x| x.starts_with("staff.")));
    let all = body(
        stack
            .get("/api/v1/admin/audit?action=office.", Some(&admin))
            .await,
        200,
    )
    .await;
    assert!(
        all["items"]
            .as_array()
            .expect("items")
            .iter()
            .any(|e| e["office_code"] == "7371")
    );
    problem(
        stack.get("/api/v1/admin/audit", Some(&sup)).await,
        403,
        "FORBIDDEN",
    )
    .await;
    problem(
        stack
            .get(
                "/api/v1/admin/offices/1674/audit?action=DROP%20TABLE",
                Some(&admin),
            )
            .await,
        422,
        "VALIDATION_FAILED",
    )
    .await;
}
