//! The gRPC server bootstrap shared by every service: `grpc.health.v1`, reflection,
//! request ids, tracing with W3C parent extraction, a server-side deadline, a concurrency
//! limit, panic containment, and graceful shutdown (health NOT_SERVING, drain, return).

use std::net::SocketAddr;
use std::time::Duration;

use anyhow::Context as _;
use tokio::net::TcpListener;
use tokio_stream::wrappers::TcpListenerStream;
use tonic::service::Routes;
use tonic::transport::Server;
use tonic_health::ServingStatus;
use tower_http::request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer};
use tower_http::trace::TraceLayer;

use crate::config::ServiceSettings;
use crate::shutdown::CancellationToken;

/// Binds `addr` first, so that port 0 works and the caller can learn the real port.
pub async fn bind(addr: &str) -> anyhow::Result<TcpListener> {
    TcpListener::bind(addr)
        .await
        .with_context(|| format!("cannot listen on {addr}"))
}

/// A bound gRPC server that is not yet serving.
#[derive(Debug)]
pub struct GrpcServer {
    listener: TcpListener,
    /// Fully-qualified names reported SERVING by the health service.
    service_names: Vec<&'static str>,
    timeout: Duration,
    concurrency: usize,
    /// Calls whose token was revoked are refused before the service sees them.
    revocations: Option<crate::revocation::Revocations>,
}

impl GrpcServer {
    pub async fn bind(
        addr: &str,
        settings: &ServiceSettings,
        service_names: &[&'static str],
    ) -> anyhow::Result<Self> {
        Ok(Self {
            listener: bind(addr).await?,
            service_names: service_names.to_vec(),
            timeout: Duration::from_secs(settings.request_timeout_secs),
            concurrency: settings.concurrency_per_connection,
            revocations: None,
        })
    }

    /// Checks every call's bearer token against the revocation list first.
    pub fn with_revocations(mut self, list: crate::revocation::Revocations) -> Self {
        self.revocations = Some(list);
        self
    }

    /// A different per-call limit than `request_timeout_secs`: for services whose calls
    /// stream a large request body (the limit covers receiving it).
    pub fn with_timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    pub fn local_addr(&self) -> SocketAddr {
        self.listener
            .local_addr()
            .expect("BUG: a bound listener has an address")
    }

    /// Serves `routes` (the service's own gRPC services) plus health and reflection until
    /// `shutdown` is cancelled, then drains in-flight calls and returns.
    pub async fn serve(self, routes: Routes, shutdown: CancellationToken) -> anyhow::Result<()> {
        let (reporter, health) = tonic_health::server::health_reporter();
        for name in &self.service_names {
            reporter
                .set_service_status(*name, ServingStatus::Serving)
                .await;
        }
        reporter
            .set_service_status("", ServingStatus::Serving)
            .await;
        let reflection = tonic_reflection::server::Builder::configure()
            .register_encoded_file_descriptor_set(pst_proto::FILE_DESCRIPTOR_SET)
            .register_encoded_file_descriptor_set(tonic_health::pb::FILE_DESCRIPTOR_SET)
            .build_v1()
            .context("building reflection service")?;
        let routes = routes.add_service(health).add_service(reflection);

        let addr = self.local_addr();
        let names = self.service_names.clone();
        let drain = {
            let reporter = reporter.clone();
            async move {
                shutdown.cancelled().await;
                for name in &names {
                    reporter
                        .set_service_status(*name, ServingStatus::NotServing)
                        .await;
                }
                reporter
                    .set_service_status("", ServingStatus::NotServing)
                    .await;
                tracing::info!(%addr, "gRPC server draining");
            }
        };

        let layers = tower::ServiceBuilder::new()
            .layer(SetRequestIdLayer::x_request_id(MakeRequestUuid))
            .layer(
                TraceLayer::new_for_grpc().make_span_with(|req: &http::Request<_>| {
                    let request_id = req
                        .headers()
                        .get("x-request-id")
                        .and_then(|v| v.to_str().ok())
                        .unwrap_or_default()
                        .to_owned();
                    let span = tracing::info_span!(
                        "grpc.server",
                        otel.name = %req.uri().path(),
                        otel.kind = "server",
                        rpc.system = "grpc",
                        request_id = %request_id,
                    );
                    crate::telemetry::set_parent_from(&span, req.headers());
                    span
                }),
            )
            .layer(PropagateRequestIdLayer::x_request_id())
            .layer(crate::metrics::GrpcMetricsLayer)
            .layer(crate::revocation::RevocationLayer(self.revocations.clone()))
            // A handler that panics answers INTERNAL (the gateway's documented 500, with
            // the request id in the log) instead of resetting the stream, which a caller
            // sees as a cancelled call; the panic hook has already logged where it was.
            .layer(tower_http::catch_panic::CatchPanicLayer::custom(
                |_: Box<dyn std::any::Any + Send>| {
                    tracing::error!("a gRPC handler panicked; answered INTERNAL");
                    tonic::Status::internal("Terjadi kesalahan internal; silakan coba lagi.")
                        .into_http::<tonic::body::Body>()
                },
            ))
            .into_inner();

        tracing::info!(%addr, services = ?self.service_names, "gRPC server listening");
        Server::builder()
            // Windows large enough that a document streams without waiting for window
            // updates every 64 KiB.
            .initial_stream_window_size(Some(BULK_STREAM_WINDOW))
            .initial_connection_window_size(Some(BULK_CONNECTION_WINDOW))
            .max_frame_size(Some(BULK_FRAME))
            .timeout(self.timeout)
            .concurrency_limit_per_connection(self.concurrency)
            .layer(layers)
            .add_routes(routes)
            .serve_with_incoming_shutdown(incoming(self.listener), drain)
            .await
            .context("gRPC server failed")?;
        tracing::info!(%addr, "gRPC server stopped");
        Ok(())
    }
}

/// Accepted connections with Nagle's algorithm off: a response written in several small
/// pieces (headers, body, trailers) must not wait for the peer's delayed ACK (~40 ms).
fn incoming(
    listener: TcpListener,
) -> impl tokio_stream::Stream<Item = std::io::Result<tokio::net::TcpStream>> {
    use tokio_stream::StreamExt as _;
    TcpListenerStream::new(listener).map(|conn| {
        if let Ok(s) = &conn
            && let Err(e) = s.set_nodelay(true)
        {
            tracing::debug!(error = %e, "could not set TCP_NODELAY");
        }
        conn
    })
}

/// A lazily-connecting channel to another service, with a per-call deadline.
pub fn channel(url: &str, timeout: Duration) -> anyhow::Result<tonic::transport::Channel> {
    Ok(tonic::transport::Endpoint::from_shared(url.to_owned())
        .with_context(|| format!("invalid service URL {url}"))?
        .connect_timeout(Duration::from_secs(3))
        .timeout(timeout)
        .tcp_nodelay(true)
        .connect_lazy())
}

const BULK_STREAM_WINDOW: u32 = 2 << 20;
const BULK_CONNECTION_WINDOW: u32 = 8 << 20;
const BULK_FRAME: u32 = 1 << 20;

/// A lazily-connecting channel for streams of documents: no per-call deadline (a 200 MB
/// upload takes as long as the client's network), large HTTP/2 windows and frames.
pub fn bulk_channel(url: &str) -> anyhow::Result<tonic::transport::Channel> {
    Ok(tonic::transport::Endpoint::from_shared(url.to_owned())
        .with_context(|| format!("invalid service URL {url}"))?
        .connect_timeout(Duration::from_secs(3))
        .tcp_nodelay(true)
        .initial_stream_window_size(Some(BULK_STREAM_WINDOW))
        .initial_connection_window_size(Some(BULK_CONNECTION_WINDOW))
        // Documents arrive in DATA frames of up to 1 MiB instead of 16 KiB.
        .max_frame_size(Some(BULK_FRAME))
        .connect_lazy())
}

/// A channel whose calls carry the caller's W3C trace context.
pub type TracedChannel = tonic::service::interceptor::InterceptedService<
    tonic::transport::Channel,
    fn(tonic::Request<()>) -> Result<tonic::Request<()>, tonic::Status>,
>;

/// Wraps `channel` so every call carries the current span's trace context.
pub fn traced(channel: tonic::transport::Channel) -> TracedChannel {
    tonic::service::interceptor::InterceptedService::new(channel, inject_trace as fn(_) -> _)
}

fn inject_trace(mut req: tonic::Request<()>) -> Result<tonic::Request<()>, tonic::Status> {
    crate::telemetry::inject_current(req.metadata_mut());
    Ok(req)
}

/// Deadline of a service's calls to another service (and of dialling one).
/// How a peer service's refusal reads to our caller: which of our codes and field stand for
/// its "not found", "not allowed" and "bad argument", and what to say when it is down.
#[derive(Debug, Clone, Copy)]
pub struct Peer {
    /// For the log: which service was called.
    pub service: &'static str,
    pub not_found: &'static str,
    pub denied: &'static str,
    /// The field a bad argument is about, e.g. `publication_id`.
    pub field: &'static str,
    pub unavailable: &'static str,
    pub unavailable_detail: &'static str,
}

/// The visit service, as the catalogue and feedback services ask it whose visit an id is.
pub const VISIT_PEER: Peer = Peer {
    service: "visit",
    not_found: "VISIT_NOT_FOUND",
    denied: "NOT_YOUR_VISIT",
    field: "visit_id",
    unavailable: "VISIT_SERVICE_UNAVAILABLE",
    unavailable_detail: "Data kunjungan tidak dapat diperiksa saat ini; coba lagi sebentar lagi.",
};

/// A peer's status as our answer: its "not found", "not allowed" and "bad argument" keep
/// their message under our code; anything else is our "unavailable" (and logged), so a
/// peer's internals never reach the client.
pub fn peer_error(p: &Peer, s: tonic::Status) -> crate::AppError {
    use crate::AppError;
    match s.code() {
        tonic::Code::NotFound => AppError::NotFound {
            code: p.not_found,
            detail: s.message().to_owned(),
        },
        tonic::Code::Unauthenticated => AppError::unauthenticated(s.message().to_owned()),
        tonic::Code::PermissionDenied => AppError::PermissionDenied {
            code: p.denied,
            detail: s.message().to_owned(),
        },
        tonic::Code::InvalidArgument => AppError::field(p.field, s.message().to_owned()),
        _ => {
            tracing::error!(service = p.service, code = ?s.code(), message = s.message(), "call to a peer service failed");
            AppError::Unavailable {
                code: p.unavailable,
                detail: p.unavailable_detail.to_owned(),
            }
        }
    }
}

pub const PEER_TIMEOUT: Duration = Duration::from_secs(3);

/// A call to another service on behalf of the caller: their bearer token (the callee
/// checks it itself) and a deadline.
pub fn forwarded<T>(msg: T, bearer: Option<&str>, timeout: Duration) -> tonic::Request<T> {
    let mut req = tonic::Request::new(msg);
    req.set_timeout(timeout);
    if let Some(v) = bearer.and_then(|b| b.parse().ok()) {
        req.metadata_mut().insert("authorization", v);
    }
    req
}

/// Routes for a service that so far serves only health and reflection.
pub fn empty_routes() -> Routes {
    Routes::default()
}

#[cfg(test)]
mod tests {
    use std::convert::Infallible;
    use std::task::{Context, Poll};

    use super::*;
    use tonic::server::NamedService;

    /// A gRPC service whose every call panics, as a handler meeting a bug would.
    #[derive(Clone)]
    struct Panics;

    impl NamedService for Panics {
        const NAME: &'static str = "pst.test.v1.Panics";
    }

    impl tower::Service<http::Request<tonic::body::Body>> for Panics {
        type Response = http::Response<tonic::body::Body>;
        type Error = Infallible;
        type Future = std::future::Ready<Result<Self::Response, Infallible>>;

        fn poll_ready(&mut self, _: &mut Context<'_>) -> Poll<Result<(), Infallible>> {
            Poll::Ready(Ok(()))
        }

        fn call(&mut self, _: http::Request<tonic::body::Body>) -> Self::Future {
            panic!("a bug in a handler");
        }
    }

    #[tokio::test]
    async fn a_panicking_handler_answers_internal_over_the_wire() {
        let settings = crate::Settings::with_overrides::<&str, &str>(&[]).expect("settings");
        let server = GrpcServer::bind("127.0.0.1:0", &settings.services, &[Panics::NAME])
            .await
            .expect("bind");
        let url = format!("http://{}", server.local_addr());
        let stop = CancellationToken::new();
        let serving = tokio::spawn(server.serve(Routes::new(Panics), stop.clone()));

        let mut client =
            tonic::client::Grpc::new(channel(&url, Duration::from_secs(5)).expect("channel"));
        for _ in 0..2 {
            client.ready().await.expect("ready");
            let answer: Result<tonic::Response<()>, tonic::Status> = client
                .unary(
                    tonic::Request::new(()),
                    http::uri::PathAndQuery::from_static("/pst.test.v1.Panics/Call"),
                    tonic_prost::ProstCodec::<(), ()>::default(),
                )
                .await;
            let status = answer.expect_err("a panic is no answer");
            assert_eq!(status.code(), tonic::Code::Internal, "{status:?}");
        }
        stop.cancel();
        serving.await.expect("join").expect("served");
    }
}
