//! One-time e-mail tokens and rotating refresh-token families.

use sqlx::{PgExecutor, PgPool};
use uuid::Uuid;

use pst_kit::AppError;

use pst_kit::crypto;

#[derive(Debug, Clone, Copy)]
pub enum Purpose {
    Verify,
    Reset,
}

impl Purpose {
    fn as_str(self) -> &'static str {
        match self {
            Self::Verify => "verify",
            Self::Reset => "reset",
        }
    }
}

/// Stores a new one-time token and returns the raw value to mail.
pub async fn create_email_token(
    db: impl PgExecutor<'_>,
    user: Uuid,
    purpose: Purpose,
    ttl_secs: u32,
) -> Result<String, AppError> {
    let (token, hash) = crypto::new_token();
    // A new password-reset link ends the older ones (a leaked old mail is no longer a key).
    sqlx::query(
        "WITH older AS (UPDATE email_tokens SET expires_at = LEAST(expires_at, now()) \
                        WHERE user_id = $2 AND purpose = 'reset' AND $3 = 'reset' AND used_at IS NULL) \
         INSERT INTO email_tokens (token_hash, user_id, purpose, expires_at) \
         VALUES ($1, $2, $3, now() + make_interval(secs => $4))",
    )
    .bind(hash)
    .bind(user)
    .bind(purpose.as_str())
    .bind(f64::from(ttl_secs))
    .execute(db)
    .await?;
    Ok(token)
}

/// Uses a one-time token once; unknown, used and expired tokens are all "invalid".
pub async fn consume_email_token(
    db: impl PgExecutor<'_>,
    token: &str,
    purpose: Purpose,
) -> Result<Uuid, AppError> {
    sqlx::query_scalar(
        "UPDATE email_tokens SET used_at = now() \
         WHERE token_hash = $1 AND purpose = $2 AND used_at IS NULL AND expires_at > now() RETURNING user_id",
    )
    .bind(crypto::hash_token(token))
    .bind(purpose.as_str())
    .fetch_optional(db)
    .await?
    .ok_or_else(|| AppError::FailedPrecondition {
        code: "TOKEN_INVALID_OR_EXPIRED",
        detail: "Tautan/kode tidak valid, sudah dipakai, atau kedaluwarsa. Mintalah yang baru.".into(),
    })
}

/// Starts (or continues) a family with a new refresh token; returns the raw token.
pub async fn issue_refresh(
    db: impl PgExecutor<'_>,
    user: Uuid,
    family: Uuid,
    ttl_secs: u32,
) -> Result<String, AppError> {
    let (token, hash) = crypto::new_token();
    sqlx::query(
        "INSERT INTO refresh_tokens (token_hash, family_id, user_id, expires_at) \
         VALUES ($1, $2, $3, now() + make_interval(secs => $4))",
    )
    .bind(hash)
    .bind(family)
    .bind(user)
    .bind(f64::from(ttl_secs))
    .execute(db)
    .await?;
    Ok(token)
}

fn invalid_refresh() -> AppError {
    AppError::Unauthenticated {
        code: "REFRESH_TOKEN_INVALID",
        detail: "Sesi tidak valid atau telah berakhir; silakan masuk kembali.".into(),
    }
}

/// Rotates a refresh token: marks it used and issues the next one in its family.
/// Presenting a token that was already used revokes the whole family, since one of the two
/// holders is not the user; a revoked one (logout, reuse) is simply invalid.
pub async fn rotate_refresh(
    db: &PgPool,
    token: &str,
    ttl_secs: u32,
) -> Result<(Uuid, Uuid, String), AppError> {
    let mut tx = db.begin().await?;
    let row: Option<(Uuid, Uuid, bool, bool, bool)> = sqlx::query_as(
        "SELECT family_id, user_id, used_at IS NOT NULL, revoked_at IS NOT NULL, expires_at <= now() \
         FROM refresh_tokens WHERE token_hash = $1 FOR UPDATE",
    )
    .bind(crypto::hash_token(token))
    .fetch_optional(&mut *tx)
    .await?;
    let Some((family, user, used, revoked, expired)) = row else {
        return Err(invalid_refresh());
    };
    if revoked {
        return Err(invalid_refresh());
    }
    if used {
        revoke_family(&mut *tx, family).await?;
        tx.commit().await?;
        tracing::warn!(%user, %family, "refresh token reuse detected; session family revoked");
        return Err(AppError::Unauthenticated {
            code: "REFRESH_TOKEN_REUSED",
            detail: "Token sesi ini sudah pernah dipakai; demi keamanan semua sesi terkait dicabut. Silakan masuk kembali.".into(),
        });
    }
    if expired {
        return Err(invalid_refresh());
    }
    sqlx::query("UPDATE refresh_tokens SET used_at = now() WHERE token_hash = $1")
        .bind(crypto::hash_token(token))
        .execute(&mut *tx)
        .await?;
    let next = issue_refresh(&mut *tx, user, family, ttl_secs).await?;
    tx.commit().await?;
    Ok((user, family, next))
}

pub async fn revoke_family(db: impl PgExecutor<'_>, family: Uuid) -> Result<(), AppError> {
    sqlx::query(
        "UPDATE refresh_tokens SET revoked_at = now() WHERE family_id = $1 AND revoked_at IS NULL",
    )
    .bind(family)
    .execute(db)
    .await?;
    Ok(())
}

/// Logout: revokes the family the token belongs to, and names it. Unknown tokens are a
/// no-op, so logout never tells whether a token existed.
pub async fn revoke_family_of(db: &PgPool, token: &str) -> Result<Option<Uuid>, AppError> {
    let family: Option<Uuid> =
        sqlx::query_scalar("SELECT family_id FROM refresh_tokens WHERE token_hash = $1")
            .bind(crypto::hash_token(token))
            .fetch_optional(db)
            .await?;
    if let Some(f) = family {
        revoke_family(db, f).await?;
    }
    Ok(family)
}

pub async fn revoke_all_for_user(db: impl PgExecutor<'_>, user: Uuid) -> Result<(), AppError> {
    sqlx::query(
        "UPDATE refresh_tokens SET revoked_at = now() WHERE user_id = $1 AND revoked_at IS NULL",
    )
    .bind(user)
    .execute(db)
    .await?;
    Ok(())
}
