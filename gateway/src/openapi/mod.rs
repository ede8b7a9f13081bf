//! The OpenAPI 3 document, generated from the handlers' annotations and served at
//! `/api/openapi.json`, then completed here so that it tells the truth about errors:
//! every error is `application/problem+json` with the one `Problem` schema, and every
//! operation lists the statuses the layers in front of every handler can send (a body or
//! query that does not parse, rate limits, timeouts, an unreachable service), plus 401/403
//! where a token is required and 404 where the path names something.
//!
//! The routes that require a token are read from the same document
//! ([`secured_routes`]): a request to one of them without `Authorization` is answered 401
//! before anything else is looked at, so a client is told to sign in before it is told
//! its query is wrong.

use std::collections::HashSet;

use axum::extract::{MatchedPath, Request, State};
use axum::http::StatusCode;
use axum::middleware::Next;
use axum::response::{IntoResponse as _, Response};
use utoipa::openapi::path::{Operation, ParameterIn};
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::openapi::{Content, InfoBuilder, OpenApi, Ref, RefOr, ResponseBuilder};

use crate::error::ApiError;

mod params;
mod roles;
mod served;

pub use params::{ParamRules, check_params};
pub use roles::ROLES;
pub use served::served;

const PROBLEM: &str = "application/problem+json";

#[derive(Debug)]
pub struct ApiDoc;

impl ApiDoc {
    pub fn build() -> OpenApi {
        let mut doc = OpenApi::new(
            InfoBuilder::new()
                .title("PST Pustaka API")
                .version(env!("CARGO_PKG_VERSION"))
                .description(Some(
                    "Layanan Perpustakaan PST BPS. Errors are application/problem+json with a stable `code` and an Indonesian `detail`.",
                ))
                .build(),
            utoipa::openapi::Paths::new(),
        );
        let components = doc.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .bearer_format("JWT")
                    .build(),
            ),
        );
        doc
    }
}

fn operations(
    item: &mut utoipa::openapi::PathItem,
) -> impl Iterator<Item = (&'static str, &mut Operation)> {
    [
        ("GET", item.get.as_mut()),
        ("PUT", item.put.as_mut()),
        ("POST", item.post.as_mut()),
        ("DELETE", item.delete.as_mut()),
        ("PATCH", item.patch.as_mut()),
    ]
    .into_iter()
    .filter_map(|(m, op)| op.map(|o| (m, o)))
}

/// Whether the operation requires a bearer token (a security requirement and no empty
/// alternative).
fn requires_token(op: &Operation) -> bool {
    let Some(reqs) = &op.security else {
        return false;
    };
    let json = serde_json::to_value(reqs).unwrap_or_default();
    let alternatives = json.as_array().cloned().unwrap_or_default();
    !alternatives.is_empty()
        && alternatives
            .iter()
            .all(|a| a.as_object().is_some_and(|o| !o.is_empty()))
}

fn problem_content() -> Content {
    Content::new(Some(RefOr::Ref(Ref::from_schema_name("Problem"))))
}

/// What a path parameter may be, as the services check it: office codes are four
/// digits, ids are UUIDs, a download code is eight letters and digits.
fn path_schema(path: &str, name: &str) -> Option<utoipa::openapi::Object> {
    use utoipa::openapi::schema::{KnownFormat, ObjectBuilder, SchemaFormat, Type};
    let text = ObjectBuilder::new().schema_type(Type::String);
    let office = name == "office" || (name == "code" && path.contains("/offices/{code}"));
    Some(if office {
        text.pattern(Some("^[0-9]{4}$")).build()
    } else if name == "code" && path.contains("/verify/") {
        text.pattern(Some("^[A-Za-z0-9]{1,16}$")).build()
    } else if name == "id" {
        text.format(Some(SchemaFormat::KnownFormat(KnownFormat::Uuid)))
            .build()
    } else {
        return None;
    })
}

/// Query parameters whose bounds the generator does not know: a page is at most
/// 100 items (complaints and the admin lists 200; 0 means the default), years are unsigned, dates are
/// dates, an office is four digits (empty, where allowed: every office or one's own).
fn query_schema(path: &str, name: &str) -> Option<utoipa::openapi::Object> {
    use utoipa::openapi::schema::{KnownFormat, ObjectBuilder, SchemaFormat, Type};
    let int = ObjectBuilder::new()
        .schema_type(Type::Integer)
        .minimum(Some(0));
    let text = ObjectBuilder::new().schema_type(Type::String);
    Some(match name {
        "limit" if path == "/api/v1/complaints" || path.starts_with("/api/v1/admin/") => {
            int.maximum(Some(200)).build()
        }
        "limit" => int.maximum(Some(100)).build(),
        "year_from" | "year_to" => int.maximum(Some(u32::MAX)).build(),
        "from" | "to" | "due_by" => text
            .format(Some(SchemaFormat::KnownFormat(KnownFormat::Date)))
            .build(),
        "office" if path == "/api/v1/publications/export" => {
            text.pattern(Some("^[0-9]{4}$")).build()
        }
        "office" => text.pattern(Some("^([0-9]{4})?$")).build(),
        "subject" => {
            let codes = pst_kit::subjects::GROUPS
                .iter()
                .flat_map(|g| g.subjects.iter().map(|(code, _)| *code));
            text.enum_values(Some(std::iter::once("").chain(codes)))
                .build()
        }
        // A complaint's statuses, or the overdue ones (empty: any).
        "status" if path == "/api/v1/complaints" => text
            .enum_values(Some([
                "",
                "received",
                "in_progress",
                "answered",
                "closed",
                "reopened",
                "overdue",
            ]))
            .build(),
        // The catalogue's languages (empty: any).
        "language" => text.enum_values(Some(["", "id", "en", "id-en"])).build(),
        // The audit trail's filters: a staff member's id, an action or its prefix.
        "actor" => text
            .pattern(Some(
                "^([0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12})?$",
            ))
            .build(),
        "action" => text.pattern(Some("^[a-z._]{0,64}$")).build(),
        "tracking_code" => text
            .pattern(Some("^([A-HJ-NP-Za-hj-np-z2-9]{10})?$"))
            .build(),
        _ => return None,
    })
}

/// Parameters: one the generator put `in: path` that the path does not name is a query
/// parameter (IntoParams' default); path parameters get their patterns and formats.
fn fix_parameters(path: &str, op: &mut Operation) {
    for p in op.parameters.iter_mut().flatten() {
        let RefOr::T(p) = p else { continue };
        if p.parameter_in == ParameterIn::Path && !path.contains(&format!("{{{}}}", p.name)) {
            p.parameter_in = ParameterIn::Query;
        }
        if p.parameter_in == ParameterIn::Path
            && let Some(schema) = path_schema(path, &p.name)
        {
            p.schema = Some(RefOr::T(utoipa::openapi::Schema::Object(schema)));
        }
        if p.parameter_in == ParameterIn::Query
            && let Some(schema) = query_schema(path, &p.name)
        {
            p.schema = Some(RefOr::T(utoipa::openapi::Schema::Object(schema)));
        }
    }
}

/// Operation ids that read well in a generated client where the handler's name alone
/// does not (`search` → `searchPublications`); the others keep the handler's name.
const OPERATION_IDS: &[(&str, &str)] = &[
    ("search", "search_publications"),
    ("create", "create_publication"),
    ("export", "export_publications"),
    ("import", "import_publications"),
    ("get_one", "get_publication"),
    ("patch", "update_publication"),
    ("withdraw", "withdraw_publication"),
    ("upload", "upload_document"),
    ("download", "download_publication"),
    ("read", "read_publication"),
    ("verify", "verify_document"),
    ("check_code", "check_download_code"),
    ("respond", "respond_to_complaint"),
    ("change_status", "change_complaint_status"),
    ("board", "get_board"),
    ("board_stream", "stream_board"),
    ("lockers", "list_lockers"),
    ("custody", "list_held_ids"),
    ("finish", "finish_ticket"),
    ("start", "start_ticket"),
    ("skip", "skip_ticket"),
    ("recall", "recall_ticket"),
    ("transfer", "transfer_ticket"),
    ("checkout", "checkout_visit"),
    ("questionnaire", "get_questionnaire"),
    ("visit_card", "create_visit_card"),
    ("post_staff", "create_staff"),
    ("put_office", "save_office"),
    ("put_setup", "save_office_setup"),
];

/// Completes the generated document (see the module documentation).
pub fn finish(mut doc: OpenApi) -> OpenApi {
    for (path, item) in doc.paths.paths.iter_mut() {
        let in_path = path.contains('{');
        for (_, op) in operations(item) {
            if let Some(id) = op.operation_id.as_deref()
                && let Some((_, better)) = OPERATION_IDS.iter().find(|(from, _)| *from == id)
            {
                op.operation_id = Some((*better).to_owned());
            }
            fix_parameters(path, op);
            let has_query = op.parameters.as_ref().is_some_and(|ps| {
                ps.iter()
                    .any(|p| matches!(p, RefOr::T(p) if p.parameter_in == ParameterIn::Query))
            });
            let has_body = op.request_body.is_some();
            let secured = requires_token(op);
            for (status, response) in op.responses.responses.iter_mut() {
                if (status.starts_with('4') || status.starts_with('5'))
                    && let RefOr::T(r) = response
                {
                    r.content.clear();
                    r.content
                        .insert(PROBLEM.to_owned(), RefOr::T(problem_content()));
                }
            }
            let mut add = |status: &str, description: &str| {
                op.responses
                    .responses
                    .entry(status.to_owned())
                    .or_insert_with(|| {
                        RefOr::T(
                            ResponseBuilder::new()
                                .description(description)
                                .content(PROBLEM, problem_content())
                                .build(),
                        )
                    });
            };
            add(
                "400",
                "The request cannot be read (malformed JSON, query or header).",
            );
            add(
                "429",
                "Too many requests from this address; see Retry-After.",
            );
            add("500", "An unexpected error (logged with the request id).");
            add(
                "503",
                "A service behind the gateway is unavailable; try again shortly.",
            );
            add(
                "504",
                "A service behind the gateway did not answer in time.",
            );
            if secured {
                add("401", "No valid access token (sign in first).");
                add("403", "The token's role or office may not do this.");
            } else {
                // A public route still reads a token when one is sent: an expired or
                // ended one is refused rather than silently ignored.
                add(
                    "401",
                    "The access token sent is not valid (expired or its session ended).",
                );
            }
            if in_path {
                add(
                    "404",
                    "What the path names does not exist (or is not visible to the caller).",
                );
            }
            if has_body || has_query || in_path {
                add("422", "A field is invalid: see `errors[].field`.");
            }
            if has_body {
                add("413", "The body is larger than allowed.");
                add("415", "The body is not of the declared content type.");
                // A body names other things (a ticket, a visit, an office) that may not
                // exist, may not be the caller's, or may have changed.
                add("403", "The caller may not act on what the body names.");
                add("404", "Something the body names does not exist.");
                add(
                    "409",
                    "What the body names is in another state, or changed meanwhile.",
                );
            }
        }
    }
    doc
}

/// (method, path template) of every operation that requires a token.
pub fn secured_routes(doc: &OpenApi) -> HashSet<(String, String)> {
    let mut doc = doc.clone();
    let mut out = HashSet::new();
    for (path, item) in doc.paths.paths.iter_mut() {
        for (method, op) in operations(item) {
            if requires_token(op) {
                out.insert((method.to_owned(), path.clone()));
            }
        }
    }
    out
}

/// Answers 401 to a request for a route that requires a token when it carries none, before
/// any extractor reads its path, query or body.
pub async fn require_token(
    State(secured): State<std::sync::Arc<HashSet<(String, String)>>>,
    req: Request,
    next: Next,
) -> Response {
    let route = req
        .extensions()
        .get::<MatchedPath>()
        .map(|m| m.as_str().to_owned());
    let has_token = req
        .headers()
        .get(axum::http::header::AUTHORIZATION)
        .is_some_and(|v| !v.is_empty());
    if !has_token
        && let Some(route) = route
        && secured.contains(&(req.method().as_str().to_owned(), route))
    {
        let mut res = ApiError::new(
            StatusCode::UNAUTHORIZED,
            "UNAUTHENTICATED",
            "Silakan masuk terlebih dahulu: permintaan ini memerlukan token akses.",
        )
        .into_response();
        res.headers_mut().insert(
            axum::http::header::WWW_AUTHENTICATE,
            axum::http::HeaderValue::from_static("Bearer"),
        );
        // What the client is still sending (an upload of megabytes) is read and thrown
        // away, so it gets this answer (`drain`).
        crate::drain::drain(req.into_body().into_data_stream());
        return res;
    }
    next.run(req).await
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The served document: every error response is a problem document, and the statuses
    /// every operation can meet are listed.
    #[test]
    fn every_error_is_a_documented_problem() {
        let settings = pst_kit::Settings::with_overrides::<&str, &str>(&[]).expect("settings");
        let doc = crate::openapi_document(&settings);
        let json = served(&doc).expect("every rule names a schema property that exists");
        let mut ops = 0;
        for (path, item) in json["paths"].as_object().expect("paths") {
            for (method, op) in item.as_object().expect("item") {
                if !["get", "put", "post", "delete", "patch"].contains(&method.as_str()) {
                    continue;
                }
                ops += 1;
                let responses = op["responses"].as_object().expect("responses");
                for status in ["400", "429", "500", "503", "504"] {
                    assert!(responses.contains_key(status), "{method} {path}: {status}");
                }
                if path.contains('{') {
                    assert!(responses.contains_key("404"), "{method} {path}: 404");
                }
                for (status, r) in responses {
                    if status.starts_with('4') || status.starts_with('5') {
                        let content = r["content"].as_object().expect("content");
                        assert_eq!(
                            content.keys().collect::<Vec<_>>(),
                            vec![PROBLEM],
                            "{method} {path} {status}"
                        );
                        assert_eq!(
                            content[PROBLEM]["schema"]["$ref"],
                            "#/components/schemas/Problem"
                        );
                    }
                }
            }
        }
        assert!(ops > 60, "{ops} operations");
        assert!(!secured_routes(&doc).is_empty());
    }
}
