//! The floor of an office-day in one query, from the record (not the live queue), so it is
//! the same on every instance and survives a Redis restart.

use chrono::NaiveDate;
use sqlx::PgPool;

use pst_kit::AppError;

#[derive(Debug, Clone, Default, sqlx::FromRow)]
pub struct Counts {
    pub waiting: i64,
    pub serving: i64,
    pub at_risk: i64,
    pub past_promise: i64,
    pub cards_held: i64,
    pub visits_today: i64,
}

pub async fn counts(
    db: &PgPool,
    office: &str,
    day: NaiveDate,
    risk_secs: f64,
    promise_secs: f64,
) -> Result<Counts, AppError> {
    Ok(sqlx::query_as(
        "SELECT \
           (SELECT count(*) FROM tickets WHERE office_code = $1::char(4) AND service_day = $2 AND status IN ('waiting', 'called')) AS waiting, \
           (SELECT count(*) FROM tickets WHERE office_code = $1::char(4) AND service_day = $2 AND status = 'serving') AS serving, \
           (SELECT count(*) FROM visits v LEFT JOIN tickets t ON t.id = v.ticket_id \
              WHERE v.office_code = $1::char(4) AND v.service_day = $2 AND v.ended_at IS NULL AND t.started_at IS NULL \
                AND EXTRACT(EPOCH FROM now() - v.guest_book_at) > $3 AND EXTRACT(EPOCH FROM now() - v.guest_book_at) <= $4) AS at_risk, \
           (SELECT count(*) FROM visits v LEFT JOIN tickets t ON t.id = v.ticket_id \
              WHERE v.office_code = $1::char(4) AND v.service_day = $2 AND v.ended_at IS NULL AND t.started_at IS NULL \
                AND EXTRACT(EPOCH FROM now() - v.guest_book_at) > $4) AS past_promise, \
           (SELECT count(*) FROM custody WHERE office_code = $1::char(4) AND returned_at IS NULL) AS cards_held, \
           (SELECT count(*) FROM visits WHERE office_code = $1::char(4) AND service_day = $2) AS visits_today",
    )
    .bind(office)
    .bind(day)
    .bind(risk_secs)
    .bind(promise_secs)
    .fetch_one(db)
    .await?)
}
