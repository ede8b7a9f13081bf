use tonic_health::pb::HealthCheckRequest;
use tonic_health::pb::health_check_response::ServingStatus;
use tonic_health::pb::health_client::HealthClient;

use crate::helpers::*;

#[tokio::test]
async fn health_reports_the_identity_service_serving() {
    let app = spawn_app().await;
    let channel = tonic::transport::Endpoint::from_shared(format!("http://{}", app.addr))
        .expect("url")
        .connect()
        .await
        .expect("connect");

    let res = HealthClient::new(channel)
        .check(HealthCheckRequest {
            service: pst_identity::SERVICE_NAME.into(),
        })
        .await
        .expect("health")
        .into_inner();

    assert_eq!(res.status, ServingStatus::Serving as i32);
}

#[tokio::test]
async fn reflection_lists_the_identity_service() {
    use tonic_reflection::pb::v1::ServerReflectionRequest;
    use tonic_reflection::pb::v1::server_reflection_client::ServerReflectionClient;
    use tonic_reflection::pb::v1::server_reflection_request::MessageRequest;
    use tonic_reflection::pb::v1::server_reflection_response::MessageResponse;
    let app = spawn_app().await;
    let channel = tonic::transport::Endpoint::from_shared(format!("http://{}", app.addr))
        .expect("url")
        .connect()
        .await
        .expect("connect");

    let req = ServerReflectionRequest {
        host: String::new(),
        message_request: Some(MessageRequest::ListServices(String::new())),
    };
    let mut stream = ServerReflectionClient::new(channel)
        .server_reflection_info(tokio_stream::iter(vec![req]))
        .await
        .expect("reflection")
        .into_inner();
    let msg = stream
        .message()
        .await
        .expect("message")
        .expect("one response");

    let Some(MessageResponse::ListServicesResponse(list)) = msg.message_response else {
        panic!("unexpected reflection answer")
    };
    let names: Vec<_> = list.service.iter().map(|s| s.name.as_str()).collect();
    assert!(names.contains(&pst_identity::SERVICE_NAME), "{names:?}");
    assert!(names.contains(&"grpc.health.v1.Health"), "{names:?}");
}

#[tokio::test]
async fn the_public_key_verifies_issued_tokens() {
    let app = spawn_app().await;
    let tokens = app
        .login("admin@pst.test", DEMO_PASSWORD)
        .await
        .expect("login");

    let key = app
        .client
        .clone()
        .get_public_key(pst_proto::identity::GetPublicKeyRequest {})
        .await
        .expect("key")
        .into_inner();

    let raw = pst_kit::secrets::decode_key32(&key.public_key).expect("32-byte key");
    let claims = pst_kit::auth::TokenVerifier::new(&raw, "pst-identity")
        .verify(&tokens.access_token)
        .expect("verifies");
    assert_eq!(claims.role, pst_kit::auth::Role::Admin);
}
