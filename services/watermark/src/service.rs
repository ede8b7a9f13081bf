//! The watermark use cases, independent of gRPC: upload, stamped copies, verification
//! and the download log. Each checks authorisation itself; the catalogue decides who may
//! see a publication (its access level), identity who the user is.

use std::collections::HashMap;
use std::ops::Range;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};

use bytes::Bytes;
use chrono::{DateTime, Utc};
use sqlx::PgPool;
use uuid::Uuid;

use pst_kit::AppError;
use pst_kit::auth::{Caller, Role, TokenVerifier};
use pst_kit::config::WatermarkSettings;
use pst_kit::grpc::TracedChannel;
use pst_kit::offices::OfficeDirectory;
use pst_kit::storage::{ObjectPath, Storage};
use pst_proto::catalogue::catalogue_service_client::CatalogueServiceClient;
use pst_proto::identity::identity_service_client::IdentityServiceClient;

use crate::incoming::Received;
use crate::marks::{self, Kind, Signed, Signer};
use crate::pdf::{self, Limits, Mark, PdfError};
use crate::store::{self, DocumentRow, DownloadRow, Stampable};

/// Documents kept in memory with their plans (a plan is a few hundred bytes per page).
const PLAN_CACHE: usize = 64;

#[derive(Debug)]
pub struct Watermark {
    pub(crate) pool: PgPool,
    pub(crate) verifier: TokenVerifier,
    pub(crate) storage: Storage,
    pub(crate) signer: Signer,
    pub(crate) catalogue: CatalogueServiceClient<TracedChannel>,
    pub(crate) identity: IdentityServiceClient<TracedChannel>,
    pub(crate) offices: OfficeDirectory,
    pub(crate) cfg: WatermarkSettings,
    pub(crate) public_url: String,
    pub(crate) incoming_dir: PathBuf,
    plans: Mutex<HashMap<Uuid, Arc<Stampable>>>,
}

/// The first part of a copy: what the HTTP response headers say.
#[derive(Debug, Clone)]
pub struct Head {
    pub download: DownloadRow,
    pub total: u64,
    pub start: u64,
    pub end: u64,
    pub filename: String,
    pub etag: String,
}

/// Where the bytes of a copy (or of the requested range of it) come from, in order: a
/// range of the stored original, then the bytes appended to it — the wrapped pages and
/// this copy's stamp, already cut to the range.
#[derive(Debug, Clone)]
pub struct Parts {
    pub key: ObjectPath,
    pub original: Option<Range<u64>>,
    pub appended: Vec<Bytes>,
}

/// Client details the gateway passes on.
#[derive(Debug, Clone, Default)]
pub struct Client {
    pub ip: String,
    pub user_agent: String,
}

/// What verification concluded.
#[derive(Debug, Clone)]
pub struct Verdict {
    pub verdict: &'static str,
    pub detail: String,
    pub download: Option<DownloadRow>,
}

fn upstream(service: &'static str, s: tonic::Status) -> AppError {
    match s.code() {
        tonic::Code::NotFound => AppError::NotFound {
            code: "PUBLICATION_NOT_FOUND",
            detail: "Publikasi tidak ditemukan.".into(),
        },
        tonic::Code::Unauthenticated => AppError::unauthenticated(s.message().to_owned()),
        tonic::Code::PermissionDenied => AppError::forbidden(s.message().to_owned()),
        tonic::Code::InvalidArgument => AppError::field("publication_id", s.message().to_owned()),
        _ => {
            tracing::error!(service, code = ?s.code(), message = s.message(), "upstream call failed");
            AppError::Unavailable {
                code: "UPSTREAM_UNAVAILABLE",
                detail: "Layanan pendukung sedang tidak tersedia; coba lagi sebentar lagi.".into(),
            }
        }
    }
}

/// A call to another service on the caller's behalf, with the peers' deadline.
fn with_bearer<T>(msg: T, bearer: Option<&str>) -> tonic::Request<T> {
    pst_kit::grpc::forwarded(msg, bearer, pst_kit::grpc::PEER_TIMEOUT)
}

/// Whether `role` may see a publication at `level` (the catalogue's rule, checked here
/// again).
/// May `caller` have a copy at `level` of a publication of `office`? Staff-only
/// publications are for the staff of their own office (and admins).
pub fn level_allows(level: &str, caller: &Caller, office: &str) -> bool {
    match level {
        "public" | "registered" => true,
        "staff" => {
            caller.role == Role::Admin
                || (caller.role.is_staff() && caller.office.as_deref() == Some(office))
        }
        _ => false,
    }
}

/// Staff who may verify a copy brought back.
pub fn require_verifier(caller: &Caller) -> Result<(), AppError> {
    caller.require_role(&[
        Role::Librarian,
        Role::Supervisor,
        Role::FrontOffice,
        Role::Admin,
    ])
}

pub fn parse_id(field: &str, raw: &str) -> Result<Uuid, AppError> {
    Uuid::parse_str(raw.trim()).map_err(|_| AppError::field(field, "ID tidak valid."))
}

fn pdf_error(e: PdfError) -> AppError {
    match e {
        PdfError::Io(io) => pst_kit::storage::unavailable(io),
        other => AppError::Rejected {
            code: other.code(),
            detail: other.message_id(),
        },
    }
}

/// A file name for the copy: the title in plain ASCII.
pub fn filename(title: &str, code: &str) -> String {
    let mut slug = String::new();
    for c in title.chars() {
        if c.is_ascii_alphanumeric() {
            slug.push(c);
        } else if !slug.ends_with('-') && !slug.is_empty() {
            slug.push('-');
        }
        if slug.len() >= 80 {
            break;
        }
    }
    let slug = slug.trim_end_matches('-');
    let slug = if slug.is_empty() { "publikasi" } else { slug };
    format!("{slug}-{code}.pdf")
}

impl Watermark {
    #[allow(clippy::too_many_arguments)]
    pub fn new(
        pool: PgPool,
        verifier: TokenVerifier,
        storage: Storage,
        signer: Signer,
        catalogue: CatalogueServiceClient<TracedChannel>,
        identity: IdentityServiceClient<TracedChannel>,
        cfg: WatermarkSettings,
        public_url: String,
    ) -> anyhow::Result<Self> {
        let incoming_dir = PathBuf::from(&cfg.storage_dir).join(".incoming");
        std::fs::create_dir_all(&incoming_dir)?;
        Ok(Self {
            pool,
            verifier,
            storage,
            signer,
            catalogue,
            offices: OfficeDirectory::new(identity.clone()),
            identity,
            cfg,
            public_url: public_url.trim_end_matches('/').to_owned(),
            incoming_dir,
            plans: Mutex::default(),
        })
    }

    pub fn verifier(&self) -> &TokenVerifier {
        &self.verifier
    }

    pub fn pool(&self) -> &PgPool {
        &self.pool
    }

    pub fn max_upload_bytes(&self) -> u64 {
        self.cfg.max_upload_bytes
    }

    pub fn limits(&self) -> Limits {
        Limits {
            max_pages: self.cfg.max_pages,
            max_stream_inflated: self.cfg.max_stream_inflated_mib << 20,
            ..Limits::default()
        }
    }

    async fn publication(
        &self,
        bearer: Option<&str>,
        id: Uuid,
    ) -> Result<pst_proto::catalogue::Publication, AppError> {
        let req = with_bearer(
            pst_proto::catalogue::GetPublicationRequest { id: id.to_string() },
            bearer,
        );
        Ok(self
            .catalogue
            .clone()
            .get_publication(req)
            .await
            .map_err(|s| upstream("catalogue", s))?
            .into_inner())
    }

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
        let analysis = tokio::task::spawn_blocking(move || {
            let f = std::fs::File::open(&path).map_err(PdfError::Io)?;
            pdf::analyze(&f, limits)
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
        self.storage.put_file(&key, file.path()).await?;
        let id = Uuid::now_v7();
        let result: Result<DocumentRow, AppError> = async {
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
                .map_err(|s| upstream("catalogue", s))?;
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
                }
                drop(same_bytes);
                Err(e)
            }
        }
    }

    async fn stampable(&self, id: Uuid) -> Result<Arc<Stampable>, AppError> {
        if let Some(s) = self
            .plans
            .lock()
            .expect("BUG: plan cache poisoned")
            .get(&id)
        {
            return Ok(Arc::clone(s));
        }
        let s = store::stampable(&self.pool, id)
            .await?
            .ok_or_else(|| AppError::NotFound {
                code: "DOCUMENT_NOT_FOUND",
                detail: "Softcopy publikasi ini tidak ditemukan.".into(),
            })?;
        let s = Arc::new(s);
        let mut cache = self.plans.lock().expect("BUG: plan cache poisoned");
        if cache.len() >= PLAN_CACHE {
            cache.clear();
        }
        cache.insert(id, Arc::clone(&s));
        Ok(s)
    }

    fn verify_url(&self, code: &str) -> String {
        format!("{}/cek/{code}", self.public_url)
    }

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
                .map_err(|s| upstream("identity", s))
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
        self.storage.check(&Storage::key(&doc.row.sha256)).await?;
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

    fn copy(
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
        let tail = Bytes::from(pdf::stamp::tail(&doc.plan, &mark));
        let total = doc.plan.total_len(&tail);
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
        let orig = doc.plan.original_len;
        let stat = &doc.static_bytes;
        let stat_end = orig + stat.len() as u64;
        let segment = |seg_start: u64, bytes: &Bytes| -> Option<Bytes> {
            let (a, b) = (
                start.max(seg_start),
                (end + 1).min(seg_start + bytes.len() as u64),
            );
            (a < b).then(|| bytes.slice((a - seg_start) as usize..(b - seg_start) as usize))
        };
        let parts = Parts {
            key: Storage::key(&doc.row.sha256),
            original: (start < orig).then(|| start..(end + 1).min(orig)),
            appended: segment(orig, stat)
                .into_iter()
                .chain(segment(stat_end, &tail))
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

    /// Which copy a PDF is, and whether its mark is intact. Who took a copy of another
    /// office's publication is shown only to that office's staff (and admins).
    pub async fn verify(&self, caller: &Caller, file: Received) -> Result<Verdict, AppError> {
        require_verifier(caller)?;
        let limits = self.limits();
        let path = file.path().to_owned();
        let found = tokio::task::spawn_blocking(move || {
            let f = std::fs::File::open(&path).map_err(PdfError::Io)?;
            pdf::text::find_marks(&f, limits)
        })
        .await
        .map_err(AppError::internal)?
        .map_err(pdf_error)?;
        let mut verdict = self.judge(&found).await?;
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

    async fn judge(&self, found: &pdf::text::Found) -> Result<Verdict, AppError> {
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
        Ok(Verdict {
            verdict: "unknown",
            detail: "Tidak ada tanda PST Pustaka yang dikenali pada berkas ini.".into(),
            download: None,
        })
    }

    /// Public answer for a printed id: genuine or not, without personal data.
    pub async fn check_code(&self, code: &str) -> Result<Option<DownloadRow>, AppError> {
        let code = code.trim().to_ascii_uppercase();
        if code.is_empty() || code.len() > 16 || !code.chars().all(|c| c.is_ascii_alphanumeric()) {
            return Err(AppError::field("code", "Kode verifikasi tidak valid."));
        }
        Ok(store::by_code(&self.pool, &code).await?)
    }

    pub async fn my_downloads(
        &self,
        caller: &Caller,
        cursor: &str,
        limit: u32,
    ) -> Result<(Vec<DownloadRow>, String), AppError> {
        let limit = match limit {
            0 => 20,
            1..=100 => i64::from(limit),
            _ => return Err(AppError::field("limit", "Paling banyak 100 per halaman.")),
        };
        let after = if cursor.is_empty() {
            None
        } else {
            let bad = || AppError::field("cursor", "Kursor tidak valid.");
            let (t, id) = cursor.split_once('_').ok_or_else(bad)?;
            let t: i64 = t.parse().map_err(|_| bad())?;
            Some((
                DateTime::from_timestamp_micros(t).ok_or_else(bad)?,
                Uuid::parse_str(id).map_err(|_| bad())?,
            ))
        };
        let rows = store::list_for_user(&self.pool, caller.user_id, after, limit + 1).await?;
        let more = rows.len() as i64 > limit;
        let rows: Vec<_> = rows.into_iter().take(limit as usize).collect();
        let next = match rows.last() {
            Some(r) if more => format!("{}_{}", r.issued_at.timestamp_micros(), r.id),
            _ => String::new(),
        };
        Ok((rows, next))
    }

    /// A copy by its id (or printed code), if it is the caller's (staff: their office's).
    pub async fn session(&self, caller: &Caller, id: &str) -> Result<DownloadRow, AppError> {
        let found = match Uuid::parse_str(id.trim()) {
            Ok(uuid) => store::by_id(&self.pool, uuid).await?,
            Err(_) => self.check_code(id).await?,
        };
        let not_found = || AppError::NotFound {
            code: "DOWNLOAD_NOT_FOUND",
            detail: "Unduhan atau sesi baca tidak ditemukan.".into(),
        };
        let d = found.ok_or_else(not_found)?;
        let staff_ok = caller.role == Role::Admin
            || (caller.role.is_staff() && caller.office.as_deref() == Some(d.office_code.as_str()));
        if d.user_id != caller.user_id && !staff_ok {
            return Err(not_found());
        }
        Ok(d)
    }
}
