//! Verifying a copy brought back: which download it came from and whether its mark holds.
use uuid::Uuid;

use pst_kit::AppError;
use pst_kit::auth::{Caller, Role};

use super::*;

impl Watermark {
    /// Which copy a PDF is, and whether its mark is intact. Who took a copy of another
    /// office's publication is shown only to that office's staff (and admins).
    pub async fn verify(&self, caller: &Caller, file: Received) -> Result<Verdict, AppError> {
        require_verifier(caller)?;
        let limits = self.limits();
        let path = file.path().to_owned();
        let (found, base) = tokio::task::spawn_blocking(move || {
            let f = std::fs::File::open(&path).map_err(PdfError::Io)?;
            let mut head = [0u8; 512];
            let n = pdf::Source::read_at(&f, 0, &mut head).map_err(PdfError::Io)?;
            let base = pdf::base::tag_of(&head[..n]);
            match pdf::text::find_marks(&f, limits) {
                Ok(found) => Ok((found, base)),
                // A copy cut short (its stamp and catalogue gone) reads as no PDF at all,
                // but its first line still says which upload it came from.
                Err(_) if base.is_some() => Ok((pdf::text::Found::default(), base)),
                Err(e) => Err(e),
            }
        })
        .await
        .map_err(AppError::internal)?
        .map_err(pdf_error)?;
        let mut verdict = self.judge(&found, base.as_deref()).await?;
        if let Some(d) = verdict.download.as_mut()
            && caller.role != Role::Admin
            && caller.office.as_deref() != Some(d.office_code.as_str())
        {
            d.user_name = String::new();
            d.user_email = String::new();
            d.client_ip = String::new();
            d.user_agent = String::new();
            d.user_id = Uuid::nil();
        }
        pst_kit::audit::record(
            &self.pool,
            caller,
            verdict.download.as_ref().map(|d| d.office_code.as_str()),
            "document.verify",
            &verdict
                .download
                .as_ref()
                .map(|d| d.code.clone())
                .unwrap_or_default(),
            serde_json::json!({ "verdict": verdict.verdict, "sha256": hex::encode(file.sha256) }),
        )
        .await?;
        Ok(verdict)
    }

    /// `base`: the upload named by the file's first line (a copy's base), if any.
    pub(crate) async fn judge(
        &self,
        found: &pdf::text::Found,
        base: Option<&str>,
    ) -> Result<Verdict, AppError> {
        if let Some(code) = &found.code {
            let Some(d) = store::by_code(&self.pool, code).await? else {
                return Ok(Verdict {
                    verdict: "forged",
                    detail: format!("Tanda berisi ID {code} yang tidak pernah diterbitkan."),
                    download: None,
                });
            };
            let kind = Kind::parse(&d.kind).unwrap_or(Kind::Download);
            let sha = store::sha_of(&self.pool, d.document_id)
                .await?
                .unwrap_or_default();
            let signed = Signed {
                code: &d.code,
                kind,
                document_sha256: &sha,
                user_id: d.user_id,
                issued_at: d.issued_at,
            };
            let sig_ok = found
                .signature
                .as_deref()
                .is_some_and(|s| self.signer.verify(&signed, s));
            let issued_ok = found.issued.as_deref() == Some(marks::issued(d.issued_at).as_str());
            let visible_ok = found.visible.is_empty() || found.visible.contains(&d.code);
            return Ok(if sig_ok && issued_ok && visible_ok {
                Verdict {
                    verdict: "intact",
                    detail: "Tanda digital utuh dan cocok dengan catatan unduhan.".into(),
                    download: Some(d),
                }
            } else if !visible_ok {
                Verdict {
                    verdict: "forged",
                    detail: format!(
                        "ID pada tanda digital ({}) tidak sama dengan ID yang tercetak ({}).",
                        d.code,
                        found.visible.join(", ")
                    ),
                    download: Some(d),
                }
            } else {
                Verdict {
                    verdict: "forged",
                    detail: "Tanda digital diubah atau dipalsukan: tanda tangan tidak cocok."
                        .into(),
                    download: Some(d),
                }
            });
        }
        for code in &found.visible {
            if let Some(d) = store::by_code(&self.pool, code).await? {
                return Ok(Verdict {
                    verdict: "stripped",
                    detail: "Tanda digital dihapus; salinan dikenali dari ID yang tercetak.".into(),
                    download: Some(d),
                });
            }
        }
        if let Some(sha) = base
            && let Some(doc) = store::by_sha(&self.pool, sha).await?
        {
            return Ok(Verdict {
                verdict: "stripped",
                detail: format!(
                    "Bagian tanda salinan dipotong dari berkas ini: isinya softcopy «{}» (publikasi {}), tetapi pengunduhnya tidak dapat dikenali dan berkas ini tidak dapat dibuka sebagai dokumen.",
                    doc.filename, doc.publication_id
                ),
                download: None,
            });
        }
        Ok(Verdict {
            verdict: "unknown",
            detail: "Tidak ada tanda PST Pustaka yang dikenali pada berkas ini.".into(),
            download: None,
        })
    }
}
