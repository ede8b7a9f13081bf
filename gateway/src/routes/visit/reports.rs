//! The service-time report (the 5-minute promise over a period), as JSON or CSV.

use axum::Json;
use axum::extract::{Path, State};
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use pst_proto::visit as pb;

use crate::ctx::Ctx;
use crate::error::{ApiError, ApiQuery, Problem};
use crate::routes::period::PeriodQuery;
use crate::state::AppState;

pub(super) fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(service_time_report))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct BreachView {
    pub ticket_number: String,
    pub service_day: String,
    pub counter: String,
    pub wait_secs: u32,
    pub visit_id: String,
}

/// The 5-minute promise over a period.
#[derive(Debug, Serialize, ToSchema)]
pub struct ServiceTimeView {
    pub office_code: String,
    pub from: String,
    pub to: String,
    pub visits: u32,
    pub served: u32,
    pub median_wait_secs: f64,
    pub p90_wait_secs: f64,
    /// Share of served visits started within the promise (0..1).
    pub within_promise_share: f64,
    pub promise_secs: u32,
    pub breaches: Vec<BreachView>,
    /// Every visit of the period with its five times, newest first (at most 5,000).
    pub visit_times: Vec<VisitTimesView>,
    /// More visits than listed in `visit_times`.
    pub visit_times_truncated: bool,
    /// Per service day with visits.
    pub days: Vec<DayTimesView>,
    /// Served visits by wait in minutes: `0-1`, `1-2`, ... `20+`.
    pub wait_minutes: Vec<TallyView>,
    /// Visitors by guest-book answer, most given first (`""`: not answered).
    pub by_purpose: Vec<TallyView>,
    pub by_occupation: Vec<TallyView>,
    pub by_education: Vec<TallyView>,
    pub by_sex: Vec<TallyView>,
    pub by_age_group: Vec<TallyView>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct DayTimesView {
    pub day: String,
    pub visits: u32,
    pub served: u32,
    pub within_promise: u32,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct TallyView {
    pub key: String,
    pub count: u32,
}

fn tallies(v: Vec<pb::Tally>) -> Vec<TallyView> {
    v.into_iter()
        .map(|t| TallyView {
            key: t.key,
            count: t.count,
        })
        .collect()
}

/// One visit's times (RFC 3339 in the office's zone; empty when not reached).
#[derive(Debug, Serialize, ToSchema)]
pub struct VisitTimesView {
    pub visit_id: String,
    pub ticket_number: String,
    pub service_day: String,
    pub counter: String,
    pub taken_at: String,
    pub guest_book_at: String,
    pub called_at: String,
    pub started_at: String,
    pub finished_at: String,
    /// Guest book to service start, when started.
    pub wait_secs: Option<u32>,
}

/// The service-time report (supervisor). JSON, or CSV with `Accept: text/csv`.
#[utoipa::path(get, path = "/api/v1/offices/{office}/reports/service-time", tag = "laporan", security(("bearer" = [])),
    params(("office" = String, Path), PeriodQuery),
    responses((status = 200, body = ServiceTimeView), (status = 200, content_type = "text/csv", description = "CSV"), (status = 403, body = Problem), (status = 422, body = Problem)))]
async fn service_time_report(
    State(s): State<AppState>,
    ctx: Ctx,
    headers: HeaderMap,
    Path(office): Path<String>,
    ApiQuery(q): ApiQuery<PeriodQuery>,
) -> Result<Response, ApiError> {
    let view = service_times(&s, &ctx, office, q).await?;
    if crate::csv::wants_csv(&headers) {
        let mut w = crate::csv::Writer::new(&[
            "bagian",
            "satker",
            "tanggal",
            "nomor",
            "loket",
            "tunggu_detik",
            "keterangan",
        ]);
        w.row(&[
            "ringkasan",
            &view.office_code,
            &format!("{} s.d. {}", view.from, view.to),
            "",
            "",
            &format!("{:.0}", view.median_wait_secs),
            &format!(
                "kunjungan={} dilayani={} median={:.0}s p90={:.0}s tepat_waktu={:.1}%",
                view.visits,
                view.served,
                view.median_wait_secs,
                view.p90_wait_secs,
                view.within_promise_share * 100.0
            ),
        ]);
        for b in &view.breaches {
            w.row(&[
                "pelanggaran",
                &view.office_code,
                &b.service_day,
                &b.ticket_number,
                &b.counter,
                &b.wait_secs.to_string(),
                &format!("lebih dari {} menit", view.promise_secs / 60),
            ]);
        }
        for v in &view.visit_times {
            w.row(&[
                "kunjungan",
                &view.office_code,
                &v.service_day,
                &v.ticket_number,
                &v.counter,
                &v.wait_secs.map(|w| w.to_string()).unwrap_or_default(),
                &format!(
                    "ambil={} buku_tamu={} panggil={} mulai={} selesai={}",
                    v.taken_at, v.guest_book_at, v.called_at, v.started_at, v.finished_at
                ),
            ]);
        }
        return Ok(w.into_response(&format!(
            "waktu-layanan-{}-{}-{}.csv",
            view.office_code, view.from, view.to
        )));
    }
    Ok(Json(view).into_response())
}

/// Use case: the 5-minute promise of an office over a period.
pub async fn service_times(
    s: &AppState,
    ctx: &Ctx,
    office: String,
    q: PeriodQuery,
) -> Result<ServiceTimeView, ApiError> {
    report(s, ctx, office, q, false).await
}

/// Use case: the same figures and aggregates, without the lists of breaches and visits
/// (the supervisor's report page draws only aggregates).
pub async fn service_summary(
    s: &AppState,
    ctx: &Ctx,
    office: String,
    q: PeriodQuery,
) -> Result<ServiceTimeView, ApiError> {
    report(s, ctx, office, q, true).await
}

async fn report(
    s: &AppState,
    ctx: &Ctx,
    office: String,
    q: PeriodQuery,
    summary_only: bool,
) -> Result<ServiceTimeView, ApiError> {
    let r = s
        .visit
        .clone()
        .get_service_time_report(ctx.request(pb::ServiceTimeReportRequest {
            office_code: office,
            from: q.from,
            to: q.to,
            summary_only,
        }))
        .await?
        .into_inner();
    Ok(ServiceTimeView {
        office_code: r.office_code,
        from: r.from,
        to: r.to,
        visits: r.visits,
        served: r.served,
        median_wait_secs: r.median_wait_secs,
        p90_wait_secs: r.p90_wait_secs,
        within_promise_share: r.within_promise_share,
        promise_secs: r.promise_secs,
        breaches: r
            .breaches
            .into_iter()
            .map(|b| BreachView {
                ticket_number: b.ticket_number,
                service_day: b.service_day,
                counter: b.counter,
                wait_secs: b.wait_secs,
                visit_id: b.visit_id,
            })
            .collect(),
        visit_times: r
            .visit_times
            .into_iter()
            .map(|v| VisitTimesView {
                visit_id: v.visit_id,
                ticket_number: v.ticket_number,
                service_day: v.service_day,
                counter: v.counter,
                taken_at: v.taken_at,
                guest_book_at: v.guest_book_at,
                called_at: v.called_at,
                started_at: v.started_at,
                finished_at: v.finished_at,
                wait_secs: v.wait_secs,
            })
            .collect(),
        visit_times_truncated: r.visit_times_truncated,
        days: r
            .days
            .into_iter()
            .map(|d| DayTimesView {
                day: d.day,
                visits: d.visits,
                served: d.served,
                within_promise: d.within_promise,
            })
            .collect(),
        wait_minutes: tallies(r.wait_minutes),
        by_purpose: tallies(r.by_purpose),
        by_occupation: tallies(r.by_occupation),
        by_education: tallies(r.by_education),
        by_sex: tallies(r.by_sex),
        by_age_group: tallies(r.by_age_group),
    })
}
