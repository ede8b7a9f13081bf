//! A full walk-in visit through the gateway, watched by a display board over SSE.

use std::time::Duration;

use futures::StreamExt as _;
use serde_json::{Value, json};

use crate::helpers::*;

/// Reads `event: board` frames from the SSE response into a channel.
fn board_events(resp: reqwest::Response) -> tokio::sync::mpsc::Receiver<Value> {
    let (tx, rx) = tokio::sync::mpsc::channel(64);
    tokio::spawn(async move {
        let mut body = resp.bytes_stream();
        let mut buf = String::new();
        while let Some(Ok(chunk)) = body.next().await {
            buf.push_str(&String::from_utf8_lossy(&chunk));
            while let Some(end) = buf.find("\n\n") {
                let frame: String = buf.drain(..end + 2).collect();
                if frame.lines().any(|l| l == "event: board")
                    && let Some(data) = frame.lines().find_map(|l| l.strip_prefix("data: "))
                    && let Ok(v) = serde_json::from_str(data)
                    && tx.send(v).await.is_err()
                {
                    return;
                }
            }
        }
    });
    rx
}

async fn next_matching(rx: &mut tokio::sync::mpsc::Receiver<Value>, what: &str) -> Value {
    tokio::time::timeout(Duration::from_secs(3), async {
        loop {
            let b = rx.recv().await.expect("stream open");
            if b["last_event"].as_str().unwrap_or_default().contains(what) {
                return b;
            }
        }
    })
    .await
    .unwrap_or_else(|_| panic!("no board event containing {what:?}"))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_walk_in_visit_from_ticket_to_checkout_with_the_board_following_live() {
    let stack = spawn_stack().await;
    let fo = stack.token("fo@pst.test", DEMO_PASSWORD).await;
    let sse = stack
        .http
        .get(stack.url("/api/v1/offices/1674/queue/stream"))
        .send()
        .await
        .expect("sse");
    assert_eq!(sse.headers()["content-type"], "text/event-stream");
    let mut boards = board_events(sse);
    let first = tokio::time::timeout(Duration::from_secs(3), boards.recv())
        .await
        .expect("first board")
        .expect("board");
    assert!(first["local_time"].as_str().expect("time").ends_with("WIB"));

    // 1. A number at the kiosk.
    let r = stack
        .post(
            "/api/v1/offices/1674/tickets",
            &json!({ "service_type": "perpustakaan", "device_id": "kiosk-depan" }),
            None,
        )
        .await;
    assert_eq!(r.status(), 201);
    let ticket: Value = r.json().await.expect("json");
    let number = ticket["number"].as_str().expect("number").to_owned();
    next_matching(&mut boards, &format!("Nomor {number} diambil")).await;

    // 2. The guest book.
    let guest = json!({ "ticket_id": ticket["id"], "guest_book": {
        "name": "Ahmad Fauzi", "sex": "L", "age_group": "30-39", "education": "D4/S1", "occupation": "Guru",
        "institution_type": "pendidikan", "institution_name": "SMAN 1 Lubuklinggau",
        "purpose": "Mencari data IPM untuk bahan ajar", "data_needed": "IPM 2020-2023" } });
    let r = stack.post("/api/v1/visits", &guest, None).await;
    assert_eq!(r.status(), 201);
    let visit: Value = r.json().await.expect("json");
    let vid = visit["id"].as_str().expect("id").to_owned();

    // 3. The ID card for a locker.
    let r = stack
        .post(
            &format!("/api/v1/visits/{vid}/locker"),
            &json!({ "locker": 5, "id_type": "ktp", "id_number": "1674020707800005" }),
            Some(&fo),
        )
        .await;
    assert_eq!(r.status(), 200);
    let held: Value = r.json().await.expect("json");
    assert_eq!(held["custody"]["id_number_masked"], "16**********0005");

    // 4. Called, served, finished — the board follows each step.
    let r = stack
        .post(
            "/api/v1/offices/1674/counters/L1/call-next",
            &json!({}),
            Some(&fo),
        )
        .await;
    let called: Value = r.json().await.expect("json");
    assert_eq!(called["ticket"]["number"], number.as_str());
    let board = next_matching(&mut boards, &format!("Nomor {number} dipanggil")).await;
    let l1 = board["counters"]
        .as_array()
        .expect("counters")
        .iter()
        .find(|c| c["counter"] == "L1")
        .expect("L1")
        .clone();
    assert_eq!(l1["number"], number.as_str());
    let tid = ticket["id"].as_str().expect("id");
    assert_eq!(
        stack
            .post(
                &format!("/api/v1/tickets/{tid}/start"),
                &json!({}),
                Some(&fo)
            )
            .await
            .status(),
        200
    );
    next_matching(&mut boards, "sedang dilayani").await;
    assert_eq!(
        stack
            .post(
                &format!("/api/v1/tickets/{tid}/finish"),
                &json!({}),
                Some(&fo)
            )
            .await
            .status(),
        200
    );
    problem(
        stack
            .post(
                &format!("/api/v1/tickets/{tid}/finish"),
                &json!({}),
                Some(&fo),
            )
            .await,
        409,
        "TICKET_ALREADY_FINISHED",
    )
    .await;

    // 5. Leaving: the card must come back before the visit ends.
    problem(
        stack
            .post(
                &format!("/api/v1/visits/{vid}/checkout"),
                &json!({}),
                Some(&fo),
            )
            .await,
        409,
        "ID_STILL_HELD",
    )
    .await;
    let r = stack
        .post(
            &format!("/api/v1/visits/{vid}/checkout"),
            &json!({ "id_returned": true }),
            Some(&fo),
        )
        .await;
    assert_eq!(r.status(), 200);
    let ended: Value = r.json().await.expect("json");
    assert!(!ended["ended_at"].as_str().expect("ended").is_empty());
    assert_eq!(ended["feedback_code"].as_str().expect("code").len(), 8);
    let custody: Value = stack
        .get("/api/v1/offices/1674/custody", Some(&fo))
        .await
        .json()
        .await
        .expect("json");
    assert_eq!(
        custody.as_array().expect("list").len(),
        0,
        "no card left in custody"
    );

    // 6. The supervisor's report counts it, as JSON and as CSV.
    let sup = stack.token("supervisor@pst.test", DEMO_PASSWORD).await;
    let today = chrono::Utc::now()
        .with_timezone(&chrono_tz::Asia::Jakarta)
        .date_naive();
    let path = format!("/api/v1/offices/1674/reports/service-time?from={today}&to={today}");
    let report: Value = stack
        .get(&path, Some(&sup))
        .await
        .json()
        .await
        .expect("json");
    assert_eq!(
        (report["visits"].as_u64(), report["served"].as_u64()),
        (Some(1), Some(1))
    );
    let csv = stack
        .http
        .get(stack.url(&path))
        .bearer_auth(&sup)
        .header("accept", "text/csv")
        .send()
        .await
        .expect("csv");
    assert!(
        csv.headers()["content-type"]
            .to_str()
            .expect("ct")
            .starts_with("text/csv")
    );
    let text = csv.text().await.expect("text");
    assert!(
        text.contains("ringkasan") && text.contains("kunjungan=1"),
        "{text}"
    );
    problem(stack.get(&path, Some(&fo)).await, 403, "FORBIDDEN").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn queue_errors_are_problem_documents_with_stable_codes() {
    let stack = spawn_stack().await;
    let fo = stack.token("fo@pst.test", DEMO_PASSWORD).await;

    problem(
        stack
            .post(
                "/api/v1/offices/9999/tickets",
                &json!({ "service_type": "perpustakaan" }),
                None,
            )
            .await,
        404,
        "OFFICE_NOT_FOUND",
    )
    .await;
    problem(
        stack
            .post(
                "/api/v1/offices/1674/tickets",
                &json!({ "service_type": "fotokopi" }),
                None,
            )
            .await,
        404,
        "SERVICE_TYPE_NOT_FOUND",
    )
    .await;
    problem(
        stack
            .post(
                "/api/v1/offices/1674/counters/L9/call-next",
                &json!({}),
                Some(&fo),
            )
            .await,
        404,
        "COUNTER_NOT_FOUND",
    )
    .await;
    problem(
        stack
            .post(
                "/api/v1/offices/1674/counters/L1/call-next",
                &json!({}),
                None,
            )
            .await,
        401,
        "UNAUTHENTICATED",
    )
    .await;
    let none: Value = stack
        .post(
            "/api/v1/offices/1674/counters/L1/call-next",
            &json!({}),
            Some(&fo),
        )
        .await
        .json()
        .await
        .expect("json");
    assert!(none["ticket"].is_null());
    assert_eq!(none["message"], "Tidak ada antrean yang menunggu.");
}

async fn signed_in_visitor(stack: &Stack, email: &str) -> String {
    let r = stack
        .post("/api/v1/auth/register", &registration(email), None)
        .await;
    assert_eq!(r.status(), 201);
    let token = stack.mailed_token(email, "verifikasi-email").expect("mail");
    let r = stack
        .post(
            "/api/v1/auth/verify-email",
            &json!({ "token": token }),
            None,
        )
        .await;
    assert_eq!(r.status(), 200);
    stack.token(email, "Baca-Publikasi-2024").await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_visitor_sees_only_their_own_tickets_live_and_pages_through_them() {
    let stack = spawn_stack().await;
    let fo = stack.token("fo@pst.test", DEMO_PASSWORD).await;
    let sari = signed_in_visitor(&stack, "sari.tiket@example.id").await;
    let budi = signed_in_visitor(&stack, "budi.tiket@example.id").await;

    problem(
        stack.get("/api/v1/me/tickets", None).await,
        401,
        "UNAUTHENTICATED",
    )
    .await;
    let take = |token: String| {
        let stack = &stack;
        async move {
            let r = stack
                .post(
                    "/api/v1/offices/1674/tickets",
                    &json!({ "service_type": "perpustakaan" }),
                    Some(&token),
                )
                .await;
            assert_eq!(r.status(), 201);
            r.json::<Value>().await.expect("json")
        }
    };
    let first = take(budi.clone()).await;
    let mine = take(sari.clone()).await;

    let list: Value = stack
        .get("/api/v1/me/tickets", Some(&sari))
        .await
        .json()
        .await
        .expect("json");
    let items = list["items"].as_array().expect("items");
    assert_eq!(items.len(), 1, "{list}");
    assert_eq!(items[0]["id"], mine["id"]);
    assert_eq!(items[0]["status"], "waiting");
    assert_eq!(items[0]["position"], 1, "one ticket (Budi's) is ahead");
    assert_eq!(list["next_cursor"], "");

    // Budi is called and served: Sari's place in line moves up, live.
    let r = stack
        .post(
            "/api/v1/offices/1674/counters/L1/call-next",
            &json!({}),
            Some(&fo),
        )
        .await;
    assert_eq!(r.status(), 200, "{}", r.text().await.unwrap_or_default());
    let list: Value = stack
        .get("/api/v1/me/tickets", Some(&sari))
        .await
        .json()
        .await
        .expect("json");
    assert_eq!(list["items"][0]["position"], 0);
    let budis: Value = stack
        .get("/api/v1/me/tickets", Some(&budi))
        .await
        .json()
        .await
        .expect("json");
    assert_eq!(budis["items"][0]["id"], first["id"]);
    assert_eq!(budis["items"][0]["status"], "called");

    // Pages of one, and a cursor that is not one.
    let page: Value = stack
        .get("/api/v1/me/tickets?limit=1", Some(&sari))
        .await
        .json()
        .await
        .expect("json");
    assert_eq!(page["items"].as_array().map(Vec::len), Some(1));
    let p = problem(
        stack
            .get("/api/v1/me/tickets?cursor=bukan", Some(&sari))
            .await,
        422,
        "VALIDATION_FAILED",
    )
    .await;
    assert_eq!(fields(&p), ["cursor"]);
}
