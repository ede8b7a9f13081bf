//! Rating and complaining through the gateway: a walk-in visit rated with its checkout code
//! shows in the IKM; a complaint answered by staff reaches the complainant in the app and by
//! mail.

use serde_json::{Value, json};

use crate::helpers::*;

async fn walk_in_to_checkout(stack: &Stack, fo: &str) -> Value {
    let ticket: Value = stack
        .post(
            "/api/v1/offices/1674/tickets",
            &json!({ "service_type": "perpustakaan" }),
            None,
        )
        .await
        .json()
        .await
        .expect("ticket");
    let guest = json!({ "ticket_id": ticket["id"], "guest_book": {
        "name": "Lina Marlina", "sex": "P", "age_group": "20-29", "education": "D4/S1", "occupation": "Mahasiswa",
        "purpose": "Mencari publikasi Statistik Daerah" } });
    let visit: Value = stack
        .post("/api/v1/visits", &guest, None)
        .await
        .json()
        .await
        .expect("visit");
    let tid = ticket["id"].as_str().expect("id");
    stack
        .post(
            "/api/v1/offices/1674/counters/L2/call-next",
            &json!({}),
            Some(fo),
        )
        .await;
    stack
        .post(
            &format!("/api/v1/tickets/{tid}/start"),
            &json!({}),
            Some(fo),
        )
        .await;
    stack
        .post(
            &format!("/api/v1/tickets/{tid}/finish"),
            &json!({}),
            Some(fo),
        )
        .await;
    let vid = visit["id"].as_str().expect("id");
    let r = stack
        .post(
            &format!("/api/v1/visits/{vid}/checkout"),
            &json!({}),
            Some(fo),
        )
        .await;
    assert_eq!(r.status(), 200);
    r.json().await.expect("ended")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_checked_out_walk_in_rates_the_visit_and_the_ikm_report_shows_it() {
    let stack = spawn_stack().await;
    let fo = stack.token("fo@pst.test", DEMO_PASSWORD).await;
    let ended = walk_in_to_checkout(&stack, &fo).await;
    let q: Value = stack
        .get("/api/v1/skm/questionnaire", None)
        .await
        .json()
        .await
        .expect("questionnaire");
    assert_eq!(q["elements"].as_array().expect("elements").len(), 9);

    let scores: serde_json::Map<String, Value> = (1..=9)
        .map(|i| (format!("U{i}"), json!(if i == 4 { 4 } else { 3 })))
        .collect();
    let body = json!({ "visit_id": ended["id"], "visit_code": ended["feedback_code"], "scores": scores,
        "profile": { "sex": "P", "age_group": "20-29", "education": "D4/S1", "occupation": "Pelajar/Mahasiswa" } });
    let r = stack.post("/api/v1/skm/responses", &body, None).await;
    assert_eq!(r.status(), 201);
    problem(
        stack.post("/api/v1/skm/responses", &body, None).await,
        409,
        "ALREADY_RATED",
    )
    .await;
    // Staff do not rate their own service, not even with the visitor's code.
    problem(
        stack.post("/api/v1/skm/responses", &body, Some(&fo)).await,
        403,
        "FORBIDDEN",
    )
    .await;
    let mut bad = body.clone();
    bad["scores"]["U2"] = json!(7);
    let p = problem(
        stack.post("/api/v1/skm/responses", &bad, None).await,
        422,
        "VALIDATION_FAILED",
    )
    .await;
    assert_eq!(fields(&p), ["scores.U2"]);

    let sup = stack.token("supervisor@pst.test", DEMO_PASSWORD).await;
    let today = chrono::Utc::now()
        .with_timezone(&chrono_tz::Asia::Jakarta)
        .date_naive();
    let ikm: Value = stack
        .get(
            &format!("/api/v1/offices/1674/reports/ikm?from={today}&to={today}"),
            Some(&sup),
        )
        .await
        .json()
        .await
        .expect("ikm");
    assert_eq!(ikm["respondents"], 1);
    // Eight 3s and one 4: Σ NRR = 28 → 28/9 × 25 = 77.78 → B (baik).
    assert_eq!(ikm["converted"], 77.78);
    assert_eq!(ikm["grade"], "B");
    let csv = stack
        .http
        .get(stack.url(&format!(
            "/api/v1/offices/1674/reports/ikm?from={today}&to={today}"
        )))
        .bearer_auth(&sup)
        .header("accept", "text/csv")
        .send()
        .await
        .expect("csv");
    assert!(csv.text().await.expect("text").contains("77.78"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_complaint_is_answered_by_staff_and_the_complainant_sees_it_and_gets_mail() {
    let stack = spawn_stack().await;
    let visitor_email = "keluhan@example.id";
    assert_eq!(
        stack
            .post("/api/v1/auth/register", &registration(visitor_email), None)
            .await
            .status(),
        201
    );
    let token = stack
        .mailed_token(visitor_email, "verifikasi-email")
        .expect("mail");
    stack
        .post(
            "/api/v1/auth/verify-email",
            &json!({ "token": token }),
            None,
        )
        .await;
    let me = stack.token(visitor_email, "Baca-Publikasi-2024").await;

    let r = stack
        .post("/api/v1/complaints", &json!({ "category": "layanan", "office_code": "1674", "text": "Publikasi Statistik Daerah 2024 belum ada di rak baca." }), Some(&me))
        .await;
    assert_eq!(r.status(), 201);
    let filed: Value = r.json().await.expect("json");
    assert_eq!(
        filed["contact_email"], visitor_email,
        "taken from the account"
    );
    let id = filed["id"].as_str().expect("id");

    let staff = stack.token("pustakawan@pst.test", DEMO_PASSWORD).await;
    let r = stack
        .post(
            &format!("/api/v1/complaints/{id}/responses"),
            &json!({ "text": "Publikasi sudah kami letakkan di rak B2. Terima kasih." }),
            Some(&staff),
        )
        .await;
    assert_eq!(r.status(), 200);

    let seen: Value = stack
        .get(&format!("/api/v1/complaints/{id}"), Some(&me))
        .await
        .json()
        .await
        .expect("json");
    assert_eq!(seen["status"], "answered");
    assert_eq!(
        seen["messages"][0]["text"],
        "Publikasi sudah kami letakkan di rak B2. Terima kasih."
    );
    let mails: Vec<String> = std::fs::read_dir(&stack.outbox)
        .expect("outbox")
        .map(|e| std::fs::read_to_string(e.expect("f").path()).expect("eml"))
        .collect();
    assert!(
        mails
            .iter()
            .any(|m| m.contains(&format!("To: {visitor_email}"))
                && m.contains("Tanggapan atas pengaduan"))
    );
    problem(
        stack
            .post(
                &format!("/api/v1/complaints/{id}/status"),
                &json!({ "status": "in_progress" }),
                Some(&me),
            )
            .await,
        409,
        "ILLEGAL_STATUS_CHANGE",
    )
    .await;
    let list: Value = stack
        .get("/api/v1/complaints", Some(&me))
        .await
        .json()
        .await
        .expect("json");
    assert_eq!(list["items"].as_array().expect("items").len(), 1);
    let p = problem(
        stack
            .post(
                "/api/v1/complaints",
                &json!({ "category": "layanan", "office_code": "1674", "text": "" }),
                Some(&me),
            )
            .await,
        422,
        "VALIDATION_FAILED",
    )
    .await;
    assert_eq!(fields(&p), ["text"]);
}
