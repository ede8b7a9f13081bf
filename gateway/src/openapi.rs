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
    } else if name == "id" {
        text.format(Some(SchemaFormat::KnownFormat(KnownFormat::Uuid)))
            .build()
    } else {
        return None;
    })
}

/// Query parameters whose bounds the generator does not know: a page is at most
/// 100 items (0 means the default), years are unsigned.
fn query_schema(name: &str) -> Option<utoipa::openapi::Object> {
    use utoipa::openapi::schema::{ObjectBuilder, Type};
    let int = ObjectBuilder::new()
        .schema_type(Type::Integer)
        .minimum(Some(0));
    Some(match name {
        "limit" => int.maximum(Some(100)).build(),
        "year_from" | "year_to" => int.maximum(Some(u32::MAX)).build(),
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
            && let Some(schema) = query_schema(&p.name)
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

/// What the request bodies' fields must be, as the services validate them: JSON-schema
/// keywords per schema and property (`_required` replaces a schema's required list).
const RULES: &str = include_str!("openapi_rules.json");

type Link = (&'static str, &'static str, &'static str, &'static str);

/// (path, method, status, [(link name, operationId, parameter, runtime expression)]).
const LINKS: &[(&str, &str, &str, &[Link])] = &[
    (
        "/api/v1/publications",
        "post",
        "201",
        &[
            ("get", "get_publication", "id", "$response.body#/id"),
            ("update", "update_publication", "id", "$response.body#/id"),
            ("history", "get_history", "id", "$response.body#/id"),
            ("holdings", "add_holding", "id", "$response.body#/id"),
        ],
    ),
    (
        "/api/v1/offices/{office}/tickets",
        "post",
        "201",
        &[("get", "get_ticket", "id", "$response.body#/id")],
    ),
    (
        "/api/v1/complaints",
        "post",
        "201",
        &[("get", "get_complaint", "id", "$response.body#/id")],
    ),
    (
        "/api/v1/visits",
        "post",
        "201",
        &[
            ("get", "get_visit", "id", "$response.body#/id"),
            ("update", "patch_visit", "id", "$response.body#/id"),
        ],
    ),
];

/// The document as served: the generated one with the request bodies' constraints
/// ([`RULES`]), and views that embed a closed request schema (`additionalProperties:
/// false`) given an open copy of it, so the fields a view adds are not "unexpected".
/// A rule naming a schema or property that does not exist is an error (they cannot drift
/// apart silently).
pub fn served(doc: &OpenApi) -> Result<serde_json::Value, String> {
    let mut v = serde_json::to_value(doc).map_err(|e| e.to_string())?;
    let schemas = v["components"]["schemas"]
        .as_object_mut()
        .ok_or("the document has no schemas")?;
    let closed: Vec<String> = schemas
        .iter()
        .filter(|(_, s)| s["additionalProperties"] == serde_json::Value::Bool(false))
        .map(|(k, _)| k.clone())
        .collect();
    let mut opened = Vec::new();
    for s in schemas.values_mut() {
        for part in s
            .get_mut("allOf")
            .and_then(|a| a.as_array_mut())
            .into_iter()
            .flatten()
        {
            if let Some(r) = part["$ref"].as_str()
                && let Some(name) = r.strip_prefix("#/components/schemas/")
                && closed.iter().any(|c| c == name)
            {
                let name = name.to_owned();
                part["$ref"] = format!("#/components/schemas/{name}View").into();
                opened.push(name);
            }
        }
    }
    for name in opened {
        let mut copy = schemas[&name].clone();
        if let Some(o) = copy.as_object_mut() {
            o.remove("additionalProperties");
        }
        schemas.insert(format!("{name}View"), copy);
    }
    // One pass over the operations. Every response has a description (OpenAPI requires
    // one; the generator leaves it out when a handler gives none): the status's reason
    // phrase.
    for item in v["paths"]
        .as_object_mut()
        .into_iter()
        .flat_map(|p| p.values_mut())
    {
        for op in item
            .as_object_mut()
            .into_iter()
            .flat_map(|o| o.values_mut())
        {
            for (status, r) in op
                .get_mut("responses")
                .and_then(|r| r.as_object_mut())
                .into_iter()
                .flat_map(|r| r.iter_mut())
            {
                if r["description"].as_str().is_none_or(str::is_empty) {
                    let reason = status
                        .parse::<u16>()
                        .ok()
                        .and_then(|s| StatusCode::from_u16(s).ok())
                        .and_then(|s| s.canonical_reason())
                        .unwrap_or("Response");
                    r["description"] = reason.into();
                }
            }
            // Binary bodies as binary (the generator writes bytes as an array of integers,
            // which no client sends): a PDF upload is the file itself.
            if let Some(content) = op
                .pointer_mut("/requestBody/content")
                .and_then(|c| c.as_object_mut())
            {
                for (media, c) in content.iter_mut() {
                    if media == "application/pdf" {
                        c["schema"] = serde_json::json!({ "type": "string", "format": "binary" });
                    }
                }
            }
        }
    }
    // Who may call each operation (`x-roles`, also said in its description).
    let mut named = std::collections::BTreeSet::new();
    for (path, item) in v["paths"].as_object_mut().into_iter().flatten() {
        for (method, op) in item.as_object_mut().into_iter().flatten() {
            let route = format!("{} {path}", method.to_uppercase());
            let roles = crate::openapi_roles::ROLES
                .iter()
                .find(|(r, _)| *r == route)
                .map(|(_, roles)| *roles)
                .ok_or_else(|| format!("openapi_roles.rs: no row for {route}"))?;
            named.insert(route);
            op["x-roles"] = serde_json::json!(roles);
            let who = if roles.contains(&"anonymous") {
                "Siapa saja (tanpa token).".to_owned()
            } else {
                format!("Peran: {}.", roles.join(", "))
            };
            let description = match op.get("description").and_then(|d| d.as_str()) {
                Some(d) if !d.is_empty() => format!("{d}\n\n{who}"),
                _ => who,
            };
            op["description"] = description.into();
        }
    }
    if let Some((stale, _)) = crate::openapi_roles::ROLES
        .iter()
        .find(|(r, _)| !named.contains(*r))
    {
        return Err(format!("openapi_roles.rs: {stale} is no route"));
    }
    // Links, so a client (and schemathesis' stateful phase) can go from what it made to
    // reading and changing it.
    for (path, method, status, links) in LINKS {
        let response = v["paths"][*path][*method]["responses"]
            .get_mut(*status)
            .ok_or_else(|| format!("link from {method} {path} {status}: no such response"))?;
        let mut map = serde_json::Map::new();
        for (name, operation, parameter, from) in *links {
            map.insert(
                (*name).to_owned(),
                serde_json::json!({
                    "operationId": operation,
                    "parameters": { *parameter: from },
                }),
            );
        }
        response["links"] = serde_json::Value::Object(map);
    }
    let schemas = v["components"]["schemas"]
        .as_object_mut()
        .ok_or("the document has no schemas")?;
    let rules: serde_json::Value = serde_json::from_str(RULES).map_err(|e| e.to_string())?;
    for (schema, props) in rules.as_object().into_iter().flatten() {
        let target = schemas
            .get_mut(schema)
            .ok_or_else(|| format!("openapi_rules.json: no schema {schema}"))?;
        for (prop, keywords) in props.as_object().into_iter().flatten() {
            if prop == "_required" {
                target["required"] = keywords.clone();
                continue;
            }
            let p = target["properties"]
                .get_mut(prop)
                .ok_or_else(|| format!("openapi_rules.json: no property {schema}.{prop}"))?;
            for (k, val) in keywords.as_object().into_iter().flatten() {
                p[k] = val.clone();
            }
        }
    }
    Ok(v)
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
