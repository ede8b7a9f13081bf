//! An office's queue setup: what a kiosk needs.

use axum::Json;
use axum::extract::{Path, State};
use serde::Serialize;
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use pst_proto::visit as pb;

use crate::ctx::Ctx;
use crate::error::{ApiError, Problem};
use crate::state::AppState;

pub(super) fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(office_setup))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ServiceTypeView {
    pub code: String,
    pub prefix: String,
    pub name: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct CounterSetupView {
    pub code: String,
    pub name: String,
    pub service_types: Vec<String>,
}

/// What a kiosk needs: lines, counters, hours and time zone of an office.
#[derive(Debug, Serialize, ToSchema)]
pub struct OfficeSetupView {
    pub office_code: String,
    pub name: String,
    pub time_zone: String,
    pub opens_at: String,
    pub closes_at: String,
    pub open_days: Vec<u32>,
    pub service_types: Vec<ServiceTypeView>,
    pub counters: Vec<CounterSetupView>,
    pub lockers: u32,
    /// Public holidays (YYYY-MM-DD): no numbers are given.
    pub holidays: Vec<String>,
}

impl From<pb::OfficeSetup> for OfficeSetupView {
    fn from(o: pb::OfficeSetup) -> Self {
        Self {
            office_code: o.office_code,
            name: o.name,
            time_zone: o.time_zone,
            opens_at: o.opens_at,
            closes_at: o.closes_at,
            open_days: o.open_days,
            service_types: o
                .service_types
                .into_iter()
                .map(|t| ServiceTypeView {
                    code: t.code,
                    prefix: t.prefix,
                    name: t.name,
                })
                .collect(),
            counters: o
                .counters
                .into_iter()
                .map(|c| CounterSetupView {
                    code: c.code,
                    name: c.name,
                    service_types: c.service_types,
                })
                .collect(),
            lockers: o.lockers,
            holidays: o.holidays,
        }
    }
}

/// An office's queue setup (public).
#[utoipa::path(get, path = "/api/v1/offices/{office}/setup", tag = "antrean", params(("office" = String, Path)),
    responses((status = 200, body = OfficeSetupView), (status = 404, body = Problem)))]
async fn office_setup(
    State(s): State<AppState>,
    ctx: Ctx,
    Path(office): Path<String>,
) -> Result<Json<OfficeSetupView>, ApiError> {
    Ok(Json(use_case::office_setup(&s, &ctx, office).await?))
}

/// The use case sits in a module of its own: the route handler above already has its name.
pub(super) mod use_case {
    use super::{OfficeSetupView, pb};
    use crate::ctx::Ctx;
    use crate::error::ApiError;
    use crate::state::AppState;

    /// Use case: an office's queue setup.
    pub async fn office_setup(
        s: &AppState,
        ctx: &Ctx,
        office: String,
    ) -> Result<OfficeSetupView, ApiError> {
        let o = s
            .visit
            .clone()
            .get_office_setup(ctx.request(pb::OfficeRequest {
                office_code: office,
            }))
            .await?
            .into_inner();
        Ok(o.into())
    }
}
