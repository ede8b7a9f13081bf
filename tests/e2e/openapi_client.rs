//! The OpenAPI document works for a client: it validates as OpenAPI 3.1
//! (openapi-spec-validator), a TypeScript client generated from it (openapi-typescript +
//! openapi-fetch) type-checks under `tsc --strict` against the journey in
//! tests/web/client/journey.ts, and that journey — register, confirm, sign in, search,
//! download a stamped copy, take a number, file and read a complaint, meet a 404 problem —
//! runs against the real gateway.

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::helpers::*;

fn web_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/web")
}

fn run(cmd: &Path, args: &[&str], dir: &Path) -> String {
    let out = Command::new(cmd)
        .args(args)
        .current_dir(dir)
        .output()
        .unwrap_or_else(|e| panic!("{}: {e}", cmd.display()));
    let text =
        String::from_utf8_lossy(&out.stdout).into_owned() + &String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{} {args:?}:\n{text}", cmd.display());
    text
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_client_generated_from_the_document_walks_a_visitor_journey() {
    let bin = web_dir().join("node_modules/.bin");
    assert!(
        bin.join("openapi-typescript").exists() && bin.join("tsc").exists(),
        "tests/web/node_modules is missing: run scripts/test (npm ci --prefix tests/web)"
    );
    let stack = spawn_stack().await;
    let doc = stack
        .get("/api/openapi.json", None)
        .await
        .text()
        .await
        .expect("document");
    let dir = std::env::temp_dir().join(format!("pst-client-{}", uuid::Uuid::new_v4().simple()));
    std::fs::create_dir_all(&dir).expect("dir");
    let file = dir.join("openapi.json");
    std::fs::write(&file, &doc).expect("write");

    // OpenAPI 3.1, checked by a validator of its own (scripts/test installs it).
    let validator = std::env::var("PST_TEST_OPENAPI_VALIDATOR").unwrap_or_else(|_| {
        "/var/tmp/pst-tools/openapi-spec-validator-0.7.2/bin/openapi-spec-validator".into()
    });
    let out = tokio::task::block_in_place(|| {
        run(Path::new(&validator), &[&file.display().to_string()], &dir)
    });
    assert!(out.contains("OK"), "{out}");

    // Generate, type-check, run. (The generated types and the compiled journey live in
    // folders of their own, ignored by git.)
    let client = web_dir().join("client");
    let generated = client.join("generated");
    std::fs::create_dir_all(&generated).expect("dir");
    tokio::task::block_in_place(|| {
        run(
            &bin.join("openapi-typescript"),
            &[
                &file.display().to_string(),
                "-o",
                &generated.join("api.d.ts").display().to_string(),
            ],
            &client,
        );
        run(&bin.join("tsc"), &["-p", "tsconfig.json"], &client);
    });
    let out = tokio::task::block_in_place(|| {
        run(
            Path::new("node"),
            &[
                "out/journey.js",
                &stack.base,
                "klien.ts@example.id",
                &stack.outbox.display().to_string(),
            ],
            &client,
        )
    });
    println!("{out}");
    assert!(out.contains("journey done"), "{out}");
    assert!(!out.contains("not ok"), "{out}");
    let _ = std::fs::remove_dir_all(dir);
}
