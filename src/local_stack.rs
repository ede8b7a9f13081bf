//! For `pst all` on a developer machine: make sure Postgres and Redis answer at the
//! configured addresses, starting the locally installed servers if they do not, or saying
//! exactly what to install.

use std::net::ToSocketAddrs;
use std::process::Command;
use std::time::Duration;

use pst_kit::Settings;

fn host_port(url: &str, default_port: u16) -> Option<(String, u16)> {
    let rest = url.split_once("://")?.1;
    let rest = rest.rsplit_once('@').map_or(rest, |(_, h)| h);
    let hostport = rest.split(['/', '?']).next()?;
    match hostport.rsplit_once(':') {
        Some((h, p)) => Some((h.trim_matches(['[', ']']).to_owned(), p.parse().ok()?)),
        None => Some((hostport.to_owned(), default_port)),
    }
}

fn reachable(host: &str, port: u16) -> bool {
    (host, port)
        .to_socket_addrs()
        .ok()
        .and_then(|mut a| a.next())
        .is_some_and(|addr| {
            std::net::TcpStream::connect_timeout(&addr, Duration::from_secs(1)).is_ok()
        })
}

fn wait_for(host: &str, port: u16) -> bool {
    (0..30).any(|_| {
        if reachable(host, port) {
            return true;
        }
        std::thread::sleep(Duration::from_millis(500));
        false
    })
}

fn sh(cmd: &str) -> bool {
    Command::new("sh")
        .arg("-c")
        .arg(cmd)
        .status()
        .is_ok_and(|s| s.success())
}

/// Checks Postgres and Redis; starts local ones when they are down and installed.
pub fn ensure(settings: &Settings) -> anyhow::Result<()> {
    let (pg_host, pg_port) = host_port(&settings.database.url, 5432)
        .ok_or_else(|| anyhow::anyhow!("database.url is not a URL"))?;
    if !reachable(&pg_host, pg_port) {
        eprintln!(
            "Postgres tidak menjawab di {pg_host}:{pg_port}; mencoba menyalakan Postgres lokal..."
        );
        let started = which("pg_ctlcluster")
            && sh(
                "pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql | head -n1) main start",
            );
        if !started || !wait_for(&pg_host, pg_port) {
            anyhow::bail!(
                "Postgres tidak tersedia di {pg_host}:{pg_port}. Pasang dan jalankan PostgreSQL 15+ \
                 (Debian/Ubuntu: `apt-get install postgresql`), atau setel PST_DATABASE__URL."
            );
        }
    }
    // A cluster's url lists its nodes: the first one answers for it.
    let first = settings
        .redis
        .url
        .split(',')
        .next()
        .unwrap_or_default()
        .trim();
    let (r_host, r_port) =
        host_port(first, 6379).ok_or_else(|| anyhow::anyhow!("redis.url is not a URL"))?;
    if !reachable(&r_host, r_port) {
        eprintln!("Redis tidak menjawab di {r_host}:{r_port}; mencoba menyalakan Redis lokal...");
        let started = which("redis-server")
            && sh(&format!(
                "redis-server --daemonize yes --bind 127.0.0.1 --port {r_port} --save '' --appendonly no"
            ));
        if !started || !wait_for(&r_host, r_port) {
            anyhow::bail!(
                "Redis tidak tersedia di {r_host}:{r_port}. Pasang dan jalankan Redis 7 \
                 (Debian/Ubuntu: `apt-get install redis-server`), atau setel PST_REDIS__URL."
            );
        }
    }
    Ok(())
}

fn which(bin: &str) -> bool {
    sh(&format!("command -v {bin} >/dev/null 2>&1"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn host_and_port_come_out_of_service_urls() {
        assert_eq!(
            host_port("postgres://postgres@127.0.0.1:5432", 5432),
            Some(("127.0.0.1".into(), 5432))
        );
        assert_eq!(
            host_port("postgres://u:p@db.internal/pst", 5432),
            Some(("db.internal".into(), 5432))
        );
        assert_eq!(
            host_port("redis://127.0.0.1:6380/0", 6379),
            Some(("127.0.0.1".into(), 6380))
        );
    }
}
