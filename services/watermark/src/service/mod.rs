//! The watermark use cases, independent of gRPC: upload, stamped copies, verification
//! and the download log. Each checks authorisation itself; the catalogue decides who may
//! see a publication (its access level), identity who the user is.

use std::collections::HashMap;
use std::ops::Range;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};

use bytes::Bytes;
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

mod copy;
mod peers;
mod replan;
mod sessions;
mod upload;
mod verify;

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
/// range of the stored base, then the bytes after it — this copy's stamp, the wrapped
/// pages and catalogue, this copy's cross-reference — already cut to the range.
#[derive(Debug, Clone)]
pub struct Parts {
    pub key: ObjectPath,
    pub base: Option<Range<u64>>,
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

/// The catalogue's refusals as ours.
const CATALOGUE: pst_kit::grpc::Peer = pst_kit::grpc::Peer {
    service: "catalogue",
    not_found: "PUBLICATION_NOT_FOUND",
    denied: "FORBIDDEN",
    field: "publication_id",
    unavailable: "UPSTREAM_UNAVAILABLE",
    unavailable_detail: "Layanan pendukung sedang tidak tersedia; coba lagi sebentar lagi.",
};

/// Identity's refusals as ours (who the caller is, for the stamp).
const IDENTITY: pst_kit::grpc::Peer = pst_kit::grpc::Peer {
    service: "identity",
    not_found: "USER_NOT_FOUND",
    denied: "FORBIDDEN",
    field: "authorization",
    unavailable: "UPSTREAM_UNAVAILABLE",
    unavailable_detail: "Layanan pendukung sedang tidak tersedia; coba lagi sebentar lagi.",
};

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
        // A plan of an older layout is made again from the stored upload.
        let s = match &s.base_sha256 {
            Some(_) if s.plan.layout == pdf::stamp::LAYOUT => s,
            _ => self.replan(&s.row).await?,
        };
        let s = Arc::new(s);
        let mut cache = self.plans.lock().expect("BUG: plan cache poisoned");
        if cache.len() >= PLAN_CACHE {
            cache.clear();
        }
        cache.insert(id, Arc::clone(&s));
        Ok(s)
    }

    /// The document ready to stamp, its base checked in storage: a lost base is made again
    /// from the stored upload, and a lost upload is the data loss reported (500
    /// `DOCUMENT_FILE_MISSING`, its key in the error log) — before any copy is logged.
    async fn servable(&self, doc: Arc<Stampable>) -> Result<Arc<Stampable>, AppError> {
        let id = doc.row.id;
        let base = doc.base_sha256.as_deref().unwrap_or_default();
        if self.storage.exists(&Storage::key(base)).await? {
            return Ok(doc);
        }
        tracing::warn!(document = %id, %base, "a document's base is missing from storage; making it again from the upload");
        let again = Arc::new(self.replan(&doc.row).await?);
        self.plans
            .lock()
            .expect("BUG: plan cache poisoned")
            .insert(id, Arc::clone(&again));
        Ok(again)
    }

    fn verify_url(&self, code: &str) -> String {
        format!("{}/cek/{code}", self.public_url)
    }
}
