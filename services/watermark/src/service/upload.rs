//! Uploading a softcopy: who may, then the file checked, hashed, stored and linked.
use uuid::Uuid;

use pst_kit::AppError;
use pst_kit::auth::{Caller, Role};
use pst_kit::storage::Storage;

use super::*;

impl Watermark {
    /// Checks, before any byte is stored, that the caller may upload for `publication`;
    /// returns its office.
    pub async fn authorize_upload(
        &self,
        caller: &Caller,
        bearer: Option<&str>,
        publication: &str,
    ) -> Result<(Uuid, String), AppError> {
        caller.require_role(&[Role::Librarian, Role::Admin])?;
        let id = parse_id("publication_id", publication)?;
        let p = self.publication(bearer, id).await?;
        let office = p.fields.map(|f| f.office_code).unwrap_or_default();
        caller.require_role_in_office(&[Role::Librarian, Role::Admin], &office)?;
        if p.withdrawn {
            return Err(AppError::FailedPrecondition {
                code: "PUBLICATION_WITHDRAWN",
                detail: "Publikasi ini sudah ditarik.".into(),
            });
        }
        Ok((id, office))
    }

    /// Validates, stores and links a received upload. Nothing is kept when any step fails.
    pub async fn store_upload(
        &self,
        caller: &Caller,
        bearer: Option<&str>,
        publication: Uuid,
        office: &str,
        file: Received,
    ) -> Result<(DocumentRow, bool), AppError> {
        let sha = hex::encode(file.sha256);
        let limits = self.limits();
        let path = file.path().to_owned();
        // The base (the upload without catalogue and pages) is written beside the upload
        // and removed with it whatever happens.
        let base_path = path.with_extension("base");
        let _base_file = RemoveOnDrop(base_path.clone());
        let (tag, to) = (sha.clone(), base_path.clone());
        let analysis = tokio::task::spawn_blocking(move || {
            let f = std::fs::File::open(&path).map_err(PdfError::Io)?;
            let w = std::fs::File::create(&to).map_err(PdfError::Io)?;
            pdf::analyze_to(&f, limits, &tag, std::io::BufWriter::new(w))
        })
        .await
        .map_err(AppError::internal)?
        .map_err(pdf_error)?;

        // One upload of the same bytes at a time (the object is shared by content): held
        // until this function returns, after the row is committed or the object removed.
        let mut same_bytes = self.pool.begin().await?;
        sqlx::query("SELECT pg_advisory_xact_lock(hashtextextended($1, 0))")
            .bind(&sha)
            .execute(&mut *same_bytes)
            .await?;

        if let Some(existing) = store::by_sha(&self.pool, &sha).await? {
            if existing.publication_id == publication && existing.replaced_at.is_none() {
                return Ok((existing, true));
            }
            return Err(AppError::Conflict {
                code: "DOCUMENT_DUPLICATE",
                detail: format!(
                    "Berkas yang sama sudah tersimpan untuk publikasi {}.",
                    existing.publication_id
                ),
                field: Some("document"),
            });
        }

        let key = Storage::key(&sha);
        let base_key = Storage::key(&analysis.base_sha256);
        let id = Uuid::now_v7();
        let result: Result<DocumentRow, AppError> = async {
            self.storage.put_file(&key, file.path()).await?;
            self.storage.put_file(&base_key, &base_path).await?;
            let mut tx = self.pool.begin().await?;
            let kind = analysis.kind.as_str();
            let row = store::insert_document(
                &mut tx,
                &store::NewDocument {
                    id,
                    publication_id: publication,
                    office_code: office,
                    sha256: &sha,
                    size_bytes: file.size as i64,
                    pages: analysis.pages as i32,
                    xref_kind: kind,
                    linearized: analysis.linearized,
                    filename: &file.filename,
                    plan: &analysis.plan,
                    static_bytes: &analysis.static_bytes,
                    base_sha256: &analysis.base_sha256,
                    uploaded_by: caller.user_id,
                },
            )
            .await
            .map_err(|e| {
                if pst_kit::db::is_unique_violation(&e, "documents_sha256_key") {
                    AppError::Conflict {
                        code: "DOCUMENT_DUPLICATE",
                        detail: "Berkas yang sama baru saja diunggah.".into(),
                        field: Some("document"),
                    }
                } else if pst_kit::db::is_unique_violation(&e, "documents_current_idx") {
                    AppError::Conflict {
                        code: "UPLOAD_IN_PROGRESS",
                        detail:
                            "Softcopy publikasi ini sedang diganti oleh unggahan lain; coba lagi."
                                .into(),
                        field: Some("document"),
                    }
                } else {
                    e.into()
                }
            })?;
            pst_kit::audit::record(
                &mut *tx,
                caller,
                Some(office),
                "document.upload",
                &id.to_string(),
                serde_json::json!({
                    "publication_id": publication, "sha256": sha, "size_bytes": file.size,
                    "pages": analysis.pages, "xref": kind, "linearized": analysis.linearized,
                }),
            )
            .await?;
            // The catalogue links the publication last: if it refuses, nothing is kept.
            let req = with_bearer(
                pst_proto::catalogue::LinkDocumentRequest {
                    publication_id: publication.to_string(),
                    document_id: id.to_string(),
                },
                bearer,
            );
            self.catalogue
                .clone()
                .link_document(req)
                .await
                .map_err(|s| pst_kit::grpc::peer_error(&CATALOGUE, s))?;
            tx.commit().await?;
            Ok(row)
        }
        .await;
        match result {
            Ok(row) => {
                tracing::info!(document = %id, %publication, pages = analysis.pages, size = file.size, "document stored");
                Ok((row, false))
            }
            Err(e) => {
                // Content-addressed: another upload of the same bytes may own the object
                // (committed before this one took the lock).
                if matches!(store::by_sha(&self.pool, &sha).await, Ok(None)) {
                    self.storage.delete(&key).await;
                    self.storage.delete(&base_key).await;
                }
                drop(same_bytes);
                Err(e)
            }
        }
    }
}

/// Removes a working file when dropped.
struct RemoveOnDrop(std::path::PathBuf);

impl Drop for RemoveOnDrop {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.0);
    }
}
