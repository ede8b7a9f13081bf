//! Lockers and the identity cards held against them.

use chrono::{DateTime, Utc};
use sqlx::{PgExecutor, PgPool};
use uuid::Uuid;

use pst_kit::AppError;

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct CustodyRow {
    pub id: Uuid,
    pub visit_id: Uuid,
    pub locker: i32,
    pub id_type: String,
    pub id_number_masked: String,
    pub received_at: DateTime<Utc>,
    pub received_by: Uuid,
    pub returned_at: Option<DateTime<Utc>>,
    pub returned_to: Option<String>,
    pub visitor_name: String,
    pub ticket_number: Option<String>,
}

const COLUMNS: &str = "c.id, c.visit_id, c.locker, c.id_type, c.id_number_masked, c.received_at, c.received_by, c.returned_at, \
     c.returned_to, v.name AS visitor_name, (t.prefix || '-' || lpad(t.number::text, 3, '0')) AS ticket_number";
const FROM: &str =
    "custody c JOIN visits v ON v.id = c.visit_id LEFT JOIN tickets t ON t.id = v.ticket_id";

fn locker_taken(locker: i32) -> AppError {
    AppError::Conflict {
        code: "LOCKER_TAKEN",
        detail: format!("Loker {locker} sedang dipakai pengunjung lain."),
        field: Some("locker"),
    }
}

/// Checks the locker exists and is in service.
pub async fn check_locker(
    db: impl PgExecutor<'_>,
    office: &str,
    locker: i32,
) -> Result<(), AppError> {
    let oos: Option<bool> = sqlx::query_scalar(
        "SELECT out_of_service FROM lockers WHERE office_code = $1::char(4) AND number = $2",
    )
    .bind(office)
    .bind(locker)
    .fetch_optional(db)
    .await?;
    match oos {
        None => Err(AppError::NotFound {
            code: "LOCKER_NOT_FOUND",
            detail: format!("Loker {locker} tidak ada di satker ini."),
        }),
        Some(true) => Err(AppError::FailedPrecondition {
            code: "LOCKER_OUT_OF_SERVICE",
            detail: format!("Loker {locker} sedang tidak dapat dipakai."),
        }),
        Some(false) => Ok(()),
    }
}

pub async fn held_by_visit(
    db: impl PgExecutor<'_>,
    visit: Uuid,
) -> Result<Option<CustodyRow>, AppError> {
    Ok(sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {COLUMNS} FROM {FROM} WHERE c.visit_id = $1 AND c.returned_at IS NULL"
    )))
    .bind(visit)
    .fetch_optional(db)
    .await?)
}

pub struct NewCustody<'a> {
    pub id: Uuid,
    pub visit: Uuid,
    pub office: &'a str,
    pub locker: i32,
    pub id_type: &'a str,
    pub id_number_enc: Vec<u8>,
    pub id_number_masked: String,
    pub officer: Uuid,
}

pub async fn insert(db: impl PgExecutor<'_>, c: &NewCustody<'_>) -> Result<(), AppError> {
    let r = sqlx::query(
        "INSERT INTO custody (id, visit_id, office_code, locker, id_type, id_number_enc, id_number_masked, received_by) \
         VALUES ($1,$2,$3,$4,$5,$6,$7,$8)",
    )
    .bind(c.id)
    .bind(c.visit)
    .bind(c.office)
    .bind(c.locker)
    .bind(c.id_type)
    .bind(&c.id_number_enc)
    .bind(&c.id_number_masked)
    .bind(c.officer)
    .execute(db)
    .await;
    match r {
        Ok(_) => Ok(()),
        Err(e) if pst_kit::db::is_unique_violation(&e, "custody_locker_held") => {
            Err(locker_taken(c.locker))
        }
        Err(e) if pst_kit::db::is_unique_violation(&e, "custody_visit_held") => {
            Err(AppError::Conflict {
                code: "CUSTODY_EXISTS",
                detail: "Kunjungan ini sudah memegang loker.".into(),
                field: Some("visit_id"),
            })
        }
        Err(e) => Err(e.into()),
    }
}

pub async fn move_locker(
    db: impl PgExecutor<'_>,
    custody: Uuid,
    locker: i32,
) -> Result<(), AppError> {
    let r = sqlx::query("UPDATE custody SET locker = $2 WHERE id = $1")
        .bind(custody)
        .bind(locker)
        .execute(db)
        .await;
    match r {
        Ok(_) => Ok(()),
        Err(e) if pst_kit::db::is_unique_violation(&e, "custody_locker_held") => {
            Err(locker_taken(locker))
        }
        Err(e) => Err(e.into()),
    }
}

pub async fn mark_returned(
    db: impl PgExecutor<'_>,
    custody: Uuid,
    officer: Uuid,
    to: &str,
) -> Result<(), AppError> {
    sqlx::query(
        "UPDATE custody SET returned_at = now(), returned_by = $2, returned_to = $3 WHERE id = $1",
    )
    .bind(custody)
    .bind(officer)
    .bind(to)
    .execute(db)
    .await?;
    Ok(())
}

pub async fn held(db: &PgPool, office: &str) -> Result<Vec<CustodyRow>, AppError> {
    Ok(sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {COLUMNS} FROM {FROM} WHERE c.office_code = $1::char(4) AND c.returned_at IS NULL ORDER BY c.locker"
    )))
    .bind(office)
    .fetch_all(db)
    .await?)
}

/// (number, state, ticket number of the holder)
pub async fn lockers(
    db: &PgPool,
    office: &str,
) -> Result<Vec<(i32, String, Option<String>)>, AppError> {
    Ok(sqlx::query_as(
        "SELECT l.number, CASE WHEN l.out_of_service THEN 'out_of_service' WHEN c.id IS NOT NULL THEN 'occupied' ELSE 'free' END, \
                (t.prefix || '-' || lpad(t.number::text, 3, '0')) \
         FROM lockers l \
         LEFT JOIN custody c ON c.office_code = l.office_code AND c.locker = l.number AND c.returned_at IS NULL \
         LEFT JOIN visits v ON v.id = c.visit_id LEFT JOIN tickets t ON t.id = v.ticket_id \
         WHERE l.office_code = $1::char(4) ORDER BY l.number",
    )
    .bind(office)
    .fetch_all(db)
    .await?)
}
