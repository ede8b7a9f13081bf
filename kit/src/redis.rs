//! Redis for live state: one lazily-connecting, self-reconnecting multiplexed connection
//! with short timeouts, so an outage turns into a quick 503 instead of hung requests,
//! and recovers by itself when Redis returns.

use std::time::Duration;

use anyhow::Context as _;
use redis::aio::{ConnectionManager, ConnectionManagerConfig};

use crate::AppError;
use crate::config::RedisSettings;

pub use redis;

/// A connection manager that connects on first use and reconnects after failures.
pub fn connect(settings: &RedisSettings) -> anyhow::Result<ConnectionManager> {
    let client =
        redis::Client::open(settings.url.as_str()).context("redis.url is not a valid Redis URL")?;
    let config = ConnectionManagerConfig::new()
        .set_connection_timeout(Some(Duration::from_millis(500)))
        .set_response_timeout(Some(Duration::from_secs(2)))
        .set_number_of_retries(1)
        .set_max_delay(Duration::from_millis(200));
    ConnectionManager::new_lazy_with_config(client, config)
        .context("creating the Redis connection manager")
}

/// A dedicated (non-multiplexed) connection, for blocking reads such as `XREAD BLOCK`.
pub async fn dedicated(
    settings: &RedisSettings,
) -> Result<redis::aio::MultiplexedConnection, AppError> {
    let client = redis::Client::open(settings.url.as_str())
        .map_err(|e| AppError::internal(anyhow::anyhow!(e)))?;
    let config = redis::AsyncConnectionConfig::new()
        .set_connection_timeout(Some(Duration::from_millis(500)))
        .set_response_timeout(None);
    client
        .get_multiplexed_async_connection_with_config(&config)
        .await
        .map_err(unavailable)
}

/// Redis errors are outages from the client's point of view: 503 with a clear message.
pub fn unavailable(e: redis::RedisError) -> AppError {
    tracing::error!(error = %e, "redis unavailable");
    AppError::Unavailable {
        code: "QUEUE_UNAVAILABLE",
        detail: "Layanan antrean sedang tidak tersedia; coba lagi sebentar lagi. Buku tamu tetap dapat diisi.".into(),
    }
}
