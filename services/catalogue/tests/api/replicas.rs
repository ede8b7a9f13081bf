//! Two catalogue replicas on one database, each with its own search index: a write on one
//! is searchable on the other within a second, whatever order transactions commit in, and
//! a replica that restarted or lost the database catches up by itself.

use std::time::Duration;

use pst_proto::catalogue as pb;

use crate::helpers::*;

fn query(q: &str) -> pb::SearchRequest {
    pb::SearchRequest {
        q: q.into(),
        ..Default::default()
    }
}

/// Exactly `title` is found (the titles come from Postgres, the matching from the
/// index: a changed title shown is not yet a change searchable).
fn found(title: &'static str) -> impl Fn(&pb::SearchResponse) -> bool {
    move |r| titles(r) == [title]
}

#[tokio::test]
async fn a_write_on_one_replica_is_searchable_on_the_other_within_a_second() {
    let a = spawn_app().await;
    let b = replica(&a).await;
    assert!(b.search("Gambutmerah").await.hits.is_empty());

    let created = a
        .create(publication("Statistik Lahan Gambutmerah 2023"))
        .await
        .expect("created on A");
    // The writing replica answers only once its own index holds the write.
    assert_eq!(
        titles(&a.search("Gambutmerah").await),
        ["Statistik Lahan Gambutmerah 2023"]
    );
    let r = b
        .search_within(
            query("Gambutmerah"),
            Duration::from_secs(1),
            found("Statistik Lahan Gambutmerah 2023"),
        )
        .await;
    assert_eq!(
        titles(&r),
        ["Statistik Lahan Gambutmerah 2023"],
        "B sees A's write within 1 s"
    );

    // A withdrawal leaves B's results as quickly.
    let mut c = a.client.clone();
    c.withdraw_publication(with_token(
        pb::WithdrawRequest {
            id: created.id.clone(),
            reason: "Terbit ganda dengan edisi revisi".into(),
        },
        &a.librarian(),
    ))
    .await
    .expect("withdrawn");
    let r = b
        .search_within(query("Gambutmerah"), Duration::from_secs(1), |r| {
            r.hits.is_empty()
        })
        .await;
    assert!(
        r.hits.is_empty(),
        "withdrawn on A, gone on B: {:?}",
        titles(&r)
    );
}

#[tokio::test]
async fn a_change_committed_after_a_later_one_still_reaches_the_other_replica() {
    let a = spawn_app().await;
    let b = replica(&a).await;
    let first = a
        .create(publication("Indeks Harga Kopi Rejang 2023"))
        .await
        .expect("first");
    let second = a
        .create(publication("Indeks Harga Karet Rejang 2023"))
        .await
        .expect("second");

    // T1 changes the first publication and stays open; T2 changes the second and commits.
    // T1's log row has the smaller sequence number but commits last.
    let mut t1 = a.pool.begin().await.expect("t1");
    sqlx::query("UPDATE publications SET title = 'Indeks Harga Kopi Arabika Rejang 2023' WHERE id = $1::uuid")
        .bind(&first.id)
        .execute(&mut *t1)
        .await
        .expect("t1 update");
    sqlx::query(
        "UPDATE publications SET title = 'Indeks Harga Karet Alam Rejang 2023' WHERE id = $1::uuid",
    )
    .bind(&second.id)
    .execute(&a.pool)
    .await
    .expect("t2 update");
    let r = b
        .search_until(
            query("karet alam"),
            found("Indeks Harga Karet Alam Rejang 2023"),
        )
        .await;
    assert_eq!(
        titles(&r),
        ["Indeks Harga Karet Alam Rejang 2023"],
        "searched as {:?}, {} found",
        r.corrected_query,
        r.total
    );
    // B has read past T2 while T1 was still open; T1 now commits.
    t1.commit().await.expect("t1 commit");
    let r = b
        .search_within(
            query("arabika"),
            Duration::from_secs(1),
            found("Indeks Harga Kopi Arabika Rejang 2023"),
        )
        .await;
    assert_eq!(
        titles(&r),
        ["Indeks Harga Kopi Arabika Rejang 2023"],
        "the change that committed last is not skipped"
    );
}

#[tokio::test]
async fn a_replica_that_restarts_or_loses_the_database_catches_up() {
    let a = spawn_app().await;
    let b = replica(&a).await;
    drop(b);
    // Written while B is down.
    a.create(publication("Produksi Tanaman Kelapa Sawit Seluma 2023"))
        .await
        .expect("created while B was down");
    let b = replica(&a).await;
    assert_eq!(
        titles(&b.search("sawit seluma").await),
        ["Produksi Tanaman Kelapa Sawit Seluma 2023"],
        "a replica that starts builds from the table"
    );

    // Every connection to the database is cut (B's listener too), and a change is made
    // behind both replicas' backs: B reconnects and reads it from the log.
    sqlx::query(
        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity \
         WHERE datname = current_database() AND pid <> pg_backend_pid()",
    )
    .execute(&a.pool)
    .await
    .expect("terminate");
    sqlx::query("UPDATE publications SET title = 'Produksi Tanaman Kelapa Sawit Rakyat Seluma 2023' WHERE title LIKE 'Produksi Tanaman Kelapa Sawit Seluma%'")
        .execute(&a.pool)
        .await
        .expect("update after the cut");
    let r = b
        .search_until(
            query("sawit rakyat"),
            found("Produksi Tanaman Kelapa Sawit Rakyat Seluma 2023"),
        )
        .await;
    assert_eq!(
        titles(&r),
        ["Produksi Tanaman Kelapa Sawit Rakyat Seluma 2023"],
        "B caught up after losing its connections"
    );
}
