//! The guest book: filling and correcting a visit's entry, and checkout.

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use pst_proto::visit as pb;

use super::CustodyView;
use crate::ctx::Ctx;
use crate::error::{ApiError, ApiJson, Problem};
use crate::state::AppState;

pub(super) fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(create_visit))
        .routes(routes!(get_visit, patch_visit))
        .routes(routes!(checkout))
}

/// Guest-book fields (all optional in a correction).
#[derive(Debug, Default, Deserialize, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct GuestBookFields {
    pub name: Option<String>,
    pub email: Option<String>,
    pub phone: Option<String>,
    /// L or P.
    pub sex: Option<String>,
    /// <20, 20-29, 30-39, 40-49, 50-59, 60+.
    pub age_group: Option<String>,
    /// SD, SMP, SMA, D1-D3, D4/S1, S2, S3.
    pub education: Option<String>,
    pub occupation: Option<String>,
    /// pemerintah, swasta, pendidikan, bumn, lembaga_internasional, perorangan, lainnya.
    pub institution_type: Option<String>,
    pub institution_name: Option<String>,
    pub purpose: Option<String>,
    pub data_needed: Option<String>,
}

impl GuestBookFields {
    fn present(&self) -> Vec<String> {
        let mut v = Vec::new();
        macro_rules! f { ($($n:ident),*) => { $( if self.$n.is_some() { v.push(stringify!($n).to_owned()); } )* }; }
        f!(
            name,
            email,
            phone,
            sex,
            age_group,
            education,
            occupation,
            institution_type,
            institution_name,
            purpose,
            data_needed
        );
        v
    }

    fn into_pb(self) -> pb::GuestBook {
        pb::GuestBook {
            name: self.name.unwrap_or_default(),
            email: self.email.unwrap_or_default(),
            phone: self.phone.unwrap_or_default(),
            sex: self.sex.unwrap_or_default(),
            age_group: self.age_group.unwrap_or_default(),
            education: self.education.unwrap_or_default(),
            occupation: self.occupation.unwrap_or_default(),
            institution_type: self.institution_type.unwrap_or_default(),
            institution_name: self.institution_name.unwrap_or_default(),
            purpose: self.purpose.unwrap_or_default(),
            data_needed: self.data_needed.unwrap_or_default(),
        }
    }
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateVisitBody {
    pub ticket_id: String,
    pub guest_book: GuestBookFields,
    /// Front office: the visitor's scanned "kartu kunjungan" (`POST /api/v1/me/visit-card`);
    /// links the visit to the account and fills the guest book's empty contact fields.
    #[serde(default)]
    pub visit_card: String,
}

/// A visit and its guest-book entry.
#[derive(Debug, Serialize, ToSchema)]
pub struct VisitView {
    pub id: String,
    pub office_code: String,
    pub ticket_id: String,
    pub ticket_number: String,
    pub service_day: String,
    pub guest_book: GuestBookFields,
    pub guest_book_at: String,
    pub service_started_at: String,
    /// Seconds from the guest book to the start of service.
    pub wait_secs: Option<u32>,
    pub ended_at: String,
    pub custody: Option<CustodyView>,
    /// Only in the checkout answer: the one-time code to rate this visit at the kiosk.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub feedback_code: String,
}

impl From<pb::Visit> for VisitView {
    fn from(v: pb::Visit) -> Self {
        let g = v.guest_book.unwrap_or_default();
        Self {
            id: v.id,
            office_code: v.office_code,
            ticket_id: v.ticket_id,
            ticket_number: v.ticket_number,
            service_day: v.service_day,
            guest_book: GuestBookFields {
                name: Some(g.name),
                email: Some(g.email),
                phone: Some(g.phone),
                sex: Some(g.sex),
                age_group: Some(g.age_group),
                education: Some(g.education),
                occupation: Some(g.occupation),
                institution_type: Some(g.institution_type),
                institution_name: Some(g.institution_name),
                purpose: Some(g.purpose),
                data_needed: Some(g.data_needed),
            },
            guest_book_at: v.guest_book_at,
            service_started_at: v.service_started_at,
            wait_secs: v.wait_secs,
            ended_at: v.ended_at,
            custody: v.custody.map(Into::into),
            feedback_code: v.feedback_code,
        }
    }
}

/// Fill the guest book for a ticket (kiosk, the visitor, or front office); a signed-in
/// visitor's empty fields come from their account.
#[utoipa::path(post, path = "/api/v1/visits", tag = "buku tamu", request_body = CreateVisitBody,
    responses((status = 201, body = VisitView), (status = 409, body = Problem), (status = 422, body = Problem)))]
async fn create_visit(
    State(s): State<AppState>,
    ctx: Ctx,
    ApiJson(b): ApiJson<CreateVisitBody>,
) -> Result<(StatusCode, Json<VisitView>), ApiError> {
    Ok((StatusCode::CREATED, Json(open_visit(&s, &ctx, b).await?)))
}

/// Use case: fill the guest book for a ticket, opening its visit.
pub async fn open_visit(
    s: &AppState,
    ctx: &Ctx,
    b: CreateVisitBody,
) -> Result<VisitView, ApiError> {
    let req = pb::CreateVisitRequest {
        ticket_id: b.ticket_id,
        guest_book: Some(b.guest_book.into_pb()),
        visit_card: b.visit_card,
    };
    Ok(s.visit
        .clone()
        .create_visit(ctx.request(req))
        .await?
        .into_inner()
        .into())
}

/// A visit (the visitor's own, or the office's staff).
#[utoipa::path(get, path = "/api/v1/visits/{id}", tag = "buku tamu", security(("bearer" = [])), params(("id" = String, Path)),
    responses((status = 200, body = VisitView), (status = 403, body = Problem), (status = 404, body = Problem)))]
async fn get_visit(
    State(s): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
) -> Result<Json<VisitView>, ApiError> {
    Ok(Json(visit(&s, &ctx, id).await?))
}

/// Use case: one visit.
pub async fn visit(s: &AppState, ctx: &Ctx, id: String) -> Result<VisitView, ApiError> {
    Ok(s.visit
        .clone()
        .get_visit(ctx.request(pb::GetVisitRequest { visit_id: id }))
        .await?
        .into_inner()
        .into())
}

/// Correct a guest-book entry (front office); only the fields sent change.
#[utoipa::path(patch, path = "/api/v1/visits/{id}", tag = "buku tamu", security(("bearer" = [])), params(("id" = String, Path)),
    request_body = GuestBookFields, responses((status = 200, body = VisitView), (status = 422, body = Problem)))]
async fn patch_visit(
    State(s): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
    ApiJson(b): ApiJson<GuestBookFields>,
) -> Result<Json<VisitView>, ApiError> {
    Ok(Json(correct_visit(&s, &ctx, id, b).await?))
}

/// Use case: correct a guest-book entry; only the fields present change.
pub async fn correct_visit(
    s: &AppState,
    ctx: &Ctx,
    id: String,
    b: GuestBookFields,
) -> Result<VisitView, ApiError> {
    let fields = b.present();
    if fields.is_empty() {
        return Err(ApiError::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "VALIDATION_FAILED",
            "Tidak ada kolom yang diubah.",
        )
        .with_field("guest_book", "Kirim minimal satu kolom."));
    }
    let req = pb::UpdateVisitRequest {
        visit_id: id,
        guest_book: Some(b.into_pb()),
        fields,
    };
    Ok(s.visit
        .clone()
        .update_visit(ctx.request(req))
        .await?
        .into_inner()
        .into())
}

#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CheckoutBody {
    /// The identity card held in custody is handed back now.
    #[serde(default)]
    pub id_returned: bool,
    /// To whom (default: the visitor).
    #[serde(default)]
    pub returned_to: String,
}

/// End the visit: the identity card is returned and the locker freed; the visit can then be rated.
#[utoipa::path(post, path = "/api/v1/visits/{id}/checkout", tag = "loker", security(("bearer" = [])), params(("id" = String, Path)),
    request_body = CheckoutBody, responses((status = 200, body = VisitView), (status = 409, body = Problem)))]
async fn checkout(
    State(s): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
    ApiJson(b): ApiJson<CheckoutBody>,
) -> Result<Json<VisitView>, ApiError> {
    Ok(Json(check_out(&s, &ctx, id, b).await?))
}

/// Use case: end a visit, returning the identity card and freeing the locker.
pub async fn check_out(
    s: &AppState,
    ctx: &Ctx,
    id: String,
    b: CheckoutBody,
) -> Result<VisitView, ApiError> {
    let req = pb::CheckoutRequest {
        visit_id: id,
        id_returned: b.id_returned,
        returned_to: b.returned_to,
    };
    Ok(s.visit
        .clone()
        .checkout(ctx.request(req))
        .await?
        .into_inner()
        .into())
}
