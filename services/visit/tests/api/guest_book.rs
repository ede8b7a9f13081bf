use pst_kit::auth::Role;
use pst_proto::visit as pb;
use tonic::Code;

use crate::helpers::*;

#[tokio::test]
async fn a_kiosk_fills_the_guest_book_for_its_anonymous_ticket_once() {
    let app = spawn_app().await;
    let t = app.take("perpustakaan").await;

    let v = app.visit(&t.id).await;
    let again = app
        .client
        .clone()
        .create_visit(pb::CreateVisitRequest {
            visit_card: String::new(),
            ticket_id: t.id.clone(),
            guest_book: Some(guest_book()),
        })
        .await
        .unwrap_err();

    assert_eq!(v.ticket_number, t.number);
    assert_eq!(v.guest_book.expect("entry").name, "Rina Marlina");
    assert!(v.guest_book_at.ends_with("+07:00"));
    assert_eq!(code_of(&again), "GUEST_BOOK_EXISTS");
}

#[tokio::test]
async fn guest_book_fields_are_validated_and_nothing_is_written() {
    let app = spawn_app().await;
    let t = app.take("perpustakaan").await;
    let bad = pb::GuestBook {
        sex: "X".into(),
        age_group: "tua".into(),
        purpose: String::new(),
        ..guest_book()
    };

    let err = app
        .client
        .clone()
        .create_visit(pb::CreateVisitRequest {
            visit_card: String::new(),
            ticket_id: t.id.clone(),
            guest_book: Some(bad),
        })
        .await
        .unwrap_err();

    assert_eq!(err.code(), Code::InvalidArgument);
    assert_eq!(
        fields_of(&err),
        [
            "guest_book.sex",
            "guest_book.age_group",
            "guest_book.purpose"
        ]
    );
    let n: i64 = sqlx::query_scalar("SELECT count(*) FROM visits")
        .fetch_one(&app.pool)
        .await
        .expect("count");
    assert_eq!(n, 0);
}

#[tokio::test]
async fn a_visitors_ticket_is_theirs_alone() {
    let app = spawn_app().await;
    let owner = uuid::Uuid::new_v4();
    let token = app.token_for(owner, Role::Visitor);
    let t = app
        .client
        .clone()
        .take_ticket(with_token(
            pb::TakeTicketRequest {
                office_code: "1674".into(),
                service_type: "perpustakaan".into(),
                device_id: String::new(),
            },
            &token,
        ))
        .await
        .expect("take")
        .into_inner();
    let mut c = app.client.clone();

    let anonymous = c
        .create_visit(pb::CreateVisitRequest {
            visit_card: String::new(),
            ticket_id: t.id.clone(),
            guest_book: Some(guest_book()),
        })
        .await
        .unwrap_err();
    let stranger = c
        .create_visit(with_token(
            pb::CreateVisitRequest {
                visit_card: String::new(),
                ticket_id: t.id.clone(),
                guest_book: Some(guest_book()),
            },
            &app.token(Role::Visitor, None),
        ))
        .await
        .unwrap_err();
    let own = c
        .create_visit(with_token(
            pb::CreateVisitRequest {
                visit_card: String::new(),
                ticket_id: t.id.clone(),
                guest_book: Some(guest_book()),
            },
            &token,
        ))
        .await
        .expect("own");

    assert_eq!(anonymous.code(), Code::Unauthenticated);
    assert_eq!(stranger.code(), Code::PermissionDenied);
    assert_eq!(own.into_inner().user_id, owner.to_string());
}

#[tokio::test]
async fn front_office_corrects_named_fields_and_the_change_is_audited() {
    let app = spawn_app().await;
    let t = app.take("perpustakaan").await;
    let v = app.visit(&t.id).await;

    let fixed = app
        .client
        .clone()
        .update_visit(with_token(
            pb::UpdateVisitRequest {
                visit_id: v.id.clone(),
                guest_book: Some(pb::GuestBook {
                    name: "Rina Marlina, S.Pd".into(),
                    ..Default::default()
                }),
                fields: vec!["name".into()],
            },
            &app.fo(),
        ))
        .await
        .expect("update")
        .into_inner();

    let g = fixed.guest_book.expect("entry");
    assert_eq!(g.name, "Rina Marlina, S.Pd");
    assert_eq!(g.purpose, guest_book().purpose, "fields not named stay");
    let audited: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM audit_log WHERE action = 'visit.update' AND target = $1",
    )
    .bind(&v.id)
    .fetch_one(&app.pool)
    .await
    .expect("audit");
    assert_eq!(audited, 1);
}

#[tokio::test]
async fn a_visit_is_seen_by_its_visitor_and_the_offices_staff_only() {
    let app = spawn_app().await;
    let owner = uuid::Uuid::new_v4();
    let token = app.token_for(owner, Role::Visitor);
    let mut c = app.client.clone();
    let t = c
        .take_ticket(with_token(
            pb::TakeTicketRequest {
                office_code: "1674".into(),
                service_type: "perpustakaan".into(),
                device_id: String::new(),
            },
            &token,
        ))
        .await
        .expect("take")
        .into_inner();
    let v = c
        .create_visit(with_token(
            pb::CreateVisitRequest {
                visit_card: String::new(),
                ticket_id: t.id,
                guest_book: Some(guest_book()),
            },
            &token,
        ))
        .await
        .expect("visit")
        .into_inner();
    let get = |t: &str| {
        with_token(
            pb::GetVisitRequest {
                visit_id: v.id.clone(),
            },
            t,
        )
    };

    c.get_visit(get(&token)).await.expect("own visit");
    c.get_visit(get(&app.fo()))
        .await
        .expect("the office's staff");
    let stranger = c
        .get_visit(get(&app.token(Role::Visitor, None)))
        .await
        .unwrap_err();
    let elsewhere = c
        .get_visit(get(&app.token(Role::FrontOffice, Some("1671"))))
        .await
        .unwrap_err();

    assert_eq!(stranger.code(), Code::PermissionDenied);
    assert_eq!(elsewhere.code(), Code::PermissionDenied);
}
