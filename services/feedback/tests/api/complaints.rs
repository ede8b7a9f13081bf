use pst_kit::auth::Role;
use pst_proto::feedback as fb;
use tonic::Code;

use crate::helpers::*;

fn complaint(channel: &str, text: &str) -> fb::CreateComplaintRequest {
    fb::CreateComplaintRequest {
        channel: channel.into(),
        category: "fasilitas".into(),
        text: text.into(),
        office_code: "1674".into(),
        reference_kind: String::new(),
        reference_id: String::new(),
        contact_email: "pelapor@example.id".into(),
        contact_name: "Yusuf".into(),
    }
}

const TEXT: &str = "AC di ruang baca perpustakaan tidak berfungsi sejak minggu lalu.";

#[tokio::test]
async fn an_answer_reaches_the_complainant_in_the_thread_and_by_mail() {
    let app = spawn_app().await;
    let mut c = app.feedback.clone();
    let filed = c
        .create_complaint(complaint("app", TEXT))
        .await
        .expect("filed")
        .into_inner();
    assert_eq!(filed.status, "received");
    assert_eq!(
        filed.tracking_code.len(),
        10,
        "anonymous complainants get a tracking code"
    );
    let staff = app.token(Role::Librarian, Some("1674"));
    // The address typed by an anonymous complainant is confirmed from the mailed link first.
    let token =
        pst_testkit::mailed_token(&app.outbox, "pelapor@example.id", "pengaduan/konfirmasi")
            .expect("a confirmation link is mailed");
    c.confirm_complaint_contact(fb::ConfirmContactRequest { token })
        .await
        .expect("confirmed");

    let answered = c
        .add_complaint_response(with_token(
            fb::AddComplaintResponseRequest {
                complaint_id: filed.id.clone(),
                text: "AC sudah diperbaiki hari ini. Terima kasih.".into(),
                tracking_code: String::new(),
                expected_messages: Some(0),
            },
            &staff,
        ))
        .await
        .expect("answer")
        .into_inner();
    let seen = c
        .get_complaint(fb::GetComplaintRequest {
            complaint_id: filed.id.clone(),
            tracking_code: filed.tracking_code.clone(),
        })
        .await
        .expect("seen")
        .into_inner();

    assert_eq!(answered.status, "answered");
    assert_eq!(seen.messages.len(), 1);
    assert_eq!(seen.messages[0].author_role, "staff");
    let mails: Vec<String> = std::fs::read_dir(&app.outbox)
        .expect("outbox")
        .map(|e| std::fs::read_to_string(e.expect("file").path()).expect("eml"))
        .collect();
    assert!(mails.iter().any(|m| m.contains("To: pelapor@example.id") && m.contains("Tanggapan atas pengaduan")), "{mails:?}");
}

#[tokio::test]
async fn the_life_cycle_lets_the_complainant_close_or_reopen_but_not_work_on_it() {
    let app = spawn_app().await;
    let me = uuid::Uuid::new_v4();
    let token = app.token_for(me, Role::Visitor);
    let staff = app.token(Role::Supervisor, Some("1674"));
    let mut c = app.feedback.clone();
    let filed = c
        .create_complaint(with_token(complaint("app", TEXT), &token))
        .await
        .expect("filed")
        .into_inner();
    let status = |to: &str, t: &str| {
        with_token(
            fb::ChangeComplaintStatusRequest {
                complaint_id: filed.id.clone(),
                status: to.into(),
                assigned_to: String::new(),
                tracking_code: String::new(),
            },
            t,
        )
    };

    c.change_complaint_status(status("in_progress", &staff))
        .await
        .expect("staff take it");
    c.add_complaint_response(with_token(
        fb::AddComplaintResponseRequest {
            complaint_id: filed.id.clone(),
            text: "Sedang kami tangani bersama bagian umum.".into(),
            tracking_code: String::new(),
            expected_messages: None,
        },
        &staff,
    ))
    .await
    .expect("answer");
    c.change_complaint_status(status("closed", &token))
        .await
        .expect("the complainant accepts");
    let illegal = c
        .change_complaint_status(status("in_progress", &token))
        .await
        .unwrap_err();
    let reopened = c
        .change_complaint_status(status("reopened", &token))
        .await
        .expect("reopen within the window")
        .into_inner();

    assert_eq!(illegal.code(), Code::FailedPrecondition);
    assert_eq!(code_of(&illegal), "ILLEGAL_STATUS_CHANGE");
    assert_eq!(reopened.status, "reopened");
    sqlx::query("UPDATE complaints SET closed_at = now() - interval '30 days', status = 'closed' WHERE id = $1::uuid").bind(&filed.id).execute(&app.pool).await.expect("age");
    assert_eq!(
        code_of(
            &c.change_complaint_status(status("reopened", &token))
                .await
                .unwrap_err()
        ),
        "REOPEN_WINDOW_PASSED"
    );
}

#[tokio::test]
async fn complainants_see_only_their_own_and_staff_only_their_office() {
    let app = spawn_app().await;
    let me = app.token_for(uuid::Uuid::new_v4(), Role::Visitor);
    let other = app.token(Role::Visitor, None);
    let mut c = app.feedback.clone();
    let mine = c
        .create_complaint(with_token(complaint("app", TEXT), &me))
        .await
        .expect("filed")
        .into_inner();
    c.create_complaint(complaint(
        "app",
        "Antrean di loket terlalu lama pada hari Senin.",
    ))
    .await
    .expect("another");

    let own_list = c
        .list_complaints(with_token(fb::ListComplaintsRequest::default(), &me))
        .await
        .expect("list")
        .into_inner();
    let stranger = c
        .get_complaint(with_token(
            fb::GetComplaintRequest {
                complaint_id: mine.id.clone(),
                tracking_code: String::new(),
            },
            &other,
        ))
        .await
        .unwrap_err();
    let elsewhere = c
        .get_complaint(with_token(
            fb::GetComplaintRequest {
                complaint_id: mine.id.clone(),
                tracking_code: String::new(),
            },
            &app.token(Role::Supervisor, Some("1671")),
        ))
        .await
        .unwrap_err();
    let office = c
        .list_complaints(with_token(
            fb::ListComplaintsRequest {
                office_code: "1674".into(),
                ..Default::default()
            },
            &app.token(Role::FrontOffice, Some("1674")),
        ))
        .await
        .expect("office list")
        .into_inner();

    assert_eq!(own_list.complaints.len(), 1);
    assert_eq!(own_list.complaints[0].id, mine.id);
    assert_eq!(stranger.code(), Code::PermissionDenied);
    assert_eq!(elsewhere.code(), Code::PermissionDenied);
    assert_eq!(office.complaints.len(), 2);
}

#[tokio::test]
async fn offline_channels_are_filed_by_staff_and_bad_texts_are_refused() {
    let app = spawn_app().await;
    let mut c = app.feedback.clone();
    let fo = app.token(Role::FrontOffice, Some("1674"));

    let by_visitor = c
        .create_complaint(complaint("lapor", TEXT))
        .await
        .unwrap_err();
    let by_staff = c
        .create_complaint(with_token(complaint("lapor", TEXT), &fo))
        .await
        .expect("staff files a LAPOR! complaint")
        .into_inner();
    let empty = c.create_complaint(complaint("app", "")).await.unwrap_err();
    let huge = c
        .create_complaint(complaint("app", &"x".repeat(50_000)))
        .await
        .unwrap_err();

    assert_eq!(fields_of(&by_visitor), ["channel"]);
    assert_eq!(by_staff.channel, "lapor");
    assert!(by_staff.tracking_code.is_empty());
    assert_eq!(fields_of(&empty), ["text"]);
    assert_eq!(fields_of(&huge), ["text"]);
    let n: i64 = sqlx::query_scalar("SELECT count(*) FROM complaints")
        .fetch_one(&app.pool)
        .await
        .expect("count");
    assert_eq!(n, 1);
    let audited: i64 =
        sqlx::query_scalar("SELECT count(*) FROM audit_log WHERE action = 'complaint.file'")
            .fetch_one(&app.pool)
            .await
            .expect("audit");
    assert_eq!(audited, 1);
}

#[tokio::test]
async fn deadlines_are_working_days_and_late_complaints_are_listed_as_overdue() {
    let app = spawn_app().await;
    let mut c = app.feedback.clone();
    let filed = c
        .create_complaint(complaint("app", TEXT))
        .await
        .expect("filed")
        .into_inner();
    let today: chrono::NaiveDate = today().parse().expect("date");
    let expected = pst_feedback::domain::workdays::add_working_days(today, 3, &[]);
    assert!(
        filed.verify_due.as_str() >= expected.to_string().as_str(),
        "{} vs {expected}",
        filed.verify_due
    );
    assert!(!filed.overdue);

    sqlx::query("UPDATE complaints SET verify_due = current_date - 10, follow_up_due = current_date - 5 WHERE id = $1::uuid").bind(&filed.id).execute(&app.pool).await.expect("age");
    let sup = app.token(Role::Supervisor, Some("1674"));
    let overdue = c
        .list_complaints(with_token(
            fb::ListComplaintsRequest {
                office_code: "1674".into(),
                status: "overdue".into(),
                ..Default::default()
            },
            &sup,
        ))
        .await
        .expect("overdue")
        .into_inner();
    let report = c
        .get_complaint_report(with_token(
            fb::PeriodRequest {
                office_code: "1674".into(),
                from: today.to_string(),
                to: today.to_string(),
            },
            &sup,
        ))
        .await
        .expect("report")
        .into_inner();

    assert_eq!(overdue.complaints.len(), 1);
    assert!(overdue.complaints[0].overdue);
    assert_eq!((report.total, report.overdue), (1, 1));
    assert_eq!(report.by_channel[0].key, "app");
}

#[tokio::test]
async fn a_status_change_to_answered_starts_the_reopen_window_now() {
    let app = spawn_app().await;
    let me = app.token_for(uuid::Uuid::new_v4(), Role::Visitor);
    let staff = app.token(Role::Supervisor, Some("1674"));
    let mut c = app.feedback.clone();
    let filed = c
        .create_complaint(with_token(complaint("app", TEXT), &me))
        .await
        .expect("filed")
        .into_inner();
    sqlx::query(
        "UPDATE complaints SET received_at = now() - interval '20 days' WHERE id = $1::uuid",
    )
    .bind(&filed.id)
    .execute(&app.pool)
    .await
    .expect("age");
    let status = |to: &str, t: &str| {
        with_token(
            fb::ChangeComplaintStatusRequest {
                complaint_id: filed.id.clone(),
                status: to.into(),
                assigned_to: String::new(),
                tracking_code: String::new(),
            },
            t,
        )
    };

    let answered = c
        .change_complaint_status(status("answered", &staff))
        .await
        .expect("answered")
        .into_inner();
    assert!(!answered.answered_at.is_empty());
    c.change_complaint_status(status("reopened", &me))
        .await
        .expect("the window runs from the answer, not the receipt");
}
