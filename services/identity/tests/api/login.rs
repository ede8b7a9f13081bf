use tonic::Code;

use crate::helpers::*;

#[tokio::test]
async fn the_sixth_wrong_password_in_a_row_is_throttled_with_a_retry_time() {
    let app = spawn_app().await;
    app.verified_visitor("coba@example.id").await;

    for attempt in 1..=5 {
        let err = app
            .login("coba@example.id", "Salah-Sandi-0000")
            .await
            .unwrap_err();
        assert_eq!(code_of(&err), "INVALID_CREDENTIALS", "attempt {attempt}");
    }
    let err = app
        .login("coba@example.id", "Buku-Statistik-2024")
        .await
        .unwrap_err();

    assert_eq!(err.code(), Code::ResourceExhausted);
    assert_eq!(code_of(&err), "LOGIN_THROTTLED");
    assert!(
        err.message().contains("Coba lagi dalam"),
        "{}",
        err.message()
    );
    use tonic_types::StatusExt as _;
    let secs: u64 =
        err.get_error_details().error_info().expect("info").metadata["retry_after_secs"]
            .parse()
            .expect("number");
    assert!((1..=300).contains(&secs));
}

#[tokio::test]
async fn a_success_before_the_limit_resets_the_count() {
    let app = spawn_app().await;
    app.verified_visitor("reset@example.id").await;
    for _ in 0..4 {
        app.login("reset@example.id", "Salah-Sandi-0000")
            .await
            .unwrap_err();
    }
    app.login("reset@example.id", "Buku-Statistik-2024")
        .await
        .expect("still allowed");

    for _ in 0..4 {
        app.login("reset@example.id", "Salah-Sandi-0000")
            .await
            .unwrap_err();
    }
    app.login("reset@example.id", "Buku-Statistik-2024")
        .await
        .expect("count started again");
}

#[tokio::test]
async fn unknown_email_and_wrong_password_give_the_same_answer() {
    let app = spawn_app().await;
    app.verified_visitor("ada@example.id").await;

    let wrong = app
        .login("ada@example.id", "Salah-Sandi-0000")
        .await
        .unwrap_err();
    let unknown = app
        .login("tidak-ada@example.id", "Salah-Sandi-0000")
        .await
        .unwrap_err();

    assert_eq!(wrong.code(), unknown.code());
    assert_eq!(wrong.message(), unknown.message());
    assert_eq!(code_of(&wrong), code_of(&unknown));
}

#[tokio::test]
async fn an_address_is_throttled_across_accounts() {
    let app = spawn_app_with(&[("PST_IDENTITY__MAX_FAILED_LOGINS_PER_IP", "3")]).await;
    for i in 0..3 {
        app.login(&format!("orang{i}@example.id"), "Salah-Sandi-0000")
            .await
            .unwrap_err();
    }

    let err = app
        .login("orang9@example.id", "Salah-Sandi-0000")
        .await
        .unwrap_err();

    assert_eq!(code_of(&err), "LOGIN_THROTTLED");
}

#[tokio::test]
async fn empty_credentials_are_field_errors() {
    let app = spawn_app().await;

    let err = app.login("", "").await.unwrap_err();

    assert_eq!(err.code(), Code::InvalidArgument);
    assert_eq!(fields_of(&err), ["email", "password"]);
}

#[tokio::test]
async fn a_burst_of_parallel_guesses_gets_no_more_tries_than_the_limit() {
    let app = spawn_app().await;
    app.verified_visitor("serbu@example.id").await;
    let attempts = (0..20).map(|_| {
        let app_client = app.client.clone();
        tokio::spawn(async move {
            let mut c = app_client;
            c.login(pst_proto::identity::LoginRequest {
                email: "serbu@example.id".into(),
                password: "Tebak-Tebakan-1".into(),
            })
            .await
        })
    });

    let mut checked = 0;
    for a in attempts {
        let err = a.await.expect("join").unwrap_err();
        match code_of(&err).as_str() {
            "INVALID_CREDENTIALS" => checked += 1,
            "LOGIN_THROTTLED" => {}
            other => panic!("unexpected {other}"),
        }
    }

    assert!(checked <= 5, "{checked} passwords were checked");
}
