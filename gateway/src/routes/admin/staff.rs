//! Staff accounts: create, change (role, office, active, name), list, reset a password.

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use pst_proto::common::PageRequest;
use pst_proto::identity as pb;

use crate::ctx::Ctx;
use crate::error::{ApiError, ApiJson, ApiQuery, Problem};
use crate::routes::{Message, PageQuery, UserView};
use crate::state::AppState;

pub(super) fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(post_staff))
        .routes(routes!(update_staff))
        .routes(routes!(list_staff))
        .routes(routes!(reset_staff_password))
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
async fn post_staff(
    State(s): State<AppState>,
    ctx: Ctx,
    ApiJson(b): ApiJson<StaffBody>,
) -> Result<(StatusCode, Json<UserView>), ApiError> {
    Ok((StatusCode::CREATED, Json(create_staff(&s, &ctx, b).await?)))
}

/// Use case: a new staff account.
pub async fn create_staff(s: &AppState, ctx: &Ctx, b: StaffBody) -> Result<UserView, ApiError> {
    let req = pb::CreateStaffRequest {
        full_name: b.full_name,
        email: b.email,
        password: b.password,
        role: b.role,
        office_code: b.office_code,
        phone: b.phone,
    };
    Ok(s.identity
        .clone()
        .create_staff(ctx.request(req))
        .await?
        .into_inner()
        .into())
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
    Ok(Json(change_staff(&s, &ctx, id, b).await?))
}

/// Use case: change a staff account.
pub async fn change_staff(
    s: &AppState,
    ctx: &Ctx,
    id: String,
    b: StaffPatchBody,
) -> Result<UserView, ApiError> {
    let req = pb::UpdateStaffRequest {
        user_id: id,
        role: b.role,
        office_code: b.office_code,
        active: b.active,
        full_name: b.full_name,
    };
    Ok(s.identity
        .clone()
        .update_staff(ctx.request(req))
        .await?
        .into_inner()
        .into())
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
    Ok(Json(staff_of(&s, &ctx, code, p).await?))
}

/// Use case: the staff of an office.
pub async fn staff_of(
    s: &AppState,
    ctx: &Ctx,
    code: String,
    p: PageQuery,
) -> Result<StaffList, ApiError> {
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
    Ok(StaffList {
        items: res.staff.into_iter().map(Into::into).collect(),
        next_cursor: res.page.unwrap_or_default().next_cursor,
    })
}

/// Mail a staff member a link to set a new password, ending their sessions (admin).
#[utoipa::path(post, path = "/api/v1/admin/staff/{id}/password-reset", tag = "admin", security(("bearer" = [])),
    params(("id" = String, Path, description = "user id")),
    responses((status = 200, body = Message), (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem)))]
async fn reset_staff_password(
    State(s): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
) -> Result<Json<Message>, ApiError> {
    Ok(Json(reset_password(&s, &ctx, id).await?))
}

/// Use case: reset a staff member's password by mail.
pub async fn reset_password(s: &AppState, ctx: &Ctx, id: String) -> Result<Message, ApiError> {
    let r = s
        .identity
        .clone()
        .reset_staff_password(ctx.request(pb::ResetStaffPasswordRequest { user_id: id }))
        .await?
        .into_inner();
    Ok(Message { message: r.message })
}
