//! Redis for live state: one lazily-connecting, self-reconnecting multiplexed connection
//! with short timeouts, so an outage turns into a quick 503 instead of hung requests,
//! and recovers by itself when Redis returns. One server, or a Redis Cluster
//! (`redis.cluster = true`, `redis.url` listing one or more nodes separated by commas):
//! every key a script touches together carries one hash tag (`{office}`), so the scripts
//! run on one slot.

use std::sync::Arc;
use std::time::Duration;

use anyhow::Context as _;
use redis::aio::{ConnectionManager, ConnectionManagerConfig};
use redis::cluster::{ClusterClient, ClusterClientBuilder};
use redis::cluster_async::ClusterConnection;

use crate::AppError;
use crate::config::RedisSettings;

pub use redis;

/// A connection to one Redis server or to a Redis Cluster; cheap to clone.
#[derive(Clone)]
pub enum Conn {
    One(ConnectionManager),
    /// A connection of its own (no response timeout), for blocking reads.
    Dedicated(redis::aio::MultiplexedConnection),
    Cluster(Arc<LazyCluster>),
}

/// A cluster connection made on first use, and made again after it failed.
pub struct LazyCluster {
    client: ClusterClient,
    conn: tokio::sync::Mutex<Option<ClusterConnection>>,
}

impl LazyCluster {
    async fn get(&self) -> redis::RedisResult<ClusterConnection> {
        let mut held = self.conn.lock().await;
        if let Some(c) = held.as_ref() {
            return Ok(c.clone());
        }
        let c = self.client.get_async_connection().await?;
        *held = Some(c.clone());
        Ok(c)
    }

    /// Forgets a connection after an I/O failure, so the next call connects again.
    async fn failed(&self, e: &redis::RedisError) {
        if e.is_io_error() || e.is_connection_dropped() || e.is_connection_refusal() {
            *self.conn.lock().await = None;
        }
    }
}

impl redis::aio::ConnectionLike for Conn {
    fn req_packed_command<'a>(
        &'a mut self,
        cmd: &'a redis::Cmd,
    ) -> redis::RedisFuture<'a, redis::Value> {
        match self {
            Conn::One(c) => c.req_packed_command(cmd),
            Conn::Dedicated(c) => c.req_packed_command(cmd),
            Conn::Cluster(l) => Box::pin(async move {
                let mut c = l.get().await?;
                let r = c.req_packed_command(cmd).await;
                if let Err(e) = &r {
                    l.failed(e).await;
                }
                r
            }),
        }
    }

    fn req_packed_commands<'a>(
        &'a mut self,
        pipeline: &'a redis::Pipeline,
        offset: usize,
        count: usize,
    ) -> redis::RedisFuture<'a, Vec<redis::Value>> {
        match self {
            Conn::One(c) => c.req_packed_commands(pipeline, offset, count),
            Conn::Dedicated(c) => c.req_packed_commands(pipeline, offset, count),
            Conn::Cluster(l) => Box::pin(async move {
                let mut c = l.get().await?;
                let r = c.req_packed_commands(pipeline, offset, count).await;
                if let Err(e) = &r {
                    l.failed(e).await;
                }
                r
            }),
        }
    }

    fn get_db(&self) -> i64 {
        match self {
            Conn::One(c) => c.get_db(),
            Conn::Dedicated(c) => c.get_db(),
            Conn::Cluster(_) => 0,
        }
    }
}

/// The CA of `redis.ca_file`, for `rediss://`.
fn tls_certs(settings: &RedisSettings) -> anyhow::Result<Option<redis::TlsCertificates>> {
    if !settings.url.starts_with("rediss://") || settings.ca_file.is_empty() {
        return Ok(None);
    }
    let root = std::fs::read(&settings.ca_file)
        .with_context(|| format!("reading redis.ca_file {}", settings.ca_file))?;
    Ok(Some(redis::TlsCertificates {
        client_tls: None,
        root_cert: Some(root),
    }))
}

/// The cluster client for the nodes listed in `redis.url`.
fn cluster(settings: &RedisSettings, response: Option<Duration>) -> anyhow::Result<ClusterClient> {
    // (response: the longest a command may wait for its answer)
    let nodes: Vec<&str> = settings
        .url
        .split(',')
        .map(str::trim)
        .filter(|n| !n.is_empty())
        .collect();
    let mut b = ClusterClientBuilder::new(nodes).connection_timeout(Duration::from_millis(500));
    if let Some(r) = response {
        b = b.response_timeout(r);
    }
    if let Some(certs) = tls_certs(settings)? {
        b = b.certs(certs);
    }
    b.build()
        .context("redis.url: not a list of valid Redis Cluster node URLs")
}

/// The client for `redis.url`: with `rediss://` and `redis.ca_file`, TLS trusting only
/// that CA (and checking the server's name); with `rediss://` alone, the system's roots.
pub fn client(settings: &RedisSettings) -> anyhow::Result<redis::Client> {
    let tls = settings.url.starts_with("rediss://");
    if !tls || settings.ca_file.is_empty() {
        return redis::Client::open(settings.url.as_str())
            .context("redis.url is not a valid Redis URL");
    }
    let Some(certs) = tls_certs(settings)? else {
        unreachable!("rediss:// with a CA file has certificates")
    };
    redis::Client::build_with_tls(settings.url.as_str(), certs).with_context(|| {
        format!(
            "redis.url with the CA in {}: not a valid Redis TLS setup",
            settings.ca_file
        )
    })
}

/// A connection that connects on first use and reconnects after failures.
pub fn connect(settings: &RedisSettings) -> anyhow::Result<Conn> {
    if settings.cluster {
        return Ok(Conn::Cluster(Arc::new(LazyCluster {
            client: cluster(settings, Some(Duration::from_secs(2)))?,
            conn: tokio::sync::Mutex::new(None),
        })));
    }
    let client = client(settings)?;
    let config = ConnectionManagerConfig::new()
        .set_connection_timeout(Some(Duration::from_millis(500)))
        .set_response_timeout(Some(Duration::from_secs(2)))
        .set_number_of_retries(1)
        .set_max_delay(Duration::from_millis(200));
    ConnectionManager::new_lazy_with_config(client, config)
        .map(Conn::One)
        .context("creating the Redis connection manager")
}

/// A dedicated connection, for blocking reads such as `XREAD BLOCK`.
pub async fn dedicated(settings: &RedisSettings) -> Result<Conn, AppError> {
    if settings.cluster {
        // Blocking reads wait longer than any command should.
        let lazy = LazyCluster {
            client: cluster(settings, Some(Duration::from_secs(3600)))
                .map_err(AppError::internal)?,
            conn: tokio::sync::Mutex::new(None),
        };
        lazy.get().await.map_err(unavailable)?;
        return Ok(Conn::Cluster(Arc::new(lazy)));
    }
    let client = client(settings).map_err(AppError::internal)?;
    let config = redis::AsyncConnectionConfig::new()
        .set_connection_timeout(Some(Duration::from_millis(500)))
        .set_response_timeout(None);
    client
        .get_multiplexed_async_connection_with_config(&config)
        .await
        .map(Conn::Dedicated)
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
