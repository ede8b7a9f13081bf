//! The visit use cases, independent of gRPC. Each checks authorisation itself, writes the
//! record in Postgres first, then updates the live queue in Redis; when Redis has lost an
//! office-day's state, it is rebuilt from Postgres and the step is retried.

mod board;
mod guest_book;
mod lockers;
mod office;
mod queue;
mod report;

use std::collections::HashMap;
use std::sync::Arc;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use chrono::NaiveDate;
use sqlx::PgPool;

use pst_kit::AppError;
use pst_kit::auth::{Caller, Role, TokenVerifier};
use pst_kit::config::{RedisSettings, VisitSettings};
use pst_kit::crypto::DataCipher;
use pst_kit::grpc::TracedChannel;
use pst_proto::identity::identity_service_client::IdentityServiceClient;

use crate::live::{Day, Live};
use crate::store::{setup, tickets};

pub use board::BoardView;
pub use office::Floor;
pub use report::Report;

#[derive(Debug)]
pub struct Visits {
    pub(crate) pool: PgPool,
    pub(crate) live: Live,
    pub(crate) verifier: TokenVerifier,
    pub(crate) cipher: DataCipher,
    pub(crate) cfg: VisitSettings,
    pub(crate) redis: RedisSettings,
    pub(crate) identity: IdentityServiceClient<TracedChannel>,
    pub(crate) streams: Arc<tokio::sync::Semaphore>,
    setups: Mutex<HashMap<String, (Instant, setup::Setup)>>,
}

const SETUP_CACHE: Duration = Duration::from_secs(10);

impl Visits {
    #[allow(clippy::too_many_arguments)]
    pub fn new(
        pool: PgPool,
        live: Live,
        verifier: TokenVerifier,
        cipher: DataCipher,
        cfg: VisitSettings,
        redis: RedisSettings,
        identity: IdentityServiceClient<TracedChannel>,
    ) -> Self {
        let streams = Arc::new(tokio::sync::Semaphore::new(cfg.max_streams));
        Self {
            pool,
            live,
            verifier,
            cipher,
            cfg,
            redis,
            identity,
            streams,
            setups: Mutex::default(),
        }
    }

    pub fn verifier(&self) -> &TokenVerifier {
        &self.verifier
    }

    pub fn pool(&self) -> &PgPool {
        &self.pool
    }

    /// The office's setup, cached briefly (it changes only by administration).
    pub async fn setup(&self, office: &str) -> Result<setup::Setup, AppError> {
        let office = pst_kit::validate::office_code(office)
            .map_err(|m| AppError::field("office_code", m))?;
        if let Some((at, s)) = self
            .setups
            .lock()
            .expect("BUG: setup cache poisoned")
            .get(&office)
            && at.elapsed() < SETUP_CACHE
        {
            return Ok(s.clone());
        }
        let s = setup::load(&self.pool, &office).await?;
        self.setups
            .lock()
            .expect("BUG: setup cache poisoned")
            .insert(office, (Instant::now(), s.clone()));
        Ok(s)
    }

    /// Restores an office-day's live state from Postgres, or waits for whoever is doing it.
    pub(crate) async fn rebuild(&self, s: &setup::Setup, day: NaiveDate) -> Result<(), AppError> {
        let d = self.live.day(&s.code, day);
        if self.live.lock_rebuild(&d).await? {
            let snap = tickets::snapshot(&self.pool, &s.code, day).await?;
            tracing::warn!(office = %s.code, %day, waiting = snap.waiting.len(), "live queue state missing in Redis; rebuilt from Postgres");
            return self
                .live
                .restore(&d, &s.line_codes(), &s.counter_codes(), &snap)
                .await;
        }
        for _ in 0..250 {
            if self.live.is_ready(&d).await? {
                return Ok(());
            }
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
        Err(AppError::Unavailable {
            code: "QUEUE_REBUILDING",
            detail: "Antrean sedang dipulihkan; coba lagi sebentar lagi.".into(),
        })
    }

    /// One of the limited display-board streams, or "too many" right away.
    pub fn streams_permit(self: Arc<Self>) -> Result<tokio::sync::OwnedSemaphorePermit, AppError> {
        Arc::clone(&self.streams)
            .try_acquire_owned()
            .map_err(|_| AppError::TooManyRequests {
                code: "TOO_MANY_STREAMS",
                detail: "Terlalu banyak papan antrean terhubung; coba lagi nanti.".into(),
                retry_after_secs: 30,
            })
    }

    /// After a live step failed although the record was written: make the next step rebuild
    /// the office-day from Postgres, retrying in the background while Redis is unreachable.
    pub(crate) fn heal(&self, office: &str, day: NaiveDate) {
        let live = self.live.clone();
        let d = live.day(office, day);
        tokio::spawn(async move {
            for _ in 0..30 {
                if live.invalidate(&d).await.is_ok() {
                    return;
                }
                tokio::time::sleep(Duration::from_secs(1)).await;
            }
            tracing::error!("could not mark the live queue for a rebuild for 30 s");
        });
    }

    pub(crate) fn day_keys(&self, office: &str, day: NaiveDate) -> Day {
        self.live.day(office, day)
    }
}

/// Staff of the office who run the counters.
pub(crate) fn front_office(caller: &Caller, office: &str) -> Result<(), AppError> {
    caller.require_role_in_office(&[Role::FrontOffice, Role::Admin], office)
}

/// Staff who may read the office's lockers and custody list.
pub(crate) fn office_staff(caller: &Caller, office: &str) -> Result<(), AppError> {
    caller.require_role_in_office(&[Role::FrontOffice, Role::Supervisor, Role::Admin], office)
}

pub(crate) fn signed_in(caller: Option<&Caller>) -> Result<&Caller, AppError> {
    caller.ok_or_else(|| AppError::unauthenticated("Silakan masuk terlebih dahulu."))
}

pub(crate) fn parse_id(field: &str, raw: &str) -> Result<uuid::Uuid, AppError> {
    uuid::Uuid::parse_str(raw.trim()).map_err(|_| AppError::field(field, "ID tidak valid."))
}
