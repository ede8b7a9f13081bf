//! The catalogue: publications, printed holdings, search service of PST Pustaka.
//!
//! So far it only runs the shared gRPC server (health and reflection) on its port, so the
//! stack, the probes and the deployment are complete; its own contract and behaviour are
//! built under its own issue. It must not reach into another service's database.

pub mod domain;

use std::net::SocketAddr;

use pst_kit::Settings;
use pst_kit::grpc::GrpcServer;
use pst_kit::shutdown::CancellationToken;

/// A bound, not yet serving, catalogue service.
#[derive(Debug)]
pub struct Application {
    server: GrpcServer,
}

impl Application {
    pub async fn build(settings: &Settings) -> anyhow::Result<Self> {
        let server =
            GrpcServer::bind(&settings.services.catalogue_addr, &settings.services, &[]).await?;
        Ok(Self { server })
    }

    pub fn local_addr(&self) -> SocketAddr {
        self.server.local_addr()
    }

    pub async fn run_until_stopped(self, shutdown: CancellationToken) -> anyhow::Result<()> {
        self.server
            .serve(pst_kit::grpc::empty_routes(), shutdown)
            .await
    }
}
