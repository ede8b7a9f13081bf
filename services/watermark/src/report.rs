//! Downloads per publication of an office over a period, for the supervisor's report.

use uuid::Uuid;

use pst_kit::AppError;
use pst_kit::auth::{Caller, Role};

use crate::service::Watermark;

/// Publications listed, most downloaded first.
const TOP: i64 = 20;
const MAX_DAYS: i64 = 366;

#[derive(Debug, Clone)]
pub struct DownloadReport {
    pub office: String,
    pub from: chrono::NaiveDate,
    pub to: chrono::NaiveDate,
    pub total: i64,
    /// (publication, title, downloads, distinct users)
    pub publications: Vec<(Uuid, String, i64, i64)>,
}

impl Watermark {
    /// Downloads (not reading sessions) per publication (supervisor, librarian or admin).
    pub async fn download_report(
        &self,
        caller: &Caller,
        office: &str,
        from: &str,
        to: &str,
    ) -> Result<DownloadReport, AppError> {
        let office = pst_kit::validate::office_code(office)
            .map_err(|m| AppError::field("office_code", m))?;
        caller
            .require_role_in_office(&[Role::Supervisor, Role::Librarian, Role::Admin], &office)?;
        let (from, to) = pst_kit::validate::period(from, to, MAX_DAYS)?;
        let (total,): (i64,) = sqlx::query_as(
            "SELECT count(*) FROM downloads WHERE office_code = $1::char(4) AND kind = 'download' AND day BETWEEN $2 AND $3",
        )
        .bind(&office)
        .bind(from)
        .bind(to)
        .fetch_one(&self.pool)
        .await?;
        let publications = sqlx::query_as(
            "SELECT publication_id, max(publication_title), count(*), count(DISTINCT user_id) FROM downloads \
             WHERE office_code = $1::char(4) AND kind = 'download' AND day BETWEEN $2 AND $3 \
             GROUP BY publication_id ORDER BY count(*) DESC, max(publication_title) LIMIT $4",
        )
        .bind(&office)
        .bind(from)
        .bind(to)
        .bind(TOP)
        .fetch_all(&self.pool)
        .await?;
        Ok(DownloadReport {
            office,
            from,
            to,
            total,
            publications,
        })
    }
}
