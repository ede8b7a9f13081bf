//! The download log: a printed id checked, one's own downloads, one session.
use chrono::DateTime;
use uuid::Uuid;

use pst_kit::AppError;
use pst_kit::auth::{Caller, Role};

use super::*;

impl Watermark {
    /// Public answer for a printed id: genuine or not, without personal data. The id is
    /// 1-16 letters and digits exactly (the contract's pattern): the web form strips what
    /// is typed around it, the API takes nothing else (a "\nk" is refused, not trimmed).
    pub async fn check_code(&self, code: &str) -> Result<Option<DownloadRow>, AppError> {
        let code = code.to_ascii_uppercase();
        if code.is_empty() || code.len() > 16 || !code.chars().all(|c| c.is_ascii_alphanumeric()) {
            return Err(AppError::field("code", "Kode verifikasi tidak valid."));
        }
        Ok(store::by_code(&self.pool, &code).await?)
    }

    pub async fn my_downloads(
        &self,
        caller: &Caller,
        cursor: &str,
        limit: u32,
    ) -> Result<(Vec<DownloadRow>, String), AppError> {
        let limit = match limit {
            0 => 20,
            1..=100 => i64::from(limit),
            _ => return Err(AppError::field("limit", "Paling banyak 100 per halaman.")),
        };
        let after = if cursor.is_empty() {
            None
        } else {
            let bad = || AppError::field("cursor", "Kursor tidak valid.");
            let (t, id) = cursor.split_once('_').ok_or_else(bad)?;
            let t: i64 = t.parse().map_err(|_| bad())?;
            Some((
                DateTime::from_timestamp_micros(t).ok_or_else(bad)?,
                Uuid::parse_str(id).map_err(|_| bad())?,
            ))
        };
        let rows = store::list_for_user(&self.pool, caller.user_id, after, limit + 1).await?;
        let more = rows.len() as i64 > limit;
        let rows: Vec<_> = rows.into_iter().take(limit as usize).collect();
        let next = match rows.last() {
            Some(r) if more => format!("{}_{}", r.issued_at.timestamp_micros(), r.id),
            _ => String::new(),
        };
        Ok((rows, next))
    }

    /// A copy by its id (or printed code), if it is the caller's (staff: their office's).
    pub async fn session(&self, caller: &Caller, id: &str) -> Result<DownloadRow, AppError> {
        let found = match Uuid::parse_str(id.trim()) {
            Ok(uuid) => store::by_id(&self.pool, uuid).await?,
            Err(_) => self.check_code(id).await?,
        };
        let not_found = || AppError::NotFound {
            code: "DOWNLOAD_NOT_FOUND",
            detail: "Unduhan atau sesi baca tidak ditemukan.".into(),
        };
        let d = found.ok_or_else(not_found)?;
        let staff_ok = caller.role == Role::Admin
            || (caller.role.is_staff() && caller.office.as_deref() == Some(d.office_code.as_str()));
        if d.user_id != caller.user_id && !staff_ok {
            return Err(not_found());
        }
        Ok(d)
    }
}
