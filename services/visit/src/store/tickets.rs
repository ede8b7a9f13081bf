//! Tickets and their state changes.

use chrono::{DateTime, NaiveDate, Utc};
use sqlx::{PgExecutor, PgPool};
use uuid::Uuid;

use pst_kit::AppError;

use crate::domain::ticket::{Status, display_number};
use crate::live::Snapshot;

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct TicketRow {
    pub id: Uuid,
    pub office_code: String,
    pub service_day: NaiveDate,
    pub service_type: String,
    pub prefix: String,
    pub number: i32,
    pub seq: i64,
    pub status: String,
    pub user_id: Option<Uuid>,
    pub counter: Option<String>,
    pub call_count: i32,
    pub taken_at: DateTime<Utc>,
    pub called_at: Option<DateTime<Utc>>,
    pub skipped_at: Option<DateTime<Utc>>,
    pub started_at: Option<DateTime<Utc>>,
    pub finished_at: Option<DateTime<Utc>>,
    pub visit_id: Option<Uuid>,
}

impl TicketRow {
    pub fn status(&self) -> Status {
        Status::parse(&self.status).unwrap_or(Status::Done)
    }

    pub fn display_number(&self) -> String {
        display_number(&self.prefix, self.number)
    }
}

const COLUMNS: &str = "t.id, t.office_code::text AS office_code, t.service_day, t.service_type, t.prefix, t.number, t.seq, \
     t.status, t.user_id, t.counter, t.call_count, t.taken_at, t.called_at, t.skipped_at, t.started_at, t.finished_at, \
     (SELECT v.id FROM visits v WHERE v.ticket_id = t.id) AS visit_id";

/// A new ticket; `Err(None)` when its number is already taken (Redis lost a count).
pub struct NewTicket<'a> {
    pub id: Uuid,
    pub office: &'a str,
    pub day: NaiveDate,
    pub service_type: &'a str,
    pub prefix: &'a str,
    pub number: i64,
    pub seq: i64,
    pub user: Option<Uuid>,
    pub device: &'a str,
}

pub enum InsertError {
    NumberTaken,
    UserHasOpenTicket,
    Other(AppError),
}

/// Records a new ticket and its "take" event in one statement (one round trip, atomic),
/// and returns the row as stored.
pub async fn insert(db: &PgPool, t: &NewTicket<'_>) -> Result<TicketRow, InsertError> {
    let r = sqlx::query_as(
        "WITH t AS (INSERT INTO tickets (id, office_code, service_day, service_type, prefix, number, seq, status, user_id, device) \
                    VALUES ($1,$2,$3,$4,$5,$6,$7,'waiting',$8,$9) RETURNING *), \
              e AS (INSERT INTO ticket_events (ticket_id, action) SELECT id, 'take' FROM t) \
         SELECT t.id, t.office_code::text AS office_code, t.service_day, t.service_type, t.prefix, t.number, t.seq, t.status, \
                t.user_id, t.counter, t.call_count, t.taken_at, t.called_at, t.skipped_at, t.started_at, t.finished_at, \
                NULL::uuid AS visit_id FROM t",
    )
    .bind(t.id)
    .bind(t.office)
    .bind(t.day)
    .bind(t.service_type)
    .bind(t.prefix)
    .bind(i32::try_from(t.number).unwrap_or(i32::MAX))
    .bind(t.seq)
    .bind(t.user)
    .bind(t.device)
    .fetch_one(db)
    .await;
    match r {
        Ok(row) => Ok(row),
        Err(e) if pst_kit::db::is_unique_violation(&e, "tickets_number_key") => {
            Err(InsertError::NumberTaken)
        }
        Err(e) if pst_kit::db::is_unique_violation(&e, "tickets_one_open_per_user") => {
            Err(InsertError::UserHasOpenTicket)
        }
        Err(e) => Err(InsertError::Other(e.into())),
    }
}

pub async fn get(db: impl PgExecutor<'_>, id: Uuid) -> Result<Option<TicketRow>, AppError> {
    Ok(sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {COLUMNS} FROM tickets t WHERE t.id = $1"
    )))
    .bind(id)
    .fetch_optional(db)
    .await?)
}

/// A user's tickets (theirs, or whose visit a scanned visit card linked to them), newest first (ids are UUIDv7, so id order is time order), after the
/// ticket `before` when given.
pub async fn of_user(
    db: &PgPool,
    user: Uuid,
    before: Option<Uuid>,
    limit: i64,
) -> Result<Vec<TicketRow>, AppError> {
    Ok(sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {COLUMNS} FROM tickets t \
         WHERE (t.user_id = $1 OR t.id IN (SELECT v.ticket_id FROM visits v WHERE v.user_id = $1)) \
           AND ($2::uuid IS NULL OR t.id < $2) \
         ORDER BY t.id DESC LIMIT $3"
    )))
    .bind(user)
    .bind(before)
    .bind(limit)
    .fetch_all(db)
    .await?)
}

/// Locks the ticket row for a state change within `tx`.
pub async fn get_for_update(
    db: impl PgExecutor<'_>,
    id: Uuid,
) -> Result<Option<TicketRow>, AppError> {
    Ok(sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {COLUMNS} FROM tickets t WHERE t.id = $1 FOR UPDATE"
    )))
    .bind(id)
    .fetch_optional(db)
    .await?)
}

pub fn not_found() -> AppError {
    AppError::NotFound {
        code: "TICKET_NOT_FOUND",
        detail: "Nomor antrean tidak ditemukan.".into(),
    }
}

/// Marks a waiting ticket called at `counter`; `None` if it was no longer waiting (another
/// counter got it, or it changed meanwhile).
pub async fn mark_called(
    db: &PgPool,
    id: Uuid,
    counter: &str,
    lines: &[String],
    officer: Uuid,
) -> Result<Option<TicketRow>, AppError> {
    // Guarded update, its event and the row in one statement: one round trip, atomic.
    Ok(sqlx::query_as(
        "WITH t AS (UPDATE tickets SET status = 'called', counter = $2, called_at = now(), called_by = $3, call_count = call_count + 1 \
                    WHERE id = $1 AND status = 'waiting' AND service_type = ANY($4) RETURNING *), \
              e AS (INSERT INTO ticket_events (ticket_id, action, officer, counter) SELECT id, 'call', $3, $2 FROM t) \
         SELECT t.id, t.office_code::text AS office_code, t.service_day, t.service_type, t.prefix, t.number, t.seq, t.status, \
                t.user_id, t.counter, t.call_count, t.taken_at, t.called_at, t.skipped_at, t.started_at, t.finished_at, \
                (SELECT v.id FROM visits v WHERE v.ticket_id = t.id) AS visit_id FROM t",
    )
    .bind(id)
    .bind(counter)
    .bind(officer)
    .bind(lines)
    .fetch_optional(db)
    .await?)
}

/// Applies a state change already checked by the caller under `FOR UPDATE`.
pub async fn set_state(
    tx: &mut sqlx::PgConnection,
    id: Uuid,
    status: Status,
    officer: Uuid,
    counter: Option<&str>,
    action: &str,
) -> Result<TicketRow, AppError> {
    let (col_at, col_by) = match action {
        "recall" => ("called_at", "called_by"),
        "skip" => ("skipped_at", "called_by"),
        "start" => ("started_at", "started_by"),
        "finish" => ("finished_at", "finished_by"),
        _ => ("called_at", "called_by"),
    };
    let bump = if action == "recall" {
        ", call_count = call_count + 1"
    } else {
        ""
    };
    let r = sqlx::query(sqlx::AssertSqlSafe(format!(
        "UPDATE tickets SET status = $2, {col_at} = now(), {col_by} = $3, counter = COALESCE($4, counter){bump} WHERE id = $1"
    )))
    .bind(id)
    .bind(status.as_str())
    .bind(officer)
    .bind(counter)
    .execute(&mut *tx)
    .await;
    match r {
        Ok(_) => {}
        Err(e) if pst_kit::db::is_unique_violation(&e, "tickets_one_open_per_user") => {
            return Err(AppError::Conflict {
                code: "OPEN_TICKET_EXISTS",
                detail: "Pemilik nomor ini sudah memiliki nomor antrean aktif lain hari ini."
                    .into(),
                field: None,
            });
        }
        Err(e) => return Err(e.into()),
    }
    event(&mut *tx, id, action, Some(officer), counter).await?;
    get(&mut *tx, id).await?.ok_or_else(not_found)
}

/// Moves a ticket to another line, keeping its place (seq) and putting it back to waiting.
pub async fn transfer(
    tx: &mut sqlx::PgConnection,
    id: Uuid,
    service_type: &str,
    prefix: &str,
    officer: Uuid,
) -> Result<TicketRow, AppError> {
    sqlx::query(
        "UPDATE tickets SET service_type = $2, status = 'waiting', counter = NULL WHERE id = $1",
    )
    .bind(id)
    .bind(service_type)
    .execute(&mut *tx)
    .await?;
    let detail = serde_json::json!({ "to": service_type, "prefix": prefix });
    event_with(&mut *tx, id, "transfer", Some(officer), None, detail).await?;
    get(&mut *tx, id).await?.ok_or_else(not_found)
}

async fn event(
    db: impl PgExecutor<'_>,
    id: Uuid,
    action: &str,
    officer: Option<Uuid>,
    counter: Option<&str>,
) -> Result<(), AppError> {
    event_with(db, id, action, officer, counter, serde_json::json!({})).await
}

async fn event_with(
    db: impl PgExecutor<'_>,
    id: Uuid,
    action: &str,
    officer: Option<Uuid>,
    counter: Option<&str>,
    detail: serde_json::Value,
) -> Result<(), AppError> {
    sqlx::query("INSERT INTO ticket_events (ticket_id, action, officer, counter, detail) VALUES ($1, $2, $3, $4, $5)")
        .bind(id)
        .bind(action)
        .bind(officer)
        .bind(counter)
        .bind(detail)
        .execute(db)
        .await?;
    Ok(())
}

/// Waiting tickets ahead of `seq` in the same line.
pub async fn position(db: &PgPool, t: &TicketRow) -> Result<u32, AppError> {
    let n: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM tickets WHERE office_code = $1::char(4) AND service_day = $2 AND service_type = $3 AND status = 'waiting' AND seq < $4",
    )
    .bind(&t.office_code)
    .bind(t.service_day)
    .bind(&t.service_type)
    .bind(t.seq)
    .fetch_one(db)
    .await?;
    Ok(u32::try_from(n).unwrap_or(u32::MAX))
}

/// Everything the live queue of an office-day needs, from the record.
pub async fn snapshot(db: &PgPool, office: &str, day: NaiveDate) -> Result<Snapshot, AppError> {
    let max_seq: Option<i64> = sqlx::query_scalar(
        "SELECT max(seq) FROM tickets WHERE office_code = $1::char(4) AND service_day = $2",
    )
    .bind(office)
    .bind(day)
    .fetch_one(db)
    .await?;
    let numbers: Vec<(String, i32)> =
        sqlx::query_as("SELECT prefix, max(number) FROM tickets WHERE office_code = $1::char(4) AND service_day = $2 GROUP BY prefix")
            .bind(office)
            .bind(day)
            .fetch_all(db)
            .await?;
    let waiting: Vec<(String, Uuid, i64)> = sqlx::query_as(
        "SELECT service_type, id, seq FROM tickets WHERE office_code = $1::char(4) AND service_day = $2 AND status = 'waiting' ORDER BY seq",
    )
    .bind(office)
    .bind(day)
    .fetch_all(db)
    .await?;
    let busy: Vec<(String, Uuid, String, i32, String)> = sqlx::query_as(
        "SELECT DISTINCT ON (counter) counter, id, prefix, number, status FROM tickets \
         WHERE office_code = $1::char(4) AND service_day = $2 AND status IN ('called', 'serving') AND counter IS NOT NULL \
         ORDER BY counter, called_at DESC",
    )
    .bind(office)
    .bind(day)
    .fetch_all(db)
    .await?;
    Ok(Snapshot {
        max_seq: max_seq.unwrap_or(0),
        numbers: numbers
            .into_iter()
            .map(|(p, n)| (p, i64::from(n)))
            .collect(),
        waiting,
        counters: busy
            .into_iter()
            .map(|(c, id, p, n, s)| (c, id, display_number(&p, n), s))
            .collect(),
    })
}

/// Average service duration (start → finish) of a line today, in seconds.
pub async fn average_service_secs(
    db: &PgPool,
    office: &str,
    day: NaiveDate,
) -> Result<Vec<(String, f64)>, AppError> {
    Ok(sqlx::query_as(
        "SELECT service_type, avg(EXTRACT(EPOCH FROM finished_at - started_at))::float8 FROM tickets \
         WHERE office_code = $1::char(4) AND service_day = $2 AND finished_at IS NOT NULL GROUP BY service_type",
    )
    .bind(office)
    .bind(day)
    .fetch_all(db)
    .await?)
}
