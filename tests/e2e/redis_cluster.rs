//! Redis beyond one node: against a three-node Redis Cluster started here, the live queue
//! works as on one server — numbers taken, the board, a call — because every key of an
//! office (its days and its event stream) carries the hash tag `{office}`, so each Lua
//! script runs on one slot. Two offices land on different nodes' slots, and a script
//! across them would have been refused (CROSSSLOT).

use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use serde_json::{Value, json};

use crate::helpers::*;

/// Three redis-server processes in cluster mode; killed when dropped.
struct Cluster {
    nodes: Vec<(Child, u16)>,
}

impl Drop for Cluster {
    fn drop(&mut self) {
        for (c, _) in &mut self.nodes {
            let _ = c.kill();
            let _ = c.wait();
        }
    }
}

fn redis_cli(port: u16, args: &[&str]) -> String {
    let out = Command::new("redis-cli")
        .args(["-h", "127.0.0.1", "-p", &port.to_string()])
        .args(args)
        .output()
        .expect("redis-cli");
    String::from_utf8_lossy(&out.stdout).into_owned() + &String::from_utf8_lossy(&out.stderr)
}

fn start_cluster(dir: &Path) -> Cluster {
    let mut nodes = Vec::new();
    for i in 0..3 {
        let port = free_port();
        let child = Command::new("redis-server")
            .args([
                "--port",
                &port.to_string(),
                "--bind",
                "127.0.0.1",
                "--cluster-enabled",
                "yes",
                "--cluster-config-file",
                &format!("nodes-{i}.conf"),
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
        nodes.push((child, port));
    }
    for (_, port) in &nodes {
        for _ in 0..100 {
            if redis_cli(*port, &["ping"]).contains("PONG") {
                break;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    }
    let addrs: Vec<String> = nodes
        .iter()
        .map(|(_, p)| format!("127.0.0.1:{p}"))
        .collect();
    let mut args = vec!["--cluster", "create"];
    args.extend(addrs.iter().map(String::as_str));
    args.extend(["--cluster-replicas", "0", "--cluster-yes"]);
    let out = redis_cli(nodes[0].1, &args);
    assert!(out.contains("All 16384 slots covered"), "{out}");
    for _ in 0..100 {
        if nodes
            .iter()
            .all(|(_, p)| redis_cli(*p, &["cluster", "info"]).contains("cluster_state:ok"))
        {
            return Cluster { nodes };
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    panic!("the cluster did not become ok");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_live_queue_runs_on_a_redis_cluster() {
    let dir = std::env::temp_dir().join(format!("pst-cluster-{}", uuid::Uuid::new_v4().simple()));
    std::fs::create_dir_all(&dir).expect("dir");
    let cluster = tokio::task::block_in_place(|| start_cluster(&dir));
    let urls: Vec<String> = cluster
        .nodes
        .iter()
        .map(|(_, p)| format!("redis://127.0.0.1:{p}"))
        .collect();
    // Office 1674's keys and another office's are in different slots; each office's keys
    // share one.
    let slot = |key: &str| redis_cli(cluster.nodes[0].1, &["cluster", "keyslot", key]);
    assert_eq!(
        slot("pst:visit:{1674}:2026-12-07:ready"),
        slot("pst:visit:{1674}:events")
    );
    assert_ne!(
        slot("pst:visit:{1674}:events"),
        slot("pst:visit:{1671}:events")
    );

    let stack = spawn_stack_with(&[
        ("PST_REDIS__URL", urls.join(",").as_str()),
        ("PST_REDIS__CLUSTER", "true"),
    ])
    .await;
    let fo = stack.token("fo@pst.test", DEMO_PASSWORD).await;
    let mut numbers = Vec::new();
    for device in ["kiosk-a", "kiosk-b"] {
        let r = stack
            .post(
                "/api/v1/offices/1674/tickets",
                &json!({ "service_type": "perpustakaan", "device_id": device }),
                None,
            )
            .await;
        assert_eq!(r.status(), 201);
        let t: Value = r.json().await.expect("json");
        numbers.push(t["number"].as_str().expect("number").to_owned());
    }
    let board: Value = stack
        .get("/api/v1/offices/1674/queue", None)
        .await
        .json()
        .await
        .expect("json");
    let waiting: u64 = board["lines"]
        .as_array()
        .expect("lines")
        .iter()
        .filter_map(|l| l["waiting"].as_u64())
        .sum();
    assert_eq!(waiting, 2, "{board}");
    // The display board's stream (a blocking XREAD on its own cluster connection) sees the
    // call.
    let mut sse = stack
        .http
        .get(stack.url("/api/v1/offices/1674/queue/stream"))
        .send()
        .await
        .expect("sse");
    assert_eq!(sse.status(), 200);
    // The first board, sent at once.
    let first = tokio::time::timeout(Duration::from_secs(5), sse.chunk())
        .await
        .expect("first board")
        .expect("chunk")
        .expect("open");
    assert!(String::from_utf8_lossy(&first).contains("1674"));
    let r = stack
        .post(
            "/api/v1/offices/1674/counters/L1/call-next",
            &json!({}),
            Some(&fo),
        )
        .await;
    assert_eq!(r.status(), 200);
    let called: Value = r.json().await.expect("json");
    assert_eq!(called["ticket"]["number"], numbers[0].as_str());
    let said = format!("Nomor {} dipanggil", numbers[0]);
    let mut seen = String::new();
    let deadline = tokio::time::Instant::now() + Duration::from_secs(10);
    while !seen.contains(&said) {
        let chunk = tokio::time::timeout_at(deadline, sse.chunk())
            .await
            .unwrap_or_else(|_| panic!("no board with {said:?}: {seen}"))
            .expect("chunk")
            .expect("stream open");
        seen.push_str(&String::from_utf8_lossy(&chunk));
    }
    // The keys are really in the cluster, under the office's tag.
    let keys: String = cluster
        .nodes
        .iter()
        .map(|(_, p)| redis_cli(*p, &["--scan", "--pattern", "*visit:{1674}*"]))
        .collect();
    assert!(
        keys.contains(":events") && keys.contains(":ready"),
        "{keys}"
    );
    drop(stack);
    drop(cluster);
    let _ = std::fs::remove_dir_all(&dir);
}
