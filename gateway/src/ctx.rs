//! What every handler forwards to a backend: the caller's bearer token (each service
//! checks it itself), the client address (for throttling) and the request id.

use std::net::SocketAddr;

use axum::extract::{ConnectInfo, FromRequestParts};
use axum::http::request::Parts;
use pst_kit::net::TrustedProxies;
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
            // Signed, so the services can tell our word from a pod's claim.
            if let Some(sig) = pst_kit::internal::sign(&self.client_ip)
                .and_then(|s| MetadataValue::try_from(s.as_str()).ok())
            {
                md.insert("x-client-ip-sig", sig);
            }
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

/// The client address: the TCP peer, or — when the peer is a trusted proxy — the first
/// address left of our proxies in X-Forwarded-For (each proxy appends what it saw; earlier
/// entries are whatever the client sent, and cannot be trusted).
pub fn client_ip(parts: &Parts, proxies: &TrustedProxies) -> String {
    let Some(peer) = parts
        .extensions
        .get::<ConnectInfo<SocketAddr>>()
        .map(|c| c.0.ip())
    else {
        return "unknown".to_owned();
    };
    let forwarded = parts
        .headers
        .get("x-forwarded-for")
        .and_then(|v| v.to_str().ok());
    proxies.client(peer, forwarded).to_string()
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
            client_ip: client_ip(parts, &state.trusted_proxies),
            request_id: header("x-request-id"),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parts(peer: &str, xff: &str) -> Parts {
        let mut req = axum::http::Request::builder()
            .header("x-forwarded-for", xff)
            .body(())
            .expect("request");
        req.extensions_mut()
            .insert(ConnectInfo::<SocketAddr>(peer.parse().expect("peer")));
        req.into_parts().0
    }

    #[test]
    fn forwarded_for_is_believed_only_from_a_trusted_proxy() {
        let proxies = TrustedProxies::parse(&["10.0.0.0/8".into()]).expect("cidr");
        let p = parts("10.9.9.9:5000", "6.6.6.6, 203.0.113.7");
        assert_eq!(client_ip(&p, &proxies), "203.0.113.7");
        let p = parts("198.51.100.4:5000", "203.0.113.7");
        assert_eq!(
            client_ip(&p, &proxies),
            "198.51.100.4",
            "a client cannot name itself"
        );
        assert_eq!(client_ip(&p, &TrustedProxies::default()), "198.51.100.4");
    }
}
