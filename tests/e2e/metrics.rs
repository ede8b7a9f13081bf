//! Prometheus metrics: after a visit (a number, the guest book, a call, service started
//! past the promise), a search and a download, the counters on `/metrics` moved — scraped
//! before and after from the process's metrics port.

use std::collections::HashMap;

use serde_json::{Value, json};

use crate::helpers::*;

/// Every sample of the exposition: series (name with labels) → value.
fn samples(text: &str) -> HashMap<String, f64> {
    text.lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        .filter_map(|l| {
            let (k, v) = l.rsplit_once(' ')?;
            Some((k.to_owned(), v.parse().ok()?))
        })
        .collect()
}

/// The sum of the samples of `name` whose labels contain every one of `labels`.
fn sum(s: &HashMap<String, f64>, name: &str, labels: &[&str]) -> f64 {
    s.iter()
        .filter(|(k, _)| {
            (k.as_str() == name || k.starts_with(&format!("{name}{{")))
                && labels.iter().all(|l| k.contains(l))
        })
        .map(|(_, v)| v)
        .sum()
}

async fn scrape(http: &reqwest::Client, addr: &str) -> HashMap<String, f64> {
    let r = http
        .get(format!("http://{addr}/metrics"))
        .send()
        .await
        .expect("scrape");
    assert_eq!(r.status(), 200);
    samples(&r.text().await.expect("text"))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_visit_a_search_and_a_download_move_the_counters() {
    // A promise of 0 s: the visit below is served "late", so the breach counter moves.
    let stack = spawn_stack_with(&[
        ("PST_METRICS__ADDR", "127.0.0.1:0"),
        ("PST_VISIT__PROMISE_SECS", "0"),
        ("PST_VISIT__AT_RISK_SECS", "0"),
    ])
    .await;
    let metrics = stack
        .addrs
        .get("metrics")
        .copied()
        .expect("the metrics endpoint's readiness line")
        .to_string();
    let fo = stack.token("fo@pst.test", DEMO_PASSWORD).await;
    let reader = stack.verified_visitor("pengukur@example.id").await;
    let reader = reader["access_token"].as_str().expect("token").to_owned();
    let before = scrape(&stack.http, &metrics).await;

    let r = stack
        .post(
            "/api/v1/offices/1674/tickets",
            &json!({ "service_type": "perpustakaan", "device_id": "kiosk-ukur" }),
            None,
        )
        .await;
    assert_eq!(r.status(), 201);
    let ticket: Value = r.json().await.expect("json");
    let guest = json!({ "ticket_id": ticket["id"], "guest_book": {
        "name": "Sinta Ukur", "sex": "P", "age_group": "20-29", "education": "D4/S1",
        "occupation": "Mahasiswa", "institution_type": "pendidikan",
        "institution_name": "Universitas Musi Rawas", "purpose": "Skripsi", "data_needed": "IPM" } });
    assert_eq!(
        stack.post("/api/v1/visits", &guest, None).await.status(),
        201
    );
    assert_eq!(
        stack.get("/api/v1/offices/1674/queue", None).await.status(),
        200
    );
    let r = stack
        .post(
            "/api/v1/offices/1674/counters/L1/call-next",
            &json!({}),
            Some(&fo),
        )
        .await;
    assert_eq!(r.status(), 200);
    let tid = ticket["id"].as_str().expect("id");
    let r = stack
        .post(
            &format!("/api/v1/tickets/{tid}/start"),
            &json!({}),
            Some(&fo),
        )
        .await;
    assert_eq!(r.status(), 200);
    let found: Value = stack
        .get("/api/v1/publications?office=1674&has_digital=true", None)
        .await
        .json()
        .await
        .expect("json");
    let pid = found["items"][0]["publication"]["id"]
        .as_str()
        .expect("a demo softcopy")
        .to_owned();
    let r = stack
        .get(
            &format!("/api/v1/publications/{pid}/download"),
            Some(&reader),
        )
        .await;
    assert_eq!(r.status(), 200);
    let _ = r.bytes().await;

    let after = scrape(&stack.http, &metrics).await;
    let moved =
        |name: &str, labels: &[&str]| sum(&after, name, labels) - sum(&before, name, labels);
    assert_eq!(
        moved(
            "pst_http_requests_total",
            &[
                r#"route="/api/v1/offices/{office}/tickets""#,
                r#"method="POST""#,
                r#"status="201""#
            ]
        ),
        1.0
    );
    assert!(
        moved(
            "pst_http_request_duration_seconds_count",
            &[r#"method="GET""#]
        ) >= 3.0
    );
    assert!(
        moved(
            "pst_grpc_requests_total",
            &[r#"component="visit""#, r#"code="0""#]
        ) >= 4.0
    );
    assert!(moved("pst_grpc_requests_total", &[r#"component="watermark""#]) >= 1.0);
    assert_eq!(
        moved("pst_queue_wait_seconds_count", &[r#"office="1674""#]),
        1.0
    );
    assert_eq!(
        moved("pst_promise_breaches_total", &[r#"office="1674""#]),
        1.0
    );
    assert!(
        after
            .keys()
            .any(|k| k.starts_with("pst_queue_waiting{") && k.contains("1674"))
    );
    assert!(moved("pst_search_seconds_count", &[]) >= 1.0);
    assert_eq!(moved("pst_downloads_total", &[r#"kind="download""#]), 1.0);
    assert_eq!(moved("pst_stamp_seconds_count", &[]), 1.0);
    for c in ["identity", "visit", "catalogue", "watermark", "feedback"] {
        let label = format!(r#"component="{c}""#);
        assert!(
            sum(
                &after,
                "pst_db_pool_connections",
                &[&label, r#"state="max""#]
            ) >= 1.0,
            "{c}'s pool"
        );
    }
    // Anything but /metrics is not found there.
    let r = stack
        .http
        .get(format!("http://{metrics}/"))
        .send()
        .await
        .expect("other path");
    assert_eq!(r.status(), 404);
}
