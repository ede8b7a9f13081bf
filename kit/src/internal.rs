//! What the gateway tells the services about a request that only the gateway can know:
//! the client's address. It travels as `x-client-ip` with `x-client-ip-sig`, an HMAC over
//! the address and the current minute under `auth.internal_key` (a key only the gateway
//! and the services hold). A service believes the address only with a valid signature;
//! otherwise it uses the address the call came from, so a pod inside the cluster cannot
//! pick an address to dodge the per-client limits.

use std::sync::OnceLock;

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD as B64URL;
use hmac::{Hmac, Mac};
use sha2::Sha256;

/// The shared key, installed once per process (every component of `pst all` shares it).
static KEY: OnceLock<[u8; 32]> = OnceLock::new();

/// Installs the key from the settings: required in production, a development key
/// otherwise (`auth.dev_secrets_dir`, filled by [`crate::secrets::ensure_dev_secrets`]).
pub fn install(settings: &crate::Settings) -> anyhow::Result<()> {
    use secrecy::ExposeSecret as _;
    let raw = settings.auth.internal_key.expose_secret();
    let key = if raw.is_empty() {
        anyhow::ensure!(
            !settings.is_production(),
            "auth.internal_key (PST_AUTH__INTERNAL_KEY) is required: base64 of 32 random bytes, the same for the gateway and every service (`pst keygen` makes one)"
        );
        // A process on its own (a test): a key of its own; components in other processes
        // then see unsigned addresses and fall back to the calling peer's.
        crate::secrets::random_key32()
    } else {
        crate::secrets::decode_key32(raw).map_err(|e| anyhow::anyhow!("auth.internal_key: {e}"))?
    };
    // A second install in the same process (pst all) brings the same key.
    let _ = KEY.set(key);
    Ok(())
}

fn mac(key: &[u8; 32], ip: &str, minute: i64) -> String {
    let mut m = Hmac::<Sha256>::new_from_slice(key).expect("BUG: HMAC takes any key length");
    m.update(ip.as_bytes());
    m.update(b"|");
    m.update(minute.to_string().as_bytes());
    B64URL.encode(m.finalize().into_bytes())
}

fn minute_now() -> i64 {
    chrono::Utc::now().timestamp().div_euclid(60)
}

/// The signature the gateway sends with `ip` (None before [`install`]).
pub fn sign(ip: &str) -> Option<String> {
    KEY.get().map(|k| mac(k, ip, minute_now()))
}

/// Is `sig` the gateway's signature of `ip` (this minute or the last)?
pub fn verify(ip: &str, sig: &str) -> bool {
    let Some(k) = KEY.get() else {
        return false;
    };
    let now = minute_now();
    [now, now - 1].iter().any(|m| {
        let want = mac(k, ip, *m);
        want.len() == sig.len()
            && want
                .bytes()
                .zip(sig.bytes())
                .fold(0u8, |acc, (a, b)| acc | (a ^ b))
                == 0
    })
}

/// The client address of a call: the gateway's word when it is signed, the calling
/// peer's address otherwise.
pub fn client_ip<T>(req: &tonic::Request<T>) -> String {
    let md = req.metadata();
    let header = |n: &str| md.get(n).and_then(|v| v.to_str().ok()).map(str::trim);
    if let (Some(ip), Some(sig)) = (header("x-client-ip"), header("x-client-ip-sig"))
        && !ip.is_empty()
        && ip.len() <= 64
        && verify(ip, sig)
    {
        return ip.to_owned();
    }
    req.remote_addr()
        .map_or_else(|| "unknown".to_owned(), |a| a.ip().to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_signature_holds_for_its_address_and_minute_only() {
        let k = [7u8; 32];
        let m = minute_now();
        let s = mac(&k, "203.0.113.7", m);
        assert_eq!(s, mac(&k, "203.0.113.7", m));
        assert_ne!(s, mac(&k, "203.0.113.8", m));
        assert_ne!(s, mac(&k, "203.0.113.7", m - 2));
        assert_ne!(s, mac(&[8u8; 32], "203.0.113.7", m));
    }
}
