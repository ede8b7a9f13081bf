//! Security headers on every response: a strict Content-Security-Policy (no inline script,
//! nothing from another origin, no framing), no MIME sniffing, a minimal referrer.

use axum::http::{HeaderName, HeaderValue, header};
use tower::ServiceBuilder;
use tower::layer::util::{Identity, Stack};
use tower_http::set_header::SetResponseHeaderLayer;

/// The policy: scripts, styles, fonts and workers from this origin only; images also as
/// `data:`/`blob:` (PDF.js draws with them); forms post only here; no plugins, no `<base>`.
pub const CSP: &str = "default-src 'self'; script-src 'self'; style-src 'self'; \
    img-src 'self' data: blob:; font-src 'self' data:; connect-src 'self'; worker-src 'self'; \
    object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

type L = SetResponseHeaderLayer<HeaderValue>;

#[allow(clippy::type_complexity)]
pub fn layer() -> ServiceBuilder<Stack<L, Stack<L, Stack<L, Stack<L, Identity>>>>> {
    let set = |name: HeaderName, value: &'static str| {
        SetResponseHeaderLayer::if_not_present(name, HeaderValue::from_static(value))
    };
    ServiceBuilder::new()
        .layer(set(header::CONTENT_SECURITY_POLICY, CSP))
        .layer(set(header::X_CONTENT_TYPE_OPTIONS, "nosniff"))
        .layer(set(header::REFERRER_POLICY, "same-origin"))
        .layer(set(header::X_FRAME_OPTIONS, "DENY"))
}
