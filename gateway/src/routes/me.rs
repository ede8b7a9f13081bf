//! The signed-in user's own profile and password.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use serde::Deserialize;
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use pst_proto::identity as pb;

use super::UserView;
use crate::ctx::Ctx;
use crate::error::{ApiError, ApiJson, Problem};
use crate::state::AppState;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(get_me, patch_me))
        .routes(routes!(change_password))
        .routes(routes!(visit_card))
}

/// The signed-in user's profile (identity number masked).
#[utoipa::path(get, path = "/api/v1/me", tag = "me", security(("bearer" = [])),
    responses((status = 200, body = UserView), (status = 401, body = Problem)))]
async fn get_me(State(s): State<AppState>, ctx: Ctx) -> Result<Json<UserView>, ApiError> {
    Ok(Json(profile(&s, &ctx).await?))
}

/// Use case: the signed-in user's profile.
pub async fn profile(s: &AppState, ctx: &Ctx) -> Result<UserView, ApiError> {
    Ok(s.identity
        .clone()
        .get_me(ctx.request(pb::GetMeRequest {}))
        .await?
        .into_inner()
        .into())
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PatchMeBody {
    pub full_name: Option<String>,
    pub phone: Option<String>,
    pub institution: Option<String>,
    pub occupation: Option<String>,
}

/// Change fields of one's own profile; absent fields stay as they are.
#[utoipa::path(patch, path = "/api/v1/me", tag = "me", security(("bearer" = [])), request_body = PatchMeBody,
    responses((status = 200, body = UserView), (status = 401, body = Problem), (status = 422, body = Problem)))]
async fn patch_me(
    State(s): State<AppState>,
    ctx: Ctx,
    ApiJson(b): ApiJson<PatchMeBody>,
) -> Result<Json<UserView>, ApiError> {
    Ok(Json(update_profile(&s, &ctx, b).await?))
}

/// Use case: change fields of one's own profile.
pub async fn update_profile(s: &AppState, ctx: &Ctx, b: PatchMeBody) -> Result<UserView, ApiError> {
    let req = pb::UpdateMeRequest {
        full_name: b.full_name,
        phone: b.phone,
        institution: b.institution,
        occupation: b.occupation,
    };
    Ok(s.identity
        .clone()
        .update_me(ctx.request(req))
        .await?
        .into_inner()
        .into())
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ChangePasswordBody {
    pub current_password: String,
    pub new_password: String,
}

/// Change one's own password; other sessions are ended.
#[utoipa::path(post, path = "/api/v1/me/password", tag = "me", security(("bearer" = [])), request_body = ChangePasswordBody,
    responses((status = 204), (status = 401, body = Problem), (status = 409, body = Problem, description = "the current password is wrong (WRONG_CURRENT_PASSWORD)"), (status = 422, body = Problem)))]
async fn change_password(
    State(s): State<AppState>,
    ctx: Ctx,
    ApiJson(b): ApiJson<ChangePasswordBody>,
) -> Result<StatusCode, ApiError> {
    set_password(&s, &ctx, b).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Use case: change one's own password (other sessions end).
pub async fn set_password(s: &AppState, ctx: &Ctx, b: ChangePasswordBody) -> Result<(), ApiError> {
    let req = pb::ChangePasswordRequest {
        current_password: b.current_password,
        new_password: b.new_password,
    };
    s.identity.clone().change_password(ctx.request(req)).await?;
    Ok(())
}

/// A visit card: shown as a QR code, scanned at the front office.
#[derive(Debug, serde::Serialize, ToSchema)]
pub struct VisitCardView {
    pub token: String,
    /// RFC 3339 (UTC); the card is valid 10 minutes.
    pub expires_at: String,
}

/// A "kartu kunjungan" for the signed-in (verified) visitor: the front office scans it to
/// link a walk-in visit to the account and fill the guest book.
#[utoipa::path(post, path = "/api/v1/me/visit-card", tag = "me", security(("bearer" = [])),
    responses((status = 200, body = VisitCardView), (status = 401, body = Problem), (status = 403, body = Problem), (status = 409, body = Problem)))]
async fn visit_card(State(s): State<AppState>, ctx: Ctx) -> Result<Json<VisitCardView>, ApiError> {
    Ok(Json(issue_visit_card(&s, &ctx).await?))
}

/// Use case: a visit card for the signed-in visitor.
pub async fn issue_visit_card(s: &AppState, ctx: &Ctx) -> Result<VisitCardView, ApiError> {
    let c = s
        .identity
        .clone()
        .issue_visit_card(ctx.request(pb::IssueVisitCardRequest {}))
        .await?
        .into_inner();
    Ok(VisitCardView {
        token: c.token,
        expires_at: c.expires_at,
    })
}
