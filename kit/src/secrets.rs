//! Secrets from configuration. In development, a missing key is generated once into
//! `auth.dev_secrets_dir` (git-ignored) so a fresh clone runs; in production a missing
//! key stops the start with a clear message. Secrets never reach logs.

use std::path::Path;

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as B64;
use rand::RngCore;
use secrecy::{ExposeSecret, SecretString};

use crate::Settings;

pub fn decode_key32(b64: &str) -> Result<[u8; 32], String> {
    if b64.trim().is_empty() {
        return Err("belum diisi (not set); `pst keygen` makes one".to_owned());
    }
    let bytes = B64
        .decode(b64.trim())
        .map_err(|_| "bukan base64 yang valid".to_owned())?;
    bytes
        .try_into()
        .map_err(|_| "harus tepat 32 byte".to_owned())
}

pub fn random_key32() -> [u8; 32] {
    let mut k = [0u8; 32];
    rand::rngs::OsRng.fill_bytes(&mut k);
    k
}

/// In development, fills `auth.signing_key`, `auth.public_key`, `identity.data_key`,
/// `visit.data_key`, `watermark.mark_key` and `auth.internal_key` when they are empty:
/// from `dev_secrets_dir`, creating the files there on first use. Never in production.
pub fn ensure_dev_secrets(settings: &mut Settings) -> anyhow::Result<()> {
    let missing_signing = settings.auth.signing_key.expose_secret().is_empty();
    let missing_data = settings.identity.data_key.expose_secret().is_empty();
    let missing_visit = settings.visit.data_key.expose_secret().is_empty();
    let missing_mark = settings.watermark.mark_key.expose_secret().is_empty();
    let missing_internal = settings.auth.internal_key.expose_secret().is_empty();
    if !missing_signing
        && !missing_data
        && !missing_visit
        && !missing_mark
        && !missing_internal
        && !settings.auth.public_key.is_empty()
    {
        return Ok(());
    }
    if settings.is_production() {
        // Nothing is generated in production: each component checks the keys it needs
        // when it starts, and names the missing setting.
        return Ok(());
    }
    let dir = Path::new(&settings.auth.dev_secrets_dir);
    if missing_signing {
        let seed = load_or_create(dir, "signing.key")?;
        settings.auth.signing_key = SecretString::from(B64.encode(seed));
    }
    if settings.auth.public_key.is_empty() {
        let seed = decode_key32(settings.auth.signing_key.expose_secret())
            .map_err(|e| anyhow::anyhow!("auth.signing_key: {e}"))?;
        settings.auth.public_key = B64.encode(crate::auth::public_key_of(&seed));
    }
    if missing_data {
        let key = load_or_create(dir, "data.key")?;
        settings.identity.data_key = SecretString::from(B64.encode(key));
    }
    if missing_visit {
        let key = load_or_create(dir, "visit-data.key")?;
        settings.visit.data_key = SecretString::from(B64.encode(key));
    }
    if missing_mark {
        let key = load_or_create(dir, "mark.key")?;
        settings.watermark.mark_key = SecretString::from(B64.encode(key));
    }
    if missing_internal {
        let key = load_or_create(dir, "internal.key")?;
        settings.auth.internal_key = SecretString::from(B64.encode(key));
    }
    Ok(())
}

fn load_or_create(dir: &Path, name: &str) -> anyhow::Result<[u8; 32]> {
    let path = dir.join(name);
    if let Ok(text) = std::fs::read_to_string(&path) {
        return decode_key32(&text).map_err(|e| anyhow::anyhow!("{}: {e}", path.display()));
    }
    std::fs::create_dir_all(dir)?;
    let key = random_key32();
    match write_private(&path, &B64.encode(key)) {
        Ok(()) => {}
        // Another component of this installation created it first: use theirs.
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
            std::thread::sleep(std::time::Duration::from_millis(50));
            let text = std::fs::read_to_string(&path)?;
            return decode_key32(&text).map_err(|e| anyhow::anyhow!("{}: {e}", path.display()));
        }
        Err(e) => return Err(e.into()),
    }
    tracing::warn!(path = %path.display(), "created a development secret; never use it in production");
    Ok(key)
}

#[cfg(unix)]
fn write_private(path: &Path, text: &str) -> std::io::Result<()> {
    use std::io::Write as _;
    use std::os::unix::fs::OpenOptionsExt as _;
    let mut f = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(path)?;
    f.write_all(text.as_bytes())
}

#[cfg(not(unix))]
fn write_private(path: &Path, text: &str) -> std::io::Result<()> {
    std::fs::write(path, text)
}
