//! Each part of the supervisor's report as CSV: the same rows as its table on the page.

use axum::extract::{Path, Query, State};
use axum::response::Response;

use super::report::{PeriodForm, gather};
use super::report_parts::tables;
use super::{SUPERVISOR, staff};
use crate::csv::Writer;
use crate::ctx::Ctx;
use crate::state::AppState;
use crate::web::{PageError, Session};

pub(super) async fn download(
    State(s): State<AppState>,
    session: Session,
    ctx: Ctx,
    Path(part): Path<String>,
    Query(form): Query<PeriodForm>,
) -> Result<Response, PageError> {
    let desk = staff(&session, &SUPERVISOR, &form.kantor)?;
    let id = part.strip_suffix(".csv").ok_or(PageError::NotFound)?;
    let period = form.period();
    let (from, to) = (period.from.clone(), period.to.clone());
    let data = gather(&s, &session.ctx(ctx), &desk.office, period).await?;
    let table = tables(&data)
        .into_iter()
        .find(|t| t.id == id)
        .ok_or(PageError::NotFound)?;
    let mut w = Writer::new(&table.head);
    for r in &table.rows {
        let cells: Vec<&str> = r.iter().map(String::as_str).collect();
        w.row(&cells);
    }
    Ok(w.into_response(&format!("{}-{}-{from}-{to}.csv", table.id, desk.office)))
}
