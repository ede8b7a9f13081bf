use base64::Engine as _;
use pst_kit::Settings;
use pst_kit::auth::{Role, TokenSigner};
use pst_kit::shutdown::CancellationToken;
use pst_proto::feedback as fb;
use pst_proto::feedback::feedback_service_client::FeedbackServiceClient;
use pst_proto::visit as vb;
use pst_proto::visit::visit_service_client::VisitServiceClient;
use tonic::transport::Channel;
use uuid::Uuid;

pub use pst_testkit::{code_of, fields_of, with_token};

pub struct TestApp {
    pub feedback: FeedbackServiceClient<Channel>,
    pub visit: VisitServiceClient<Channel>,
    pub pool: sqlx::PgPool,
    pub outbox: std::path::PathBuf,
    signer: TokenSigner,
    shutdown: CancellationToken,
}

impl Drop for TestApp {
    fn drop(&mut self) {
        self.shutdown.cancel();
    }
}

async fn connect(addr: std::net::SocketAddr) -> Channel {
    tonic::transport::Endpoint::from_shared(format!("http://{addr}"))
        .expect("url")
        .connect()
        .await
        .expect("connect")
}

/// Visit and feedback on free ports, each with its own fresh database.
pub async fn spawn_app() -> TestApp {
    let id = Uuid::new_v4().simple().to_string()[..12].to_owned();
    let b64 = |k: [u8; 32]| base64::engine::general_purpose::STANDARD.encode(k);
    let seed = pst_kit::secrets::random_key32();
    let outbox = std::env::temp_dir().join(format!("pst-test-feedback-{id}"));
    let mut vars: Vec<(String, String)> = vec![
        ("PST_DATABASE__PREFIX".into(), format!("pst_t_{id}_")),
        ("PST_DATABASE__MAX_CONNECTIONS".into(), "4".into()),
        ("PST_REDIS__PREFIX".into(), format!("t{id}:")),
        ("PST_SERVICES__VISIT_ADDR".into(), "127.0.0.1:0".into()),
        ("PST_SERVICES__FEEDBACK_ADDR".into(), "127.0.0.1:0".into()),
        (
            "PST_SERVICES__IDENTITY_URL".into(),
            "http://127.0.0.1:1".into(),
        ),
        ("PST_MAIL__OUTBOX_DIR".into(), outbox.display().to_string()),
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
    let mut settings = Settings::with_overrides(&vars).expect("settings");
    let shutdown = CancellationToken::new();
    let visit = pst_visit::Application::build(&settings)
        .await
        .expect("visit builds");
    let visit_addr = visit.local_addr();
    tokio::spawn(visit.run_until_stopped(shutdown.clone()));
    settings.services.visit_url = format!("http://{visit_addr}");
    let feedback = pst_feedback::Application::build(&settings)
        .await
        .expect("feedback builds");
    let feedback_addr = feedback.local_addr();
    let pool = feedback.feedback().pool().clone();
    tokio::spawn(feedback.run_until_stopped(shutdown.clone()));
    TestApp {
        feedback: FeedbackServiceClient::new(connect(feedback_addr).await),
        visit: VisitServiceClient::new(connect(visit_addr).await),
        pool,
        outbox,
        signer: TokenSigner::from_seed(&seed, "pst-identity", 900),
        shutdown,
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

    /// A walk-in visit through to checkout; returns (visit id, feedback code).
    pub async fn finished_visit(&self, checkout: bool) -> (String, String) {
        let fo = self.token(Role::FrontOffice, Some("1674"));
        let mut v = self.visit.clone();
        let t = v
            .take_ticket(with_token(
                vb::TakeTicketRequest {
                    office_code: "1674".into(),
                    service_type: "perpustakaan".into(),
                    device_id: String::new(),
                },
                &fo,
            ))
            .await
            .expect("ticket")
            .into_inner();
        let gb = vb::GuestBook {
            name: "Dedi Kurniawan".into(),
            sex: "L".into(),
            age_group: "40-49".into(),
            education: "S2".into(),
            occupation: "Dosen".into(),
            purpose: "Data PDRB untuk penelitian".into(),
            ..Default::default()
        };
        let visit = v
            .create_visit(vb::CreateVisitRequest {
                visit_card: String::new(),
                ticket_id: t.id.clone(),
                guest_book: Some(gb),
            })
            .await
            .expect("visit")
            .into_inner();
        if !checkout {
            return (visit.id, String::new());
        }
        v.call_next(with_token(
            vb::CallNextRequest {
                office_code: "1674".into(),
                counter: "L2".into(),
            },
            &fo,
        ))
        .await
        .expect("call");
        let act = |id: &str| {
            with_token(
                vb::TicketActionRequest {
                    ticket_id: id.into(),
                    counter: String::new(),
                },
                &fo,
            )
        };
        v.start_service(act(&t.id)).await.expect("start");
        v.finish_service(act(&t.id)).await.expect("finish");
        let ended = v
            .checkout(with_token(
                vb::CheckoutRequest {
                    visit_id: visit.id.clone(),
                    id_returned: false,
                    returned_to: String::new(),
                },
                &fo,
            ))
            .await
            .expect("checkout")
            .into_inner();
        (visit.id, ended.feedback_code)
    }
}

pub fn response(visit: &str, code: &str, scores: [u32; 9]) -> fb::SubmitResponseRequest {
    fb::SubmitResponseRequest {
        visit_id: visit.into(),
        visit_code: code.into(),
        scores: scores
            .iter()
            .enumerate()
            .map(|(i, v)| fb::Score {
                element: format!("U{}", i + 1),
                value: *v,
            })
            .collect(),
        comment: "Pelayanan cepat dan ramah.".into(),
        profile: Some(fb::Profile {
            sex: "L".into(),
            age_group: "40-49".into(),
            education: "S2".into(),
            occupation: "Peneliti/Dosen".into(),
        }),
        integrity: Some(fb::Integrity::default()),
        download_id: String::new(),
    }
}

pub fn today() -> String {
    chrono::Utc::now()
        .with_timezone(&chrono_tz::Asia::Jakarta)
        .date_naive()
        .to_string()
}
