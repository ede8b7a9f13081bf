//! Offices (satker).

use sqlx::{PgExecutor, PgPool};

use pst_kit::AppError;

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct OfficeRow {
    pub code: String,
    pub name: String,
    pub time_zone: String,
}

pub async fn list(db: &PgPool) -> Result<Vec<OfficeRow>, AppError> {
    Ok(
        sqlx::query_as("SELECT code::text AS code, name, time_zone FROM offices ORDER BY code")
            .fetch_all(db)
            .await?,
    )
}

pub async fn upsert(db: impl PgExecutor<'_>, o: &OfficeRow) -> Result<OfficeRow, AppError> {
    Ok(sqlx::query_as(
        "INSERT INTO offices (code, name, time_zone) VALUES ($1, $2, $3) \
         ON CONFLICT (code) DO UPDATE SET name = EXCLUDED.name, time_zone = EXCLUDED.time_zone, updated_at = now() \
         RETURNING code::text AS code, name, time_zone",
    )
    .bind(&o.code)
    .bind(&o.name)
    .bind(&o.time_zone)
    .fetch_one(db)
    .await?)
}
