//! Softcopies through the gateway: uploads of every cross-reference layout, copies stamped
//! on every page (checked with qpdf and pdftotext), reading ranges, verification of a
//! copy brought back, the download log, and the uploads that must be refused.

use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::{Value, json};

use pst_watermark::pdf::sample::{Layout, Sample, generate, page_heading};

use crate::helpers::*;

pub(crate) fn run(cmd: &str, args: &[&str]) -> (bool, String) {
    let out = Command::new(cmd).args(args).output().unwrap_or_else(|e| {
        panic!("{cmd} must be installed (.ci/run installs qpdf and poppler-utils): {e}")
    });
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stdout).into_owned() + &String::from_utf8_lossy(&out.stderr),
    )
}

pub(crate) fn page_text(file: &Path, page: usize) -> String {
    let p = page.to_string();
    let (ok, text) = run(
        "pdftotext",
        &["-f", &p, "-l", &p, &file.display().to_string(), "-"],
    );
    assert!(ok, "pdftotext failed: {text}");
    text
}

pub(crate) fn temp_dir() -> PathBuf {
    let dir = std::env::temp_dir().join(format!("pst-docs-{}", uuid::Uuid::new_v4().simple()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    dir
}

pub(crate) async fn visitor(stack: &Stack, email: &str) -> String {
    let r = stack
        .post("/api/v1/auth/register", &registration(email), None)
        .await;
    assert_eq!(r.status(), 201);
    let token = stack.mailed_token(email, "verifikasi-email").expect("mail");
    stack
        .post(
            "/api/v1/auth/verify-email",
            &json!({ "token": token }),
            None,
        )
        .await;
    stack.token(email, "Baca-Publikasi-2024").await
}

pub(crate) async fn publication(stack: &Stack, lib: &str, title: &str, access: &str) -> String {
    let body = json!({ "office_code": "1674", "title": title, "subject": "kependudukan",
        "language": "id", "year_from": 2023, "year_to": 2023, "access_level": access,
        "abstract": "Publikasi contoh untuk softcopy." });
    let r = stack.post("/api/v1/publications", &body, Some(lib)).await;
    assert_eq!(r.status(), 201);
    r.json::<Value>().await.expect("json")["id"]
        .as_str()
        .expect("id")
        .to_owned()
}

/// A new publication of office 1674 (access level `access`) with `pdf` as its softcopy.
pub(crate) async fn published(
    stack: &Stack,
    lib: &str,
    title: &str,
    access: &str,
    pdf: &[u8],
) -> String {
    let id = publication(stack, lib, title, access).await;
    let r = upload(stack, lib, &id, pdf.to_vec()).await;
    assert_eq!(r.status(), 201, "{title}");
    id
}

pub(crate) async fn upload(
    stack: &Stack,
    token: &str,
    id: &str,
    pdf: Vec<u8>,
) -> reqwest::Response {
    stack
        .http
        .post(stack.url(&format!(
            "/api/v1/publications/{id}/document?filename=contoh.pdf"
        )))
        .bearer_auth(token)
        .header("content-type", "application/pdf")
        .body(pdf)
        .send()
        .await
        .expect("upload")
}

pub(crate) async fn verify(stack: &Stack, token: &str, pdf: Vec<u8>) -> Value {
    let r = stack
        .http
        .post(stack.url("/api/v1/documents/verify"))
        .bearer_auth(token)
        .header("content-type", "application/pdf")
        .body(pdf)
        .send()
        .await
        .expect("verify");
    assert_eq!(r.status(), 200);
    r.json().await.expect("json")
}

/// Every file under the stack's document storage (objects and partial uploads), sorted.
fn stored_files(stack: &Stack) -> Vec<PathBuf> {
    let mut files = Vec::new();
    let mut dirs = vec![stack.outbox.parent().expect("dir").join("documents")];
    while let Some(d) = dirs.pop() {
        for e in std::fs::read_dir(&d).into_iter().flatten().flatten() {
            if e.path().is_dir() {
                dirs.push(e.path());
            } else {
                files.push(e.path());
            }
        }
    }
    files.sort();
    files
}

/// One user's requests for the copies of a publication, through any gateway.
struct Copies<'a> {
    stack: &'a Stack,
    id: &'a str,
    token: &'a str,
}

impl Copies<'_> {
    /// `GET {base}/api/v1/publications/{id}/{path}` (`read` or `download`), with `range`.
    async fn get(
        &self,
        base: &str,
        path: &str,
        range: Option<String>,
    ) -> reqwest::Result<reqwest::Response> {
        let mut req = self
            .stack
            .http
            .get(format!("{base}/api/v1/publications/{}/{path}", self.id))
            .bearer_auth(self.token);
        if let Some(r) = range {
            req = req.header("range", r);
        }
        req.send().await
    }
}

/// A downloaded copy that passed the checks every copy must pass.
struct Checked {
    code: String,
    copy: Vec<u8>,
    file: PathBuf,
    disposition: String,
}

/// Downloads a copy of publication `id` as `user` and checks it: the original bytes
/// untouched at the start, `qpdf --check`, the download id on the first and last page,
/// and the page's own text kept. The copy is written as `<dir>/<name>-copy.pdf`.
async fn download_checked(
    stack: &Stack,
    id: &str,
    user: &str,
    original: &[u8],
    dir: &Path,
    name: &str,
    pages: usize,
) -> Checked {
    let r = stack
        .get(&format!("/api/v1/publications/{id}/download"), Some(user))
        .await;
    assert_eq!(r.status(), 200, "{name}");
    let disposition = r.headers()["content-disposition"]
        .to_str()
        .expect("ascii")
        .to_owned();
    let code = download_id(&r);
    let copy = r.bytes().await.expect("body").to_vec();
    // The copy starts with the base made from the upload, not with the upload itself.
    assert_based_on(&copy, original, name);
    let file = dir.join(format!("{name}-copy.pdf"));
    std::fs::write(&file, &copy).expect("write");
    let (ok, out) = run("qpdf", &["--check", &file.display().to_string()]);
    assert!(ok, "{name}: qpdf --check: {out}");
    for page in [1, pages] {
        let text = page_text(&file, page);
        assert!(
            text.contains(&format!("ID unduhan: {code}")),
            "{name} page {page}: {text}"
        );
        assert!(
            text.contains(&page_heading(page)),
            "{name}: page text kept: {text}"
        );
    }
    Checked {
        code,
        copy,
        file,
        disposition,
    }
}

/// The short id printed on a copy, from its response.
pub(crate) fn download_id(r: &reqwest::Response) -> String {
    r.headers()["x-download-id"]
        .to_str()
        .expect("ascii")
        .to_owned()
}

/// Length of the base a copy starts with (up to its first `%%EOF`).
pub(crate) fn base_len(copy: &[u8]) -> usize {
    copy.windows(6)
        .position(|w| w == b"%%EOF\n")
        .expect("a base with its %%EOF")
        + 6
}

/// `copy` starts with the base of `original`: its tag names the upload, and the upload
/// itself is no prefix (cutting the copy never gives back the unstamped file).
pub(crate) fn assert_based_on(copy: &[u8], original: &[u8], name: &str) {
    use sha2::Digest as _;
    let sha = hex::encode(sha2::Sha256::digest(original));
    assert_eq!(
        pst_watermark::pdf::base::tag_of(&copy[..copy.len().min(512)]),
        Some(sha),
        "{name}: the copy's base names its upload"
    );
    assert!(
        !copy.starts_with(&original[..original.len().min(copy.len())]),
        "{name}"
    );
}

/// Where the stack keeps the base a copy starts with.
pub(crate) fn stored_base(stack: &Stack, copy: &[u8]) -> PathBuf {
    use sha2::Digest as _;
    let sha = hex::encode(sha2::Sha256::digest(&copy[..base_len(copy)]));
    stack
        .outbox
        .parent()
        .expect("dir")
        .join(format!("documents/documents/{sha}.pdf"))
}

/// Where the stack keeps the stored file of `original`.
pub(crate) fn stored_file(stack: &Stack, original: &[u8]) -> PathBuf {
    use sha2::Digest as _;
    let sha = hex::encode(sha2::Sha256::digest(original));
    stack
        .outbox
        .parent()
        .expect("dir")
        .join(format!("documents/documents/{sha}.pdf"))
}

/// How many copies `user` has been issued (downloads and reading sessions).
async fn copies_issued(stack: &Stack, user: &str) -> usize {
    let v: Value = stack
        .get("/api/v1/me/downloads?limit=100", Some(user))
        .await
        .json()
        .await
        .expect("json");
    v["items"].as_array().map_or(0, Vec::len)
}

/// Replaces `from` with `to` (same length) once in `bytes`.
fn patch(bytes: &mut [u8], from: &[u8], to: &[u8]) {
    assert_eq!(from.len(), to.len());
    let at = bytes
        .windows(from.len())
        .rposition(|w| w == from)
        .expect("pattern present");
    bytes[at..at + to.len()].copy_from_slice(to);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_layout_is_stamped_on_every_page_and_traced_back() {
    let stack = spawn_stack().await;
    let lib = stack.token("pustakawan@pst.test", DEMO_PASSWORD).await;
    let email = "pembaca.softcopy@example.id";
    let user = visitor(&stack, email).await;
    let dir = temp_dir();

    let pages = 12;
    let table = generate(
        &Sample::new("Kota Lubuklinggau Dalam Angka 2024", pages, Layout::Table).with_images(3000),
    );
    let plain = dir.join("plain.pdf");
    std::fs::write(&plain, &table).expect("write");
    let lin = dir.join("linearized.pdf");
    let (ok, out) = run(
        "qpdf",
        &[
            "--linearize",
            &plain.display().to_string(),
            &lin.display().to_string(),
        ],
    );
    assert!(ok, "{out}");
    let layouts: Vec<(&str, Vec<u8>, &str)> = vec![
        ("table", table.clone(), "table"),
        (
            "xref-stream",
            generate(&Sample::new(
                "Statistik Daerah Kota Lubuklinggau 2024",
                pages,
                Layout::XrefStream,
            )),
            "stream",
        ),
        (
            "object-streams",
            generate(
                &Sample::new(
                    "Indeks Pembangunan Manusia Kota Lubuklinggau 2023",
                    pages,
                    Layout::ObjectStreams,
                )
                .with_images(2000),
            ),
            "stream",
        ),
        ("linearized", std::fs::read(&lin).expect("read"), "table"),
    ];

    let mut first_copy = None;
    for (name, original, kind) in layouts {
        let id = publication(&stack, &lib, &format!("Softcopy {name}"), "public").await;
        let r = upload(&stack, &lib, &id, original.clone()).await;
        assert_eq!(r.status(), 201, "{name}");
        let doc: Value = r.json().await.expect("json");
        assert_eq!(doc["pages"], pages as u64, "{name}");
        assert_eq!(doc["xref_kind"], kind, "{name}");
        assert_eq!(doc["linearized"], name == "linearized", "{name}");
        // The same file again for the same publication: nothing new.
        let again = upload(&stack, &lib, &id, original.clone()).await;
        assert_eq!(again.status(), 200);
        assert_eq!(
            again.json::<Value>().await.expect("json")["duplicate"],
            true
        );

        let Checked {
            code,
            copy,
            file,
            disposition,
        } = download_checked(&stack, &id, &user, &original, &dir, name, pages).await;
        assert!(disposition.starts_with("attachment;"), "{disposition}");
        for page in [1, pages] {
            let text = page_text(&file, page);
            assert!(text.contains("tidak untuk diperjualbelikan"), "{text}");
            assert!(text.contains(email) && text.contains("WIB"), "{text}");
        }
        // Every line of the original page is still there.
        let orig_file = dir.join(format!("{name}.pdf"));
        std::fs::write(&orig_file, &original).expect("write");
        let before = page_text(&orig_file, 7);
        let after = page_text(&file, 7);
        for line in before.lines().filter(|l| !l.trim().is_empty()) {
            assert!(after.contains(line), "{name}: line {line:?} lost");
        }

        let v = verify(&stack, &lib, copy.clone()).await;
        assert_eq!(v["verdict"], "intact", "{name}: {v}");
        assert_eq!(v["download"]["code"], code);
        assert_eq!(v["download"]["user_email"], email);
        if first_copy.is_none() {
            first_copy = Some((id.clone(), copy, code));
        }
    }

    let (id, copy, code) = first_copy.expect("a copy");
    // A forged mark: one character of the signature changed.
    let mut forged = copy.clone();
    let sig_at = forged
        .windows(9)
        .rposition(|w| w == b"/PSTMark ")
        .expect("mark");
    forged[sig_at + 10] = if forged[sig_at + 10] == b'0' {
        b'1'
    } else {
        b'0'
    };
    let v = verify(&stack, &lib, forged).await;
    assert_eq!(v["verdict"], "forged", "{v}");
    // The machine-readable mark stripped: found by the printed id.
    let mut stripped = copy.clone();
    patch(&mut stripped, b"/PSTDownloadId", b"/XXXDownloadId");
    let v = verify(&stack, &lib, stripped).await;
    assert_eq!(v["verdict"], "stripped", "{v}");
    assert_eq!(v["download"]["code"], code);
    // A PDF that never left the service.
    let v = verify(&stack, &lib, table.clone()).await;
    assert_eq!(v["verdict"], "unknown", "{v}");
    // Visitors may not verify.
    let r = stack
        .http
        .post(stack.url("/api/v1/documents/verify"))
        .bearer_auth(&user)
        .header("content-type", "application/pdf")
        .body(copy.clone())
        .send()
        .await
        .expect("verify");
    problem(r, 403, "FORBIDDEN").await;

    // Public check of the printed id: genuine, no personal data.
    let r = stack
        .get(&format!("/api/v1/documents/verify/{code}"), None)
        .await;
    let body = r.text().await.expect("text");
    assert!(
        body.contains("\"valid\":true") && !body.contains(email),
        "{body}"
    );
    // An id is letters and digits exactly, as the contract says: nothing is trimmed.
    for bad in ["%0Ak", "%20abc", "abc%20", "ab-cd", "A1B2C3D4E5F6G7H8I"] {
        let r = stack
            .get(&format!("/api/v1/documents/verify/{bad}"), None)
            .await;
        problem(r, 422, "VALIDATION_FAILED").await;
    }

    // Reading: inline, ranges, the same bytes on every request of the day.
    let read = |range: Option<&'static str>| {
        let mut req = stack
            .http
            .get(stack.url(&format!("/api/v1/publications/{id}/read")))
            .bearer_auth(&user);
        if let Some(r) = range {
            req = req.header("range", r);
        }
        req.send()
    };
    let full = read(None).await.expect("read");
    assert_eq!(full.status(), 200);
    assert!(
        full.headers()["content-disposition"]
            .to_str()
            .expect("ascii")
            .starts_with("inline")
    );
    let etag = full.headers()["etag"].clone();
    let full = full.bytes().await.expect("body");
    let part = read(Some("bytes=100-199")).await.expect("read");
    assert_eq!(part.status(), 206);
    assert_eq!(part.headers()["etag"], etag);
    assert_eq!(
        part.headers()["content-range"].to_str().expect("ascii"),
        format!("bytes 100-199/{}", full.len())
    );
    assert_eq!(part.bytes().await.expect("body"), full.slice(100..200));
    let tail = read(Some("bytes=-2000")).await.expect("read");
    assert_eq!(tail.status(), 206);
    assert_eq!(
        tail.bytes().await.expect("body"),
        full.slice(full.len() - 2000..)
    );
    let r = read(Some("bytes=999999999-")).await.expect("read");
    assert_eq!(r.status(), 416);
    // An end before the start: the header is ignored, the whole copy is sent.
    assert_eq!(read(Some("bytes=9-3")).await.expect("read").status(), 200);

    let mine: Value = stack
        .get("/api/v1/me/downloads?limit=2", Some(&user))
        .await
        .json()
        .await
        .expect("json");
    assert_eq!(mine["items"].as_array().expect("items").len(), 2);
    assert!(!mine["next_cursor"].as_str().expect("cursor").is_empty());
    let rest: Value = stack
        .get(
            &format!(
                "/api/v1/me/downloads?limit=100&cursor={}",
                mine["next_cursor"].as_str().expect("c")
            ),
            Some(&user),
        )
        .await
        .json()
        .await
        .expect("json");
    // Four downloads and one reading session.
    assert_eq!(rest["items"].as_array().expect("items").len(), 3);
    assert!(mine["items"][0]["kind"] == "read");

    // The reader rates the reading session (SKM), once; nobody else can rate it.
    let session = mine["items"][0]["id"].as_str().expect("id").to_owned();
    let scores: serde_json::Map<String, Value> =
        (1..=9).map(|i| (format!("U{i}"), json!(4))).collect();
    let body = json!({ "download_id": session, "scores": scores,
        "profile": { "sex": "P", "age_group": "20-29", "education": "D4/S1", "occupation": "Pelajar/Mahasiswa" } });
    assert_eq!(
        stack
            .post("/api/v1/skm/responses", &body, Some(&user))
            .await
            .status(),
        201
    );
    problem(
        stack
            .post("/api/v1/skm/responses", &body, Some(&user))
            .await,
        409,
        "ALREADY_RATED",
    )
    .await;
    let other = visitor(&stack, "pembaca.lain@example.id").await;
    problem(
        stack
            .post("/api/v1/skm/responses", &body, Some(&other))
            .await,
        404,
        "DOWNLOAD_NOT_FOUND",
    )
    .await;
    problem(
        stack.post("/api/v1/skm/responses", &body, None).await,
        401,
        "UNAUTHENTICATED",
    )
    .await;

    // The stored upload and its base are gone: data loss (500 with its own code, not "try
    // again"), and no log row for a copy that was never sent.
    // The first publication's file is the table layout's original.
    let file = stored_file(&stack, &table);
    let hidden = file.with_extension("hidden");
    std::fs::rename(&file, &hidden).expect("hide the stored file");
    let base_file = stored_base(&stack, &copy);
    let base_hidden = base_file.with_extension("hidden");
    std::fs::rename(&base_file, &base_hidden).expect("hide the stored base");
    let before = copies_issued(&stack, &user).await;
    problem(
        stack
            .get(&format!("/api/v1/publications/{id}/download"), Some(&user))
            .await,
        500,
        "DOCUMENT_FILE_MISSING",
    )
    .await;
    assert_eq!(copies_issued(&stack, &user).await, before);
    std::fs::rename(&hidden, &file).expect("restore");
    std::fs::rename(&base_hidden, &base_file).expect("restore");
    // Downloads are never partial: each request is a new copy.
    let r = stack
        .http
        .get(stack.url(&format!("/api/v1/publications/{id}/download")))
        .bearer_auth(&user)
        .header("range", "bytes=0-99")
        .send()
        .await
        .expect("download");
    assert_eq!(r.status(), 200);
    assert_eq!(r.headers()["accept-ranges"], "none");
    assert!(r.bytes().await.expect("body").len() > 100);
    let _ = std::fs::remove_dir_all(dir);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bad_uploads_are_refused_and_nothing_is_stored() {
    let stack = spawn_stack_with(&[
        ("PST_WATERMARK__MAX_UPLOAD_BYTES", "3000000"),
        ("PST_WATERMARK__MAX_STREAM_INFLATED_MIB", "4"),
    ])
    .await;
    let lib = stack.token("pustakawan@pst.test", DEMO_PASSWORD).await;
    let id = publication(&stack, &lib, "Publikasi Uji Unggah", "public").await;
    let good = generate(&Sample::new("Uji", 3, Layout::Table));
    // The demo softcopies are there from the start: each upload and its base.
    let demo_files = stored_files(&stack);
    assert_eq!(demo_files.len(), 2 * pst_kit::demo::SOFTCOPIES.len());

    let with = |f: &dyn Fn(&mut Sample)| {
        let mut s = Sample::new("Uji", 3, Layout::XrefStream);
        f(&mut s);
        generate(&s)
    };
    let mut broken_xref = good.clone();
    let at = broken_xref
        .windows(9)
        .rposition(|w| w == b"startxref")
        .expect("startxref")
        + 10;
    broken_xref[at] = b'9';
    broken_xref.insert(at, b'9');
    let cases: Vec<(&str, Vec<u8>, u16, &str)> = vec![
        (
            "not a pdf",
            b"Ini bukan PDF, hanya teks biasa yang cukup panjang.".to_vec(),
            422,
            "NOT_A_PDF",
        ),
        (
            "truncated",
            good[..good.len() / 2].to_vec(),
            422,
            "PDF_TRUNCATED",
        ),
        ("broken xref", broken_xref, 422, "PDF_BROKEN_XREF"),
        (
            "encrypted",
            with(&|s| s.encrypted = true),
            422,
            "PDF_ENCRYPTED",
        ),
        (
            "page tree loop",
            with(&|s| s.tree_loop = true),
            422,
            "PDF_PAGE_TREE_LOOP",
        ),
        ("no pages", with(&|s| s.pages = 0), 422, "PDF_NO_PAGES"),
        (
            "javascript",
            with(&|s| s.catalog_extra = "/OpenAction<</S/JavaScript/JS(app.alert\\(1\\))>>".into()),
            422,
            "PDF_ACTIVE_CONTENT",
        ),
        (
            "bomb",
            with(&|s| s.bomb_bytes = 16 << 20),
            422,
            "PDF_DECOMPRESSION_BOMB",
        ),
        // "Too large" is checked below with a raw request: sent through a client here, the
        // gateway's early 413 races the client's writes (a broken pipe under load).
    ];
    for (name, bytes, status, code) in cases {
        let r = upload(&stack, &lib, &id, bytes).await;
        assert_eq!(r.status().as_u16(), status, "{name}");
        problem(r, status, code).await;
    }
    // Too large: refused from the declared length, before the body is read. (A raw
    // request, so the test reads the answer instead of racing the upload's writes.)
    {
        use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};
        let addr = stack.base.trim_start_matches("http://").to_owned();
        let mut tcp = tokio::net::TcpStream::connect(&addr)
            .await
            .expect("connect");
        let head = format!(
            "POST /api/v1/publications/{id}/document HTTP/1.1\r\nHost: {addr}\r\nAuthorization: Bearer {lib}\r\nContent-Type: application/pdf\r\nContent-Length: 4000000\r\n\r\n%PDF-1.7\n"
        );
        tcp.write_all(head.as_bytes()).await.expect("write");
        let mut answer = vec![0u8; 4096];
        let n = tcp.read(&mut answer).await.expect("read");
        let answer = String::from_utf8_lossy(&answer[..n]);
        assert!(answer.starts_with("HTTP/1.1 413"), "{answer}");
        assert!(answer.contains("DOCUMENT_TOO_LARGE"), "{answer}");
    }
    // Too large without a declared length: counted as it streams.
    let big = generate(&Sample::new("Besar", 80, Layout::Table).with_images(48_000));
    let pieces: Vec<Result<Vec<u8>, std::io::Error>> =
        big.chunks(64 * 1024).map(|c| Ok(c.to_vec())).collect();
    // A client of its own: the gateway closes a connection whose body it stopped reading,
    // and the shared client must not reuse it.
    let once = reqwest::Client::builder()
        .pool_max_idle_per_host(0)
        .build()
        .expect("client");
    let r = once
        .post(stack.url(&format!("/api/v1/publications/{id}/document")))
        .bearer_auth(&lib)
        .header("content-type", "application/pdf")
        .body(reqwest::Body::wrap_stream(futures::stream::iter(pieces)))
        .send()
        .await;
    // The gateway answers 413 as soon as the limit passes; the client may still be
    // writing and see the connection close instead.
    if let Ok(r) = r {
        problem(r, 413, "DOCUMENT_TOO_LARGE").await;
    }
    // Not declared as a PDF.
    let r = stack
        .http
        .post(stack.url(&format!("/api/v1/publications/{id}/document")))
        .bearer_auth(&lib)
        .header("content-type", "text/plain")
        .body(good.clone())
        .send()
        .await
        .expect("upload");
    problem(r, 415, "UNSUPPORTED_MEDIA_TYPE").await;
    // A visitor, and a librarian's upload cut off mid-stream.
    let user = visitor(&stack, "bukan.pustakawan@example.id").await;
    problem(
        upload(&stack, &user, &id, good.clone()).await,
        403,
        "FORBIDDEN",
    )
    .await;
    let pieces: Vec<Result<Vec<u8>, std::io::Error>> = vec![
        Ok(good[..good.len() / 2].to_vec()),
        Err(std::io::Error::other("client gone")),
    ];
    let cut = once
        .post(stack.url(&format!("/api/v1/publications/{id}/document")))
        .bearer_auth(&lib)
        .header("content-type", "application/pdf")
        .body(reqwest::Body::wrap_stream(futures::stream::iter(pieces)))
        .send()
        .await;
    if let Ok(r) = cut {
        assert!(r.status().is_client_error(), "{}", r.status());
    }

    // Nothing stored anywhere: no object, no partial file, no link in the catalogue. (The
    // cut-off upload's partial file goes when the service sees the call cancelled.)
    for _ in 0..100 {
        if stored_files(&stack) == demo_files {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert_eq!(stored_files(&stack), demo_files, "left behind");
    let p: Value = stack
        .get(&format!("/api/v1/publications/{id}"), Some(&lib))
        .await
        .json()
        .await
        .expect("json");
    assert_eq!(p["has_digital"], false, "{p}");

    // The good file is then accepted.
    assert_eq!(upload(&stack, &lib, &id, good).await.status(), 201);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn copies_follow_the_publication_access_level() {
    let stack = spawn_stack().await;
    let lib = stack.token("pustakawan@pst.test", DEMO_PASSWORD).await;
    let staff_only = published(
        &stack,
        &lib,
        "Bahan Internal Staf",
        "staff",
        &generate(&Sample::new("Internal", 2, Layout::Table)),
    )
    .await;
    let user = visitor(&stack, "pengunjung.akses@example.id").await;
    let path = format!("/api/v1/publications/{staff_only}/download");
    problem(stack.get(&path, None).await, 401, "UNAUTHENTICATED").await;
    problem(
        stack.get(&path, Some(&user)).await,
        404,
        "PUBLICATION_NOT_FOUND",
    )
    .await;
    let fo = stack.token("fo@pst.test", DEMO_PASSWORD).await;
    assert_eq!(stack.get(&path, Some(&fo)).await.status(), 200);
    // The demo catalogue comes with softcopies.
    let (demo, _, title) = pst_kit::demo::SOFTCOPIES[0];
    let p: Value = stack
        .get(&format!("/api/v1/publications/{demo}"), None)
        .await
        .json()
        .await
        .expect("json");
    assert_eq!(
        (p["title"].as_str(), p["has_digital"].as_bool()),
        (Some(title), Some(true))
    );
    let r = stack
        .get(
            &format!("/api/v1/publications/{demo}/download"),
            Some(&user),
        )
        .await;
    assert_eq!(r.status(), 200);
    let demo_copy = r.bytes().await.expect("body").to_vec();
    assert!(demo_copy.starts_with(b"%PDF-"));
    // A publication without a softcopy.
    let none = publication(&stack, &lib, "Tanpa Softcopy", "public").await;
    problem(
        stack
            .get(
                &format!("/api/v1/publications/{none}/download"),
                Some(&user),
            )
            .await,
        404,
        "DOCUMENT_NOT_AVAILABLE",
    )
    .await;
    // The visitor's own log holds the demo copy and nothing of the refused ones; the staff
    // member's holds one.
    let mine: Value = stack
        .get("/api/v1/me/downloads", Some(&user))
        .await
        .json()
        .await
        .expect("json");
    assert_eq!(mine["items"].as_array().expect("items").len(), 1);
    let theirs: Value = stack
        .get("/api/v1/me/downloads", Some(&fo))
        .await
        .json()
        .await
        .expect("json");
    assert_eq!(theirs["items"][0]["kind"], "download");

    // A librarian of another office: no upload to office 1674's publication, and a
    // verdict on its copy without the downloader's personal data.
    let admin = stack.token("admin@pst.test", DEMO_PASSWORD).await;
    let r = stack
        .http
        .put(stack.url("/api/v1/admin/offices/1601"))
        .bearer_auth(&admin)
        .json(&json!({ "name": "BPS Kabupaten Ogan Komering Ulu", "time_zone": "Asia/Jakarta" }))
        .send()
        .await
        .expect("office");
    assert!(r.status().is_success(), "{}", r.status());
    let body = json!({ "full_name": "Pustakawan OKU", "email": "pustakawan.1601@pst.test",
        "password": DEMO_PASSWORD, "role": "librarian", "office_code": "1601" });
    assert_eq!(
        stack
            .post("/api/v1/admin/staff", &body, Some(&admin))
            .await
            .status(),
        201
    );
    let other = stack.token("pustakawan.1601@pst.test", DEMO_PASSWORD).await;
    let pdf = generate(&Sample::new("Lain", 2, Layout::Table));
    problem(upload(&stack, &other, &none, pdf).await, 403, "FORBIDDEN").await;
    let v = verify(&stack, &other, demo_copy.clone()).await;
    assert_eq!(v["verdict"], "intact", "{v}");
    assert_eq!(v["download"]["user_email"], "", "{v}");
    let v = verify(&stack, &lib, demo_copy).await;
    assert_eq!(
        v["download"]["user_email"], "pengunjung.akses@example.id",
        "{v}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn without_its_database_no_copy_is_served() {
    let stack = spawn_stack().await;
    let lib = stack.token("pustakawan@pst.test", DEMO_PASSWORD).await;
    let id = published(
        &stack,
        &lib,
        "Publikasi Uji Basis Data",
        "public",
        &generate(&Sample::new("Uji", 2, Layout::Table)),
    )
    .await;
    let user = visitor(&stack, "pembaca.db@example.id").await;
    let path = format!("/api/v1/publications/{id}/download");
    assert_eq!(stack.get(&path, Some(&user)).await.status(), 200);

    // The stack's databases are pst_t_<id>_*, <id> as in its folder's name.
    let dir = stack
        .outbox
        .parent()
        .expect("dir")
        .file_name()
        .expect("name");
    let prefix = dir.to_string_lossy().replace("pst-e2e-", "pst_t_");
    let db = format!("{prefix}_watermark");
    let server = std::env::var("PST_TEST_DATABASE_URL")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432".into());
    let admin = sqlx::PgPool::connect(&format!("{server}/postgres"))
        .await
        .expect("admin");
    // Take the database away: end its connections and rename it.
    let mut renamed = false;
    for _ in 0..50 {
        let _ = sqlx::query(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1",
        )
        .bind(&db)
        .execute(&admin)
        .await;
        if sqlx::query(sqlx::AssertSqlSafe(format!(
            r#"ALTER DATABASE "{db}" RENAME TO "{db}_off""#
        )))
        .execute(&admin)
        .await
        .is_ok()
        {
            renamed = true;
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    assert!(renamed, "could not take {db} away");
    let r = stack.get(&path, Some(&user)).await;
    problem(r, 503, "DATABASE_UNAVAILABLE").await;
    sqlx::query(sqlx::AssertSqlSafe(format!(
        r#"ALTER DATABASE "{db}_off" RENAME TO "{db}""#
    )))
    .execute(&admin)
    .await
    .expect("rename back");
    // Back: the refused request left no log row; one download is listed.
    let mine: Value = stack
        .get("/api/v1/me/downloads", Some(&user))
        .await
        .json()
        .await
        .expect("json");
    assert_eq!(mine["items"].as_array().map(Vec::len), Some(1), "{mine}");
}

/// Both ways a gateway can send copies — the watermark service streaming every byte over
/// gRPC, or the gateway reading the stored original itself — send the same bytes, ranges
/// included, and fail the same way when storage fails.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn streamed_and_direct_delivery_send_the_same_copy() {
    // `pst all` delivers directly (auto); two more gateways choose explicitly.
    let stack = spawn_stack().await;
    let (_s, streamed) = stack
        .extra_gateway(&[("PST_GATEWAY__DOCUMENT_DELIVERY", "stream")])
        .await;
    let (_d, direct) = stack
        .extra_gateway(&[("PST_GATEWAY__DOCUMENT_DELIVERY", "direct")])
        .await;
    let gateways = [stack.base.clone(), streamed.clone(), direct];
    let lib = stack.token("pustakawan@pst.test", DEMO_PASSWORD).await;
    let original = generate(&Sample::new("Dua Jalur", 6, Layout::XrefStream).with_images(2000));
    let id = published(&stack, &lib, "Softcopy dua jalur", "public", &original).await;
    let user = visitor(&stack, "pembaca.dua.jalur@example.id").await;

    let copies = Copies {
        stack: &stack,
        id: &id,
        token: &user,
    };
    // Today's reading session: the same bytes through every gateway.
    let mut whole = Vec::new();
    for base in &gateways {
        let r = copies.get(base, "read", None).await.expect("read");
        assert_eq!(r.status(), 200, "{base}");
        whole.push(r.bytes().await.expect("body"));
    }
    assert!(whole.iter().all(|w| w == &whole[0]), "identical copies");
    let copy = whole[0].clone();
    assert_based_on(&copy, &original, "dua jalur");
    let n = base_len(&copy);
    // Ranges in the base, across its end into the per-copy bytes, wholly in the per-copy
    // bytes, and a suffix.
    for (from, to) in [(100, 199), (n - 50, n + 49), (n + 10, n + 20)] {
        for base in &gateways {
            let r = copies
                .get(base, "read", Some(format!("bytes={from}-{to}")))
                .await
                .expect("range");
            assert_eq!(r.status(), 206, "{base} {from}-{to}");
            assert_eq!(
                r.headers()["content-range"].to_str().expect("ascii"),
                format!("bytes {from}-{to}/{}", copy.len())
            );
            assert_eq!(r.bytes().await.expect("body"), copy.slice(from..to + 1));
        }
    }
    for base in &gateways {
        let r = copies
            .get(base, "read", Some("bytes=-700".into()))
            .await
            .expect("suffix");
        assert_eq!(
            r.bytes().await.expect("body"),
            copy.slice(copy.len() - 700..)
        );
        let r = copies
            .get(base, "read", Some(format!("bytes={}-", copy.len())))
            .await
            .expect("past the end");
        assert_eq!(r.status(), 416, "{base}");
    }

    // A streamed download is a valid, stamped copy too.
    let r = copies
        .get(&streamed, "download", None)
        .await
        .expect("download");
    assert_eq!(r.status(), 200);
    let code = download_id(&r);
    let dir = temp_dir();
    let file = dir.join("streamed.pdf");
    std::fs::write(&file, r.bytes().await.expect("body")).expect("write");
    let (ok, out) = run("qpdf", &["--check", &file.display().to_string()]);
    assert!(ok, "qpdf --check: {out}");
    assert!(page_text(&file, 6).contains(&format!("ID unduhan: {code}")));

    // The upload and its base gone from storage: data loss from every gateway (the
    // watermark service checks before it logs), and no log row.
    let stored = stored_file(&stack, &original);
    let hidden = stored.with_extension("hidden");
    std::fs::rename(&stored, &hidden).expect("hide the stored file");
    let base_file = stored_base(&stack, &copy);
    let base_hidden = base_file.with_extension("hidden");
    std::fs::rename(&base_file, &base_hidden).expect("hide the stored base");
    let before = copies_issued(&stack, &user).await;
    for base in &gateways {
        let r = copies.get(base, "download", None).await.expect("download");
        problem(r, 500, "DOCUMENT_FILE_MISSING").await;
    }
    assert_eq!(copies_issued(&stack, &user).await, before);
    std::fs::rename(&hidden, &stored).expect("restore");
    std::fs::rename(&base_hidden, &base_file).expect("restore");

    // A direct gateway reads its own storage: given an empty folder, it cannot send the
    // original (503, not the client's fault) though the service's storage has it; with
    // the folder gone it is not ready.
    let empty = dir.join("empty");
    std::fs::create_dir_all(&empty).expect("empty folder");
    let (_e, blind) = stack
        .extra_gateway(&[
            ("PST_GATEWAY__DOCUMENT_DELIVERY", "direct"),
            ("PST_WATERMARK__STORAGE_DIR", empty.to_str().expect("utf-8")),
        ])
        .await;
    let r = copies
        .get(&blind, "download", None)
        .await
        .expect("download");
    problem(r, 503, "STORAGE_UNAVAILABLE").await;
    std::fs::remove_dir(&empty).expect("remove");
    let r = stack
        .http
        .get(format!("{blind}/readyz"))
        .send()
        .await
        .expect("readyz");
    assert_eq!(r.status(), 503);
    let body = r.text().await.expect("text");
    assert!(body.contains("document-storage"), "{body}");

    // A direct gateway without its storage folder refuses to start, and says why.
    let mut env = stack.env.clone();
    env.push(("PST_GATEWAY__DOCUMENT_DELIVERY".into(), "direct".into()));
    env.push((
        "PST_WATERMARK__STORAGE_DIR".into(),
        dir.join("not-mounted").display().to_string(),
    ));
    let mut proc = spawn_pst_with_stderr(&["gateway"], &env, "warn", std::process::Stdio::piped());
    let start = std::time::Instant::now();
    let status = loop {
        if let Some(s) = proc.child.try_wait().expect("wait") {
            break s;
        }
        assert!(
            start.elapsed() < std::time::Duration::from_secs(30),
            "a direct gateway without its storage folder kept running"
        );
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    };
    assert!(!status.success());
    let mut err = String::new();
    std::io::Read::read_to_string(&mut proc.child.stderr.take().expect("stderr"), &mut err)
        .expect("stderr");
    assert!(err.contains("not-mounted"), "{err}");
    let _ = std::fs::remove_dir_all(dir);
}

/// A page rendered by poppler as a viewer shows it (after `/Rotate`): width, height and
/// grey pixels, row by row from the top.
fn render(file: &Path, page: usize, out: &Path) -> (usize, usize, Vec<u8>) {
    let p = page.to_string();
    let (ok, msg) = run(
        "pdftoppm",
        &[
            "-r",
            "36",
            "-gray",
            "-singlefile",
            "-f",
            &p,
            "-l",
            &p,
            &file.display().to_string(),
            &out.display().to_string(),
        ],
    );
    assert!(ok, "pdftoppm: {msg}");
    let pgm = std::fs::read(out.with_extension("pgm")).expect("pgm");
    // P5 <width> <height> <maxval>, one whitespace byte, then the pixels.
    let mut fields = Vec::new();
    let mut at = 0;
    while fields.len() < 4 {
        while pgm[at].is_ascii_whitespace() {
            at += 1;
        }
        let start = at;
        while !pgm[at].is_ascii_whitespace() {
            at += 1;
        }
        fields.push(String::from_utf8_lossy(&pgm[start..at]).into_owned());
    }
    assert_eq!(fields[0], "P5");
    let (w, h): (usize, usize) = (fields[1].parse().expect("w"), fields[2].parse().expect("h"));
    (w, h, pgm[at + 1..at + 1 + w * h].to_vec())
}

/// Inked (not white) pixels in the `cols` x `rows` rectangle whose top-left pixel is (`x`, `y`).
fn ink(
    (w, _, px): &(usize, usize, Vec<u8>),
    (x, y): (usize, usize),
    (cols, rows): (usize, usize),
) -> usize {
    (y..y + rows)
        .flat_map(|r| (x..x + cols).map(move |c| (r, c)))
        .filter(|&(r, c)| px[r * w + c] < 224)
        .count()
}

/// Pages shown rotated (landscape tables) get the stamp along the bottom edge as shown,
/// not along the edge that is the bottom before rotation.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn rotated_pages_are_stamped_along_their_displayed_bottom_edge() {
    let stack = spawn_stack().await;
    let lib = stack.token("pustakawan@pst.test", DEMO_PASSWORD).await;
    let sample = Sample::new("Tabel Lanskap", 8, Layout::Table).with_rotations();
    let original = generate(&sample);
    let id = published(&stack, &lib, "Tabel lanskap", "public", &original).await;
    let user = visitor(&stack, "pembaca.lanskap@example.id").await;
    let r = stack
        .get(&format!("/api/v1/publications/{id}/download"), Some(&user))
        .await;
    assert_eq!(r.status(), 200);
    let code = download_id(&r);
    let dir = temp_dir();
    let (orig_file, copy_file) = (dir.join("orig.pdf"), dir.join("copy.pdf"));
    std::fs::write(&orig_file, &original).expect("write");
    std::fs::write(&copy_file, r.bytes().await.expect("body")).expect("write");
    let (ok, out) = run("qpdf", &["--check", &copy_file.display().to_string()]);
    assert!(ok, "qpdf --check: {out}");
    // Pages 1-4 are shown at 0, 180, 270 (as -90) and 90 (inherited) degrees.
    for page in 1..=4 {
        let before = render(&orig_file, page, &dir.join(format!("o{page}")));
        let after = render(&copy_file, page, &dir.join(format!("c{page}")));
        let (w, h) = (after.0, after.1);
        assert_eq!((w, h), (before.0, before.1));
        let rot = sample.rotation(page);
        assert_eq!(w > h, rot % 180 == 90, "page {page} shown at {rot} degrees");
        // The QR code (30 pt, 8 pt from the corner): in the displayed bottom-left corner.
        let side = 24;
        let new_ink = |at: (usize, usize), size: (usize, usize)| {
            ink(&after, at, size).saturating_sub(ink(&before, at, size))
        };
        assert!(
            new_ink((0, h - side), (side, side)) > 20,
            "page {page} ({rot} degrees): no stamp in the displayed bottom-left corner"
        );
        // The text runs to the right along the bottom edge, not up the left one.
        assert!(
            new_ink((side, h - 20), (80, 20)) > 20,
            "page {page} ({rot} degrees): no stamp text along the displayed bottom edge"
        );
        assert_eq!(
            new_ink((0, h - side - 100), (side, 100)),
            0,
            "page {page} ({rot} degrees): stamp ink up the left edge"
        );
        // And nothing in the top corners.
        for at in [(0, 0), (w - side, 0)] {
            assert_eq!(
                new_ink(at, (side, side)),
                0,
                "page {page} ({rot} degrees): stamp ink at {at:?}"
            );
        }
        assert!(page_text(&copy_file, page).contains(&format!("ID unduhan: {code}")));
    }
    let _ = std::fs::remove_dir_all(dir);
}

/// An S3-compatible server for the storage test: moto's (PyPI `moto[server]`, installed
/// by scripts/test), on a free port, stopped when dropped. S3 is the one part of a
/// deployment that cannot run here for real; the adapter talking to it is the real one.
struct S3Server {
    child: std::process::Child,
    endpoint: String,
}

impl Drop for S3Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn s3_server() -> S3Server {
    let bin = std::env::var("PST_TEST_S3_SERVER").unwrap_or_else(|_| "moto_server".into());
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("free port")
        .port();
    let child = Command::new(&bin)
        .args(["-H", "127.0.0.1", "-p", &port.to_string()])
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap_or_else(|e| {
            panic!("{bin} must be installed (scripts/test installs moto[server]): {e}")
        });
    let server = S3Server {
        child,
        endpoint: format!("http://127.0.0.1:{port}"),
    };
    let start = std::time::Instant::now();
    while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(
            start.elapsed() < std::time::Duration::from_secs(30),
            "the S3 server did not start"
        );
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
    server
}

/// Softcopies in an S3-compatible bucket under a prefix: stored there (in parts), sent
/// by both delivery modes, and a bucket that goes away is a 503 without a log row.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn documents_can_live_in_an_s3_bucket() {
    let s3 = tokio::task::block_in_place(s3_server);
    let http = reqwest::Client::new();
    let bucket = format!("{}/pst-documents", s3.endpoint);
    let made = http.put(&bucket).send().await.expect("create bucket");
    assert!(made.status().is_success(), "{}", made.status());
    let stack = spawn_stack_with(&[
        ("PST_WATERMARK__STORAGE_URL", "s3://pst-documents/1674"),
        ("AWS_ENDPOINT", &s3.endpoint),
        ("AWS_ALLOW_HTTP", "true"),
        ("AWS_ACCESS_KEY_ID", "pst-test"),
        ("AWS_SECRET_ACCESS_KEY", "pst-test-secret"),
        ("AWS_REGION", "us-east-1"),
    ])
    .await;
    let (_s, streamed) = stack
        .extra_gateway(&[("PST_GATEWAY__DOCUMENT_DELIVERY", "stream")])
        .await;
    let lib = stack.token("pustakawan@pst.test", DEMO_PASSWORD).await;
    // Over 5 MiB: stored in more than one part.
    let original = generate(&Sample::new("Bucket", 8, Layout::ObjectStreams).with_images(800_000));
    assert!(original.len() > 6 << 20);
    let id = published(&stack, &lib, "Softcopy di bucket", "public", &original).await;
    let sha = {
        use sha2::Digest as _;
        hex::encode(sha2::Sha256::digest(&original))
    };
    let listing = http
        .get(format!("{bucket}?list-type=2&prefix=1674/"))
        .send()
        .await
        .expect("list")
        .text()
        .await
        .expect("text");
    assert!(
        listing.contains(&format!("<Key>1674/documents/{sha}.pdf</Key>")),
        "{listing}"
    );
    let user = visitor(&stack, "pembaca.bucket@example.id").await;
    let copies = Copies {
        stack: &stack,
        id: &id,
        token: &user,
    };
    let direct = copies.get(&stack.base, "read", None).await.expect("read");
    assert_eq!(direct.status(), 200);
    let direct = direct.bytes().await.expect("body");
    let via_stream = copies.get(&streamed, "read", None).await.expect("read");
    assert_eq!(via_stream.bytes().await.expect("body"), direct);
    assert_based_on(&direct, &original, "bucket");
    let n = base_len(&direct);
    let part = copies
        .get(
            &stack.base,
            "read",
            Some(format!("bytes={}-{}", n - 10, n + 9)),
        )
        .await
        .expect("range");
    assert_eq!(part.status(), 206);
    assert_eq!(
        part.bytes().await.expect("body"),
        direct.slice(n - 10..n + 10)
    );
    let dir = temp_dir();
    let file = dir.join("bucket.pdf");
    std::fs::write(&file, &direct).expect("write");
    let (ok, out) = run("qpdf", &["--check", &file.display().to_string()]);
    assert!(ok, "qpdf --check: {out}");

    // The bucket goes away: 503 from both gateways, within the request's time, no log row.
    drop(s3);
    let before = copies_issued(&stack, &user).await;
    for base in [&stack.base, &streamed] {
        let r = copies.get(base, "download", None).await.expect("download");
        problem(r, 503, "STORAGE_UNAVAILABLE").await;
    }
    assert_eq!(copies_issued(&stack, &user).await, before);
    let _ = std::fs::remove_dir_all(dir);
}

/// Files protected by an owner password only open without a password: they are accepted
/// and stamped (the update encrypted with the file's key) in every encryption qpdf writes;
/// a file that needs a password to open is refused.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn owner_password_files_are_stamped_and_user_password_files_refused() {
    // A small inflation limit, so an encrypted decompression bomb is cheap to make.
    let stack = spawn_stack_with(&[("PST_WATERMARK__MAX_STREAM_INFLATED_MIB", "4")]).await;
    let lib = stack.token("pustakawan@pst.test", DEMO_PASSWORD).await;
    let user = visitor(&stack, "pembaca.terkunci@example.id").await;
    let dir = temp_dir();
    let pages = 5;
    let plain = dir.join("plain.pdf");
    std::fs::write(
        &plain,
        generate(&Sample::new("Publikasi Terkunci", pages, Layout::Table).with_images(2000)),
    )
    .expect("write");
    let encrypt_file = |source: &Path, name: &str, args: &[&str]| -> Vec<u8> {
        let out = dir.join(format!("{name}.pdf"));
        let mut all: Vec<String> = vec!["--allow-weak-crypto".into(), "--encrypt".into()];
        all.extend(args.iter().map(|a| (*a).to_owned()));
        all.extend([
            "--".into(),
            source.display().to_string(),
            out.display().to_string(),
        ]);
        let all: Vec<&str> = all.iter().map(String::as_str).collect();
        let (ok, msg) = run("qpdf", &all);
        assert!(ok, "{name}: {msg}");
        std::fs::read(&out).expect("read")
    };
    let encrypt = |name: &str, args: &[&str]| encrypt_file(&plain, name, args);
    let variants = [
        ("rc4-40", encrypt("rc4-40", &["", "pemilik", "40"])),
        (
            "rc4-128",
            encrypt("rc4-128", &["", "pemilik", "128", "--use-aes=n"]),
        ),
        (
            "aes-128-objstm",
            encrypt(
                "aes-128-objstm",
                &[
                    "",
                    "pemilik",
                    "128",
                    "--use-aes=y",
                    "--",
                    "--object-streams=generate",
                ],
            ),
        ),
        ("aes-256", encrypt("aes-256", &["", "pemilik", "256"])),
        (
            "rc4-128-v4",
            encrypt(
                "rc4-128-v4",
                &["", "pemilik", "128", "--use-aes=n", "--force-V4"],
            ),
        ),
        (
            "aes-128-clear-metadata",
            encrypt(
                "aes-128-clear-metadata",
                &["", "pemilik", "128", "--use-aes=y", "--cleartext-metadata"],
            ),
        ),
        (
            "aes-256-objstm",
            encrypt(
                "aes-256-objstm",
                &["", "pemilik", "256", "--", "--object-streams=generate"],
            ),
        ),
    ];
    for (name, original) in variants {
        assert!(
            original.windows(8).any(|w| w == b"/Encrypt"),
            "{name} is encrypted"
        );
        let id = published(
            &stack,
            &lib,
            &format!("Terkunci {name}"),
            "public",
            &original,
        )
        .await;
        let Checked {
            code, copy, file, ..
        } = download_checked(&stack, &id, &user, &original, &dir, name, pages).await;
        // Read independently: qpdf decrypts the copy; the original's strings (document
        // title, a string on every page) and the mark read back as written.
        let plain = dir.join(format!("{name}-decrypted.pdf"));
        let (ok, out) = run(
            "qpdf",
            &[
                "--decrypt",
                "--qdf",
                "--object-streams=disable",
                &file.display().to_string(),
                &plain.display().to_string(),
            ],
        );
        assert!(ok, "{name}: qpdf --decrypt: {out}");
        let plain = String::from_utf8_lossy(&std::fs::read(&plain).expect("read")).into_owned();
        for want in [
            "/Title (Publikasi Terkunci)".to_owned(),
            "/BPSNote (Halaman 1)".to_owned(),
            format!("/BPSNote (Halaman {pages})"),
            format!("/PSTDownloadId ({code})"),
        ] {
            assert!(
                plain.contains(&want),
                "{name}: {want} not in the decrypted copy"
            );
        }
        let v = verify(&stack, &lib, copy).await;
        assert_eq!(v["verdict"], "intact", "{name}: {v}");
        assert_eq!(v["download"]["code"], code.as_str(), "{name}");
    }
    // Decompression bombs are found through the encryption too.
    let bomb = dir.join("bomb.pdf");
    let mut s = Sample::new("Bom", 2, Layout::Table);
    s.bomb_bytes = 16 << 20;
    std::fs::write(&bomb, generate(&s)).expect("write");
    for (name, args) in [
        ("bomb-rc4", &["", "pemilik", "128", "--use-aes=n"][..]),
        ("bomb-aes", &["", "pemilik", "256"][..]),
    ] {
        let id = publication(&stack, &lib, name, "public").await;
        let r = upload(&stack, &lib, &id, encrypt_file(&bomb, name, args)).await;
        problem(r, 422, "PDF_DECOMPRESSION_BOMB").await;
    }
    // A user password: refused, nothing stored.
    let before = stored_files(&stack).len();
    for (name, args) in [
        ("user-aes-256", &["rahasia", "pemilik", "256"][..]),
        (
            "user-rc4-128",
            &["rahasia", "pemilik", "128", "--use-aes=n"][..],
        ),
    ] {
        let id = publication(&stack, &lib, name, "public").await;
        let r = upload(&stack, &lib, &id, encrypt(name, args)).await;
        problem(r, 422, "PDF_ENCRYPTED").await;
    }
    assert_eq!(stored_files(&stack).len(), before);
    let _ = std::fs::remove_dir_all(dir);
}
