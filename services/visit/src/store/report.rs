//! The monthly report's aggregates, computed in Postgres so a month of any size costs a few
//! grouped scans, not a transfer of every visit.

use chrono::NaiveDate;
use sqlx::PgPool;

use pst_kit::AppError;

/// (day, visits, served, served within the promise)
pub type DayRow = (NaiveDate, i64, i64, i64);

pub async fn days(
    db: &PgPool,
    office: &str,
    from: NaiveDate,
    to: NaiveDate,
    promise_secs: u32,
) -> Result<Vec<DayRow>, AppError> {
    Ok(sqlx::query_as(
        "WITH w AS (SELECT v.service_day AS day, EXTRACT(EPOCH FROM t.started_at - v.guest_book_at)::float8 AS wait \
                    FROM visits v LEFT JOIN tickets t ON t.id = v.ticket_id \
                    WHERE v.office_code = $1::char(4) AND v.service_day BETWEEN $2 AND $3) \
         SELECT day, count(*), count(wait), count(*) FILTER (WHERE wait <= $4) FROM w GROUP BY day ORDER BY day",
    )
    .bind(office)
    .bind(from)
    .bind(to)
    .bind(f64::from(promise_secs))
    .fetch_all(db)
    .await?)
}

/// Upper bounds (minutes) of the wait buckets; the last bucket is open.
pub const WAIT_BUCKETS: [u32; 7] = [1, 2, 3, 4, 5, 10, 20];

/// Served visits per wait bucket, in the order of [`WAIT_BUCKETS`] plus the open one.
pub async fn wait_minutes(
    db: &PgPool,
    office: &str,
    from: NaiveDate,
    to: NaiveDate,
) -> Result<Vec<i64>, AppError> {
    let bounds: Vec<f64> = WAIT_BUCKETS.iter().map(|m| f64::from(*m) * 60.0).collect();
    let rows: Vec<(i32, i64)> = sqlx::query_as(
        "SELECT width_bucket(EXTRACT(EPOCH FROM t.started_at - v.guest_book_at)::float8, $4::float8[]) AS b, count(*) \
         FROM visits v JOIN tickets t ON t.id = v.ticket_id \
         WHERE v.office_code = $1::char(4) AND v.service_day BETWEEN $2 AND $3 AND t.started_at IS NOT NULL \
         GROUP BY b",
    )
    .bind(office)
    .bind(from)
    .bind(to)
    .bind(&bounds)
    .fetch_all(db)
    .await?;
    let mut out = vec![0; WAIT_BUCKETS.len() + 1];
    for (b, n) in rows {
        // width_bucket: 0 below the first bound (a wait under a minute), i for [bound i-1, bound i).
        let i = usize::try_from(b).unwrap_or(0).min(WAIT_BUCKETS.len());
        out[i] += n;
    }
    Ok(out)
}

/// Visitors by each guest-book answer: (column, value, count).
pub async fn tallies(
    db: &PgPool,
    office: &str,
    from: NaiveDate,
    to: NaiveDate,
) -> Result<Vec<(String, String, i64)>, AppError> {
    Ok(sqlx::query_as(
        "WITH v AS (SELECT purpose, occupation, education, sex, age_group FROM visits \
                    WHERE office_code = $1::char(4) AND service_day BETWEEN $2 AND $3) \
         SELECT 'purpose', purpose, count(*) FROM v GROUP BY purpose UNION ALL \
         SELECT 'occupation', occupation, count(*) FROM v GROUP BY occupation UNION ALL \
         SELECT 'education', education, count(*) FROM v GROUP BY education UNION ALL \
         SELECT 'sex', sex, count(*) FROM v GROUP BY sex UNION ALL \
         SELECT 'age_group', age_group, count(*) FROM v GROUP BY age_group \
         ORDER BY 1, 3 DESC, 2",
    )
    .bind(office)
    .bind(from)
    .bind(to)
    .fetch_all(db)
    .await?)
}
