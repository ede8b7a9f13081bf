//! `pst health <component>`: whether the component in this container answers, for
//! container healthchecks (docker compose) where no HTTP or gRPC client is installed.
//! A service is asked over `grpc.health.v1`; the gateway's `/readyz` must say 200.

use std::time::Duration;

use anyhow::Context as _;
use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};

/// How long one probe may take.
const WAIT: Duration = Duration::from_secs(3);

/// The loopback address to reach a component bound to `bind` (`0.0.0.0:50051` is asked at
/// `127.0.0.1:50051`).
pub fn local(bind: &str) -> anyhow::Result<String> {
    let port = bind
        .rsplit_once(':')
        .and_then(|(_, p)| p.parse::<u16>().ok())
        .with_context(|| format!("{bind:?} is not host:port"))?;
    Ok(format!("127.0.0.1:{port}"))
}

/// Asks the gRPC health service at `addr` for the overall status; Ok when SERVING.
pub async fn grpc(addr: &str) -> anyhow::Result<()> {
    use tonic_health::pb::HealthCheckRequest;
    use tonic_health::pb::health_check_response::ServingStatus;
    use tonic_health::pb::health_client::HealthClient;
    let channel = tonic::transport::Endpoint::from_shared(format!("http://{addr}"))?
        .connect_timeout(WAIT)
        .timeout(WAIT)
        .connect()
        .await
        .with_context(|| format!("no gRPC server at {addr}"))?;
    let status = HealthClient::new(channel)
        .check(HealthCheckRequest {
            service: String::new(),
        })
        .await
        .with_context(|| format!("health check at {addr}"))?
        .into_inner()
        .status();
    anyhow::ensure!(
        status == ServingStatus::Serving,
        "{addr} answers {status:?}, not SERVING"
    );
    Ok(())
}

/// `GET /readyz` at `addr` over plain HTTP/1.0; Ok on status 200.
pub async fn http_ready(addr: &str) -> anyhow::Result<()> {
    let exchange = async {
        let mut s = tokio::net::TcpStream::connect(addr)
            .await
            .with_context(|| format!("no HTTP server at {addr}"))?;
        s.write_all(b"GET /readyz HTTP/1.0\r\nHost: localhost\r\n\r\n")
            .await?;
        let mut head = vec![0u8; 64];
        let n = s.read(&mut head).await?;
        Ok::<_, anyhow::Error>(String::from_utf8_lossy(&head[..n]).into_owned())
    };
    let head = tokio::time::timeout(WAIT, exchange)
        .await
        .with_context(|| format!("{addr} did not answer within {WAIT:?}"))??;
    let status = head.split_whitespace().nth(1).unwrap_or_default();
    anyhow::ensure!(status == "200", "{addr}/readyz answers {status:?}, not 200");
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_bind_address_is_asked_on_loopback() {
        assert_eq!(local("0.0.0.0:50051").unwrap(), "127.0.0.1:50051");
        assert_eq!(local("[::]:8080").unwrap(), "127.0.0.1:8080");
        assert!(local("nonsense").is_err());
    }

    #[tokio::test]
    async fn a_closed_port_is_unhealthy() {
        let free = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let addr = free.local_addr().unwrap().to_string();
        drop(free);
        assert!(grpc(&addr).await.is_err());
        assert!(http_ready(&addr).await.is_err());
    }
}
