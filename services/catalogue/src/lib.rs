//! Catalogue service of PST Pustaka: BPS publications an office holds (printed and
//! digital), printed holdings, reading-room use, and Indonesian full-text search with typo
//! tolerance, filters, facets and keyset pagination. Restricted and withdrawn publications
//! never reach those who may not see them.
//!
//! It owns the `<prefix>catalogue` database and nothing else.

pub mod csv_io;
pub mod demo;
pub mod domain;
pub mod grpc;
pub mod history;
pub mod index;
pub mod service;
pub mod store;

use std::net::SocketAddr;
use std::sync::Arc;

use pst_kit::Settings;
use pst_kit::auth::TokenVerifier;
use pst_kit::grpc::GrpcServer;
use pst_kit::shutdown::CancellationToken;
use pst_proto::catalogue::catalogue_service_server::CatalogueServiceServer;

pub use service::Catalogue;

pub static MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("./migrations");

pub const SERVICE_NAME: &str = "pst.catalogue.v1.CatalogueService";

#[derive(Debug)]
pub struct Application {
    server: GrpcServer,
    catalogue: Arc<Catalogue>,
    index: Option<Arc<index::follow::LiveIndex>>,
}

impl Application {
    pub async fn build(settings: &Settings) -> anyhow::Result<Self> {
        pst_kit::internal::install(settings)?;
        let pool = pst_kit::db::connect(&settings.database, "catalogue", &MIGRATOR).await?;
        if settings.load_demo()? {
            demo::seed(&pool)
                .await
                .map_err(|e| anyhow::anyhow!("loading demo catalogue: {e}"))?;
        }
        let visit =
            pst_proto::visit::visit_service_client::VisitServiceClient::new(pst_kit::grpc::traced(
                pst_kit::grpc::channel(&settings.services.visit_url, pst_kit::grpc::PEER_TIMEOUT)?,
            ));
        let mut catalogue =
            Catalogue::new(pool.clone(), TokenVerifier::from_settings(&settings.auth)?)
                .with_visit(visit);
        let index = match settings.catalogue.search_engine {
            pst_kit::config::SearchEngine::Index => {
                let live = index::follow::LiveIndex::start(pool).await?;
                catalogue = catalogue.with_index(Arc::clone(&live));
                Some(live)
            }
            pst_kit::config::SearchEngine::Postgres => None,
        };
        let catalogue = Arc::new(catalogue);
        let server = GrpcServer::bind(
            &settings.services.catalogue_addr,
            &settings.services,
            &[SERVICE_NAME],
        )
        .await?
        // A CSV import checks and writes up to 10,000 rows in one call (the gateway gives
        // it 120 s; its other calls keep their own short deadline there).
        .with_timeout(std::time::Duration::from_secs(
            settings.services.request_timeout_secs.max(120),
        ))
        .with_revocations(pst_kit::revocation::Revocations::from_settings(settings)?);
        Ok(Self {
            server,
            catalogue,
            index,
        })
    }

    pub fn local_addr(&self) -> SocketAddr {
        self.server.local_addr()
    }

    pub fn catalogue(&self) -> Arc<Catalogue> {
        Arc::clone(&self.catalogue)
    }

    pub async fn run_until_stopped(self, shutdown: CancellationToken) -> anyhow::Result<()> {
        if let Some(index) = &self.index {
            index.follow(shutdown.clone());
        }
        let routes = tonic::service::Routes::new(CatalogueServiceServer::new(grpc::CatalogueApi(
            self.catalogue,
        )));
        self.server.serve(routes, shutdown).await
    }
}
