//! What BPS IT relies on: health and reflection on every service port, the OpenAPI
//! document, and a clean exit on SIGTERM.

use std::time::{Duration, Instant};

use tonic_health::pb::HealthCheckRequest;
use tonic_health::pb::health_check_response::ServingStatus;
use tonic_health::pb::health_client::HealthClient;
use tonic_reflection::pb::v1::ServerReflectionRequest;
use tonic_reflection::pb::v1::server_reflection_client::ServerReflectionClient;
use tonic_reflection::pb::v1::server_reflection_request::MessageRequest;
use tonic_reflection::pb::v1::server_reflection_response::MessageResponse;

use crate::helpers::*;

async fn channel(addr: std::net::SocketAddr) -> tonic::transport::Channel {
    tonic::transport::Endpoint::from_shared(format!("http://{addr}"))
        .expect("url")
        .connect()
        .await
        .expect("connect")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_service_answers_grpc_health_serving_and_lists_itself_by_reflection() {
    let stack = spawn_stack().await;

    for name in SERVICES {
        let addr = stack.addrs[name];
        let ch = channel(addr).await;
        let health = HealthClient::new(ch.clone())
            .check(HealthCheckRequest {
                service: String::new(),
            })
            .await
            .expect("health")
            .into_inner();
        assert_eq!(health.status, ServingStatus::Serving as i32, "{name}");

        let req = ServerReflectionRequest {
            host: String::new(),
            message_request: Some(MessageRequest::ListServices(String::new())),
        };
        let mut stream = ServerReflectionClient::new(ch)
            .server_reflection_info(tokio_stream::iter(vec![req]))
            .await
            .expect("reflection")
            .into_inner();
        let Some(MessageResponse::ListServicesResponse(list)) = stream
            .message()
            .await
            .expect("msg")
            .expect("one")
            .message_response
        else {
            panic!("{name}: unexpected reflection answer");
        };
        let names: Vec<_> = list.service.iter().map(|s| s.name.clone()).collect();
        assert!(
            names.iter().any(|n| n == "grpc.health.v1.Health"),
            "{name}: {names:?}"
        );
        if name == "identity" {
            assert!(
                names.iter().any(|n| n == "pst.identity.v1.IdentityService"),
                "{names:?}"
            );
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_openapi_document_describes_the_routes() {
    let stack = spawn_stack().await;

    let doc: serde_json::Value = stack
        .get("/api/openapi.json", None)
        .await
        .json()
        .await
        .expect("json");

    assert!(doc["openapi"].as_str().expect("version").starts_with("3."));
    let paths = doc["paths"].as_object().expect("paths");
    for p in [
        "/api/v1/auth/register",
        "/api/v1/auth/verify-email",
        "/api/v1/auth/login",
        "/api/v1/auth/refresh",
        "/api/v1/auth/logout",
        "/api/v1/auth/password-reset/request",
        "/api/v1/auth/password-reset/confirm",
        "/api/v1/me",
        "/api/v1/admin/staff",
        "/api/v1/admin/offices/{code}",
        "/api/v1/offices/{office}/tickets",
        "/api/v1/offices/{office}/counters/{counter}/call-next",
        "/api/v1/offices/{office}/queue/stream",
        "/api/v1/visits/{id}/checkout",
        "/api/v1/offices/{office}/reports/service-time",
        "/api/v1/skm/responses",
        "/api/v1/offices/{office}/reports/ikm",
        "/api/v1/complaints/{id}/status",
        "/api/v1/publications",
        "/api/v1/publications/{id}/reading-room-uses",
    ] {
        assert!(paths.contains_key(p), "missing {p}");
    }
    assert!(paths["/api/v1/me"].get("patch").is_some());
    assert!(doc["components"]["schemas"].get("Problem").is_some());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sigterm_turns_readiness_off_drains_and_exits_cleanly() {
    let mut stack = spawn_stack().await;
    let pid = stack.proc.child.id().to_string();

    let status = std::process::Command::new("kill")
        .args(["-TERM", &pid])
        .status()
        .expect("kill");
    assert!(status.success());
    let start = Instant::now();
    let exit = loop {
        if let Some(s) = stack.proc.child.try_wait().expect("wait") {
            break s;
        }
        assert!(
            start.elapsed() < Duration::from_secs(15),
            "pst did not stop within 15 s of SIGTERM"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    };

    assert!(exit.success(), "exit status {exit:?}");
    assert!(
        stack.http.get(stack.url("/healthz")).send().await.is_err(),
        "gateway port closed"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn in_production_each_component_needs_only_its_own_keys_and_names_a_missing_one() {
    let (mut env, _dir) = isolated_env();
    env.push(("PST_ENVIRONMENT".into(), "production".into()));
    // Every component needs the key the gateway signs forwarded client addresses with.
    env.push((
        "PST_AUTH__INTERNAL_KEY".into(),
        base64::Engine::encode(
            &base64::engine::general_purpose::STANDARD,
            pst_kit::secrets::random_key32(),
        ),
    ));
    let seed = pst_kit::secrets::random_key32();
    let public = base64::Engine::encode(
        &base64::engine::general_purpose::STANDARD,
        pst_kit::auth::public_key_of(&seed),
    );
    let mut gateway_env = env.clone();
    gateway_env.push(("PST_AUTH__PUBLIC_KEY".into(), public));

    let gateway = spawn_pst(&["gateway"], &gateway_env);
    let ready = tokio::task::block_in_place(|| gateway.wait_ready(&["gateway"]));
    assert!(
        ready.contains_key("gateway"),
        "the gateway starts with the public key and the internal key alone"
    );

    let out = std::process::Command::new(env!("CARGO_BIN_EXE_pst"))
        .arg("identity")
        .envs(env.iter().map(|(k, v)| (k.as_str(), v.as_str())))
        .output()
        .expect("run pst identity");
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("PST_AUTH__SIGNING_KEY") || err.contains("PST_AUTH__PUBLIC_KEY"),
        "{err}"
    );

    // Without the internal key no component starts in production, and it says which.
    let no_internal: Vec<(String, String)> = gateway_env
        .iter()
        .filter(|(k, _)| k != "PST_AUTH__INTERNAL_KEY")
        .cloned()
        .collect();
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_pst"))
        .arg("gateway")
        .envs(no_internal.iter().map(|(k, v)| (k.as_str(), v.as_str())))
        .output()
        .expect("run pst gateway");
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("PST_AUTH__INTERNAL_KEY"), "{err}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn cors_allows_only_the_configured_origins() {
    let stack =
        spawn_stack_with(&[("PST_GATEWAY__CORS_ORIGINS", "https://pst.lubuklinggau.test")]).await;
    let preflight = |origin: &'static str| {
        stack
            .http
            .request(reqwest::Method::OPTIONS, stack.url("/api/v1/auth/login"))
            .header("origin", origin)
            .header("access-control-request-method", "POST")
            .header("access-control-request-headers", "content-type")
            .send()
    };

    let allowed = preflight("https://pst.lubuklinggau.test")
        .await
        .expect("preflight");
    let other = preflight("https://jahat.example").await.expect("preflight");

    assert_eq!(
        allowed
            .headers()
            .get("access-control-allow-origin")
            .and_then(|v| v.to_str().ok()),
        Some("https://pst.lubuklinggau.test")
    );
    assert!(other.headers().get("access-control-allow-origin").is_none());
}
