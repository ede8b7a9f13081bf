//! Offices: their name and zone (identity), and their walk-in setup (visit): hours, days,
//! holidays, lines with their prefixes, counters and the lines they serve, lockers.

use axum::Json;
use axum::extract::{Path, State};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use pst_proto::common::Office;
use pst_proto::identity as pb;
use pst_proto::visit as vpb;

use crate::ctx::Ctx;
use crate::error::{ApiError, ApiJson, Problem};
use crate::routes::visit::OfficeSetupView;
use crate::state::AppState;

pub(super) fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_offices))
        .routes(routes!(put_office))
        .routes(routes!(put_setup))
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
    Ok(Json(save_office(&s, &ctx, code, b).await?))
}

/// Use case: create or rename an office.
pub async fn save_office(
    s: &AppState,
    ctx: &Ctx,
    code: String,
    b: OfficeBody,
) -> Result<OfficeView, ApiError> {
    let req = pb::UpsertOfficeRequest {
        office: Some(Office {
            code,
            name: b.name,
            time_zone: b.time_zone,
        }),
    };
    Ok(s.identity
        .clone()
        .upsert_office(ctx.request(req))
        .await?
        .into_inner()
        .into())
}

#[derive(Debug, Clone, Default, Deserialize, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LineBody {
    /// e.g. `perpustakaan` (lowercase letters, digits, `_`).
    pub code: String,
    /// One capital letter: the ticket prefix, e.g. `P` for P-001.
    pub prefix: String,
    pub name: String,
}

#[derive(Debug, Clone, Default, Deserialize, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CounterBody {
    pub code: String,
    pub name: String,
    /// Codes of the lines this counter serves.
    pub service_types: Vec<String>,
}

/// An office's walk-in setup as an administrator sets it.
#[derive(Debug, Clone, Default, Deserialize, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SetupBody {
    pub name: String,
    /// Asia/Jakarta (WIB), Asia/Makassar (WITA) or Asia/Jayapura (WIT).
    pub time_zone: String,
    /// Local "HH:MM".
    pub opens_at: String,
    pub closes_at: String,
    /// ISO weekdays (1 = Monday).
    pub open_days: Vec<u32>,
    /// YYYY-MM-DD.
    #[serde(default)]
    pub holidays: Vec<String>,
    pub lockers: u32,
    pub service_types: Vec<LineBody>,
    pub counters: Vec<CounterBody>,
}

/// Set an office's walk-in setup: hours, days, holidays, lines, counters, lockers (admin).
/// Registers the office (name and zone) too, so one call makes a working office.
#[utoipa::path(put, path = "/api/v1/admin/offices/{code}/setup", tag = "admin", security(("bearer" = [])), request_body = SetupBody,
    params(("code" = String, Path, description = "4-digit BPS office code")),
    responses((status = 200, body = OfficeSetupView), (status = 403, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
async fn put_setup(
    State(s): State<AppState>,
    ctx: Ctx,
    Path(code): Path<String>,
    ApiJson(b): ApiJson<SetupBody>,
) -> Result<Json<OfficeSetupView>, ApiError> {
    Ok(Json(save_setup(&s, &ctx, code, b).await?))
}

/// Use case: the office in identity (name, zone) and its setup in visit. The setup is
/// checked whole by the visit service before identity is touched, so a bad setup changes
/// nothing.
pub async fn save_setup(
    s: &AppState,
    ctx: &Ctx,
    code: String,
    b: SetupBody,
) -> Result<OfficeSetupView, ApiError> {
    let req = vpb::OfficeSetup {
        office_code: code.clone(),
        name: b.name.clone(),
        time_zone: b.time_zone.clone(),
        opens_at: b.opens_at,
        closes_at: b.closes_at,
        open_days: b.open_days,
        holidays: b.holidays,
        lockers: b.lockers,
        service_types: b
            .service_types
            .into_iter()
            .map(|t| vpb::ServiceType {
                code: t.code,
                prefix: t.prefix,
                name: t.name,
            })
            .collect(),
        counters: b
            .counters
            .into_iter()
            .map(|c| vpb::Counter {
                code: c.code,
                name: c.name,
                service_types: c.service_types,
            })
            .collect(),
    };
    let saved = s
        .visit
        .clone()
        .save_office_setup(ctx.request(req))
        .await?
        .into_inner();
    save_office(
        s,
        ctx,
        code,
        OfficeBody {
            name: b.name,
            time_zone: b.time_zone,
        },
    )
    .await?;
    s.web.offices.forget();
    Ok(saved.into())
}
