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

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn csv_import_is_all_or_nothing_through_the_gateway_and_export_gives_csv() {
    let stack = spawn_stack().await;
    let lib = stack.token("pustakawan@pst.test", DEMO_PASSWORD).await;
    let csv = "office_code,title,subject,language\n1674,Statistik Perikanan Kota Lubuklinggau 2024,perikanan,id\n1674,Baris Salah,tidak_ada,id\n";
    let send = |path: &str, body: &'static str| {
        stack
            .http
            .post(stack.url(path))
            .bearer_auth(&lib)
            .header("content-type", "text/csv")
            .body(body)
            .send()
    };

    let p = problem(
        send("/api/v1/publications/import", csv)
            .await
            .expect("send"),
        422,
        "IMPORT_REJECTED",
    )
    .await;
    assert_eq!(fields(&p), ["rows[2].subject"]);
    let r = send("/api/v1/publications/import?partial=true", csv)
        .await
        .expect("send");
    assert_eq!(r.status(), 200);
    let done: Value = r.json().await.expect("json");
    assert_eq!(done["imported"], 1);

    let export = stack
        .http
        .get(stack.url("/api/v1/publications/export?office=1674"))
        .bearer_auth(&lib)
        .send()
        .await
        .expect("export");
    assert!(
        export.headers()["content-type"]
            .to_str()
            .expect("ct")
            .starts_with("text/csv")
    );
    assert!(
        export
            .text()
            .await
            .expect("text")
            .contains("Statistik Perikanan Kota Lubuklinggau 2024")
    );
}

/// Searches the catalogue cannot take as they are still answer normally: a page of text
/// (read up to its first 200 characters), only punctuation (nothing matches), `%` and `_`,
/// quotes and operators; a cursor that the server did not hand out is a 422.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn odd_searches_answer_normally_and_a_forged_cursor_is_refused() {
    let stack = spawn_stack().await;
    let search = |q: String| {
        let url = stack.url("/api/v1/publications");
        let http = stack.http.clone();
        async move {
            http.get(url)
                .query(&[("q", q.as_str())])
                .send()
                .await
                .expect("search")
        }
    };
    let long = "kota lubuklinggau dalam angka ".repeat(340);
    assert!(long.len() > 10_000);
    let r = search(long).await;
    assert_eq!(r.status(), 200);
    let page: Value = r.json().await.expect("json");
    assert_eq!(
        page["items"][0]["publication"]["office_code"], "1674",
        "the start of a long query is still searched"
    );
    for q in [
        "?!.,;:-",
        "%",
        "_",
        "\"\"",
        "- OR -",
        "\"dalam angka\" -statistik",
        "a",
        "и",
        "kota\u{0}lubuklinggau\u{7}",
    ] {
        let r = search(q.to_owned()).await;
        assert_eq!(r.status(), 200, "q={q:?}");
        let page: Value = r.json().await.expect("json");
        assert!(page["items"].is_array(), "q={q:?}");
    }
    let page: Value = search("?!.,;:-".into()).await.json().await.expect("json");
    assert_eq!(page["total"], 0);
    problem(
        stack
            .get(
                "/api/v1/publications?q=statistik&cursor=bm90LWEtY3Vyc29y",
                None,
            )
            .await,
        422,
        "VALIDATION_FAILED",
    )
    .await;
}

/// PATCH with an `If-Match` that names no version of the entry is the precondition
/// failing (409), as for a stale one; nothing is saved.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_if_match_that_is_no_version_is_a_conflict() {
    let stack = spawn_stack().await;
    let lib = stack.token("pustakawan@pst.test", DEMO_PASSWORD).await;
    let found: Value = stack
        .get("/api/v1/publications?office=1674&limit=1", None)
        .await
        .json()
        .await
        .expect("json");
    let id = found["items"][0]["publication"]["id"]
        .as_str()
        .expect("a demo publication")
        .to_owned();
    for tag in ["null", "\"kemarin\"", "W/\"2024-13-45\"", "\"\""] {
        let r = stack
            .http
            .patch(stack.url(&format!("/api/v1/publications/{id}")))
            .bearer_auth(&lib)
            .header("If-Match", tag)
            .json(&json!({ "pages": 7 }))
            .send()
            .await
            .expect("patch");
        problem(r, 409, "PUBLICATION_CHANGED").await;
    }
    let after: Value = stack
        .get(&format!("/api/v1/publications/{id}"), None)
        .await
        .json()
        .await
        .expect("json");
    assert_ne!(after["pages"], 7);
    // `*` is any version: no condition.
    let r = stack
        .http
        .patch(stack.url(&format!("/api/v1/publications/{id}")))
        .bearer_auth(&lib)
        .header("If-Match", "*")
        .json(&json!({ "pages": 7 }))
        .send()
        .await
        .expect("patch");
    assert_eq!(r.status(), 200);
}

/// Two catalogue processes on one database, each with its own search index: a second
/// `pst catalogue` and a second gateway in front of it. A publication added through the
/// first is found through the second within a second; one added while the second process
/// is down is found once it is started again (it builds its index from the table).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_second_catalogue_process_finds_what_the_first_wrote() {
    let stack = spawn_stack().await;
    let port = free_port();
    let start_second = || {
        let mut env = stack.env.clone();
        env.push((
            "PST_SERVICES__CATALOGUE_ADDR".to_owned(),
            format!("127.0.0.1:{port}"),
        ));
        let proc = spawn_pst(&["catalogue"], &env);
        tokio::task::block_in_place(|| proc.wait_ready(&["catalogue"]));
        proc
    };
    let second = start_second();
    let (_gateway, base) = stack
        .extra_gateway(&[(
            "PST_SERVICES__CATALOGUE_URL",
            &format!("http://127.0.0.1:{port}"),
        )])
        .await;
    let lib = stack.token("pustakawan@pst.test", DEMO_PASSWORD).await;
    let add = |title: &'static str| {
        let body = json!({ "office_code": "1674", "title": title, "subject": "tanaman_pangan",
            "language": "id", "year_from": 2024, "year_to": 2024 });
        let stack = &stack;
        let lib = lib.clone();
        async move {
            let r = stack.post("/api/v1/publications", &body, Some(&lib)).await;
            assert_eq!(r.status(), 201);
        }
    };
    let titles_on_second = |q: &'static str| {
        let url = format!("{base}/api/v1/publications?q={q}");
        let http = stack.http.clone();
        async move {
            let found: Value = http
                .get(url)
                .send()
                .await
                .expect("search")
                .json()
                .await
                .expect("json");
            found["items"]
                .as_array()
                .expect("items")
                .iter()
                .map(|h| h["publication"]["title"].as_str().unwrap_or("").to_owned())
                .collect::<Vec<_>>()
        }
    };

    add("Luas Panen Durian Musirawas 2024").await;
    let until = std::time::Instant::now() + std::time::Duration::from_secs(1);
    let mut seen = titles_on_second("durian").await;
    while seen.is_empty() && std::time::Instant::now() < until {
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
        seen = titles_on_second("durian").await;
    }
    assert_eq!(
        seen,
        ["Luas Panen Durian Musirawas 2024"],
        "the other process's write, within 1 s"
    );

    drop(second);
    add("Luas Panen Manggis Musirawas 2024").await;
    let _second = start_second();
    assert_eq!(
        titles_on_second("manggis").await,
        ["Luas Panen Manggis Musirawas 2024"],
        "written while it was down, found once it is back"
    );
}
