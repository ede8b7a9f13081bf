//! A stamp that cannot be cut off: no prefix of a copy — cut at any `%%EOF`, at any
//! cross-reference offset (`/Prev`, `startxref`), or anywhere in its per-copy part — opens
//! in qpdf or poppler as a document with a page that lacks the stamp; the copy cut back
//! to its base verifies as "stripped", not "unknown"; and a document whose base is of an
//! older layout or lost from storage is served again, its base made from the upload.

use std::collections::BTreeSet;
use std::path::Path;

use serde_json::Value;

use pst_watermark::pdf::sample::{Layout, Sample, generate};

use crate::documents::{
    assert_based_on, base_len, download_id, published, run, stored_base, temp_dir, verify, visitor,
};
use crate::helpers::*;

/// The number written after `at` (skipping white space).
fn number_at(bytes: &[u8], mut at: usize) -> Option<usize> {
    while bytes.get(at).is_some_and(|b| b.is_ascii_whitespace()) {
        at += 1;
    }
    let start = at;
    while bytes.get(at).is_some_and(u8::is_ascii_digit) {
        at += 1;
    }
    std::str::from_utf8(&bytes[start..at]).ok()?.parse().ok()
}

/// Where an attacker would cut: after every `%%EOF` (with and without its end of line),
/// at every `/Prev` and `startxref` target, and `spread` cuts evenly over the part after
/// the base.
fn cut_points(copy: &[u8], spread: usize) -> BTreeSet<usize> {
    let mut cuts = BTreeSet::new();
    for (i, w) in copy.windows(5).enumerate() {
        if w == b"%%EOF" {
            cuts.insert(i + 5);
            cuts.insert(i + 6);
        }
    }
    for (key, skip) in [(&b"/Prev"[..], 5), (&b"startxref"[..], 9)] {
        for (i, w) in copy.windows(key.len()).enumerate() {
            if w == key
                && let Some(n) = number_at(copy, i + skip)
            {
                cuts.insert(n);
            }
        }
    }
    let base = base_len(copy);
    let step = ((copy.len() - base) / spread).max(1);
    cuts.extend((base..copy.len()).step_by(step));
    cuts.retain(|&c| c > 0 && c <= copy.len());
    cuts
}

/// What qpdf and poppler make of `file`: the pages qpdf counts (`None`: it refuses the
/// file, even after repair) and the text of each page pdftotext reads (`None`: refused).
fn open_both(file: &Path) -> (Option<usize>, Option<Vec<String>>) {
    let f = file.display().to_string();
    let out = std::process::Command::new("qpdf")
        .args(["--show-npages", &f])
        .output()
        .expect("qpdf (.ci/run installs it)");
    // 0: fine; 3: opened with warnings (repaired); 2: refused.
    let qpdf = matches!(out.status.code(), Some(0 | 3))
        .then(|| String::from_utf8_lossy(&out.stdout).trim().parse().ok())
        .flatten();
    let (ok, text) = run("pdftotext", &["-q", &f, "-"]);
    let pages: Vec<String> = text.split('\u{c}').map(str::to_owned).collect();
    // pdftotext ends every page with a form feed: n pages are n + 1 pieces.
    let poppler = (ok && pages.len() > 1).then(|| pages[..pages.len() - 1].to_vec());
    (qpdf, poppler)
}

/// Every prefix of `copy` at the cut points either does not open in qpdf nor in poppler,
/// or opens with the stamp (`code`) on every page. Returns how many prefixes opened.
fn assert_no_unstamped_prefix(copy: &[u8], code: &str, dir: &Path, name: &str) -> usize {
    let file = dir.join(format!("{name}-prefix.pdf"));
    let mut opened = 0;
    let cuts = cut_points(copy, 48);
    assert!(cuts.len() > 50, "{name}: {} cuts", cuts.len());
    for &cut in &cuts {
        std::fs::write(&file, &copy[..cut]).expect("write");
        let (qpdf, poppler) = open_both(&file);
        if qpdf.unwrap_or(0) == 0 && poppler.is_none() {
            continue;
        }
        let pages = poppler.unwrap_or_else(|| {
            panic!("{name}: the prefix of {cut} bytes opens in qpdf ({qpdf:?} pages) but poppler cannot read it")
        });
        for (i, text) in pages.iter().enumerate() {
            assert!(
                text.contains(&format!("ID unduhan: {code}")),
                "{name}: the prefix of {cut} of {} bytes opens and its page {} has no stamp:\n{text}",
                copy.len(),
                i + 1
            );
        }
        if let Some(n) = qpdf {
            assert_eq!(
                n,
                pages.len(),
                "{name}: qpdf and poppler count the same pages"
            );
        }
        opened += 1;
    }
    opened
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn no_prefix_of_a_copy_opens_without_the_stamp() {
    let stack = spawn_stack().await;
    let lib = stack.token("pustakawan@pst.test", DEMO_PASSWORD).await;
    let user = visitor(&stack, "pemotong.salinan@example.id").await;
    let dir = temp_dir();

    let table = generate(&Sample::new("Potongan Tabel", 6, Layout::Table).with_images(2000));
    let plain = dir.join("plain.pdf");
    let lin = dir.join("linearized.pdf");
    std::fs::write(&plain, &table).expect("write");
    let (ok, out) = run(
        "qpdf",
        &[
            "--linearize",
            &plain.display().to_string(),
            &lin.display().to_string(),
        ],
    );
    assert!(ok, "{out}");
    let layouts = [
        ("table", table.clone()),
        (
            "xref-stream",
            generate(&Sample::new("Potongan Aliran", 5, Layout::XrefStream)),
        ),
        (
            "object-streams",
            generate(&Sample::new("Potongan Objek", 7, Layout::ObjectStreams).with_images(1500)),
        ),
        ("linearized", std::fs::read(&lin).expect("read")),
    ];
    for (name, original) in layouts {
        let id = published(&stack, &lib, &format!("Potong {name}"), "public", &original).await;
        let r = stack
            .get(&format!("/api/v1/publications/{id}/download"), Some(&user))
            .await;
        assert_eq!(r.status(), 200, "{name}");
        let code = download_id(&r);
        let copy = r.bytes().await.expect("body").to_vec();
        assert_based_on(&copy, &original, name);
        let opened = assert_no_unstamped_prefix(&copy, &code, &dir, name);
        // The whole copy opens (and, repaired, prefixes that hold the catalogue: stamped).
        assert!(opened >= 1, "{name}: the whole copy did not open");

        // The copy cut back to its base with one Range request on /read: no document,
        // and verification recognises it as a copy whose mark was cut off.
        let n = base_len(&copy);
        let r = stack
            .http
            .get(stack.url(&format!("/api/v1/publications/{id}/read")))
            .bearer_auth(&user)
            .header("range", format!("bytes=0-{}", n - 1))
            .send()
            .await
            .expect("read");
        assert_eq!(r.status(), 206, "{name}");
        let cut = r.bytes().await.expect("body").to_vec();
        let file = dir.join(format!("{name}-base.pdf"));
        std::fs::write(&file, &cut).expect("write");
        assert_eq!(
            open_both(&file),
            (None, None),
            "{name}: the base alone opens"
        );
        let v = verify(&stack, &lib, cut).await;
        assert_eq!(v["verdict"], "stripped", "{name}: {v}");
        assert!(
            v["detail"]
                .as_str()
                .unwrap_or_default()
                .contains("dipotong"),
            "{v}"
        );
        // Cut inside the copy's own part, too.
        let v = verify(&stack, &lib, copy[..n + 200].to_vec()).await;
        assert_eq!(v["verdict"], "stripped", "{name}: {v}");
        // The whole copy is still intact.
        let v = verify(&stack, &lib, copy.clone()).await;
        assert_eq!(v["verdict"], "intact", "{name}: {v}");
    }
    // The original itself never left: unknown.
    let v = verify(&stack, &lib, table).await;
    assert_eq!(v["verdict"], "unknown", "{v}");
    let _ = std::fs::remove_dir_all(dir);
}

/// A document stored by the first layout (no base) and one whose base was lost are both
/// served again, their bases made from the stored upload; the database and storage say so.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_old_or_lost_base_is_made_again_from_the_upload() {
    let stack = spawn_stack().await;
    let lib = stack.token("pustakawan@pst.test", DEMO_PASSWORD).await;
    let user = visitor(&stack, "pembaca.basis@example.id").await;
    let db = stack.db("watermark").await;
    let dir = temp_dir();
    for (name, layout) in [("old", Layout::ObjectStreams), ("lost", Layout::Table)] {
        let original = generate(&Sample::new(&format!("Basis {name}"), 4, layout));
        let id = published(&stack, &lib, &format!("Basis {name}"), "public", &original).await;
        let (doc, base): (uuid::Uuid, String) = sqlx::query_as(
            "SELECT id, base_sha256 FROM documents WHERE publication_id = $1::text::uuid",
        )
        .bind(&id)
        .fetch_one(&db)
        .await
        .expect("document row");
        let base_file = stack
            .outbox
            .parent()
            .expect("dir")
            .join(format!("documents/documents/{base}.pdf"));
        assert!(base_file.is_file(), "{name}: the base is stored");
        std::fs::remove_file(&base_file).expect("remove the base");
        if name == "old" {
            // As a document stored before bases existed: no base, a plan of layout 0.
            sqlx::query(
                "UPDATE documents SET base_sha256 = NULL, plan = plan - 'layout' - 'base_len' WHERE id = $1",
            )
            .bind(doc)
            .execute(&db)
            .await
            .expect("age the row");
        }
        let r = stack
            .get(&format!("/api/v1/publications/{id}/download"), Some(&user))
            .await;
        assert_eq!(r.status(), 200, "{name}");
        let code = download_id(&r);
        let copy = r.bytes().await.expect("body").to_vec();
        assert_based_on(&copy, &original, name);
        let file = dir.join(format!("{name}.pdf"));
        std::fs::write(&file, &copy).expect("write");
        let (ok, out) = run("qpdf", &["--check", &file.display().to_string()]);
        assert!(ok, "{name}: {out}");
        let (_, pages) = open_both(&file);
        let pages = pages.expect("poppler reads the copy");
        assert_eq!(pages.len(), 4);
        assert!(pages.iter().all(|p| p.contains(&code)), "{name}");
        let again: (Option<String>, Value) =
            sqlx::query_as("SELECT base_sha256, plan FROM documents WHERE id = $1")
                .bind(doc)
                .fetch_one(&db)
                .await
                .expect("row");
        assert_eq!(
            again.0.as_deref(),
            Some(base.as_str()),
            "{name}: same base again"
        );
        assert_eq!(again.1["layout"], 2, "{name}");
        assert!(
            stored_base(&stack, &copy).is_file(),
            "{name}: base stored again"
        );
    }
    let _ = std::fs::remove_dir_all(dir);
}
