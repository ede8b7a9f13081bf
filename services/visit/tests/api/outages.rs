use pst_proto::visit as pb;
use tonic::Code;

use crate::helpers::*;

/// Redis down: queue calls answer 503 with a clear code, while the guest book and the
/// report (Postgres only) keep working.
#[tokio::test]
async fn with_redis_down_the_queue_is_503_and_the_guest_book_still_works() {
    let healthy = spawn_app().await;
    let ticket = healthy.take("perpustakaan").await;
    let mut broken_settings = healthy.settings.clone();
    broken_settings.redis.url = "redis://127.0.0.1:1".into();
    let broken = start(broken_settings, None).await;
    let mut c = broken.client.clone();

    let take = c
        .take_ticket(pb::TakeTicketRequest {
            office_code: "1674".into(),
            service_type: "perpustakaan".into(),
            device_id: String::new(),
        })
        .await
        .unwrap_err();
    let board = c
        .get_board(pb::GetBoardRequest {
            office_code: "1674".into(),
        })
        .await
        .unwrap_err();
    let visit = c
        .create_visit(pb::CreateVisitRequest {
            visit_card: String::new(),
            ticket_id: ticket.id.clone(),
            guest_book: Some(guest_book()),
        })
        .await;
    let report = c
        .get_service_time_report(with_token(
            pb::ServiceTimeReportRequest {
                office_code: "1674".into(),
                from: "2026-01-01".into(),
                to: "2026-12-31".into(),
                summary_only: false,
            },
            &broken.token(pst_kit::auth::Role::Supervisor, Some("1674")),
        ))
        .await;

    assert_eq!(take.code(), Code::Unavailable);
    assert_eq!(code_of(&take), "QUEUE_UNAVAILABLE");
    assert_eq!(board.code(), Code::Unavailable);
    assert!(visit.is_ok(), "guest book needs only Postgres: {visit:?}");
    assert!(report.is_ok(), "the report needs only Postgres: {report:?}");
}
