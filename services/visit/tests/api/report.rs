use pst_kit::auth::Role;
use pst_proto::visit as pb;
use tonic::Code;

use crate::helpers::*;

/// Serves a visit whose guest book was filled `wait` seconds before service started.
async fn visit_with_wait(app: &TestApp, wait: i64) -> pb::Visit {
    let t = app.take("perpustakaan").await;
    let v = app.visit(&t.id).await;
    app.call("L1").await.expect("call");
    app.act("start", &t.id).await.expect("start");
    sqlx::query("UPDATE visits SET guest_book_at = (SELECT started_at FROM tickets WHERE id = $1::uuid) - make_interval(secs => $2) WHERE id = $3::uuid")
        .bind(&t.id)
        .bind(wait as f64)
        .bind(&v.id)
        .execute(&app.pool)
        .await
        .expect("set wait");
    app.act("finish", &t.id).await.expect("finish");
    v
}

#[tokio::test]
async fn the_report_gives_median_p90_share_in_time_and_every_breach() {
    let app = spawn_app().await;
    for wait in [60, 120, 180, 240, 400] {
        visit_with_wait(&app, wait).await;
    }
    let today = chrono::Utc::now()
        .with_timezone(&chrono_tz::Asia::Jakarta)
        .date_naive()
        .to_string();

    let r = app
        .client
        .clone()
        .get_service_time_report(with_token(
            pb::ServiceTimeReportRequest {
                office_code: "1674".into(),
                from: today.clone(),
                to: today.clone(),
                summary_only: false,
            },
            &app.token(Role::Supervisor, Some("1674")),
        ))
        .await
        .expect("report")
        .into_inner();

    assert_eq!((r.visits, r.served), (5, 5));
    assert!(
        (r.median_wait_secs - 180.0).abs() < 1.0,
        "median {}",
        r.median_wait_secs
    );
    assert!(
        (r.p90_wait_secs - 336.0).abs() < 1.0,
        "p90 {}",
        r.p90_wait_secs
    );
    assert!((r.within_promise_share - 0.8).abs() < 1e-9);
    assert_eq!(r.breaches.len(), 1);
    assert_eq!(r.breaches[0].wait_secs, 400);
    assert_eq!(r.breaches[0].counter, "L1");
    assert_eq!(r.visit_times.len(), 5);
    let waits: u32 = r.wait_minutes.iter().map(|t| t.count).sum();
    assert_eq!(waits, 5, "every served visit in one wait bucket");
    assert_eq!(r.days.len(), 1);
    assert_eq!((r.days[0].visits, r.days[0].within_promise), (5, 4));

    // The summary has the same figures and aggregates, without the lists.
    let s = app
        .client
        .clone()
        .get_service_time_report(with_token(
            pb::ServiceTimeReportRequest {
                office_code: "1674".into(),
                from: today.clone(),
                to: today,
                summary_only: true,
            },
            &app.token(Role::Supervisor, Some("1674")),
        ))
        .await
        .expect("summary")
        .into_inner();
    assert_eq!((s.visits, s.served, s.days.len()), (5, 5, 1));
    assert!(s.breaches.is_empty() && s.visit_times.is_empty());
}

#[tokio::test]
async fn the_report_is_for_supervisors_with_a_valid_period() {
    let app = spawn_app().await;
    let mut c = app.client.clone();
    let req = |from: &str, to: &str, token: &str| {
        with_token(
            pb::ServiceTimeReportRequest {
                office_code: "1674".into(),
                from: from.into(),
                to: to.into(),
                summary_only: false,
            },
            token,
        )
    };

    let fo = c
        .get_service_time_report(req("2026-01-01", "2026-01-31", &app.fo()))
        .await
        .unwrap_err();
    let sup = app.token(Role::Supervisor, Some("1674"));
    let backwards = c
        .get_service_time_report(req("2026-02-01", "2026-01-01", &sup))
        .await
        .unwrap_err();
    let garbage = c
        .get_service_time_report(req("kemarin", "2026-01-01", &sup))
        .await
        .unwrap_err();

    assert_eq!(fo.code(), Code::PermissionDenied);
    assert_eq!(fields_of(&backwards), ["to"]);
    assert_eq!(fields_of(&garbage), ["from"]);
}
