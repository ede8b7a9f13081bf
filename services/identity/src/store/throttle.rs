//! Login throttling per e-mail and per client address, kept in Postgres so every replica
//! of identity sees the same counts.
//!
//! An attempt is *reserved* (counted) atomically before the password is checked, so a
//! burst of parallel guesses cannot all slip past the limit; a successful login clears the
//! e-mail's count and refunds the address's reservation.

use sqlx::PgPool;

use pst_kit::AppError;

/// Counts one attempt for `key` within a window of `window_secs`. Answers the seconds to
/// wait when the key is locked, or when this attempt is over `limit` (which locks it for
/// `lock_secs`).
pub async fn reserve(
    db: &PgPool,
    key: &str,
    limit: u32,
    lock_secs: u32,
    window_secs: u32,
) -> Result<Option<u64>, AppError> {
    let (attempts, locked_for): (i32, Option<f64>) = sqlx::query_as(
        "INSERT INTO login_throttle AS t (key, failures, window_start) VALUES ($1, 1, now()) \
         ON CONFLICT (key) DO UPDATE SET \
           failures = CASE WHEN t.locked_until <= now() OR (t.locked_until IS NULL AND t.window_start < now() - make_interval(secs => $2)) \
                           THEN 1 ELSE t.failures + 1 END, \
           window_start = CASE WHEN t.locked_until <= now() OR (t.locked_until IS NULL AND t.window_start < now() - make_interval(secs => $2)) \
                           THEN now() ELSE t.window_start END, \
           locked_until = CASE WHEN t.locked_until <= now() THEN NULL ELSE t.locked_until END \
         RETURNING failures, EXTRACT(EPOCH FROM (locked_until - now()))::float8",
    )
    .bind(key)
    .bind(f64::from(window_secs))
    .fetch_one(db)
    .await?;
    if let Some(secs) = locked_for.filter(|s| *s > 0.0) {
        return Ok(Some(secs.ceil() as u64));
    }
    if i64::from(attempts) > i64::from(limit) {
        lock(db, key, lock_secs).await?;
        return Ok(Some(u64::from(lock_secs)));
    }
    Ok(None)
}

/// After a failed attempt: locks the key if its count reached `limit`. Answers whether it
/// did.
pub async fn fail(db: &PgPool, key: &str, limit: u32, lock_secs: u32) -> Result<bool, AppError> {
    let attempts: Option<i32> =
        sqlx::query_scalar("SELECT failures FROM login_throttle WHERE key = $1")
            .bind(key)
            .fetch_optional(db)
            .await?;
    if attempts.is_some_and(|a| i64::from(a) >= i64::from(limit)) {
        lock(db, key, lock_secs).await?;
        return Ok(true);
    }
    Ok(false)
}

async fn lock(db: &PgPool, key: &str, lock_secs: u32) -> Result<(), AppError> {
    sqlx::query("UPDATE login_throttle SET locked_until = now() + make_interval(secs => $2) WHERE key = $1 AND locked_until IS NULL")
        .bind(key)
        .bind(f64::from(lock_secs))
        .execute(db)
        .await?;
    Ok(())
}

/// A successful login: the e-mail starts afresh.
pub async fn clear(db: &PgPool, key: &str) -> Result<(), AppError> {
    sqlx::query("DELETE FROM login_throttle WHERE key = $1")
        .bind(key)
        .execute(db)
        .await?;
    Ok(())
}

/// Gives back a reservation that turned out not to be a failure.
pub async fn refund(db: &PgPool, key: &str) -> Result<(), AppError> {
    sqlx::query("UPDATE login_throttle SET failures = greatest(failures - 1, 0) WHERE key = $1")
        .bind(key)
        .execute(db)
        .await?;
    Ok(())
}
