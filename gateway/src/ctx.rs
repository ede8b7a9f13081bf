//! What every handler forwards to a backend: the caller's bearer token (each service
//! checks it itself), the client address (for throttling) and the request id.

use std::net::SocketAddr;

use axum::extract::{ConnectInfo, FromRequestParts};
use axum::http::request::Parts;
use tonic::metadata::MetadataValue;

use crate::error::ApiError;
use crate::state::AppState;

#[derive(Debug, Clone)]
pub struct Ctx {
    authorization: Option<String>,
    pub client_ip: String,
    request_id: Option<String>,
}

impl Ctx {
    /// This context with `token` as its bearer (a web page's session), or none.
    pub fn with_bearer(mut self, token: Option<&str>) -> Self {
        self.authorization = token.map(|t| format!("Bearer {t}"));
        self
    }

    /// A gRPC request carrying the forwarded metadata.
    pub fn request<T>(&self, msg: T) -> tonic::Request<T> {
        let mut req = tonic::Request::new(msg);
        let md = req.metadata_mut();
        if let Some(v) = self
            .authorization
            .as_deref()
            .and_then(|a| MetadataValue::try_from(a).ok())
        {
            md.insert("authorization", v);
        }
        if let Ok(v) = MetadataValue::try_from(self.client_ip.as_str()) {
            md.insert("x-client-ip", v);
        }
        if let Some(v) = self
            .request_id
            .as_deref()
            .and_then(|a| MetadataValue::try_from(a).ok())
        {
            md.insert("x-request-id", v);
        }
        req
    }
}

/// The client address: the TCP peer, or — behind a trusted ingress — the address that
/// ingress saw, which it appends as the *last* X-Forwarded-For entry (earlier entries are
/// whatever the client sent, and cannot be trusted).
pub fn client_ip(parts: &Parts, trust_forwarded: bool) -> String {
    if trust_forwarded
        && let Some(ip) = parts
            .headers
            .get("x-forwarded-for")
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.rsplit(',').next())
            .map(str::trim)
            .filter(|v| v.parse::<std::net::IpAddr>().is_ok())
    {
        return ip.to_owned();
    }
    parts
        .extensions
        .get::<ConnectInfo<SocketAddr>>()
        .map_or_else(|| "unknown".to_owned(), |c| c.0.ip().to_string())
}

impl FromRequestParts<AppState> for Ctx {
    type Rejection = ApiError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let header = |name: &str| {
            parts
                .headers
                .get(name)
                .and_then(|v| v.to_str().ok())
                .map(str::to_owned)
        };
        Ok(Self {
            authorization: header("authorization"),
            client_ip: client_ip(parts, state.trust_forwarded_for),
            request_id: header("x-request-id"),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_last_forwarded_hop_is_trusted() {
        let req = axum::http::Request::builder()
            .header("x-forwarded-for", "10.9.9.9, 203.0.113.7")
            .body(())
            .expect("request");
        let (parts, ()) = req.into_parts();
        assert_eq!(client_ip(&parts, true), "203.0.113.7");
        assert_eq!(
            client_ip(&parts, false),
            "unknown",
            "without trust, the header is ignored"
        );
    }
}
