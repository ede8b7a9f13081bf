//! Office setup: time zone, opening hours, service types (lines), counters and lockers.

use chrono::NaiveTime;
use sqlx::PgPool;

use pst_kit::AppError;

use crate::domain::clock::OfficeClock;

#[derive(Debug, Clone)]
pub struct ServiceType {
    pub code: String,
    pub prefix: String,
    pub name: String,
}

#[derive(Debug, Clone)]
pub struct Counter {
    pub code: String,
    pub name: String,
    pub service_types: Vec<String>,
}

#[derive(Debug, Clone)]
pub struct Setup {
    pub code: String,
    pub name: String,
    pub clock: OfficeClock,
    pub time_zone: String,
    pub opens_at: NaiveTime,
    pub closes_at: NaiveTime,
    pub open_days: Vec<i16>,
    pub lockers: i32,
    pub service_types: Vec<ServiceType>,
    pub counters: Vec<Counter>,
}

impl Setup {
    pub fn service_type(&self, code: &str) -> Result<&ServiceType, AppError> {
        self.service_types
            .iter()
            .find(|t| t.code == code)
            .ok_or_else(|| AppError::NotFound {
                code: "SERVICE_TYPE_NOT_FOUND",
                detail: format!(
                    "Jenis layanan '{code}' tidak ada di satker ini. Pilihan: {}.",
                    self.service_types
                        .iter()
                        .map(|t| t.code.as_str())
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            })
    }

    pub fn counter(&self, code: &str) -> Result<&Counter, AppError> {
        self.counters
            .iter()
            .find(|c| c.code == code)
            .ok_or_else(|| AppError::NotFound {
                code: "COUNTER_NOT_FOUND",
                detail: format!("Loket '{code}' tidak ada di satker ini."),
            })
    }

    pub fn line_codes(&self) -> Vec<String> {
        self.service_types.iter().map(|t| t.code.clone()).collect()
    }

    pub fn counter_codes(&self) -> Vec<String> {
        self.counters.iter().map(|c| c.code.clone()).collect()
    }
}

pub fn office_not_found(code: &str) -> AppError {
    AppError::NotFound {
        code: "OFFICE_NOT_FOUND",
        detail: format!("Satker {code} belum terdaftar di layanan antrean."),
    }
}

/// code, name, time zone, opens, closes, open days, lockers
type OfficeRow = (String, String, String, NaiveTime, NaiveTime, Vec<i16>, i32);

pub async fn load(db: &PgPool, office: &str) -> Result<Setup, AppError> {
    let row: Option<OfficeRow> = sqlx::query_as(
        "SELECT code::text, name, time_zone, opens_at, closes_at, open_days, lockers FROM offices WHERE code = $1",
    )
    .bind(office)
    .fetch_optional(db)
    .await?;
    let Some((code, name, time_zone, opens_at, closes_at, open_days, lockers)) = row else {
        return Err(office_not_found(office));
    };
    let clock = OfficeClock::parse(&time_zone).ok_or_else(|| {
        AppError::internal(anyhow::anyhow!(
            "office {code} has unknown time zone {time_zone}"
        ))
    })?;
    let service_types = sqlx::query_as::<_, (String, String, String)>(
        "SELECT code, prefix, name FROM service_types WHERE office_code = $1::char(4) ORDER BY prefix",
    )
    .bind(office)
    .fetch_all(db)
    .await?
    .into_iter()
    .map(|(code, prefix, name)| ServiceType { code, prefix, name })
    .collect();
    let counters = sqlx::query_as::<_, (String, String, Vec<String>)>(
        "SELECT code, name, service_types FROM counters WHERE office_code = $1::char(4) ORDER BY code",
    )
    .bind(office)
    .fetch_all(db)
    .await?
    .into_iter()
    .map(|(code, name, service_types)| Counter {
        code,
        name,
        service_types,
    })
    .collect();
    Ok(Setup {
        code,
        name,
        clock,
        time_zone,
        opens_at,
        closes_at,
        open_days,
        lockers,
        service_types,
        counters,
    })
}

/// Creates or replaces an office's setup (demo data, tests, administration).
pub async fn save(db: &PgPool, s: &Setup) -> Result<(), AppError> {
    let mut tx = db.begin().await?;
    sqlx::query(
        "INSERT INTO offices (code, name, time_zone, opens_at, closes_at, open_days, lockers) VALUES ($1,$2,$3,$4,$5,$6,$7) \
         ON CONFLICT (code) DO UPDATE SET name = EXCLUDED.name, time_zone = EXCLUDED.time_zone, opens_at = EXCLUDED.opens_at, \
         closes_at = EXCLUDED.closes_at, open_days = EXCLUDED.open_days, lockers = EXCLUDED.lockers",
    )
    .bind(&s.code)
    .bind(&s.name)
    .bind(&s.time_zone)
    .bind(s.opens_at)
    .bind(s.closes_at)
    .bind(&s.open_days)
    .bind(s.lockers)
    .execute(&mut *tx)
    .await?;
    for t in &s.service_types {
        sqlx::query(
            "INSERT INTO service_types (office_code, code, prefix, name) VALUES ($1,$2,$3,$4) \
             ON CONFLICT (office_code, code) DO UPDATE SET prefix = EXCLUDED.prefix, name = EXCLUDED.name",
        )
        .bind(&s.code)
        .bind(&t.code)
        .bind(&t.prefix)
        .bind(&t.name)
        .execute(&mut *tx)
        .await?;
    }
    for c in &s.counters {
        sqlx::query(
            "INSERT INTO counters (office_code, code, name, service_types) VALUES ($1,$2,$3,$4) \
             ON CONFLICT (office_code, code) DO UPDATE SET name = EXCLUDED.name, service_types = EXCLUDED.service_types",
        )
        .bind(&s.code)
        .bind(&c.code)
        .bind(&c.name)
        .bind(&c.service_types)
        .execute(&mut *tx)
        .await?;
    }
    sqlx::query("INSERT INTO lockers (office_code, number) SELECT $1, n FROM generate_series(1, $2) n ON CONFLICT DO NOTHING")
        .bind(&s.code)
        .bind(s.lockers)
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    Ok(())
}
