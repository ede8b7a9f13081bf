use pst_proto::common::{Office, PageRequest};
use pst_proto::identity as pb;
use tonic::Code;

use crate::helpers::*;

fn staff(email: &str, role: &str, office: &str) -> pb::CreateStaffRequest {
    pb::CreateStaffRequest {
        full_name: "Petugas Baru".into(),
        email: email.into(),
        password: DEMO_PASSWORD.into(),
        role: role.into(),
        office_code: office.into(),
        phone: String::new(),
    }
}

#[tokio::test]
async fn only_an_admin_creates_staff_the_service_checks_it_itself() {
    let app = spawn_app().await;
    let mut c = app.client.clone();
    let visitor = app
        .verified_visitor("pengunjung@example.id")
        .await
        .access_token;
    let supervisor = app.staff_token("supervisor@pst.test").await;

    let anonymous = c
        .create_staff(staff("a@pst.test", "librarian", "1674"))
        .await
        .unwrap_err();
    let by_visitor = c
        .create_staff(bearer(staff("b@pst.test", "librarian", "1674"), &visitor))
        .await
        .unwrap_err();
    let by_supervisor = c
        .create_staff(bearer(
            staff("c@pst.test", "librarian", "1674"),
            &supervisor,
        ))
        .await
        .unwrap_err();

    assert_eq!(anonymous.code(), Code::Unauthenticated);
    assert_eq!(by_visitor.code(), Code::PermissionDenied);
    assert_eq!(by_supervisor.code(), Code::PermissionDenied);
    let n: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM users WHERE email IN ('a@pst.test','b@pst.test','c@pst.test')",
    )
    .fetch_one(&app.pool)
    .await
    .expect("count");
    assert_eq!(n, 0);
}

#[tokio::test]
async fn an_admin_creates_staff_who_can_log_in_and_the_action_is_audited() {
    let app = spawn_app().await;
    let mut c = app.client.clone();
    let admin = app.staff_token("admin@pst.test").await;

    let created = c
        .create_staff(bearer(staff("baru@pst.test", "librarian", "1674"), &admin))
        .await
        .expect("create")
        .into_inner();
    assert_eq!(created.role, "librarian");
    assert_eq!(created.office_code, "1674");
    app.login("baru@pst.test", DEMO_PASSWORD)
        .await
        .expect("staff logs in without e-mail verification");

    let supervisor = app.staff_token("supervisor@pst.test").await;
    let audit = c
        .list_audit(bearer(
            pb::ListAuditRequest {
                office_code: "1674".into(),
                page: None,
                ..Default::default()
            },
            &supervisor,
        ))
        .await
        .expect("supervisor reads own office")
        .into_inner();
    assert!(
        audit
            .entries
            .iter()
            .any(|e| e.action == "staff.create" && e.target == created.id),
        "{:?}",
        audit.entries
    );
    assert!(
        audit
            .entries
            .iter()
            .all(|e| !e.detail.contains(DEMO_PASSWORD))
    );
}

#[tokio::test]
async fn staff_input_is_validated() {
    let app = spawn_app().await;
    let admin = app.staff_token("admin@pst.test").await;

    let err = app
        .client
        .clone()
        .create_staff(bearer(staff("x", "visitor", "16"), &admin))
        .await
        .unwrap_err();

    assert_eq!(fields_of(&err), ["email", "role", "office_code"]);
}

#[tokio::test]
async fn staff_of_an_unknown_office_is_refused() {
    let app = spawn_app().await;
    let admin = app.staff_token("admin@pst.test").await;

    let err = app
        .client
        .clone()
        .create_staff(bearer(staff("x@pst.test", "librarian", "9999"), &admin))
        .await
        .unwrap_err();

    assert_eq!(code_of(&err), "OFFICE_NOT_FOUND");
}

#[tokio::test]
async fn a_supervisor_cannot_read_another_offices_audit() {
    let app = spawn_app().await;
    let supervisor = app.staff_token("supervisor@pst.test").await;

    let err = app
        .client
        .clone()
        .list_audit(bearer(
            pb::ListAuditRequest {
                office_code: "1600".into(),
                page: None,
                ..Default::default()
            },
            &supervisor,
        ))
        .await
        .unwrap_err();

    assert_eq!(err.code(), Code::PermissionDenied);
}

#[tokio::test]
async fn a_disabled_staff_member_can_no_longer_log_in_or_refresh() {
    let app = spawn_app().await;
    let mut c = app.client.clone();
    let admin = app.staff_token("admin@pst.test").await;
    let fo = app.login("fo@pst.test", DEMO_PASSWORD).await.expect("fo");
    let staff_list = c
        .list_staff(bearer(
            pb::ListStaffRequest {
                office_code: "1674".into(),
                page: None,
            },
            &admin,
        ))
        .await
        .expect("list")
        .into_inner();
    let fo_id = staff_list
        .staff
        .iter()
        .find(|u| u.email == "fo@pst.test")
        .expect("fo listed")
        .id
        .clone();

    c.update_staff(bearer(
        pb::UpdateStaffRequest {
            user_id: fo_id,
            active: Some(false),
            ..Default::default()
        },
        &admin,
    ))
    .await
    .expect("disable");

    assert_eq!(
        code_of(&app.login("fo@pst.test", DEMO_PASSWORD).await.unwrap_err()),
        "ACCOUNT_DISABLED"
    );
    let err = c
        .refresh(pb::RefreshRequest {
            refresh_token: fo.refresh_token,
        })
        .await
        .unwrap_err();
    assert_eq!(err.code(), Code::Unauthenticated);
}

#[tokio::test]
async fn staff_lists_page_with_a_stable_cursor() {
    let app = spawn_app().await;
    let mut c = app.client.clone();
    let admin = app.staff_token("admin@pst.test").await;
    let page = |cursor: String| {
        bearer(
            pb::ListStaffRequest {
                office_code: "1674".into(),
                page: Some(PageRequest { cursor, limit: 2 }),
            },
            &admin,
        )
    };

    let first = c
        .list_staff(page(String::new()))
        .await
        .expect("page 1")
        .into_inner();
    let next = first.page.clone().expect("page info").next_cursor;
    let second = c.list_staff(page(next)).await.expect("page 2").into_inner();

    assert_eq!(first.staff.len(), 2);
    assert_eq!(
        second.staff.len(),
        1,
        "fo, pustakawan, supervisor are in 1674"
    );
    assert!(second.page.expect("info").next_cursor.is_empty());
    let too_big = c
        .list_staff(bearer(
            pb::ListStaffRequest {
                office_code: "1674".into(),
                page: Some(PageRequest {
                    cursor: String::new(),
                    limit: 5000,
                }),
            },
            &admin,
        ))
        .await
        .unwrap_err();
    assert_eq!(fields_of(&too_big), ["page.limit"]);
}

#[tokio::test]
async fn offices_are_upserted_by_admins_with_a_known_time_zone() {
    let app = spawn_app().await;
    let mut c = app.client.clone();
    let admin = app.staff_token("admin@pst.test").await;
    let office = |tz: &str| pb::UpsertOfficeRequest {
        office: Some(Office {
            code: "7371".into(),
            name: "BPS Kota Makassar".into(),
            time_zone: tz.into(),
        }),
    };

    let bad = c
        .upsert_office(bearer(office("Asia/Tokyo"), &admin))
        .await
        .unwrap_err();
    assert_eq!(fields_of(&bad), ["office.time_zone"]);
    c.upsert_office(bearer(office("Asia/Makassar"), &admin))
        .await
        .expect("upsert");

    let list = c
        .list_offices(pb::ListOfficesRequest {})
        .await
        .expect("list")
        .into_inner();
    assert!(
        list.offices
            .iter()
            .any(|o| o.code == "7371" && o.time_zone == "Asia/Makassar")
    );
}

#[tokio::test]
async fn giving_an_officeless_admin_a_staff_role_needs_an_office_not_a_500() {
    let app = spawn_app().await;
    let mut c = app.client.clone();
    let admin = app.staff_token("admin@pst.test").await;
    let second = c
        .create_staff(bearer(staff("admin2@pst.test", "admin", ""), &admin))
        .await
        .expect("second admin")
        .into_inner();

    let err = c
        .update_staff(bearer(
            pb::UpdateStaffRequest {
                user_id: second.id.clone(),
                role: Some("front_office".into()),
                ..Default::default()
            },
            &admin,
        ))
        .await
        .unwrap_err();

    assert_eq!(err.code(), Code::InvalidArgument);
    assert_eq!(fields_of(&err), ["office_code"]);
}
