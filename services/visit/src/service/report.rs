//! The 5-minute promise over a period: how many visits, how long they waited from the
//! guest book to service, the share served in time, and every breach.

use chrono::NaiveDate;

use pst_kit::AppError;
use pst_kit::auth::{Caller, Role};

use super::Visits;
use crate::store::{report, visits};

#[derive(Debug, Clone)]
pub struct Report {
    pub office: String,
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub times: visits::ServiceTimes,
    pub breaches: Vec<(String, NaiveDate, String, f64, uuid::Uuid)>,
    pub promise_secs: u32,
    pub visit_times: Vec<visits::VisitTimesRow>,
    pub visit_times_truncated: bool,
    pub clock: crate::domain::clock::OfficeClock,
    pub days: Vec<report::DayRow>,
    /// Served visits per wait bucket (see [`report::WAIT_BUCKETS`]).
    pub wait_minutes: Vec<i64>,
    /// (guest-book column, answer, visitors)
    pub tallies: Vec<(String, String, i64)>,
}

const MAX_DAYS: i64 = 366;
const MAX_BREACHES: i64 = 5000;
const MAX_VISIT_TIMES: i64 = 5000;

impl Visits {
    pub async fn service_time_report(
        &self,
        caller: &Caller,
        office: &str,
        from: &str,
        to: &str,
        summary_only: bool,
    ) -> Result<Report, AppError> {
        let s = self.setup(office).await?;
        caller.require_role_in_office(&[Role::Supervisor, Role::Admin], &s.code)?;
        let (from, to) = pst_kit::validate::period(from, to, MAX_DAYS)?;
        let times =
            visits::service_times(&self.pool, &s.code, from, to, self.cfg.promise_secs).await?;
        // The lists are for the CSV and the console; a summary (the report page) skips them.
        let (breach_limit, times_limit) = if summary_only {
            (0, 0)
        } else {
            (MAX_BREACHES, MAX_VISIT_TIMES + 1)
        };
        let breaches = visits::breaches(
            &self.pool,
            &s.code,
            from,
            to,
            self.cfg.promise_secs,
            breach_limit,
        )
        .await?;
        let mut visit_times =
            visits::visit_times(&self.pool, &s.code, from, to, times_limit).await?;
        let visit_times_truncated = visit_times.len() > MAX_VISIT_TIMES as usize;
        visit_times.truncate(MAX_VISIT_TIMES as usize);
        let days = report::days(&self.pool, &s.code, from, to, self.cfg.promise_secs).await?;
        let wait_minutes = report::wait_minutes(&self.pool, &s.code, from, to).await?;
        let tallies = report::tallies(&self.pool, &s.code, from, to).await?;
        Ok(Report {
            days,
            wait_minutes,
            tallies,
            visit_times,
            visit_times_truncated,
            clock: s.clock,
            office: s.code,
            from,
            to,
            times,
            breaches,
            promise_secs: self.cfg.promise_secs,
        })
    }
}
