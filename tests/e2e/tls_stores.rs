//! TLS to the stores: the components reach a Postgres that accepts only TLS
//! (`hostssl`, `sslmode=verify-full` with the CA file) and a Redis that listens only on its
//! TLS port (`rediss://` with `redis.ca_file`), both started here with a CA made by the
//! test; a certificate signed by another CA is refused.

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};

use crate::helpers::*;

fn sh(cmd: &str, args: &[&str], dir: &Path) {
    let out = Command::new(cmd)
        .args(args)
        .current_dir(dir)
        .output()
        .unwrap_or_else(|e| panic!("{cmd}: {e}"));
    assert!(
        out.status.success(),
        "{cmd} {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// A CA (`<name>.crt`) and, when `server`, a certificate for localhost/127.0.0.1 it signed.
fn make_ca(dir: &Path, name: &str, server: bool) {
    let key = format!("{name}.key");
    let crt = format!("{name}.crt");
    sh(
        "openssl",
        &[
            "req",
            "-x509",
            "-newkey",
            "ec",
            "-pkeyopt",
            "ec_paramgen_curve:P-256",
            "-nodes",
            "-keyout",
            &key,
            "-out",
            &crt,
            "-days",
            "2",
            "-subj",
            &format!("/CN=PST uji {name}"),
        ],
        dir,
    );
    if server {
        std::fs::write(
            dir.join("ext.cnf"),
            "subjectAltName=DNS:localhost,IP:127.0.0.1\n",
        )
        .expect("write");
        sh(
            "openssl",
            &[
                "req",
                "-newkey",
                "ec",
                "-pkeyopt",
                "ec_paramgen_curve:P-256",
                "-nodes",
                "-keyout",
                "server.key",
                "-out",
                "server.csr",
                "-subj",
                "/CN=localhost",
            ],
            dir,
        );
        sh(
            "openssl",
            &[
                "x509",
                "-req",
                "-in",
                "server.csr",
                "-CA",
                &crt,
                "-CAkey",
                &key,
                "-CAcreateserial",
                "-out",
                "server.crt",
                "-days",
                "2",
                "-extfile",
                "ext.cnf",
            ],
            dir,
        );
    }
}

/// Runs `args` as the postgres user when we are root (initdb refuses root).
fn as_postgres(args: &[&str]) -> Command {
    let root = Command::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|o| o.stdout.starts_with(b"0"));
    if root {
        let mut c = Command::new("runuser");
        c.args(["-u", "postgres", "--"]).args(args);
        c
    } else {
        let mut c = Command::new(args[0]);
        c.args(&args[1..]);
        c
    }
}

/// A Postgres cluster of its own that accepts only TLS connections; stopped when dropped.
struct TlsPostgres {
    data: PathBuf,
    pg_ctl: String,
    port: u16,
}

impl Drop for TlsPostgres {
    fn drop(&mut self) {
        let _ = as_postgres(&[
            &self.pg_ctl,
            "-D",
            &self.data.display().to_string(),
            "-m",
            "immediate",
            "stop",
        ])
        .output();
    }
}

fn pg_bin() -> String {
    let out = Command::new("pg_config").arg("--bindir").output();
    match out {
        Ok(o) if o.status.success() => String::from_utf8_lossy(&o.stdout).trim().to_owned(),
        _ => "/usr/lib/postgresql/15/bin".to_owned(),
    }
}

fn tls_postgres(dir: &Path) -> TlsPostgres {
    let bin = pg_bin();
    let root = dir.join("pg");
    std::fs::create_dir_all(&root).expect("dir");
    for f in ["server.crt", "server.key"] {
        std::fs::copy(dir.join(f), root.join(f)).expect("copy");
    }
    let _ = Command::new("chown")
        .args(["-R", "postgres", &root.display().to_string()])
        .output();
    let _ = Command::new("chmod")
        .args(["600", &root.join("server.key").display().to_string()])
        .output();
    let data = root.join("data");
    let out = as_postgres(&[
        &format!("{bin}/initdb"),
        "-D",
        &data.display().to_string(),
        "-A",
        "trust",
        "-U",
        "postgres",
    ])
    .output()
    .expect("initdb");
    assert!(
        out.status.success(),
        "initdb: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    // Only TLS: no plain `host` line at all.
    let hba = "local all all trust\nhostssl all all 127.0.0.1/32 trust\n";
    let _ = as_postgres(&[
        "sh",
        "-c",
        &format!(
            "printf '{}' > {}/pg_hba.conf",
            hba.replace('\n', "\\n"),
            data.display()
        ),
    ])
    .output();
    let port = free_port();
    let opts = format!(
        "-p {port} -k {root} -c listen_addresses=127.0.0.1 -c ssl=on -c ssl_cert_file={root}/server.crt -c ssl_key_file={root}/server.key -c fsync=off",
        root = root.display()
    );
    let pg_ctl = format!("{bin}/pg_ctl");
    let out = as_postgres(&[
        &pg_ctl,
        "-D",
        &data.display().to_string(),
        "-l",
        &root.join("log").display().to_string(),
        "-o",
        &opts,
        "-w",
        "start",
    ])
    .output()
    .expect("pg_ctl");
    assert!(
        out.status.success(),
        "pg_ctl: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    TlsPostgres { data, pg_ctl, port }
}

/// A Redis that listens only on a TLS port; killed when dropped.
struct TlsRedis(Child, u16);

impl Drop for TlsRedis {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn tls_redis(dir: &Path) -> TlsRedis {
    let port = free_port();
    let child = Command::new("redis-server")
        .args([
            "--port",
            "0",
            "--tls-port",
            &port.to_string(),
            "--tls-cert-file",
            "server.crt",
            "--tls-key-file",
            "server.key",
            "--tls-ca-cert-file",
            "ca.crt",
            "--tls-auth-clients",
            "no",
            "--save",
            "",
            "--appendonly",
            "no",
        ])
        .current_dir(dir)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("redis-server");
    for _ in 0..100 {
        if std::net::TcpStream::connect(("127.0.0.1", port)).is_ok() {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    TlsRedis(child, port)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn components_reach_postgres_and_redis_over_verified_tls_only() {
    let dir = std::env::temp_dir().join(format!("pst-tls-{}", uuid::Uuid::new_v4().simple()));
    std::fs::create_dir_all(&dir).expect("dir");
    let _ = Command::new("chmod")
        .args(["755", &dir.display().to_string()])
        .output();
    make_ca(&dir, "ca", true);
    make_ca(&dir, "other", false);
    let pg = tokio::task::block_in_place(|| tls_postgres(&dir));
    let redis = tokio::task::block_in_place(|| tls_redis(&dir));
    let ca = dir.join("ca.crt").display().to_string();
    let other = dir.join("other.crt").display().to_string();
    let pg_url = |ca: &str| {
        format!(
            "postgres://postgres@localhost:{}?sslmode=verify-full&sslrootcert={ca}",
            pg.port
        )
    };
    let redis_url = format!("rediss://localhost:{}", redis.1);

    // A plain connection is refused by this Postgres: only TLS gets in.
    let plain = sqlx::PgPool::connect(&format!(
        "postgres://postgres@127.0.0.1:{}/postgres?sslmode=disable",
        pg.port
    ))
    .await;
    assert!(plain.is_err(), "plain connection accepted");

    let (mut env, _d) = isolated_env();
    env.retain(|(k, _)| k != "PST_DATABASE__URL");
    env.push(("PST_DATABASE__URL".into(), pg_url(&ca)));
    env.push(("PST_REDIS__URL".into(), redis_url.clone()));
    env.push(("PST_REDIS__CA_FILE".into(), ca.clone()));
    let stack = start_stack(&["all", "--demo"], env.clone()).await;
    let (base, http) = (stack.base.clone(), stack.http.clone());
    // Postgres and Redis both answer: the live queue (Redis) and the catalogue (Postgres).
    let r = http
        .get(format!("{base}/api/v1/offices/1674/queue"))
        .send()
        .await
        .expect("queue");
    assert_eq!(r.status(), 200);
    let r = http
        .get(format!("{base}/api/v1/publications?office=1674"))
        .send()
        .await
        .expect("search");
    assert_eq!(r.status(), 200);
    // Every connection of the stack to that Postgres is TLS.
    let admin = sqlx::PgPool::connect(&format!(
        "postgres://postgres@localhost:{}/postgres?sslmode=verify-full&sslrootcert={ca}",
        pg.port
    ))
    .await
    .expect("admin over TLS");
    let (tls, all): (i64, i64) = sqlx::query_as(
        "SELECT count(*) FILTER (WHERE s.ssl), count(*) FROM pg_stat_activity a JOIN pg_stat_ssl s USING (pid) WHERE a.datname LIKE 'pst_t_%'",
    )
    .fetch_one(&admin)
    .await
    .expect("stats");
    assert!(all > 0 && tls == all, "{tls} of {all} connections use TLS");
    drop(stack);

    // Another CA: Postgres refuses to be trusted; the component does not start.
    let mut wrong = env.clone();
    wrong.retain(|(k, _)| k != "PST_DATABASE__URL");
    wrong.push(("PST_DATABASE__URL".into(), pg_url(&other)));
    let out = tokio::task::block_in_place(|| {
        Command::new(env!("CARGO_BIN_EXE_pst"))
            .arg("identity")
            .envs(wrong.iter().map(|(k, v)| (k.as_str(), v.as_str())))
            .env("RUST_LOG", "warn")
            .output()
            .expect("pst")
    });
    let text = String::from_utf8_lossy(&out.stderr).to_lowercase();
    assert!(
        !out.status.success(),
        "started with a certificate of another CA"
    );
    assert!(
        text.contains("certificate") || text.contains("tls"),
        "{text}"
    );

    // Another CA for Redis: the queue is unavailable (503), nothing else breaks.
    let mut wrong = env.clone();
    wrong.retain(|(k, _)| k != "PST_REDIS__CA_FILE");
    wrong.push(("PST_REDIS__CA_FILE".into(), other.clone()));
    let proc = spawn_pst(&["all"], &wrong);
    let addrs = tokio::task::block_in_place(|| proc.wait_ready(&["gateway", "visit"]));
    let base = format!("http://{}", addrs["gateway"]);
    let r = http
        .get(format!("{base}/api/v1/offices/1674/queue"))
        .send()
        .await
        .expect("queue");
    let status = r.status().as_u16();
    let body = r.text().await.unwrap_or_default();
    assert_eq!(status, 503, "{body}");
    assert!(body.contains("QUEUE_UNAVAILABLE"), "{body}");
    drop(proc);
    drop(redis);
    drop(pg);
    let _ = std::fs::remove_dir_all(&dir);
}
