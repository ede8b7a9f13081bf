//! The deployment files are checked here, since no container engine runs in CI: every
//! component has its Deployment and Service with probes, limits and a locked-down pod;
//! every setting they pass is one the binary accepts; compose runs the same components.

use std::collections::BTreeMap;
use std::path::Path;

use serde_yaml_ng::Value;

const COMPONENTS: [(&str, u16); 6] = [
    ("identity", 50051),
    ("visit", 50052),
    ("catalogue", 50053),
    ("watermark", 50054),
    ("feedback", 50055),
    ("gateway", 8080),
];

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn docs(path: &Path) -> Vec<Value> {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    serde_yaml_ng::Deserializer::from_str(&text)
        .map(|d| {
            let mut v: Value = serde::Deserialize::deserialize(d)
                .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
            v.apply_merge()
                .unwrap_or_else(|e| panic!("{}: merge keys: {e}", path.display()));
            v
        })
        .collect()
}

/// A ConfigMap's `data` as (key, value) pairs, every value a string.
fn config_data(cm: &Value) -> Vec<(String, String)> {
    s(cm, &["data"])
        .as_mapping()
        .expect("data")
        .iter()
        .map(|(k, v)| {
            (
                k.as_str().expect("key").to_owned(),
                v.as_str().expect("string value").to_owned(),
            )
        })
        .collect()
}

fn s<'a>(v: &'a Value, path: &[&str]) -> &'a Value {
    path.iter()
        .fold(v, |v, k| v.get(*k).unwrap_or(&Value::Null))
}

fn env_of(container: &Value) -> BTreeMap<String, String> {
    s(container, &["env"])
        .as_sequence()
        .into_iter()
        .flatten()
        .filter_map(|e| {
            Some((
                e.get("name")?.as_str()?.to_owned(),
                e.get("value")
                    .and_then(Value::as_str)
                    .unwrap_or("x")
                    .to_owned(),
            ))
        })
        .collect()
}

#[test]
fn every_component_has_a_locked_down_deployment_with_probes_and_a_matching_service() {
    let base = root().join("deploy/k8s/base");
    let kustomization = &docs(&base.join("kustomization.yaml"))[0];
    let resources: Vec<&str> = s(kustomization, &["resources"])
        .as_sequence()
        .expect("resources")
        .iter()
        .filter_map(Value::as_str)
        .collect();
    for (name, port) in COMPONENTS {
        let file = format!("{name}.yaml");
        assert!(
            resources.contains(&file.as_str()),
            "kustomization lists {file}"
        );
        let d = docs(&base.join(&file));
        let deploy = d
            .iter()
            .find(|x| x["kind"] == "Deployment")
            .expect("deployment");
        let svc = d.iter().find(|x| x["kind"] == "Service").expect("service");
        let pod = s(deploy, &["spec", "template", "spec"]);
        assert_eq!(
            s(pod, &["securityContext", "runAsNonRoot"]),
            &Value::Bool(true),
            "{name}"
        );
        let c = &s(pod, &["containers"]).as_sequence().expect("containers")[0];
        assert_eq!(
            s(c, &["args"]).as_sequence().expect("args")[0].as_str(),
            Some(name)
        );
        assert_eq!(
            s(c, &["securityContext", "readOnlyRootFilesystem"]),
            &Value::Bool(true),
            "{name}"
        );
        assert_eq!(
            s(c, &["securityContext", "allowPrivilegeEscalation"]),
            &Value::Bool(false),
            "{name}"
        );
        assert!(
            !s(c, &["resources", "limits", "memory"]).is_null()
                && !s(c, &["resources", "requests", "cpu"]).is_null(),
            "{name}"
        );
        assert_eq!(
            s(c, &["ports"]).as_sequence().expect("ports")[0]["containerPort"].as_u64(),
            Some(u64::from(port))
        );
        let probe = if name == "gateway" {
            s(c, &["readinessProbe", "httpGet", "port"])
        } else {
            s(c, &["readinessProbe", "grpc", "port"])
        };
        assert_eq!(
            probe.as_u64(),
            Some(u64::from(port)),
            "{name}: native probe on its port"
        );
        assert!(!s(c, &["livenessProbe"]).is_null(), "{name}");
        let sp = &s(svc, &["spec", "ports"]).as_sequence().expect("ports")[0];
        assert_eq!(sp["port"].as_u64(), Some(u64::from(port)));
        assert_eq!(
            sp["targetPort"],
            s(c, &["ports"]).as_sequence().expect("ports")[0]["name"],
            "{name}: service targets the named port"
        );
        assert_eq!(
            s(svc, &["spec", "selector"]),
            s(deploy, &["spec", "selector", "matchLabels"])
        );
        for key in env_of(c).keys() {
            assert!(key.starts_with("PST_"), "{name}: {key}");
        }
    }
}

/// The secrets each component refuses to start without in production.
fn required_secrets(component: &str) -> &'static [&'static str] {
    match component {
        "identity" => &[
            "PST_AUTH__PUBLIC_KEY",
            "PST_AUTH__INTERNAL_KEY",
            "PST_AUTH__SIGNING_KEY",
            "PST_IDENTITY__DATA_KEY",
            "PST_DATABASE__URL",
        ],
        "visit" => &[
            "PST_AUTH__PUBLIC_KEY",
            "PST_AUTH__INTERNAL_KEY",
            "PST_VISIT__DATA_KEY",
            "PST_DATABASE__URL",
        ],
        "gateway" => &["PST_AUTH__PUBLIC_KEY", "PST_AUTH__INTERNAL_KEY"],
        "watermark" => &[
            "PST_AUTH__PUBLIC_KEY",
            "PST_AUTH__INTERNAL_KEY",
            "PST_WATERMARK__MARK_KEY",
            "PST_DATABASE__URL",
        ],
        _ => &[
            "PST_AUTH__PUBLIC_KEY",
            "PST_AUTH__INTERNAL_KEY",
            "PST_DATABASE__URL",
        ],
    }
}

#[test]
fn every_component_gets_the_secrets_it_needs_in_production() {
    let base = root().join("deploy/k8s/base");
    for (name, _) in COMPONENTS {
        let d = docs(&base.join(format!("{name}.yaml")));
        let deploy = d
            .iter()
            .find(|x| x["kind"] == "Deployment")
            .expect("deployment");
        let c = &s(deploy, &["spec", "template", "spec", "containers"])
            .as_sequence()
            .expect("containers")[0];
        let env = env_of(c);
        for key in required_secrets(name) {
            assert!(env.contains_key(*key), "{name} lacks {key}");
        }
    }
    let all = docs(&root().join("deploy/k8s/overlays/all-in-one/pst-all.yaml"));
    let c = &s(&all[0], &["spec", "template", "spec", "containers"])
        .as_sequence()
        .expect("containers")[0];
    let env = env_of(c);
    for key in ["identity", "visit", "watermark"]
        .iter()
        .flat_map(|n| required_secrets(n))
    {
        assert!(env.contains_key(*key), "pst all lacks {key}");
    }
    let compose = std::fs::read_to_string(root().join("docker-compose.yml")).expect("compose");
    for key in [
        "PST_AUTH__SIGNING_KEY",
        "PST_AUTH__PUBLIC_KEY",
        "PST_IDENTITY__DATA_KEY",
        "PST_VISIT__DATA_KEY",
        "PST_WATERMARK__MARK_KEY",
        "PST_AUTH__INTERNAL_KEY",
    ] {
        assert!(
            compose.contains(&format!("{key}: ${{{key}:?")),
            "compose requires {key}"
        );
    }
}

#[test]
fn the_config_map_and_compose_settings_are_accepted_by_the_binary() {
    let cm = &docs(&root().join("deploy/k8s/common/configmap.yaml"))[0];
    let data = config_data(cm);
    let settings = pst_kit::Settings::with_overrides(&data).expect("config map parses as settings");
    assert!(settings.is_production());
    for (name, port) in &COMPONENTS[..5] {
        let url = match *name {
            "identity" => &settings.services.identity_url,
            "visit" => &settings.services.visit_url,
            "catalogue" => &settings.services.catalogue_url,
            "watermark" => &settings.services.watermark_url,
            _ => &settings.services.feedback_url,
        };
        assert_eq!(
            url,
            &format!("http://{name}:{port}"),
            "service URL points at the Service of the same name"
        );
    }

    let compose = &docs(&root().join("docker-compose.yml"))[0];
    let services = s(compose, &["services"]).as_mapping().expect("services");
    for (name, _) in COMPONENTS {
        let svc = services
            .get(name)
            .unwrap_or_else(|| panic!("compose runs {name}"));
        let env: Vec<(String, String)> = s(svc, &["environment"])
            .as_mapping()
            .expect("environment")
            .iter()
            .map(|(k, v)| {
                (
                    k.as_str().expect("key").to_owned(),
                    v.as_str().unwrap_or_default().replace("${", "").to_owned(),
                )
            })
            .filter(|(k, _)| !k.contains("KEY"))
            .collect();
        let settings = pst_kit::Settings::with_overrides(&env)
            .unwrap_or_else(|e| panic!("compose {name}: {e}"));
        if name == "gateway" {
            // Direct delivery reads the documents the watermark service stores: the same
            // volume, mounted read-only where the settings say they are.
            assert_eq!(
                settings.gateway.document_delivery,
                pst_kit::config::DocumentDelivery::Direct
            );
            let mount = format!("documents:{}:ro", settings.watermark.storage_dir);
            let volumes = s(svc, &["volumes"]).as_sequence().expect("gateway volumes");
            assert!(
                volumes.iter().any(|v| v.as_str() == Some(mount.as_str())),
                "gateway mounts {mount}"
            );
        }
        assert_eq!(
            s(svc, &["command"]).as_sequence().expect("command")[0].as_str(),
            Some(name)
        );
        assert_eq!(
            s(svc, &["image"]).as_str(),
            Some("pst-pustaka:latest"),
            "one image for all"
        );
    }
    assert!(services.contains_key("postgres") && services.contains_key("redis"));
}

#[test]
fn overlays_refer_to_existing_resources_and_the_image_runs_as_non_root() {
    for overlay in ["production", "all-in-one"] {
        let dir = root().join("deploy/k8s/overlays").join(overlay);
        let k = &docs(&dir.join("kustomization.yaml"))[0];
        for r in s(k, &["resources"]).as_sequence().expect("resources") {
            let p = dir.join(r.as_str().expect("path"));
            assert!(p.exists(), "{overlay}: {} exists", p.display());
        }
    }
    let all = docs(&root().join("deploy/k8s/overlays/all-in-one/pst-all.yaml"));
    let c = &s(&all[0], &["spec", "template", "spec", "containers"])
        .as_sequence()
        .expect("containers")[0];
    assert_eq!(
        s(c, &["args"]).as_sequence().expect("args")[0].as_str(),
        Some("all")
    );
    let dockerfile = std::fs::read_to_string(root().join("deploy/Dockerfile")).expect("Dockerfile");
    assert!(dockerfile.lines().any(|l| l.trim() == "USER 10001"));
    assert!(dockerfile.contains("--locked"));
}

/// Production runs two watermark replicas: softcopies go to an S3-compatible bucket (a
/// ReadWriteOnce volume cannot be shared), which the gateways read directly with their own
/// read-only key; nothing of the base's own configuration is lost by the patches.
#[test]
fn production_keeps_softcopies_in_a_bucket_read_directly_by_the_gateways() {
    let dir = root().join("deploy/k8s/overlays/production");
    let k = &docs(&dir.join("kustomization.yaml"))[0];
    let replicas = s(k, &["replicas"]).as_sequence().expect("replicas");
    let watermark_replicas = replicas
        .iter()
        .find(|r| s(r, &["name"]).as_str() == Some("watermark"))
        .and_then(|r| s(r, &["count"]).as_u64())
        .expect("watermark replicas");
    assert!(watermark_replicas > 1);
    let patches: Vec<Value> = s(k, &["patches"])
        .as_sequence()
        .expect("patches")
        .iter()
        .flat_map(|p| docs(&dir.join(s(p, &["path"]).as_str().expect("path"))))
        .collect();

    // The bucket's settings are ones the binary accepts.
    let storage = docs(&dir.join("storage.yaml"));
    let data: Vec<(String, String)> = config_data(&storage[0])
        .into_iter()
        .filter(|(k, _)| k.starts_with("PST_"))
        .collect();
    let settings = pst_kit::Settings::with_overrides(&data).expect("storage settings parse");
    assert!(settings.watermark.storage_url.starts_with("s3://"));
    assert!(
        s(&storage[0], &["data", "AWS_ENDPOINT"])
            .as_str()
            .is_some_and(|e| e.starts_with("https://"))
    );

    // The shared volume is gone, replaced by a scratch folder for uploads in progress.
    assert!(patches.iter().any(|p| {
        s(p, &["kind"]).as_str() == Some("PersistentVolumeClaim")
            && s(p, &["$patch"]).as_str() == Some("delete")
            && s(p, &["metadata", "name"]).as_str() == Some("watermark-documents")
    }));
    let deployment = |name: &str| {
        patches
            .iter()
            .find(|p| {
                s(p, &["kind"]).as_str() == Some("Deployment")
                    && s(p, &["metadata", "name"]).as_str() == Some(name)
            })
            .unwrap_or_else(|| panic!("a patch of {name}"))
    };
    let container = |name: &str| {
        s(
            deployment(name),
            &["spec", "template", "spec", "containers"],
        )
        .as_sequence()
        .expect("containers")[0]
            .clone()
    };
    let env_from = |c: &Value| -> Vec<String> {
        s(c, &["envFrom"])
            .as_sequence()
            .expect("envFrom")
            .iter()
            .map(|e| {
                let (kind, v) = e.as_mapping().expect("ref").iter().next().expect("one");
                format!(
                    "{}:{}",
                    kind.as_str().expect("kind"),
                    s(v, &["name"]).as_str().expect("name")
                )
            })
            .collect()
    };
    // envFrom lists are replaced whole by a patch: the base's config map must be kept.
    assert_eq!(
        env_from(&container("watermark")),
        [
            "configMapRef:pst-config",
            "configMapRef:pst-storage",
            "secretRef:pst-storage-writer"
        ]
    );
    let gateway = container("gateway");
    assert_eq!(
        env_from(&gateway),
        [
            "configMapRef:pst-config",
            "configMapRef:pst-storage",
            "secretRef:pst-storage-reader"
        ]
    );
    let delivery = s(&gateway, &["env"])
        .as_sequence()
        .expect("env")
        .iter()
        .find(|e| s(e, &["name"]).as_str() == Some("PST_GATEWAY__DOCUMENT_DELIVERY"))
        .and_then(|e| s(e, &["value"]).as_str())
        .map(str::to_owned);
    let parsed = pst_kit::Settings::with_overrides(&[(
        "PST_GATEWAY__DOCUMENT_DELIVERY",
        delivery.as_deref().expect("delivery set"),
    )])
    .expect("accepted");
    assert_eq!(
        parsed.gateway.document_delivery,
        pst_kit::config::DocumentDelivery::Direct
    );
    let volumes = s(
        deployment("watermark"),
        &["spec", "template", "spec", "volumes"],
    )
    .as_sequence()
    .expect("volumes");
    let documents = volumes
        .iter()
        .find(|v| s(v, &["name"]).as_str() == Some("documents"))
        .expect("documents volume");
    assert!(s(documents, &["persistentVolumeClaim"]).is_null());
    assert!(s(documents, &["emptyDir"]).is_mapping());
}
