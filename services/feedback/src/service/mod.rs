//! The feedback use cases, independent of gRPC: the survey and its index, and complaints.
//! Each checks authorisation itself; visits are confirmed with the visit service, which
//! decides who may rate them.

mod complaints;
mod survey;

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use chrono::NaiveDate;
use chrono_tz::Tz;
use sqlx::PgPool;

use pst_kit::AppError;
use pst_kit::auth::TokenVerifier;
use pst_kit::config::FeedbackSettings;
use pst_kit::grpc::TracedChannel;
use pst_kit::mail::Mailer;
use pst_proto::identity::identity_service_client::IdentityServiceClient;
use pst_proto::visit::visit_service_client::VisitServiceClient;

pub use complaints::{ComplaintView, NewComplaint, Report as ComplaintReport};
pub use survey::{Answers, IkmReport};

#[derive(Debug)]
pub struct Feedback {
    pub(crate) pool: PgPool,
    pub(crate) verifier: TokenVerifier,
    pub(crate) visit: VisitServiceClient<TracedChannel>,
    pub(crate) identity: IdentityServiceClient<TracedChannel>,
    pub(crate) mailer: Mailer,
    pub(crate) cfg: FeedbackSettings,
    pub(crate) holidays: Vec<NaiveDate>,
    zones: Mutex<Option<(Instant, HashMap<String, Tz>)>>,
}

const ZONES_CACHE: Duration = Duration::from_secs(600);

impl Feedback {
    pub fn new(
        pool: PgPool,
        verifier: TokenVerifier,
        visit: VisitServiceClient<TracedChannel>,
        identity: IdentityServiceClient<TracedChannel>,
        mailer: Mailer,
        cfg: FeedbackSettings,
    ) -> anyhow::Result<Self> {
        let holidays = cfg
            .holidays
            .iter()
            .map(|d| {
                d.parse::<NaiveDate>()
                    .map_err(|_| anyhow::anyhow!("feedback.holidays: {d:?} is not YYYY-MM-DD"))
            })
            .collect::<anyhow::Result<Vec<_>>>()?;
        Ok(Self {
            pool,
            verifier,
            visit,
            identity,
            mailer,
            cfg,
            holidays,
            zones: Mutex::default(),
        })
    }

    pub fn verifier(&self) -> &TokenVerifier {
        &self.verifier
    }

    pub fn pool(&self) -> &PgPool {
        &self.pool
    }

    /// The office's time zone from identity's office list (cached); WIB when unknown, as
    /// most offices are, and logged.
    pub(crate) async fn zone(&self, office: &str) -> Tz {
        if let Some((at, map)) = self
            .zones
            .lock()
            .expect("BUG: zone cache poisoned")
            .as_ref()
            && at.elapsed() < ZONES_CACHE
            && let Some(tz) = map.get(office)
        {
            return *tz;
        }
        let mut req = tonic::Request::new(pst_proto::identity::ListOfficesRequest {});
        req.set_timeout(Duration::from_secs(2));
        match self.identity.clone().list_offices(req).await {
            Ok(list) => {
                let map: HashMap<String, Tz> = list
                    .into_inner()
                    .offices
                    .into_iter()
                    .filter_map(|o| Some((o.code, o.time_zone.parse().ok()?)))
                    .collect();
                let tz = map.get(office).copied();
                *self.zones.lock().expect("BUG: zone cache poisoned") = Some((Instant::now(), map));
                tz.unwrap_or(chrono_tz::Asia::Jakarta)
            }
            Err(e) => {
                tracing::warn!(error = %e.message(), office, "office time zone unknown; using WIB");
                chrono_tz::Asia::Jakarta
            }
        }
    }
}

pub(crate) fn parse_period(from: &str, to: &str) -> Result<(NaiveDate, NaiveDate), AppError> {
    pst_kit::validate::period(from, to, 3661)
}

pub(crate) fn parse_id(field: &str, raw: &str) -> Result<uuid::Uuid, AppError> {
    uuid::Uuid::parse_str(raw.trim()).map_err(|_| AppError::field(field, "ID tidak valid."))
}
