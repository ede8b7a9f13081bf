use std::sync::LazyLock;

use base64::Engine as _;
use pst_kit::Settings;
use pst_kit::auth::{Role, TokenSigner};
use pst_kit::shutdown::CancellationToken;
use pst_proto::visit as pb;
use pst_proto::visit::visit_service_client::VisitServiceClient;
use tonic::transport::Channel;
use uuid::Uuid;

pub use pst_testkit::{code_of, fields_of, with_token};

/// Tests that flush Redis take this exclusively; every other test holds it shared.
pub static REDIS: LazyLock<tokio::sync::RwLock<()>> =
    LazyLock::new(|| tokio::sync::RwLock::new(()));

pub struct TestApp {
    pub client: VisitServiceClient<Channel>,
    pub pool: sqlx::PgPool,
    pub settings: Settings,
    signer: TokenSigner,
    shutdown: CancellationToken,
    _redis: Option<tokio::sync::RwLockReadGuard<'static, ()>>,
}

impl Drop for TestApp {
    fn drop(&mut self) {
        self.shutdown.cancel();
    }
}

/// Settings for one test: its own databases and Redis prefix, fresh keys.
pub fn test_settings(extra: &[(&str, &str)]) -> Settings {
    let id = Uuid::new_v4().simple().to_string()[..12].to_owned();
    let b64 = |k: [u8; 32]| base64::engine::general_purpose::STANDARD.encode(k);
    let seed = pst_kit::secrets::random_key32();
    let mut vars: Vec<(String, String)> = vec![
        ("PST_DATABASE__PREFIX".into(), format!("pst_t_{id}_")),
        ("PST_DATABASE__MAX_CONNECTIONS".into(), "10".into()),
        ("PST_REDIS__PREFIX".into(), format!("t{id}:")),
        ("PST_SERVICES__VISIT_ADDR".into(), "127.0.0.1:0".into()),
        (
            "PST_SERVICES__IDENTITY_URL".into(),
            "http://127.0.0.1:1".into(),
        ),
        ("PST_DEMO".into(), "true".into()),
        ("PST_AUTH__SIGNING_KEY".into(), b64(seed)),
        (
            "PST_AUTH__PUBLIC_KEY".into(),
            b64(pst_kit::auth::public_key_of(&seed)),
        ),
        (
            "PST_VISIT__DATA_KEY".into(),
            b64(pst_kit::secrets::random_key32()),
        ),
    ];
    if let Ok(url) = std::env::var("PST_TEST_DATABASE_URL") {
        vars.push(("PST_DATABASE__URL".into(), url));
    }
    vars.extend(
        extra
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned())),
    );
    Settings::with_overrides(&vars).expect("test settings")
}

pub async fn spawn_app() -> TestApp {
    let guard = REDIS.read().await;
    start(test_settings(&[]), Some(guard)).await
}

/// Starts the visit service with `settings` (for a second instance on the same database,
/// or one whose Redis is down).
pub async fn start(
    settings: Settings,
    guard: Option<tokio::sync::RwLockReadGuard<'static, ()>>,
) -> TestApp {
    let app = pst_visit::Application::build(&settings)
        .await
        .expect("visit builds");
    let addr = app.local_addr();
    let pool = app.visits().pool().clone();
    let shutdown = CancellationToken::new();
    tokio::spawn(app.run_until_stopped(shutdown.clone()));
    let channel = tonic::transport::Endpoint::from_shared(format!("http://{addr}"))
        .expect("url")
        .connect()
        .await
        .expect("connect");
    let seed = pst_kit::secrets::decode_key32(secrecy::ExposeSecret::expose_secret(
        &settings.auth.signing_key,
    ))
    .expect("seed");
    TestApp {
        client: VisitServiceClient::new(channel),
        pool,
        signer: TokenSigner::from_seed(&seed, "pst-identity", 900),
        settings,
        shutdown,
        _redis: guard,
    }
}

impl TestApp {
    pub fn token(&self, role: Role, office: Option<&str>) -> String {
        self.signer
            .sign(Uuid::new_v4(), role, office.map(str::to_owned))
            .expect("sign")
    }

    pub fn token_for(&self, user: Uuid, role: Role) -> String {
        self.signer.sign(user, role, None).expect("sign")
    }

    pub fn fo(&self) -> String {
        self.token(Role::FrontOffice, Some("1674"))
    }

    pub async fn take(&self, service_type: &str) -> pb::Ticket {
        self.client
            .clone()
            .take_ticket(pb::TakeTicketRequest {
                office_code: "1674".into(),
                service_type: service_type.into(),
                device_id: String::new(),
            })
            .await
            .expect("take ticket")
            .into_inner()
    }

    pub async fn call(&self, counter: &str) -> Option<pb::Ticket> {
        self.client
            .clone()
            .call_next(with_token(
                pb::CallNextRequest {
                    office_code: "1674".into(),
                    counter: counter.into(),
                },
                &self.fo(),
            ))
            .await
            .expect("call next")
            .into_inner()
            .ticket
    }

    pub async fn act(&self, action: &str, ticket: &str) -> Result<pb::Ticket, tonic::Status> {
        let mut c = self.client.clone();
        let req = || {
            with_token(
                pb::TicketActionRequest {
                    ticket_id: ticket.into(),
                    counter: String::new(),
                },
                &self.fo(),
            )
        };
        match action {
            "recall" => c.recall(req()).await,
            "skip" => c.skip(req()).await,
            "start" => c.start_service(req()).await,
            "finish" => c.finish_service(req()).await,
            other => panic!("unknown action {other}"),
        }
        .map(tonic::Response::into_inner)
    }

    pub async fn visit(&self, ticket: &str) -> pb::Visit {
        self.client
            .clone()
            .create_visit(pb::CreateVisitRequest {
                visit_card: String::new(),
                ticket_id: ticket.into(),
                guest_book: Some(guest_book()),
            })
            .await
            .expect("guest book")
            .into_inner()
    }

    /// Replaces the office setup (e.g. more counters, other hours).
    pub async fn set_office(&self, f: impl FnOnce(&mut pst_visit::store::setup::Setup)) {
        let mut s = pst_visit::demo::office("1674", "BPS Kota Lubuklinggau");
        f(&mut s);
        pst_visit::store::setup::save(&self.pool, &s)
            .await
            .expect("save setup");
        // The service caches setups briefly; a fresh instance sees the change at once.
    }
}

pub fn guest_book() -> pb::GuestBook {
    pb::GuestBook {
        name: "Rina Marlina".into(),
        email: "rina@example.id".into(),
        phone: "081377788899".into(),
        sex: "P".into(),
        age_group: "20-29".into(),
        education: "D4/S1".into(),
        occupation: "Mahasiswa".into(),
        institution_type: "pendidikan".into(),
        institution_name: "STKIP PGRI Lubuklinggau".into(),
        purpose: "Mencari publikasi Kota Lubuklinggau Dalam Angka".into(),
        data_needed: "Jumlah penduduk per kecamatan".into(),
    }
}
