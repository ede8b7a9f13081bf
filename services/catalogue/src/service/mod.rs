//! The catalogue use cases, each checking authorisation itself: publications kept by
//! librarians and their holdings ([`publications`]), search ([`search`]), reading-room use
//! ([`reading_room`]), and CSV import and export ([`import_export`]).

use chrono::{NaiveDate, Utc};
use sqlx::{PgPool, Postgres};
use uuid::Uuid;

use pst_kit::AppError;
use pst_kit::auth::{Caller, Role, TokenVerifier};

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, RwLock};
use std::time::{Duration, Instant};

use crate::domain::publication::{self, Input};
use crate::domain::term_stats::{self, Plan, QueryTerms, TermStats};
use crate::domain::vocabulary::{Vocabulary, similarity, text_trigrams};
use crate::store::{self, HoldingRow, PublicationRow};
use search_cursor::{Cursor, WalkFrom};

mod import_export;
mod publications;
mod reading_room;
mod search;
mod search_cursor;
mod search_index;
mod search_text;

pub use search::{Facets, Hit, MAX_LIMIT, Query, Results};

#[derive(Debug)]
pub struct Catalogue {
    pub(crate) pool: PgPool,
    pub(crate) verifier: TokenVerifier,
    /// The vocabulary for typo correction, when it was loaded and at which generation.
    pub(crate) vocabulary: RwLock<Option<(Instant, u64, Arc<Vocabulary>)>>,
    /// Bumped by every write that may add words.
    pub(crate) vocabulary_generation: AtomicU64,
    /// How common each search word is (Postgres' statistics), and when it was read.
    pub(crate) term_stats: RwLock<Option<(Instant, Option<Arc<TermStats>>)>>,
    /// The search index (`None`: Postgres' own full-text search answers).
    pub(crate) index: Option<Arc<crate::index::follow::LiveIndex>>,
    /// The visit service: whose visit a self-service reading-room use names.
    pub(crate) visit: Option<
        pst_proto::visit::visit_service_client::VisitServiceClient<pst_kit::grpc::TracedChannel>,
    >,
}

/// The access levels `caller` may see.
/// Access levels open to everyone like the caller; `staff` entries are open only to the
/// staff of their own office (and admins), see [`staff_of`].
fn levels(caller: Option<&Caller>) -> Vec<&'static str> {
    match caller {
        Some(_) => vec!["public", "registered"],
        None => vec!["public"],
    }
}

/// Whose staff-only entries the caller sees: their own office's, every office's (admin,
/// `Some("")`), or none.
fn staff_of(caller: Option<&Caller>) -> Option<String> {
    let c = caller.filter(|c| c.role.is_staff())?;
    if c.role == Role::Admin {
        return Some(String::new());
    }
    c.office.clone()
}

/// May `caller` see an entry of `office` at `level`?
fn may_see(caller: Option<&Caller>, office: &str, level: &str) -> bool {
    levels(caller).contains(&level)
        || (level == "staff" && staff_of(caller).is_some_and(|o| o.is_empty() || o == office))
}

fn librarian(caller: &Caller, office: &str) -> Result<(), AppError> {
    caller.require_role_in_office(&[Role::Librarian, Role::Admin], office)
}

/// A softcopy is linked only by uploading it for this publication (the watermark service
/// calls LinkDocument); naming a document id here could point at another office's file.
fn softcopy_by_upload_only() -> AppError {
    AppError::field(
        "document_id",
        "Softcopy hanya dapat ditautkan dengan mengunggah berkasnya untuk publikasi ini.",
    )
}

impl Catalogue {
    pub fn new(pool: PgPool, verifier: TokenVerifier) -> Self {
        Self {
            pool,
            verifier,
            vocabulary: RwLock::default(),
            vocabulary_generation: AtomicU64::new(0),
            term_stats: RwLock::default(),
            index: None,
            visit: None,
        }
    }

    /// Searches with `index` (kept current by its follower) instead of Postgres.
    pub fn with_index(mut self, index: Arc<crate::index::follow::LiveIndex>) -> Self {
        self.index = Some(index);
        self
    }

    /// After a write: the next search reloads the vocabulary, and this replica's index
    /// holds the change before the caller is answered (other replicas follow within a
    /// second). An index that cannot read the change log now catches up on its next turn.
    pub(super) async fn written(&self) {
        self.vocabulary_changed();
        if let Some(index) = &self.index
            && let Err(e) = index.catch_up().await
        {
            tracing::warn!(error = %e, "search index: catching up after a write failed; the follower retries");
        }
    }

    /// Checks the visits named by self-service reading-room uses with `visit`.
    pub fn with_visit(
        mut self,
        visit: pst_proto::visit::visit_service_client::VisitServiceClient<
            pst_kit::grpc::TracedChannel,
        >,
    ) -> Self {
        self.visit = Some(visit);
        self
    }
}

impl Catalogue {
    pub fn verifier(&self) -> &TokenVerifier {
        &self.verifier
    }

    pub fn pool(&self) -> &PgPool {
        &self.pool
    }

    fn today() -> NaiveDate {
        Utc::now()
            .with_timezone(&chrono_tz::Asia::Jakarta)
            .date_naive()
    }
}

fn parse_id(raw: &str) -> Result<Uuid, AppError> {
    Uuid::parse_str(raw.trim()).map_err(|_| AppError::field("id", "ID publikasi tidak valid."))
}
