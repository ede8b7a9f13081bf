//! Keeping a replica's index current. Every change to a publication writes a row to the
//! `search_changes` log (a trigger, migration 0003) with its transaction id, and notifies
//! `search_changes`. Each replica reads the log from the oldest transaction that was still
//! running at its last read (`pg_snapshot_xmin`): a change committed later, even one given
//! an earlier sequence number, is read then; rows already applied are skipped by number.
//! It reads on every notification, every `POLL` anyway (a lost notification costs at most
//! that), and after the replica's own writes before they answer (read-your-writes).
//!
//! A replica that starts builds its index from one snapshot of the table and reads the log
//! from that snapshot on. One that could not read the log for `STALE` (the database was
//! away), or that finds more changes waiting than `BACKLOG`, builds a new index and swaps
//! it in; searches go on against the old one meanwhile.

use std::collections::HashMap;
use std::sync::{Arc, RwLock};
use std::time::{Duration, Instant};

use futures::TryStreamExt;
use sqlx::PgPool;
use uuid::Uuid;

use pst_kit::shutdown::CancellationToken;

use super::SearchIndex;
use super::document::IndexRow;
use crate::store;

/// Longest wait for a change made on another replica (without a notification).
const POLL: Duration = Duration::from_millis(500);
/// Rows read and indexed at a time.
const BATCH: usize = 2_000;
/// More changes waiting than this: building anew is cheaper than applying each.
const BACKLOG: i64 = 100_000;
/// How long the log keeps changes; a replica that read nothing for half of it rebuilds.
pub const KEEP_HOURS: i64 = 24;
const STALE: Duration = Duration::from_secs(KEEP_HOURS as u64 * 3_600 / 2);
/// How often a replica trims the log of changes older than `KEEP_HOURS`.
const TRIM_EVERY: Duration = Duration::from_secs(600);

/// Where a replica stands in the change log.
#[derive(Debug, Default)]
struct Position {
    /// Read from this transaction id on.
    floor: i64,
    /// Changes read at or above `floor`: (sequence number → transaction id).
    seen: HashMap<i64, i64>,
    /// The last time the log was read.
    read_at: Option<Instant>,
    trimmed_at: Option<Instant>,
}

/// A replica's index and its place in the change log.
pub struct LiveIndex {
    pool: PgPool,
    /// Batches of changes applied since start (other parts reload what they cache).
    applied: std::sync::atomic::AtomicU64,
    current: RwLock<Arc<SearchIndex>>,
    position: tokio::sync::Mutex<Position>,
}

impl std::fmt::Debug for LiveIndex {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("LiveIndex").finish_non_exhaustive()
    }
}

impl LiveIndex {
    /// Builds the index from the database (the service answers searches once it is done).
    pub async fn start(pool: PgPool) -> anyhow::Result<Arc<Self>> {
        let started = Instant::now();
        let (index, floor) = build(&pool).await?;
        tracing::info!(
            publications = index.len(),
            took_ms = started.elapsed().as_millis() as u64,
            "search index built"
        );
        Ok(Arc::new(Self {
            pool,
            applied: std::sync::atomic::AtomicU64::new(0),
            current: RwLock::new(Arc::new(index)),
            position: tokio::sync::Mutex::new(Position {
                floor,
                read_at: Some(Instant::now()),
                ..Position::default()
            }),
        }))
    }

    /// How many times changes were applied: it moves when the catalogue changed.
    pub fn applied(&self) -> u64 {
        self.applied.load(std::sync::atomic::Ordering::Acquire)
    }

    /// The index searches read now.
    pub fn index(&self) -> Arc<SearchIndex> {
        Arc::clone(&self.current.read().expect("BUG: index lock"))
    }

    /// Reads and applies the changes not yet applied; returns how many publications changed.
    pub async fn catch_up(&self) -> anyhow::Result<usize> {
        let mut pos = self.position.lock().await;
        if pos.read_at.is_some_and(|at| at.elapsed() > STALE) {
            tracing::warn!("search index: the change log was not read for too long; rebuilding");
            return self.rebuild(&mut pos).await;
        }
        let (xmin, changes) = store::changes_since(&self.pool, pos.floor, BACKLOG).await?;
        if changes.len() as i64 >= BACKLOG {
            tracing::warn!(
                waiting = changes.len(),
                "search index: many changes waiting; rebuilding"
            );
            return self.rebuild(&mut pos).await;
        }
        // Each changed publication once (an import changes thousands: a set, not a scan).
        let mut ids: Vec<Uuid> = Vec::new();
        let mut named = std::collections::HashSet::new();
        let mut fresh = Vec::new();
        for (seq, id, xid) in changes {
            if !pos.seen.contains_key(&seq) {
                fresh.push((seq, xid));
                if named.insert(id) {
                    ids.push(id);
                }
            }
        }
        for chunk in ids.chunks(BATCH) {
            let rows = store::index_rows(&self.pool, chunk).await?;
            let index = self.index();
            let chunk = chunk.to_vec();
            tokio::task::spawn_blocking(move || index.apply(&chunk, &rows)).await??;
        }
        pos.seen.extend(fresh);
        pos.floor = pos.floor.max(xmin);
        let floor = pos.floor;
        pos.seen.retain(|_, xid| *xid >= floor);
        pos.read_at = Some(Instant::now());
        if pos.trimmed_at.is_none_or(|at| at.elapsed() > TRIM_EVERY) {
            store::trim_changes(&self.pool, KEEP_HOURS).await?;
            pos.trimmed_at = Some(Instant::now());
        }
        if !ids.is_empty() {
            self.applied
                .fetch_add(1, std::sync::atomic::Ordering::AcqRel);
            tracing::debug!(changed = ids.len(), "search index caught up");
        }
        Ok(ids.len())
    }

    /// Builds a new index from the database and swaps it in.
    async fn rebuild(&self, pos: &mut Position) -> anyhow::Result<usize> {
        let (index, floor) = build(&self.pool).await?;
        let n = index.len();
        *self.current.write().expect("BUG: index lock") = Arc::new(index);
        self.applied
            .fetch_add(1, std::sync::atomic::Ordering::AcqRel);
        *pos = Position {
            floor,
            read_at: Some(Instant::now()),
            ..Position::default()
        };
        Ok(usize::try_from(n).unwrap_or(usize::MAX))
    }

    /// Follows the change log until `shutdown`: on each notification and every `POLL`.
    pub fn follow(self: &Arc<Self>, shutdown: CancellationToken) {
        let live = Arc::clone(self);
        tokio::spawn(async move {
            let mut listener = None;
            loop {
                if listener.is_none() {
                    listener = listen(&live.pool).await;
                }
                let woken = async {
                    match listener.as_mut() {
                        Some(l) => l.recv().await.map(|_| ()),
                        None => std::future::pending().await,
                    }
                };
                tokio::select! {
                    () = shutdown.cancelled() => return,
                    r = woken => if let Err(e) = r {
                        tracing::warn!(error = %e, "search index: change notifications lost; reading on a timer until they are back");
                        listener = None;
                    },
                    () = tokio::time::sleep(POLL) => {}
                }
                if let Err(e) = live.catch_up().await {
                    tracing::warn!(error = %e, "search index: reading the change log failed; trying again");
                }
            }
        });
    }
}

async fn listen(pool: &PgPool) -> Option<sqlx::postgres::PgListener> {
    let mut l = sqlx::postgres::PgListener::connect_with(pool).await.ok()?;
    l.listen(store::CHANGES_CHANNEL).await.ok()?;
    Some(l)
}

/// A new index of the whole table as one snapshot shows it, and the transaction id from
/// which the change log is to be read after it.
async fn build(pool: &PgPool) -> anyhow::Result<(SearchIndex, i64)> {
    let index = Arc::new(SearchIndex::new()?);
    let mut tx = pool.begin().await?;
    sqlx::query("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
        .execute(&mut *tx)
        .await?;
    let floor = store::snapshot_xmin(&mut *tx).await?;
    {
        let mut rows = store::all_index_rows(&mut tx);
        let mut batch: Vec<IndexRow> = Vec::with_capacity(BATCH);
        while let Some(row) = rows.try_next().await? {
            batch.push(row);
            if batch.len() == BATCH {
                let full = std::mem::replace(&mut batch, Vec::with_capacity(BATCH));
                let ix = Arc::clone(&index);
                tokio::task::spawn_blocking(move || ix.add(&full)).await??;
            }
        }
        let ix = Arc::clone(&index);
        tokio::task::spawn_blocking(move || {
            ix.add(&batch)?;
            ix.publish()
        })
        .await??;
    }
    tx.commit().await?;
    let index = Arc::into_inner(index).ok_or_else(|| anyhow::anyhow!("BUG: index still shared"))?;
    Ok((index, floor))
}
