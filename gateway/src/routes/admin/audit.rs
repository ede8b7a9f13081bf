//! The audit trail: who did what, when, in which office.

use axum::Json;
use axum::extract::{Path, State};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use pst_proto::common::PageRequest;
use pst_proto::identity as pb;

use crate::ctx::Ctx;
use crate::error::{ApiError, ApiQuery, Problem};
use crate::state::AppState;

pub(super) fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_audit))
        .routes(routes!(list_all_audit))
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

#[derive(Debug, Clone, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct AuditQuery {
    /// Only this staff member's actions (user id).
    #[serde(default)]
    pub actor: String,
    /// An action or its prefix, e.g. `staff.` or `office.setup`.
    #[serde(default)]
    pub action: String,
    /// Office-local dates YYYY-MM-DD, inclusive (both or neither).
    #[serde(default)]
    pub from: String,
    #[serde(default)]
    pub to: String,
    #[serde(default)]
    pub cursor: String,
    /// 1-200 (default 50).
    #[serde(default)]
    pub limit: u32,
}

/// The audit trail of an office, newest first (admin, or that office's supervisor).
#[utoipa::path(get, path = "/api/v1/admin/offices/{code}/audit", tag = "admin", security(("bearer" = [])),
    params(("code" = String, Path), AuditQuery),
    responses((status = 200, body = AuditList), (status = 403, body = Problem), (status = 422, body = Problem)))]
async fn list_audit(
    State(s): State<AppState>,
    ctx: Ctx,
    Path(code): Path<String>,
    ApiQuery(q): ApiQuery<AuditQuery>,
) -> Result<Json<AuditList>, ApiError> {
    Ok(Json(audit_trail(&s, &ctx, code, q).await?))
}

/// The audit trail of every office, newest first (admin).
#[utoipa::path(get, path = "/api/v1/admin/audit", tag = "admin", security(("bearer" = [])),
    params(AuditQuery),
    responses((status = 200, body = AuditList), (status = 403, body = Problem), (status = 422, body = Problem)))]
async fn list_all_audit(
    State(s): State<AppState>,
    ctx: Ctx,
    ApiQuery(q): ApiQuery<AuditQuery>,
) -> Result<Json<AuditList>, ApiError> {
    Ok(Json(audit_trail(&s, &ctx, String::new(), q).await?))
}

/// Use case: the audit trail of an office (or of all, `office` empty), filtered.
pub async fn audit_trail(
    s: &AppState,
    ctx: &Ctx,
    office: String,
    q: AuditQuery,
) -> Result<AuditList, ApiError> {
    let req = pb::ListAuditRequest {
        office_code: office,
        page: Some(PageRequest {
            cursor: q.cursor,
            limit: q.limit,
        }),
        actor_id: q.actor,
        action: q.action,
        from: q.from,
        to: q.to,
    };
    let res = s
        .identity
        .clone()
        .list_audit(ctx.request(req))
        .await?
        .into_inner();
    Ok(AuditList {
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
    })
}
