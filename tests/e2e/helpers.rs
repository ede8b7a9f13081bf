use std::collections::HashMap;
use std::io::{BufRead as _, BufReader};
use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::{Value, json};

pub use pst_testkit::mailed_token;

pub const DEMO_PASSWORD: &str = "Demo-Pustaka-1674";

/// A running `pst` process, killed when dropped, with the addresses it reported.
pub struct Proc {
    pub child: Child,
    lines: std::sync::mpsc::Receiver<String>,
}

impl Drop for Proc {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Proc {
    /// Waits for `pst`'s `siap <component> <addr>` line of each of `components`.
    pub fn wait_ready(&self, components: &[&str]) -> HashMap<String, SocketAddr> {
        let mut seen = HashMap::new();
        let deadline = Instant::now() + Duration::from_secs(90);
        while !components.iter().all(|c| seen.contains_key(*c)) {
            let left = deadline.saturating_duration_since(Instant::now());
            let line = self.lines.recv_timeout(left).unwrap_or_else(|_| {
                panic!("pst did not report {components:?} ready; saw {seen:?}")
            });
            if let Some(rest) = line.strip_prefix("siap ") {
                let (name, addr) = rest.split_once(' ').expect("siap <name> <addr>");
                seen.insert(name.to_owned(), addr.parse().expect("socket address"));
            }
        }
        seen
    }
}

/// Settings for components that bind port 0 and report what they got.
pub fn port_zero_env() -> Vec<(String, String)> {
    let mut v = vec![("PST_GATEWAY__ADDR".to_owned(), "127.0.0.1:0".to_owned())];
    for name in SERVICES {
        v.push((
            format!("PST_SERVICES__{}_ADDR", name.to_ascii_uppercase()),
            "127.0.0.1:0".to_owned(),
        ));
    }
    v
}

pub const SERVICES: [&str; 5] = ["identity", "visit", "catalogue", "watermark", "feedback"];

/// Environment for one isolated stack: its own databases, outbox and dev secrets.
pub fn isolated_env() -> (Vec<(String, String)>, PathBuf) {
    let id = uuid::Uuid::new_v4().simple().to_string()[..12].to_owned();
    let dir = std::env::temp_dir().join(format!("pst-e2e-{id}"));
    let mut env = port_zero_env();
    env.extend([
        ("PST_DATABASE__PREFIX".to_owned(), format!("pst_t_{id}_")),
        ("PST_REDIS__PREFIX".to_owned(), format!("t{id}:")),
        ("PST_DATABASE__MAX_CONNECTIONS".to_owned(), "4".to_owned()),
        (
            "PST_MAIL__OUTBOX_DIR".to_owned(),
            dir.join("outbox").display().to_string(),
        ),
        (
            "PST_AUTH__DEV_SECRETS_DIR".to_owned(),
            dir.join("secrets").display().to_string(),
        ),
        (
            "PST_WATERMARK__STORAGE_DIR".to_owned(),
            dir.join("documents").display().to_string(),
        ),
    ]);
    if let Ok(url) = std::env::var("PST_TEST_DATABASE_URL") {
        env.push(("PST_DATABASE__URL".to_owned(), url));
    }
    (env, dir)
}

pub fn spawn_pst(args: &[&str], env: &[(String, String)]) -> Proc {
    let log = std::env::var_os("TEST_LOG").is_some();
    let stderr = if log { Stdio::inherit() } else { Stdio::null() };
    spawn_pst_with_stderr(args, env, if log { "info" } else { "warn" }, stderr)
}

/// Like [`spawn_pst`], with the log level and where its logs go chosen by the test.
pub fn spawn_pst_with_stderr(
    args: &[&str],
    env: &[(String, String)],
    level: &str,
    stderr: Stdio,
) -> Proc {
    let mut child = Command::new(env!("CARGO_BIN_EXE_pst"))
        .args(args)
        .envs(env.iter().map(|(k, v)| (k.as_str(), v.as_str())))
        .env("RUST_LOG", level)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(stderr)
        .spawn()
        .expect("pst binary starts");
    let stdout = child.stdout.take().expect("piped stdout");
    let (tx, lines) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines().map_while(Result::ok) {
            if tx.send(line).is_err() {
                break;
            }
        }
    });
    Proc { child, lines }
}

pub struct Stack {
    pub proc: Proc,
    pub base: String,
    pub addrs: HashMap<String, SocketAddr>,
    pub outbox: PathBuf,
    pub http: reqwest::Client,
    /// The environment the stack was started with.
    pub env: Vec<(String, String)>,
}

pub async fn spawn_stack() -> Stack {
    spawn_stack_with(&[]).await
}

/// `pst all --demo` with `extra` settings; waits until `/readyz` says ready.
pub async fn spawn_stack_with(extra: &[(&str, &str)]) -> Stack {
    let (mut env, _dir) = isolated_env();
    env.extend(
        extra
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned())),
    );
    start_stack(&["all", "--demo"], env).await
}

/// `pst <args>` (every component) with exactly `env` (an [`isolated_env`], changed as a
/// test needs); waits until `/readyz` says ready.
pub async fn start_stack(args: &[&str], env: Vec<(String, String)>) -> Stack {
    let outbox = env
        .iter()
        .find(|(k, _)| k == "PST_MAIL__OUTBOX_DIR")
        .map(|(_, v)| PathBuf::from(v))
        .expect("an isolated environment names its outbox");
    let proc = spawn_pst(args, &env);
    let addrs = tokio::task::block_in_place(|| {
        proc.wait_ready(&[
            "gateway",
            "identity",
            "visit",
            "catalogue",
            "watermark",
            "feedback",
        ])
    });
    let base = format!("http://{}", addrs["gateway"]);
    let http = reqwest::Client::builder()
        .timeout(Duration::from_secs(20))
        .build()
        .expect("client");
    wait_until(&http, &format!("{base}/readyz"), 200).await;
    Stack {
        proc,
        base,
        addrs,
        outbox,
        http,
        env,
    }
}

/// A TCP port free on 127.0.0.1 now (for servers a test starts itself).
pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .expect("bind")
        .local_addr()
        .expect("addr")
        .port()
}

/// Polls `url` until it answers `status` (60 s at most: a cold Postgres may be slow).
pub async fn wait_until(http: &reqwest::Client, url: &str, status: u16) {
    let start = Instant::now();
    loop {
        if let Ok(r) = http.get(url).send().await
            && r.status().as_u16() == status
        {
            return;
        }
        assert!(
            start.elapsed() < Duration::from_secs(60),
            "{url} never answered {status}"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

impl Stack {
    /// Another gateway process in front of this stack's services, with `extra` settings;
    /// returns it and its base URL once it is ready.
    pub async fn extra_gateway(&self, extra: &[(&str, &str)]) -> (Proc, String) {
        let mut env = self.env.clone();
        for name in SERVICES {
            env.push((
                format!("PST_SERVICES__{}_URL", name.to_ascii_uppercase()),
                format!("http://{}", self.addrs[name]),
            ));
        }
        env.extend(
            extra
                .iter()
                .map(|(k, v)| ((*k).to_owned(), (*v).to_owned())),
        );
        let proc = spawn_pst(&["gateway"], &env);
        let addrs = tokio::task::block_in_place(|| proc.wait_ready(&["gateway"]));
        let base = format!("http://{}", addrs["gateway"]);
        wait_until(&self.http, &format!("{base}/readyz"), 200).await;
        (proc, base)
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    /// A connection to one component's database of this stack (`pst_t_<id>_<component>`).
    pub async fn db(&self, component: &str) -> sqlx::PgPool {
        let prefix = self
            .env
            .iter()
            .find(|(k, _)| k == "PST_DATABASE__PREFIX")
            .map(|(_, v)| v.clone())
            .expect("an isolated stack has its database prefix");
        let server = std::env::var("PST_TEST_DATABASE_URL")
            .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432".into());
        sqlx::PgPool::connect(&format!("{server}/{prefix}{component}"))
            .await
            .expect("the component's database")
    }

    pub async fn post(&self, path: &str, body: &Value, token: Option<&str>) -> reqwest::Response {
        let mut req = self.http.post(self.url(path)).json(body);
        if let Some(t) = token {
            req = req.bearer_auth(t);
        }
        req.send().await.expect("request")
    }

    pub async fn get(&self, path: &str, token: Option<&str>) -> reqwest::Response {
        let mut req = self.http.get(self.url(path));
        if let Some(t) = token {
            req = req.bearer_auth(t);
        }
        req.send().await.expect("request")
    }

    pub async fn login(&self, email: &str, password: &str) -> reqwest::Response {
        self.post(
            "/api/v1/auth/login",
            &json!({ "email": email, "password": password }),
            None,
        )
        .await
    }

    pub async fn token(&self, email: &str, password: &str) -> String {
        let r = self.login(email, password).await;
        assert_eq!(r.status(), 200, "login {email}");
        r.json::<Value>().await.expect("json")["access_token"]
            .as_str()
            .expect("token")
            .to_owned()
    }

    pub fn mailed_token(&self, to: &str, path: &str) -> Option<String> {
        mailed_token(&self.outbox, to, path)
    }

    /// A visitor registered (`registration(email)`) and verified from the mailed link;
    /// returns their sign-in answer (access and refresh tokens).
    pub async fn verified_visitor(&self, email: &str) -> Value {
        let r = self
            .post("/api/v1/auth/register", &registration(email), None)
            .await;
        assert_eq!(r.status(), 201, "{}", r.text().await.unwrap_or_default());
        let t = self
            .mailed_token(email, "verifikasi-email")
            .expect("verification mail");
        let r = self
            .post("/api/v1/auth/verify-email", &json!({ "token": t }), None)
            .await;
        assert_eq!(r.status(), 200);
        self.login(email, "Baca-Publikasi-2024")
            .await
            .json()
            .await
            .expect("tokens")
    }

    /// POST a CSV body (the catalogue import).
    pub async fn post_csv(
        &self,
        path: &str,
        csv: impl Into<reqwest::Body>,
        token: &str,
    ) -> reqwest::Response {
        self.http
            .post(self.url(path))
            .bearer_auth(token)
            .header("content-type", "text/csv")
            .body(csv)
            .send()
            .await
            .expect("post csv")
    }
}

pub fn registration(email: &str) -> Value {
    json!({
        "full_name": "Budi Santoso",
        "email": email,
        "password": "Baca-Publikasi-2024",
        "phone": "081234567890",
        "institution": "Dinas Pendidikan Kota Lubuklinggau",
        "occupation": "Guru",
        "id_type": "ktp",
        "id_number": "1674021203850002"
    })
}

/// Asserts a problem document and returns it.
pub async fn problem(r: reqwest::Response, status: u16, code: &str) -> Value {
    assert_eq!(r.status().as_u16(), status);
    let ct = r
        .headers()
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    assert_eq!(ct, "application/problem+json");
    let body: Value = r.json().await.expect("json problem");
    assert_eq!(body["code"], code, "{body}");
    assert_eq!(body["status"], status);
    assert!(!body["detail"].as_str().unwrap_or_default().is_empty());
    body
}

pub fn fields(problem: &Value) -> Vec<String> {
    problem["errors"]
        .as_array()
        .map(|a| {
            a.iter()
                .map(|e| e["field"].as_str().unwrap_or_default().to_owned())
                .collect()
        })
        .unwrap_or_default()
}
