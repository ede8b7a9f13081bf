//! Shared gateway state: typed gRPC clients of every backend.

use std::time::Duration;

use pst_kit::Settings;
use pst_kit::config::DocumentDelivery;
use pst_kit::grpc::{TracedChannel, bulk_channel, channel, traced};
use pst_kit::storage::Storage;
use pst_proto::catalogue::catalogue_service_client::CatalogueServiceClient;
use pst_proto::feedback::feedback_service_client::FeedbackServiceClient;
use pst_proto::identity::identity_service_client::IdentityServiceClient;
use pst_proto::visit::visit_service_client::VisitServiceClient;
use pst_proto::watermark::watermark_service_client::WatermarkServiceClient;
use tonic::transport::Channel;

#[derive(Debug, Clone)]
pub struct AppState {
    pub identity: IdentityServiceClient<TracedChannel>,
    pub visit: VisitServiceClient<TracedChannel>,
    pub feedback: FeedbackServiceClient<TracedChannel>,
    pub catalogue: CatalogueServiceClient<TracedChannel>,
    /// The catalogue for whole-office CSV imports and exports: up to 10,000 rows checked
    /// and written in one transaction take longer than a search may.
    pub catalogue_bulk: CatalogueServiceClient<TracedChannel>,
    /// For display-board streams: the same service without the per-call deadline.
    pub visit_stream: VisitServiceClient<TracedChannel>,
    /// Documents: streamed both ways, without the per-call deadline.
    pub watermark: WatermarkServiceClient<TracedChannel>,
    /// Document storage, read directly when `gateway.document_delivery` is `direct`;
    /// otherwise copies are streamed by the watermark service.
    pub documents: Option<Storage>,
    /// Largest PDF accepted for upload or verification.
    pub max_upload_bytes: u64,
    /// (name, channel) of every backend, for `/readyz`.
    pub backends: Vec<(&'static str, Channel)>,
    /// Who may name the client in X-Forwarded-For.
    pub trusted_proxies: pst_kit::net::TrustedProxies,
    /// Live streams open per client address and per office.
    pub streams: std::sync::Arc<crate::stream_limits::StreamLimits>,
    /// Browser sessions, form tokens and the office list of the web app.
    pub web: std::sync::Arc<crate::web::WebState>,
}

/// The deadline of a CSV import or export (see `catalogue_bulk`).
pub const BULK_CSV_TIMEOUT: Duration = Duration::from_secs(120);

impl AppState {
    pub fn new(settings: &Settings) -> anyhow::Result<Self> {
        let timeout = Duration::from_millis(settings.gateway.backend_timeout_ms);
        let s = &settings.services;
        let identity = channel(&s.identity_url, timeout)?;
        let visit = channel(&s.visit_url, timeout)?;
        let visit_stream = channel(&s.visit_url, Duration::from_secs(24 * 3600))?;
        let feedback = channel(&s.feedback_url, timeout)?;
        let catalogue = channel(&s.catalogue_url, timeout)?;
        let backends = vec![
            ("identity", identity.clone()),
            ("visit", visit.clone()),
            ("catalogue", catalogue.clone()),
            ("watermark", channel(&s.watermark_url, timeout)?),
            ("feedback", feedback.clone()),
        ];
        Ok(Self {
            identity: IdentityServiceClient::new(traced(identity)),
            visit: VisitServiceClient::new(traced(visit)),
            feedback: FeedbackServiceClient::new(traced(feedback)),
            catalogue: CatalogueServiceClient::new(traced(catalogue)),
            catalogue_bulk: CatalogueServiceClient::new(traced(channel(
                &s.catalogue_url,
                timeout.max(BULK_CSV_TIMEOUT),
            )?)),
            visit_stream: VisitServiceClient::new(traced(visit_stream)),
            watermark: WatermarkServiceClient::new(traced(bulk_channel(&s.watermark_url)?))
                .max_decoding_message_size(8 << 20),
            documents: match settings.gateway.document_delivery {
                DocumentDelivery::Direct => Some(Storage::existing(&settings.watermark)?),
                DocumentDelivery::Stream | DocumentDelivery::Auto => None,
            },
            max_upload_bytes: settings.watermark.max_upload_bytes,
            backends,
            trusted_proxies: pst_kit::net::TrustedProxies::parse(
                &settings.gateway.trusted_proxies,
            )?,
            streams: crate::stream_limits::StreamLimits::new(
                settings.gateway.streams_per_client,
                settings.gateway.streams_per_office,
            ),
            web: std::sync::Arc::new(crate::web::WebState::new(settings)),
        })
    }
}
