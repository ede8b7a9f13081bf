//! Bounds on live streams (server-sent events that stay open for hours): per client address
//! and per office, so that many idle anonymous connections cannot take the slots, memory
//! and backend streams that the real display boards need.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use axum::http::StatusCode;

use crate::error::ApiError;

#[derive(Debug)]
pub struct StreamLimits {
    per_client: usize,
    per_office: usize,
    open: Mutex<HashMap<String, usize>>,
}

/// An open stream's place; dropping it (the client went away) frees it.
#[derive(Debug)]
pub struct StreamSlot {
    limits: Arc<StreamLimits>,
    keys: [String; 2],
}

impl Drop for StreamSlot {
    fn drop(&mut self) {
        let mut open = self
            .limits
            .open
            .lock()
            .expect("BUG: stream limits poisoned");
        for k in &self.keys {
            if let Some(n) = open.get_mut(k) {
                *n = n.saturating_sub(1);
                if *n == 0 {
                    open.remove(k);
                }
            }
        }
    }
}

impl StreamLimits {
    pub fn new(per_client: usize, per_office: usize) -> Arc<Self> {
        Arc::new(Self {
            per_client,
            per_office,
            open: Mutex::default(),
        })
    }

    /// A place for one more stream of `client` for `office`, or a 429 that says why.
    // ApiError is what every handler returns; this runs once per stream.
    #[allow(clippy::result_large_err)]
    pub fn acquire(self: &Arc<Self>, client: &str, office: &str) -> Result<StreamSlot, ApiError> {
        let keys = [format!("c:{client}"), format!("o:{office}")];
        let mut open = self.open.lock().expect("BUG: stream limits poisoned");
        let now = |k: &str| open.get(k).copied().unwrap_or(0);
        if now(&keys[0]) >= self.per_client {
            tracing::warn!(
                client,
                office,
                "live stream refused: too many from this address"
            );
            return Err(too_many(
                "Terlalu banyak tampilan langsung dibuka dari alamat ini. Tutup tampilan lain, lalu muat ulang.",
            ));
        }
        if now(&keys[1]) >= self.per_office {
            tracing::warn!(
                client,
                office,
                "live stream refused: too many for this office"
            );
            return Err(too_many(
                "Terlalu banyak tampilan langsung untuk satker ini. Coba lagi sebentar lagi.",
            ));
        }
        for k in &keys {
            *open.entry(k.clone()).or_insert(0) += 1;
        }
        Ok(StreamSlot {
            limits: Arc::clone(self),
            keys,
        })
    }
}

fn too_many(detail: &str) -> ApiError {
    let mut e = ApiError::new(StatusCode::TOO_MANY_REQUESTS, "TOO_MANY_STREAMS", detail);
    e.1.retry_after_secs = Some(30);
    e
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slots_are_counted_per_client_and_office_and_freed_on_drop() {
        let l = StreamLimits::new(2, 3);
        let a = l.acquire("1.1.1.1", "1674").expect("first");
        let _b = l.acquire("1.1.1.1", "1674").expect("second");
        assert_eq!(
            l.acquire("1.1.1.1", "1674").unwrap_err().0,
            StatusCode::TOO_MANY_REQUESTS
        );
        let _c = l.acquire("2.2.2.2", "1674").expect("another client");
        assert!(l.acquire("3.3.3.3", "1674").is_err(), "the office is full");
        assert!(
            l.acquire("3.3.3.3", "1675").is_ok(),
            "another office is not"
        );
        drop(a);
        assert!(
            l.acquire("1.1.1.1", "1674").is_ok(),
            "a closed stream frees its place"
        );
    }
}
