//! The satisfaction survey (SKM) and its index (IKM), and complaints (pengaduan).

use axum::Json;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use pst_proto::feedback as pb;

use super::period::PeriodQuery;
use crate::ctx::Ctx;
use crate::error::{ApiError, ApiJson, ApiQuery, Problem};
use crate::state::AppState;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(questionnaire))
        .routes(routes!(submit_response))
        .routes(routes!(ikm_report))
        .routes(routes!(create_complaint, list_complaints))
        .routes(routes!(get_complaint))
        .routes(routes!(respond))
        .routes(routes!(change_status))
        .routes(routes!(complaint_report))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ChoiceView {
    pub value: u32,
    pub label: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ElementView {
    pub code: String,
    pub name: String,
    pub question: String,
    pub choices: Vec<ChoiceView>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct QuestionnaireView {
    pub elements: Vec<ElementView>,
    pub sexes: Vec<String>,
    pub age_groups: Vec<String>,
    pub education: Vec<String>,
    pub occupations: Vec<String>,
    pub integrity_questions: Vec<String>,
}

/// The nine SKM elements with the regulation's wording and the 1-4 answer labels.
#[utoipa::path(get, path = "/api/v1/skm/questionnaire", tag = "skm", responses((status = 200, body = QuestionnaireView)))]
async fn questionnaire(
    State(s): State<AppState>,
    ctx: Ctx,
) -> Result<Json<QuestionnaireView>, ApiError> {
    Ok(Json(questions(&s, &ctx).await?))
}

/// Use case: the SKM questionnaire.
pub async fn questions(s: &AppState, ctx: &Ctx) -> Result<QuestionnaireView, ApiError> {
    let q = s
        .feedback
        .clone()
        .get_questionnaire(ctx.request(pb::GetQuestionnaireRequest {}))
        .await?
        .into_inner();
    Ok(QuestionnaireView {
        elements: q
            .elements
            .into_iter()
            .map(|e| ElementView {
                code: e.code,
                name: e.name,
                question: e.question,
                choices: e
                    .choices
                    .into_iter()
                    .map(|c| ChoiceView {
                        value: c.value,
                        label: c.label,
                    })
                    .collect(),
            })
            .collect(),
        sexes: q.sexes,
        age_groups: q.age_groups,
        education: q.education,
        occupations: q.occupations,
        integrity_questions: q.integrity_questions,
    })
}

#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ProfileBody {
    pub sex: String,
    pub age_group: String,
    pub education: String,
    pub occupation: String,
}

#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct IntegrityBody {
    #[serde(default)]
    pub fee_asked: bool,
    #[serde(default)]
    pub gratuity_offered: bool,
    #[serde(default)]
    pub favour_asked: bool,
    #[serde(default)]
    pub discrimination: bool,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ResponseBody {
    /// The finished visit rated (or `download_id` instead).
    #[serde(default)]
    pub visit_id: String,
    /// A download or reading session of the signed-in respondent (see `/api/v1/me/downloads`).
    #[serde(default)]
    pub download_id: String,
    /// Walk-in visitors without an account: the code printed at checkout.
    #[serde(default)]
    pub visit_code: String,
    /// Scores by element code, e.g. `{"U1": 4, ..., "U9": 3}`.
    pub scores: std::collections::BTreeMap<String, u32>,
    #[serde(default)]
    pub comment: String,
    pub profile: ProfileBody,
    #[serde(default)]
    pub integrity: IntegrityBody,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Submitted {
    pub id: String,
    pub message: String,
}

/// Rate a finished visit (its signed-in owner, or with the visit's checkout code).
#[utoipa::path(post, path = "/api/v1/skm/responses", tag = "skm", request_body = ResponseBody,
    responses((status = 201, body = Submitted), (status = 409, body = Problem), (status = 422, body = Problem)))]
async fn submit_response(
    State(s): State<AppState>,
    ctx: Ctx,
    ApiJson(b): ApiJson<ResponseBody>,
) -> Result<(StatusCode, Json<Submitted>), ApiError> {
    Ok((StatusCode::CREATED, Json(rate(&s, &ctx, b).await?)))
}

/// Use case: an SKM response for a finished visit or a download session.
pub async fn rate(s: &AppState, ctx: &Ctx, b: ResponseBody) -> Result<Submitted, ApiError> {
    let req = pb::SubmitResponseRequest {
        visit_id: b.visit_id,
        visit_code: b.visit_code,
        download_id: b.download_id,
        scores: b
            .scores
            .into_iter()
            .map(|(element, value)| pb::Score { element, value })
            .collect(),
        comment: b.comment,
        profile: Some(pb::Profile {
            sex: b.profile.sex,
            age_group: b.profile.age_group,
            education: b.profile.education,
            occupation: b.profile.occupation,
        }),
        integrity: Some(pb::Integrity {
            fee_asked: b.integrity.fee_asked,
            gratuity_offered: b.integrity.gratuity_offered,
            favour_asked: b.integrity.favour_asked,
            discrimination: b.integrity.discrimination,
        }),
    };
    let r = s
        .feedback
        .clone()
        .submit_response(ctx.request(req))
        .await?
        .into_inner();
    Ok(Submitted {
        id: r.id,
        message: r.message,
    })
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
    if crate::csv::wants_csv(&headers) {
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
        return Ok(w.into_response(&format!(
            "ikm-{}-{}-{}.csv",
            view.office_code, view.from, view.to
        )));
    }
    Ok(Json(view).into_response())
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ComplaintBody {
    /// app (default), kotak_saran, lapor, pengaduan_bps, email — other than app only for staff.
    #[serde(default = "app")]
    pub channel: String,
    /// layanan, petugas, fasilitas, data, lainnya.
    pub category: String,
    pub text: String,
    pub office_code: String,
    #[serde(default)]
    pub reference_kind: String,
    #[serde(default)]
    pub reference_id: String,
    #[serde(default)]
    pub contact_email: String,
    #[serde(default)]
    pub contact_name: String,
}

fn app() -> String {
    "app".to_owned()
}

#[derive(Debug, Serialize, ToSchema)]
pub struct MessageView {
    pub id: String,
    pub at: String,
    pub author_role: String,
    pub text: String,
}

/// A complaint with its thread. Times in the office's zone.
#[derive(Debug, Serialize, ToSchema)]
pub struct ComplaintView {
    pub id: String,
    pub office_code: String,
    pub channel: String,
    pub category: String,
    pub text: String,
    pub status: String,
    pub reference_kind: String,
    pub reference_id: String,
    pub contact_name: String,
    pub contact_email: String,
    pub assigned_to: String,
    pub received_at: String,
    pub verify_due: String,
    pub follow_up_due: String,
    pub answered_at: String,
    pub closed_at: String,
    pub overdue: bool,
    pub messages: Vec<MessageView>,
    /// Only when filed anonymously: keep it to follow the complaint.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub tracking_code: String,
}

impl From<pb::Complaint> for ComplaintView {
    fn from(c: pb::Complaint) -> Self {
        Self {
            id: c.id,
            office_code: c.office_code,
            channel: c.channel,
            category: c.category,
            text: c.text,
            status: c.status,
            reference_kind: c.reference_kind,
            reference_id: c.reference_id,
            contact_name: c.contact_name,
            contact_email: c.contact_email,
            assigned_to: c.assigned_to,
            received_at: c.received_at,
            verify_due: c.verify_due,
            follow_up_due: c.follow_up_due,
            answered_at: c.answered_at,
            closed_at: c.closed_at,
            overdue: c.overdue,
            messages: c
                .messages
                .into_iter()
                .map(|m| MessageView {
                    id: m.id,
                    at: m.at,
                    author_role: m.author_role,
                    text: m.text,
                })
                .collect(),
            tracking_code: c.tracking_code,
        }
    }
}

/// File a complaint (signed in, anonymous at the kiosk, or staff for an offline channel).
#[utoipa::path(post, path = "/api/v1/complaints", tag = "pengaduan", request_body = ComplaintBody,
    responses((status = 201, body = ComplaintView), (status = 422, body = Problem)))]
async fn create_complaint(
    State(s): State<AppState>,
    ctx: Ctx,
    ApiJson(b): ApiJson<ComplaintBody>,
) -> Result<(StatusCode, Json<ComplaintView>), ApiError> {
    Ok((
        StatusCode::CREATED,
        Json(file_complaint(&s, &ctx, b).await?),
    ))
}

/// Use case: file a complaint.
pub async fn file_complaint(
    s: &AppState,
    ctx: &Ctx,
    b: ComplaintBody,
) -> Result<ComplaintView, ApiError> {
    let req = pb::CreateComplaintRequest {
        channel: b.channel,
        category: b.category,
        text: b.text,
        office_code: b.office_code,
        reference_kind: b.reference_kind,
        reference_id: b.reference_id,
        contact_email: b.contact_email,
        contact_name: b.contact_name,
    };
    Ok(s.feedback
        .clone()
        .create_complaint(ctx.request(req))
        .await?
        .into_inner()
        .into())
}

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
pub struct ComplaintQuery {
    /// Staff: the office (required).
    #[serde(default)]
    pub office: String,
    /// received, in_progress, answered, closed, reopened, or overdue.
    #[serde(default)]
    pub status: String,
    #[serde(default)]
    pub cursor: String,
    #[serde(default)]
    pub limit: u32,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ComplaintList {
    pub items: Vec<ComplaintView>,
    pub next_cursor: String,
}

/// Own complaints (visitors) or the office's (staff), newest first.
#[utoipa::path(get, path = "/api/v1/complaints", tag = "pengaduan", security(("bearer" = [])), params(ComplaintQuery),
    responses((status = 200, body = ComplaintList), (status = 401, body = Problem)))]
async fn list_complaints(
    State(s): State<AppState>,
    ctx: Ctx,
    ApiQuery(q): ApiQuery<ComplaintQuery>,
) -> Result<Json<ComplaintList>, ApiError> {
    Ok(Json(complaints(&s, &ctx, q).await?))
}

/// Use case: one's own complaints (visitors) or the office's (staff).
pub async fn complaints(
    s: &AppState,
    ctx: &Ctx,
    q: ComplaintQuery,
) -> Result<ComplaintList, ApiError> {
    let req = pb::ListComplaintsRequest {
        office_code: q.office,
        status: q.status,
        cursor: q.cursor,
        limit: q.limit,
    };
    let r = s
        .feedback
        .clone()
        .list_complaints(ctx.request(req))
        .await?
        .into_inner();
    Ok(ComplaintList {
        items: r.complaints.into_iter().map(Into::into).collect(),
        next_cursor: r.next_cursor,
    })
}

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
pub struct TrackingQuery {
    /// For anonymous complainants.
    #[serde(default)]
    pub tracking_code: String,
}

/// A complaint and its thread (its complainant, or the office's staff).
#[utoipa::path(get, path = "/api/v1/complaints/{id}", tag = "pengaduan", params(("id" = String, Path), TrackingQuery),
    responses((status = 200, body = ComplaintView), (status = 403, body = Problem), (status = 404, body = Problem)))]
async fn get_complaint(
    State(s): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
    ApiQuery(q): ApiQuery<TrackingQuery>,
) -> Result<Json<ComplaintView>, ApiError> {
    Ok(Json(complaint(&s, &ctx, id, q).await?))
}

/// Use case: a complaint with its thread.
pub async fn complaint(
    s: &AppState,
    ctx: &Ctx,
    id: String,
    q: TrackingQuery,
) -> Result<ComplaintView, ApiError> {
    let req = pb::GetComplaintRequest {
        complaint_id: id,
        tracking_code: q.tracking_code,
    };
    Ok(s.feedback
        .clone()
        .get_complaint(ctx.request(req))
        .await?
        .into_inner()
        .into())
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RespondBody {
    pub text: String,
    #[serde(default)]
    pub tracking_code: String,
}

/// Add to the thread; a staff answer is mailed to the complainant.
#[utoipa::path(post, path = "/api/v1/complaints/{id}/responses", tag = "pengaduan", params(("id" = String, Path)), request_body = RespondBody,
    responses((status = 200, body = ComplaintView), (status = 403, body = Problem), (status = 422, body = Problem)))]
async fn respond(
    State(s): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
    ApiJson(b): ApiJson<RespondBody>,
) -> Result<Json<ComplaintView>, ApiError> {
    Ok(Json(add_to_thread(&s, &ctx, id, b).await?))
}

/// Use case: add to a complaint's thread.
pub async fn add_to_thread(
    s: &AppState,
    ctx: &Ctx,
    id: String,
    b: RespondBody,
) -> Result<ComplaintView, ApiError> {
    let req = pb::AddComplaintResponseRequest {
        complaint_id: id,
        text: b.text,
        tracking_code: b.tracking_code,
    };
    Ok(s.feedback
        .clone()
        .add_complaint_response(ctx.request(req))
        .await?
        .into_inner()
        .into())
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct StatusBody {
    pub status: String,
    /// Staff: assign to a staff member (user id).
    #[serde(default)]
    pub assigned_to: String,
    #[serde(default)]
    pub tracking_code: String,
}

/// Move a complaint along its life cycle (staff), or close / reopen it (complainant).
#[utoipa::path(post, path = "/api/v1/complaints/{id}/status", tag = "pengaduan", params(("id" = String, Path)), request_body = StatusBody,
    responses((status = 200, body = ComplaintView), (status = 409, body = Problem)))]
async fn change_status(
    State(s): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
    ApiJson(b): ApiJson<StatusBody>,
) -> Result<Json<ComplaintView>, ApiError> {
    Ok(Json(move_complaint(&s, &ctx, id, b).await?))
}

/// Use case: move a complaint along its life cycle.
pub async fn move_complaint(
    s: &AppState,
    ctx: &Ctx,
    id: String,
    b: StatusBody,
) -> Result<ComplaintView, ApiError> {
    let req = pb::ChangeComplaintStatusRequest {
        complaint_id: id,
        status: b.status,
        assigned_to: b.assigned_to,
        tracking_code: b.tracking_code,
    };
    Ok(s.feedback
        .clone()
        .change_complaint_status(ctx.request(req))
        .await?
        .into_inner()
        .into())
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
    if crate::csv::wants_csv(&headers) {
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
        return Ok(w.into_response(&format!(
            "pengaduan-{}-{}-{}.csv",
            view.office_code, view.from, view.to
        )));
    }
    Ok(Json(view).into_response())
}
