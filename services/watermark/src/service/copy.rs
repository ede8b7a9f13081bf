//! Stamped copies to read or download: the checks, the log row, the bytes.
use chrono::{DateTime, Utc};
use uuid::Uuid;

use pst_kit::AppError;
use pst_kit::auth::Caller;
use pst_kit::storage::Storage;

use super::*;

impl Watermark {
    /// Logs the copy (a new download, or today's reading session) and returns its head and
    /// where its bytes are (the whole copy, or `range` of it). Nothing is sent without its
    /// log row.
    pub async fn fetch(
        &self,
        caller: &Caller,
        bearer: Option<&str>,
        publication: &str,
        kind: Kind,
        range: Option<(Option<u64>, Option<u64>)>,
        client: Client,
    ) -> Result<(Head, Parts), AppError> {
        let id = parse_id("publication_id", publication)?;
        let me_req = with_bearer(pst_proto::identity::GetMeRequest {}, bearer);
        let (publication, me) = tokio::join!(self.publication(bearer, id), async {
            self.identity
                .clone()
                .get_me(me_req)
                .await
                .map_err(|s| pst_kit::grpc::peer_error(&IDENTITY, s))
        });
        let publication = publication?;
        let me = me?.into_inner();
        let fields = publication.fields.clone().unwrap_or_default();
        if publication.withdrawn || !level_allows(&fields.access_level, caller, &fields.office_code)
        {
            return Err(AppError::NotFound {
                code: "PUBLICATION_NOT_FOUND",
                detail: "Publikasi tidak ditemukan.".into(),
            });
        }
        let Ok(doc_id) = Uuid::parse_str(&fields.document_id) else {
            return Err(AppError::NotFound {
                code: "DOCUMENT_NOT_AVAILABLE",
                detail: "Publikasi ini belum memiliki softcopy.".into(),
            });
        };
        let doc = self.stampable(doc_id).await?;
        // The catalogue's link is trusted only for a document uploaded for this very
        // publication and not replaced since: another publication's (or office's) file is
        // never served under this one's name and access level.
        if doc.row.publication_id != id || !store::is_current(&self.pool, doc_id).await? {
            tracing::warn!(publication = %id, document = %doc_id, owner = %doc.row.publication_id, "refused: the linked document is not this publication's current softcopy");
            return Err(AppError::NotFound {
                code: "DOCUMENT_NOT_AVAILABLE",
                detail: "Publikasi ini belum memiliki softcopy.".into(),
            });
        }
        let doc = self.servable(doc).await?;
        let office = self.offices.get(&fields.office_code).await;
        let now = Utc::now();
        let day = now.with_timezone(&office.tz).date_naive();

        let existing = match kind {
            Kind::Read => store::read_session(&self.pool, caller.user_id, doc_id, day).await?,
            Kind::Download => None,
        };
        let download = match existing {
            Some(d) => d,
            None => {
                let mut tries = 0;
                loop {
                    let code = pst_kit::crypto::short_code(8);
                    let signature = self.signer.sign(&Signed {
                        code: &code,
                        kind,
                        document_sha256: &doc.row.sha256,
                        user_id: caller.user_id,
                        issued_at: now,
                    });
                    let lines = marks::lines(&marks::Stamp {
                        kind,
                        office_name: &office.name,
                        user_name: &me.full_name,
                        user_email: &me.email,
                        at: now,
                        tz: office.tz,
                        code: &code,
                        verify_url: &self.verify_url(&code),
                    });
                    let row = DownloadRow {
                        id: Uuid::now_v7(),
                        code,
                        kind: kind.as_str().into(),
                        document_id: doc_id,
                        publication_id: id,
                        publication_title: fields.title.clone(),
                        office_code: fields.office_code.clone(),
                        user_id: caller.user_id,
                        user_name: me.full_name.clone(),
                        user_email: me.email.clone(),
                        client_ip: client.ip.chars().take(64).collect(),
                        user_agent: client.user_agent.chars().take(300).collect(),
                        issued_at: DateTime::from_timestamp(now.timestamp(), 0).unwrap_or(now),
                        lines,
                        signature,
                    };
                    if store::insert_download(&self.pool, &row, day).await? {
                        pst_kit::metrics::get().issued(kind.as_str());
                        tracing::info!(download = %row.id, code = %row.code, kind = kind.as_str(), publication = %id, user = %caller.user_id, "copy issued");
                        break row;
                    }
                    if kind == Kind::Read
                        && let Some(d) =
                            store::read_session(&self.pool, caller.user_id, doc_id, day).await?
                    {
                        break d;
                    }
                    tries += 1;
                    if tries > 5 {
                        return Err(AppError::internal(anyhow::anyhow!(
                            "no free download code after 5 tries"
                        )));
                    }
                }
            }
        };
        self.copy(&doc, download, range)
    }

    pub(crate) fn copy(
        &self,
        doc: &Stampable,
        download: DownloadRow,
        range: Option<(Option<u64>, Option<u64>)>,
    ) -> Result<(Head, Parts), AppError> {
        let issued = DateTime::from_timestamp(download.issued_at.timestamp(), 0)
            .unwrap_or(download.issued_at);
        let mark = Mark {
            lines: download.lines.clone(),
            qr: self.verify_url(&download.code),
            code: download.code.clone(),
            kind: download.kind.clone(),
            issued: marks::issued(issued),
            signature: download.signature.clone(),
        };
        let started = std::time::Instant::now();
        let own = pdf::stamp::per_copy(&doc.plan, &mark);
        pst_kit::metrics::get().stamped(started.elapsed());
        let total = doc.plan.total_len(&own);
        let (start, end) = match range {
            None => (0, total - 1),
            Some((Some(s), e)) => (s, e.unwrap_or(total - 1).min(total - 1)),
            // A suffix range: the last `n` bytes.
            Some((None, Some(n))) => (total.saturating_sub(n), total - 1),
            Some((None, None)) => (0, total - 1),
        };
        if start > end || start >= total {
            return Err(AppError::Rejected {
                code: "RANGE_NOT_SATISFIABLE",
                detail: format!("Rentang byte tidak valid; ukuran berkas {total} byte."),
            });
        }
        let base = doc.plan.base_len;
        let head = Bytes::from(own.head);
        let xref = Bytes::from(own.xref);
        let stat = &doc.static_bytes;
        let stat_start = base + head.len() as u64;
        let stat_end = stat_start + stat.len() as u64;
        let segment = |seg_start: u64, bytes: &Bytes| -> Option<Bytes> {
            let (a, b) = (
                start.max(seg_start),
                (end + 1).min(seg_start + bytes.len() as u64),
            );
            (a < b).then(|| bytes.slice((a - seg_start) as usize..(b - seg_start) as usize))
        };
        let Some(base_sha) = doc.base_sha256.as_deref() else {
            return Err(AppError::internal(anyhow::anyhow!(
                "document {} has no base after planning",
                doc.row.id
            )));
        };
        let parts = Parts {
            key: Storage::key(base_sha),
            base: (start < base).then(|| start..(end + 1).min(base)),
            appended: segment(base, &head)
                .into_iter()
                .chain(segment(stat_start, stat))
                .chain(segment(stat_end, &xref))
                .collect(),
        };
        let head = Head {
            filename: filename(&download.publication_title, &download.code),
            etag: format!("\"{}-{}\"", download.code, &doc.row.sha256[..16]),
            total,
            start,
            end,
            download,
        };
        Ok((head, parts))
    }
}
