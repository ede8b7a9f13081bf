//! The supervisor's monthly report: the 5-minute promise per day and the spread of waits,
//! who the visitors were, the IKM with its grade and the integrity answers, complaints,
//! downloads and reading-room use. Each part is a table (also its CSV) and a chart of the
//! same numbers drawn as SVG; the page prints as an A4 report.

use askama::Template;
use axum::extract::{Query, State};
use axum::response::Response;
use chrono::Datelike as _;
use serde::Deserialize;

use super::report_parts::{Table, decimal, pct, tables};
use super::{Desk, SUPERVISOR, staff};
use crate::ctx::Ctx;
use crate::error::ApiError;
use crate::routes::catalogue::{ReadingRoomReportView, reading_room_uses};
use crate::routes::documents::{DownloadReportView, downloads};
use crate::routes::feedback::{ComplaintReportView, IkmView, complaint_stats, ikm};
use crate::routes::period::PeriodQuery;
use crate::routes::visit::{ServiceTimeView, service_summary};
use crate::state::AppState;
use crate::web::forms::FieldErrors;
use crate::web::pages::{field, html};
use crate::web::{Page, PageError, Session};

#[derive(Debug, Default, Clone, Deserialize)]
#[serde(default)]
pub(super) struct PeriodForm {
    pub dari: String,
    pub sampai: String,
    pub kantor: String,
}

impl PeriodForm {
    /// The period asked for, or this month so far (in WIB) when none is.
    pub(super) fn period(&self) -> PeriodQuery {
        let today = chrono::Utc::now()
            .with_timezone(&chrono_tz::Asia::Jakarta)
            .date_naive();
        let first = today.with_day(1).unwrap_or(today);
        let pick = |v: &str, d: chrono::NaiveDate| {
            let v = field(v, 10);
            if v.is_empty() { d.to_string() } else { v }
        };
        PeriodQuery {
            from: pick(&self.dari, first),
            to: pick(&self.sampai, today),
        }
    }
}

/// Every number of the report, fetched at once.
pub(super) struct Data {
    pub times: ServiceTimeView,
    pub ikm: IkmView,
    pub complaints: ComplaintReportView,
    pub downloads: DownloadReportView,
    pub reading: ReadingRoomReportView,
}

pub(super) async fn gather(
    s: &AppState,
    ctx: &Ctx,
    office: &str,
    p: PeriodQuery,
) -> Result<Data, ApiError> {
    let q = || PeriodQuery {
        from: p.from.clone(),
        to: p.to.clone(),
    };
    let (times, ikm, complaints, downloads, reading) = tokio::join!(
        service_summary(s, ctx, office.to_owned(), q()),
        ikm(s, ctx, office.to_owned(), q()),
        complaint_stats(s, ctx, office.to_owned(), q()),
        downloads(s, ctx, office.to_owned(), q()),
        reading_room_uses(s, ctx, office.to_owned(), q()),
    );
    Ok(Data {
        times: times?,
        ikm: ikm?,
        complaints: complaints?,
        downloads: downloads?,
        reading: reading?,
    })
}

#[derive(Template)]
#[template(path = "staff/report.html")]
struct Report {
    page: Page,
    desk: Desk,
    period: PeriodQuery,
    data: Option<Data>,
    tables: Vec<Table>,
    errors: FieldErrors,
}

impl Report {
    fn pct(&self, x: &f64) -> String {
        pct(*x)
    }
    fn minutes(&self, secs: &f64) -> String {
        decimal(secs / 60.0, 1)
    }
    fn decimal(&self, x: &f64, places: usize) -> String {
        decimal(*x, places)
    }
    fn csv(&self, id: &str) -> String {
        let q = serde_urlencoded::to_string([
            ("dari", self.period.from.as_str()),
            ("sampai", self.period.to.as_str()),
            ("kantor", self.desk.office.as_str()),
        ])
        .unwrap_or_default();
        format!("/supervisor/laporan/{id}.csv?{q}")
    }
}

pub(super) async fn page(
    State(s): State<AppState>,
    session: Session,
    ctx: Ctx,
    Query(form): Query<PeriodForm>,
) -> Result<Response, PageError> {
    let desk = staff(&session, &SUPERVISOR, &form.kantor)?;
    let period = form.period();
    let page = Page::new(&s, &session, "Laporan layanan").await;
    let (data, errors) = match gather(
        &s,
        &session.ctx(ctx),
        &desk.office,
        PeriodQuery {
            from: period.from.clone(),
            to: period.to.clone(),
        },
    )
    .await
    {
        Ok(d) => (Some(d), FieldErrors::default()),
        Err(e) if e.0.as_u16() == 422 => {
            let mut errors = FieldErrors::default();
            for f in &e.1.errors {
                errors.add(
                    if f.field == "from" { "dari" } else { "sampai" },
                    f.message.clone(),
                );
            }
            errors.summary = "Periode laporan belum benar.".into();
            (None, errors)
        }
        Err(e) => return Err(e.into()),
    };
    let tables = data.as_ref().map(tables).unwrap_or_default();
    html(&Report {
        page,
        desk,
        period,
        data,
        tables,
        errors,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_empty_period_means_this_month_so_far() {
        let p = PeriodForm::default().period();
        assert!(p.from.ends_with("-01"));
        assert!(p.from <= p.to);
        let p = PeriodForm {
            dari: "2026-11-01".into(),
            sampai: "2026-11-30".into(),
            kantor: String::new(),
        }
        .period();
        assert_eq!(
            (p.from.as_str(), p.to.as_str()),
            ("2026-11-01", "2026-11-30")
        );
    }
}
