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

pub(super) fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(export))
        // An import may be larger than other requests: up to 4 MiB of CSV.
        .merge(
            OpenApiRouter::new()
                .routes(routes!(import))
                .layer(axum::extract::DefaultBodyLimit::max(IMPORT_LIMIT)),
        )
}

const IMPORT_LIMIT: usize = 4 * 1024 * 1024;

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
pub struct ImportQuery {
    /// Import the valid rows even if some fail (default: all or nothing).
    #[serde(default)]
    pub partial: bool,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ImportView {
    pub imported: u32,
    pub errors: Vec<crate::error::FieldError>,
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
    let r = s
        .catalogue
        .clone()
        .import_publications(ctx.request(pb::ImportRequest {
            csv: body.to_vec(),
            partial: q.partial,
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
    if !q.partial && !errors.is_empty() {
        let mut err = ApiError::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "IMPORT_REJECTED",
            format!("{} kesalahan; tidak ada baris yang diimpor.", errors.len()),
        );
        err.1.errors = errors;
        return Err(err);
    }
    Ok(Json(ImportView {
        imported: r.imported,
        errors,
    }))
}

#[derive(Debug, Deserialize, IntoParams)]
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
    let r = s
        .catalogue
        .clone()
        .export_publications(ctx.request(pb::ExportRequest {
            office_code: q.office.clone(),
        }))
        .await?
        .into_inner();
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
