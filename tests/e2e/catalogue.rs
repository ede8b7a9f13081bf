//! The catalogue through the gateway: search right after sign-up or without it, and a
//! librarian keeping a publication.

use serde_json::{Value, json};

use crate::helpers::*;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_public_searches_and_a_librarian_adds_edits_and_withdraws() {
    let stack = spawn_stack().await;

    let found: Value = stack
        .get(
            "/api/v1/publications?q=Lubuklingau%20Dalm%20Angka%202024",
            None,
        )
        .await
        .json()
        .await
        .expect("json");
    assert_eq!(
        found["items"][0]["publication"]["title"],
        "Kota Lubuklinggau Dalam Angka 2024"
    );
    assert!(
        !found["facets"]["subject"]
            .as_array()
            .expect("facets")
            .is_empty()
    );

    let lib = stack.token("pustakawan@pst.test", DEMO_PASSWORD).await;
    let body = json!({ "office_code": "1674", "title": "Statistik Kesejahteraan Rakyat Kota Lubuklinggau 2024", "subject": "kemiskinan",
        "language": "id", "year_from": 2023, "year_to": 2023, "abstract": "Indikator kesejahteraan penduduk." });
    problem(
        stack.post("/api/v1/publications", &body, None).await,
        401,
        "UNAUTHENTICATED",
    )
    .await;
    let r = stack.post("/api/v1/publications", &body, Some(&lib)).await;
    assert_eq!(r.status(), 201);
    let created: Value = r.json().await.expect("json");
    let id = created["id"].as_str().expect("id");

    let r = stack
        .http
        .patch(stack.url(&format!("/api/v1/publications/{id}")))
        .bearer_auth(&lib)
        .json(&json!({ "pages": 96 }))
        .send()
        .await
        .expect("patch");
    assert_eq!(r.status(), 200);
    let patched: Value = r.json().await.expect("json");
    assert_eq!(
        (patched["pages"].as_u64(), patched["title"].as_str()),
        (Some(96), created["title"].as_str())
    );

    let r = stack
        .post(
            &format!("/api/v1/publications/{id}/withdraw"),
            &json!({ "reason": "Diganti edisi revisi" }),
            Some(&lib),
        )
        .await;
    assert_eq!(r.status(), 200);
    problem(
        stack.get(&format!("/api/v1/publications/{id}"), None).await,
        404,
        "PUBLICATION_NOT_FOUND",
    )
    .await;
    problem(
        stack
            .get("/api/v1/publications?q=data&limit=1000", None)
            .await,
        422,
        "VALIDATION_FAILED",
    )
    .await;
    problem(
        stack.get("/api/v1/publications?limit=banyak", None).await,
        422,
        "INVALID_QUERY",
    )
    .await;
}
