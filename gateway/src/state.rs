//! Shared gateway state: typed gRPC clients of every backend.

use std::time::Duration;

use pst_kit::Settings;
use pst_kit::grpc::{TracedChannel, channel, traced};
use pst_proto::identity::identity_service_client::IdentityServiceClient;
use tonic::transport::Channel;

#[derive(Debug, Clone)]
pub struct AppState {
    pub identity: IdentityServiceClient<TracedChannel>,
    /// (name, channel) of every backend, for `/readyz`.
    pub backends: Vec<(&'static str, Channel)>,
    pub trust_forwarded_for: bool,
}

impl AppState {
    pub fn new(settings: &Settings) -> anyhow::Result<Self> {
        let timeout = Duration::from_millis(settings.gateway.backend_timeout_ms);
        let s = &settings.services;
        let identity = channel(&s.identity_url, timeout)?;
        let backends = vec![
            ("identity", identity.clone()),
            ("visit", channel(&s.visit_url, timeout)?),
            ("catalogue", channel(&s.catalogue_url, timeout)?),
            ("watermark", channel(&s.watermark_url, timeout)?),
            ("feedback", channel(&s.feedback_url, timeout)?),
        ];
        Ok(Self {
            identity: IdentityServiceClient::new(traced(identity)),
            backends,
            trust_forwarded_for: settings.gateway.trust_forwarded_for,
        })
    }
}
