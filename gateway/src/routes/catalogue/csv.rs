//! An office's publications in and out as CSV: import (all or nothing, or partial) and
//! export, in the same columns.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use pst_proto::catalogue as pb;

use crate::ctx::Ctx;
use crate::error::{ApiError, ApiQuery, Problem};
use crate::state::AppState;

/// An import may be larger than other requests (up to 4 MiB of CSV, 10,000 rows checked
/// and written in one transaction) and an export as long as an office's catalogue: both
/// have `BULK_TIMEOUT`, as the catalogue channel they use (`AppState::catalogue_bulk`).
pub(super) fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(export))
        .routes(routes!(import))
        .layer(axum::extract::DefaultBodyLimit::max(IMPORT_LIMIT))
        .layer(tower_http::timeout::TimeoutLayer::with_status_code(
            StatusCode::GATEWAY_TIMEOUT,
            crate::state::BULK_CSV_TIMEOUT,
        ))
}

const IMPORT_LIMIT: usize = 4 * 1024 * 1024;

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct ImportQuery {
    /// Import the valid rows even if some fail (default: all or nothing).
    #[serde(default)]
    pub partial: bool,
    /// Check every row (against the database too) and answer what would be imported,
    /// importing nothing.
    #[serde(default)]
    pub dry_run: bool,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ImportView {
    /// Rows imported (with `dry_run`: rows that would be).
    pub imported: u32,
    pub errors: Vec<crate::error::FieldError>,
    pub dry_run: bool,
}

/// Import publications from CSV (`text/csv` body, UTF-8; columns in the README). Every row is
/// checked first: any failing row rejects the whole file (422, each error named
/// `rows[N].field`) unless `?partial=true`.
#[utoipa::path(post, path = "/api/v1/publications/import", tag = "katalog", security(("bearer" = [])), params(ImportQuery),
    request_body(content = String, content_type = "text/csv"),
    responses((status = 200, body = ImportView), (status = 413, body = Problem), (status = 422, body = Problem)))]
async fn import(
    State(s): State<AppState>,
    ctx: Ctx,
    ApiQuery(q): ApiQuery<ImportQuery>,
    body: axum::body::Bytes,
) -> Result<Json<ImportView>, ApiError> {
    let view = import_csv(&s, &ctx, body.to_vec(), &q).await?;
    if !q.partial && !q.dry_run && !view.errors.is_empty() {
        let mut err = ApiError::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "IMPORT_REJECTED",
            format!(
                "{} kesalahan; tidak ada baris yang diimpor.",
                view.errors.len()
            ),
        );
        err.1.errors = view.errors;
        return Err(err);
    }
    Ok(Json(view))
}

/// Use case: import (or preview) a CSV; row errors are named `rows[N].field`. Without
/// `partial`, any error means nothing was imported.
pub async fn import_csv(
    s: &AppState,
    ctx: &Ctx,
    csv: Vec<u8>,
    q: &ImportQuery,
) -> Result<ImportView, ApiError> {
    let r = s
        .catalogue_bulk
        .clone()
        .import_publications(ctx.request(pb::ImportRequest {
            csv,
            partial: q.partial,
            dry_run: q.dry_run,
        }))
        .await?
        .into_inner();
    let errors: Vec<crate::error::FieldError> = r
        .errors
        .into_iter()
        .map(|e| crate::error::FieldError {
            field: format!("rows[{}].{}", e.row, e.field),
            message: e.message,
        })
        .collect();
    Ok(ImportView {
        imported: r.imported,
        errors,
        dry_run: q.dry_run,
    })
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct ExportQuery {
    pub office: String,
}

/// The office's publications as CSV, in the import's columns (office staff).
#[utoipa::path(get, path = "/api/v1/publications/export", tag = "katalog", security(("bearer" = [])), params(ExportQuery),
    responses((status = 200, content_type = "text/csv", description = "CSV"), (status = 403, body = Problem)))]
async fn export(
    State(s): State<AppState>,
    ctx: Ctx,
    ApiQuery(q): ApiQuery<ExportQuery>,
) -> Result<axum::response::Response, ApiError> {
    export_csv(&s, &ctx, q.office).await
}

/// Use case: the office's catalogue as a CSV download.
pub async fn export_csv(
    s: &AppState,
    ctx: &Ctx,
    office: String,
) -> Result<axum::response::Response, ApiError> {
    let r = s
        .catalogue_bulk
        .clone()
        .export_publications(ctx.request(pb::ExportRequest {
            office_code: office.clone(),
        }))
        .await?
        .into_inner();
    let q = ExportQuery { office };
    let mut res = axum::response::IntoResponse::into_response(r.csv);
    let h = res.headers_mut();
    h.insert(
        axum::http::header::CONTENT_TYPE,
        axum::http::HeaderValue::from_static("text/csv; charset=utf-8"),
    );
    if let Ok(v) = axum::http::HeaderValue::from_str(&format!(
        "attachment; filename=\"katalog-{}.csv\"",
        q.office
    )) {
        h.insert(axum::http::header::CONTENT_DISPOSITION, v);
    }
    Ok(res)
}
