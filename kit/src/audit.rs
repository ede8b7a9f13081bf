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

/// Newest first, before the id `before`.
pub async fn list(
    db: &PgPool,
    office: &str,
    before: Option<i64>,
    limit: i64,
) -> Result<Vec<AuditRow>, AppError> {
    Ok(sqlx::query_as(
        "SELECT id, at, actor_id, actor_role, office_code::text AS office_code, action, target, detail \
         FROM audit_log WHERE office_code = $1 AND ($2::bigint IS NULL OR id < $2) ORDER BY id DESC LIMIT $3",
    )
    .bind(office)
    .bind(before)
    .bind(limit)
    .fetch_all(db)
    .await?)
}
