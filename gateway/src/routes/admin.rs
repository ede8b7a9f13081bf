//! Offices, staff accounts and the audit trail. The identity service decides who may do
//! what (admin; supervisors read their own office); the gateway only forwards.

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use pst_proto::common::{Office, PageRequest};
use pst_proto::identity as pb;

use super::{PageQuery, UserView};
use crate::ctx::Ctx;
use crate::error::{ApiError, ApiJson, ApiQuery, Problem};
use crate::state::AppState;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_offices))
        .routes(routes!(put_office))
        .routes(routes!(create_staff))
        .routes(routes!(update_staff))
        .routes(routes!(list_staff))
        .routes(routes!(list_audit))
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct OfficeView {
    pub code: String,
    pub name: String,
    /// Asia/Jakarta (WIB), Asia/Makassar (WITA) or Asia/Jayapura (WIT).
    pub time_zone: String,
}

impl From<Office> for OfficeView {
    fn from(o: Office) -> Self {
        Self {
            code: o.code,
            name: o.name,
            time_zone: o.time_zone,
        }
    }
}

/// All offices (public: kiosks and the registration form list them).
#[utoipa::path(get, path = "/api/v1/offices", tag = "offices", responses((status = 200, body = Vec<OfficeView>)))]
async fn list_offices(
    State(s): State<AppState>,
    ctx: Ctx,
) -> Result<Json<Vec<OfficeView>>, ApiError> {
    let res = s
        .identity
        .clone()
        .list_offices(ctx.request(pb::ListOfficesRequest {}))
        .await?
        .into_inner();
    Ok(Json(res.offices.into_iter().map(Into::into).collect()))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct OfficeBody {
    pub name: String,
    pub time_zone: String,
}

/// Create or rename an office (admin).
#[utoipa::path(put, path = "/api/v1/admin/offices/{code}", tag = "admin", security(("bearer" = [])), request_body = OfficeBody,
    params(("code" = String, Path, description = "4-digit BPS office code")),
    responses((status = 200, body = OfficeView), (status = 403, body = Problem), (status = 422, body = Problem)))]
async fn put_office(
    State(s): State<AppState>,
    ctx: Ctx,
    Path(code): Path<String>,
    ApiJson(b): ApiJson<OfficeBody>,
) -> Result<Json<OfficeView>, ApiError> {
    let req = pb::UpsertOfficeRequest {
        office: Some(Office {
            code,
            name: b.name,
            time_zone: b.time_zone,
        }),
    };
    Ok(Json(
        s.identity
            .clone()
            .upsert_office(ctx.request(req))
            .await?
            .into_inner()
            .into(),
    ))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct StaffBody {
    pub full_name: String,
    pub email: String,
    pub password: String,
    /// front_office, librarian, supervisor or admin.
    pub role: String,
    /// Required except for admins.
    #[serde(default)]
    pub office_code: String,
    #[serde(default)]
    pub phone: String,
}

/// Create a staff account (admin).
#[utoipa::path(post, path = "/api/v1/admin/staff", tag = "admin", security(("bearer" = [])), request_body = StaffBody,
    responses((status = 201, body = UserView), (status = 403, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
async fn create_staff(
    State(s): State<AppState>,
    ctx: Ctx,
    ApiJson(b): ApiJson<StaffBody>,
) -> Result<(StatusCode, Json<UserView>), ApiError> {
    let req = pb::CreateStaffRequest {
        full_name: b.full_name,
        email: b.email,
        password: b.password,
        role: b.role,
        office_code: b.office_code,
        phone: b.phone,
    };
    Ok((
        StatusCode::CREATED,
        Json(
            s.identity
                .clone()
                .create_staff(ctx.request(req))
                .await?
                .into_inner()
                .into(),
        ),
    ))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct StaffPatchBody {
    pub role: Option<String>,
    pub office_code: Option<String>,
    pub active: Option<bool>,
    pub full_name: Option<String>,
}

/// Change a staff account: role, office, active, name (admin).
#[utoipa::path(patch, path = "/api/v1/admin/staff/{id}", tag = "admin", security(("bearer" = [])), request_body = StaffPatchBody,
    params(("id" = String, Path, description = "user id")),
    responses((status = 200, body = UserView), (status = 403, body = Problem), (status = 404, body = Problem)))]
async fn update_staff(
    State(s): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
    ApiJson(b): ApiJson<StaffPatchBody>,
) -> Result<Json<UserView>, ApiError> {
    let req = pb::UpdateStaffRequest {
        user_id: id,
        role: b.role,
        office_code: b.office_code,
        active: b.active,
        full_name: b.full_name,
    };
    Ok(Json(
        s.identity
            .clone()
            .update_staff(ctx.request(req))
            .await?
            .into_inner()
            .into(),
    ))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct StaffList {
    pub items: Vec<UserView>,
    /// Pass as `cursor` for the next page; empty on the last page.
    pub next_cursor: String,
}

/// Staff of an office (admin, or that office's supervisor).
#[utoipa::path(get, path = "/api/v1/admin/offices/{code}/staff", tag = "admin", security(("bearer" = [])),
    params(("code" = String, Path), PageQuery),
    responses((status = 200, body = StaffList), (status = 403, body = Problem)))]
async fn list_staff(
    State(s): State<AppState>,
    ctx: Ctx,
    Path(code): Path<String>,
    ApiQuery(p): ApiQuery<PageQuery>,
) -> Result<Json<StaffList>, ApiError> {
    let req = pb::ListStaffRequest {
        office_code: code,
        page: Some(PageRequest {
            cursor: p.cursor,
            limit: p.limit,
        }),
    };
    let res = s
        .identity
        .clone()
        .list_staff(ctx.request(req))
        .await?
        .into_inner();
    Ok(Json(StaffList {
        items: res.staff.into_iter().map(Into::into).collect(),
        next_cursor: res.page.unwrap_or_default().next_cursor,
    }))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct AuditView {
    pub id: String,
    pub at: String,
    pub actor_id: String,
    pub actor_role: String,
    pub office_code: String,
    pub action: String,
    pub target: String,
    /// JSON text with the action's details.
    pub detail: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct AuditList {
    pub items: Vec<AuditView>,
    pub next_cursor: String,
}

/// The audit trail of an office, newest first (admin, or that office's supervisor).
#[utoipa::path(get, path = "/api/v1/admin/offices/{code}/audit", tag = "admin", security(("bearer" = [])),
    params(("code" = String, Path), PageQuery),
    responses((status = 200, body = AuditList), (status = 403, body = Problem)))]
async fn list_audit(
    State(s): State<AppState>,
    ctx: Ctx,
    Path(code): Path<String>,
    ApiQuery(p): ApiQuery<PageQuery>,
) -> Result<Json<AuditList>, ApiError> {
    let req = pb::ListAuditRequest {
        office_code: code,
        page: Some(PageRequest {
            cursor: p.cursor,
            limit: p.limit,
        }),
    };
    let res = s
        .identity
        .clone()
        .list_audit(ctx.request(req))
        .await?
        .into_inner();
    Ok(Json(AuditList {
        items: res
            .entries
            .into_iter()
            .map(|e| AuditView {
                id: e.id,
                at: e.at,
                actor_id: e.actor_id,
                actor_role: e.actor_role,
                office_code: e.office_code,
                action: e.action,
                target: e.target,
                detail: e.detail,
            })
            .collect(),
        next_cursor: res.page.unwrap_or_default().next_cursor,
    }))
}
