//! Per-client-address rate limit over `/api`: a fixed one-minute window per address,
//! bounded in memory (the table is cleared when it grows past its cap, which only ever
//! errs toward letting requests through).

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::extract::{Request, State};
use axum::http::StatusCode;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use crate::error::ApiError;

const MAX_TRACKED: usize = 100_000;
const WINDOW: Duration = Duration::from_secs(60);

#[derive(Debug, Clone)]
pub struct RateLimiter {
    per_minute: u32,
    proxies: pst_kit::net::TrustedProxies,
    table: Arc<Mutex<HashMap<String, (Instant, u32)>>>,
}

impl RateLimiter {
    pub fn new(per_minute: u32, proxies: pst_kit::net::TrustedProxies) -> Self {
        Self {
            per_minute,
            proxies,
            table: Arc::default(),
        }
    }

    /// `Ok` if `key` may make one more request now, else the seconds until its window ends.
    pub fn check(&self, key: &str, now: Instant) -> Result<(), u64> {
        let mut table = self.table.lock().expect("BUG: rate-limit lock poisoned");
        if table.len() >= MAX_TRACKED {
            table.retain(|_, (start, _)| now.duration_since(*start) < WINDOW);
            if table.len() >= MAX_TRACKED {
                table.clear();
            }
        }
        let entry = table.entry(key.to_owned()).or_insert((now, 0));
        if now.duration_since(entry.0) >= WINDOW {
            *entry = (now, 0);
        }
        if entry.1 >= self.per_minute {
            let left = WINDOW.saturating_sub(now.duration_since(entry.0));
            return Err(left.as_secs().max(1));
        }
        entry.1 += 1;
        Ok(())
    }
}

pub async fn middleware(State(limiter): State<RateLimiter>, req: Request, next: Next) -> Response {
    let (parts, body) = req.into_parts();
    let ip = crate::ctx::client_ip(&parts, &limiter.proxies);
    if let Err(secs) = limiter.check(&ip, Instant::now()) {
        let mut err = ApiError::new(
            StatusCode::TOO_MANY_REQUESTS,
            "RATE_LIMITED",
            format!("Terlalu banyak permintaan dari alamat Anda. Coba lagi dalam {secs} detik."),
        );
        err.1.retry_after_secs = Some(secs);
        return err.into_response();
    }
    next.run(Request::from_parts(parts, body)).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn allows_up_to_the_limit_then_refuses_until_the_window_ends() {
        let rl = RateLimiter::new(2, pst_kit::net::TrustedProxies::default());
        let t0 = Instant::now();
        assert!(rl.check("1.2.3.4", t0).is_ok());
        assert!(rl.check("1.2.3.4", t0).is_ok());
        assert_eq!(rl.check("1.2.3.4", t0 + Duration::from_secs(10)), Err(50));
        assert!(
            rl.check("5.6.7.8", t0).is_ok(),
            "other addresses are counted apart"
        );
        assert!(rl.check("1.2.3.4", t0 + WINDOW).is_ok());
    }
}
