use std::collections::{HashMap, HashSet};

use pst_proto::visit as pb;

use crate::helpers::*;

/// 8 counters calling at once on 500 waiting tickets: each ticket served exactly once, and
/// every counter receives tickets in the order they were taken.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn eight_counters_serve_five_hundred_tickets_each_exactly_once_in_order() {
    let app = start(
        test_settings(&[("PST_VISIT__KIOSK_TICKETS_PER_MINUTE", "100000")]),
        Some(REDIS.read().await),
    )
    .await;
    app.set_office(|s| {
        s.counters = (1..=8)
            .map(|i| pst_visit::store::setup::Counter {
                code: format!("L{i}"),
                name: format!("Loket {i}"),
                service_types: vec!["perpustakaan".into()],
            })
            .collect();
    })
    .await;
    let app = std::sync::Arc::new(app);
    let mut order = HashMap::new();
    for i in 0..500u32 {
        let t = app.take("perpustakaan").await;
        order.insert(t.id, i);
    }

    let mut tasks = Vec::new();
    for i in 1..=8 {
        let app = std::sync::Arc::clone(&app);
        tasks.push(tokio::spawn(async move {
            let token = app.fo();
            let mut client = app.client.clone();
            let mut got = Vec::new();
            loop {
                let req = with_token(
                    pb::CallNextRequest {
                        office_code: "1674".into(),
                        counter: format!("L{i}"),
                    },
                    &token,
                );
                match client
                    .call_next(req)
                    .await
                    .expect("call next")
                    .into_inner()
                    .ticket
                {
                    Some(t) => got.push(t.id),
                    None => return got,
                }
            }
        }));
    }
    let mut all = Vec::new();
    let mut counters_used = 0;
    for t in tasks {
        let got = t.await.expect("counter task");
        let positions: Vec<u32> = got.iter().map(|id| order[id]).collect();
        assert!(
            positions.windows(2).all(|w| w[0] < w[1]),
            "a counter received tickets out of order: {positions:?}"
        );
        counters_used += usize::from(!got.is_empty());
        all.extend(got);
    }

    assert_eq!(all.len(), 500, "every ticket called");
    assert_eq!(
        all.iter().collect::<HashSet<_>>().len(),
        500,
        "no ticket called twice"
    );
    assert!(counters_used >= 2, "the counters really competed");
    let (called, once): (i64, i64) = sqlx::query_as("SELECT count(*) FILTER (WHERE status = 'called'), count(*) FILTER (WHERE call_count = 1) FROM tickets")
        .fetch_one(&app.pool)
        .await
        .expect("counts");
    assert_eq!((called, once), (500, 500));
}

/// Redis loses everything mid-day: the queue is rebuilt from Postgres and carries on with
/// no ticket lost, none called twice, no number issued twice, order kept.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_flushall_mid_day_loses_and_duplicates_nothing() {
    let exclusive = REDIS.write().await;
    let app = start(test_settings(&[]), None).await;
    let mut taken = Vec::new();
    for _ in 0..20 {
        taken.push(app.take("perpustakaan").await);
    }
    let mut called: Vec<String> = Vec::new();
    for _ in 0..5 {
        called.push(app.call("L2").await.expect("called").id);
    }

    let mut conn = redis_conn(&app).await;
    let _: () = pst_kit::redis::redis::cmd("FLUSHALL")
        .query_async(&mut conn)
        .await
        .expect("flushall");

    for _ in 0..5 {
        taken.push(app.take("perpustakaan").await);
    }
    while let Some(t) = app.call("L2").await {
        called.push(t.id);
    }
    drop(exclusive);

    let numbers: HashSet<_> = taken.iter().map(|t| t.number.clone()).collect();
    assert_eq!(numbers.len(), 25, "no number issued twice");
    assert!(
        numbers.contains("P-021") && numbers.contains("P-025"),
        "numbering continued after the flush"
    );
    assert_eq!(called.len(), 25, "every ticket called, none lost");
    assert_eq!(
        called.iter().collect::<HashSet<_>>().len(),
        25,
        "none called twice"
    );
    let in_order: Vec<String> = taken.iter().map(|t| t.id.clone()).collect();
    assert_eq!(called, in_order, "called in the order taken");
}

async fn redis_conn(app: &TestApp) -> pst_kit::redis::redis::aio::MultiplexedConnection {
    pst_kit::redis::redis::Client::open(app.settings.redis.url.as_str())
        .expect("url")
        .get_multiplexed_async_connection()
        .await
        .expect("redis")
}
