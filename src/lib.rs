//! `pst`: one binary that runs any PST Pustaka component — a single service as Kubernetes
//! runs it, or all of them in one process (`pst all`) still talking gRPC over loopback.

pub mod local_stack;

use std::future::Future;
use std::pin::Pin;

use pst_kit::shutdown::CancellationToken;
use pst_kit::Settings;

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
    pub const ALL: [Component; 6] =
        [Self::Identity, Self::Visit, Self::Catalogue, Self::Watermark, Self::Feedback, Self::Gateway];
}

type Running = Pin<Box<dyn Future<Output = anyhow::Result<()>> + Send>>;

/// Builds `component` (binds its listener, migrates its database) and returns the future
/// that serves it until `shutdown`.
pub async fn start(component: Component, settings: &Settings, shutdown: CancellationToken) -> anyhow::Result<Running> {
    Ok(match component {
        Component::Identity => Box::pin(pst_identity::Application::build(settings).await?.run_until_stopped(shutdown)),
        Component::Visit => Box::pin(pst_visit::Application::build(settings).await?.run_until_stopped(shutdown)),
        Component::Catalogue => Box::pin(pst_catalogue::Application::build(settings).await?.run_until_stopped(shutdown)),
        Component::Watermark => Box::pin(pst_watermark::Application::build(settings).await?.run_until_stopped(shutdown)),
        Component::Feedback => Box::pin(pst_feedback::Application::build(settings).await?.run_until_stopped(shutdown)),
        Component::Gateway => Box::pin(pst_gateway::Application::build(settings).await?.run_until_stopped(shutdown)),
    })
}

/// Runs `components` until `shutdown` or until one fails (which stops the others).
/// `ready` is called once every component is listening.
pub async fn run(components: &[Component], settings: &Settings, shutdown: CancellationToken, ready: impl FnOnce()) -> anyhow::Result<()> {
    let mut tasks = tokio::task::JoinSet::new();
    for &c in components {
        let fut = start(c, settings, shutdown.clone()).await.map_err(|e| e.context(format!("starting {c:?}")))?;
        tasks.spawn(async move { fut.await.map_err(|e| e.context(format!("{c:?} stopped with an error"))) });
    }
    ready();
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
