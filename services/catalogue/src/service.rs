//! The catalogue use cases: publications kept by librarians, holdings, reading-room use,
//! and search. Each checks authorisation itself.

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD as B64URL;
use chrono::{NaiveDate, Utc};
use sqlx::{PgPool, Postgres, QueryBuilder};
use uuid::Uuid;

use pst_kit::AppError;
use pst_kit::auth::{Caller, Role, TokenVerifier};

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, RwLock};
use std::time::{Duration, Instant};

use crate::domain::publication::{self, Input};
use crate::domain::vocabulary::{Vocabulary, similarity, text_trigrams};
use crate::store::{self, COLUMNS, HoldingRow, PublicationRow};

pub const MAX_LIMIT: u32 = 100;
const MAX_QUERY: usize = 200;
/// Matches counted for facets of a filter-only search; beyond this counts say "at least".
const FACET_CAP: i64 = 10_000;
/// Newest text matches ranked per search (and counted for its facets).
const CANDIDATES: i64 = 200;
/// Titles nearest in trigrams, when no word matched even after correction.
const TYPO_CANDIDATES: i64 = 50;

/// The search filters, appended to a query only when set (so each can use its index).
struct Filters {
    levels: Vec<String>,
    /// Staff-only entries of this office are seen too (`Some("")`: of every office, admin).
    staff_of: Option<String>,
    /// Withdrawn entries are listed too (staff of the filtered office only).
    include_withdrawn: bool,
    office: String,
    subject: String,
    year_from: Option<i32>,
    year_to: Option<i32>,
    language: String,
    has_digital: Option<bool>,
    has_printed: Option<bool>,
}

impl Filters {
    fn push(&self, b: &mut QueryBuilder<Postgres>) {
        b.push(if self.include_withdrawn {
            "(p.access_level = ANY("
        } else {
            "p.withdrawn_at IS NULL AND (p.access_level = ANY("
        });
        b.push_bind(self.levels.clone());
        b.push(")");
        match self.staff_of.as_deref() {
            Some("") => b.push(" OR p.access_level = 'staff')"),
            Some(office) => {
                b.push(" OR (p.access_level = 'staff' AND p.office_code = ");
                b.push_bind(office.to_owned());
                b.push("::char(4)))")
            }
            None => b.push(")"),
        };
        if !self.office.is_empty() {
            // Cast: a text parameter against the char(4) column would bypass its index.
            b.push(" AND p.office_code = ");
            b.push_bind(self.office.clone());
            b.push("::char(4)");
        }
        if !self.subject.is_empty() {
            b.push(" AND p.subject = ");
            b.push_bind(self.subject.clone());
        }
        if let Some(y) = self.year_from {
            b.push(" AND (p.year_to IS NULL OR p.year_to >= ");
            b.push_bind(y);
            b.push(")");
        }
        if let Some(y) = self.year_to {
            b.push(" AND (p.year_from IS NULL OR p.year_from <= ");
            b.push_bind(y);
            b.push(")");
        }
        if !self.language.is_empty() {
            b.push(" AND p.language = ");
            b.push_bind(self.language.clone());
        }
        if let Some(d) = self.has_digital {
            b.push(if d {
                " AND p.document_id IS NOT NULL"
            } else {
                " AND p.document_id IS NULL"
            });
        }
        if let Some(p) = self.has_printed {
            b.push(" AND p.has_printed = ");
            b.push_bind(p);
        }
    }
}

#[derive(Debug)]
pub struct Catalogue {
    pub(crate) pool: PgPool,
    pub(crate) verifier: TokenVerifier,
    /// The vocabulary for typo correction, and when it was loaded.
    pub(crate) vocabulary: RwLock<Option<(Instant, Arc<Vocabulary>)>>,
    /// Bumped by every write that may add words.
    pub(crate) vocabulary_generation: AtomicU64,
    /// The visit service: whose visit a self-service reading-room use names.
    pub(crate) visit: Option<
        pst_proto::visit::visit_service_client::VisitServiceClient<pst_kit::grpc::TracedChannel>,
    >,
}

/// How long another instance's new words may go unseen by typo correction.
const VOCABULARY_TTL: Duration = Duration::from_secs(10);

/// A text query's candidate: what ranking, facets and paging need.
#[derive(sqlx::FromRow)]
struct Candidate {
    id: Uuid,
    title: String,
    subject: String,
    office: String,
    year: i32,
    language: String,
    score: f64,
}

#[derive(sqlx::FromRow)]
struct PageRow {
    #[sqlx(flatten)]
    row: PublicationRow,
    snippet: String,
}

/// Facet counts as they are gathered.
#[derive(Default)]
struct FacetCounts(std::collections::HashMap<(String, String), i64>);

impl FacetCounts {
    fn add(&mut self, kind: &str, value: String, n: i64) {
        *self.0.entry((kind.to_owned(), value)).or_default() += n;
    }

    /// The facets, each most frequent first (at most 50 values), and the number of
    /// matches (the subject counts' sum: every publication has one subject).
    fn finish(self) -> (Facets, i64) {
        let mut facets = Facets::default();
        let mut total = 0;
        for ((kind, value), n) in self.0 {
            let list = match kind.as_str() {
                "subject" => {
                    total += n;
                    &mut facets.subject
                }
                "office" => &mut facets.office,
                "year" => &mut facets.year,
                _ => &mut facets.language,
            };
            list.push((value, n));
        }
        for list in [
            &mut facets.subject,
            &mut facets.office,
            &mut facets.year,
            &mut facets.language,
        ] {
            list.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
            list.truncate(50);
        }
        (facets, total)
    }
}

/// Keyset condition after the cursor's (score, id), on the subquery `m`.
fn push_after(b: &mut QueryBuilder<Postgres>, after: Option<(f64, Uuid)>) {
    if let Some((score, id)) = after {
        b.push(" WHERE (m.score < ");
        b.push_bind(score);
        b.push(" OR (m.score = ");
        b.push_bind(score);
        b.push(" AND m.id > ");
        b.push_bind(id);
        b.push("))");
    }
}

fn cursor_after(last: Option<&Hit>) -> String {
    last.map(|h| B64URL.encode(format!("{}|{}", h.score, h.row.id)))
        .unwrap_or_default()
}

/// What a search asks (wire-independent).
#[derive(Debug, Default)]
pub struct Query {
    pub q: String,
    pub office: String,
    pub subject: String,
    pub year_from: u32,
    pub year_to: u32,
    pub language: String,
    pub has_digital: Option<bool>,
    pub has_printed: Option<bool>,
    pub cursor: String,
    pub limit: u32,
    pub include_withdrawn: bool,
}

#[derive(Debug)]
pub struct Hit {
    pub row: PublicationRow,
    pub snippet: String,
    pub score: f64,
}

#[derive(Debug, Default)]
pub struct Facets {
    pub subject: Vec<(String, i64)>,
    pub office: Vec<(String, i64)>,
    pub year: Vec<(String, i64)>,
    pub language: Vec<(String, i64)>,
}

#[derive(Debug)]
pub struct Results {
    pub hits: Vec<Hit>,
    pub facets: Facets,
    pub next_cursor: String,
    pub total: i64,
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

impl Catalogue {
    /// A visitor records reading-room use only for their own visit, still going on, in
    /// this office (the visit service says whose it is).
    async fn own_current_visit(
        &self,
        caller: &Caller,
        bearer: Option<&str>,
        visit: Uuid,
        office: &str,
    ) -> Result<(), AppError> {
        let Some(client) = self.visit.clone() else {
            return Err(AppError::Unavailable {
                code: "VISIT_SERVICE_UNAVAILABLE",
                detail: "Data kunjungan tidak dapat diperiksa saat ini; coba lagi sebentar lagi."
                    .into(),
            });
        };
        let req = pst_kit::grpc::forwarded(
            pst_proto::visit::CheckVisitRequest {
                visit_id: visit.to_string(),
                feedback_code: String::new(),
            },
            bearer,
            pst_kit::grpc::PEER_TIMEOUT,
        );
        let found = client
            .clone()
            .check_visit_for_feedback(req)
            .await
            .map_err(|s| {
                pst_kit::grpc::peer_error(
                    &pst_kit::grpc::Peer {
                        service: "visit",
                        not_found: "VISIT_NOT_FOUND",
                        denied: "NOT_YOUR_VISIT",
                        field: "visit_id",
                        unavailable: "VISIT_SERVICE_UNAVAILABLE",
                        unavailable_detail: "Data kunjungan tidak dapat diperiksa saat ini; coba lagi sebentar lagi.",
                    },
                    s,
                )
            })?
            .into_inner();
        if found.user_id != caller.user_id.to_string() || found.ended || found.office_code != office
        {
            return Err(AppError::PermissionDenied {
                code: "NOT_YOUR_VISIT",
                detail: "Penggunaan ruang baca hanya dapat dicatat untuk kunjungan Anda sendiri yang sedang berlangsung di satker ini.".into(),
            });
        }
        Ok(())
    }
}

/// A softcopy is linked only by uploading it for this publication (the watermark service
/// calls LinkDocument); naming a document id here could point at another office's file.
fn softcopy_by_upload_only() -> AppError {
    AppError::field(
        "document_id",
        "Softcopy hanya dapat ditautkan dengan mengunggah berkasnya untuk publikasi ini.",
    )
}

fn bad_cursor() -> AppError {
    AppError::field("cursor", "Kursor halaman tidak valid.")
}

impl Catalogue {
    pub fn new(pool: PgPool, verifier: TokenVerifier) -> Self {
        Self {
            pool,
            verifier,
            vocabulary: RwLock::default(),
            vocabulary_generation: AtomicU64::new(0),
            visit: None,
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

    pub async fn create(
        &self,
        caller: &Caller,
        input: &Input,
    ) -> Result<(PublicationRow, Vec<HoldingRow>), AppError> {
        let valid = publication::validate(input, Self::today())?;
        librarian(caller, &valid.office_code)?;
        if valid.document_id.is_some() {
            return Err(softcopy_by_upload_only());
        }
        let id = Uuid::now_v7();
        let mut tx = self.pool.begin().await?;
        store::upsert(&mut *tx, id, &valid).await?;
        store::history(&mut *tx, id, caller.user_id, "create", None).await?;
        pst_kit::audit::record(
            &mut *tx,
            caller,
            Some(&valid.office_code),
            "publication.create",
            &id.to_string(),
            serde_json::json!({ "title": valid.title }),
        )
        .await?;
        tx.commit().await?;
        self.vocabulary_changed();
        self.full(id).await
    }

    pub async fn update(
        &self,
        caller: &Caller,
        id: &str,
        input: &Input,
        expected_updated_at: &str,
    ) -> Result<(PublicationRow, Vec<HoldingRow>), AppError> {
        let id = parse_id(id)?;
        let valid = publication::validate(input, Self::today())?;
        let expected = crate::history::expected_version(expected_updated_at)?;
        let mut tx = self.pool.begin().await?;
        let before = store::get(&mut *tx, id, true)
            .await?
            .ok_or_else(store::not_found)?;
        librarian(caller, &before.office_code)?;
        if let Some(expected) = expected {
            crate::history::still_as_seen(&mut tx, &before, expected).await?;
        }
        if valid.office_code != before.office_code {
            return Err(AppError::field(
                "office_code",
                "Satker penerbit tidak dapat diubah.",
            ));
        }
        if valid.document_id.is_some() && valid.document_id != before.document_id {
            return Err(softcopy_by_upload_only());
        }
        // An update never moves the softcopy link (only an upload does).
        let mut valid = valid;
        valid.document_id = before.document_id;
        if before.withdrawn_at.is_some() {
            return Err(AppError::FailedPrecondition {
                code: "PUBLICATION_WITHDRAWN",
                detail: "Publikasi ini sudah ditarik.".into(),
            });
        }
        store::upsert(&mut *tx, id, &valid).await?;
        store::history(&mut *tx, id, caller.user_id, "update", Some(&before)).await?;
        pst_kit::audit::record(
            &mut *tx,
            caller,
            Some(&before.office_code),
            "publication.update",
            &id.to_string(),
            serde_json::json!({}),
        )
        .await?;
        tx.commit().await?;
        self.vocabulary_changed();
        self.full(id).await
    }

    /// Soft delete with a reason; kept in history, hidden from search.
    /// Links a publication of the caller's office to its stored softcopy.
    pub async fn link_document(
        &self,
        caller: &Caller,
        id: &str,
        document_id: &str,
    ) -> Result<(PublicationRow, Vec<HoldingRow>), AppError> {
        let id = parse_id(id)?;
        let document: uuid::Uuid = document_id
            .parse()
            .map_err(|_| AppError::field("document_id", "ID dokumen tidak valid."))?;
        let mut tx = self.pool.begin().await?;
        let before = store::get(&mut *tx, id, true)
            .await?
            .ok_or_else(store::not_found)?;
        librarian(caller, &before.office_code)?;
        sqlx::query("UPDATE publications SET document_id = $2, updated_at = now() WHERE id = $1")
            .bind(id)
            .bind(document)
            .execute(&mut *tx)
            .await?;
        store::history(&mut *tx, id, caller.user_id, "link_document", Some(&before)).await?;
        pst_kit::audit::record(
            &mut *tx,
            caller,
            Some(&before.office_code),
            "publication.link_document",
            &id.to_string(),
            serde_json::json!({ "document_id": document }),
        )
        .await?;
        tx.commit().await?;
        self.full(id).await
    }

    pub async fn withdraw(
        &self,
        caller: &Caller,
        id: &str,
        reason: &str,
    ) -> Result<(PublicationRow, Vec<HoldingRow>), AppError> {
        let id = parse_id(id)?;
        let reason =
            pst_kit::validate::text(reason, 5, 500).map_err(|m| AppError::field("reason", m))?;
        let mut tx = self.pool.begin().await?;
        let before = store::get(&mut *tx, id, true)
            .await?
            .ok_or_else(store::not_found)?;
        librarian(caller, &before.office_code)?;
        if before.withdrawn_at.is_some() {
            return Err(AppError::FailedPrecondition {
                code: "PUBLICATION_WITHDRAWN",
                detail: "Publikasi ini sudah ditarik.".into(),
            });
        }
        sqlx::query("UPDATE publications SET withdrawn_at = now(), withdrawn_reason = $2, withdrawn_by = $3, updated_at = now() WHERE id = $1")
            .bind(id)
            .bind(&reason)
            .bind(caller.user_id)
            .execute(&mut *tx)
            .await?;
        store::history(&mut *tx, id, caller.user_id, "withdraw", Some(&before)).await?;
        pst_kit::audit::record(
            &mut *tx,
            caller,
            Some(&before.office_code),
            "publication.withdraw",
            &id.to_string(),
            serde_json::json!({ "reason": reason }),
        )
        .await?;
        tx.commit().await?;
        self.full(id).await
    }

    pub async fn add_holding(
        &self,
        caller: &Caller,
        id: &str,
        call_number: &str,
        shelf: &str,
        copies: u32,
        condition: &str,
    ) -> Result<(PublicationRow, Vec<HoldingRow>), AppError> {
        let id = parse_id(id)?;
        let mut v = pst_kit::validate::Violations::new();
        let call_number = v.check("call_number", pst_kit::validate::text(call_number, 1, 60));
        let shelf = v.check("shelf", pst_kit::validate::optional_text(shelf, 60));
        if !(1..=1000).contains(&copies) {
            v.add("copies", "Jumlah eksemplar 1-1000.");
        }
        let condition = if condition.trim().is_empty() {
            "baik"
        } else {
            condition.trim()
        };
        if !["baik", "rusak_ringan", "rusak_berat"].contains(&condition) {
            v.add("condition", "Kondisi: baik, rusak_ringan, rusak_berat.");
        }
        v.into_result()?;
        let mut tx = self.pool.begin().await?;
        let p = store::get(&mut *tx, id, true)
            .await?
            .ok_or_else(store::not_found)?;
        let office = caller
            .office
            .clone()
            .unwrap_or_else(|| p.office_code.clone());
        librarian(caller, &office)?;
        sqlx::query("INSERT INTO holdings (id, publication_id, office_code, call_number, shelf, copies, condition) VALUES ($1,$2,$3,$4,$5,$6,$7)")
            .bind(Uuid::now_v7())
            .bind(id)
            .bind(&office)
            .bind(call_number.unwrap_or_default())
            .bind(shelf.unwrap_or_default())
            .bind(i32::try_from(copies).unwrap_or(1))
            .bind(condition)
            .execute(&mut *tx)
            .await?;
        sqlx::query("UPDATE publications SET has_printed = true, updated_at = now() WHERE id = $1")
            .bind(id)
            .execute(&mut *tx)
            .await?;
        pst_kit::audit::record(
            &mut *tx,
            caller,
            Some(&office),
            "holding.add",
            &id.to_string(),
            serde_json::json!({ "copies": copies }),
        )
        .await?;
        tx.commit().await?;
        self.full(id).await
    }

    async fn full(&self, id: Uuid) -> Result<(PublicationRow, Vec<HoldingRow>), AppError> {
        let row = store::get(&self.pool, id, false)
            .await?
            .ok_or_else(store::not_found)?;
        let holdings = store::holdings(&self.pool, id).await?;
        Ok((row, holdings))
    }

    /// A publication as `caller` may see it: withdrawn ones only for the office's staff,
    /// restricted ones only for their audience (404 otherwise, so existence does not leak).
    pub async fn get(
        &self,
        caller: Option<&Caller>,
        id: &str,
    ) -> Result<(PublicationRow, Vec<HoldingRow>), AppError> {
        let (row, holdings) = self.full(parse_id(id)?).await?;
        let staff_here = caller.is_some_and(|c| {
            c.role.is_staff()
                && (c.role == Role::Admin || c.office.as_deref() == Some(row.office_code.as_str()))
        });
        if (row.withdrawn_at.is_some() && !staff_here)
            || !may_see(caller, &row.office_code, &row.access_level)
        {
            return Err(store::not_found());
        }
        Ok((row, holdings))
    }

    /// Matching: Indonesian stems (penduduk ~ kependudukan) or, when few match that way, the
    /// titles nearest in trigrams (typos). Broad queries are ranked among their newest
    /// `CANDIDATES` matches, so a word found in most of the catalogue costs no more than a
    /// rare one; score = text rank + title similarity, so title matches come first.
    pub async fn search(&self, caller: Option<&Caller>, q: &Query) -> Result<Results, AppError> {
        let started = std::time::Instant::now();
        let found = self.search_timed(caller, q).await;
        pst_kit::metrics::get().searched(started.elapsed());
        found
    }

    async fn search_timed(&self, caller: Option<&Caller>, q: &Query) -> Result<Results, AppError> {
        let text = q.q.trim();
        if text.chars().count() > MAX_QUERY {
            return Err(AppError::field(
                "q",
                format!("Kata kunci maksimal {MAX_QUERY} karakter."),
            ));
        }
        if !text.is_empty() && !text.chars().any(char::is_alphanumeric) {
            return Err(AppError::field(
                "q",
                "Kata kunci harus memuat huruf atau angka.",
            ));
        }
        let limit = match q.limit {
            0 => 20,
            n if n > MAX_LIMIT => {
                return Err(AppError::field(
                    "limit",
                    format!("Ukuran halaman maksimal {MAX_LIMIT}."),
                ));
            }
            n => i64::from(n),
        };
        if !q.office.is_empty() {
            pst_kit::validate::office_code(&q.office).map_err(|m| AppError::field("office", m))?;
        }
        if !q.subject.is_empty() {
            crate::domain::subjects::subject(&q.subject)
                .map_err(|m| AppError::field("subject", m))?;
        }
        if !q.language.is_empty() && !publication::LANGUAGES.contains(&q.language.as_str()) {
            return Err(AppError::field("language", "Bahasa: id, en, id-en."));
        }
        let after = if q.cursor.is_empty() {
            None
        } else {
            let raw = String::from_utf8(B64URL.decode(&q.cursor).map_err(|_| bad_cursor())?)
                .map_err(|_| bad_cursor())?;
            let (s, id) = raw.split_once('|').ok_or_else(bad_cursor)?;
            Some((
                s.parse::<f64>()
                    .ok()
                    .filter(|v| v.is_finite())
                    .ok_or_else(bad_cursor)?,
                Uuid::parse_str(id).map_err(|_| bad_cursor())?,
            ))
        };
        let f = Filters {
            levels: levels(caller).into_iter().map(str::to_owned).collect(),
            include_withdrawn: q.include_withdrawn
                && !q.office.is_empty()
                && staff_of(caller).is_some_and(|o| o.is_empty() || o == q.office),
            staff_of: staff_of(caller),
            office: q.office.clone(),
            subject: q.subject.clone(),
            year_from: (q.year_from > 0).then(|| i32::try_from(q.year_from).unwrap_or(i32::MAX)),
            year_to: (q.year_to > 0).then(|| i32::try_from(q.year_to).unwrap_or(i32::MAX)),
            language: q.language.clone(),
            has_digital: q.has_digital,
            has_printed: q.has_printed,
        };

        // 0. Typos: words not in the catalogue's vocabulary become their nearest word.
        let corrected = if text.is_empty() {
            String::new()
        } else {
            self.correct(text).await?
        };
        let text = if corrected.is_empty() {
            text
        } else {
            corrected.as_str()
        };

        if !text.is_empty() {
            return self.search_text(&f, text, after, limit).await;
        }

        // Filters only: the newest first, facets over (at most FACET_CAP of) the matches.
        let mut b = QueryBuilder::<Postgres>::new(format!(
            "SELECT * FROM (SELECT {COLUMNS}, COALESCE(p.year_to, 0)::float8 AS score, '' AS snippet FROM publications p WHERE "
        ));
        f.push(&mut b);
        b.push(") m");
        push_after(&mut b, after);
        b.push(" ORDER BY m.score DESC, m.id LIMIT ");
        b.push_bind(limit + 1);
        let rows: Vec<SearchRow> = b.build_query_as().fetch_all(&self.pool).await?;
        let more = rows.len() as i64 > limit;
        let hits: Vec<Hit> = rows
            .into_iter()
            .take(usize::try_from(limit).unwrap_or(0))
            .map(|r| Hit {
                score: r.score,
                snippet: r.snippet,
                row: r.row,
            })
            .collect();

        let mut b = QueryBuilder::<Postgres>::new(
            "WITH m AS (SELECT p.subject, p.office_code::text AS office, COALESCE(p.year_to, 0)::text AS year, p.language FROM publications p WHERE ",
        );
        f.push(&mut b);
        b.push(" LIMIT ");
        b.push_bind(FACET_CAP);
        b.push(
            ") SELECT 'subject', subject, count(*) FROM m GROUP BY subject UNION ALL \
              SELECT 'office', office, count(*) FROM m GROUP BY office UNION ALL \
              SELECT 'year', year, count(*) FROM m GROUP BY year UNION ALL \
              SELECT 'language', language, count(*) FROM m GROUP BY language",
        );
        let counts: Vec<(String, String, i64)> = b.build_query_as().fetch_all(&self.pool).await?;
        let mut facets = FacetCounts::default();
        for (kind, value, n) in counts {
            facets.add(&kind, value, n);
        }
        let (facets, total) = facets.finish();
        Ok(Results {
            next_cursor: if more {
                cursor_after(hits.last())
            } else {
                String::new()
            },
            hits,
            facets,
            total,
        })
    }

    /// A text query in two statements: the candidates (stems, or nearest titles when no
    /// word matched) with their score and facet fields, ranked, counted and paged here;
    /// then the page's rows with their highlighted snippets.
    async fn search_text(
        &self,
        f: &Filters,
        text: &str,
        after: Option<(f64, Uuid)>,
        limit: i64,
    ) -> Result<Results, AppError> {
        // Title similarity (pg_trgm's) is computed here, not by Postgres: it was a sixth of
        // the database's work per query. Both candidate queries pick the same columns and
        // filters, then differ in how they match.
        let pick = || {
            let mut b = QueryBuilder::<Postgres>::new(
                "SELECT p.id, p.title, p.subject, p.office_code::text AS office, COALESCE(p.year_to, 0) AS year, p.language, \
                 ts_rank(p.search, websearch_to_tsquery('indonesian', ",
            );
            b.push_bind(text);
            b.push("))::float8 AS score FROM publications p WHERE ");
            f.push(&mut b);
            b
        };
        let mut b = pick();
        b.push(" AND p.search @@ websearch_to_tsquery('indonesian', ");
        b.push_bind(text);
        b.push(") ORDER BY p.year_to DESC NULLS LAST, p.id LIMIT ");
        b.push_bind(CANDIDATES);
        let mut candidates: Vec<Candidate> = b.build_query_as().fetch_all(&self.pool).await?;
        // The nearest-title scan is the costly path: only when the (corrected) words found
        // nothing at all.
        if candidates.is_empty() {
            let mut b = pick();
            b.push(" AND lower(p.title) % lower(");
            b.push_bind(text);
            b.push(") ORDER BY lower(p.title) <-> lower(");
            b.push_bind(text);
            b.push("), p.id LIMIT ");
            b.push_bind(TYPO_CANDIDATES);
            candidates = b.build_query_as().fetch_all(&self.pool).await?;
        }
        // score = text rank + 2 × title similarity: title matches first.
        let query = text_trigrams(text);
        for c in &mut candidates {
            c.score += 2.0 * f64::from(similarity(&text_trigrams(&c.title), &query));
        }
        candidates.sort_by(|a, b| b.score.total_cmp(&a.score).then(a.id.cmp(&b.id)));

        let mut facets = FacetCounts::default();
        for c in &candidates {
            facets.add("subject", c.subject.clone(), 1);
            facets.add("office", c.office.clone(), 1);
            facets.add("year", c.year.to_string(), 1);
            facets.add("language", c.language.clone(), 1);
        }
        let (facets, total) = facets.finish();

        let mut page: Vec<&Candidate> = candidates
            .iter()
            .filter(|c| match after {
                None => true,
                Some((score, id)) => c.score < score || (c.score == score && c.id > id),
            })
            .take(usize::try_from(limit + 1).unwrap_or(usize::MAX))
            .collect();
        let more = page.len() as i64 > limit;
        page.truncate(usize::try_from(limit).unwrap_or(0));
        // From the page's last candidate: still right if its row vanished meanwhile.
        let next_cursor = match page.last() {
            Some(c) if more => B64URL.encode(format!("{}|{}", c.score, c.id)),
            _ => String::new(),
        };

        let ids: Vec<Uuid> = page.iter().map(|c| c.id).collect();
        let mut b = QueryBuilder::<Postgres>::new(format!(
            "SELECT {COLUMNS}, ts_headline('indonesian', p.title || '. ' || left(p.abstract, 2000), websearch_to_tsquery('indonesian', "
        ));
        b.push_bind(text);
        b.push("), 'StartSel=<mark>,StopSel=</mark>,MaxWords=30,MinWords=10') AS snippet FROM publications p WHERE p.id = ANY(");
        b.push_bind(ids);
        b.push(")");
        let rows: Vec<PageRow> = b.build_query_as().fetch_all(&self.pool).await?;
        let mut rows: std::collections::HashMap<Uuid, PageRow> =
            rows.into_iter().map(|r| (r.row.id, r)).collect();
        let hits: Vec<Hit> = page
            .iter()
            .filter_map(|c| {
                rows.remove(&c.id).map(|r| Hit {
                    row: r.row,
                    snippet: r.snippet,
                    score: c.score,
                })
            })
            .collect();
        Ok(Results {
            next_cursor,
            hits,
            facets,
            total,
        })
    }

    /// `text` with each word unknown to the vocabulary replaced by its nearest known word
    /// (trigram similarity ≥ 0.3, as pg_trgm), or empty when nothing changed. The vocabulary
    /// is held in memory, reloaded after this instance's own writes and at most
    /// `VOCABULARY_TTL` after another instance's.
    async fn correct(&self, text: &str) -> Result<String, AppError> {
        Ok(self.vocabulary().await?.correct(text))
    }

    async fn vocabulary(&self) -> Result<Arc<Vocabulary>, AppError> {
        if let Some((at, v)) = self
            .vocabulary
            .read()
            .expect("BUG: vocabulary lock")
            .as_ref()
            && at.elapsed() < VOCABULARY_TTL
        {
            return Ok(Arc::clone(v));
        }
        let generation = self.vocabulary_generation.load(Ordering::Acquire);
        let words: Vec<String> = sqlx::query_scalar("SELECT word FROM vocabulary")
            .fetch_all(&self.pool)
            .await?;
        let v = Arc::new(Vocabulary::new(words));
        let mut slot = self.vocabulary.write().expect("BUG: vocabulary lock");
        // A write committed while this list was read: keep it for this search only, so
        // the next one reads the new words.
        if self.vocabulary_generation.load(Ordering::Acquire) == generation {
            *slot = Some((Instant::now(), Arc::clone(&v)));
        }
        Ok(v)
    }

    /// After a write that may add words: the next search reloads the vocabulary.
    fn vocabulary_changed(&self) {
        self.vocabulary_generation.fetch_add(1, Ordering::AcqRel);
        *self.vocabulary.write().expect("BUG: vocabulary lock") = None;
    }

    /// A librarian records use of a printed publication; a signed-in visitor may scan it at
    /// the shelf (self-service).
    pub async fn reading_room_use(
        &self,
        caller: &Caller,
        bearer: Option<&str>,
        id: &str,
        office: &str,
        visit: &str,
    ) -> Result<(Uuid, bool, chrono::DateTime<Utc>), AppError> {
        let id = parse_id(id)?;
        let office = pst_kit::validate::office_code(office)
            .map_err(|m| AppError::field("office_code", m))?;
        let self_service = caller.role == Role::Visitor;
        if !self_service {
            librarian(caller, &office)
                .or_else(|_| caller.require_role_in_office(&[Role::FrontOffice], &office))?;
        }
        let visit = if visit.trim().is_empty() {
            None
        } else {
            Some(
                Uuid::parse_str(visit.trim())
                    .map_err(|_| AppError::field("visit_id", "ID kunjungan tidak valid."))?,
            )
        };
        let p = store::get(&self.pool, id, false)
            .await?
            .ok_or_else(store::not_found)?;
        if p.withdrawn_at.is_some() || !may_see(Some(caller), &p.office_code, &p.access_level) {
            return Err(store::not_found());
        }
        if self_service && let Some(v) = visit {
            self.own_current_visit(caller, bearer, v, &office).await?;
        }
        let use_id = Uuid::now_v7();
        let now = Utc::now();
        sqlx::query(
            "INSERT INTO reading_room_uses (id, publication_id, office_code, use_day, visit_id, recorded_by, self_service, used_at) VALUES ($1,$2,$3,$4,$5,$6,$7,$8)",
        )
        .bind(use_id)
        .bind(id)
        .bind(&office)
        .bind(Self::today())
        .bind(visit)
        .bind(caller.user_id)
        .bind(self_service)
        .bind(now)
        .execute(&self.pool)
        .await?;
        Ok((use_id, self_service, now))
    }

    pub async fn reading_room_report(
        &self,
        caller: &Caller,
        office: &str,
        from: &str,
        to: &str,
    ) -> Result<(String, NaiveDate, NaiveDate, Vec<(Uuid, String, i64)>), AppError> {
        let office = pst_kit::validate::office_code(office)
            .map_err(|m| AppError::field("office_code", m))?;
        caller
            .require_role_in_office(&[Role::Supervisor, Role::Librarian, Role::Admin], &office)?;
        let (from, to) = pst_kit::validate::period(from, to, 3661)?;
        let rows = store::usage(&self.pool, &office, from, to).await?;
        Ok((office, from, to, rows))
    }
}

#[derive(Debug, sqlx::FromRow)]
struct SearchRow {
    #[sqlx(flatten)]
    row: PublicationRow,
    score: f64,
    snippet: String,
}

fn parse_id(raw: &str) -> Result<Uuid, AppError> {
    Uuid::parse_str(raw.trim()).map_err(|_| AppError::field("id", "ID publikasi tidak valid."))
}

impl Catalogue {
    /// Imports a CSV: every row is checked first; with any failing row nothing is imported
    /// (unless `partial`), and every failure is reported with its row.
    pub async fn import(
        &self,
        caller: &Caller,
        bytes: &[u8],
        partial: bool,
        dry_run: bool,
    ) -> Result<(usize, Vec<crate::csv_io::RowError>), AppError> {
        caller.require_role(&[Role::Librarian, Role::Admin])?;
        let (valid, mut errors) = crate::csv_io::parse(bytes, Self::today())?;
        for (row, p) in &valid {
            if caller.role != Role::Admin
                && caller.office.as_deref() != Some(p.office_code.as_str())
            {
                errors.push((
                    *row,
                    "office_code".to_owned(),
                    "Hanya boleh mengimpor publikasi satker Anda sendiri.".to_owned(),
                ));
            }
        }
        errors.sort_by_key(|e| e.0);
        if !errors.is_empty() && !partial && !dry_run {
            return Ok((0, errors));
        }
        let bad: std::collections::HashSet<u32> = errors.iter().map(|e| e.0).collect();
        let mut tx = self.pool.begin().await?;
        let mut imported = 0;
        for (row, p) in valid.iter().filter(|(row, _)| !bad.contains(row)) {
            let id = Uuid::now_v7();
            match store::upsert(&mut *tx, id, p).await {
                Ok(()) => imported += 1,
                Err(AppError::Conflict { detail, .. }) => {
                    // One failing row aborts the transaction: report it and import nothing.
                    errors.push((*row, "catalogue_number".to_owned(), detail));
                    errors.sort_by_key(|e| e.0);
                    return Ok((0, errors));
                }
                Err(e) => return Err(e),
            }
            store::history(&mut *tx, id, caller.user_id, "import", None).await?;
        }
        if dry_run {
            // A preview: every row went through the database's checks; nothing is kept.
            tx.rollback().await?;
            return Ok((imported, errors));
        }
        pst_kit::audit::record(
            &mut *tx,
            caller,
            caller.office.as_deref(),
            "publication.import",
            "",
            serde_json::json!({ "imported": imported, "rejected": bad.len() }),
        )
        .await?;
        tx.commit().await?;
        self.vocabulary_changed();
        Ok((imported, errors))
    }

    /// The office's publications as CSV (staff of the office).
    pub async fn export(&self, caller: &Caller, office: &str) -> Result<(String, usize), AppError> {
        let office = pst_kit::validate::office_code(office)
            .map_err(|m| AppError::field("office_code", m))?;
        caller.require_role_in_office(
            &[
                Role::Librarian,
                Role::Supervisor,
                Role::FrontOffice,
                Role::Admin,
            ],
            &office,
        )?;
        let rows: Vec<PublicationRow> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
            "SELECT {COLUMNS} FROM publications p WHERE p.office_code = $1::char(4) AND p.withdrawn_at IS NULL ORDER BY p.title, p.id LIMIT 50000"
        )))
        .bind(&office)
        .fetch_all(&self.pool)
        .await?;
        Ok((crate::csv_io::export(&rows), rows.len()))
    }
}
