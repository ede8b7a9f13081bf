//! The watermark database: documents and the log of every copy that left.

use chrono::{DateTime, NaiveDate, Utc};
use sqlx::{PgExecutor, PgPool};
use uuid::Uuid;

use crate::pdf::Plan;

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct DocumentRow {
    pub id: Uuid,
    pub publication_id: Uuid,
    pub office_code: String,
    pub sha256: String,
    pub size_bytes: i64,
    pub pages: i32,
    pub xref_kind: String,
    pub linearized: bool,
    pub filename: String,
    pub created_at: DateTime<Utc>,
    pub replaced_at: Option<DateTime<Utc>>,
}

const DOC_COLS: &str = "id, publication_id, office_code, sha256, size_bytes, pages, xref_kind, linearized, filename, created_at, replaced_at";

/// Is this document its publication's current softcopy (not replaced by a newer upload)?
pub async fn is_current(db: &PgPool, id: Uuid) -> Result<bool, pst_kit::AppError> {
    let row: Option<(bool,)> =
        sqlx::query_as("SELECT replaced_at IS NULL FROM documents WHERE id = $1")
            .bind(id)
            .fetch_optional(db)
            .await?;
    Ok(row.is_some_and(|r| r.0))
}

/// A document with what stamping needs.
#[derive(Debug, Clone)]
pub struct Stampable {
    pub row: DocumentRow,
    pub plan: Plan,
    pub static_bytes: bytes::Bytes,
    /// SHA-256 of the stored base (see `pdf::base`); `None` for a document stored before
    /// bases existed, whose plan is made again.
    pub base_sha256: Option<String>,
}

pub async fn by_sha(db: &PgPool, sha: &str) -> Result<Option<DocumentRow>, sqlx::Error> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {DOC_COLS} FROM documents WHERE sha256 = $1"
    )))
    .bind(sha)
    .fetch_optional(db)
    .await
}

#[derive(sqlx::FromRow)]
struct StampableRow {
    #[sqlx(flatten)]
    row: DocumentRow,
    plan: sqlx::types::Json<Plan>,
    static_bytes: Vec<u8>,
    base_sha256: Option<String>,
}

/// A document with its plan and stored bytes, in one read.
pub async fn stampable(db: &PgPool, id: Uuid) -> Result<Option<Stampable>, sqlx::Error> {
    let found: Option<StampableRow> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {DOC_COLS}, plan, static_bytes, base_sha256 FROM documents WHERE id = $1"
    )))
    .bind(id)
    .fetch_optional(db)
    .await?;
    Ok(found.map(|f| Stampable {
        row: f.row,
        plan: f.plan.0,
        static_bytes: f.static_bytes.into(),
        base_sha256: f.base_sha256,
    }))
}

/// Records a document's plan made again (a newer layout, or a lost base).
pub async fn set_plan(
    db: &PgPool,
    id: Uuid,
    plan: &Plan,
    static_bytes: &[u8],
    base_sha256: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE documents SET plan = $2, static_bytes = $3, base_sha256 = $4 WHERE id = $1",
    )
    .bind(id)
    .bind(sqlx::types::Json(plan))
    .bind(static_bytes)
    .bind(base_sha256)
    .execute(db)
    .await?;
    Ok(())
}

/// The SHA-256 of a stored document (what a copy's mark signs).
pub async fn sha_of(db: &PgPool, id: Uuid) -> Result<Option<String>, sqlx::Error> {
    sqlx::query_scalar("SELECT sha256 FROM documents WHERE id = $1")
        .bind(id)
        .fetch_optional(db)
        .await
}

pub struct NewDocument<'a> {
    pub id: Uuid,
    pub publication_id: Uuid,
    pub office_code: &'a str,
    pub sha256: &'a str,
    pub size_bytes: i64,
    pub pages: i32,
    pub xref_kind: &'a str,
    pub linearized: bool,
    pub filename: &'a str,
    pub plan: &'a Plan,
    pub static_bytes: &'a [u8],
    pub base_sha256: &'a str,
    pub uploaded_by: Uuid,
}

/// Inserts the document as the publication's current one (the previous is replaced).
pub async fn insert_document(
    tx: &mut sqlx::PgConnection,
    d: &NewDocument<'_>,
) -> Result<DocumentRow, sqlx::Error> {
    sqlx::query("UPDATE documents SET replaced_at = now() WHERE publication_id = $1 AND replaced_at IS NULL")
        .bind(d.publication_id)
        .execute(&mut *tx)
        .await?;
    sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "INSERT INTO documents (id, publication_id, office_code, sha256, size_bytes, pages, xref_kind, linearized, filename, plan, static_bytes, uploaded_by, base_sha256) \
         VALUES ($1, $2, $3::char(4), $4, $5, $6, $7, $8, $9, $10, $11, $12, $13) RETURNING {DOC_COLS}"
    )))
    .bind(d.id)
    .bind(d.publication_id)
    .bind(d.office_code)
    .bind(d.sha256)
    .bind(d.size_bytes)
    .bind(d.pages)
    .bind(d.xref_kind)
    .bind(d.linearized)
    .bind(d.filename)
    .bind(sqlx::types::Json(d.plan))
    .bind(d.static_bytes)
    .bind(d.uploaded_by)
    .bind(d.base_sha256)
    .fetch_one(&mut *tx)
    .await
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct DownloadRow {
    pub id: Uuid,
    pub code: String,
    pub kind: String,
    pub document_id: Uuid,
    pub publication_id: Uuid,
    pub publication_title: String,
    pub office_code: String,
    pub user_id: Uuid,
    pub user_name: String,
    pub user_email: String,
    pub client_ip: String,
    pub user_agent: String,
    pub issued_at: DateTime<Utc>,
    pub lines: Vec<String>,
    pub signature: String,
}

const DL_COLS: &str = "id, code, kind, document_id, publication_id, publication_title, office_code, user_id, user_name, user_email, client_ip, user_agent, issued_at, lines, signature";

pub async fn read_session(
    db: impl PgExecutor<'_>,
    user: Uuid,
    document: Uuid,
    day: NaiveDate,
) -> Result<Option<DownloadRow>, sqlx::Error> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {DL_COLS} FROM downloads WHERE kind = 'read' AND user_id = $1 AND document_id = $2 AND day = $3"
    )))
    .bind(user)
    .bind(document)
    .bind(day)
    .fetch_optional(db)
    .await
}

pub async fn by_code(
    db: impl PgExecutor<'_>,
    code: &str,
) -> Result<Option<DownloadRow>, sqlx::Error> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {DL_COLS} FROM downloads WHERE code = $1"
    )))
    .bind(code)
    .fetch_optional(db)
    .await
}

pub async fn by_id(db: impl PgExecutor<'_>, id: Uuid) -> Result<Option<DownloadRow>, sqlx::Error> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {DL_COLS} FROM downloads WHERE id = $1"
    )))
    .bind(id)
    .fetch_optional(db)
    .await
}

/// Logs a copy. `Ok(false)` when the code or the reading session already exists.
pub async fn insert_download(
    db: impl PgExecutor<'_>,
    d: &DownloadRow,
    day: NaiveDate,
) -> Result<bool, sqlx::Error> {
    let r = sqlx::query(
        "INSERT INTO downloads (id, code, kind, document_id, publication_id, publication_title, office_code, user_id, user_name, user_email, client_ip, user_agent, issued_at, day, lines, signature) \
         VALUES ($1, $2, $3, $4, $5, $6, $7::char(4), $8, $9, $10, $11, $12, $13, $14, $15, $16) ON CONFLICT DO NOTHING",
    )
    .bind(d.id)
    .bind(&d.code)
    .bind(&d.kind)
    .bind(d.document_id)
    .bind(d.publication_id)
    .bind(&d.publication_title)
    .bind(&d.office_code)
    .bind(d.user_id)
    .bind(&d.user_name)
    .bind(&d.user_email)
    .bind(&d.client_ip)
    .bind(&d.user_agent)
    .bind(d.issued_at)
    .bind(day)
    .bind(&d.lines)
    .bind(&d.signature)
    .execute(db)
    .await?;
    Ok(r.rows_affected() == 1)
}

/// The user's copies, newest first, after the keyset `(issued_at, id)`.
pub async fn list_for_user(
    db: &PgPool,
    user: Uuid,
    after: Option<(DateTime<Utc>, Uuid)>,
    limit: i64,
) -> Result<Vec<DownloadRow>, sqlx::Error> {
    let (at, id) = after.unwrap_or((DateTime::<Utc>::MAX_UTC, Uuid::max()));
    sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {DL_COLS} FROM downloads WHERE user_id = $1 AND (issued_at, id) < ($2, $3) ORDER BY issued_at DESC, id DESC LIMIT $4"
    )))
    .bind(user)
    .bind(at)
    .bind(id)
    .bind(limit)
    .fetch_all(db)
    .await
}
