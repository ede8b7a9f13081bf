//! Office setup: time zone, opening hours, service types (lines), counters and lockers.

use chrono::{NaiveDate, NaiveTime};
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
    pub holidays: Vec<NaiveDate>,
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

/// code, name, time zone, opens, closes, open days, lockers, holidays
type OfficeRow = (
    String,
    String,
    String,
    NaiveTime,
    NaiveTime,
    Vec<i16>,
    i32,
    Vec<NaiveDate>,
);

pub async fn load(db: &PgPool, office: &str) -> Result<Setup, AppError> {
    let row: Option<OfficeRow> = sqlx::query_as(
        "SELECT code::text, name, time_zone, opens_at, closes_at, open_days, lockers, holidays FROM offices WHERE code = $1",
    )
    .bind(office)
    .fetch_optional(db)
    .await?;
    let Some((code, name, time_zone, opens_at, closes_at, open_days, lockers, holidays)) = row
    else {
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
        holidays,
    })
}

/// Creates or updates an office's setup, adding lines, counters and lockers (demo data,
/// tests); [`replace`] also removes what is no longer listed.
pub async fn save(db: &PgPool, s: &Setup) -> Result<(), AppError> {
    let mut tx = db.begin().await?;
    write(&mut tx, s).await?;
    tx.commit().await?;
    Ok(())
}

/// Writes the office row, its lines, counters and lockers (none removed).
pub async fn write(tx: &mut sqlx::PgConnection, s: &Setup) -> Result<(), AppError> {
    sqlx::query(
        "INSERT INTO offices (code, name, time_zone, opens_at, closes_at, open_days, lockers, holidays) VALUES ($1,$2,$3,$4,$5,$6,$7,$8) \
         ON CONFLICT (code) DO UPDATE SET name = EXCLUDED.name, time_zone = EXCLUDED.time_zone, opens_at = EXCLUDED.opens_at, \
         closes_at = EXCLUDED.closes_at, open_days = EXCLUDED.open_days, lockers = EXCLUDED.lockers, holidays = EXCLUDED.holidays",
    )
    .bind(&s.code)
    .bind(&s.name)
    .bind(&s.time_zone)
    .bind(s.opens_at)
    .bind(s.closes_at)
    .bind(&s.open_days)
    .bind(s.lockers)
    .bind(&s.holidays)
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
    Ok(())
}

/// Replaces an office's setup in the caller's transaction: lines, counters and lockers
/// that are no longer listed go (a line that tickets used, or a locker holding a card,
/// cannot: that is a conflict naming it).
pub async fn replace(tx: &mut sqlx::PgConnection, s: &Setup) -> Result<(), AppError> {
    write(tx, s).await?;
    let codes: Vec<String> = s.service_types.iter().map(|t| t.code.clone()).collect();
    let used: Option<(String,)> = sqlx::query_as(
        "SELECT st.code FROM service_types st WHERE st.office_code = $1::char(4) AND NOT st.code = ANY($2) \
         AND EXISTS (SELECT 1 FROM tickets t WHERE t.office_code = st.office_code AND t.service_type = st.code) LIMIT 1",
    )
    .bind(&s.code)
    .bind(&codes)
    .fetch_optional(&mut *tx)
    .await?;
    if let Some((code,)) = used {
        return Err(AppError::Conflict {
            code: "SERVICE_TYPE_IN_USE",
            detail: format!(
                "Jenis layanan '{code}' sudah dipakai nomor antrean dan tidak dapat dihapus; ubah namanya saja."
            ),
            field: Some("service_types"),
        });
    }
    sqlx::query("DELETE FROM service_types WHERE office_code = $1::char(4) AND NOT code = ANY($2)")
        .bind(&s.code)
        .bind(&codes)
        .execute(&mut *tx)
        .await?;
    let counters: Vec<String> = s.counters.iter().map(|c| c.code.clone()).collect();
    sqlx::query("DELETE FROM counters WHERE office_code = $1::char(4) AND NOT code = ANY($2)")
        .bind(&s.code)
        .bind(&counters)
        .execute(&mut *tx)
        .await?;
    let held: Option<(i32,)> = sqlx::query_as(
        "SELECT locker FROM custody WHERE office_code = $1::char(4) AND locker > $2 AND returned_at IS NULL LIMIT 1",
    )
    .bind(&s.code)
    .bind(s.lockers)
    .fetch_optional(&mut *tx)
    .await?;
    if let Some((n,)) = held {
        return Err(AppError::Conflict {
            code: "LOCKER_IN_USE",
            detail: format!(
                "Loker {n} masih menyimpan kartu identitas; kembalikan dulu sebelum mengurangi jumlah loker."
            ),
            field: Some("lockers"),
        });
    }
    // Lockers past the new number that ever held a card stay (their history refers to
    // them) but out of service; the others go.
    sqlx::query(
        "UPDATE lockers l SET out_of_service = true WHERE l.office_code = $1::char(4) AND l.number > $2 \
         AND EXISTS (SELECT 1 FROM custody c WHERE c.office_code = l.office_code AND c.locker = l.number)",
    )
    .bind(&s.code)
    .bind(s.lockers)
    .execute(&mut *tx)
    .await?;
    sqlx::query(
        "DELETE FROM lockers l WHERE l.office_code = $1::char(4) AND l.number > $2 \
         AND NOT EXISTS (SELECT 1 FROM custody c WHERE c.office_code = l.office_code AND c.locker = l.number)",
    )
    .bind(&s.code)
    .bind(s.lockers)
    .execute(&mut *tx)
    .await?;
    Ok(())
}
