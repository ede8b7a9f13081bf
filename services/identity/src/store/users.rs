//! Accounts.

use chrono::{DateTime, Utc};
use sqlx::{PgExecutor, PgPool};
use uuid::Uuid;

use pst_kit::AppError;

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct UserRow {
    pub id: Uuid,
    pub full_name: String,
    pub email: String,
    pub password_hash: String,
    pub phone: String,
    pub institution: String,
    pub occupation: String,
    pub id_type: i16,
    pub id_number_masked: String,
    pub role: String,
    pub office_code: Option<String>,
    pub email_verified_at: Option<DateTime<Utc>>,
    pub active: bool,
    pub created_at: DateTime<Utc>,
}

const COLUMNS: &str = "id, full_name, email, password_hash, phone, institution, occupation, id_type, \
     id_number_masked, role, office_code::text AS office_code, email_verified_at, active, created_at";

/// Fields of a new account row.
#[derive(Debug)]
pub struct NewUserRow<'a> {
    pub id: Uuid,
    pub full_name: &'a str,
    pub email: &'a str,
    pub password_hash: &'a str,
    pub phone: &'a str,
    pub institution: &'a str,
    pub occupation: &'a str,
    pub id_type: i16,
    pub id_number_enc: Option<Vec<u8>>,
    pub id_number_masked: &'a str,
    pub role: &'a str,
    pub office_code: Option<&'a str>,
    pub verified: bool,
}

pub async fn insert(db: impl PgExecutor<'_>, u: &NewUserRow<'_>) -> Result<(), AppError> {
    let result = sqlx::query(
        "INSERT INTO users (id, full_name, email, password_hash, phone, institution, occupation, id_type, \
         id_number_enc, id_number_masked, role, office_code, email_verified_at) \
         VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12, CASE WHEN $13 THEN now() END)",
    )
    .bind(u.id)
    .bind(u.full_name)
    .bind(u.email)
    .bind(u.password_hash)
    .bind(u.phone)
    .bind(u.institution)
    .bind(u.occupation)
    .bind(u.id_type)
    .bind(&u.id_number_enc)
    .bind(u.id_number_masked)
    .bind(u.role)
    .bind(u.office_code)
    .bind(u.verified)
    .execute(db)
    .await;
    match result {
        Ok(_) => Ok(()),
        Err(e) if pst_kit::db::is_unique_violation(&e, "users_email_key") => {
            Err(AppError::Conflict {
                code: "EMAIL_TAKEN",
                detail: "Alamat e-mail ini sudah terdaftar.".into(),
                field: Some("email"),
            })
        }
        Err(sqlx::Error::Database(d)) if d.code().as_deref() == Some("23503") => {
            Err(AppError::NotFound {
                code: "OFFICE_NOT_FOUND",
                detail: "Satker tidak ditemukan.".into(),
            })
        }
        // staff_have_office: a role other than admin needs an office.
        Err(sqlx::Error::Database(d)) if d.code().as_deref() == Some("23514") => {
            Err(AppError::field(
                "office_code",
                "Peran selain admin wajib memiliki satker; isi office_code.",
            ))
        }
        Err(e) => Err(e.into()),
    }
}

/// Frees the address of an account that was never verified: it keeps its row (and any
/// audit trail) under an address no one can use, disabled.
pub async fn release_unverified(db: &PgPool, id: Uuid) -> Result<(), AppError> {
    sqlx::query(
        "UPDATE users SET email = 'kedaluwarsa+' || id::text || '@invalid', active = false \
         WHERE id = $1 AND email_verified_at IS NULL",
    )
    .bind(id)
    .execute(db)
    .await?;
    Ok(())
}

pub async fn by_email(db: &PgPool, email: &str) -> Result<Option<UserRow>, AppError> {
    Ok(sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {COLUMNS} FROM users WHERE email = $1"
    )))
    .bind(email)
    .fetch_optional(db)
    .await?)
}

pub async fn by_id(db: impl PgExecutor<'_>, id: Uuid) -> Result<Option<UserRow>, AppError> {
    Ok(sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {COLUMNS} FROM users WHERE id = $1"
    )))
    .bind(id)
    .fetch_optional(db)
    .await?)
}

pub async fn mark_verified(db: impl PgExecutor<'_>, id: Uuid) -> Result<(), AppError> {
    sqlx::query("UPDATE users SET email_verified_at = COALESCE(email_verified_at, now()), updated_at = now() WHERE id = $1")
        .bind(id)
        .execute(db)
        .await?;
    Ok(())
}

pub async fn set_password(db: impl PgExecutor<'_>, id: Uuid, hash: &str) -> Result<(), AppError> {
    sqlx::query("UPDATE users SET password_hash = $2, updated_at = now() WHERE id = $1")
        .bind(id)
        .bind(hash)
        .execute(db)
        .await?;
    Ok(())
}

/// Profile changes; `None` leaves a field as it is.
#[derive(Debug, Default)]
pub struct ProfilePatch {
    pub full_name: Option<String>,
    pub phone: Option<String>,
    pub institution: Option<String>,
    pub occupation: Option<String>,
}

pub async fn update_profile(
    db: impl PgExecutor<'_>,
    id: Uuid,
    p: &ProfilePatch,
) -> Result<Option<UserRow>, AppError> {
    Ok(sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "UPDATE users SET full_name = COALESCE($2, full_name), phone = COALESCE($3, phone), \
         institution = COALESCE($4, institution), occupation = COALESCE($5, occupation), updated_at = now() \
         WHERE id = $1 RETURNING {COLUMNS}"
    )))
    .bind(id)
    .bind(&p.full_name)
    .bind(&p.phone)
    .bind(&p.institution)
    .bind(&p.occupation)
    .fetch_optional(db)
    .await?)
}

/// Staff changes; `None` leaves a field as it is.
#[derive(Debug, Default)]
pub struct StaffPatch {
    pub role: Option<String>,
    pub office_code: Option<String>,
    pub active: Option<bool>,
    pub full_name: Option<String>,
}

pub async fn update_staff(
    db: impl PgExecutor<'_>,
    id: Uuid,
    p: &StaffPatch,
) -> Result<Option<UserRow>, AppError> {
    let result = sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "UPDATE users SET role = COALESCE($2, role), office_code = COALESCE($3, office_code), \
         active = COALESCE($4, active), full_name = COALESCE($5, full_name), updated_at = now() \
         WHERE id = $1 AND role <> 'visitor' RETURNING {COLUMNS}"
    )))
    .bind(id)
    .bind(&p.role)
    .bind(&p.office_code)
    .bind(p.active)
    .bind(&p.full_name)
    .fetch_optional(db)
    .await;
    match result {
        Ok(row) => Ok(row),
        Err(sqlx::Error::Database(d)) if d.code().as_deref() == Some("23503") => {
            Err(AppError::NotFound {
                code: "OFFICE_NOT_FOUND",
                detail: "Satker tidak ditemukan.".into(),
            })
        }
        // staff_have_office: a role other than admin needs an office.
        Err(sqlx::Error::Database(d)) if d.code().as_deref() == Some("23514") => {
            Err(AppError::field(
                "office_code",
                "Peran selain admin wajib memiliki satker; isi office_code.",
            ))
        }
        Err(e) => Err(e.into()),
    }
}

/// Staff of an office, oldest first, after the keyset `(created_at, id)` of `after`.
pub async fn list_staff(
    db: &PgPool,
    office: &str,
    after: Option<(DateTime<Utc>, Uuid)>,
    limit: i64,
) -> Result<Vec<UserRow>, AppError> {
    let (at, id) = after.unzip();
    Ok(sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {COLUMNS} FROM users WHERE role <> 'visitor' AND office_code = $1::char(4) \
         AND ($2::timestamptz IS NULL OR (created_at, id) > ($2, $3)) \
         ORDER BY created_at, id LIMIT $4"
    )))
    .bind(office)
    .bind(at)
    .bind(id)
    .bind(limit)
    .fetch_all(db)
    .await?)
}
