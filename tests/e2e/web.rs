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
pub(crate) fn require_tools() {
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

/// Runs `tests/web/<script>.mjs` against `stack` with the settings every script reads (and
/// `env`), shows what it printed (its `METRIC` lines too) and asserts that it passed.
/// Screenshots land in `<target>/web-screenshots/`.
pub(crate) fn run_browser_script(stack: &Stack, script: &str, env: &[(&str, String)]) {
    let shots = Path::new(env!("CARGO_TARGET_TMPDIR"))
        .parent()
        .expect("target dir")
        .join("web-screenshots");
    let redis_prefix = stack
        .env
        .iter()
        .find(|(k, _)| k == "PST_REDIS__PREFIX")
        .map(|(_, v)| v.clone())
        .expect("the stack's Redis prefix");
    let started = std::time::Instant::now();
    let out = tokio::task::block_in_place(|| {
        let mut node = Command::new("node");
        node.arg(web_dir().join(format!("{script}.mjs")))
            .env("PST_URL", &stack.base)
            .env("PST_SHOTS", &shots)
            .env("PST_OUTBOX", &stack.outbox)
            .env("PST_REDIS_PREFIX", redis_prefix)
            .env("PST_DEMO_PASSWORD", DEMO_PASSWORD);
        for (k, v) in env {
            node.env(k, v);
        }
        node.output().expect("node runs (Debian's nodejs)")
    });
    let stdout = String::from_utf8_lossy(&out.stdout);
    eprintln!("{stdout}\n{}", String::from_utf8_lossy(&out.stderr));
    eprintln!(
        "METRIC {script}_secs {:.1}",
        started.elapsed().as_secs_f64()
    );
    assert!(out.status.success(), "{script}.mjs failed (see above)");
    assert!(stdout.contains(&format!("{script}: all checks passed")));
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
    let email = "sari.wulandari@example.id";
    run_browser_script(
        &stack,
        "journey",
        &[
            ("PST_PUBLICATION", id.clone()),
            ("PST_PAGES", PAGES.to_string()),
            ("PST_FILE_SIZE", size.to_string()),
            (
                "PST_TYPO_QUERY",
                "statistik kesejahtraan rakyat lubuklinggau".to_owned(),
            ),
            ("PST_TITLE", TITLE.to_owned()),
            ("PST_DOWNLOAD_TO", download.display().to_string()),
            ("PST_EMAIL", email.to_owned()),
        ],
    );

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

/// A gateway in front of this stack's services with `extra` settings, not waiting for
/// readiness (its backends may be meant to be down).
fn gateway_with(stack: &Stack, extra: &[(&str, &str)]) -> (Proc, String) {
    let mut env = stack.env.clone();
    for name in SERVICES {
        env.push((
            format!("PST_SERVICES__{}_URL", name.to_ascii_uppercase()),
            format!("http://{}", stack.addrs[name]),
        ));
    }
    env.extend(
        extra
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned())),
    );
    let proc = spawn_pst(&["gateway"], &env);
    let addrs = tokio::task::block_in_place(|| proc.wait_ready(&["gateway"]));
    (proc, format!("http://{}", addrs["gateway"]))
}

fn header(r: &reqwest::Response, name: &str) -> String {
    r.headers()
        .get(name)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pages_fail_in_indonesian_carry_security_headers_and_assets_are_cached_forever() {
    let stack = spawn_stack().await;
    let plain = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("client");

    // Security headers on a page; the stylesheet under a content-hashed, immutable name.
    let r = stack.get("/", None).await;
    assert_eq!(r.status(), 200);
    assert!(header(&r, "content-type").starts_with("text/html"));
    let csp = header(&r, "content-security-policy");
    for part in [
        "default-src 'self'",
        "script-src 'self'",
        "frame-ancestors 'none'",
        "object-src 'none'",
    ] {
        assert!(csp.contains(part), "CSP {csp:?} lacks {part}");
    }
    assert!(
        !csp.contains("unsafe-inline") && !csp.contains("http"),
        "{csp}"
    );
    assert_eq!(header(&r, "x-content-type-options"), "nosniff");
    assert_eq!(header(&r, "referrer-policy"), "same-origin");
    assert!(header(&r, "set-cookie").contains("HttpOnly"));
    let html = r.text().await.expect("html");
    assert!(html.contains("<html lang=\"id\">"));
    let css = html
        .split("href=\"")
        .find_map(|s| s.split('"').next().filter(|h| h.ends_with(".css")))
        .expect("stylesheet link")
        .to_owned();
    assert!(
        css.starts_with("/aset/app.") && css.len() > "/aset/app..css".len() + 8,
        "{css}"
    );
    let r = plain
        .get(stack.url(&css))
        .header("accept-encoding", "gzip")
        .send()
        .await
        .expect("css");
    assert_eq!(r.status(), 200);
    assert_eq!(
        header(&r, "cache-control"),
        "public, max-age=31536000, immutable"
    );
    assert_eq!(header(&r, "content-encoding"), "gzip");
    assert!(header(&r, "content-type").starts_with("text/css"));
    assert_eq!(
        plain
            .get(stack.url("/aset/app.css"))
            .send()
            .await
            .expect("css")
            .status(),
        404
    );

    // Unknown paths: a page outside /api, a problem document inside it.
    let r = stack.get("/tidak-ada", None).await;
    assert_eq!(r.status(), 404);
    assert!(header(&r, "content-type").starts_with("text/html"));
    assert!(
        r.text()
            .await
            .expect("html")
            .contains("Halaman tidak ditemukan")
    );
    problem(
        stack.get("/api/v1/tidak-ada", None).await,
        404,
        "ROUTE_NOT_FOUND",
    )
    .await;

    // Searches the catalogue cannot run give a normal empty page, not an error.
    let long = "statistik ".repeat(1000);
    for q in [long.as_str(), "?!.,;:-", ""] {
        let r = stack
            .http
            .get(stack.url("/cari"))
            .query(&[("q", q)])
            .send()
            .await
            .expect("search");
        assert_eq!(r.status(), 200, "q of {} chars", q.len());
        assert!(r.text().await.expect("html").contains("id=\"hasil\""));
    }
    let r = stack
        .http
        .get(stack.url("/cari"))
        .query(&[("q", "?!.,;:-")])
        .send()
        .await
        .expect("search");
    assert!(
        r.text()
            .await
            .expect("html")
            .contains("Tidak ada publikasi yang cocok")
    );

    // A typed printed id goes to its verdict page, whatever was pasted around it.
    let r = plain
        .get(stack.url("/cek"))
        .query(&[("kode", " ID unduhan: 2VANRL6Q ")])
        .send()
        .await
        .expect("check");
    assert_eq!(r.status(), 303);
    assert_eq!(header(&r, "location"), "/cek/2VANRL6Q");

    // A protected page sends to sign-in and back; a form without its CSRF token is refused.
    let r = plain
        .get(stack.url("/akun/unduhan?cursor=x"))
        .send()
        .await
        .expect("page");
    assert_eq!(r.status(), 303);
    assert_eq!(
        header(&r, "location"),
        "/masuk?kembali=%2Fakun%2Funduhan%3Fcursor%3Dx"
    );
    let r = plain
        .post(stack.url("/masuk"))
        .form(&[("email", "a@b.id"), ("password", "x")])
        .send()
        .await
        .expect("post");
    assert_eq!(r.status(), 403);
    assert!(
        r.text()
            .await
            .expect("html")
            .contains("Formulir kedaluwarsa")
    );
    let r = plain
        .post(stack.url("/masuk"))
        .header(
            "cookie",
            "pst_csrf=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
        )
        .form(&[
            ("csrf", "BBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBB"),
            ("email", "a@b.id"),
        ])
        .send()
        .await
        .expect("post");
    assert_eq!(
        r.status(),
        403,
        "a token that does not match its cookie is refused"
    );

    // The kiosk's own limit (numbers per address a minute) is a friendly screen, not an error.
    let csrf = "kios".repeat(11);
    let mut last = None;
    for _ in 0..40 {
        let r = plain
            .post(stack.url("/kiosk/1674/ambil"))
            .header("cookie", format!("pst_csrf={csrf}"))
            .form(&[
                ("csrf", csrf.as_str()),
                ("service_type", "perpustakaan"),
                ("device_id", "uji"),
            ])
            .send()
            .await
            .expect("kiosk");
        if r.status() == 200 {
            last = Some(r.text().await.expect("html"));
            break;
        }
        assert_eq!(r.status(), 303, "a number is taken and its ticket shown");
    }
    let friendly = last.expect("the kiosk limit is reached within 40 numbers");
    assert!(
        friendly.contains("Mohon tunggu sebentar") && friendly.contains("Kembali ke awal"),
        "{friendly}"
    );

    // A backend that is down, and a rate limit: pages that say what to do.
    let (_down, base) = gateway_with(
        &stack,
        &[("PST_SERVICES__CATALOGUE_URL", "http://127.0.0.1:9")],
    );
    let r = plain
        .get(format!("{base}/cari?q=inflasi"))
        .send()
        .await
        .expect("page");
    assert_eq!(r.status(), 503);
    assert!(header(&r, "content-type").starts_with("text/html"));
    let text = r.text().await.expect("html");
    assert!(
        text.contains("Layanan sedang tidak tersedia") && text.contains("Coba lagi"),
        "{text}"
    );
    let (_slow, base) = gateway_with(&stack, &[("PST_GATEWAY__RATE_LIMIT_PER_MINUTE", "2")]);
    for _ in 0..2 {
        assert_eq!(
            plain
                .get(format!("{base}/cek"))
                .send()
                .await
                .expect("page")
                .status(),
            200
        );
    }
    let r = plain.get(format!("{base}/cek")).send().await.expect("page");
    assert_eq!(r.status(), 429);
    assert!(!header(&r, "retry-after").is_empty());
    assert!(header(&r, "content-type").starts_with("text/html"));
    assert!(
        r.text()
            .await
            .expect("html")
            .contains("Terlalu banyak permintaan")
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_walk_in_day_at_the_kiosk_the_board_and_the_counter_in_three_browsers() {
    require_tools();
    // The latency run takes 50 numbers from this one address within a minute.
    let stack = spawn_stack_with(&[("PST_VISIT__KIOSK_TICKETS_PER_MINUTE", "1000")]).await;
    run_browser_script(&stack, "walkin", &[("PST_LATENCY_CALLS", "50".to_owned())]);
}
