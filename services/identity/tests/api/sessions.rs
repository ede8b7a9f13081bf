use pst_proto::identity as pb;
use tonic::Code;

use crate::helpers::*;

#[tokio::test]
async fn refresh_rotates_and_reusing_an_old_token_revokes_the_family() {
    let app = spawn_app().await;
    let mut c = app.client.clone();
    let first = app.verified_visitor("sesi@example.id").await;

    let second = c
        .refresh(pb::RefreshRequest {
            refresh_token: first.refresh_token.clone(),
        })
        .await
        .expect("rotate")
        .into_inner();
    assert_ne!(second.refresh_token, first.refresh_token);

    let reuse = c
        .refresh(pb::RefreshRequest {
            refresh_token: first.refresh_token,
        })
        .await
        .unwrap_err();
    assert_eq!(reuse.code(), Code::Unauthenticated);
    assert_eq!(code_of(&reuse), "REFRESH_TOKEN_REUSED");

    let after = c
        .refresh(pb::RefreshRequest {
            refresh_token: second.refresh_token,
        })
        .await
        .unwrap_err();
    assert_eq!(
        code_of(&after),
        "REFRESH_TOKEN_INVALID",
        "the newest token of the family is revoked too"
    );
}

#[tokio::test]
async fn reuse_revokes_only_its_own_family() {
    let app = spawn_app().await;
    let mut c = app.client.clone();
    let phone = app.verified_visitor("dua-sesi@example.id").await;
    let laptop = app
        .login("dua-sesi@example.id", "Buku-Statistik-2024")
        .await
        .expect("second session");
    c.refresh(pb::RefreshRequest {
        refresh_token: phone.refresh_token.clone(),
    })
    .await
    .expect("rotate");
    c.refresh(pb::RefreshRequest {
        refresh_token: phone.refresh_token,
    })
    .await
    .unwrap_err();

    c.refresh(pb::RefreshRequest {
        refresh_token: laptop.refresh_token,
    })
    .await
    .expect("other session still valid");
}

#[tokio::test]
async fn logout_ends_the_session() {
    let app = spawn_app().await;
    let mut c = app.client.clone();
    let t = app.verified_visitor("keluar@example.id").await;

    c.logout(pb::LogoutRequest {
        refresh_token: t.refresh_token.clone(),
    })
    .await
    .expect("logout");

    let err = c
        .refresh(pb::RefreshRequest {
            refresh_token: t.refresh_token,
        })
        .await
        .unwrap_err();
    assert_eq!(err.code(), Code::Unauthenticated);
}

#[tokio::test]
async fn an_unknown_refresh_token_is_unauthenticated() {
    let app = spawn_app().await;

    let err = app
        .client
        .clone()
        .refresh(pb::RefreshRequest {
            refresh_token: "tidak-ada".into(),
        })
        .await
        .unwrap_err();

    assert_eq!(code_of(&err), "REFRESH_TOKEN_INVALID");
}

#[tokio::test]
async fn password_reset_by_mail_sets_a_new_password_and_ends_sessions() {
    let app = spawn_app().await;
    let mut c = app.client.clone();
    let old = app.verified_visitor("lupa@example.id").await;

    c.request_password_reset(pb::PasswordResetRequest {
        email: "lupa@example.id".into(),
    })
    .await
    .expect("request");
    let token =
        mailed_token(&app.outbox, "lupa@example.id", "atur-ulang-sandi").expect("reset mail");
    let weak = c
        .confirm_password_reset(pb::ConfirmPasswordResetRequest {
            token: token.clone(),
            new_password: "pendek".into(),
        })
        .await
        .unwrap_err();
    assert_eq!(fields_of(&weak), ["new_password"]);
    c.confirm_password_reset(pb::ConfirmPasswordResetRequest {
        token,
        new_password: "Sandi-Baru-2025".into(),
    })
    .await
    .expect("token still usable after a rejected password");

    assert_eq!(
        code_of(
            &app.login("lupa@example.id", "Buku-Statistik-2024")
                .await
                .unwrap_err()
        ),
        "INVALID_CREDENTIALS"
    );
    app.login("lupa@example.id", "Sandi-Baru-2025")
        .await
        .expect("new password works");
    let err = c
        .refresh(pb::RefreshRequest {
            refresh_token: old.refresh_token,
        })
        .await
        .unwrap_err();
    assert_eq!(err.code(), Code::Unauthenticated);
}

#[tokio::test]
async fn a_reset_for_an_unknown_address_answers_the_same_and_mails_nothing() {
    let app = spawn_app().await;

    app.client
        .clone()
        .request_password_reset(pb::PasswordResetRequest {
            email: "siapa@example.id".into(),
        })
        .await
        .expect("same answer");

    assert_eq!(
        mailed_token(&app.outbox, "siapa@example.id", "atur-ulang-sandi"),
        None
    );
}

#[tokio::test]
async fn a_new_reset_link_ends_the_older_one_and_requests_are_throttled() {
    let app = spawn_app().await;
    let mut c = app.client.clone();
    app.verified_visitor("dua-kali@example.id").await;
    let ask = || pb::PasswordResetRequest {
        email: "dua-kali@example.id".into(),
    };
    c.request_password_reset(ask()).await.expect("first");
    let first = mailed_token(&app.outbox, "dua-kali@example.id", "atur-ulang-sandi").expect("mail");
    std::thread::sleep(std::time::Duration::from_millis(20));
    c.request_password_reset(ask()).await.expect("second");
    let second =
        mailed_token(&app.outbox, "dua-kali@example.id", "atur-ulang-sandi").expect("mail");
    assert_ne!(first, second, "the newest mail carries a new link");
    let old = c
        .confirm_password_reset(pb::ConfirmPasswordResetRequest {
            token: first,
            new_password: "Sandi-Lama-Bocor-2025".into(),
        })
        .await
        .unwrap_err();
    assert_eq!(
        code_of(&old),
        "TOKEN_INVALID_OR_EXPIRED",
        "the older link no longer works"
    );
    c.confirm_password_reset(pb::ConfirmPasswordResetRequest {
        token: second,
        new_password: "Sandi-Baru-2026".into(),
    })
    .await
    .expect("the newest link works");
    // The third request in an hour is the last; an unknown address is throttled alike.
    c.request_password_reset(ask()).await.expect("third");
    let err = c.request_password_reset(ask()).await.unwrap_err();
    assert_eq!(err.code(), Code::ResourceExhausted);
    assert_eq!(code_of(&err), "RESET_THROTTLED");
}

#[tokio::test]
async fn change_password_needs_the_current_one() {
    let app = spawn_app().await;
    let mut c = app.client.clone();
    let t = app.verified_visitor("ganti@example.id").await;
    let req = |cur: &str| {
        bearer(
            pb::ChangePasswordRequest {
                current_password: cur.into(),
                new_password: "Sandi-Lain-2025".into(),
            },
            &t.access_token,
        )
    };

    let err = c.change_password(req("salah-sandi-1")).await.unwrap_err();
    assert_eq!(err.code(), tonic::Code::AlreadyExists);
    assert_eq!(code_of(&err), "WRONG_CURRENT_PASSWORD");
    assert_eq!(fields_of(&err), ["current_password"]);
    c.change_password(req("Buku-Statistik-2024"))
        .await
        .expect("changed");

    app.login("ganti@example.id", "Sandi-Lain-2025")
        .await
        .expect("new password");
}

#[tokio::test]
async fn profile_updates_are_validated_and_applied() {
    let app = spawn_app().await;
    let mut c = app.client.clone();
    let t = app.verified_visitor("profil@example.id").await;

    let bad = c
        .update_me(bearer(
            pb::UpdateMeRequest {
                phone: Some("abc".into()),
                ..Default::default()
            },
            &t.access_token,
        ))
        .await
        .unwrap_err();
    assert_eq!(fields_of(&bad), ["phone"]);

    let me = c
        .update_me(bearer(
            pb::UpdateMeRequest {
                institution: Some("Dinas Kominfo".into()),
                ..Default::default()
            },
            &t.access_token,
        ))
        .await
        .expect("update")
        .into_inner();
    assert_eq!(me.institution, "Dinas Kominfo");
    assert_eq!(me.full_name, "Siti Aminah", "untouched fields stay");
}

#[tokio::test]
async fn me_without_or_with_a_forged_token_is_unauthenticated() {
    let app = spawn_app().await;
    let mut c = app.client.clone();

    let none = c.get_me(pb::GetMeRequest {}).await.unwrap_err();
    let forged = c
        .get_me(bearer(
            pb::GetMeRequest {},
            "eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0.",
        ))
        .await
        .unwrap_err();

    assert_eq!(none.code(), Code::Unauthenticated);
    assert_eq!(code_of(&forged), "TOKEN_INVALID");
}
