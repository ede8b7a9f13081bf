//! Login throttling per e-mail and per client address, kept in Postgres so every replica
//! of identity sees the same counts.

use sqlx::PgPool;

use pst_kit::AppError;

/// Seconds until the longest lock among `keys` ends, if any is locked.
pub async fn locked_for(db: &PgPool, keys: &[String]) -> Result<Option<u64>, AppError> {
    let secs: Option<f64> = sqlx::query_scalar(
        "SELECT max(EXTRACT(EPOCH FROM (locked_until - now()))::float8) FROM login_throttle \
         WHERE key = ANY($1) AND locked_until > now()",
    )
    .bind(keys)
    .fetch_one(db)
    .await?;
    Ok(secs.map(|s| s.ceil().max(1.0) as u64))
}

/// Counts a failure for `key` within a window of `window_secs`; at `limit` failures the key
/// is locked for `lock_secs`. Returns the lock length when this failure locked it.
pub async fn record_failure(
    db: &PgPool,
    key: &str,
    limit: u32,
    lock_secs: u32,
    window_secs: u32,
) -> Result<Option<u64>, AppError> {
    let locked: Option<bool> = sqlx::query_scalar(
        "INSERT INTO login_throttle AS t (key, failures, window_start) VALUES ($1, 1, now()) \
         ON CONFLICT (key) DO UPDATE SET \
           failures = CASE WHEN t.window_start < now() - make_interval(secs => $4) OR t.locked_until <= now() \
                           THEN 1 ELSE t.failures + 1 END, \
           window_start = CASE WHEN t.window_start < now() - make_interval(secs => $4) OR t.locked_until <= now() \
                           THEN now() ELSE t.window_start END, \
           locked_until = CASE WHEN t.locked_until <= now() THEN NULL ELSE t.locked_until END \
         RETURNING failures >= $2",
    )
    .bind(key)
    .bind(i32::try_from(limit).unwrap_or(i32::MAX))
    .bind(f64::from(lock_secs))
    .bind(f64::from(window_secs))
    .fetch_optional(db)
    .await?;
    if locked == Some(true) {
        sqlx::query("UPDATE login_throttle SET locked_until = now() + make_interval(secs => $2) WHERE key = $1")
            .bind(key)
            .bind(f64::from(lock_secs))
            .execute(db)
            .await?;
        return Ok(Some(u64::from(lock_secs)));
    }
    Ok(None)
}

pub async fn clear(db: &PgPool, key: &str) -> Result<(), AppError> {
    sqlx::query("DELETE FROM login_throttle WHERE key = $1")
        .bind(key)
        .execute(db)
        .await?;
    Ok(())
}
