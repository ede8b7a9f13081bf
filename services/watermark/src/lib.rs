//! The document-watermark service of PST Pustaka: stores softcopies of publications,
//! serves copies stamped on every page for reading and download (each logged before a
//! byte leaves), and traces a copy someone brings back to its download.
//!
//! It owns the `<prefix>watermark` database and the document storage, nothing else; the
//! catalogue decides who may see a publication, identity who the user is.

pub mod demo;
pub mod grpc;
pub mod incoming;
pub mod marks;
pub mod pdf;
pub mod report;
pub mod service;
pub mod store;

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use pst_kit::Settings;
use pst_kit::auth::TokenVerifier;
use pst_kit::grpc::{GrpcServer, PEER_TIMEOUT, channel, traced};
use pst_kit::shutdown::CancellationToken;
use pst_proto::catalogue::catalogue_service_client::CatalogueServiceClient;
use pst_proto::identity::identity_service_client::IdentityServiceClient;
use pst_proto::watermark::watermark_service_server::WatermarkServiceServer;
use secrecy::ExposeSecret as _;

pub use service::Watermark;

pub static MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("./migrations");

pub const SERVICE_NAME: &str = "pst.watermark.v1.WatermarkService";

/// A bound, not yet serving, watermark service.
#[derive(Debug)]
pub struct Application {
    server: GrpcServer,
    watermark: Arc<Watermark>,
}

impl Application {
    pub async fn build(settings: &Settings) -> anyhow::Result<Self> {
        pst_kit::internal::install(settings)?;
        let key = pst_kit::secrets::decode_key32(settings.watermark.mark_key.expose_secret())
            .map_err(|e| anyhow::anyhow!("watermark.mark_key (PST_WATERMARK__MARK_KEY): {e}"))?;
        let pool = pst_kit::db::connect(&settings.database, "watermark", &MIGRATOR).await?;
        let s = &settings.services;
        let watermark = Arc::new(Watermark::new(
            pool,
            TokenVerifier::from_settings(&settings.auth)?,
            pst_kit::storage::Storage::from_settings(&settings.watermark)?,
            marks::Signer::new(key),
            CatalogueServiceClient::new(traced(channel(&s.catalogue_url, PEER_TIMEOUT)?)),
            IdentityServiceClient::new(traced(channel(&s.identity_url, PEER_TIMEOUT)?)),
            settings.watermark.clone(),
            settings.gateway.public_url.clone(),
        )?);
        // An upload call lasts as long as the client takes to send the file.
        let server = GrpcServer::bind(&s.watermark_addr, s, &[SERVICE_NAME])
            .await?
            .with_timeout(Duration::from_secs(30 * 60))
            .with_revocations(pst_kit::revocation::Revocations::from_settings(settings)?);
        incoming::sweep(&watermark.incoming_dir);
        if settings.load_demo()? {
            demo::seed(&watermark).await?;
        }
        Ok(Self { server, watermark })
    }

    pub fn local_addr(&self) -> SocketAddr {
        self.server.local_addr()
    }

    pub fn watermark(&self) -> Arc<Watermark> {
        Arc::clone(&self.watermark)
    }

    pub async fn run_until_stopped(self, shutdown: CancellationToken) -> anyhow::Result<()> {
        let routes = tonic::service::Routes::new(
            WatermarkServiceServer::new(grpc::WatermarkApi(self.watermark))
                .max_decoding_message_size(8 << 20),
        );
        self.server.serve(routes, shutdown).await
    }
}
