//! Identity service of PST Pustaka: visitor registration with e-mail verification, login
//! with throttling, rotating refresh tokens, EdDSA access tokens that other services
//! verify locally, password reset, profiles, offices, staff accounts and the audit trail.
//!
//! It owns the `<prefix>identity` database and nothing else; identity-document numbers are
//! stored only encrypted and leave the service only masked.

pub mod demo;
pub mod domain;
pub mod first_admin;
pub mod grpc;
pub mod hashing;
pub mod service;
pub mod store;

use std::net::SocketAddr;
use std::sync::Arc;

use secrecy::ExposeSecret as _;

use pst_kit::Settings;
use pst_kit::auth::{TokenSigner, TokenVerifier};
use pst_kit::grpc::GrpcServer;
use pst_kit::shutdown::CancellationToken;
use pst_proto::identity::identity_service_server::IdentityServiceServer;

pub use service::Identity;

pub static MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("./migrations");

pub const SERVICE_NAME: &str = "pst.identity.v1.IdentityService";

/// A built identity service: database migrated, listener bound, not yet serving.
#[derive(Debug)]
pub struct Application {
    server: GrpcServer,
    identity: Arc<Identity>,
}

impl Application {
    pub async fn build(settings: &Settings) -> anyhow::Result<Self> {
        pst_kit::internal::install(settings)?;
        let pool = pst_kit::db::connect(&settings.database, "identity", &MIGRATOR).await?;
        let seed = pst_kit::secrets::decode_key32(settings.auth.signing_key.expose_secret())
            .map_err(|e| anyhow::anyhow!("auth.signing_key (PST_AUTH__SIGNING_KEY): {e}"))?;
        let data_key =
            pst_kit::secrets::decode_key32(settings.identity.data_key.expose_secret())
                .map_err(|e| anyhow::anyhow!("identity.data_key (PST_IDENTITY__DATA_KEY): {e}"))?;
        let public_key = pst_kit::auth::public_key_of(&seed);
        let hasher = hashing::HashPool::per_core();
        let dummy_hash = hasher
            .hash("timing-equaliser-not-a-password-0".to_owned())
            .await
            .map_err(|e| anyhow::anyhow!("hashing the timing equaliser: {e}"))?;
        let identity = Arc::new(Identity {
            pool,
            signer: TokenSigner::from_seed(
                &seed,
                &settings.auth.issuer,
                settings.auth.access_ttl_secs,
            ),
            verifier: TokenVerifier::new(&public_key, &settings.auth.issuer),
            public_key,
            cipher: pst_kit::crypto::DataCipher::new(&data_key),
            mailer: pst_kit::mail::Mailer::from_settings(&settings.mail)?,
            limits: settings.identity.clone(),
            refresh_ttl_secs: settings.auth.refresh_ttl_secs,
            public_url: settings.gateway.public_url.clone(),
            dummy_hash,
            hasher,
            revocations: pst_kit::revocation::Revocations::from_settings(settings)?,
        });
        if settings.load_demo()? {
            demo::seed(&identity)
                .await
                .map_err(|e| anyhow::anyhow!("loading demo data: {e}"))?;
        }
        let server = GrpcServer::bind(
            &settings.services.identity_addr,
            &settings.services,
            &[SERVICE_NAME],
        )
        .await?
        .with_revocations(pst_kit::revocation::Revocations::from_settings(settings)?);
        Ok(Self { server, identity })
    }

    pub fn local_addr(&self) -> SocketAddr {
        self.server.local_addr()
    }

    pub fn identity(&self) -> Arc<Identity> {
        Arc::clone(&self.identity)
    }

    pub async fn run_until_stopped(self, shutdown: CancellationToken) -> anyhow::Result<()> {
        let routes = tonic::service::Routes::new(IdentityServiceServer::new(grpc::IdentityApi(
            self.identity,
        )));
        self.server.serve(routes, shutdown).await
    }
}
