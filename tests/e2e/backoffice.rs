//! The back office in a real browser (`tests/web/backoffice.mjs`): librarian, supervisor
//! and administrator against this stack. This side prepares what a browser cannot: a fresh
//! softcopy to upload and a verified visitor who downloads a copy.

use pst_watermark::pdf::sample::{Layout, Sample, generate};

use crate::helpers::*;
use crate::web::{require_tools, run_browser_script};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn librarian_supervisor_and_admin_do_their_work_in_a_browser() {
    require_tools();
    let stack = spawn_stack().await;

    // A visitor with a verified account (the browser downloads a copy as them).
    let email = "dewi.lestari@example.id";
    stack.verified_visitor(email).await;

    // A softcopy no publication has yet (40 pages, tables and images).
    let work = std::env::temp_dir().join(format!("pst-bo-{}", uuid::Uuid::new_v4().simple()));
    std::fs::create_dir_all(&work).expect("work dir");
    let softcopy = work.join("softcopy.pdf");
    std::fs::write(
        &softcopy,
        generate(&Sample::new("Statistik Uji Unggah", 40, Layout::Table).with_images(5_000)),
    )
    .expect("write softcopy");

    run_browser_script(
        &stack,
        "backoffice",
        &[
            ("PST_SOFTCOPY", softcopy.display().to_string()),
            ("PST_VISITOR_EMAIL", email.to_owned()),
            ("PST_VISITOR_PASSWORD", "Baca-Publikasi-2024".to_owned()),
            ("PST_NEW_OFFICE", "1675".to_owned()),
        ],
    );
    let _ = std::fs::remove_dir_all(&work);
}
