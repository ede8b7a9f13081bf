//! The OpenAPI 3 document, generated from the handlers' annotations and served at
//! `/api/openapi.json`.

use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::openapi::{InfoBuilder, OpenApi};

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
