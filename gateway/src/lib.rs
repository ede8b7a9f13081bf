//! The HTTP/JSON gateway of PST Pustaka: `/api/v1` for browsers, kiosks and apps, in front
//! of the gRPC services. It validates the shape of requests, forwards the caller's token,
//! client address, request id and trace context, and turns gRPC statuses into problem
//! documents. It holds no business rules: every service authorises its own calls.

pub mod csv;
pub mod ctx;
pub mod drain;
pub mod error;
pub mod metrics;
pub mod openapi;
pub mod rate_limit;
pub mod routes;
pub mod security_headers;
pub mod state;
pub mod stream_limits;
pub mod web;

use std::net::SocketAddr;
use std::time::Duration;

use anyhow::Context as _;
use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::http::{HeaderValue, Method, StatusCode};
use tokio::net::TcpListener;
use tower_http::cors::{AllowOrigin, CorsLayer};
use tower_http::request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer};
use tower_http::timeout::TimeoutLayer;
use tower_http::trace::TraceLayer;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use pst_kit::Settings;
use pst_kit::shutdown::CancellationToken;

use crate::error::ApiError;
use crate::state::AppState;

/// Every `/api/v1` route with its OpenAPI annotations.
fn api_router(settings: &Settings) -> OpenApiRouter<AppState> {
    OpenApiRouter::with_openapi(openapi::ApiDoc::build())
        .merge(routes::auth::router())
        .merge(routes::me::router())
        .merge(routes::admin::router())
        .merge(routes::visit::router())
        .merge(routes::feedback::router())
        .merge(routes::catalogue::router())
        .merge(routes::documents::router())
        .layer(DefaultBodyLimit::max(settings.gateway.body_limit_bytes))
        .layer(TimeoutLayer::with_status_code(
            StatusCode::GATEWAY_TIMEOUT,
            Duration::from_millis(settings.gateway.backend_timeout_ms * 2),
        ))
        // Documents come in streamed, with their own size limit and deadline; CSV imports
        // and exports have theirs too.
        .merge(routes::documents::upload_router())
        .merge(routes::catalogue::bulk_router())
}

/// The OpenAPI document as served (completed by [`openapi::finish`]).
pub fn openapi_document(settings: &Settings) -> utoipa::openapi::OpenApi {
    openapi::finish(api_router(settings).split_for_parts().1)
}

/// The whole HTTP app, without a listener (tests can drive it too).
pub fn app(settings: &Settings) -> anyhow::Result<Router> {
    pst_kit::internal::install(settings)?;
    let state = AppState::new(settings)?;
    let limiter = rate_limit::RateLimiter::new(
        settings.gateway.rate_limit_per_minute,
        pst_kit::net::TrustedProxies::parse(&settings.gateway.trusted_proxies)?,
    );
    let (api, openapi) = api_router(settings).split_for_parts();
    let openapi = openapi::finish(openapi);
    let served =
        openapi::served(&openapi).map_err(|e| anyhow::anyhow!("the OpenAPI document: {e}"))?;
    // Path and query parameters are held to the document's patterns (after the token).
    let api = api.layer(axum::middleware::from_fn_with_state(
        std::sync::Arc::new(
            openapi::ParamRules::from_served(&served)
                .map_err(|e| anyhow::anyhow!("the OpenAPI document's parameters: {e}"))?,
        ),
        openapi::check_params,
    ));
    // Routes that require a token answer 401 without one, before reading anything else.
    let api = api.layer(axum::middleware::from_fn_with_state(
        std::sync::Arc::new(openapi::secured_routes(&openapi)),
        openapi::require_token,
    ));
    let api = api.layer(axum::middleware::from_fn_with_state(
        limiter,
        rate_limit::middleware,
    ));
    let (health, _) = OpenApiRouter::new()
        .routes(routes!(routes::health::healthz))
        .routes(routes!(routes::health::readyz))
        .split_for_parts();
    let openapi_json =
        serde_json::to_string_pretty(&served).context("rendering OpenAPI document")?;
    let web = web::router(settings, &state);
    let router = Router::new()
        .merge(api)
        .merge(health)
        .merge(web)
        .route(
            "/api/openapi.json",
            axum::routing::get(move || async move {
                (
                    [(axum::http::header::CONTENT_TYPE, "application/json")],
                    openapi_json,
                )
            }),
        )
        .fallback(not_found)
        .method_not_allowed_fallback(method_not_allowed)
        .with_state(state)
        .layer(axum::middleware::from_fn(metrics::record))
        .layer(security_headers::layer())
        // A bug that panics answers 500 instead of dropping the connection.
        .layer(tower_http::catch_panic::CatchPanicLayer::new())
        .layer(compression())
        .layer(cors(&settings.gateway.cors_origins)?)
        .layer(PropagateRequestIdLayer::x_request_id())
        .layer(
            TraceLayer::new_for_http()
                .make_span_with(|req: &axum::http::Request<_>| {
                    let request_id = req
                        .headers()
                        .get("x-request-id")
                        .and_then(|v| v.to_str().ok())
                        .unwrap_or_default()
                        .to_owned();
                    let span = tracing::info_span!(
                        "http.request",
                        otel.name = %format!("{} {}", req.method(), req.uri().path()),
                        otel.kind = "server",
                        http.method = %req.method(),
                        http.target = %req.uri().path(),
                        request_id = %request_id,
                    );
                    pst_kit::telemetry::set_parent_from(&span, req.headers());
                    span
                })
                .on_response(
                    tower_http::trace::DefaultOnResponse::new().level(tracing::Level::INFO),
                ),
        )
        .layer(SetRequestIdLayer::x_request_id(MakeRequestUuid));
    Ok(router)
}

/// Unknown `/api` paths (and health) answer a problem document; any other path is a page.
async fn not_found(uri: axum::http::Uri) -> axum::response::Response {
    use axum::response::IntoResponse as _;
    if is_api(uri.path()) {
        ApiError::new(
            StatusCode::NOT_FOUND,
            "ROUTE_NOT_FOUND",
            "Alamat API tidak ditemukan.",
        )
        .into_response()
    } else {
        web::error::not_found_page()
    }
}

async fn method_not_allowed(uri: axum::http::Uri) -> axum::response::Response {
    use axum::response::IntoResponse as _;
    let err = ApiError::new(
        StatusCode::METHOD_NOT_ALLOWED,
        "METHOD_NOT_ALLOWED",
        "Metode HTTP ini tidak didukung untuk alamat tersebut.",
    );
    if is_api(uri.path()) {
        err.into_response()
    } else {
        web::error::problem_page(err.0, &err.1)
    }
}

fn is_api(path: &str) -> bool {
    path.starts_with("/api/") || path == "/api" || path == "/healthz" || path == "/readyz"
}

/// gzip or brotli for CSS, JS and JSON; never for PDFs (a reader's ranges are byte ranges
/// of the file itself), event streams, or HTML pages (they carry the CSRF token next to
/// text an attacker can reflect, which compression would leak: BREACH).
fn compression()
-> tower_http::compression::CompressionLayer<impl tower_http::compression::Predicate> {
    use tower_http::compression::predicate::{NotForContentType, Predicate as _};
    tower_http::compression::CompressionLayer::new().compress_when(
        tower_http::compression::DefaultPredicate::new()
            .and(NotForContentType::const_new("application/pdf")),
    )
}

fn cors(origins: &[String]) -> anyhow::Result<CorsLayer> {
    let list = origins
        .iter()
        .map(|o| {
            HeaderValue::from_str(o)
                .with_context(|| format!("gateway.cors_origins: invalid origin {o:?}"))
        })
        .collect::<anyhow::Result<Vec<_>>>()?;
    Ok(CorsLayer::new()
        .allow_origin(AllowOrigin::list(list))
        .allow_methods([
            Method::GET,
            Method::POST,
            Method::PATCH,
            Method::PUT,
            Method::DELETE,
        ])
        .allow_headers([
            axum::http::header::AUTHORIZATION,
            axum::http::header::CONTENT_TYPE,
        ])
        .max_age(Duration::from_secs(600)))
}

/// A bound gateway, not yet serving.
#[derive(Debug)]
pub struct Application {
    listener: TcpListener,
    router: Router,
}

impl Application {
    pub async fn build(settings: &Settings) -> anyhow::Result<Self> {
        let router = app(settings)?;
        let listener = pst_kit::grpc::bind(&settings.gateway.addr).await?;
        Ok(Self { listener, router })
    }

    pub fn local_addr(&self) -> SocketAddr {
        self.listener
            .local_addr()
            .expect("BUG: a bound listener has an address")
    }

    pub async fn run_until_stopped(self, shutdown: CancellationToken) -> anyhow::Result<()> {
        let addr = self.local_addr();
        tracing::info!(%addr, "HTTP gateway listening");
        // Nagle off on every accepted connection (see pst_kit::grpc): no 40 ms stalls.
        let listener = axum::serve::ListenerExt::tap_io(self.listener, |tcp| {
            if let Err(e) = tcp.set_nodelay(true) {
                tracing::debug!(error = %e, "could not set TCP_NODELAY");
            }
        });
        axum::serve(
            listener,
            self.router
                .into_make_service_with_connect_info::<SocketAddr>(),
        )
        .with_graceful_shutdown(async move { shutdown.cancelled().await })
        .await
        .context("HTTP gateway failed")?;
        tracing::info!(%addr, "HTTP gateway stopped");
        Ok(())
    }
}
