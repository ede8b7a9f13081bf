//! One request through the gateway yields one trace spanning gateway and identity, each
//! running as its own process and exporting to an OTLP collector (here, in the test).

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use opentelemetry_proto::tonic::collector::trace::v1::trace_service_server::{
    TraceService, TraceServiceServer,
};
use opentelemetry_proto::tonic::collector::trace::v1::{
    ExportTraceServiceRequest, ExportTraceServiceResponse,
};
use opentelemetry_proto::tonic::common::v1::any_value::Value as AnyValue;
use serde_json::json;

use crate::helpers::*;

/// (service.name, span name, trace id, span id, parent span id)
type Seen = Arc<Mutex<Vec<(String, String, Vec<u8>, Vec<u8>, Vec<u8>)>>>;

#[derive(Clone, Default)]
struct Collector(Seen);

#[tonic::async_trait]
impl TraceService for Collector {
    async fn export(
        &self,
        req: tonic::Request<ExportTraceServiceRequest>,
    ) -> Result<tonic::Response<ExportTraceServiceResponse>, tonic::Status> {
        let mut seen = self.0.lock().expect("lock");
        for rs in req.into_inner().resource_spans {
            let service = rs
                .resource
                .iter()
                .flat_map(|r| r.attributes.iter())
                .find(|a| a.key == "service.name")
                .and_then(|a| a.value.as_ref()?.value.as_ref())
                .map(|v| match v {
                    AnyValue::StringValue(s) => s.clone(),
                    other => format!("{other:?}"),
                })
                .unwrap_or_default();
            for span in rs.scope_spans.into_iter().flat_map(|s| s.spans) {
                seen.push((
                    service.clone(),
                    span.name,
                    span.trace_id,
                    span.span_id,
                    span.parent_span_id,
                ));
            }
        }
        Ok(tonic::Response::new(ExportTraceServiceResponse {
            partial_success: None,
        }))
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_gateway_request_produces_one_trace_across_gateway_and_identity() {
    let collector = Collector::default();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let otlp = format!("http://{}", listener.local_addr().expect("addr"));
    tokio::spawn(
        tonic::transport::Server::builder()
            .add_service(TraceServiceServer::new(collector.clone()))
            .serve_with_incoming(tokio_stream::wrappers::TcpListenerStream::new(listener)),
    );
    let (mut env, _dir) = isolated_env();
    // Separate processes share keys through configuration, as separate deployments do.
    let b64 = |k: [u8; 32]| base64::Engine::encode(&base64::engine::general_purpose::STANDARD, k);
    let seed = pst_kit::secrets::random_key32();
    env.push(("PST_AUTH__SIGNING_KEY".into(), b64(seed)));
    env.push((
        "PST_AUTH__PUBLIC_KEY".into(),
        b64(pst_kit::auth::public_key_of(&seed)),
    ));
    env.push((
        "PST_IDENTITY__DATA_KEY".into(),
        b64(pst_kit::secrets::random_key32()),
    ));
    let with = |name: &str| {
        let mut e = env.clone();
        e.push(("PST_TELEMETRY__OTLP_ENDPOINT".into(), otlp.clone()));
        e.push(("PST_TELEMETRY__SERVICE_NAME".into(), name.into()));
        e.push(("PST_DEMO".into(), "true".into()));
        e.push(("OTEL_BSP_SCHEDULE_DELAY".into(), "100".into()));
        e
    };
    let identity = spawn_pst(&["identity"], &with("pst-identity"));
    let identity_addr =
        tokio::task::block_in_place(|| identity.wait_ready(&["identity"]))["identity"];
    let mut gateway_env = with("pst-gateway");
    gateway_env.push((
        "PST_SERVICES__IDENTITY_URL".into(),
        format!("http://{identity_addr}"),
    ));
    let gateway = spawn_pst(&["gateway"], &gateway_env);
    let gateway_addr = tokio::task::block_in_place(|| gateway.wait_ready(&["gateway"]))["gateway"];
    let http = reqwest::Client::new();
    let base = format!("http://{gateway_addr}");
    wait_until(&http, &format!("{base}/healthz"), 200).await;

    let start = Instant::now();
    loop {
        let r = http
            .post(format!("{base}/api/v1/auth/login"))
            .json(&json!({ "email": "admin@pst.test", "password": DEMO_PASSWORD }))
            .send()
            .await
            .expect("login");
        if r.status() == 200 {
            break;
        }
        assert!(
            start.elapsed() < Duration::from_secs(60),
            "identity never became reachable: {}",
            r.status()
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    }

    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        {
            let seen = collector.0.lock().expect("lock");
            let gateway_login = seen.iter().find(|s| {
                s.0 == "pst-gateway"
                    && s.1 == "POST /api/v1/auth/login"
                    && seen.iter().any(|t| t.2 == s.2 && t.0 == "pst-identity")
            });
            if let Some(root) = gateway_login {
                let server = seen
                    .iter()
                    .find(|s| s.0 == "pst-identity" && s.2 == root.2 && s.1.ends_with("/Login"))
                    .expect("identity's Login span is in the gateway's trace");
                assert!(
                    !server.4.is_empty(),
                    "identity's span has a parent from the gateway"
                );
                assert!(
                    seen.iter().any(|s| s.0 == "pst-gateway" && s.3 == server.4),
                    "the parent is a gateway span"
                );
                return;
            }
        }
        assert!(
            Instant::now() < deadline,
            "no shared trace exported: {:?}",
            collector
                .0
                .lock()
                .expect("lock")
                .iter()
                .map(|s| (&s.0, &s.1))
                .collect::<Vec<_>>()
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}
