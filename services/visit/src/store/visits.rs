//! Visits (guest-book entries), the 5-minute promise and its report.

use chrono::{DateTime, NaiveDate, Utc};
use sqlx::{PgExecutor, PgPool};
use uuid::Uuid;

use pst_kit::AppError;

use crate::domain::guest_book::GuestBook;

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct VisitRow {
    pub id: Uuid,
    pub office_code: String,
    pub service_day: NaiveDate,
    pub ticket_id: Option<Uuid>,
    pub ticket_number: Option<String>,
    pub user_id: Option<Uuid>,
    pub name: String,
    pub email: String,
    pub phone: String,
    pub sex: String,
    pub age_group: String,
    pub education: String,
    pub occupation: String,
    pub institution_type: String,
    pub institution_name: String,
    pub purpose: String,
    pub data_needed: String,
    pub guest_book_at: DateTime<Utc>,
    pub service_started_at: Option<DateTime<Utc>>,
    pub ticket_status: Option<String>,
    pub ended_at: Option<DateTime<Utc>>,
}

impl VisitRow {
    pub fn guest_book(&self) -> GuestBook {
        GuestBook {
            name: self.name.clone(),
            email: self.email.clone(),
            phone: self.phone.clone(),
            sex: self.sex.clone(),
            age_group: self.age_group.clone(),
            education: self.education.clone(),
            occupation: self.occupation.clone(),
            institution_type: self.institution_type.clone(),
            institution_name: self.institution_name.clone(),
            purpose: self.purpose.clone(),
            data_needed: self.data_needed.clone(),
        }
    }

    pub fn wait_secs(&self) -> Option<u32> {
        self.service_started_at.map(|s| {
            u32::try_from((s - self.guest_book_at).num_seconds().max(0)).unwrap_or(u32::MAX)
        })
    }
}

const COLUMNS: &str = "v.id, v.office_code::text AS office_code, v.service_day, v.ticket_id, \
     (t.prefix || '-' || lpad(t.number::text, 3, '0')) AS ticket_number, v.user_id, v.name, v.email, v.phone, v.sex, \
     v.age_group, v.education, v.occupation, v.institution_type, v.institution_name, v.purpose, v.data_needed, \
     v.guest_book_at, t.started_at AS service_started_at, t.status AS ticket_status, v.ended_at";

pub fn not_found() -> AppError {
    AppError::NotFound {
        code: "VISIT_NOT_FOUND",
        detail: "Kunjungan tidak ditemukan.".into(),
    }
}

pub async fn get(db: impl PgExecutor<'_>, id: Uuid) -> Result<Option<VisitRow>, AppError> {
    Ok(sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {COLUMNS} FROM visits v LEFT JOIN tickets t ON t.id = v.ticket_id WHERE v.id = $1"
    )))
    .bind(id)
    .fetch_optional(db)
    .await?)
}

pub async fn get_for_update(
    db: impl PgExecutor<'_>,
    id: Uuid,
) -> Result<Option<VisitRow>, AppError> {
    Ok(sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {COLUMNS} FROM visits v LEFT JOIN tickets t ON t.id = v.ticket_id WHERE v.id = $1 FOR UPDATE OF v"
    )))
    .bind(id)
    .fetch_optional(db)
    .await?)
}

#[allow(clippy::too_many_arguments)] // one row's columns; a struct would only rename them
pub async fn insert(
    db: impl PgExecutor<'_>,
    id: Uuid,
    office: &str,
    day: NaiveDate,
    ticket: Uuid,
    user: Option<Uuid>,
    g: &GuestBook,
    created_by: Option<Uuid>,
) -> Result<(), AppError> {
    let r = sqlx::query(
        "INSERT INTO visits (id, office_code, service_day, ticket_id, user_id, name, email, phone, sex, age_group, education, \
         occupation, institution_type, institution_name, purpose, data_needed, created_by) \
         VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$14,$15,$16,$17)",
    )
    .bind(id)
    .bind(office)
    .bind(day)
    .bind(ticket)
    .bind(user)
    .bind(&g.name)
    .bind(&g.email)
    .bind(&g.phone)
    .bind(&g.sex)
    .bind(&g.age_group)
    .bind(&g.education)
    .bind(&g.occupation)
    .bind(&g.institution_type)
    .bind(&g.institution_name)
    .bind(&g.purpose)
    .bind(&g.data_needed)
    .bind(created_by)
    .execute(db)
    .await;
    match r {
        Ok(_) => Ok(()),
        Err(e) if pst_kit::db::is_unique_violation(&e, "visits_ticket_id_key") => {
            Err(AppError::Conflict {
                code: "GUEST_BOOK_EXISTS",
                detail: "Buku tamu untuk nomor antrean ini sudah diisi.".into(),
                field: Some("ticket_id"),
            })
        }
        Err(e) => Err(e.into()),
    }
}

pub async fn update_guest_book(
    db: impl PgExecutor<'_>,
    id: Uuid,
    g: &GuestBook,
) -> Result<(), AppError> {
    sqlx::query(
        "UPDATE visits SET name = $2, email = $3, phone = $4, sex = $5, age_group = $6, education = $7, occupation = $8, \
         institution_type = $9, institution_name = $10, purpose = $11, data_needed = $12 WHERE id = $1",
    )
    .bind(id)
    .bind(&g.name)
    .bind(&g.email)
    .bind(&g.phone)
    .bind(&g.sex)
    .bind(&g.age_group)
    .bind(&g.education)
    .bind(&g.occupation)
    .bind(&g.institution_type)
    .bind(&g.institution_name)
    .bind(&g.purpose)
    .bind(&g.data_needed)
    .execute(db)
    .await?;
    Ok(())
}

pub async fn end(
    db: impl PgExecutor<'_>,
    id: Uuid,
    officer: Uuid,
    feedback_code_hash: &[u8],
) -> Result<(), AppError> {
    sqlx::query(
        "UPDATE visits SET ended_at = now(), ended_by = $2, feedback_code_hash = $3 WHERE id = $1",
    )
    .bind(id)
    .bind(officer)
    .bind(feedback_code_hash)
    .execute(db)
    .await?;
    Ok(())
}

/// Visitors of today waiting for service since the guest book: (number, seconds waited).
/// When the guest book of the visit of `ticket` was filled, if it was.
pub async fn guest_book_at(
    db: &PgPool,
    ticket: Uuid,
) -> Result<Option<chrono::DateTime<chrono::Utc>>, AppError> {
    Ok(
        sqlx::query_scalar("SELECT guest_book_at FROM visits WHERE ticket_id = $1")
            .bind(ticket)
            .fetch_optional(db)
            .await?,
    )
}

pub async fn waiting_since_guest_book(
    db: &PgPool,
    office: &str,
    day: NaiveDate,
) -> Result<Vec<(String, i64)>, AppError> {
    Ok(sqlx::query_as(
        "SELECT t.prefix || '-' || lpad(t.number::text, 3, '0'), EXTRACT(EPOCH FROM now() - v.guest_book_at)::bigint \
         FROM visits v JOIN tickets t ON t.id = v.ticket_id \
         WHERE v.office_code = $1::char(4) AND v.service_day = $2 AND t.started_at IS NULL AND t.status IN ('waiting', 'called', 'skipped') \
         ORDER BY v.guest_book_at",
    )
    .bind(office)
    .bind(day)
    .fetch_all(db)
    .await?)
}

/// Aggregates of the service-time report.
#[derive(Debug, Clone, Default)]
pub struct ServiceTimes {
    pub visits: i64,
    pub served: i64,
    pub median: Option<f64>,
    pub p90: Option<f64>,
    pub within: i64,
}

pub async fn service_times(
    db: &PgPool,
    office: &str,
    from: NaiveDate,
    to: NaiveDate,
    promise_secs: u32,
) -> Result<ServiceTimes, AppError> {
    let row: (i64, i64, Option<f64>, Option<f64>, i64) = sqlx::query_as(
        "WITH w AS (SELECT EXTRACT(EPOCH FROM t.started_at - v.guest_book_at)::float8 AS wait \
                    FROM visits v LEFT JOIN tickets t ON t.id = v.ticket_id \
                    WHERE v.office_code = $1::char(4) AND v.service_day BETWEEN $2 AND $3) \
         SELECT count(*), count(wait), percentile_cont(0.5) WITHIN GROUP (ORDER BY wait), \
                percentile_cont(0.9) WITHIN GROUP (ORDER BY wait), count(*) FILTER (WHERE wait <= $4) FROM w",
    )
    .bind(office)
    .bind(from)
    .bind(to)
    .bind(f64::from(promise_secs))
    .fetch_one(db)
    .await?;
    Ok(ServiceTimes {
        visits: row.0,
        served: row.1,
        median: row.2,
        p90: row.3,
        within: row.4,
    })
}

/// (number, day, counter, wait seconds, visit id) of every served visit past the promise.
pub async fn breaches(
    db: &PgPool,
    office: &str,
    from: NaiveDate,
    to: NaiveDate,
    promise_secs: u32,
    limit: i64,
) -> Result<Vec<(String, NaiveDate, String, f64, Uuid)>, AppError> {
    Ok(sqlx::query_as(
        "SELECT t.prefix || '-' || lpad(t.number::text, 3, '0'), v.service_day, COALESCE(t.counter, ''), \
                EXTRACT(EPOCH FROM t.started_at - v.guest_book_at)::float8 AS wait, v.id \
         FROM visits v JOIN tickets t ON t.id = v.ticket_id \
         WHERE v.office_code = $1::char(4) AND v.service_day BETWEEN $2 AND $3 AND t.started_at IS NOT NULL \
           AND t.started_at - v.guest_book_at > make_interval(secs => $4) \
         ORDER BY v.service_day, wait DESC LIMIT $5",
    )
    .bind(office)
    .bind(from)
    .bind(to)
    .bind(f64::from(promise_secs))
    .bind(limit)
    .fetch_all(db)
    .await?)
}

/// One visit's times for the service-time report.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct VisitTimesRow {
    pub id: Uuid,
    pub ticket_number: String,
    pub service_day: NaiveDate,
    pub counter: String,
    pub taken_at: Option<DateTime<Utc>>,
    pub guest_book_at: DateTime<Utc>,
    pub called_at: Option<DateTime<Utc>>,
    pub started_at: Option<DateTime<Utc>>,
    pub finished_at: Option<DateTime<Utc>>,
}

/// The visits of a period with the times of their ticket, newest first, at most `limit`.
pub async fn visit_times(
    db: &PgPool,
    office: &str,
    from: NaiveDate,
    to: NaiveDate,
    limit: i64,
) -> Result<Vec<VisitTimesRow>, AppError> {
    Ok(sqlx::query_as(
        "SELECT v.id, COALESCE(t.prefix || '-' || lpad(t.number::text, 3, '0'), '') AS ticket_number, \
                v.service_day, COALESCE(t.counter, '') AS counter, t.taken_at, v.guest_book_at, t.called_at, \
                t.started_at, t.finished_at \
         FROM visits v LEFT JOIN tickets t ON t.id = v.ticket_id \
         WHERE v.office_code = $1::char(4) AND v.service_day BETWEEN $2 AND $3 \
         ORDER BY v.guest_book_at DESC, v.id DESC LIMIT $4",
    )
    .bind(office)
    .bind(from)
    .bind(to)
    .bind(limit)
    .fetch_all(db)
    .await?)
}
