//! The operations BPS IT runs: `pst migrate` applies the migrations once and exits, a
//! component with `database.migrate_on_start = false` runs no DDL and refuses a schema
//! older than it needs (naming the migration), and `pst health` answers for container
//! healthchecks.

use std::process::{Command, Output, Stdio};

use crate::helpers::*;

/// Runs `pst args` to its end with `env`.
fn pst(args: &[&str], env: &[(String, String)]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_pst"))
        .args(args)
        .envs(env.iter().map(|(k, v)| (k.as_str(), v.as_str())))
        .env("RUST_LOG", "warn")
        .stdin(Stdio::null())
        .output()
        .expect("pst runs")
}

fn text(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned() + &String::from_utf8_lossy(&o.stderr)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn components_without_start_migrations_need_pst_migrate_and_name_what_is_missing() {
    let (mut env, _dir) = isolated_env();
    env.push(("PST_DATABASE__MIGRATE_ON_START".into(), "false".into()));

    // Nothing migrated yet: the component does not create its database; it says what to run.
    let o = tokio::task::block_in_place(|| pst(&["watermark"], &env));
    assert!(!o.status.success(), "{}", text(&o));
    assert!(
        text(&o).contains("does not exist") && text(&o).contains("pst migrate watermark"),
        "{}",
        text(&o)
    );

    // `pst migrate all` creates and migrates every database, saying what it applied.
    let o = tokio::task::block_in_place(|| pst(&["migrate", "all"], &env));
    assert!(o.status.success(), "{}", text(&o));
    let out = text(&o);
    for name in ["identity", "visit", "catalogue", "watermark", "feedback"] {
        assert!(out.contains(&format!("migrasi {name} ")), "{out}");
    }
    assert!(out.contains("0002_document_bases"), "{out}");
    // Again: nothing to do.
    let o = tokio::task::block_in_place(|| pst(&["migrate", "all"], &env));
    assert!(o.status.success(), "{}", text(&o));
    assert_eq!(text(&o).matches("sudah terbaru").count(), 5, "{}", text(&o));
    let o = tokio::task::block_in_place(|| pst(&["migrate", "gudang"], &env));
    assert!(
        !o.status.success() && text(&o).contains("gudang"),
        "{}",
        text(&o)
    );

    // Up to date: the component starts without migrating.
    let proc = spawn_pst(&["watermark"], &env);
    let addrs = tokio::task::block_in_place(|| proc.wait_ready(&["watermark"]));
    let mut probe_env = env.clone();
    probe_env.push((
        "PST_SERVICES__WATERMARK_ADDR".into(),
        addrs["watermark"].to_string(),
    ));
    let o = tokio::task::block_in_place(|| pst(&["health", "watermark"], &probe_env));
    assert!(o.status.success(), "{}", text(&o));
    drop(proc);
    // Stopped: unhealthy.
    let o = tokio::task::block_in_place(|| pst(&["health", "watermark"], &probe_env));
    assert!(!o.status.success(), "{}", text(&o));

    // A schema one migration behind (as before a release): refused, the migration named.
    let stack_prefix = env
        .iter()
        .find(|(k, _)| k == "PST_DATABASE__PREFIX")
        .map(|(_, v)| v.clone())
        .expect("prefix");
    let server = std::env::var("PST_TEST_DATABASE_URL")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432".into());
    let db = sqlx::PgPool::connect(&format!("{server}/{stack_prefix}watermark"))
        .await
        .expect("watermark database");
    sqlx::query("ALTER TABLE documents DROP COLUMN base_sha256")
        .execute(&db)
        .await
        .expect("undo 0002");
    sqlx::query("DELETE FROM _sqlx_migrations WHERE version = 2")
        .execute(&db)
        .await
        .expect("undo 0002");
    let o = tokio::task::block_in_place(|| pst(&["watermark"], &env));
    assert!(!o.status.success(), "{}", text(&o));
    assert!(
        text(&o).contains("0002_document_bases") && text(&o).contains("pst migrate watermark"),
        "{}",
        text(&o)
    );
    let o = tokio::task::block_in_place(|| pst(&["migrate", "watermark"], &env));
    assert!(o.status.success(), "{}", text(&o));
    assert!(
        text(&o).contains("diterapkan 0002_document_bases"),
        "{}",
        text(&o)
    );
    let proc = spawn_pst(&["watermark"], &env);
    tokio::task::block_in_place(|| proc.wait_ready(&["watermark"]));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pst_health_answers_for_the_gateway_and_a_service() {
    let stack = spawn_stack().await;
    let mut env = stack.env.clone();
    env.push((
        "PST_GATEWAY__ADDR".into(),
        stack.addrs["gateway"].to_string(),
    ));
    env.push((
        "PST_SERVICES__IDENTITY_ADDR".into(),
        stack.addrs["identity"].to_string(),
    ));
    for c in ["gateway", "identity"] {
        let o = tokio::task::block_in_place(|| pst(&["health", c], &env));
        assert!(o.status.success(), "{c}: {}", text(&o));
    }
    // A component that is not running here (its default port in this environment is 0).
    let o = tokio::task::block_in_place(|| pst(&["health", "feedback"], &stack.env));
    assert!(!o.status.success(), "{}", text(&o));
    let o = tokio::task::block_in_place(|| pst(&["health", "dapur"], &stack.env));
    assert!(
        !o.status.success() && text(&o).contains("dapur"),
        "{}",
        text(&o)
    );
}

/// The first administrator of an empty installation, from the command line: once only,
/// with a one-time password that signs in as admin through the gateway.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pst_first_admin_makes_the_first_administrator_once() {
    let (env, _dir) = isolated_env();
    let args = [
        "first-admin",
        "--email",
        "kepala.pst@bps.go.id",
        "--name",
        "Kepala PST Lubuklinggau",
    ];
    let o = tokio::task::block_in_place(|| pst(&args, &env));
    assert!(o.status.success(), "{}", text(&o));
    let out = text(&o);
    let password = out
        .lines()
        .find_map(|l| l.strip_prefix("kata sandi sementara: "))
        .unwrap_or_else(|| panic!("no password printed: {out}"))
        .trim()
        .to_owned();
    assert!(password.len() >= 20, "{password}");
    // Only while there is no administrator.
    let o = tokio::task::block_in_place(|| pst(&args, &env));
    assert!(
        !o.status.success() && text(&o).contains("already exists"),
        "{}",
        text(&o)
    );
    let o = tokio::task::block_in_place(|| {
        pst(
            &["first-admin", "--email", "bukan-surel", "--name", "X Y Z"],
            &env,
        )
    });
    assert!(
        !o.status.success() && text(&o).contains("--email"),
        "{}",
        text(&o)
    );

    let stack = start_stack(&["all"], env).await;
    let (base, http) = (stack.base.clone(), stack.http.clone());
    let r = http
        .post(format!("{base}/api/v1/auth/login"))
        .json(&serde_json::json!({ "email": "kepala.pst@bps.go.id", "password": password }))
        .send()
        .await
        .expect("login");
    assert_eq!(r.status(), 200);
    let session: serde_json::Value = r.json().await.expect("json");
    let me: serde_json::Value = http
        .get(format!("{base}/api/v1/me"))
        .bearer_auth(session["access_token"].as_str().expect("token"))
        .send()
        .await
        .expect("me")
        .json()
        .await
        .expect("json");
    assert_eq!(me["role"], "admin", "{me}");
}
