use pst_kit::auth::Role;
use pst_proto::catalogue as pb;
use tonic::Code;

use crate::helpers::*;

#[tokio::test]
async fn only_librarians_of_the_office_keep_its_catalogue_and_every_change_is_kept() {
    let app = spawn_app().await;
    let mut c = app.client.clone();
    let p = publication("Statistik Kesejahteraan Rakyat Kota Lubuklinggau 2024");

    let visitor = c
        .create_publication(with_token(p.clone(), &app.token(Role::Visitor, None)))
        .await
        .unwrap_err();
    let elsewhere = c
        .create_publication(with_token(
            p.clone(),
            &app.token(Role::Librarian, Some("1671")),
        ))
        .await
        .unwrap_err();
    let created = app.create(p.clone()).await.expect("librarian of 1674");
    let updated = c
        .update_publication(with_token(
            pb::UpdatePublicationRequest {
                id: created.id.clone(),
                publication: Some(pb::PublicationInput { pages: 210, ..p }),
                expected_updated_at: String::new(),
            },
            &app.librarian(),
        ))
        .await
        .expect("update")
        .into_inner();

    assert_eq!(visitor.code(), Code::PermissionDenied);
    assert_eq!(elsewhere.code(), Code::PermissionDenied);
    assert_eq!(updated.fields.expect("fields").pages, 210);
    let history: Vec<String> = sqlx::query_scalar(
        "SELECT action FROM publication_history WHERE publication_id = $1::uuid ORDER BY id",
    )
    .bind(&created.id)
    .fetch_all(&app.pool)
    .await
    .expect("history");
    assert_eq!(history, ["create", "update"]);
}

#[tokio::test]
async fn bad_publications_are_refused_field_by_field_and_nothing_is_written() {
    let app = spawn_app().await;
    let before: i64 = sqlx::query_scalar("SELECT count(*) FROM publications")
        .fetch_one(&app.pool)
        .await
        .expect("count");
    let bad = pb::PublicationInput {
        isbn: "978-0-306-40615-8".into(),
        issn: "0317-8472".into(),
        subject: "astrologi".into(),
        year_to: 2099,
        r#abstract: "x".repeat(20_000),
        ..publication("Publikasi Salah")
    };

    let err = app.create(bad).await.unwrap_err();

    assert_eq!(
        fields_of(&err),
        ["issn", "isbn", "year_to", "subject", "abstract"]
    );
    let after: i64 = sqlx::query_scalar("SELECT count(*) FROM publications")
        .fetch_one(&app.pool)
        .await
        .expect("count");
    assert_eq!(before, after);
}

#[tokio::test]
async fn holdings_and_reading_room_use_are_counted_per_period() {
    let app = spawn_app().await;
    let p = app
        .create(publication("Statistik Pendidikan Kota Lubuklinggau 2024"))
        .await
        .expect("create");
    let mut c = app.client.clone();
    let with = c
        .add_holding(with_token(
            pb::HoldingInput {
                publication_id: p.id.clone(),
                call_number: "370.1674".into(),
                shelf: "Rak 3".into(),
                copies: 2,
                condition: "baik".into(),
            },
            &app.librarian(),
        ))
        .await
        .expect("holding")
        .into_inner();
    assert!(with.has_printed);
    let visitor = app.token(Role::Visitor, None);
    c.record_reading_room_use(with_token(
        pb::ReadingRoomUseInput {
            publication_id: p.id.clone(),
            office_code: "1674".into(),
            visit_id: String::new(),
        },
        &app.librarian(),
    ))
    .await
    .expect("recorded");
    let own = c
        .record_reading_room_use(with_token(
            pb::ReadingRoomUseInput {
                publication_id: p.id.clone(),
                office_code: "1674".into(),
                visit_id: String::new(),
            },
            &visitor,
        ))
        .await
        .expect("self-service")
        .into_inner();
    assert!(own.self_service);

    let today = chrono::Utc::now()
        .with_timezone(&chrono_tz::Asia::Jakarta)
        .date_naive()
        .to_string();
    let report = c
        .get_reading_room_report(with_token(
            pb::PeriodRequest {
                office_code: "1674".into(),
                from: today.clone(),
                to: today,
            },
            &app.token(Role::Supervisor, Some("1674")),
        ))
        .await
        .expect("report")
        .into_inner();
    assert_eq!(report.total, 2);
    assert_eq!(report.publications[0].uses, 2);
}

#[tokio::test]
async fn a_withdrawn_publication_keeps_its_reason_and_cannot_be_withdrawn_twice() {
    let app = spawn_app().await;
    let p = app
        .create(publication("Publikasi Yang Ditarik 2024"))
        .await
        .expect("create");
    let mut c = app.client.clone();
    let req = |reason: &str| {
        with_token(
            pb::WithdrawRequest {
                id: p.id.clone(),
                reason: reason.into(),
            },
            &app.librarian(),
        )
    };

    assert_eq!(
        fields_of(&c.withdraw_publication(req("")).await.unwrap_err()),
        ["reason"]
    );
    let w = c
        .withdraw_publication(req("Data direvisi, lihat edisi baru"))
        .await
        .expect("withdraw")
        .into_inner();
    assert!(w.withdrawn);
    assert_eq!(w.withdrawn_reason, "Data direvisi, lihat edisi baru");
    assert_eq!(
        code_of(
            &c.withdraw_publication(req("Sekali lagi ditarik"))
                .await
                .unwrap_err()
        ),
        "PUBLICATION_WITHDRAWN"
    );
}
