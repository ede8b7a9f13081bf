//! Bad input and faults get a clear problem document and lose nothing.

use serde_json::{Value, json};

use crate::helpers::*;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bad_registrations_get_field_level_problems_and_nothing_is_written() {
    let stack = spawn_stack().await;
    let mut bad = registration("bukan-email");
    bad["id_number"] = json!("12345");
    bad["password"] = json!("lemah");

    let p = problem(
        stack.post("/api/v1/auth/register", &bad, None).await,
        422,
        "VALIDATION_FAILED",
    )
    .await;
    assert_eq!(fields(&p), ["email", "password", "id_number"]);

    let mut unknown = registration("x@example.id");
    unknown["nik"] = json!("1674021203850002");
    let p = problem(
        stack.post("/api/v1/auth/register", &unknown, None).await,
        422,
        "INVALID_BODY",
    )
    .await;
    assert_eq!(fields(&p), ["nik"]);

    let mut long = registration("panjang@example.id");
    long["institution"] = json!("x".repeat(5000));
    let p = problem(
        stack.post("/api/v1/auth/register", &long, None).await,
        422,
        "VALIDATION_FAILED",
    )
    .await;
    assert_eq!(fields(&p), ["institution"]);

    // None of the refused registrations left an account behind.
    assert_eq!(
        stack
            .post("/api/v1/auth/register", &registration("x@example.id"), None)
            .await
            .status(),
        201
    );
    assert_eq!(
        stack
            .post(
                "/api/v1/auth/register",
                &registration("panjang@example.id"),
                None
            )
            .await
            .status(),
        201
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_registered_address_is_answered_like_a_new_one() {
    let stack = spawn_stack().await;
    let first = stack
        .post(
            "/api/v1/auth/register",
            &registration("sama@example.id"),
            None,
        )
        .await;
    assert_eq!(first.status(), 201);
    let again = stack
        .post(
            "/api/v1/auth/register",
            &registration("sama@example.id"),
            None,
        )
        .await;
    assert_eq!(
        again.status(),
        201,
        "no 409 that tells the address is taken"
    );
    let body: Value = again.json().await.expect("json");
    assert!(
        body["message"]
            .as_str()
            .unwrap_or_default()
            .contains("Periksa e-mail")
    );
    // The owner's verification link still works; the second attempt created nothing.
    let token = stack
        .mailed_token("sama@example.id", "verifikasi-email")
        .expect("the first registration's link");
    assert_eq!(
        stack
            .post(
                "/api/v1/auth/verify-email",
                &json!({ "token": token }),
                None
            )
            .await
            .status(),
        200
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn malformed_oversize_and_mistyped_bodies_are_refused_clearly() {
    // A small limit, so the oversize body fits in the socket buffers and the client reads
    // the 413 instead of racing the server's early close.
    let stack = spawn_stack_with(&[("PST_GATEWAY__BODY_LIMIT_BYTES", "4096")]).await;
    let login = stack.url("/api/v1/auth/login");

    let r = stack
        .http
        .post(&login)
        .header("content-type", "application/json")
        .body("{not json")
        .send()
        .await
        .expect("send");
    problem(r, 400, "MALFORMED_JSON").await;
    let r = stack
        .http
        .post(&login)
        .body("email=a")
        .send()
        .await
        .expect("send");
    problem(r, 415, "UNSUPPORTED_MEDIA_TYPE").await;
    let huge = json!({ "email": "a@b.id", "password": "x".repeat(16 * 1024) });
    let r = stack
        .http
        .post(&login)
        .json(&huge)
        .send()
        .await
        .expect("send");
    problem(r, 413, "BODY_TOO_LARGE").await;
    let p = problem(
        stack
            .post("/api/v1/auth/login", &json!({ "email": "a@b.id" }), None)
            .await,
        422,
        "INVALID_BODY",
    )
    .await;
    assert_eq!(fields(&p), ["password"]);
    problem(
        stack.get("/api/v1/tidak-ada", None).await,
        404,
        "ROUTE_NOT_FOUND",
    )
    .await;
    problem(
        stack.get("/api/v1/me", Some("bukan.token.valid")).await,
        401,
        "TOKEN_INVALID",
    )
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_gateway_rate_limits_each_client_address() {
    let stack = spawn_stack_with(&[("PST_GATEWAY__RATE_LIMIT_PER_MINUTE", "5")]).await;
    for _ in 0..5 {
        assert_eq!(stack.get("/api/v1/offices", None).await.status(), 200);
    }

    let r = stack.get("/api/v1/offices", None).await;

    assert!(r.headers().contains_key("retry-after"));
    problem(r, 429, "RATE_LIMITED").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn with_a_backend_down_the_gateway_is_not_ready_and_answers_503() {
    let (mut env, _dir) = isolated_env();
    for name in SERVICES {
        // Nothing listens on port 1.
        env.push((
            format!("PST_SERVICES__{}_URL", name.to_ascii_uppercase()),
            "http://127.0.0.1:1".to_owned(),
        ));
    }
    let gateway = spawn_pst(&["gateway"], &env);
    let addr = tokio::task::block_in_place(|| gateway.wait_ready(&["gateway"]))["gateway"];
    let http = reqwest::Client::new();
    let base = format!("http://{addr}");
    wait_until(&http, &format!("{base}/healthz"), 200).await;

    let ready = http
        .get(format!("{base}/readyz"))
        .send()
        .await
        .expect("readyz");
    assert_eq!(ready.status(), 503);
    let body: serde_json::Value = ready.json().await.expect("json");
    assert_eq!(body["not_ready"].as_array().expect("list").len(), 5);

    let r = http
        .post(format!("{base}/api/v1/auth/login"))
        .json(&json!({ "email": "a@b.id", "password": "x" }))
        .send()
        .await
        .expect("send");
    problem(r, 503, "SERVICE_UNAVAILABLE").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bad_query_strings_get_problem_documents_too() {
    let stack = spawn_stack().await;
    let sup = stack.token("supervisor@pst.test", DEMO_PASSWORD).await;

    let p = problem(
        stack
            .get(
                "/api/v1/offices/1674/reports/service-time?from=2026-01-01",
                Some(&sup),
            )
            .await,
        422,
        "INVALID_QUERY",
    )
    .await;
    assert_eq!(fields(&p), ["to"]);
    problem(
        stack
            .get("/api/v1/admin/offices/1674/staff?limit=banyak", Some(&sup))
            .await,
        422,
        "INVALID_QUERY",
    )
    .await;
    // Parameters are held to the document's patterns, formats and lists exactly: what a
    // service would forgive (a space around an office code) is refused with its name.
    for (path, field) in [
        ("/api/v1/offices/%201674/queue", "office"),
        ("/api/v1/offices/1674%0A/reports/ikm", "office"),
        ("/api/v1/publications?q=sensus&office=1674%20", "office"),
        ("/api/v1/publications?language=indonesia", "language"),
        ("/api/v1/tickets/0190f3a27c4e7d1b9a553f1e2d4c5b6a", "id"),
        (
            "/api/v1/offices/1674/reports/ikm?from=2026-1-1&to=2026-01-31",
            "from",
        ),
    ] {
        let p = problem(stack.get(path, Some(&sup)).await, 422, "VALIDATION_FAILED").await;
        assert_eq!(fields(&p), [field], "{path}");
    }
}
