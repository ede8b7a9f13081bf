//! Visit and queue service of PST Pustaka: queue numbers per office and service day, the
//! counters' actions, the guest book, lockers held against identity cards, and the
//! 5-minute promise (live flags and the period report).
//!
//! Live queue state is in Redis (atomic Lua scripts); the record of every ticket, state
//! change, visit and custody is in its own Postgres database, from which the live state is
//! rebuilt whenever Redis has lost it. It reads no other service's tables.

pub mod demo;
pub mod demo_history;
pub mod domain;
pub mod grpc;
mod grpc_convert;
pub mod live;
pub mod service;
pub mod store;

use std::net::SocketAddr;
use std::sync::Arc;

use secrecy::ExposeSecret as _;

use pst_kit::Settings;
use pst_kit::auth::TokenVerifier;
use pst_kit::grpc::GrpcServer;
use pst_kit::shutdown::CancellationToken;
use pst_proto::identity::identity_service_client::IdentityServiceClient;
use pst_proto::visit::visit_service_server::VisitServiceServer;

pub use service::Visits;

pub static MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("./migrations");

pub const SERVICE_NAME: &str = "pst.visit.v1.VisitService";

#[derive(Debug)]
pub struct Application {
    server: GrpcServer,
    visits: Arc<Visits>,
}

impl Application {
    pub async fn build(settings: &Settings) -> anyhow::Result<Self> {
        pst_kit::internal::install(settings)?;
        let pool = pst_kit::db::connect(&settings.database, "visit", &MIGRATOR).await?;
        if settings.load_demo()? {
            demo::seed(&pool, settings.demo_history)
                .await
                .map_err(|e| anyhow::anyhow!("loading demo data: {e}"))?;
        }
        let data_key = pst_kit::secrets::decode_key32(settings.visit.data_key.expose_secret())
            .map_err(|e| anyhow::anyhow!("visit.data_key (PST_VISIT__DATA_KEY): {e}"))?;
        let live = live::Live::new(
            pst_kit::redis::connect(&settings.redis)?,
            &settings.redis.prefix,
        );
        let identity = pst_kit::grpc::traced(pst_kit::grpc::channel(
            &settings.services.identity_url,
            pst_kit::grpc::PEER_TIMEOUT,
        )?);
        let visits = Arc::new(Visits::new(
            pool,
            live,
            TokenVerifier::from_settings(&settings.auth)?,
            pst_kit::crypto::DataCipher::new(&data_key),
            settings.visit.clone(),
            settings.redis.clone(),
            IdentityServiceClient::new(identity),
        ));
        let server = GrpcServer::bind(
            &settings.services.visit_addr,
            &settings.services,
            &[SERVICE_NAME],
        )
        .await?
        .with_revocations(pst_kit::revocation::Revocations::from_settings(settings)?);
        Ok(Self { server, visits })
    }

    pub fn local_addr(&self) -> SocketAddr {
        self.server.local_addr()
    }

    pub fn visits(&self) -> Arc<Visits> {
        Arc::clone(&self.visits)
    }

    pub async fn run_until_stopped(self, shutdown: CancellationToken) -> anyhow::Result<()> {
        let routes =
            tonic::service::Routes::new(VisitServiceServer::new(grpc::VisitApi(self.visits)));
        self.server.serve(routes, shutdown).await
    }
}
