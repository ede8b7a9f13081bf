//! Complaints (pengaduan): filing and listing them, one complaint with its thread, adding
//! to the thread, and moving it along its life cycle.

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use pst_proto::feedback as pb;

use crate::ctx::Ctx;
use crate::error::{ApiError, ApiJson, ApiQuery, Problem};
use crate::state::AppState;

pub(super) fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(create_complaint, list_complaints))
        .routes(routes!(get_complaint))
        .routes(routes!(respond))
        .routes(routes!(change_status))
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
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct ComplaintQuery {
    /// Staff: the office (required).
    #[serde(default)]
    pub office: String,
    /// received, in_progress, answered, closed, reopened, or overdue.
    #[serde(default)]
    pub status: String,
    /// Staff: only open complaints whose follow-up is due on or before this date
    /// (YYYY-MM-DD; sent empty it is an error, not "no filter").
    #[serde(default)]
    pub due_by: Option<String>,
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
        due_by: match q.due_by {
            // The service reads "" as no filter; a parameter sent empty is a mistake.
            Some(d) if d.trim().is_empty() => {
                return Err(ApiError::field(
                    "due_by",
                    "Tenggat harus berformat YYYY-MM-DD.",
                ));
            }
            d => d.unwrap_or_default(),
        },
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
#[into_params(parameter_in = Query)]
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
    /// The number of messages you saw: if the thread grew since, 409 and nothing is added.
    #[serde(default)]
    pub expected_messages: Option<u32>,
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
        expected_messages: b.expected_messages,
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
