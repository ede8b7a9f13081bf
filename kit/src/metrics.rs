//! Prometheus metrics: one registry per process, served as text on `metrics.addr`
//! (`GET /metrics`), apart from the component's own port. Every series starts with `pst_`.
//!
//! What they answer at 3 a.m.: is the gateway answering and how fast
//! (`pst_http_*`), which service call is failing or slow (`pst_grpc_*`, by method and
//! gRPC code), is a database pool exhausted (`pst_db_pool_connections`), how long the
//! queue is and how long people wait (`pst_queue_*`), is the 5-minute promise being broken
//! (`pst_promise_breaches_total`), are softcopies going out and how long stamping takes
//! (`pst_downloads_total`, `pst_stamp_seconds`), how fast search is (`pst_search_seconds`).

use std::net::SocketAddr;
use std::pin::Pin;
use std::sync::{LazyLock, Mutex};
use std::task::{Context, Poll};
use std::time::{Duration, Instant};

use anyhow::Context as _;
use prometheus::{
    Encoder as _, Histogram, HistogramOpts, HistogramVec, IntCounterVec, IntGaugeVec, Opts,
    Registry, TextEncoder,
};
use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};

use crate::shutdown::CancellationToken;

/// Latency buckets in seconds: 1 ms to 10 s.
const LATENCY: &[f64] = &[
    0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0,
];
/// Queue waits in seconds: 30 s to 1 h (the promise is 5 minutes).
const WAITS: &[f64] = &[
    30.0, 60.0, 120.0, 180.0, 240.0, 300.0, 450.0, 600.0, 900.0, 1800.0, 3600.0,
];

/// Every series of the process.
pub struct Metrics {
    registry: Registry,
    http_requests: IntCounterVec,
    http_seconds: HistogramVec,
    grpc_requests: IntCounterVec,
    grpc_seconds: HistogramVec,
    db_pool: IntGaugeVec,
    queue_waiting: IntGaugeVec,
    queue_wait: HistogramVec,
    breaches: IntCounterVec,
    downloads: IntCounterVec,
    stamp: Histogram,
    search: Histogram,
    /// The pool of each component (the newest one: a process that builds a component
    /// again, as tests do, does not keep the old pool and its connections alive).
    pools: Mutex<std::collections::HashMap<String, sqlx::PgPool>>,
}

fn must<T>(r: prometheus::Result<T>) -> T {
    r.expect("BUG: a metric definition is invalid")
}

impl Metrics {
    fn new() -> Self {
        let registry = Registry::new();
        let counter = |name: &str, help: &str, labels: &[&str]| {
            let c = must(IntCounterVec::new(Opts::new(name, help), labels));
            must(registry.register(Box::new(c.clone())));
            c
        };
        let histogram = |name: &str, help: &str, labels: &[&str], buckets: &[f64]| {
            let h = must(HistogramVec::new(
                HistogramOpts::new(name, help).buckets(buckets.to_vec()),
                labels,
            ));
            must(registry.register(Box::new(h.clone())));
            h
        };
        let gauge = |name: &str, help: &str, labels: &[&str]| {
            let g = must(IntGaugeVec::new(Opts::new(name, help), labels));
            must(registry.register(Box::new(g.clone())));
            g
        };
        let plain = |name: &str, help: &str, buckets: &[f64]| {
            let h = must(Histogram::with_opts(
                HistogramOpts::new(name, help).buckets(buckets.to_vec()),
            ));
            must(registry.register(Box::new(h.clone())));
            h
        };
        Self {
            http_requests: counter(
                "pst_http_requests_total",
                "HTTP requests answered by the gateway, by route, method and status.",
                &["route", "method", "status"],
            ),
            http_seconds: histogram(
                "pst_http_request_duration_seconds",
                "Time the gateway took to answer (until the response head), by route and method.",
                &["route", "method"],
                LATENCY,
            ),
            grpc_requests: counter(
                "pst_grpc_requests_total",
                "gRPC calls served, by component, method and gRPC status code.",
                &["component", "method", "code"],
            ),
            grpc_seconds: histogram(
                "pst_grpc_request_duration_seconds",
                "Time a service took to answer a gRPC call (until the response head).",
                &["component", "method"],
                LATENCY,
            ),
            db_pool: gauge(
                "pst_db_pool_connections",
                "Postgres pool connections by component and state (idle, in_use, max).",
                &["component", "state"],
            ),
            queue_waiting: gauge(
                "pst_queue_waiting",
                "Tickets waiting in an office's queue, as its board last showed them.",
                &["office"],
            ),
            queue_wait: histogram(
                "pst_queue_wait_seconds",
                "Time from taking a number to being called, per office.",
                &["office"],
                WAITS,
            ),
            breaches: counter(
                "pst_promise_breaches_total",
                "Visitors whose service started later than the promise after the guest book.",
                &["office"],
            ),
            downloads: counter(
                "pst_downloads_total",
                "Stamped copies issued, by kind (download, read).",
                &["kind"],
            ),
            stamp: plain(
                "pst_stamp_seconds",
                "Time to make one copy's own part (stamp form, signed mark, cross-reference).",
                LATENCY,
            ),
            search: plain(
                "pst_search_seconds",
                "Time the catalogue took to answer one search.",
                LATENCY,
            ),
            registry,
            pools: Mutex::default(),
        }
    }

    pub fn http(&self, route: &str, method: &str, status: u16, took: Duration) {
        self.http_requests
            .with_label_values(&[route, method, &status.to_string()])
            .inc();
        self.http_seconds
            .with_label_values(&[route, method])
            .observe(took.as_secs_f64());
    }

    pub fn grpc(&self, path: &str, code: &str, took: Duration) {
        let component = component_of(path);
        self.grpc_requests
            .with_label_values(&[component, path, code])
            .inc();
        self.grpc_seconds
            .with_label_values(&[component, path])
            .observe(took.as_secs_f64());
    }

    /// Pools are read at every scrape.
    pub fn watch_pool(&self, component: &str, pool: &sqlx::PgPool) {
        self.pools
            .lock()
            .expect("BUG: metrics pools poisoned")
            .insert(component.to_owned(), pool.clone());
    }

    pub fn queue_waiting(&self, office: &str, waiting: u64) {
        self.queue_waiting
            .with_label_values(&[office])
            .set(i64::try_from(waiting).unwrap_or(i64::MAX));
    }

    pub fn called(&self, office: &str, waited_secs: f64) {
        self.queue_wait
            .with_label_values(&[office])
            .observe(waited_secs.max(0.0));
    }

    pub fn promise_broken(&self, office: &str) {
        self.breaches.with_label_values(&[office]).inc();
    }

    pub fn issued(&self, kind: &str) {
        self.downloads.with_label_values(&[kind]).inc();
    }

    pub fn stamped(&self, took: Duration) {
        self.stamp.observe(took.as_secs_f64());
    }

    pub fn searched(&self, took: Duration) {
        self.search.observe(took.as_secs_f64());
    }

    /// The text exposition of every series, pools sampled now.
    pub fn render(&self) -> String {
        for (component, pool) in self
            .pools
            .lock()
            .expect("BUG: metrics pools poisoned")
            .iter()
        {
            let size = i64::from(pool.size());
            let idle = i64::try_from(pool.num_idle()).unwrap_or(i64::MAX);
            let max = i64::from(pool.options().get_max_connections());
            for (state, v) in [("idle", idle), ("in_use", size - idle), ("max", max)] {
                self.db_pool.with_label_values(&[component, state]).set(v);
            }
        }
        let mut out = Vec::new();
        if let Err(e) = TextEncoder::new().encode(&self.registry.gather(), &mut out) {
            tracing::error!(error = %e, "encoding metrics");
        }
        String::from_utf8(out).unwrap_or_default()
    }
}

/// `/pst.visit.v1.VisitService/TakeTicket` → `visit`; health and reflection as such.
fn component_of(path: &str) -> &str {
    let service = path
        .trim_start_matches('/')
        .split('/')
        .next()
        .unwrap_or_default();
    match service.split('.').collect::<Vec<_>>().as_slice() {
        ["pst", c, ..] => c,
        ["grpc", "health", ..] => "health",
        ["grpc", "reflection", ..] => "reflection",
        _ => "other",
    }
}

static METRICS: LazyLock<Metrics> = LazyLock::new(Metrics::new);

/// The process's metrics.
pub fn get() -> &'static Metrics {
    &METRICS
}

/// Binds `addr` and returns its address and the server that answers `GET /metrics` until
/// `shutdown` (anything else is 404).
pub async fn serve(
    addr: &str,
    shutdown: CancellationToken,
) -> anyhow::Result<(
    SocketAddr,
    impl std::future::Future<Output = ()> + Send + 'static,
)> {
    let listener = tokio::net::TcpListener::bind(addr)
        .await
        .with_context(|| format!("binding metrics.addr {addr}"))?;
    let bound = listener.local_addr()?;
    tracing::info!(addr = %bound, "metrics at /metrics");
    let server = async move {
        loop {
            let accepted = tokio::select! {
                () = shutdown.cancelled() => return,
                a = listener.accept() => a,
            };
            let Ok((mut stream, _)) = accepted else {
                continue;
            };
            tokio::spawn(async move {
                let mut head = vec![0u8; 2048];
                let mut n = 0;
                // The request head, bounded; a slow or silent client is dropped.
                let read = tokio::time::timeout(Duration::from_secs(5), async {
                    while n < head.len() && !head[..n].windows(4).any(|w| w == b"\r\n\r\n") {
                        match stream.read(&mut head[n..]).await {
                            Ok(0) | Err(_) => break,
                            Ok(k) => n += k,
                        }
                    }
                })
                .await;
                if read.is_err() {
                    return;
                }
                let line = String::from_utf8_lossy(&head[..n]);
                let mut parts = line.split_whitespace();
                let (method, path) = (parts.next(), parts.next());
                let (status, body) = if method == Some("GET")
                    && path.is_some_and(|p| p == "/metrics" || p.starts_with("/metrics?"))
                {
                    ("200 OK", get().render())
                } else {
                    ("404 Not Found", "not found: GET /metrics\n".to_owned())
                };
                let reply = format!(
                    "HTTP/1.1 {status}\r\ncontent-type: text/plain; version=0.0.4; charset=utf-8\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
                    body.len()
                );
                let _ = stream.write_all(reply.as_bytes()).await;
                let _ = stream.shutdown().await;
            });
        }
    };
    Ok((bound, server))
}

/// Counts and times every gRPC call a server answers.
#[derive(Debug, Clone, Copy, Default)]
pub struct GrpcMetricsLayer;

impl<S> tower::Layer<S> for GrpcMetricsLayer {
    type Service = GrpcMetrics<S>;

    fn layer(&self, inner: S) -> Self::Service {
        GrpcMetrics(inner)
    }
}

#[derive(Debug, Clone)]
pub struct GrpcMetrics<S>(S);

type BoxFuture<T> = Pin<Box<dyn std::future::Future<Output = T> + Send>>;

impl<S, B, R> tower::Service<http::Request<B>> for GrpcMetrics<S>
where
    S: tower::Service<http::Request<B>, Response = http::Response<R>>,
    S::Future: Send + 'static,
{
    type Response = S::Response;
    type Error = S::Error;
    type Future = BoxFuture<Result<Self::Response, Self::Error>>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), Self::Error>> {
        self.0.poll_ready(cx)
    }

    fn call(&mut self, req: http::Request<B>) -> Self::Future {
        let path = req.uri().path().to_owned();
        let start = Instant::now();
        let fut = self.0.call(req);
        Box::pin(async move {
            let r = fut.await;
            // A call that fails before its answer carries its status in the head
            // (trailers-only); one that answers is OK here (a stream that fails later is
            // not seen).
            let code = match &r {
                Ok(resp) => resp
                    .headers()
                    .get("grpc-status")
                    .and_then(|v| v.to_str().ok())
                    .unwrap_or("0")
                    .to_owned(),
                Err(_) => "transport".to_owned(),
            };
            get().grpc(&path, &code, start.elapsed());
            r
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn components_are_read_from_the_method_path() {
        assert_eq!(
            component_of("/pst.visit.v1.VisitService/TakeTicket"),
            "visit"
        );
        assert_eq!(component_of("/grpc.health.v1.Health/Check"), "health");
        assert_eq!(component_of("/x"), "other");
    }

    #[tokio::test]
    async fn the_endpoint_serves_the_series_and_nothing_else() {
        get().searched(Duration::from_millis(3));
        get().issued("download");
        let stop = CancellationToken::new();
        let (addr, server) = serve("127.0.0.1:0", stop.clone()).await.unwrap();
        tokio::spawn(server);
        let ask = |path: &'static str| async move {
            let mut s = tokio::net::TcpStream::connect(addr).await.unwrap();
            s.write_all(format!("GET {path} HTTP/1.1\r\nHost: x\r\n\r\n").as_bytes())
                .await
                .unwrap();
            let mut out = String::new();
            s.read_to_string(&mut out).await.unwrap();
            out
        };
        let page = ask("/metrics").await;
        assert!(page.starts_with("HTTP/1.1 200"), "{page}");
        assert!(page.contains("pst_search_seconds_count"), "{page}");
        assert!(
            page.contains("pst_downloads_total{kind=\"download\"}"),
            "{page}"
        );
        assert!(ask("/").await.starts_with("HTTP/1.1 404"));
        stop.cancel();
    }
}
