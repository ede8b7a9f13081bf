//! Ending access before a token's 15 minutes are up. Identity writes to Redis when an
//! account is disabled, changes role or office, or changes or resets its password (every
//! token of the user issued before then is void) and on logout (that session's tokens are
//! void); every service's gRPC server checks each call's token against it
//! ([`RevocationLayer`]), so access ends within about a second everywhere.
//!
//! A Redis outage does not stop the service: the check is skipped with an error logged
//! (tokens still expire on their own), which is the trade the office asked for.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll};
use std::time::{Duration, Instant};

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD as B64URL;
use futures::future::BoxFuture;
use redis::AsyncCommands as _;
use uuid::Uuid;

use crate::auth::Claims;

/// How long one answer is reused by a service instance.
const CACHE_FOR: Duration = Duration::from_secs(1);
const CACHE_MAX: usize = 10_000;

/// A token as the list knows it: its user and session.
type TokenKey = (Uuid, Option<Uuid>);

/// The revocation list in Redis, with a one-second local cache.
#[derive(Clone)]
pub struct Revocations {
    conn: crate::redis::Conn,
    prefix: String,
    /// Keys live as long as the tokens they void can.
    ttl_secs: u64,
    cache: Arc<Mutex<HashMap<TokenKey, (Instant, bool)>>>,
}

impl std::fmt::Debug for Revocations {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Revocations")
            .field("prefix", &self.prefix)
            .finish_non_exhaustive()
    }
}

impl Revocations {
    pub fn new(conn: crate::redis::Conn, prefix: &str, access_ttl_secs: u32) -> Self {
        Self {
            conn,
            prefix: prefix.to_owned(),
            ttl_secs: u64::from(access_ttl_secs) + 60,
            cache: Arc::default(),
        }
    }

    /// From the settings: the shared Redis (lazily connected) and the access-token lifetime.
    pub fn from_settings(settings: &crate::Settings) -> anyhow::Result<Self> {
        Ok(Self::new(
            crate::redis::connect(&settings.redis)?,
            &settings.redis.prefix,
            settings.auth.access_ttl_secs,
        ))
    }

    fn user_key(&self, user: Uuid) -> String {
        format!("{}revoked:u:{user}", self.prefix)
    }

    fn session_key(&self, sid: Uuid) -> String {
        format!("{}revoked:s:{sid}", self.prefix)
    }

    /// Every token of `user` issued before now (to the millisecond) is void.
    pub async fn revoke_user(&self, user: Uuid) -> Result<(), redis::RedisError> {
        let now = chrono::Utc::now().timestamp_millis();
        self.conn
            .clone()
            .set_ex::<_, _, ()>(self.user_key(user), now, self.ttl_secs)
            .await
    }

    /// Every token of one session (a refresh-token family) is void.
    pub async fn revoke_session(&self, sid: Uuid) -> Result<(), redis::RedisError> {
        self.conn
            .clone()
            .set_ex::<_, _, ()>(self.session_key(sid), 1, self.ttl_secs)
            .await
    }

    /// Is this token void? (Redis unreachable: not known to be, and logged.)
    pub async fn is_revoked(&self, claims: &Claims) -> bool {
        let key = (claims.sub, claims.sid);
        if let Some((at, revoked)) = self.cache.lock().expect("BUG: cache poisoned").get(&key)
            && at.elapsed() < CACHE_FOR
        {
            return *revoked;
        }
        let keys = vec![
            self.user_key(claims.sub),
            claims.sid.map_or_else(
                || format!("{}revoked:none", self.prefix),
                |s| self.session_key(s),
            ),
        ];
        let found: Result<Vec<Option<i64>>, _> = self.conn.clone().mget(keys).await;
        let revoked = match found {
            Ok(v) => {
                let user_before = v.first().copied().flatten();
                let session = v.get(1).copied().flatten();
                user_before.is_some_and(|nb| claims.issued_ms() < nb) || session.is_some()
            }
            Err(e) => {
                tracing::error!(error = %e, "revocation list unreachable; token accepted on its signature and expiry alone");
                return false;
            }
        };
        let mut cache = self.cache.lock().expect("BUG: cache poisoned");
        if cache.len() >= CACHE_MAX {
            cache.clear();
        }
        cache.insert(key, (Instant::now(), revoked));
        revoked
    }
}

/// The claims of a bearer token, read without checking its signature: only to look it up
/// in the revocation list (the service verifies the token itself before trusting it).
pub fn unverified_claims(authorization: &str) -> Option<Claims> {
    let token = authorization.strip_prefix("Bearer ")?;
    let payload = token.split('.').nth(1)?;
    let bytes = B64URL.decode(payload).ok()?;
    serde_json::from_slice(&bytes).ok()
}

/// Refuses, before the service sees it, a call whose token is on the revocation list.
#[derive(Debug, Clone)]
pub struct RevocationLayer(pub Option<Revocations>);

impl<S> tower::Layer<S> for RevocationLayer {
    type Service = RevocationService<S>;

    fn layer(&self, inner: S) -> Self::Service {
        RevocationService {
            inner,
            list: self.0.clone(),
        }
    }
}

#[derive(Debug, Clone)]
pub struct RevocationService<S> {
    inner: S,
    list: Option<Revocations>,
}

impl<S, B, R> tower::Service<http::Request<B>> for RevocationService<S>
where
    S: tower::Service<http::Request<B>, Response = http::Response<R>> + Clone + Send + 'static,
    S::Future: Send + 'static,
    B: Send + 'static,
    R: Default + Send + 'static,
{
    type Response = S::Response;
    type Error = S::Error;
    type Future = BoxFuture<'static, Result<Self::Response, Self::Error>>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), Self::Error>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, req: http::Request<B>) -> Self::Future {
        let clone = self.inner.clone();
        let mut inner = std::mem::replace(&mut self.inner, clone);
        let list = self.list.clone();
        Box::pin(async move {
            if let Some(list) = list
                && let Some(claims) = req
                    .headers()
                    .get("authorization")
                    .and_then(|v| v.to_str().ok())
                    .and_then(unverified_claims)
                && list.is_revoked(&claims).await
            {
                tracing::info!(user = %claims.sub, "call refused: the token was revoked");
                return Ok(tonic::Status::unauthenticated(
                    "Sesi sudah berakhir (keluar, kata sandi diganti, atau akun diubah); silakan masuk kembali.",
                )
                .into_http());
            }
            inner.call(req).await
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn claims_are_read_from_the_payload_only() {
        let claims = serde_json::json!({ "sub": Uuid::nil(), "role": "visitor", "iss": "pst", "iat": 1, "exp": 2, "sid": Uuid::nil() });
        let token = format!("x.{}.y", B64URL.encode(claims.to_string()));
        let c = unverified_claims(&format!("Bearer {token}")).expect("claims");
        assert_eq!((c.iat, c.sid), (1, Some(Uuid::nil())));
        assert_eq!(
            c.issued_ms(),
            1000,
            "an older token without iat_ms counts from iat"
        );
        assert!(unverified_claims("Basic abc").is_none());
        assert!(unverified_claims("Bearer not-a-token").is_none());
    }
}
