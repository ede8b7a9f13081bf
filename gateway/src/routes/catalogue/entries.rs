//! What happens to a catalogue entry after it exists: withdrawn with a reason, printed
//! copies recorded, and its history.

use axum::Json;
use axum::extract::{Path, State};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use pst_proto::catalogue as pb;

use super::publications::PublicationView;
use crate::ctx::Ctx;
use crate::error::{ApiError, ApiJson, Problem};
use crate::state::AppState;

pub(super) fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(withdraw))
        .routes(routes!(add_holding))
        .routes(routes!(get_history))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct WithdrawBody {
    pub reason: String,
}

/// Withdraw a publication (soft delete; the reason is kept in its history).
#[utoipa::path(post, path = "/api/v1/publications/{id}/withdraw", tag = "katalog", security(("bearer" = [])), params(("id" = String, Path)),
    request_body = WithdrawBody, responses((status = 200, body = PublicationView), (status = 409, body = Problem)))]
async fn withdraw(
    State(s): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
    ApiJson(b): ApiJson<WithdrawBody>,
) -> Result<Json<PublicationView>, ApiError> {
    Ok(Json(withdraw_one(&s, &ctx, id, b.reason).await?))
}

/// Use case: withdraw a publication with a reason.
pub async fn withdraw_one(
    s: &AppState,
    ctx: &Ctx,
    id: String,
    reason: String,
) -> Result<PublicationView, ApiError> {
    Ok(s.catalogue
        .clone()
        .withdraw_publication(ctx.request(pb::WithdrawRequest { id, reason }))
        .await?
        .into_inner()
        .into())
}

#[derive(Debug, Serialize, ToSchema)]
pub struct HistoryEntryView {
    pub at: String,
    pub actor_id: String,
    /// create, update, withdraw, link_document, import.
    pub action: String,
    /// Fields whose value this change replaced.
    pub changed: Vec<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct HistoryView {
    pub items: Vec<HistoryEntryView>,
}

/// Every change to a publication, newest first (staff of its office).
#[utoipa::path(get, path = "/api/v1/publications/{id}/history", tag = "katalog", security(("bearer" = [])), params(("id" = String, Path)),
    responses((status = 200, body = HistoryView), (status = 403, body = Problem), (status = 404, body = Problem)))]
async fn get_history(
    State(s): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
) -> Result<Json<HistoryView>, ApiError> {
    Ok(Json(history(&s, &ctx, id).await?))
}

/// Use case: a publication's history.
pub async fn history(s: &AppState, ctx: &Ctx, id: String) -> Result<HistoryView, ApiError> {
    let r = s
        .catalogue
        .clone()
        .get_publication_history(ctx.request(pb::GetPublicationRequest { id }))
        .await?
        .into_inner();
    Ok(HistoryView {
        items: r
            .entries
            .into_iter()
            .map(|e| HistoryEntryView {
                at: e.at,
                actor_id: e.actor_id,
                action: e.action,
                changed: e.changed,
            })
            .collect(),
    })
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct HoldingBody {
    pub call_number: String,
    #[serde(default)]
    pub shelf: String,
    pub copies: u32,
    /// baik (default), rusak_ringan, rusak_berat.
    #[serde(default)]
    pub condition: String,
}

/// Record printed copies held by the librarian's office.
#[utoipa::path(post, path = "/api/v1/publications/{id}/holdings", tag = "katalog", security(("bearer" = [])), params(("id" = String, Path)),
    request_body = HoldingBody, responses((status = 200, body = PublicationView), (status = 422, body = Problem)))]
async fn add_holding(
    State(s): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
    ApiJson(b): ApiJson<HoldingBody>,
) -> Result<Json<PublicationView>, ApiError> {
    Ok(Json(hold(&s, &ctx, id, b).await?))
}

/// Use case: record printed copies.
pub async fn hold(
    s: &AppState,
    ctx: &Ctx,
    id: String,
    b: HoldingBody,
) -> Result<PublicationView, ApiError> {
    let req = pb::HoldingInput {
        publication_id: id,
        call_number: b.call_number,
        shelf: b.shelf,
        copies: b.copies,
        condition: b.condition,
    };
    Ok(s.catalogue
        .clone()
        .add_holding(ctx.request(req))
        .await?
        .into_inner()
        .into())
}
