//! The audit trail: every staff and admin action, written in the same transaction as the
//! action itself. Each service keeps its own `audit_log` table (same shape, created by its
//! migrations) in its own database.

use chrono::{DateTime, Utc};
use sqlx::{PgExecutor, PgPool};
use uuid::Uuid;

use crate::AppError;
use crate::auth::Caller;

pub async fn record(
    db: impl PgExecutor<'_>,
    actor: &Caller,
    office: Option<&str>,
    action: &str,
    target: &str,
    detail: serde_json::Value,
) -> Result<(), AppError> {
    sqlx::query("INSERT INTO audit_log (actor_id, actor_role, office_code, action, target, detail) VALUES ($1,$2,$3,$4,$5,$6)")
        .bind(actor.user_id)
        .bind(actor.role.as_str())
        .bind(office.or(actor.office.as_deref()))
        .bind(action)
        .bind(target)
        .bind(detail)
        .execute(db)
        .await?;
    Ok(())
}

#[derive(Debug, sqlx::FromRow)]
pub struct AuditRow {
    pub id: i64,
    pub at: DateTime<Utc>,
    pub actor_id: Option<Uuid>,
    pub actor_role: String,
    pub office_code: Option<String>,
    pub action: String,
    pub target: String,
    pub detail: serde_json::Value,
}

/// Which audit rows to list; empty / `None` fields do not filter.
#[derive(Debug, Clone, Default)]
pub struct AuditFilter {
    /// An office code; empty: every office (and rows of no office).
    pub office: String,
    pub actor: Option<Uuid>,
    /// An action or its prefix, e.g. `staff.` or `office.upsert`.
    pub action: String,
    /// Local days (in `time_zone`), inclusive.
    pub from: Option<chrono::NaiveDate>,
    pub to: Option<chrono::NaiveDate>,
    pub time_zone: String,
}

/// Newest first, before the id `before`.
pub async fn list(
    db: &PgPool,
    f: &AuditFilter,
    before: Option<i64>,
    limit: i64,
) -> Result<Vec<AuditRow>, AppError> {
    let action = f
        .action
        .replace('\\', "\\\\")
        .replace('%', "\\%")
        .replace('_', "\\_");
    let tz = if f.time_zone.is_empty() {
        "Asia/Jakarta"
    } else {
        f.time_zone.as_str()
    };
    Ok(sqlx::query_as(
        "SELECT id, at, actor_id, actor_role, office_code::text AS office_code, action, target, detail \
         FROM audit_log WHERE ($1 = '' OR office_code = $1) AND ($2::bigint IS NULL OR id < $2) \
           AND ($4::uuid IS NULL OR actor_id = $4) AND ($5 = '' OR action LIKE $5 || '%') \
           AND ($6::date IS NULL OR at >= ($6::date::timestamp AT TIME ZONE $8)) \
           AND ($7::date IS NULL OR at < (($7::date + 1)::timestamp AT TIME ZONE $8)) \
         ORDER BY id DESC LIMIT $3",
    )
    .bind(&f.office)
    .bind(before)
    .bind(limit)
    .bind(f.actor)
    .bind(action)
    .bind(f.from)
    .bind(f.to)
    .bind(tz)
    .fetch_all(db)
    .await?)
}
