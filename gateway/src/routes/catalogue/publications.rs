//! Publications: searching the catalogue, one publication, adding, changing and withdrawing
//! one, and the printed copies (holdings) an office keeps of it.

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use pst_proto::catalogue as pb;

use crate::ctx::Ctx;
use crate::error::{ApiError, ApiJson, ApiQuery, Problem};
use crate::state::AppState;

pub(super) fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(search, create))
        .routes(routes!(get_one, patch))
}

/// Fields of a publication (all optional in a PATCH).
#[derive(Debug, Default, Clone, Deserialize, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PublicationFields {
    pub office_code: Option<String>,
    pub title: Option<String>,
    pub subtitle: Option<String>,
    /// e.g. `1102001.1674`.
    pub catalogue_number: Option<String>,
    pub publication_number: Option<String>,
    pub issn: Option<String>,
    pub isbn: Option<String>,
    /// YYYY-MM-DD.
    pub release_date: Option<String>,
    pub year_from: Option<u32>,
    pub year_to: Option<u32>,
    /// A BPS subject code, e.g. `kependudukan`, `inflasi`, `tanaman_pangan`.
    pub subject: Option<String>,
    /// id, en, id-en.
    pub language: Option<String>,
    pub pages: Option<u32>,
    #[serde(rename = "abstract")]
    pub abstract_text: Option<String>,
    pub keywords: Option<Vec<String>>,
    pub cover_url: Option<String>,
    /// Read-only: set by uploading the softcopy (`POST .../document`); a create or change
    /// naming another document is refused (422).
    pub document_id: Option<String>,
    /// public, registered, staff.
    pub access_level: Option<String>,
}

impl PublicationFields {
    /// Fields present here replace those of `base`.
    fn over(self, base: pb::PublicationInput) -> pb::PublicationInput {
        pb::PublicationInput {
            office_code: self.office_code.unwrap_or(base.office_code),
            title: self.title.unwrap_or(base.title),
            subtitle: self.subtitle.unwrap_or(base.subtitle),
            catalogue_number: self.catalogue_number.unwrap_or(base.catalogue_number),
            publication_number: self.publication_number.unwrap_or(base.publication_number),
            issn: self.issn.unwrap_or(base.issn),
            isbn: self.isbn.unwrap_or(base.isbn),
            release_date: self.release_date.unwrap_or(base.release_date),
            year_from: self.year_from.unwrap_or(base.year_from),
            year_to: self.year_to.unwrap_or(base.year_to),
            subject: self.subject.unwrap_or(base.subject),
            language: self.language.unwrap_or(base.language),
            pages: self.pages.unwrap_or(base.pages),
            r#abstract: self.abstract_text.unwrap_or(base.r#abstract),
            keywords: self.keywords.unwrap_or(base.keywords),
            cover_url: self.cover_url.unwrap_or(base.cover_url),
            document_id: self.document_id.unwrap_or(base.document_id),
            access_level: self.access_level.unwrap_or(base.access_level),
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct HoldingView {
    pub id: String,
    pub office_code: String,
    pub call_number: String,
    pub shelf: String,
    pub copies: u32,
    pub condition: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct PublicationView {
    pub id: String,
    #[serde(flatten)]
    pub fields: PublicationFields,
    pub subject_group: String,
    pub has_digital: bool,
    pub has_printed: bool,
    pub withdrawn: bool,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub withdrawn_reason: String,
    pub holdings: Vec<HoldingView>,
    pub updated_at: String,
}

impl From<pb::Publication> for PublicationView {
    fn from(p: pb::Publication) -> Self {
        let f = p.fields.unwrap_or_default();
        Self {
            id: p.id,
            fields: PublicationFields {
                office_code: Some(f.office_code),
                title: Some(f.title),
                subtitle: Some(f.subtitle),
                catalogue_number: Some(f.catalogue_number),
                publication_number: Some(f.publication_number),
                issn: Some(f.issn),
                isbn: Some(f.isbn),
                release_date: Some(f.release_date),
                year_from: Some(f.year_from),
                year_to: Some(f.year_to),
                subject: Some(f.subject),
                language: Some(f.language),
                pages: Some(f.pages),
                abstract_text: Some(f.r#abstract),
                keywords: Some(f.keywords),
                cover_url: Some(f.cover_url),
                document_id: Some(f.document_id),
                access_level: Some(f.access_level),
            },
            subject_group: p.subject_group,
            has_digital: p.has_digital,
            has_printed: p.has_printed,
            withdrawn: p.withdrawn,
            withdrawn_reason: p.withdrawn_reason,
            holdings: p
                .holdings
                .into_iter()
                .map(|h| HoldingView {
                    id: h.id,
                    office_code: h.office_code,
                    call_number: h.call_number,
                    shelf: h.shelf,
                    copies: h.copies,
                    condition: h.condition,
                })
                .collect(),
            updated_at: p.updated_at,
        }
    }
}

#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct SearchQuery {
    /// Words to look for (Indonesian stemming; typos tolerated in titles).
    #[serde(default)]
    pub q: String,
    #[serde(default)]
    pub office: String,
    #[serde(default)]
    pub subject: String,
    #[serde(default)]
    pub year_from: u32,
    #[serde(default)]
    pub year_to: u32,
    #[serde(default)]
    pub language: String,
    pub has_digital: Option<bool>,
    pub has_printed: Option<bool>,
    #[serde(default)]
    pub cursor: String,
    /// 1-100 (default 20). A page may hold fewer (a broad query pages through batches of
    /// its newest matches); `next_cursor` says whether more follow.
    #[serde(default)]
    pub limit: u32,
    /// Staff of `office`: list its withdrawn publications too.
    #[serde(default)]
    pub include_withdrawn: bool,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct HitView {
    pub publication: PublicationView,
    /// Matching text, matched words in `<mark>`.
    pub snippet: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct FacetView {
    pub value: String,
    pub count: u32,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct FacetsView {
    pub subject: Vec<FacetView>,
    pub office: Vec<FacetView>,
    pub year: Vec<FacetView>,
    pub language: Vec<FacetView>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct SearchView {
    pub items: Vec<HitView>,
    pub facets: FacetsView,
    /// Matches (with `total_is_estimate`: about this many, at least).
    pub total: u32,
    /// A broad query: `total` and the facets are counted over its newest matches only.
    pub total_is_estimate: bool,
    pub next_cursor: String,
    /// The words searched when typing slips were corrected against the catalogue's
    /// vocabulary ("infasi" is searched as "inflasi"); empty when searched as typed.
    pub corrected_query: String,
}

/// Search the catalogue (no sign-in needed; restricted items only for their audience).
#[utoipa::path(get, path = "/api/v1/publications", tag = "katalog", params(SearchQuery),
    responses((status = 200, body = SearchView), (status = 422, body = Problem)))]
async fn search(
    State(s): State<AppState>,
    ctx: Ctx,
    ApiQuery(q): ApiQuery<SearchQuery>,
) -> Result<Json<SearchView>, ApiError> {
    Ok(Json(find(&s, &ctx, q).await?))
}

/// Use case: search the catalogue.
pub async fn find(s: &AppState, ctx: &Ctx, q: SearchQuery) -> Result<SearchView, ApiError> {
    let req = pb::SearchRequest {
        q: q.q,
        office_code: q.office,
        subject: q.subject,
        year_from: q.year_from,
        year_to: q.year_to,
        language: q.language,
        has_digital: q.has_digital,
        has_printed: q.has_printed,
        cursor: q.cursor,
        limit: q.limit,
        include_withdrawn: q.include_withdrawn,
    };
    let r = s
        .catalogue
        .clone()
        .search(ctx.request(req))
        .await?
        .into_inner();
    let facet = |v: Vec<pb::FacetValue>| {
        v.into_iter()
            .map(|f| FacetView {
                value: f.value,
                count: f.count,
            })
            .collect()
    };
    let f = r.facets.unwrap_or_default();
    Ok(SearchView {
        items: r
            .hits
            .into_iter()
            .map(|h| HitView {
                publication: h.publication.unwrap_or_default().into(),
                snippet: h.snippet,
            })
            .collect(),
        facets: FacetsView {
            subject: facet(f.subject),
            office: facet(f.office),
            year: facet(f.year),
            language: facet(f.language),
        },
        total: r.total,
        total_is_estimate: r.total_is_estimate,
        next_cursor: r.next_cursor,
        corrected_query: r.corrected_query,
    })
}

/// A publication.
#[utoipa::path(get, path = "/api/v1/publications/{id}", tag = "katalog", params(("id" = String, Path)),
    responses((status = 200, body = PublicationView), (status = 404, body = Problem)))]
async fn get_one(
    State(s): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
) -> Result<Json<PublicationView>, ApiError> {
    Ok(Json(publication(&s, &ctx, id).await?))
}

/// Use case: one publication.
pub async fn publication(s: &AppState, ctx: &Ctx, id: String) -> Result<PublicationView, ApiError> {
    Ok(s.catalogue
        .clone()
        .get_publication(ctx.request(pb::GetPublicationRequest { id }))
        .await?
        .into_inner()
        .into())
}

/// Add a publication (librarian of the publishing office).
#[utoipa::path(post, path = "/api/v1/publications", tag = "katalog", security(("bearer" = [])), request_body = PublicationFields,
    responses((status = 201, body = PublicationView), (status = 403, body = Problem), (status = 422, body = Problem)))]
async fn create(
    State(s): State<AppState>,
    ctx: Ctx,
    ApiJson(b): ApiJson<PublicationFields>,
) -> Result<(StatusCode, Json<PublicationView>), ApiError> {
    Ok((StatusCode::CREATED, Json(add(&s, &ctx, b).await?)))
}

/// Use case: a new publication.
pub async fn add(
    s: &AppState,
    ctx: &Ctx,
    b: PublicationFields,
) -> Result<PublicationView, ApiError> {
    let req = b.over(pb::PublicationInput::default());
    Ok(s.catalogue
        .clone()
        .create_publication(ctx.request(req))
        .await?
        .into_inner()
        .into())
}

/// Change a publication; fields not sent stay as they are (librarian of its office).
/// Send `If-Match` with the `updated_at` you edited from: if someone changed the entry
/// since, the answer is 409 `PUBLICATION_CHANGED` and nothing is saved.
#[utoipa::path(patch, path = "/api/v1/publications/{id}", tag = "katalog", security(("bearer" = [])),
    params(("id" = String, Path), ("If-Match" = Option<String>, Header, description = "the `updated_at` the change starts from")),
    request_body = PublicationFields, responses((status = 200, body = PublicationView), (status = 403, body = Problem),
        (status = 409, body = Problem), (status = 422, body = Problem)))]
async fn patch(
    State(s): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
    headers: axum::http::HeaderMap,
    ApiJson(b): ApiJson<PublicationFields>,
) -> Result<Json<PublicationView>, ApiError> {
    // An entity tag is opaque to the client: `*` is any version (no condition); of a
    // list, the first is taken; one that is no version at all (or not text) cannot match
    // the entry's. That is sent on as a version no entry has (the epoch), so the service
    // answers as for a stale one (409 PUBLICATION_CHANGED), after its own role check.
    let expected = match headers.get(axum::http::header::IF_MATCH) {
        None => String::new(),
        Some(v) => match v.to_str().map(str::trim) {
            Ok("*") => String::new(),
            Ok(tags) => {
                let tag = tags
                    .split(',')
                    .next()
                    .unwrap_or_default()
                    .trim()
                    .trim_start_matches("W/")
                    .trim_matches('"');
                if chrono::DateTime::parse_from_rfc3339(tag).is_ok() {
                    tag.to_owned()
                } else {
                    NO_VERSION.to_owned()
                }
            }
            Err(_) => NO_VERSION.to_owned(),
        },
    };
    Ok(Json(change(&s, &ctx, id, b, expected).await?))
}

/// A version no publication has (every `updated_at` is set by the database's clock).
const NO_VERSION: &str = "1970-01-01T00:00:00Z";

/// Use case: change the fields sent, if the entry is still at `expected` (when given).
/// The merge with the stored entry happens here; the catalogue service re-checks the
/// version under its row lock, so a change between the two reads is still caught.
pub async fn change(
    s: &AppState,
    ctx: &Ctx,
    id: String,
    b: PublicationFields,
    expected: String,
) -> Result<PublicationView, ApiError> {
    let current = s
        .catalogue
        .clone()
        .get_publication(ctx.request(pb::GetPublicationRequest { id: id.clone() }))
        .await?
        .into_inner();
    let expected_updated_at = if expected.is_empty() {
        current.updated_at.clone()
    } else {
        expected
    };
    let req = pb::UpdatePublicationRequest {
        id,
        publication: Some(b.over(current.fields.unwrap_or_default())),
        expected_updated_at,
    };
    Ok(s.catalogue
        .clone()
        .update_publication(ctx.request(req))
        .await?
        .into_inner()
        .into())
}
