use std::net::SocketAddr;
use std::path::PathBuf;

use base64::Engine as _;
use pst_kit::Settings;
use pst_kit::shutdown::CancellationToken;
use pst_proto::identity as pb;
use pst_proto::identity::identity_service_client::IdentityServiceClient;
use tonic::transport::Channel;
use uuid::Uuid;

pub use pst_testkit::{code_of, fields_of, mailed_token};

pub const DEMO_PASSWORD: &str = "Demo-Pustaka-1674";
pub const NIK: &str = "1674010101900001";

pub struct TestApp {
    pub addr: SocketAddr,
    pub client: IdentityServiceClient<Channel>,
    pub outbox: PathBuf,
    pub pool: sqlx::PgPool,
    shutdown: CancellationToken,
}

impl Drop for TestApp {
    fn drop(&mut self) {
        self.shutdown.cancel();
    }
}

fn init_logs() {
    if std::env::var_os("TEST_LOG").is_some() {
        let _ = tracing_subscriber_init();
    }
}

fn tracing_subscriber_init() -> Option<()> {
    let settings = Settings::with_overrides::<&str, &str>(&[]).ok()?;
    std::mem::forget(pst_kit::telemetry::init(&settings.telemetry, false).ok()?);
    Some(())
}

pub async fn spawn_app() -> TestApp {
    spawn_app_with(&[]).await
}

/// Starts identity on a free port with its own database, outbox and keys.
pub async fn spawn_app_with(extra: &[(&str, &str)]) -> TestApp {
    init_logs();
    let id = Uuid::new_v4().simple().to_string()[..12].to_owned();
    let outbox = std::env::temp_dir().join(format!("pst-test-outbox-{id}"));
    let b64 = |k: [u8; 32]| base64::engine::general_purpose::STANDARD.encode(k);
    let seed = pst_kit::secrets::random_key32();
    let db_url = std::env::var("PST_TEST_DATABASE_URL")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432".into());
    let mut vars: Vec<(String, String)> = vec![
        ("PST_DATABASE__URL".into(), db_url),
        ("PST_DATABASE__PREFIX".into(), format!("pst_t_{id}_")),
        ("PST_DATABASE__MAX_CONNECTIONS".into(), "4".into()),
        ("PST_SERVICES__IDENTITY_ADDR".into(), "127.0.0.1:0".into()),
        ("PST_MAIL__OUTBOX_DIR".into(), outbox.display().to_string()),
        ("PST_DEMO".into(), "true".into()),
        ("PST_AUTH__SIGNING_KEY".into(), b64(seed)),
        (
            "PST_AUTH__PUBLIC_KEY".into(),
            b64(pst_kit::auth::public_key_of(&seed)),
        ),
        (
            "PST_IDENTITY__DATA_KEY".into(),
            b64(pst_kit::secrets::random_key32()),
        ),
    ];
    for (k, v) in extra {
        vars.push(((*k).to_owned(), (*v).to_owned()));
    }
    let settings = Settings::with_overrides(&vars).expect("test settings");
    let app = pst_identity::Application::build(&settings)
        .await
        .expect("identity builds");
    let addr = app.local_addr();
    let pool = app.identity().pool().clone();
    let shutdown = CancellationToken::new();
    tokio::spawn(app.run_until_stopped(shutdown.clone()));
    let channel = tonic::transport::Endpoint::from_shared(format!("http://{addr}"))
        .expect("url")
        .connect()
        .await
        .expect("connects");
    TestApp {
        addr,
        client: IdentityServiceClient::new(channel),
        outbox,
        pool,
        shutdown,
    }
}

pub fn bearer<T>(msg: T, token: &str) -> tonic::Request<T> {
    let mut req = tonic::Request::new(msg);
    req.metadata_mut().insert(
        "authorization",
        format!("Bearer {token}").parse().expect("ascii"),
    );
    req
}

pub fn registration(email: &str) -> pb::RegisterRequest {
    pb::RegisterRequest {
        full_name: "Siti Aminah".into(),
        email: email.into(),
        password: "Buku-Statistik-2024".into(),
        phone: "0812-3456-7890".into(),
        institution: "Universitas Musi Rawas".into(),
        occupation: "Mahasiswa".into(),
        id_type: pb::IdDocumentType::Ktp as i32,
        id_number: NIK.into(),
    }
}

impl TestApp {
    /// Registers, verifies by the mailed token and logs in; returns the token pair.
    pub async fn verified_visitor(&self, email: &str) -> pb::TokenPair {
        let mut c = self.client.clone();
        c.register(registration(email)).await.expect("register");
        let token =
            mailed_token(&self.outbox, email, "verifikasi-email").expect("verification mail");
        c.verify_email(pb::VerifyEmailRequest { token })
            .await
            .expect("verify");
        self.login(email, "Buku-Statistik-2024")
            .await
            .expect("login")
    }

    pub async fn login(&self, email: &str, password: &str) -> Result<pb::TokenPair, tonic::Status> {
        let mut c = self.client.clone();
        c.login(pb::LoginRequest {
            email: email.into(),
            password: password.into(),
        })
        .await
        .map(tonic::Response::into_inner)
    }

    pub async fn staff_token(&self, email: &str) -> String {
        self.login(email, DEMO_PASSWORD)
            .await
            .expect("demo staff login")
            .access_token
    }
}
