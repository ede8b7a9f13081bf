//! Demo softcopies for the demo catalogue (office 1674): generated PDFs stored and recorded
//! under the ids the catalogue's demo links to (`pst_kit::demo::SOFTCOPIES`).

use sha2::{Digest as _, Sha256};
use uuid::Uuid;

use crate::pdf::sample::{Layout, Sample, generate};
use crate::service::Watermark;
use crate::store;
use pst_kit::storage::Storage;

pub async fn seed(w: &Watermark) -> anyhow::Result<()> {
    for (i, (publication, document, title)) in pst_kit::demo::SOFTCOPIES.iter().enumerate() {
        let recorded: Option<String> =
            sqlx::query_scalar("SELECT sha256 FROM documents WHERE id = $1")
                .bind(document)
                .fetch_optional(w.pool())
                .await?;
        let layout = [Layout::Table, Layout::XrefStream, Layout::ObjectStreams][i % 3];
        if let Some(sha) = recorded {
            // Recorded by an earlier start: its file must be there too (another checkout or
            // a fresh storage folder against the same databases would serve nothing). Its
            // base is made again from it at the first copy.
            if w.storage.check(&Storage::key(&sha)).await.is_ok() {
                continue;
            }
            let pdf = generate(&Sample::new(title, 40, layout).with_images(20_000));
            anyhow::ensure!(
                hex::encode(Sha256::digest(&pdf)) == sha,
                "demo softcopy {title}: the generator no longer makes the recorded file"
            );
            let path = w.incoming_dir.join(format!("demo-{document}.pdf"));
            std::fs::write(&path, &pdf)?;
            let stored = w.storage.put_file(&Storage::key(&sha), &path).await;
            let _ = std::fs::remove_file(&path);
            stored.map_err(|e| anyhow::anyhow!("restoring demo softcopy: {e}"))?;
            tracing::warn!(%document, "a demo softcopy's file was missing; written again");
            continue;
        }
        let pdf = generate(&Sample::new(title, 40, layout).with_images(20_000));
        let sha = hex::encode(Sha256::digest(&pdf));
        let mut base = Vec::new();
        let analysis = crate::pdf::analyze_to(pdf.as_slice(), w.limits(), &sha, &mut base)
            .map_err(|e| anyhow::anyhow!("demo softcopy {title}: {e}"))?;
        let path = w.incoming_dir.join(format!("demo-{document}.pdf"));
        let mut stored = Ok(());
        for (bytes, key) in [
            (&pdf, Storage::key(&sha)),
            (&base, Storage::key(&analysis.base_sha256)),
        ] {
            std::fs::write(&path, bytes)?;
            stored = stored.and(w.storage.put_file(&key, &path).await);
        }
        let _ = std::fs::remove_file(&path);
        stored.map_err(|e| anyhow::anyhow!("storing demo softcopy: {e}"))?;
        let mut tx = w.pool().begin().await?;
        store::insert_document(
            &mut tx,
            &store::NewDocument {
                id: *document,
                publication_id: *publication,
                office_code: "1674",
                sha256: &sha,
                size_bytes: pdf.len() as i64,
                pages: analysis.pages as i32,
                xref_kind: analysis.kind.as_str(),
                linearized: analysis.linearized,
                filename: "demo.pdf",
                plan: &analysis.plan,
                static_bytes: &analysis.static_bytes,
                base_sha256: &analysis.base_sha256,
                uploaded_by: Uuid::nil(),
            },
        )
        .await?;
        tx.commit().await?;
    }
    tracing::info!("demo softcopies loaded for office 1674");
    Ok(())
}
