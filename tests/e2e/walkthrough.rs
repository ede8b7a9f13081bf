//! The online visitor's path through the gateway, as the service standard describes it.

use serde_json::{Value, json};

use crate::helpers::*;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_visitor_registers_verifies_by_mail_logs_in_and_sees_a_masked_profile() {
    let stack = spawn_stack().await;

    let r = stack
        .post(
            "/api/v1/auth/register",
            &registration("budi@example.id"),
            None,
        )
        .await;
    assert_eq!(r.status(), 201);
    let before = stack.login("budi@example.id", "Baca-Publikasi-2024").await;
    problem(before, 403, "EMAIL_NOT_VERIFIED").await;

    let token = stack
        .mailed_token("budi@example.id", "verifikasi-email")
        .expect("verification mail in the outbox");
    let r = stack
        .post(
            "/api/v1/auth/verify-email",
            &json!({ "token": token }),
            None,
        )
        .await;
    assert_eq!(r.status(), 200);
    let access = stack.token("budi@example.id", "Baca-Publikasi-2024").await;

    let me: Value = stack
        .get("/api/v1/me", Some(&access))
        .await
        .json()
        .await
        .expect("json");
    assert_eq!(me["email"], "budi@example.id");
    assert_eq!(me["id_type"], "ktp");
    assert_eq!(me["id_number_masked"], "16**********0002");
    assert!(
        !me.to_string().contains("1674021203850002"),
        "the full NIK never leaves"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_sixth_wrong_password_is_answered_429_with_retry_after() {
    let stack = spawn_stack().await;

    for _ in 0..5 {
        problem(
            stack.login("fo@pst.test", "Salah-Sandi-9999").await,
            401,
            "INVALID_CREDENTIALS",
        )
        .await;
    }
    let r = stack.login("fo@pst.test", DEMO_PASSWORD).await;

    let retry: u64 = r.headers()["retry-after"]
        .to_str()
        .expect("ascii")
        .parse()
        .expect("seconds");
    assert!(retry > 0);
    let body = problem(r, 429, "LOGIN_THROTTLED").await;
    assert!(
        body["detail"]
            .as_str()
            .expect("detail")
            .contains("Coba lagi dalam")
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sessions_refresh_and_end_over_http() {
    let stack = spawn_stack().await;
    let pair: Value = stack
        .login("pustakawan@pst.test", DEMO_PASSWORD)
        .await
        .json()
        .await
        .expect("json");
    let refresh = pair["refresh_token"].as_str().expect("refresh");

    let next: Value = stack
        .post(
            "/api/v1/auth/refresh",
            &json!({ "refresh_token": refresh }),
            None,
        )
        .await
        .json()
        .await
        .expect("json");
    assert_ne!(next["refresh_token"], pair["refresh_token"]);
    problem(
        stack
            .post(
                "/api/v1/auth/refresh",
                &json!({ "refresh_token": refresh }),
                None,
            )
            .await,
        401,
        "REFRESH_TOKEN_REUSED",
    )
    .await;

    let fresh: Value = stack
        .login("pustakawan@pst.test", DEMO_PASSWORD)
        .await
        .json()
        .await
        .expect("json");
    let r = stack
        .post(
            "/api/v1/auth/logout",
            &json!({ "refresh_token": fresh["refresh_token"] }),
            None,
        )
        .await;
    assert_eq!(r.status(), 204);
    problem(
        stack
            .post(
                "/api/v1/auth/refresh",
                &json!({ "refresh_token": fresh["refresh_token"] }),
                None,
            )
            .await,
        401,
        "REFRESH_TOKEN_INVALID",
    )
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn password_reset_through_the_gateway() {
    let stack = spawn_stack().await;

    let r = stack
        .post(
            "/api/v1/auth/password-reset/request",
            &json!({ "email": "supervisor@pst.test" }),
            None,
        )
        .await;
    assert_eq!(r.status(), 202);
    let token = stack
        .mailed_token("supervisor@pst.test", "atur-ulang-sandi")
        .expect("reset mail");
    let r = stack
        .post(
            "/api/v1/auth/password-reset/confirm",
            &json!({ "token": token, "new_password": "Pengawas-Baru-2025" }),
            None,
        )
        .await;
    assert_eq!(r.status(), 200);

    stack
        .token("supervisor@pst.test", "Pengawas-Baru-2025")
        .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn staff_administration_is_for_admins_and_is_audited() {
    let stack = spawn_stack().await;
    let fo = stack.token("fo@pst.test", DEMO_PASSWORD).await;
    let admin = stack.token("admin@pst.test", DEMO_PASSWORD).await;
    let body = json!({ "full_name": "Petugas Kedua", "email": "fo2@pst.test", "password": DEMO_PASSWORD, "role": "front_office", "office_code": "1674" });

    problem(
        stack.post("/api/v1/admin/staff", &body, Some(&fo)).await,
        403,
        "FORBIDDEN",
    )
    .await;
    problem(
        stack.post("/api/v1/admin/staff", &body, None).await,
        401,
        "UNAUTHENTICATED",
    )
    .await;
    let r = stack.post("/api/v1/admin/staff", &body, Some(&admin)).await;
    assert_eq!(r.status(), 201);
    let created: Value = r.json().await.expect("json");

    let audit: Value = stack
        .get("/api/v1/admin/offices/1674/audit?limit=10", Some(&admin))
        .await
        .json()
        .await
        .expect("json");
    let items = audit["items"].as_array().expect("items");
    assert!(
        items
            .iter()
            .any(|e| e["action"] == "staff.create" && e["target"] == created["id"]),
        "{audit}"
    );
    let staff: Value = stack
        .get("/api/v1/admin/offices/1674/staff", Some(&admin))
        .await
        .json()
        .await
        .expect("json");
    assert!(
        staff["items"]
            .as_array()
            .expect("items")
            .iter()
            .any(|u| u["email"] == "fo2@pst.test")
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn profile_changes_through_the_gateway() {
    let stack = spawn_stack().await;
    let token = stack.token("pustakawan@pst.test", DEMO_PASSWORD).await;

    let r = stack
        .http
        .patch(stack.url("/api/v1/me"))
        .bearer_auth(&token)
        .json(&json!({ "phone": "0733-323693" }))
        .send()
        .await
        .expect("patch");
    assert_eq!(r.status(), 200);
    let me: Value = r.json().await.expect("json");
    assert_eq!(me["phone"], "0733323693");

    let r = stack
        .post(
            "/api/v1/me/password",
            &json!({ "current_password": DEMO_PASSWORD, "new_password": "Pustaka-Baru-2025" }),
            Some(&token),
        )
        .await;
    assert_eq!(r.status(), 204);
    stack
        .token("pustakawan@pst.test", "Pustaka-Baru-2025")
        .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn passwords_tokens_and_identity_numbers_never_reach_the_logs() {
    let (env, dir) = isolated_env();
    std::fs::create_dir_all(&dir).expect("dir");
    let log_path = dir.join("pst.log");
    let log = std::fs::File::create(&log_path).expect("log file");
    let proc = spawn_pst_with_stderr(&["all", "--demo"], &env, "debug", log.into());
    let addr = tokio::task::block_in_place(|| proc.wait_ready(&["gateway"]))["gateway"];
    let base = format!("http://{addr}");
    let http = reqwest::Client::new();
    wait_until(&http, &format!("{base}/readyz"), 200).await;

    let r = http
        .post(format!("{base}/api/v1/auth/register"))
        .json(&registration("rahasia@example.id"))
        .send()
        .await
        .expect("register");
    assert_eq!(r.status(), 201);
    let verify = mailed_token(
        &dir.join("outbox"),
        "rahasia@example.id",
        "verifikasi-email",
    )
    .expect("mail");
    http.post(format!("{base}/api/v1/auth/verify-email"))
        .json(&json!({ "token": verify }))
        .send()
        .await
        .expect("verify");
    let pair: Value = http
        .post(format!("{base}/api/v1/auth/login"))
        .json(&json!({ "email": "rahasia@example.id", "password": "Baca-Publikasi-2024" }))
        .send()
        .await
        .expect("login")
        .json()
        .await
        .expect("json");
    let access = pair["access_token"].as_str().expect("token");
    http.get(format!("{base}/api/v1/me"))
        .bearer_auth(access)
        .send()
        .await
        .expect("me");
    drop(proc);

    let logs = std::fs::read_to_string(&log_path).expect("logs");
    assert!(
        logs.contains("visitor registered"),
        "the log file holds the debug logs"
    );
    for secret in [
        "Baca-Publikasi-2024",
        "1674021203850002",
        verify.as_str(),
        access,
        pair["refresh_token"].as_str().expect("refresh"),
    ] {
        assert!(
            !logs.contains(secret),
            "a secret reached the logs: {secret}"
        );
    }
}
