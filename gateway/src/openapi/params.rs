//! Path and query parameters checked against the document as served, before a handler
//! reads them: an office code is `^[0-9]{4}$`, a printed download id letters and digits,
//! an id a hyphenated UUID, a date TTTT-BB-HH, a listed value one of the list. The
//! services check the same values but forgive more (they trim what a person typed); the
//! API promises exactly what its contract says, so `/offices/1674/queue` with a space or
//! a newline in the code is a 422 naming the parameter, not an answer.
//!
//! The rules are read from the served document itself ([`ParamRules::from_served`]), so
//! the contract and its enforcement cannot drift apart.

use std::collections::HashMap;
use std::sync::Arc;

use axum::extract::{FromRequestParts as _, MatchedPath, RawPathParams, Request, State};
use axum::middleware::Next;
use axum::response::{IntoResponse as _, Response};
use regex::Regex;
use serde_json::Value;

use crate::error::ApiError;

/// What JSON Schema's `format: uuid` accepts (RFC 9562's hyphenated form only).
const UUID: &str = "^[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}$";

/// What `format: date` accepts (RFC 3339 full-date; the services check the calendar).
const DATE: &str = "^[0-9]{4}-[0-9]{2}-[0-9]{2}$";

#[derive(Debug)]
struct Rule {
    name: String,
    in_path: bool,
    pattern: Regex,
}

/// (method, path template) → the parameters that have a pattern, a UUID or date format,
/// or a list of values.
#[derive(Debug, Default)]
pub struct ParamRules(HashMap<(String, String), Vec<Rule>>);

impl ParamRules {
    /// The rules of every operation's path and query parameters in the served document.
    /// A pattern that does not compile is an error (the document would promise what the
    /// gateway cannot check).
    pub fn from_served(doc: &Value) -> Result<Self, String> {
        let mut out = HashMap::new();
        let paths = doc["paths"]
            .as_object()
            .ok_or("the document has no paths")?;
        for (path, item) in paths {
            let Some(item) = item.as_object() else {
                continue;
            };
            for (method, op) in item {
                let mut rules = Vec::new();
                for p in op["parameters"].as_array().into_iter().flatten() {
                    let schema = &p["schema"];
                    let listed = schema["enum"].as_array().map(|values| {
                        let words: Vec<String> = values
                            .iter()
                            .map(|v| regex::escape(v.as_str().unwrap_or_default()))
                            .collect();
                        format!("^(?:{})$", words.join("|"))
                    });
                    let pattern = match (schema["pattern"].as_str(), schema["format"].as_str()) {
                        (Some(p), _) => p.to_owned(),
                        (None, Some("uuid")) => UUID.to_owned(),
                        (None, Some("date")) => DATE.to_owned(),
                        _ => match listed {
                            Some(p) => p,
                            None => continue,
                        },
                    };
                    let name = p["name"].as_str().unwrap_or_default().to_owned();
                    let pattern = Regex::new(&pattern)
                        .map_err(|e| format!("{method} {path} parameter {name}: {e}"))?;
                    rules.push(Rule {
                        name,
                        in_path: p["in"] == "path",
                        pattern,
                    });
                }
                if !rules.is_empty() {
                    out.insert((method.to_ascii_uppercase(), path.clone()), rules);
                }
            }
        }
        Ok(Self(out))
    }

    /// The first parameter of this request that breaks its rule: (name, message).
    fn broken(
        &self,
        method: &str,
        route: &str,
        path: &[(String, String)],
        query: Option<&str>,
    ) -> Option<(String, &'static str)> {
        let rules = self.0.get(&(method.to_owned(), route.to_owned()))?;
        let query: Vec<(String, String)> = query
            .and_then(|q| serde_urlencoded::from_str(q).ok())
            .unwrap_or_default();
        rules.iter().find_map(|r| {
            let values: Vec<&str> = if r.in_path {
                path.iter()
                    .filter(|(k, _)| *k == r.name)
                    .map(|(_, v)| v.as_str())
                    .collect()
            } else {
                query
                    .iter()
                    .filter(|(k, _)| *k == r.name)
                    .map(|(_, v)| v.as_str())
                    .collect()
            };
            values
                .iter()
                .any(|v| !r.pattern.is_match(v))
                .then(|| (r.name.clone(), message(&r.name, route)))
        })
    }
}

/// What to tell the caller, in the words the services use for the same value.
fn message(name: &str, route: &str) -> &'static str {
    match name {
        "office" => "Kode satker harus 4 digit angka (contoh: 1674).",
        "code" if route.contains("/offices/{code}") => {
            "Kode satker harus 4 digit angka (contoh: 1674)."
        }
        "code" => "Kode verifikasi tidak valid: huruf dan angka, paling banyak 16.",
        "tracking_code" => "Kode pelacakan tidak valid: 10 huruf dan angka.",
        "actor" => "ID petugas tidak valid (UUID).",
        "action" => "Jenis tindakan: huruf kecil, titik atau _, mis. staff. atau office.upsert.",
        "from" | "to" | "due_by" => "Tanggal harus berformat TTTT-BB-HH (contoh: 2026-12-07).",
        "subject" | "status" | "language" => "Bukan salah satu nilai yang tersedia.",
        "id" => "Pengenal tidak valid (UUID, contoh: 0190f3a2-7c4e-7d1b-9a55-3f1e2d4c5b6a).",
        _ => "Format tidak sesuai.",
    }
}

/// Answers 422 (the parameter named) to a request whose path or query parameter breaks
/// the document's rule for it, before any handler reads it.
pub async fn check_params(
    State(rules): State<Arc<ParamRules>>,
    req: Request,
    next: Next,
) -> Response {
    let Some(route) = req
        .extensions()
        .get::<MatchedPath>()
        .map(|m| m.as_str().to_owned())
    else {
        return next.run(req).await;
    };
    let (mut parts, body) = req.into_parts();
    let path: Vec<(String, String)> = RawPathParams::from_request_parts(&mut parts, &())
        .await
        .map(|p| {
            p.iter()
                .map(|(k, v)| (k.to_owned(), v.to_owned()))
                .collect()
        })
        .unwrap_or_default();
    // HEAD is answered by the GET handler, so it meets GET's rules.
    let method = if parts.method == axum::http::Method::HEAD {
        "GET"
    } else {
        parts.method.as_str()
    };
    if let Some((name, msg)) = rules.broken(method, &route, &path, parts.uri.query()) {
        crate::drain::drain(body.into_data_stream());
        return ApiError::field(&name, msg).into_response();
    }
    next.run(Request::from_parts(parts, body)).await
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rules() -> ParamRules {
        let settings = pst_kit::Settings::with_overrides::<&str, &str>(&[]).expect("settings");
        let doc = crate::openapi_document(&settings);
        ParamRules::from_served(&super::super::served(&doc).expect("served")).expect("rules")
    }

    fn path(k: &str, v: &str) -> Vec<(String, String)> {
        vec![(k.to_owned(), v.to_owned())]
    }

    #[test]
    fn office_codes_in_paths_are_exactly_four_digits() {
        let r = rules();
        let route = "/api/v1/offices/{office}/queue";
        assert!(
            r.broken("GET", route, &path("office", "1674"), None)
                .is_none()
        );
        for bad in [" 1674", "1674\n", "167", "16744", "abcd", ""] {
            let (name, _) = r
                .broken("GET", route, &path("office", bad), None)
                .unwrap_or_else(|| panic!("{bad:?} passed"));
            assert_eq!(name, "office");
        }
    }

    #[test]
    fn printed_ids_ids_and_query_codes_follow_the_document() {
        let r = rules();
        let verify = "/api/v1/documents/verify/{code}";
        assert!(
            r.broken("GET", verify, &path("code", "AB12CD34"), None)
                .is_none()
        );
        assert!(
            r.broken("GET", verify, &path("code", "\nk"), None)
                .is_some()
        );
        let one = "/api/v1/publications/{id}";
        let id = "0190f3a2-7c4e-7d1b-9a55-3f1e2d4c5b6a";
        assert!(r.broken("GET", one, &path("id", id), None).is_none());
        let simple = id.replace('-', "");
        assert_eq!(
            r.broken("GET", one, &path("id", &simple), None)
                .map(|b| b.0),
            Some("id".to_owned())
        );
        let search = "/api/v1/publications";
        assert!(
            r.broken("GET", search, &[], Some("q=sensus&office="))
                .is_none()
        );
        assert!(r.broken("GET", search, &[], Some("office=1674")).is_none());
        assert_eq!(
            r.broken("GET", search, &[], Some("q=x&office=%201674"))
                .map(|b| b.0),
            Some("office".to_owned())
        );
        assert!(r.broken("GET", search, &[], Some("office=%zz")).is_some());
        assert!(r.broken("GET", search, &[], Some("language=en")).is_none());
        let audit = "/api/v1/admin/audit";
        assert!(
            r.broken("GET", audit, &[], Some("actor=&action=staff."))
                .is_none()
        );
        for (bad, field) in [("actor=%C3%B4C", "actor"), ("action=Staff", "action")] {
            assert_eq!(
                r.broken("GET", audit, &[], Some(bad)).map(|b| b.0),
                Some(field.to_owned())
            );
        }
        let ikm = "/api/v1/offices/{office}/reports/ikm";
        let office = path("office", "1674");
        assert!(
            r.broken("GET", ikm, &office, Some("from=2026-12-01&to=2026-12-07"))
                .is_none()
        );
        assert_eq!(
            r.broken("GET", ikm, &office, Some("from=2026-12-01&to=2026-12-7"))
                .map(|b| b.0),
            Some("to".to_owned())
        );
        assert_eq!(
            r.broken("GET", search, &[], Some("language=en%20"))
                .map(|b| b.0),
            Some("language".to_owned())
        );
    }
}
