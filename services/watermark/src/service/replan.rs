//! Making a document's base and plan again from its stored upload: for a document stored
//! by an older layout (a copy was the upload followed by an update) and for a base lost
//! from storage. The upload is the record; the base is derived from it.
use futures::StreamExt as _;
use tokio::io::AsyncWriteExt as _;
use uuid::Uuid;

use pst_kit::AppError;
use pst_kit::storage::Storage;

use super::*;

impl Watermark {
    pub(crate) async fn replan(&self, row: &DocumentRow) -> Result<Stampable, AppError> {
        let key = Storage::key(&row.sha256);
        // A missing upload is data loss, reported as such (with its key in the log).
        self.storage.check(&key).await?;
        let upload = self
            .incoming_dir
            .join(format!("replan-{}.pdf", Uuid::now_v7()));
        let base = upload.with_extension("base");
        let result = async {
            let mut out = tokio::fs::File::create(&upload)
                .await
                .map_err(pst_kit::storage::unavailable)?;
            let mut pieces = self.storage.read(&key, 0..row.size_bytes as u64).await?;
            while let Some(piece) = pieces.next().await {
                out.write_all(&piece?)
                    .await
                    .map_err(pst_kit::storage::unavailable)?;
            }
            out.flush().await.map_err(pst_kit::storage::unavailable)?;
            drop(out);
            let (limits, sha, from, to) = (
                self.limits(),
                row.sha256.clone(),
                upload.clone(),
                base.clone(),
            );
            let analysis = tokio::task::spawn_blocking(move || {
                let f = std::fs::File::open(&from).map_err(PdfError::Io)?;
                let w = std::fs::File::create(&to).map_err(PdfError::Io)?;
                pdf::analyze_to(&f, limits, &sha, std::io::BufWriter::new(w))
            })
            .await
            .map_err(AppError::internal)?
            .map_err(pdf_error)?;
            self.storage
                .put_file(&Storage::key(&analysis.base_sha256), &base)
                .await?;
            store::set_plan(
                &self.pool,
                row.id,
                &analysis.plan,
                &analysis.static_bytes,
                &analysis.base_sha256,
            )
            .await?;
            tracing::info!(document = %row.id, base = %analysis.base_sha256, "document base and plan made again from the stored upload");
            Ok(Stampable {
                row: row.clone(),
                plan: analysis.plan,
                static_bytes: analysis.static_bytes.into(),
                base_sha256: Some(analysis.base_sha256),
            })
        }
        .await;
        let _ = tokio::fs::remove_file(&upload).await;
        let _ = tokio::fs::remove_file(&base).await;
        result
    }
}
