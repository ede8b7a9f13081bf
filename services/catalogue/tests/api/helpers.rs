use pst_kit::auth::{Role, TokenSigner};
use pst_kit::shutdown::CancellationToken;
use pst_proto::catalogue as pb;
use pst_proto::catalogue::catalogue_service_client::CatalogueServiceClient;
use tonic::transport::Channel;
use uuid::Uuid;

pub use pst_testkit::{code_of, fields_of, with_token};

pub struct TestApp {
    pub client: CatalogueServiceClient<Channel>,
    pub pool: sqlx::PgPool,
    signer: TokenSigner,
    shutdown: CancellationToken,
    settings: pst_kit::Settings,
}

impl Drop for TestApp {
    fn drop(&mut self) {
        self.shutdown.cancel();
    }
}

/// The catalogue on a free port with its own database and the demo publications.
pub async fn spawn_app() -> TestApp {
    spawn_app_with(&[]).await
}

/// As `spawn_app`, with more settings (e.g. the search engine).
pub async fn spawn_app_with(extra: &[(&str, &str)]) -> TestApp {
    let keys = pst_testkit::Keys::new();
    let mut vars = vec![
        ("PST_SERVICES__CATALOGUE_ADDR", "127.0.0.1:0"),
        ("PST_DEMO", "true"),
    ];
    vars.extend_from_slice(extra);
    let settings = pst_testkit::settings(&keys, &vars);
    start(settings, keys.signer()).await
}

/// Another replica of `app`'s catalogue: the same database, its own index and follower.
pub async fn replica(app: &TestApp) -> TestApp {
    let mut settings = app.settings.clone();
    settings.demo = false;
    start(settings, app.signer.clone()).await
}

async fn start(settings: pst_kit::Settings, signer: TokenSigner) -> TestApp {
    let app = pst_catalogue::Application::build(&settings)
        .await
        .expect("catalogue builds");
    let addr = app.local_addr();
    let pool = app.catalogue().pool().clone();
    let shutdown = CancellationToken::new();
    tokio::spawn(app.run_until_stopped(shutdown.clone()));
    let channel = tonic::transport::Endpoint::from_shared(format!("http://{addr}"))
        .expect("url")
        .connect()
        .await
        .expect("connect");
    TestApp {
        client: CatalogueServiceClient::new(channel),
        pool,
        signer,
        shutdown,
        settings,
    }
}

impl TestApp {
    pub fn token(&self, role: Role, office: Option<&str>) -> String {
        self.signer
            .sign(Uuid::new_v4(), role, office.map(str::to_owned))
            .expect("sign")
    }

    pub fn librarian(&self) -> String {
        self.token(Role::Librarian, Some("1674"))
    }

    pub async fn search(&self, q: &str) -> pb::SearchResponse {
        self.search_with(
            pb::SearchRequest {
                q: q.into(),
                ..Default::default()
            },
            None,
        )
        .await
    }

    pub async fn search_with(
        &self,
        req: pb::SearchRequest,
        token: Option<&str>,
    ) -> pb::SearchResponse {
        let mut c = self.client.clone();
        match token {
            Some(t) => c.search(with_token(req, t)).await,
            None => c.search(req).await,
        }
        .expect("search")
        .into_inner()
    }

    pub async fn create(&self, p: pb::PublicationInput) -> Result<pb::Publication, tonic::Status> {
        self.client
            .clone()
            .create_publication(with_token(p, &self.librarian()))
            .await
            .map(tonic::Response::into_inner)
    }
}

/// The search engines a catalogue can run.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Engine {
    Index,
    Postgres,
}

impl Engine {
    pub fn name(self) -> &'static str {
        match self {
            Engine::Index => "index",
            Engine::Postgres => "postgres",
        }
    }
}

impl TestApp {
    /// Searches until `done` holds of the answer (a change written behind the service's
    /// back reaches its index through the change log), for at most 2 s; the last answer.
    pub async fn search_until(
        &self,
        req: pb::SearchRequest,
        done: impl Fn(&pb::SearchResponse) -> bool,
    ) -> pb::SearchResponse {
        self.search_within(req, std::time::Duration::from_secs(2), done)
            .await
    }

    /// As `search_until`, for at most `limit`.
    pub async fn search_within(
        &self,
        req: pb::SearchRequest,
        limit: std::time::Duration,
        done: impl Fn(&pb::SearchResponse) -> bool,
    ) -> pb::SearchResponse {
        let until = std::time::Instant::now() + limit;
        loop {
            let r = self.search_with(req.clone(), None).await;
            if done(&r) || std::time::Instant::now() > until {
                return r;
            }
            tokio::time::sleep(std::time::Duration::from_millis(20)).await;
        }
    }
}

pub fn publication(title: &str) -> pb::PublicationInput {
    pb::PublicationInput {
        office_code: "1674".into(),
        title: title.into(),
        year_from: 2023,
        year_to: 2023,
        subject: "kependudukan".into(),
        language: "id".into(),
        access_level: "public".into(),
        ..Default::default()
    }
}

pub fn titles(r: &pb::SearchResponse) -> Vec<String> {
    r.hits
        .iter()
        .map(|h| {
            h.publication
                .as_ref()
                .and_then(|p| p.fields.as_ref())
                .map(|f| f.title.clone())
                .unwrap_or_default()
        })
        .collect()
}
