//! The feedback use cases, independent of gRPC: the survey and its index, and complaints.
//! Each checks authorisation itself; visits are confirmed with the visit service, which
//! decides who may rate them.

mod complaints;
mod survey;

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
use pst_proto::watermark::watermark_service_client::WatermarkServiceClient;

pub use complaints::{ComplaintView, NewComplaint, Report as ComplaintReport};
pub use survey::{Answers, IkmReport};

#[derive(Debug)]
pub struct Feedback {
    pub(crate) pool: PgPool,
    pub(crate) verifier: TokenVerifier,
    pub(crate) visit: VisitServiceClient<TracedChannel>,
    pub(crate) identity: IdentityServiceClient<TracedChannel>,
    pub(crate) watermark: WatermarkServiceClient<TracedChannel>,
    pub(crate) mailer: Mailer,
    pub(crate) cfg: FeedbackSettings,
    pub(crate) holidays: Vec<NaiveDate>,
    offices: pst_kit::offices::OfficeDirectory,
    /// Where links in mails point (the gateway's public address).
    pub(crate) public_url: String,
}

impl Feedback {
    /// Links in mails point at `url` (the gateway's public address).
    pub fn with_public_url(mut self, url: &str) -> Self {
        url.clone_into(&mut self.public_url);
        self
    }

    pub fn new(
        pool: PgPool,
        verifier: TokenVerifier,
        visit: VisitServiceClient<TracedChannel>,
        identity: IdentityServiceClient<TracedChannel>,
        watermark: WatermarkServiceClient<TracedChannel>,
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
            offices: pst_kit::offices::OfficeDirectory::new(identity.clone()),
            identity,
            watermark,
            mailer,
            public_url: String::new(),
            cfg,
            holidays,
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
        self.offices.get(office).await.tz
    }
}

pub(crate) fn parse_period(from: &str, to: &str) -> Result<(NaiveDate, NaiveDate), AppError> {
    pst_kit::validate::period(from, to, 3661)
}

pub(crate) fn parse_id(field: &str, raw: &str) -> Result<uuid::Uuid, AppError> {
    uuid::Uuid::parse_str(raw.trim()).map_err(|_| AppError::field(field, "ID tidak valid."))
}
