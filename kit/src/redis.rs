//! Redis for live state: one lazily-connecting, self-reconnecting multiplexed connection
//! with short timeouts, so an outage turns into a quick 503 instead of hung requests,
//! and recovers by itself when Redis returns.

use std::time::Duration;

use anyhow::Context as _;
use redis::aio::{ConnectionManager, ConnectionManagerConfig};

use crate::AppError;
use crate::config::RedisSettings;

pub use redis;

/// The client for `redis.url`: with `rediss://` and `redis.ca_file`, TLS trusting only
/// that CA (and checking the server's name); with `rediss://` alone, the system's roots.
pub fn client(settings: &RedisSettings) -> anyhow::Result<redis::Client> {
    let tls = settings.url.starts_with("rediss://");
    if !tls || settings.ca_file.is_empty() {
        return redis::Client::open(settings.url.as_str())
            .context("redis.url is not a valid Redis URL");
    }
    let root = std::fs::read(&settings.ca_file)
        .with_context(|| format!("reading redis.ca_file {}", settings.ca_file))?;
    redis::Client::build_with_tls(
        settings.url.as_str(),
        redis::TlsCertificates {
            client_tls: None,
            root_cert: Some(root),
        },
    )
    .with_context(|| {
        format!(
            "redis.url with the CA in {}: not a valid Redis TLS setup",
            settings.ca_file
        )
    })
}

/// A connection manager that connects on first use and reconnects after failures.
pub fn connect(settings: &RedisSettings) -> anyhow::Result<ConnectionManager> {
    let client = client(settings)?;
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
    let client = client(settings).map_err(AppError::internal)?;
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
