use pst_proto::identity as pb;
use tonic::Code;

use crate::helpers::*;

#[tokio::test]
async fn registration_mails_a_link_and_verifying_it_allows_login_with_a_masked_profile() {
    let app = spawn_app().await;
    let mut c = app.client.clone();

    let res = c
        .register(registration("siti@example.id"))
        .await
        .expect("register")
        .into_inner();
    assert!(res.verification_sent);
    let token =
        mailed_token(&app.outbox, "siti@example.id", "verifikasi-email").expect("mail in outbox");
    c.verify_email(pb::VerifyEmailRequest { token })
        .await
        .expect("verify");
    let tokens = app
        .login("SITI@example.id", "Buku-Statistik-2024")
        .await
        .expect("login, case-insensitive e-mail");

    let me = c
        .get_me(bearer(pb::GetMeRequest {}, &tokens.access_token))
        .await
        .expect("me")
        .into_inner();
    assert_eq!(me.id, res.user_id);
    assert_eq!(me.id_number_masked, "16**********0001");
    assert_eq!(me.role, "visitor");
    assert!(me.email_verified);
}

#[tokio::test]
async fn an_unverified_account_cannot_log_in() {
    let app = spawn_app().await;
    app.client
        .clone()
        .register(registration("belum@example.id"))
        .await
        .expect("register");

    let err = app
        .login("belum@example.id", "Buku-Statistik-2024")
        .await
        .unwrap_err();

    assert_eq!(err.code(), Code::PermissionDenied);
    assert_eq!(code_of(&err), "EMAIL_NOT_VERIFIED");
}

#[tokio::test]
async fn a_verification_token_works_once() {
    let app = spawn_app().await;
    let mut c = app.client.clone();
    c.register(registration("sekali@example.id"))
        .await
        .expect("register");
    let token = mailed_token(&app.outbox, "sekali@example.id", "verifikasi-email").expect("mail");
    c.verify_email(pb::VerifyEmailRequest {
        token: token.clone(),
    })
    .await
    .expect("first use");

    let err = c
        .verify_email(pb::VerifyEmailRequest { token })
        .await
        .unwrap_err();

    assert_eq!(code_of(&err), "TOKEN_INVALID_OR_EXPIRED");
}

#[tokio::test]
async fn bad_registration_reports_every_bad_field_and_writes_nothing() {
    let app = spawn_app().await;
    let mut c = app.client.clone();
    let bad = pb::RegisterRequest {
        email: "bukan-email".into(),
        password: "lemah".into(),
        id_number: "12345".into(),
        full_name: "x".repeat(500),
        ..registration("bukan-email")
    };

    let err = c.register(bad).await.unwrap_err();

    assert_eq!(err.code(), Code::InvalidArgument);
    assert_eq!(
        fields_of(&err),
        ["full_name", "email", "password", "id_number"]
    );
    let users: i64 = sqlx::query_scalar("SELECT count(*) FROM users WHERE role = 'visitor'")
        .fetch_one(&app.pool)
        .await
        .expect("count");
    assert_eq!(users, 0);
}

#[tokio::test]
async fn a_missing_id_type_and_a_weak_password_state_their_rules() {
    let app = spawn_app().await;
    let req = pb::RegisterRequest {
        id_type: 0,
        password: "hanyahurufsaja".into(),
        ..registration("a@example.id")
    };

    let err = app.client.clone().register(req).await.unwrap_err();

    use tonic_types::StatusExt as _;
    let details = err.get_error_details();
    let violations = &details
        .bad_request()
        .expect("field errors")
        .field_violations;
    let pw = violations
        .iter()
        .find(|v| v.field == "password")
        .expect("password error");
    assert!(
        pw.description.contains("minimal 10 karakter"),
        "{}",
        pw.description
    );
    assert!(violations.iter().any(|v| v.field == "id_type"));
}

#[tokio::test]
async fn a_registered_address_gets_the_same_answer_and_its_owner_a_mail() {
    let app = spawn_app().await;
    let mut c = app.client.clone();
    let first = c
        .register(registration("dua@example.id"))
        .await
        .expect("first")
        .into_inner();

    // Same answer as a new registration: nothing tells that the address has an account.
    let second = c
        .register(registration("DUA@example.id"))
        .await
        .expect("the same answer, not a conflict")
        .into_inner();
    assert_ne!(second.user_id, first.user_id);
    let mails: Vec<String> = std::fs::read_dir(&app.outbox)
        .expect("outbox")
        .filter_map(|e| std::fs::read_to_string(e.ok()?.path()).ok())
        .filter(|m| m.contains("dua@example.id"))
        .collect();
    assert!(
        mails.iter().any(|m| m.contains("Percobaan pendaftaran")),
        "the owner is told someone tried"
    );

    // An address that cannot take mail is refused at its field, not a 503 later.
    let mut bad = registration("x");
    bad.email = "budi@@example.id".into();
    let err = c.register(bad).await.unwrap_err();
    assert_eq!(err.code(), Code::InvalidArgument);
    assert_eq!(fields_of(&err), ["email"]);

    // Registrations for one address are throttled (the same for any address).
    let mut last = None;
    for _ in 0..6 {
        last = Some(c.register(registration("banyak@example.id")).await);
    }
    let err = last.expect("tried").unwrap_err();
    assert_eq!(err.code(), Code::ResourceExhausted);
    assert_eq!(code_of(&err), "REGISTRATION_THROTTLED");
}

#[tokio::test]
async fn identity_numbers_are_encrypted_at_rest() {
    let app = spawn_app().await;
    app.client
        .clone()
        .register(registration("rahasia@example.id"))
        .await
        .expect("register");

    let (enc, masked): (Vec<u8>, String) = sqlx::query_as(
        "SELECT id_number_enc, id_number_masked FROM users WHERE email = 'rahasia@example.id'",
    )
    .fetch_one(&app.pool)
    .await
    .expect("row");

    assert_eq!(masked, "16**********0001");
    assert!(
        !enc.windows(NIK.len()).any(|w| w == NIK.as_bytes()),
        "plain NIK stored"
    );
    let any_plain: bool = sqlx::query_scalar(
        "SELECT EXISTS (SELECT 1 FROM users u WHERE u::text LIKE '%' || $1 || '%')",
    )
    .bind(NIK)
    .fetch_one(&app.pool)
    .await
    .expect("scan");
    assert!(!any_plain);
}
