use pst_kit::auth::Role;
use pst_proto::visit as pb;
use tonic::Code;

use crate::helpers::*;

#[tokio::test]
async fn numbers_count_up_per_line_with_their_prefix() {
    let app = spawn_app().await;

    let p1 = app.take("perpustakaan").await;
    let p2 = app.take("perpustakaan").await;
    let k1 = app.take("konsultasi").await;

    assert_eq!(
        (p1.number.as_str(), p2.number.as_str(), k1.number.as_str()),
        ("P-001", "P-002", "K-001")
    );
    assert_eq!(p2.position, 1, "one ticket ahead in the same line");
    assert_eq!(p1.status, pb::TicketStatus::Waiting as i32);
    assert!(
        p1.taken_at.ends_with("+07:00"),
        "times in WIB: {}",
        p1.taken_at
    );
}

#[tokio::test]
async fn a_counter_calls_the_oldest_ticket_of_the_lines_it_serves_only() {
    let app = spawn_app().await;
    let k = app.take("konsultasi").await;

    // Loket 2 serves only the library line.
    assert!(app.call("L2").await.is_none());
    let called = app.call("L1").await.expect("L1 serves konsultasi");

    assert_eq!(called.id, k.id);
    assert_eq!(called.counter, "L1");
    assert_eq!(called.status, pb::TicketStatus::Called as i32);
}

#[tokio::test]
async fn a_ticket_goes_through_call_start_finish_and_cannot_finish_twice() {
    let app = spawn_app().await;
    let t = app.take("perpustakaan").await;
    app.call("L1").await.expect("called");

    let started = app.act("start", &t.id).await.expect("start");
    let done = app.act("finish", &t.id).await.expect("finish");
    let again = app.act("finish", &t.id).await.unwrap_err();

    assert!(!started.started_at.is_empty());
    assert_eq!(done.status, pb::TicketStatus::Done as i32);
    assert_eq!(again.code(), Code::FailedPrecondition);
    assert_eq!(code_of(&again), "TICKET_ALREADY_FINISHED");
    let events: Vec<String> = sqlx::query_scalar(
        "SELECT action FROM ticket_events WHERE ticket_id = $1::uuid ORDER BY id",
    )
    .bind(&t.id)
    .fetch_all(&app.pool)
    .await
    .expect("events");
    assert_eq!(
        events,
        ["take", "call", "start", "finish"],
        "every step is recorded"
    );
}

#[tokio::test]
async fn recall_stops_at_three_calls_and_skip_allows_a_return_within_the_grace() {
    let app = spawn_app().await;
    let t = app.take("perpustakaan").await;
    app.call("L1").await.expect("first call");
    app.act("recall", &t.id).await.expect("second call");
    app.act("recall", &t.id).await.expect("third call");

    assert_eq!(
        code_of(&app.act("recall", &t.id).await.unwrap_err()),
        "RECALL_LIMIT"
    );

    let skipped = app.act("skip", &t.id).await.expect("skip");
    assert_eq!(skipped.status, pb::TicketStatus::Skipped as i32);
    let back = app
        .act("recall", &t.id)
        .await
        .expect("called back within the grace");
    assert_eq!(back.status, pb::TicketStatus::Called as i32);
}

#[tokio::test]
async fn a_skipped_ticket_past_its_grace_cannot_come_back() {
    let app = start(
        test_settings(&[("PST_VISIT__SKIP_GRACE_SECS", "0")]),
        Some(REDIS.read().await),
    )
    .await;
    let t = app.take("perpustakaan").await;
    app.call("L1").await.expect("called");
    app.act("skip", &t.id).await.expect("skip");
    sqlx::query("UPDATE tickets SET skipped_at = now() - interval '5 seconds' WHERE id = $1::uuid")
        .bind(&t.id)
        .execute(&app.pool)
        .await
        .expect("age");

    assert_eq!(
        code_of(&app.act("recall", &t.id).await.unwrap_err()),
        "SKIP_GRACE_EXPIRED"
    );
}

#[tokio::test]
async fn a_transfer_keeps_the_place_in_the_order_of_arrival() {
    let app = spawn_app().await;
    let early = app.take("perpustakaan").await;
    let later = app.take("konsultasi").await;

    app.client
        .clone()
        .transfer(with_token(
            pb::TransferRequest {
                ticket_id: early.id.clone(),
                service_type: "konsultasi".into(),
            },
            &app.fo(),
        ))
        .await
        .expect("transfer");

    assert!(
        app.call("L2").await.is_none(),
        "no longer in the library line"
    );
    assert_eq!(
        app.call("L1").await.expect("first").id,
        early.id,
        "still ahead of the later arrival"
    );
    assert_eq!(app.call("L1").await.expect("second").id, later.id);
}

#[tokio::test]
async fn unknown_office_line_and_counter_have_their_own_codes() {
    let app = spawn_app().await;
    let mut c = app.client.clone();

    let office = c
        .take_ticket(pb::TakeTicketRequest {
            office_code: "9999".into(),
            service_type: "perpustakaan".into(),
            device_id: String::new(),
        })
        .await
        .unwrap_err();
    let line = c
        .take_ticket(pb::TakeTicketRequest {
            office_code: "1674".into(),
            service_type: "fotokopi".into(),
            device_id: String::new(),
        })
        .await
        .unwrap_err();
    let counter = c
        .call_next(with_token(
            pb::CallNextRequest {
                office_code: "1674".into(),
                counter: "L9".into(),
            },
            &app.fo(),
        ))
        .await
        .unwrap_err();
    let bad = c
        .take_ticket(pb::TakeTicketRequest {
            office_code: "16".into(),
            service_type: "perpustakaan".into(),
            device_id: String::new(),
        })
        .await
        .unwrap_err();

    assert_eq!(code_of(&office), "OFFICE_NOT_FOUND");
    assert_eq!(code_of(&line), "SERVICE_TYPE_NOT_FOUND");
    assert_eq!(code_of(&counter), "COUNTER_NOT_FOUND");
    assert_eq!(fields_of(&bad), ["office_code"]);
}

#[tokio::test]
async fn no_numbers_outside_opening_hours() {
    let app = spawn_app().await;
    app.set_office(|s| s.open_days = vec![]).await;
    let mut settings = app.settings.clone();
    settings.demo = false; // the demo setup would reopen the office
    let fresh = start(settings, None).await;

    let err = fresh
        .client
        .clone()
        .take_ticket(pb::TakeTicketRequest {
            office_code: "1674".into(),
            service_type: "perpustakaan".into(),
            device_id: String::new(),
        })
        .await
        .unwrap_err();

    assert_eq!(code_of(&err), "OFFICE_CLOSED");
    assert!(err.message().contains("WIB"), "{}", err.message());
}

#[tokio::test]
async fn counter_actions_need_front_office_of_that_office() {
    let app = spawn_app().await;
    let t = app.take("perpustakaan").await;
    let mut c = app.client.clone();
    let call = |token: String| {
        with_token(
            pb::CallNextRequest {
                office_code: "1674".into(),
                counter: "L1".into(),
            },
            &token,
        )
    };

    let other_office = c
        .call_next(call(app.token(Role::FrontOffice, Some("1671"))))
        .await
        .unwrap_err();
    let visitor = c
        .call_next(call(app.token(Role::Visitor, None)))
        .await
        .unwrap_err();
    let anonymous = c
        .call_next(pb::CallNextRequest {
            office_code: "1674".into(),
            counter: "L1".into(),
        })
        .await
        .unwrap_err();
    let start = c
        .start_service(with_token(
            pb::TicketActionRequest {
                ticket_id: t.id.clone(),
                counter: String::new(),
            },
            &app.token(Role::Librarian, Some("1674")),
        ))
        .await
        .unwrap_err();

    assert_eq!(other_office.code(), Code::PermissionDenied);
    assert_eq!(visitor.code(), Code::PermissionDenied);
    assert_eq!(anonymous.code(), Code::Unauthenticated);
    assert_eq!(start.code(), Code::PermissionDenied);
}

#[tokio::test]
async fn a_visitor_has_one_open_ticket_a_day_and_sees_only_their_own() {
    let app = spawn_app().await;
    let me = uuid::Uuid::new_v4();
    let token = app.token_for(me, Role::Visitor);
    let mut c = app.client.clone();
    let take = || {
        with_token(
            pb::TakeTicketRequest {
                office_code: "1674".into(),
                service_type: "perpustakaan".into(),
                device_id: String::new(),
            },
            &token,
        )
    };

    let mine = c.take_ticket(take()).await.expect("first").into_inner();
    let second = c.take_ticket(take()).await.unwrap_err();
    let other = c
        .get_ticket(with_token(
            pb::GetTicketRequest {
                ticket_id: mine.id.clone(),
            },
            &app.token(Role::Visitor, None),
        ))
        .await
        .unwrap_err();
    let own = c
        .get_ticket(with_token(
            pb::GetTicketRequest {
                ticket_id: mine.id.clone(),
            },
            &token,
        ))
        .await
        .expect("own ticket");

    assert_eq!(code_of(&second), "OPEN_TICKET_EXISTS");
    assert_eq!(other.code(), Code::PermissionDenied);
    assert_eq!(own.into_inner().number, mine.number);
}

#[tokio::test]
async fn kiosks_are_rate_limited_per_device() {
    let app = start(
        test_settings(&[("PST_VISIT__KIOSK_TICKETS_PER_MINUTE", "3")]),
        Some(REDIS.read().await),
    )
    .await;
    let mut c = app.client.clone();
    let take = |device: &str| pb::TakeTicketRequest {
        office_code: "1674".into(),
        service_type: "perpustakaan".into(),
        device_id: device.into(),
    };
    for _ in 0..3 {
        c.take_ticket(take("kiosk-1"))
            .await
            .expect("within the limit");
    }

    let err = c.take_ticket(take("kiosk-1")).await.unwrap_err();
    c.take_ticket(take("kiosk-2"))
        .await
        .expect("another kiosk is counted apart");

    assert_eq!(err.code(), Code::ResourceExhausted);
    assert_eq!(code_of(&err), "KIOSK_RATE_LIMITED");

    // Staff of another office are counted like a kiosk; the office's own staff are not.
    let elsewhere = app.token(Role::FrontOffice, Some("1600"));
    for _ in 0..3 {
        c.take_ticket(with_token(take("loket-lain"), &elsewhere))
            .await
            .expect("within the limit");
    }
    let err = c
        .take_ticket(with_token(take("loket-lain"), &elsewhere))
        .await
        .unwrap_err();
    assert_eq!(
        err.code(),
        Code::ResourceExhausted,
        "another office's staff are limited"
    );
    let own = app.fo();
    for _ in 0..5 {
        c.take_ticket(with_token(take("loket-lain"), &own))
            .await
            .expect("the office's own front office hands out numbers freely");
    }

    // A device name is bounded and plain before it reaches Redis or Postgres.
    for bad in ["k".repeat(65), "kios depan".into(), "kios:*".into()] {
        let err = c.take_ticket(take(&bad)).await.unwrap_err();
        assert_eq!(err.code(), Code::InvalidArgument, "{bad}");
    }
}

#[tokio::test]
async fn a_client_address_without_the_gateways_signature_is_not_believed() {
    let app = start(
        test_settings(&[("PST_VISIT__KIOSK_TICKETS_PER_MINUTE", "2")]),
        Some(REDIS.read().await),
    )
    .await;
    let mut c = app.client.clone();
    // A caller inside the network claims a new address (and device) every time: all of
    // them count against the address the calls really come from (limit 4 x 2 = 8).
    let mut refused = None;
    for i in 0..9 {
        let mut req = tonic::Request::new(pb::TakeTicketRequest {
            office_code: "1674".into(),
            service_type: "perpustakaan".into(),
            device_id: format!("kios-{i}"),
        });
        req.metadata_mut().insert(
            "x-client-ip",
            format!("198.51.100.{i}").parse().expect("ascii"),
        );
        req.metadata_mut().insert(
            "x-client-ip-sig",
            "bukan-tanda-tangan".parse().expect("ascii"),
        );
        if let Err(e) = c.take_ticket(req).await {
            refused = Some((i, e));
            break;
        }
    }
    let (i, err) = refused.expect("the ninth number from one address is refused");
    assert_eq!(i, 8);
    assert_eq!(err.code(), Code::ResourceExhausted);
    assert_eq!(code_of(&err), "KIOSK_RATE_LIMITED");
}

#[tokio::test]
async fn the_board_shows_counters_waiting_lines_and_streams_changes() {
    use tokio_stream::StreamExt as _;
    let app = spawn_app().await;
    app.take("perpustakaan").await;
    app.take("perpustakaan").await;
    let mut stream = app
        .client
        .clone()
        .stream_board(pb::GetBoardRequest {
            office_code: "1674".into(),
        })
        .await
        .expect("stream")
        .into_inner();
    let first = stream.next().await.expect("first board").expect("ok");
    let library = first
        .lines
        .iter()
        .find(|l| l.service_type == "perpustakaan")
        .expect("line");
    assert_eq!(library.waiting, 2);
    assert!(library.estimated_wait_secs > 0);
    assert!(first.local_time.ends_with("WIB"));

    let called = app.call("L1").await.expect("called");
    let next = tokio::time::timeout(std::time::Duration::from_secs(1), stream.next())
        .await
        .expect("an update within a second")
        .expect("board")
        .expect("ok");

    assert!(
        next.last_event.contains(&called.number),
        "{}",
        next.last_event
    );
    let l1 = next
        .counters
        .iter()
        .find(|c| c.counter == "L1")
        .expect("L1");
    assert_eq!(l1.number, called.number);
    assert_eq!(
        next.lines
            .iter()
            .find(|l| l.service_type == "perpustakaan")
            .expect("line")
            .waiting,
        1
    );
}

#[tokio::test]
async fn a_skipped_visitor_can_take_a_new_number() {
    let app = spawn_app().await;
    let token = app.token_for(uuid::Uuid::new_v4(), Role::Visitor);
    let mut c = app.client.clone();
    let take = || {
        with_token(
            pb::TakeTicketRequest {
                office_code: "1674".into(),
                service_type: "perpustakaan".into(),
                device_id: String::new(),
            },
            &token,
        )
    };
    let first = c.take_ticket(take()).await.expect("first").into_inner();
    app.call("L1").await.expect("called");
    app.act("skip", &first.id).await.expect("no-show");

    let second = c
        .take_ticket(take())
        .await
        .expect("a new number after a skip")
        .into_inner();

    assert_ne!(second.number, first.number);
}

#[tokio::test]
async fn a_recall_names_a_counter_that_exists_and_serves_the_line() {
    let app = spawn_app().await;
    let k = app.take("konsultasi").await;
    app.call("L1").await.expect("called");
    let mut c = app.client.clone();
    let recall = |counter: &str| {
        with_token(
            pb::TicketActionRequest {
                ticket_id: k.id.clone(),
                counter: counter.into(),
            },
            &app.fo(),
        )
    };

    let unknown = c.recall(recall("L9")).await.unwrap_err();
    let wrong_line = c.recall(recall("L2")).await.unwrap_err();

    assert_eq!(code_of(&unknown), "COUNTER_NOT_FOUND");
    assert_eq!(code_of(&wrong_line), "COUNTER_DOES_NOT_SERVE");
    assert_eq!(
        c.recall(recall("L1"))
            .await
            .expect("recall at L1")
            .into_inner()
            .counter,
        "L1"
    );
}

#[tokio::test]
async fn new_device_ids_do_not_escape_the_kiosk_limit() {
    let app = start(
        test_settings(&[("PST_VISIT__KIOSK_TICKETS_PER_MINUTE", "2")]),
        Some(REDIS.read().await),
    )
    .await;
    let mut c = app.client.clone();
    let mut limited = 0;
    for i in 0..12 {
        let r = c
            .take_ticket(pb::TakeTicketRequest {
                office_code: "1674".into(),
                service_type: "perpustakaan".into(),
                device_id: format!("palsu-{i}"),
            })
            .await;
        if let Err(e) = r {
            assert_eq!(code_of(&e), "KIOSK_RATE_LIMITED");
            limited += 1;
        }
    }

    assert_eq!(
        limited, 4,
        "the address is limited to 4 x 2 a minute whatever the device id"
    );
}
