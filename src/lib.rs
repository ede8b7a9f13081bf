//! `pst`: one binary that runs any PST Pustaka component — a single service as Kubernetes
//! runs it, or all of them in one process (`pst all`) still talking gRPC over loopback.

pub mod local_stack;
pub mod ops;

use std::future::Future;
use std::net::SocketAddr;
use std::pin::Pin;

use pst_kit::Settings;
use pst_kit::config::DocumentDelivery;
use pst_kit::shutdown::CancellationToken;

/// A component `pst` can run.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Component {
    Identity,
    Visit,
    Catalogue,
    Watermark,
    Feedback,
    Gateway,
}

impl Component {
    pub const ALL: [Component; 6] = [
        Self::Identity,
        Self::Visit,
        Self::Catalogue,
        Self::Watermark,
        Self::Feedback,
        Self::Gateway,
    ];
}

type Running = Pin<Box<dyn Future<Output = anyhow::Result<()>> + Send>>;

/// Builds `component` (binds its listener, migrates its database) and returns its bound
/// address and the future that serves it until `shutdown`.
pub async fn start(
    component: Component,
    settings: &Settings,
    shutdown: CancellationToken,
) -> anyhow::Result<(SocketAddr, Running)> {
    macro_rules! build {
        ($app:path) => {{
            let app = <$app>::build(settings).await?;
            (
                app.local_addr(),
                Box::pin(app.run_until_stopped(shutdown)) as Running,
            )
        }};
    }
    Ok(match component {
        Component::Identity => build!(pst_identity::Application),
        Component::Visit => build!(pst_visit::Application),
        Component::Catalogue => build!(pst_catalogue::Application),
        Component::Watermark => build!(pst_watermark::Application),
        Component::Feedback => build!(pst_feedback::Application),
        Component::Gateway => build!(pst_gateway::Application),
    })
}

impl Component {
    pub fn name(self) -> &'static str {
        match self {
            Self::Identity => "identity",
            Self::Visit => "visit",
            Self::Catalogue => "catalogue",
            Self::Watermark => "watermark",
            Self::Feedback => "feedback",
            Self::Gateway => "gateway",
        }
    }

    /// The URL the gateway dials for this service, in the settings.
    fn url_mut(self, settings: &mut Settings) -> Option<&mut String> {
        let s = &mut settings.services;
        match self {
            Self::Identity => Some(&mut s.identity_url),
            Self::Visit => Some(&mut s.visit_url),
            Self::Catalogue => Some(&mut s.catalogue_url),
            Self::Watermark => Some(&mut s.watermark_url),
            Self::Feedback => Some(&mut s.feedback_url),
            Self::Gateway => None,
        }
    }
}

/// How the gateway among `components` sends stamped copies: `auto` is `direct` when the
/// watermark service runs in the same process (one process, one document storage), and
/// `stream` otherwise.
pub fn document_delivery(components: &[Component], set: DocumentDelivery) -> DocumentDelivery {
    match set {
        DocumentDelivery::Auto if components.contains(&Component::Watermark) => {
            DocumentDelivery::Direct
        }
        DocumentDelivery::Auto => DocumentDelivery::Stream,
        chosen => chosen,
    }
}

/// Runs `components` until `shutdown` or until one fails (which stops the others).
/// Services start before the gateway; in one process the gateway dials the addresses the
/// services actually bound (so port 0 works). `ready` gets every component's address.
pub async fn run(
    components: &[Component],
    settings: &Settings,
    shutdown: CancellationToken,
    ready: impl FnOnce(&[(Component, SocketAddr)]),
) -> anyhow::Result<()> {
    let mut settings = settings.clone();
    settings.gateway.document_delivery =
        document_delivery(components, settings.gateway.document_delivery);
    let mut ordered = components.to_vec();
    ordered.sort_by_key(|c| *c == Component::Gateway);
    let mut tasks = tokio::task::JoinSet::new();
    if !settings.metrics.addr.is_empty() {
        let (addr, server) = pst_kit::metrics::serve(&settings.metrics.addr, shutdown.clone())
            .await
            .map_err(|e| e.context("starting the metrics endpoint"))?;
        // A readiness line like the components' (`siap metrics <addr>`).
        println!("siap metrics {addr}");
        tasks.spawn(async move {
            server.await;
            Ok(())
        });
    }
    let mut bound = Vec::new();
    for c in ordered {
        let (addr, fut) = start(c, &settings, shutdown.clone())
            .await
            .map_err(|e| e.context(format!("starting {}", c.name())))?;
        if let Some(url) = c.url_mut(&mut settings) {
            *url = format!("http://{addr}");
        }
        bound.push((c, addr));
        tasks.spawn(async move {
            fut.await
                .map_err(|e| e.context(format!("{} stopped with an error", c.name())))
        });
    }
    ready(&bound);
    let mut result = Ok(());
    while let Some(joined) = tasks.join_next().await {
        let r = joined.map_err(anyhow::Error::from).and_then(|r| r);
        if let Err(e) = r {
            tracing::error!(error = ?e, "component failed; stopping the others");
            shutdown.cancel();
            if result.is_ok() {
                result = Err(e);
            }
        }
    }
    result
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn auto_delivery_is_direct_only_beside_the_watermark_service() {
        use Component::{Gateway, Watermark};
        use DocumentDelivery::{Auto, Direct, Stream};
        assert_eq!(document_delivery(&[Watermark, Gateway], Auto), Direct);
        assert_eq!(document_delivery(&[Gateway], Auto), Stream);
        // A choice in the settings stands.
        assert_eq!(document_delivery(&[Watermark, Gateway], Stream), Stream);
        assert_eq!(document_delivery(&[Gateway], Direct), Direct);
    }
}
