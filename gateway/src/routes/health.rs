//! Liveness and readiness. Ready only when every backend answers gRPC health SERVING.

use std::time::Duration;

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use serde::Serialize;
use tonic_health::pb::HealthCheckRequest;
use tonic_health::pb::health_check_response::ServingStatus;
use tonic_health::pb::health_client::HealthClient;
use utoipa::ToSchema;

use crate::state::AppState;

#[derive(Debug, Serialize, ToSchema)]
pub struct Readiness {
    pub ready: bool,
    /// Backends that did not answer SERVING (and `document-storage` when a gateway delivering
    /// copies directly cannot list the documents).
    pub not_ready: Vec<String>,
}

/// The process is up.
#[utoipa::path(get, path = "/healthz", tag = "health", responses((status = 200)))]
pub async fn healthz() -> &'static str {
    "ok"
}

/// Every backend answers health SERVING (and, with direct delivery, storage is readable).
#[utoipa::path(get, path = "/readyz", tag = "health", responses((status = 200, body = Readiness), (status = 503, body = Readiness)))]
pub async fn readyz(State(s): State<AppState>) -> (StatusCode, Json<Readiness>) {
    let checks = s.backends.iter().map(|(name, ch)| {
        let mut client = HealthClient::new(ch.clone());
        async move {
            let mut req = tonic::Request::new(HealthCheckRequest { service: String::new() });
            req.set_timeout(Duration::from_secs(2));
            let ok = matches!(client.check(req).await, Ok(r) if r.get_ref().status == ServingStatus::Serving as i32);
            (name, ok)
        }
    });
    // A gateway delivering copies directly must also be able to read document storage.
    let storage = async {
        match &s.documents {
            Some(st) => matches!(
                tokio::time::timeout(Duration::from_secs(2), st.probe()).await,
                Ok(Ok(()))
            ),
            None => true,
        }
    };
    let (backends, storage_ok) = tokio::join!(futures::future::join_all(checks), storage);
    let mut not_ready: Vec<String> = backends
        .into_iter()
        .filter(|(_, ok)| !ok)
        .map(|(n, _)| (*n).to_owned())
        .collect();
    if !storage_ok {
        not_ready.push("document-storage".into());
    }
    let ready = not_ready.is_empty();
    (
        if ready {
            StatusCode::OK
        } else {
            StatusCode::SERVICE_UNAVAILABLE
        },
        Json(Readiness { ready, not_ready }),
    )
}
