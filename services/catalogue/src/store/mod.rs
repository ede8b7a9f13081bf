//! SQL of the catalogue database: publications, holdings, history, reading-room uses,
//! statistics and the vocabulary here; a search answered by Postgres in [`search`].

use chrono::{DateTime, NaiveDate, Utc};
use sqlx::{PgExecutor, PgPool};
use uuid::Uuid;

use pst_kit::AppError;

use crate::domain::publication::Valid;

pub(crate) mod search;

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct PublicationRow {
    pub id: Uuid,
    pub office_code: String,
    pub title: String,
    pub subtitle: String,
    pub catalogue_number: String,
    pub publication_number: String,
    pub issn: String,
    pub isbn: String,
    pub release_date: Option<NaiveDate>,
    pub year_from: Option<i32>,
    pub year_to: Option<i32>,
    pub subject: String,
    pub subject_group: String,
    pub language: String,
    pub pages: i32,
    pub abstract_text: String,
    pub keywords: Vec<String>,
    pub cover_url: String,
    pub document_id: Option<Uuid>,
    pub access_level: String,
    pub has_printed: bool,
    pub withdrawn_at: Option<DateTime<Utc>>,
    pub withdrawn_reason: String,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

pub const COLUMNS: &str = "p.id, p.office_code::text AS office_code, p.title, p.subtitle, p.catalogue_number, p.publication_number, \
     p.issn, p.isbn, p.release_date, p.year_from, p.year_to, p.subject, p.subject_group, p.language, p.pages, \
     p.abstract AS abstract_text, p.keywords, p.cover_url, p.document_id, p.access_level, p.has_printed, p.withdrawn_at, \
     p.withdrawn_reason, p.created_at, p.updated_at";

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct HoldingRow {
    pub id: Uuid,
    pub office_code: String,
    pub call_number: String,
    pub shelf: String,
    pub copies: i32,
    pub condition: String,
}

pub fn not_found() -> AppError {
    AppError::NotFound {
        code: "PUBLICATION_NOT_FOUND",
        detail: "Publikasi tidak ditemukan.".into(),
    }
}

fn catalogue_number_taken() -> AppError {
    AppError::Conflict {
        code: "CATALOGUE_NUMBER_TAKEN",
        detail: "Nomor katalog ini sudah dipakai publikasi lain.".into(),
        field: Some("catalogue_number"),
    }
}

pub async fn get(
    db: impl PgExecutor<'_>,
    id: Uuid,
    lock: bool,
) -> Result<Option<PublicationRow>, AppError> {
    let sql = format!(
        "SELECT {COLUMNS} FROM publications p WHERE p.id = $1{}",
        if lock { " FOR UPDATE" } else { "" }
    );
    Ok(sqlx::query_as(sqlx::AssertSqlSafe(sql))
        .bind(id)
        .fetch_optional(db)
        .await?)
}

pub async fn holdings(db: impl PgExecutor<'_>, id: Uuid) -> Result<Vec<HoldingRow>, AppError> {
    Ok(sqlx::query_as("SELECT id, office_code::text AS office_code, call_number, shelf, copies, condition FROM holdings WHERE publication_id = $1 ORDER BY created_at")
        .bind(id)
        .fetch_all(db)
        .await?)
}

/// Inserts (`id` new) or replaces the fields of a publication.
pub async fn upsert(db: impl PgExecutor<'_>, id: Uuid, p: &Valid) -> Result<(), AppError> {
    let r = sqlx::query(
        "INSERT INTO publications (id, office_code, title, subtitle, catalogue_number, publication_number, issn, isbn, release_date, \
           year_from, year_to, subject, subject_group, language, pages, abstract, keywords, keywords_text, cover_url, document_id, access_level) \
         VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$14,$15,$16,$17,array_to_string($17, ' '),$18,$19,$20) \
         ON CONFLICT (id) DO UPDATE SET office_code = EXCLUDED.office_code, title = EXCLUDED.title, subtitle = EXCLUDED.subtitle, \
           catalogue_number = EXCLUDED.catalogue_number, publication_number = EXCLUDED.publication_number, issn = EXCLUDED.issn, \
           isbn = EXCLUDED.isbn, release_date = EXCLUDED.release_date, year_from = EXCLUDED.year_from, year_to = EXCLUDED.year_to, \
           subject = EXCLUDED.subject, subject_group = EXCLUDED.subject_group, language = EXCLUDED.language, pages = EXCLUDED.pages, \
           abstract = EXCLUDED.abstract, keywords = EXCLUDED.keywords, keywords_text = EXCLUDED.keywords_text, \
           cover_url = EXCLUDED.cover_url, document_id = EXCLUDED.document_id, access_level = EXCLUDED.access_level, updated_at = now()",
    )
    .bind(id)
    .bind(&p.office_code)
    .bind(&p.title)
    .bind(&p.subtitle)
    .bind(&p.catalogue_number)
    .bind(&p.publication_number)
    .bind(&p.issn)
    .bind(&p.isbn)
    .bind(p.release_date)
    .bind(p.year_from)
    .bind(p.year_to)
    .bind(&p.subject)
    .bind(&p.subject_group)
    .bind(&p.language)
    .bind(p.pages)
    .bind(&p.abstract_text)
    .bind(&p.keywords)
    .bind(&p.cover_url)
    .bind(p.document_id)
    .bind(&p.access_level)
    .execute(db)
    .await;
    match r {
        Ok(_) => Ok(()),
        Err(e) if pst_kit::db::is_unique_violation(&e, "publications_catalogue_number_key") => {
            Err(catalogue_number_taken())
        }
        Err(e) => Err(e.into()),
    }
}

pub async fn history(
    db: impl PgExecutor<'_>,
    id: Uuid,
    actor: Uuid,
    action: &str,
    before: Option<&PublicationRow>,
) -> Result<(), AppError> {
    let before = before.map(crate::history::snapshot);
    sqlx::query("INSERT INTO publication_history (publication_id, actor_id, action, before) VALUES ($1, $2, $3, $4)")
        .bind(id)
        .bind(actor)
        .bind(action)
        .bind(before)
        .execute(db)
        .await?;
    Ok(())
}

/// Reading-room uses per publication of an office over a period, most used first.
pub async fn usage(
    db: &PgPool,
    office: &str,
    from: NaiveDate,
    to: NaiveDate,
) -> Result<Vec<(Uuid, String, i64)>, AppError> {
    Ok(sqlx::query_as(
        "SELECT p.id, p.title, count(*) FROM reading_room_uses u JOIN publications p ON p.id = u.publication_id \
         WHERE u.office_code = $1::char(4) AND u.use_day BETWEEN $2 AND $3 GROUP BY p.id, p.title ORDER BY 3 DESC, 2 LIMIT 1000",
    )
    .bind(office)
    .bind(from)
    .bind(to)
    .fetch_all(db)
    .await?)
}

/// Links the uploaded softcopy `document` to the publication.
pub async fn set_document(
    db: impl PgExecutor<'_>,
    id: Uuid,
    document: Uuid,
) -> Result<(), AppError> {
    sqlx::query("UPDATE publications SET document_id = $2, updated_at = now() WHERE id = $1")
        .bind(id)
        .bind(document)
        .execute(db)
        .await?;
    Ok(())
}

pub async fn withdraw(
    db: impl PgExecutor<'_>,
    id: Uuid,
    reason: &str,
    by: Uuid,
) -> Result<(), AppError> {
    sqlx::query("UPDATE publications SET withdrawn_at = now(), withdrawn_reason = $2, withdrawn_by = $3, updated_at = now() WHERE id = $1")
        .bind(id)
        .bind(reason)
        .bind(by)
        .execute(db)
        .await?;
    Ok(())
}

pub struct NewHolding<'a> {
    pub publication: Uuid,
    pub office: &'a str,
    pub call_number: String,
    pub shelf: String,
    pub copies: i32,
    pub condition: &'a str,
}

/// A printed copy, and the publication marked as held in print.
pub async fn add_holding(tx: &mut sqlx::PgConnection, h: &NewHolding<'_>) -> Result<(), AppError> {
    sqlx::query("INSERT INTO holdings (id, publication_id, office_code, call_number, shelf, copies, condition) VALUES ($1,$2,$3,$4,$5,$6,$7)")
        .bind(Uuid::now_v7())
        .bind(h.publication)
        .bind(h.office)
        .bind(&h.call_number)
        .bind(&h.shelf)
        .bind(h.copies)
        .bind(h.condition)
        .execute(&mut *tx)
        .await?;
    sqlx::query("UPDATE publications SET has_printed = true, updated_at = now() WHERE id = $1")
        .bind(h.publication)
        .execute(&mut *tx)
        .await?;
    Ok(())
}

pub struct NewUse<'a> {
    pub id: Uuid,
    pub publication: Uuid,
    pub office: &'a str,
    pub day: NaiveDate,
    pub visit: Option<Uuid>,
    pub recorded_by: Uuid,
    pub self_service: bool,
    pub at: DateTime<Utc>,
}

/// One reading-room use of a publication.
pub async fn record_use(db: &PgPool, u: &NewUse<'_>) -> Result<(), AppError> {
    sqlx::query(
        "INSERT INTO reading_room_uses (id, publication_id, office_code, use_day, visit_id, recorded_by, self_service, used_at) VALUES ($1,$2,$3,$4,$5,$6,$7,$8)",
    )
    .bind(u.id)
    .bind(u.publication)
    .bind(u.office)
    .bind(u.day)
    .bind(u.visit)
    .bind(u.recorded_by)
    .bind(u.self_service)
    .bind(u.at)
    .execute(db)
    .await?;
    Ok(())
}

/// The office's current publications (the export), at most 50,000.
pub async fn of_office(db: &PgPool, office: &str) -> Result<Vec<PublicationRow>, AppError> {
    Ok(sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {COLUMNS} FROM publications p WHERE p.office_code = $1::char(4) AND p.withdrawn_at IS NULL ORDER BY p.title, p.id LIMIT 50000"
    )))
    .bind(office)
    .fetch_all(db)
    .await?)
}

/// Every word of the vocabulary (typo correction).
pub async fn vocabulary(db: &PgPool) -> Result<Vec<String>, AppError> {
    Ok(sqlx::query_scalar("SELECT word FROM vocabulary")
        .fetch_all(db)
        .await?)
}

/// Postgres' statistics of the search column (lexemes and how many rows hold each) and
/// the table's row count, as of the last ANALYZE; `None` before the first.
pub async fn term_stats(
    db: &PgPool,
) -> Result<Option<crate::domain::term_stats::TermStats>, AppError> {
    /// (lexemes, their frequencies, table rows).
    type StatsRow = (Option<Vec<String>>, Option<Vec<f32>>, f32);
    let row: Option<StatsRow> = sqlx::query_as(
        "SELECT s.most_common_elems::text::text[], s.most_common_elem_freqs, c.reltuples \
         FROM pg_class c LEFT JOIN pg_stats s ON s.schemaname = current_schema() \
           AND s.tablename = 'publications' AND s.attname = 'search' \
         WHERE c.oid = 'publications'::regclass",
    )
    .fetch_optional(db)
    .await?;
    Ok(row.and_then(|(elems, freqs, rows)| {
        crate::domain::term_stats::TermStats::new(
            f64::from(rows),
            elems.unwrap_or_default(),
            freqs.unwrap_or_default(),
        )
    }))
}

/// The lexemes of a search, as the query parser reads it (`querytree` text).
pub async fn query_tree(db: &PgPool, text: &str) -> Result<String, AppError> {
    Ok(
        sqlx::query_scalar("SELECT querytree(websearch_to_tsquery('indonesian', $1))")
            .bind(text)
            .fetch_one(db)
            .await?,
    )
}

/// What the search index reads of a publication (`index::document::IndexRow`).
const INDEX_COLUMNS: &str = "p.id, p.search::text AS search, p.office_code::text AS office, p.subject, p.language, \
     p.year_from, p.year_to, p.access_level, p.has_printed, p.document_id IS NOT NULL AS digital, \
     p.withdrawn_at IS NOT NULL AS withdrawn";

/// The channel the change log notifies (migration 0003).
pub const CHANGES_CHANNEL: &str = "search_changes";

/// Every publication, for building the search index (in the caller's snapshot).
pub fn all_index_rows<'c>(
    tx: &'c mut sqlx::PgConnection,
) -> futures::stream::BoxStream<'c, Result<crate::index::document::IndexRow, sqlx::Error>> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {INDEX_COLUMNS} FROM publications p"
    )))
    .fetch(tx)
}

/// The publications of `ids` as the search index reads them (those that exist).
pub async fn index_rows(
    db: &PgPool,
    ids: &[Uuid],
) -> Result<Vec<crate::index::document::IndexRow>, AppError> {
    Ok(sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {INDEX_COLUMNS} FROM publications p WHERE p.id = ANY($1)"
    )))
    .bind(ids)
    .fetch_all(db)
    .await?)
}

/// The oldest transaction still running as the current snapshot sees it.
pub async fn snapshot_xmin(db: impl PgExecutor<'_>) -> Result<i64, AppError> {
    Ok(
        sqlx::query_scalar("SELECT pg_snapshot_xmin(pg_current_snapshot())::text::bigint")
            .fetch_one(db)
            .await?,
    )
}

/// The change log from transaction `floor` on (at most `limit` rows, oldest first), with
/// the oldest transaction still running as the same snapshot sees it: (xmin, [(sequence
/// number, publication, transaction)]).
pub async fn changes_since(
    db: &PgPool,
    floor: i64,
    limit: i64,
) -> Result<(i64, Vec<(i64, Uuid, i64)>), AppError> {
    type Row = (i64, Option<i64>, Option<Uuid>, Option<i64>);
    let rows: Vec<Row> = sqlx::query_as(
        "SELECT pg_snapshot_xmin(pg_current_snapshot())::text::bigint, c.seq, c.publication_id, c.xid \
         FROM (SELECT 1) one LEFT JOIN LATERAL ( \
             SELECT seq, publication_id, xid::text::bigint AS xid FROM search_changes \
             WHERE xid >= $1::text::xid8 ORDER BY seq LIMIT $2) c ON true",
    )
    .bind(floor.to_string())
    .bind(limit)
    .fetch_all(db)
    .await?;
    let xmin = rows.first().map_or(floor, |r| r.0);
    let changes = rows
        .into_iter()
        .filter_map(|(_, seq, id, xid)| Some((seq?, id?, xid?)))
        .collect();
    Ok((xmin, changes))
}

/// Drops changes older than `hours` from the log.
pub async fn trim_changes(db: &PgPool, hours: i64) -> Result<(), AppError> {
    sqlx::query("DELETE FROM search_changes WHERE at < now() - make_interval(hours => $1::int)")
        .bind(hours)
        .execute(db)
        .await?;
    Ok(())
}

/// A search as Postgres' Indonesian parser reads it (tsquery text; empty when only stop
/// words or punctuation are left).
pub async fn query_text(db: &PgPool, text: &str) -> Result<String, AppError> {
    Ok(
        sqlx::query_scalar("SELECT websearch_to_tsquery('indonesian', $1)::text")
            .bind(text)
            .fetch_one(db)
            .await?,
    )
}

/// The publications of `ids` (those that exist), in no particular order.
pub async fn rows_by_id(db: &PgPool, ids: &[Uuid]) -> Result<Vec<PublicationRow>, AppError> {
    Ok(sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {COLUMNS} FROM publications p WHERE p.id = ANY($1)"
    )))
    .bind(ids)
    .fetch_all(db)
    .await?)
}
