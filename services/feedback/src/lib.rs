//! Feedback service of PST Pustaka: the satisfaction survey (SKM) of PermenPAN-RB
//! No. 14/2017 with its index (IKM), the integrity questions BPS asks beside it, and
//! complaints from every channel with their follow-up and deadlines.
//!
//! It owns the `<prefix>feedback` database; whether a visit may be rated is asked of the
//! visit service, never read from its tables.

pub mod demo;
pub mod domain;
pub mod grpc;
pub mod service;
mod service_inputs;

use std::net::SocketAddr;
use std::sync::Arc;

use pst_kit::Settings;
use pst_kit::auth::TokenVerifier;
use pst_kit::grpc::{GrpcServer, PEER_TIMEOUT, channel, traced};
use pst_kit::shutdown::CancellationToken;
use pst_proto::feedback::feedback_service_server::FeedbackServiceServer;
use pst_proto::identity::identity_service_client::IdentityServiceClient;
use pst_proto::visit::visit_service_client::VisitServiceClient;
use pst_proto::watermark::watermark_service_client::WatermarkServiceClient;

pub use service::Feedback;

pub static MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("./migrations");

pub const SERVICE_NAME: &str = "pst.feedback.v1.FeedbackService";

#[derive(Debug)]
pub struct Application {
    server: GrpcServer,
    feedback: Arc<Feedback>,
}

impl Application {
    pub async fn build(settings: &Settings) -> anyhow::Result<Self> {
        pst_kit::internal::install(settings)?;
        let pool = pst_kit::db::connect(&settings.database, "feedback", &MIGRATOR).await?;
        if settings.load_demo()? && settings.demo_history {
            let today = chrono::Utc::now()
                .with_timezone(&chrono_tz::Asia::Jakarta)
                .date_naive();
            demo::past_responses(
                &pool,
                "1674",
                today - chrono::Duration::days(30),
                today - chrono::Duration::days(1),
                6,
            )
            .await
            .map_err(|e| anyhow::anyhow!("loading demo survey answers: {e}"))?;
            demo::complaints(&pool, "1674", today)
                .await
                .map_err(|e| anyhow::anyhow!("loading demo complaints: {e}"))?;
        }
        let s = &settings.services;
        let feedback = Arc::new(
            Feedback::new(
                pool,
                TokenVerifier::from_settings(&settings.auth)?,
                VisitServiceClient::new(traced(channel(&s.visit_url, PEER_TIMEOUT)?)),
                IdentityServiceClient::new(traced(channel(&s.identity_url, PEER_TIMEOUT)?)),
                WatermarkServiceClient::new(traced(channel(&s.watermark_url, PEER_TIMEOUT)?)),
                pst_kit::mail::Mailer::from_settings(&settings.mail)?,
                settings.feedback.clone(),
            )?
            .with_public_url(&settings.gateway.public_url),
        );
        let server = GrpcServer::bind(&s.feedback_addr, s, &[SERVICE_NAME])
            .await?
            .with_revocations(pst_kit::revocation::Revocations::from_settings(settings)?);
        Ok(Self { server, feedback })
    }

    pub fn local_addr(&self) -> SocketAddr {
        self.server.local_addr()
    }

    pub fn feedback(&self) -> Arc<Feedback> {
        Arc::clone(&self.feedback)
    }

    pub async fn run_until_stopped(self, shutdown: CancellationToken) -> anyhow::Result<()> {
        let routes = tonic::service::Routes::new(FeedbackServiceServer::new(grpc::FeedbackApi(
            self.feedback,
        )));
        self.server.serve(routes, shutdown).await
    }
}
