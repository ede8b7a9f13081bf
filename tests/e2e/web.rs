//! The web app in a real browser: `tests/web/journey.mjs` (Playwright driving Debian's
//! chromium) walks a new visitor's whole online journey against this stack; this side
//! prepares a long softcopy and checks the downloaded copy with qpdf and pdftotext.
//! Screenshots of every page land in `<target>/web-screenshots/`.

use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::{Value, json};

use pst_watermark::pdf::sample::{Layout, Sample, generate};

use crate::helpers::*;

const TITLE: &str = "Statistik Kesejahteraan Rakyat Kota Lubuklinggau 2025";
const PAGES: usize = 300;

fn web_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/web")
}

/// The browser tests' npm packages (installed by scripts/test) and chromium must be there.
fn require_tools() {
    assert!(
        web_dir().join("node_modules/playwright-core").is_dir(),
        "tests/web/node_modules is missing: run scripts/test (it runs `npm ci --prefix tests/web`)"
    );
    let chromium = std::env::var("PST_CHROMIUM").unwrap_or_else(|_| "/usr/bin/chromium".into());
    assert!(
        Path::new(&chromium).exists(),
        "{chromium} is missing: install Debian's chromium (.ci/run does)"
    );
}

fn pdftotext(file: &Path, page: usize) -> String {
    let p = page.to_string();
    let out = Command::new("pdftotext")
        .args(["-f", &p, "-l", &p, &file.display().to_string(), "-"])
        .output()
        .expect("pdftotext (poppler-utils) installed");
    assert!(out.status.success(), "pdftotext failed on page {page}");
    String::from_utf8_lossy(&out.stdout).into_owned()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_new_visitor_walks_the_whole_online_journey_in_a_browser() {
    require_tools();
    let stack = spawn_stack().await;
    let lib = stack.token("pustakawan@pst.test", DEMO_PASSWORD).await;

    // A long softcopy, so the reader must open its last page over ranges.
    let body = json!({ "office_code": "1674", "title": TITLE, "subject": "sosial_budaya",
        "language": "id", "year_from": 2025, "year_to": 2025, "access_level": "registered",
        "abstract": "Indikator kesejahteraan rakyat Kota Lubuklinggau: kependudukan, kesehatan, pendidikan, perumahan." });
    let r = stack.post("/api/v1/publications", &body, Some(&lib)).await;
    assert_eq!(r.status(), 201, "{}", r.text().await.unwrap_or_default());
    let id = r.json::<Value>().await.expect("json")["id"]
        .as_str()
        .expect("id")
        .to_owned();
    let pdf = generate(&Sample::new(TITLE, PAGES, Layout::Table).with_images(20_000));
    let size = pdf.len();
    let r = stack
        .http
        .post(stack.url(&format!(
            "/api/v1/publications/{id}/document?filename=kesra.pdf"
        )))
        .bearer_auth(&lib)
        .header("content-type", "application/pdf")
        .body(pdf)
        .send()
        .await
        .expect("upload");
    assert_eq!(r.status(), 201);

    let work = std::env::temp_dir().join(format!("pst-web-{}", uuid::Uuid::new_v4().simple()));
    std::fs::create_dir_all(&work).expect("work dir");
    let download = work.join("salinan.pdf");
    let shots = Path::new(env!("CARGO_TARGET_TMPDIR"))
        .parent()
        .expect("target dir")
        .join("web-screenshots");
    let email = "sari.wulandari@example.id";
    let started = std::time::Instant::now();
    let out = tokio::task::block_in_place(|| {
        Command::new("node")
            .arg(web_dir().join("journey.mjs"))
            .env("PST_URL", &stack.base)
            .env("PST_OUTBOX", &stack.outbox)
            .env("PST_PUBLICATION", &id)
            .env("PST_PAGES", PAGES.to_string())
            .env("PST_FILE_SIZE", size.to_string())
            .env(
                "PST_TYPO_QUERY",
                "statistik kesejahtraan rakyat lubuklinggau",
            )
            .env("PST_TITLE", TITLE)
            .env("PST_DOWNLOAD_TO", &download)
            .env("PST_EMAIL", email)
            .env("PST_DEMO_PASSWORD", DEMO_PASSWORD)
            .env("PST_SHOTS", &shots)
            .output()
            .expect("node runs (Debian's nodejs)")
    });
    let stdout = String::from_utf8_lossy(&out.stdout);
    eprintln!("{stdout}\n{}", String::from_utf8_lossy(&out.stderr));
    eprintln!(
        "METRIC browser_journey_secs {:.1}",
        started.elapsed().as_secs_f64()
    );
    assert!(
        out.status.success(),
        "the browser journey failed (see above)"
    );
    assert!(stdout.contains("journey: all checks passed"));

    // The downloaded copy: a sound PDF carrying the user's e-mail on its first and last page.
    let check = Command::new("qpdf")
        .args(["--check", &download.display().to_string()])
        .output()
        .expect("qpdf installed");
    assert!(
        check.status.success(),
        "qpdf --check: {}",
        String::from_utf8_lossy(&check.stdout)
    );
    for page in [1, PAGES] {
        assert!(
            pdftotext(&download, page).contains(email),
            "page {page} of the download carries the user's e-mail"
        );
    }
    let code = std::fs::read_to_string(download.with_extension("pdf.code")).expect("code");
    assert!(
        pdftotext(&download, 1).contains(code.trim()),
        "the printed id is the one listed"
    );
    let _ = std::fs::remove_dir_all(&work);
}
