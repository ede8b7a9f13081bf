use pst_proto::visit as pb;

use crate::helpers::*;

async fn served_visit(app: &TestApp) -> pb::Visit {
    let t = app.take("perpustakaan").await;
    let v = app.visit(&t.id).await;
    app.call("L1").await.expect("called");
    app.act("start", &t.id).await.expect("start");
    app.act("finish", &t.id).await.expect("finish");
    v
}

fn assign(visit: &str, locker: u32, number: &str) -> pb::AssignLockerRequest {
    pb::AssignLockerRequest {
        visit_id: visit.into(),
        locker,
        id_type: "ktp".into(),
        id_number: number.into(),
    }
}

#[tokio::test]
async fn a_locker_holds_the_card_and_checkout_needs_it_handed_back() {
    let app = spawn_app().await;
    let v = served_visit(&app).await;
    let mut c = app.client.clone();

    let held = c
        .assign_locker(with_token(assign(&v.id, 7, "1674015505900003"), &app.fo()))
        .await
        .expect("assign")
        .into_inner();
    let custody = held.custody.expect("custody");
    assert_eq!(
        (custody.locker, custody.id_number_masked.as_str()),
        (7, "16**********0003")
    );

    let refused = c
        .checkout(with_token(
            pb::CheckoutRequest {
                visit_id: v.id.clone(),
                id_returned: false,
                returned_to: String::new(),
            },
            &app.fo(),
        ))
        .await
        .unwrap_err();
    assert_eq!(code_of(&refused), "ID_STILL_HELD");
    let list = c
        .list_custody(with_token(
            pb::OfficeRequest {
                office_code: "1674".into(),
            },
            &app.fo(),
        ))
        .await
        .expect("custody list")
        .into_inner();
    assert_eq!(list.held.len(), 1, "the end-of-day list shows the card");

    let ended = c
        .checkout(with_token(
            pb::CheckoutRequest {
                visit_id: v.id.clone(),
                id_returned: true,
                returned_to: String::new(),
            },
            &app.fo(),
        ))
        .await
        .expect("checkout")
        .into_inner();
    assert!(!ended.ended_at.is_empty());
    assert_eq!(ended.feedback_code.len(), 8, "a code to rate the visit");
    let lockers = c
        .list_lockers(with_token(
            pb::OfficeRequest {
                office_code: "1674".into(),
            },
            &app.fo(),
        ))
        .await
        .expect("lockers")
        .into_inner();
    assert_eq!(
        lockers
            .lockers
            .iter()
            .find(|l| l.number == 7)
            .expect("locker 7")
            .state,
        "free"
    );
    let returned_to: String = sqlx::query_scalar("SELECT returned_to FROM custody")
        .fetch_one(&app.pool)
        .await
        .expect("row");
    assert_eq!(returned_to, "Rina Marlina");
}

#[tokio::test]
async fn a_locker_is_never_given_twice_and_visitors_can_move() {
    let app = spawn_app().await;
    let a = served_visit(&app).await;
    let b = served_visit(&app).await;
    let mut c = app.client.clone();
    c.assign_locker(with_token(assign(&a.id, 3, "1674015505900003"), &app.fo()))
        .await
        .expect("a gets 3");

    let taken = c
        .assign_locker(with_token(assign(&b.id, 3, "1674015505900004"), &app.fo()))
        .await
        .unwrap_err();
    assert_eq!(code_of(&taken), "LOCKER_TAKEN");

    let moved = c
        .assign_locker(with_token(
            pb::AssignLockerRequest {
                visit_id: a.id.clone(),
                locker: 4,
                id_type: String::new(),
                id_number: String::new(),
            },
            &app.fo(),
        ))
        .await
        .expect("move")
        .into_inner();
    assert_eq!(moved.custody.expect("custody").locker, 4);
    c.assign_locker(with_token(assign(&b.id, 3, "1674015505900004"), &app.fo()))
        .await
        .expect("3 is free again");
}

#[tokio::test]
async fn bad_locker_requests_are_refused_clearly() {
    let app = spawn_app().await;
    let v = served_visit(&app).await;
    let mut c = app.client.clone();

    let nik = c
        .assign_locker(with_token(assign(&v.id, 1, "12345"), &app.fo()))
        .await
        .unwrap_err();
    let missing = c
        .assign_locker(with_token(assign(&v.id, 99, "1674015505900003"), &app.fo()))
        .await
        .unwrap_err();

    assert_eq!(fields_of(&nik), ["id_number"]);
    assert_eq!(code_of(&missing), "LOCKER_NOT_FOUND");
    let stored: i64 = sqlx::query_scalar("SELECT count(*) FROM custody")
        .fetch_one(&app.pool)
        .await
        .expect("count");
    assert_eq!(stored, 0);
}

#[tokio::test]
async fn identity_numbers_in_custody_are_encrypted_at_rest() {
    let app = spawn_app().await;
    let v = served_visit(&app).await;
    app.client
        .clone()
        .assign_locker(with_token(assign(&v.id, 2, "1674015505900003"), &app.fo()))
        .await
        .expect("assign");

    let plain: bool = sqlx::query_scalar("SELECT EXISTS (SELECT 1 FROM custody c WHERE c::text LIKE '%1674015505900003%' OR position('1674015505900003'::bytea in c.id_number_enc) > 0)")
        .fetch_one(&app.pool)
        .await
        .expect("scan");
    let audit: String =
        sqlx::query_scalar("SELECT detail::text FROM audit_log WHERE action = 'custody.receive'")
            .fetch_one(&app.pool)
            .await
            .expect("audit");

    assert!(!plain);
    assert!(
        audit.contains("16**********0003") && !audit.contains("1674015505900003"),
        "{audit}"
    );
}

#[tokio::test]
async fn a_visit_cannot_end_before_its_service_is_finished_or_twice() {
    let app = spawn_app().await;
    let t = app.take("perpustakaan").await;
    let v = app.visit(&t.id).await;
    let mut c = app.client.clone();
    let checkout = || {
        with_token(
            pb::CheckoutRequest {
                visit_id: v.id.clone(),
                id_returned: true,
                returned_to: String::new(),
            },
            &app.fo(),
        )
    };

    assert_eq!(
        code_of(&c.checkout(checkout()).await.unwrap_err()),
        "SERVICE_NOT_FINISHED"
    );
    app.call("L1").await.expect("call");
    app.act("skip", &t.id).await.expect("no-show");
    c.checkout(checkout())
        .await
        .expect("a no-show can be checked out");
    assert_eq!(
        code_of(&c.checkout(checkout()).await.unwrap_err()),
        "VISIT_ALREADY_ENDED"
    );
}
