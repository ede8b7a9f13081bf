//! Hardening through the real gateway: access that ends at once (logout, a disabled
//! account, a changed role), softcopies that stay with their publication, registration
//! that does not tell who is registered, and bounded kiosk input.

use std::process::Command;
use std::time::{Duration, Instant};

use serde_json::{Value, json};

use crate::helpers::*;

/// Polls `check` until it is true (at most `limit`): how long access lingers is a figure,
/// printed, not a timed assertion.
async fn until<F, Fut>(what: &str, limit: Duration, mut check: F) -> Duration
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = bool>,
{
    let start = Instant::now();
    while !check().await {
        assert!(start.elapsed() < limit, "{what}: still not after {limit:?}");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let took = start.elapsed();
    eprintln!("METRIC {what}_ms {}", took.as_millis());
    took
}

fn psql(stack: &Stack, db: &str, sql: &str) {
    let prefix = stack
        .env
        .iter()
        .find(|(k, _)| k == "PST_DATABASE__PREFIX")
        .map(|(_, v)| v.clone())
        .expect("database prefix");
    let out = Command::new("psql")
        .args([
            "-h",
            "127.0.0.1",
            "-U",
            "postgres",
            "-d",
            &format!("{prefix}{db}"),
            "-qAtc",
            sql,
        ])
        .output()
        .expect("psql");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn access_ends_at_once_and_softcopies_stay_with_their_publication() {
    let stack = spawn_stack().await;

    // ---- logout: the access token stops working in identity and in the watermark service
    let t = stack.verified_visitor("keluar@example.id").await;
    let access = t["access_token"].as_str().expect("at").to_owned();
    assert_eq!(stack.get("/api/v1/me", Some(&access)).await.status(), 200);
    assert_eq!(
        stack
            .get("/api/v1/me/downloads", Some(&access))
            .await
            .status(),
        200
    );
    let r = stack
        .post(
            "/api/v1/auth/logout",
            &json!({ "refresh_token": t["refresh_token"] }),
            None,
        )
        .await;
    assert!(r.status().is_success());
    until("logout_to_refused", Duration::from_secs(10), || async {
        stack
            .get("/api/v1/me/downloads", Some(&access))
            .await
            .status()
            == 401
            && stack.get("/api/v1/me", Some(&access)).await.status() == 401
    })
    .await;
    // another session of the same user is not touched by this logout
    let other = stack.verified_visitor("dua-sesi@example.id").await;
    let second = stack
        .login("dua-sesi@example.id", "Baca-Publikasi-2024")
        .await
        .json::<Value>()
        .await
        .expect("tokens");
    stack
        .post(
            "/api/v1/auth/logout",
            &json!({ "refresh_token": second["refresh_token"] }),
            None,
        )
        .await;
    tokio::time::sleep(Duration::from_millis(1200)).await;
    assert_eq!(
        stack
            .get(
                "/api/v1/me",
                Some(other["access_token"].as_str().expect("at"))
            )
            .await
            .status(),
        200,
        "the other session lives on"
    );

    // ---- a disabled staff account and a changed role end at once, in every service
    let admin = stack.token("admin@pst.test", DEMO_PASSWORD).await;
    let r = stack
        .post(
            "/api/v1/admin/staff",
            &json!({ "full_name": "Pustakawan Sementara", "email": "sementara@pst.test",
        "password": "Sandi-Sementara-2026", "role": "librarian", "office_code": "1674" }),
            Some(&admin),
        )
        .await;
    let staff: Value = r.json().await.expect("staff");
    let lib = stack
        .token("sementara@pst.test", "Sandi-Sementara-2026")
        .await;
    let entry = json!({ "office_code": "1674", "title": "Uji Akses Berakhir", "subject": "inflasi", "language": "id" });
    assert_eq!(
        stack
            .post("/api/v1/publications", &entry, Some(&lib))
            .await
            .status(),
        201
    );
    let id = staff["id"].as_str().expect("id");
    let patch = |b: Value| {
        let (stack, admin) = (&stack, &admin);
        async move {
            stack
                .http
                .patch(stack.url(&format!("/api/v1/admin/staff/{id}")))
                .bearer_auth(admin)
                .json(&b)
                .send()
                .await
                .expect("patch")
        }
    };
    assert_eq!(patch(json!({ "role": "front_office" })).await.status(), 200);
    until(
        "role_change_to_refused",
        Duration::from_secs(10),
        || async {
            stack
                .post("/api/v1/publications", &entry, Some(&lib))
                .await
                .status()
                == 401
        },
    )
    .await;
    let fo = stack
        .token("sementara@pst.test", "Sandi-Sementara-2026")
        .await;
    assert_eq!(
        stack
            .get("/api/v1/offices/1674/floor", Some(&fo))
            .await
            .status(),
        200,
        "a new sign-in carries the new role"
    );
    assert_eq!(patch(json!({ "active": false })).await.status(), 200);
    until("disable_to_refused", Duration::from_secs(10), || async {
        stack
            .get("/api/v1/offices/1674/floor", Some(&fo))
            .await
            .status()
            == 401
    })
    .await;

    // ---- a softcopy is linked only by its upload; create / PATCH naming one are refused
    let librarian = stack.token("pustakawan@pst.test", DEMO_PASSWORD).await;
    let digital: Value = stack
        .get("/api/v1/publications?office=1674&has_digital=true", None)
        .await
        .json()
        .await
        .expect("json");
    let owner = &digital["items"][0]["publication"];
    let doc = owner["document_id"].as_str().expect("document").to_owned();
    let mut named = entry.clone();
    named["title"] = json!("Mencoba Menautkan Softcopy Lain");
    named["document_id"] = json!(doc);
    let p = problem(
        stack
            .post("/api/v1/publications", &named, Some(&librarian))
            .await,
        422,
        "VALIDATION_FAILED",
    )
    .await;
    assert_eq!(fields(&p), ["document_id"]);
    let plain: Value = stack
        .post("/api/v1/publications", &entry, Some(&librarian))
        .await
        .json()
        .await
        .expect("created");
    let pid = plain["id"].as_str().expect("id").to_owned();
    let r = stack
        .http
        .patch(stack.url(&format!("/api/v1/publications/{pid}")))
        .bearer_auth(&librarian)
        .json(&json!({ "document_id": doc }))
        .send()
        .await
        .expect("patch");
    let p = problem(r, 422, "VALIDATION_FAILED").await;
    assert_eq!(fields(&p), ["document_id"]);

    // ---- and if the catalogue's link were changed behind its back, the copy is refused
    psql(
        &stack,
        "catalogue",
        &format!("UPDATE publications SET document_id = '{doc}' WHERE id = '{pid}'"),
    );
    let reader = stack.verified_visitor("pembaca@example.id").await;
    let r = stack
        .get(
            &format!("/api/v1/publications/{pid}/download"),
            Some(reader["access_token"].as_str().expect("at")),
        )
        .await;
    problem(r, 404, "DOCUMENT_NOT_AVAILABLE").await;
    let r = stack
        .get(
            &format!(
                "/api/v1/publications/{}/download",
                owner["id"].as_str().expect("id")
            ),
            Some(reader["access_token"].as_str().expect("at")),
        )
        .await;
    assert_eq!(
        r.status(),
        200,
        "the document's own publication still serves it"
    );

    // ---- one rating per user, publication and month, however often it is downloaded
    let vt = reader["access_token"].as_str().expect("at").to_owned();
    let owner_id = owner["id"].as_str().expect("id");
    for _ in 0..2 {
        let r = stack
            .get(
                &format!("/api/v1/publications/{owner_id}/download"),
                Some(&vt),
            )
            .await;
        assert_eq!(r.status(), 200);
        let _ = r.bytes().await;
    }
    let mine: Value = stack
        .get("/api/v1/me/downloads", Some(&vt))
        .await
        .json()
        .await
        .expect("downloads");
    let ids: Vec<String> = mine["items"]
        .as_array()
        .expect("items")
        .iter()
        .filter(|d| d["kind"] == "download" && d["publication_id"] == owner_id)
        .filter_map(|d| d["id"].as_str().map(str::to_owned))
        .collect();
    assert!(ids.len() >= 2, "{mine}");
    let scores: Value = (1..=9)
        .map(|i| (format!("U{i}"), json!(4)))
        .collect::<serde_json::Map<_, _>>()
        .into();
    let rate = |id: &str| {
        json!({ "download_id": id, "scores": scores,
        "profile": { "sex": "P", "age_group": "20-29", "education": "D4/S1", "occupation": "Pelajar/Mahasiswa" } })
    };
    assert_eq!(
        stack
            .post("/api/v1/skm/responses", &rate(&ids[0]), Some(&vt))
            .await
            .status(),
        201
    );
    let p = problem(
        stack
            .post("/api/v1/skm/responses", &rate(&ids[1]), Some(&vt))
            .await,
        409,
        "ALREADY_RATED",
    )
    .await;
    assert!(
        p["detail"]
            .as_str()
            .unwrap_or_default()
            .contains("bulan ini"),
        "{p}"
    );

    // ---- a visitor records reading-room use only for their own current visit
    let rt = reader["access_token"].as_str().expect("at").to_owned();
    let mine: Value = stack
        .post(
            "/api/v1/offices/1674/tickets",
            &json!({ "service_type": "perpustakaan" }),
            Some(&rt),
        )
        .await
        .json()
        .await
        .expect("own ticket");
    let book = json!({ "name": "Pembaca", "sex": "P", "age_group": "20-29", "education": "SMA", "occupation": "Mahasiswa",
        "institution_type": "perorangan", "purpose": "Membaca publikasi" });
    let own_visit: Value = stack
        .post(
            "/api/v1/visits",
            &json!({ "ticket_id": mine["id"], "guest_book": book }),
            Some(&rt),
        )
        .await
        .json()
        .await
        .expect("own visit");
    let walk_in: Value = stack
        .post(
            "/api/v1/offices/1674/tickets",
            &json!({ "service_type": "perpustakaan", "device_id": "kios-baca" }),
            None,
        )
        .await
        .json()
        .await
        .expect("ticket");
    let someone: Value = stack
        .post(
            "/api/v1/visits",
            &json!({ "ticket_id": walk_in["id"], "guest_book": book }),
            None,
        )
        .await
        .json()
        .await
        .expect("someone's visit");
    let owner_pub = owner["id"].as_str().expect("id");
    let use_for = |visit: &Value| json!({ "office_code": "1674", "visit_id": visit["id"] });
    let r = stack
        .post(
            &format!("/api/v1/publications/{owner_pub}/reading-room-uses"),
            &use_for(&own_visit),
            Some(&rt),
        )
        .await;
    assert_eq!(r.status(), 201, "{}", r.text().await.unwrap_or_default());
    problem(
        stack
            .post(
                &format!("/api/v1/publications/{owner_pub}/reading-room-uses"),
                &use_for(&someone),
                Some(&rt),
            )
            .await,
        403,
        "NOT_YOUR_VISIT",
    )
    .await;

    // ---- an anonymous complaint's address gets answers only once its owner confirms it
    let anon = json!({ "category": "layanan", "office_code": "1674", "text": "Antrean di loket terlalu lama pagi ini.",
        "contact_name": "Warga", "contact_email": "warga.kontak@example.id" });
    let filed: Value = stack
        .post("/api/v1/complaints", &anon, None)
        .await
        .json()
        .await
        .expect("filed");
    let cid = filed["id"].as_str().expect("id").to_owned();
    let confirm = stack
        .mailed_token("warga.kontak@example.id", "pengaduan/konfirmasi")
        .expect("a confirmation link is mailed to the address given");
    let sup = stack.token("supervisor@pst.test", DEMO_PASSWORD).await;
    let answers_mailed = || {
        std::fs::read_dir(&stack.outbox)
            .map(|d| {
                d.filter_map(|e| std::fs::read_to_string(e.ok()?.path()).ok())
                    .filter(|m| {
                        m.contains("warga.kontak@example.id")
                            && m.contains("Tanggapan atas pengaduan")
                    })
                    .count()
            })
            .unwrap_or(0)
    };
    let answer = |text: &str| json!({ "text": text });
    assert_eq!(
        stack
            .post(
                &format!("/api/v1/complaints/{cid}/responses"),
                &answer("Sedang kami periksa, terima kasih."),
                Some(&sup)
            )
            .await
            .status(),
        200
    );
    assert_eq!(
        answers_mailed(),
        0,
        "nothing is mailed to an address no one confirmed"
    );
    let r = stack
        .post(
            "/api/v1/complaints/contact/confirm",
            &json!({ "token": confirm }),
            None,
        )
        .await;
    assert_eq!(r.status(), 200);
    problem(
        stack
            .post(
                "/api/v1/complaints/contact/confirm",
                &json!({ "token": confirm }),
                None,
            )
            .await,
        409,
        "TOKEN_INVALID_OR_EXPIRED",
    )
    .await;
    assert_eq!(
        stack
            .post(
                &format!("/api/v1/complaints/{cid}/responses"),
                &answer("Antrean pagi kini dibuka dua loket."),
                Some(&sup)
            )
            .await
            .status(),
        200
    );
    assert_eq!(
        answers_mailed(),
        1,
        "after the confirmation the answer is mailed"
    );

    // ---- the kiosk's device name is bounded before it reaches Redis or Postgres
    let long = "k".repeat(200);
    let r = stack
        .post(
            "/api/v1/offices/1674/tickets",
            &json!({ "service_type": "perpustakaan", "device_id": long }),
            None,
        )
        .await;
    let p = problem(r, 422, "VALIDATION_FAILED").await;
    assert_eq!(fields(&p), ["device_id"]);

    // ---- audit rows name staff by id, not by e-mail
    let audit: Value = stack
        .get(
            "/api/v1/admin/offices/1674/audit?action=staff.create",
            Some(&admin),
        )
        .await
        .json()
        .await
        .expect("audit");
    let text = audit.to_string();
    assert!(
        text.contains("staff.create") && !text.contains("sementara@pst.test"),
        "{text}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn live_streams_are_bounded_per_client_address() {
    let stack = spawn_stack().await;
    let (_gw, base) = stack
        .extra_gateway(&[("PST_GATEWAY__STREAMS_PER_CLIENT", "3")])
        .await;
    let open = || async {
        stack
            .http
            .get(format!("{base}/api/v1/offices/1674/queue/stream"))
            .send()
            .await
            .expect("stream")
    };
    let mut held = Vec::new();
    for _ in 0..3 {
        let r = open().await;
        assert_eq!(r.status(), 200);
        held.push(r);
    }
    let p = problem(open().await, 429, "TOO_MANY_STREAMS").await;
    assert!(
        p["detail"]
            .as_str()
            .unwrap_or_default()
            .contains("Terlalu banyak")
    );
    drop(held.pop());
    // The gateway notices the closed connection when it next writes (a board update or the
    // keep-alive); until then the place is still taken.
    let start = std::time::Instant::now();
    loop {
        let r = open().await;
        if r.status() == 200 {
            break;
        }
        assert!(
            start.elapsed() < Duration::from_secs(40),
            "a closed stream never freed its place"
        );
        tokio::time::sleep(Duration::from_millis(250)).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_lost_original_is_data_loss_and_the_demo_writes_its_files_again() {
    let stack = spawn_stack().await;
    let storage = std::path::PathBuf::from(
        stack
            .env
            .iter()
            .find(|(k, _)| k == "PST_WATERMARK__STORAGE_DIR")
            .map(|(_, v)| v.clone())
            .expect("storage dir"),
    )
    .join("documents");
    let files = || -> Vec<std::path::PathBuf> {
        std::fs::read_dir(&storage)
            .map(|d| d.filter_map(|e| e.ok().map(|e| e.path())).collect())
            .unwrap_or_default()
    };
    let before = files().len();
    assert!(before >= 3, "the demo softcopies are stored: {before}");
    for f in files() {
        std::fs::remove_file(f).expect("remove");
    }
    let reader = stack.verified_visitor("hilang@example.id").await;
    let vt = reader["access_token"].as_str().expect("at").to_owned();
    let digital: Value = stack
        .get("/api/v1/publications?office=1674&has_digital=true", None)
        .await
        .json()
        .await
        .expect("json");
    let pid = digital["items"][0]["publication"]["id"]
        .as_str()
        .expect("id")
        .to_owned();
    let p = problem(
        stack
            .get(&format!("/api/v1/publications/{pid}/download"), Some(&vt))
            .await,
        500,
        "DOCUMENT_FILE_MISSING",
    )
    .await;
    assert!(
        p["detail"].as_str().unwrap_or_default().contains("hilang"),
        "{p}"
    );

    // Another start with the demo (a second checkout against the same databases) writes
    // the demo files again.
    let mut env = stack.env.clone();
    env.push(("PST_DEMO".into(), "true".into()));
    let again = spawn_pst(&["watermark"], &env);
    tokio::task::block_in_place(|| again.wait_ready(&["watermark"]));
    // The uploads are written again at start; a base is made from its upload at the
    // first copy.
    assert_eq!(files().len(), before / 2, "the demo softcopies are back");
    let r = stack
        .get(&format!("/api/v1/publications/{pid}/download"), Some(&vt))
        .await;
    assert_eq!(r.status(), 200);
    assert_eq!(files().len(), before / 2 + 1, "the copy's base is back");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_refused_upload_is_answered_not_cut_off() {
    let stack = spawn_stack().await;
    let lib = stack.token("pustakawan@pst.test", DEMO_PASSWORD).await;
    let digital: Value = stack
        .get("/api/v1/publications?office=1674&has_digital=true", None)
        .await
        .json()
        .await
        .expect("json");
    let pid = digital["items"][0]["publication"]["id"]
        .as_str()
        .expect("id")
        .to_owned();
    let body = vec![b'x'; 6 * 1024 * 1024];
    // Refused on its headers (wrong type), and refused by the service on its first message
    // (no sign-in): each time the client reads the answer, not a broken pipe.
    for (ct, token, status) in [
        ("text/plain", Some(lib.as_str()), 415),
        ("application/pdf", None, 401),
    ] {
        let mut req = stack
            .http
            .post(stack.url(&format!("/api/v1/publications/{pid}/document")))
            .header("content-type", ct)
            .body(body.clone());
        if let Some(t) = token {
            req = req.bearer_auth(t);
        }
        let r = req
            .send()
            .await
            .unwrap_or_else(|e| panic!("{ct}: the answer was lost: {e:?}"));
        assert_eq!(r.status().as_u16(), status, "{ct}");
        let text = r.text().await.expect("problem");
        assert!(text.contains("\"code\""), "{text}");
    }
}

/// A NUL character in any JSON text is refused at the gateway with 422 (Postgres cannot
/// store it: a complaint or a login with one answered 500 before), and a body that is not
/// declared JSON is 415.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn nul_characters_and_undeclared_bodies_are_refused_in_words() {
    let stack = spawn_stack().await;
    for (path, body) in [
        (
            "/api/v1/complaints",
            r#"{"category":"fasilitas","text":"Kursi rusak\u0000 di ruang baca","office_code":"1674"}"#,
        ),
        (
            "/api/v1/auth/login",
            r#"{"email":"a\u0000@example.id","password":"x"}"#,
        ),
    ] {
        let r = stack
            .http
            .post(stack.url(path))
            .header("content-type", "application/json")
            .body(body)
            .send()
            .await
            .expect("send");
        problem(r, 422, "INVALID_CHARACTER").await;
    }
    let r = stack
        .http
        .post(stack.url("/api/v1/auth/login"))
        .header("content-type", "text/plain")
        .body(r#"{"email":"a@example.id","password":"x"}"#)
        .send()
        .await
        .expect("send");
    problem(r, 415, "UNSUPPORTED_MEDIA_TYPE").await;
}
