//! The document as served: what the generated document cannot say by itself, added
//! after it is built: the request bodies' rules ([`RULES`]), open copies of closed
//! schemas for views, response descriptions, binary bodies, who may call each operation
//! (`x-roles`), links for a client's next step, and the text rules every request string
//! obeys.

use axum::http::StatusCode;
use utoipa::openapi::OpenApi;

/// What the request bodies' fields must be, as the services validate them: JSON-schema
/// keywords per schema and property (`_required` replaces a schema's required list).
const RULES: &str = include_str!("rules.json");

type Link = (&'static str, &'static str, &'static str, &'static str);

/// (path, method, status, [(link name, operationId, parameter, runtime expression)]).
const LINKS: &[(&str, &str, &str, &[Link])] = &[
    (
        "/api/v1/offices",
        "get",
        "200",
        &[
            (
                "take_ticket",
                "take_ticket",
                "office",
                "$response.body#/0/code",
            ),
            ("board", "get_board", "office", "$response.body#/0/code"),
            ("floor", "get_floor", "office", "$response.body#/0/code"),
            ("setup", "office_setup", "office", "$response.body#/0/code"),
        ],
    ),
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
            let roles = super::ROLES
                .iter()
                .find(|(r, _)| *r == route)
                .map(|(_, roles)| *roles)
                .ok_or_else(|| format!("openapi/roles.rs: no row for {route}"))?;
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
    if let Some((stale, _)) = super::ROLES.iter().find(|(r, _)| !named.contains(*r)) {
        return Err(format!("openapi/roles.rs: {stale} is no route"));
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
            .ok_or_else(|| format!("openapi/rules.json: no schema {schema}"))?;
        for (prop, keywords) in props.as_object().into_iter().flatten() {
            if prop == "_required" {
                target["required"] = keywords.clone();
                continue;
            }
            let p = target["properties"]
                .get_mut(prop)
                .ok_or_else(|| format!("openapi/rules.json: no property {schema}.{prop}"))?;
            for (k, val) in keywords.as_object().into_iter().flatten() {
                p[k] = val.clone();
            }
        }
    }
    request_text_rules(&mut v)?;
    Ok(v)
}

/// Text the gateway refuses everywhere, said where a client can see it: no request string
/// may hold NUL (422 `INVALID_CHARACTER`), so every string field of a request body that
/// has no pattern of its own gets one that says so; and the CSV import's body starts
/// with the catalogue's header line.
fn request_text_rules(v: &mut serde_json::Value) -> Result<(), String> {
    const NO_NUL: &str = "^[^\\u0000]*$";
    let mut bodies = std::collections::BTreeSet::new();
    for item in v["paths"].as_object().into_iter().flat_map(|p| p.values()) {
        for op in item.as_object().into_iter().flat_map(|o| o.values()) {
            if let Some(r) = op
                .pointer("/requestBody/content/application~1json/schema/$ref")
                .and_then(|r| r.as_str())
                && let Some(name) = r.strip_prefix("#/components/schemas/")
            {
                bodies.insert(name.to_owned());
            }
        }
    }
    fn is_string(s: &serde_json::Value) -> bool {
        match &s["type"] {
            serde_json::Value::String(t) => t == "string",
            serde_json::Value::Array(ts) => ts.iter().any(|t| t == "string"),
            _ => false,
        }
    }
    fn no_nul(s: &mut serde_json::Value) {
        let free = |s: &serde_json::Value| {
            is_string(s)
                && s.get("pattern").is_none()
                && s.get("format").is_none()
                && s.get("enum").is_none()
        };
        if free(s) {
            s["pattern"] = NO_NUL.into();
        } else if is_string(s) && s.get("pattern").is_some() {
            // A pattern of its own (it may allow NUL): NUL is ruled out beside it.
            // (`not` of a string rule: a null, where one is allowed, stays allowed.)
            s["not"] = serde_json::json!({ "type": "string", "pattern": "\\u0000" });
        } else if let Some(items) = s.get_mut("items")
            && free(items)
        {
            items["pattern"] = NO_NUL.into();
        }
    }
    let schemas = v["components"]["schemas"]
        .as_object_mut()
        .ok_or("the document has no schemas")?;
    for name in &bodies {
        let schema = schemas
            .get_mut(name)
            .ok_or_else(|| format!("request body {name}: no such schema"))?;
        for prop in schema
            .get_mut("properties")
            .and_then(|p| p.as_object_mut())
            .into_iter()
            .flat_map(|p| p.values_mut())
        {
            no_nul(prop);
        }
    }
    // A PATCH sends only what changes: its body is the create body with nothing required.
    let mut patch = schemas
        .get("PublicationFields")
        .cloned()
        .ok_or("no schema PublicationFields")?;
    if let Some(o) = patch.as_object_mut() {
        o.remove("required");
    }
    // ... and a field sent as null is one not sent (it stays as it is).
    for prop in patch
        .get_mut("properties")
        .and_then(|p| p.as_object_mut())
        .into_iter()
        .flat_map(|p| p.values_mut())
    {
        if let Some(t) = prop.get("type").and_then(|t| t.as_str()).map(str::to_owned) {
            prop["type"] = serde_json::json!([t, "null"]);
        }
        if let Some(values) = prop.get_mut("enum").and_then(|e| e.as_array_mut())
            && !values.contains(&serde_json::Value::Null)
        {
            values.push(serde_json::Value::Null);
        }
    }
    schemas.insert("PublicationPatch".to_owned(), patch);
    let body = v
        .pointer_mut("/paths/~1api~1v1~1publications~1{id}/patch/requestBody/content/application~1json/schema")
        .ok_or("PATCH /api/v1/publications/{id} has no JSON body")?;
    *body = serde_json::json!({ "$ref": "#/components/schemas/PublicationPatch" });
    let csv = v
        .pointer_mut(
            "/paths/~1api~1v1~1publications~1import/post/requestBody/content/text~1csv/schema",
        )
        .ok_or("POST /api/v1/publications/import has no text/csv body")?;
    csv["pattern"] = format!(
        "^\\ufeff?{}(\\r?\\n[\\s\\S]*)?$",
        pst_kit::csv::PUBLICATION_COLUMNS.join(",")
    )
    .into();
    csv["description"] = "UTF-8 CSV: the header line as the export writes it, then one row per publication. (The import also reads the columns in any order, and only office_code, title, subject and language are required.)"
        .into();
    Ok(())
}
