//! Confirming an anonymous complaint's contact address (the link mailed at filing): only
//! then are staff answers mailed to it.

use axum::Json;
use axum::extract::State;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use pst_proto::feedback as pb;

use crate::ctx::Ctx;
use crate::error::{ApiError, ApiJson, Problem};
use crate::state::AppState;

pub(super) fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(confirm_contact))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ContactTokenBody {
    /// The code from the confirmation mail.
    pub token: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ContactConfirmed {
    pub complaint_id: String,
    pub message: String,
}

/// Confirm the contact address of an anonymous complaint (the link mailed at filing).
#[utoipa::path(post, path = "/api/v1/complaints/contact/confirm", tag = "pengaduan", request_body = ContactTokenBody,
    responses((status = 200, body = ContactConfirmed), (status = 409, body = Problem), (status = 422, body = Problem)))]
async fn confirm_contact(
    State(s): State<AppState>,
    ctx: Ctx,
    ApiJson(b): ApiJson<ContactTokenBody>,
) -> Result<Json<ContactConfirmed>, ApiError> {
    Ok(Json(confirm(&s, &ctx, b.token).await?))
}

/// Use case: confirm a complaint's contact address.
pub async fn confirm(s: &AppState, ctx: &Ctx, token: String) -> Result<ContactConfirmed, ApiError> {
    let r = s
        .feedback
        .clone()
        .confirm_complaint_contact(ctx.request(pb::ConfirmContactRequest { token }))
        .await?
        .into_inner();
    Ok(ContactConfirmed {
        complaint_id: r.complaint_id,
        message: "Alamat e-mail dikonfirmasi. Tanggapan petugas atas pengaduan Anda akan dikirim ke alamat ini.".into(),
    })
}
