//! The web app's static files, embedded in the binary and served under content-hashed
//! names (`/aset/app.3f2a1b0c9d.css`) with `Cache-Control: immutable`: a new build changes
//! the name of whatever changed, so browsers never hold a stale copy and never re-ask.

use std::collections::HashMap;
use std::sync::LazyLock;

use axum::extract::Path;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use sha2::{Digest as _, Sha256};

// `FILES`: every file under `gateway/static/`, listed by build.rs.
include!(concat!(env!("OUT_DIR"), "/assets.rs"));

struct Asset {
    url: String,
    etag: String,
    mime: &'static str,
    bytes: &'static [u8],
}

struct Assets {
    /// Served path (after `/aset/`) -> asset.
    by_path: HashMap<String, usize>,
    /// Source name -> asset.
    by_name: HashMap<&'static str, usize>,
    list: Vec<Asset>,
}

/// `dir/name.ext` -> `dir/name.<hash>.ext`.
fn hashed_name(name: &str, hash: &str) -> String {
    match name.rsplit_once('.') {
        Some((stem, ext)) if !stem.ends_with('/') => format!("{stem}.{hash}.{ext}"),
        _ => format!("{name}.{hash}"),
    }
}

static ASSETS: LazyLock<Assets> = LazyLock::new(|| {
    let mut a = Assets {
        by_path: HashMap::new(),
        by_name: HashMap::new(),
        list: Vec::new(),
    };
    for (i, (name, mime, bytes)) in FILES.iter().enumerate() {
        let hash = hex::encode(&Sha256::digest(bytes)[..5]);
        let path = hashed_name(name, &hash);
        a.by_path.insert(path.clone(), i);
        a.by_name.insert(name, i);
        a.list.push(Asset {
            url: format!("/aset/{path}"),
            etag: format!("\"{hash}\""),
            mime,
            bytes,
        });
    }
    a
});

/// The URL of an embedded file, e.g. `url("app.css")` -> `/aset/app.3f2a1b0c9d.css`.
///
/// # Panics
/// On a name that is not embedded: a template bug that the page tests find at once.
pub fn url(name: &str) -> &'static str {
    let i = ASSETS
        .by_name
        .get(name)
        .unwrap_or_else(|| panic!("BUG: asset {name:?} is not embedded"));
    &ASSETS.list[*i].url
}

/// The source names of every embedded file (e.g. `suara/satu.ogg`).
pub fn names() -> impl Iterator<Item = &'static str> {
    FILES.iter().map(|(name, _, _)| *name)
}

/// `GET /aset/{*path}`: only content-hashed names exist.
pub async fn serve(Path(path): Path<String>) -> Response {
    let Some(asset) = ASSETS.by_path.get(&path).map(|i| &ASSETS.list[*i]) else {
        return (StatusCode::NOT_FOUND, "Berkas tidak ditemukan.").into_response();
    };
    let mut res = asset.bytes.into_response();
    let h = res.headers_mut();
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static(asset.mime));
    h.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("public, max-age=31536000, immutable"),
    );
    if let Ok(v) = HeaderValue::from_str(&asset.etag) {
        h.insert(header::ETAG, v);
    }
    res
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_carry_the_content_hash_before_the_extension() {
        assert_eq!(hashed_name("app.css", "abc"), "app.abc.css");
        assert_eq!(
            hashed_name("vendor/pdfjs/pdf.worker.min.mjs", "abc"),
            "vendor/pdfjs/pdf.worker.min.abc.mjs"
        );
        let u = url("app.css");
        assert!(
            u.starts_with("/aset/app.") && u.ends_with(".css") && u.len() > 20,
            "{u}"
        );
    }

    #[test]
    fn every_embedded_file_has_a_distinct_served_path() {
        assert_eq!(ASSETS.by_path.len(), FILES.len());
        for name in [
            "app.css",
            "vendor/pdfjs/pdf.worker.min.mjs",
            "suara/chime.ogg",
        ] {
            assert!(ASSETS.by_name.contains_key(name), "{name} is embedded");
        }
    }
}
