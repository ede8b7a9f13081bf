//! Every HTTP request counted and timed by its route (the pattern, not the URL, so ids do
//! not make new series): `pst_http_requests_total` and `pst_http_request_duration_seconds`.

use std::time::Instant;

use axum::extract::{MatchedPath, Request};
use axum::middleware::Next;
use axum::response::Response;

pub async fn record(req: Request, next: Next) -> Response {
    let route = req
        .extensions()
        .get::<MatchedPath>()
        .map_or("unmatched", MatchedPath::as_str)
        .to_owned();
    let method = req.method().as_str().to_owned();
    let start = Instant::now();
    let resp = next.run(req).await;
    pst_kit::metrics::get().http(&route, &method, resp.status().as_u16(), start.elapsed());
    resp
}
