//! Feedback reports of an office over a period (supervisor), as JSON or CSV: the
//! satisfaction index (IKM) and complaint statistics.

use axum::Json;
use axum::extract::{Path, State};
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use pst_proto::feedback as pb;

use crate::ctx::Ctx;
use crate::error::{ApiError, ApiQuery, Problem};
use crate::routes::period::PeriodQuery;
use crate::state::AppState;

pub(super) fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(ikm_report))
        .routes(routes!(complaint_report))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ElementResultView {
    pub code: String,
    pub name: String,
    pub answered: u32,
    pub nrr: f64,
    pub weighted: f64,
}

/// The IKM of an office over a period.
#[derive(Debug, Serialize, ToSchema)]
pub struct IkmView {
    pub office_code: String,
    pub from: String,
    pub to: String,
    pub respondents: u32,
    pub elements: Vec<ElementResultView>,
    pub index: f64,
    /// index × 25, two decimals.
    pub converted: f64,
    pub grade: String,
    pub label: String,
    pub weakest: Vec<String>,
    pub integrity: IntegrityCounts,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct IntegrityCounts {
    pub fee_asked: u32,
    pub gratuity_offered: u32,
    pub favour_asked: u32,
    pub discrimination: u32,
}

/// The satisfaction index (supervisor). JSON, or CSV with `Accept: text/csv`.
#[utoipa::path(get, path = "/api/v1/offices/{office}/reports/ikm", tag = "laporan", security(("bearer" = [])),
    params(("office" = String, Path), PeriodQuery),
    responses((status = 200, body = IkmView), (status = 200, content_type = "text/csv", description = "CSV"), (status = 403, body = Problem)))]
async fn ikm_report(
    State(s): State<AppState>,
    ctx: Ctx,
    headers: HeaderMap,
    Path(office): Path<String>,
    ApiQuery(q): ApiQuery<PeriodQuery>,
) -> Result<Response, ApiError> {
    let view = ikm(&s, &ctx, office, q).await?;
    if crate::csv::wants_csv(&headers) {
        return Ok(ikm_csv(&view));
    }
    Ok(Json(view).into_response())
}

/// Use case: the satisfaction index of an office over a period.
pub async fn ikm(
    s: &AppState,
    ctx: &Ctx,
    office: String,
    q: PeriodQuery,
) -> Result<IkmView, ApiError> {
    let r = s
        .feedback
        .clone()
        .get_ikm_report(ctx.request(pb::PeriodRequest {
            office_code: office,
            from: q.from,
            to: q.to,
        }))
        .await?
        .into_inner();
    let view = IkmView {
        office_code: r.office_code,
        from: r.from,
        to: r.to,
        respondents: r.respondents,
        elements: r
            .elements
            .into_iter()
            .map(|e| ElementResultView {
                code: e.code,
                name: e.name,
                answered: e.answered,
                nrr: e.nrr,
                weighted: e.weighted,
            })
            .collect(),
        index: r.index,
        converted: r.converted,
        grade: r.grade,
        label: r.label,
        weakest: r.weakest,
        integrity: IntegrityCounts {
            fee_asked: r.fee_asked,
            gratuity_offered: r.gratuity_offered,
            favour_asked: r.favour_asked,
            discrimination: r.discrimination,
        },
    };
    Ok(view)
}

/// The IKM as CSV: one row per element, then the index.
pub fn ikm_csv(view: &IkmView) -> Response {
    {
        let mut w = crate::csv::Writer::new(&[
            "satker",
            "periode",
            "unsur",
            "nama",
            "responden",
            "nrr",
            "nrr_tertimbang",
        ]);
        let period = format!("{} s.d. {}", view.from, view.to);
        for e in &view.elements {
            w.row(&[
                &view.office_code,
                &period,
                &e.code,
                &e.name,
                &e.answered.to_string(),
                &format!("{:.4}", e.nrr),
                &format!("{:.4}", e.weighted),
            ]);
        }
        w.row(&[
            &view.office_code,
            &period,
            "IKM",
            &format!("mutu {} ({})", view.grade, view.label),
            &view.respondents.to_string(),
            &format!("{:.4}", view.index),
            &format!("{:.2}", view.converted),
        ]);
        w.into_response(&format!(
            "ikm-{}-{}-{}.csv",
            view.office_code, view.from, view.to
        ))
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct CountView {
    pub key: String,
    pub count: u32,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ComplaintReportView {
    pub office_code: String,
    pub from: String,
    pub to: String,
    pub total: u32,
    pub by_channel: Vec<CountView>,
    pub by_category: Vec<CountView>,
    pub by_status: Vec<CountView>,
    pub median_hours_to_answer: f64,
    pub overdue: u32,
}

/// Complaint statistics (supervisor). JSON, or CSV with `Accept: text/csv`.
#[utoipa::path(get, path = "/api/v1/offices/{office}/reports/complaints", tag = "laporan", security(("bearer" = [])),
    params(("office" = String, Path), PeriodQuery),
    responses((status = 200, body = ComplaintReportView), (status = 200, content_type = "text/csv", description = "CSV"), (status = 403, body = Problem)))]
async fn complaint_report(
    State(s): State<AppState>,
    ctx: Ctx,
    headers: HeaderMap,
    Path(office): Path<String>,
    ApiQuery(q): ApiQuery<PeriodQuery>,
) -> Result<Response, ApiError> {
    let view = complaint_stats(&s, &ctx, office, q).await?;
    if crate::csv::wants_csv(&headers) {
        return Ok(complaints_csv(&view));
    }
    Ok(Json(view).into_response())
}

/// Use case: complaint statistics of an office over a period.
pub async fn complaint_stats(
    s: &AppState,
    ctx: &Ctx,
    office: String,
    q: PeriodQuery,
) -> Result<ComplaintReportView, ApiError> {
    let r = s
        .feedback
        .clone()
        .get_complaint_report(ctx.request(pb::PeriodRequest {
            office_code: office,
            from: q.from,
            to: q.to,
        }))
        .await?
        .into_inner();
    let counts = |v: Vec<pb::Count>| {
        v.into_iter()
            .map(|c| CountView {
                key: c.key,
                count: c.count,
            })
            .collect::<Vec<_>>()
    };
    let view = ComplaintReportView {
        office_code: r.office_code,
        from: r.from,
        to: r.to,
        total: r.total,
        by_channel: counts(r.by_channel),
        by_category: counts(r.by_category),
        by_status: counts(r.by_status),
        median_hours_to_answer: r.median_hours_to_answer,
        overdue: r.overdue,
    };
    Ok(view)
}

/// Complaint statistics as CSV.
pub fn complaints_csv(view: &ComplaintReportView) -> Response {
    {
        let mut w = crate::csv::Writer::new(&["satker", "periode", "kelompok", "nilai", "jumlah"]);
        let period = format!("{} s.d. {}", view.from, view.to);
        for (group, list) in [
            ("kanal", &view.by_channel),
            ("kategori", &view.by_category),
            ("status", &view.by_status),
        ] {
            for c in list {
                w.row(&[
                    &view.office_code,
                    &period,
                    group,
                    &c.key,
                    &c.count.to_string(),
                ]);
            }
        }
        w.row(&[
            &view.office_code,
            &period,
            "ringkasan",
            "total",
            &view.total.to_string(),
        ]);
        w.row(&[
            &view.office_code,
            &period,
            "ringkasan",
            "lewat_tenggat",
            &view.overdue.to_string(),
        ]);
        w.row(&[
            &view.office_code,
            &period,
            "ringkasan",
            "median_jam_tanggapan",
            &format!("{:.1}", view.median_hours_to_answer),
        ]);
        w.into_response(&format!(
            "pengaduan-{}-{}-{}.csv",
            view.office_code, view.from, view.to
        ))
    }
}
