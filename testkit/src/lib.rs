//! Helpers every PST Pustaka test suite needs: isolated settings (own databases, Redis
//! prefix, keys), bearer metadata, the stable code and field list of a gRPC status, and
//! tokens read back from the mail outbox. Used only as a dev-dependency.

use std::path::Path;

use base64::Engine as _;
use pst_kit::Settings;

/// A fresh signing seed and the settings variables that carry it (and both data keys).
#[derive(Debug, Clone)]
pub struct Keys {
    pub seed: [u8; 32],
}

impl Keys {
    pub fn new() -> Self {
        Self {
            seed: pst_kit::secrets::random_key32(),
        }
    }

    pub fn signer(&self) -> pst_kit::auth::TokenSigner {
        pst_kit::auth::TokenSigner::from_seed(&self.seed, "pst-identity", 900)
    }

    pub fn vars(&self) -> Vec<(String, String)> {
        let b64 = |k: [u8; 32]| base64::engine::general_purpose::STANDARD.encode(k);
        vec![
            ("PST_AUTH__SIGNING_KEY".into(), b64(self.seed)),
            (
                "PST_AUTH__PUBLIC_KEY".into(),
                b64(pst_kit::auth::public_key_of(&self.seed)),
            ),
            (
                "PST_IDENTITY__DATA_KEY".into(),
                b64(pst_kit::secrets::random_key32()),
            ),
            (
                "PST_VISIT__DATA_KEY".into(),
                b64(pst_kit::secrets::random_key32()),
            ),
            (
                "PST_WATERMARK__MARK_KEY".into(),
                b64(pst_kit::secrets::random_key32()),
            ),
            // One process holds one internal key (`kit::internal`): the same for every test.
            ("PST_AUTH__INTERNAL_KEY".into(), b64([42u8; 32])),
        ]
    }
}

impl Default for Keys {
    fn default() -> Self {
        Self::new()
    }
}

/// A short unique id for database names, Redis prefixes and folders of one test.
pub fn unique_id() -> String {
    uuid::Uuid::new_v4().simple().to_string()[..12].to_owned()
}

/// Variables isolating one test: databases `pst_t_<id>_*`, Redis prefix `t<id>:`, and
/// `PST_TEST_DATABASE_URL` as the server when set.
pub fn isolation_vars(id: &str) -> Vec<(String, String)> {
    let mut v = vec![
        ("PST_DATABASE__PREFIX".to_owned(), format!("pst_t_{id}_")),
        ("PST_REDIS__PREFIX".to_owned(), format!("t{id}:")),
    ];
    if let Ok(url) = std::env::var("PST_TEST_DATABASE_URL") {
        v.push(("PST_DATABASE__URL".to_owned(), url));
    }
    v
}

/// Settings for one in-process test: isolation, keys, then `extra`.
pub fn settings(keys: &Keys, extra: &[(&str, &str)]) -> Settings {
    let mut vars = isolation_vars(&unique_id());
    vars.push(("PST_DATABASE__MAX_CONNECTIONS".into(), "10".into()));
    vars.extend(keys.vars());
    vars.extend(
        extra
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned())),
    );
    Settings::with_overrides(&vars).expect("test settings")
}

/// `msg` with `authorization: Bearer <token>`.
pub fn with_token<T>(msg: T, token: &str) -> tonic::Request<T> {
    let mut req = tonic::Request::new(msg);
    req.metadata_mut().insert(
        "authorization",
        format!("Bearer {token}").parse().expect("ascii token"),
    );
    req
}

/// The stable error code (ErrorInfo reason) of a status.
pub fn code_of(s: &tonic::Status) -> String {
    use tonic_types::StatusExt as _;
    s.get_error_details()
        .error_info()
        .map(|i| i.reason.clone())
        .unwrap_or_default()
}

/// The fields named by a status's BadRequest details.
pub fn fields_of(s: &tonic::Status) -> Vec<String> {
    use tonic_types::StatusExt as _;
    s.get_error_details()
        .bad_request()
        .map(|b| b.field_violations.iter().map(|v| v.field.clone()).collect())
        .unwrap_or_default()
}

/// The newest token mailed to `to` whose link contains `path` (e.g. "verifikasi-email").
pub fn mailed_token(outbox: &Path, to: &str, path: &str) -> Option<String> {
    let mut files: Vec<_> = std::fs::read_dir(outbox)
        .ok()?
        .filter_map(Result::ok)
        .map(|e| e.path())
        .collect();
    files.sort();
    files.iter().rev().find_map(|f| {
        // Long lines arrive quoted-printable: undo soft breaks and the escaped '='.
        let text = std::fs::read_to_string(f)
            .ok()?
            .replace("=\r\n", "")
            .replace("=3D", "=");
        if !text.lines().any(|l| l.starts_with("To:") && l.contains(to)) {
            return None;
        }
        let marker = format!("{path}?token=");
        let start = text.find(&marker)? + marker.len();
        Some(
            text[start..]
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_')
                .collect(),
        )
    })
}
