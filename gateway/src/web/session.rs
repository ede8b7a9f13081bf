//! Browser sessions: the access and refresh tokens live in HttpOnly, SameSite=Lax cookies
//! (Secure when the app is served over HTTPS); an access token about to expire is replaced
//! transparently with the rotating refresh token; every state-changing request carries a
//! CSRF token (form field `csrf` or header `X-CSRF-Token`) equal to the `pst_csrf` cookie.
//! The JSON API never reads these cookies: it keeps bearer tokens.

use std::collections::HashMap;
use std::time::{Duration, Instant};

use axum::body::Body;
use axum::extract::{FromRequestParts, Request, State};
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use base64::Engine as _;
use sha2::{Digest as _, Sha256};
use subtle::ConstantTimeEq as _;

use pst_proto::identity as pb;

use super::error::{NeedsSignIn, PageError};
use crate::ctx::Ctx;
use crate::state::AppState;

pub const ACCESS: &str = "pst_at";
pub const REFRESH: &str = "pst_rt";
pub const CSRF: &str = "pst_csrf";
/// Lifetime of the CSRF cookie (renewed at every sign-in).
const CSRF_TTL_SECS: u64 = 7 * 24 * 3600;
/// Form posts larger than this are not read for their CSRF field (uploads use the header).
const FORM_LIMIT: usize = 256 * 1024;
const IMPORT_FORM_LIMIT: usize = 12 * 1024 * 1024;
/// An access token closer than this to its expiry is refreshed before it is used.
const EXPIRY_MARGIN_SECS: i64 = 30;
/// A refresh answer is reused for the same (already rotated) refresh token this long, so a
/// page's parallel requests (a reader's ranges) do not present a used token and end the
/// session family.
const REUSE_WINDOW: Duration = Duration::from_secs(60);

/// Who is signed in, from the access token's claims (the services verify its signature).
#[derive(Debug, Clone)]
pub struct SessionUser {
    pub role: String,
    pub office: String,
}

/// The browser session of a web request, put in the request's extensions by [`middleware`].
#[derive(Debug, Clone)]
pub struct Session {
    pub csrf: String,
    access: Option<String>,
    pub user: Option<SessionUser>,
    /// The session could not be refreshed because identity is unavailable.
    pub refresh_unavailable: bool,
}

impl Session {
    /// A context carrying this session's bearer token, for calls to the services.
    pub fn ctx(&self, base: Ctx) -> Ctx {
        base.with_bearer(self.access.as_deref())
    }

    /// The signed-in user, or a redirect to the sign-in page (and back here after).
    pub fn require_user(&self) -> Result<&SessionUser, PageError> {
        if self.refresh_unavailable {
            return Err(PageError::unavailable());
        }
        self.user.as_ref().ok_or(PageError::SignIn)
    }
}

impl FromRequestParts<AppState> for Session {
    type Rejection = PageError;

    async fn from_request_parts(parts: &mut Parts, _: &AppState) -> Result<Self, PageError> {
        parts
            .extensions
            .get::<Session>()
            .cloned()
            .ok_or_else(|| PageError::internal("web session middleware missing"))
    }
}

type Slot = std::sync::Arc<tokio::sync::Mutex<Option<(Instant, pb::TokenPair)>>>;

/// Refresh answers by the hash of the refresh token they replaced: one call per token at a
/// time (a page's parallel requests wait for it and share its answer); other tokens are
/// refreshed in parallel.
#[derive(Debug, Default)]
pub struct RefreshCache {
    slots: std::sync::Mutex<HashMap<[u8; 32], (Instant, Slot)>>,
}

/// Most refresh slots kept (older ones are dropped first; a dropped slot only means a
/// second refresh call).
const MAX_SLOTS: usize = 20_000;

pub fn cookies(headers: &HeaderMap) -> HashMap<String, String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|kv| kv.trim().split_once('='))
        .map(|(k, v)| (k.to_owned(), v.to_owned()))
        .collect()
}

fn random_token() -> String {
    let mut b = [0u8; 32];
    rand::Rng::fill(&mut rand::thread_rng(), &mut b);
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(b)
}

/// `exp`, `role` and `office` of a JWT, read without checking the signature: only to decide
/// whether to refresh and what to show. Every service verifies the token itself.
fn claims(token: &str) -> Option<(i64, SessionUser)> {
    let payload = token.split('.').nth(1)?;
    let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(payload)
        .ok()?;
    let v: serde_json::Value = serde_json::from_slice(&bytes).ok()?;
    Some((
        v.get("exp")?.as_i64()?,
        SessionUser {
            role: v.get("role")?.as_str()?.to_owned(),
            office: v
                .get("office")
                .and_then(|o| o.as_str())
                .unwrap_or_default()
                .to_owned(),
        },
    ))
}

fn set_cookie(secure: bool, name: &str, value: &str, max_age: u64) -> HeaderValue {
    let secure = if secure { "; Secure" } else { "" };
    HeaderValue::from_str(&format!(
        "{name}={value}; Path=/; Max-Age={max_age}; HttpOnly; SameSite=Lax{secure}"
    ))
    .unwrap_or_else(|_| HeaderValue::from_static("pst_invalid=; Max-Age=0"))
}

/// Set-Cookie headers that store a token pair.
pub fn store_tokens(secure: bool, refresh_ttl: u64, t: &pb::TokenPair) -> Vec<HeaderValue> {
    vec![
        set_cookie(secure, ACCESS, &t.access_token, u64::from(t.expires_in)),
        set_cookie(secure, REFRESH, &t.refresh_token, refresh_ttl),
    ]
}

/// Set-Cookie headers that start a session: its tokens and a new CSRF token, so a token
/// planted or seen before sign-in is worth nothing after it.
pub fn start_session(secure: bool, refresh_ttl: u64, t: &pb::TokenPair) -> Vec<HeaderValue> {
    let mut v = store_tokens(secure, refresh_ttl, t);
    v.push(set_cookie(secure, CSRF, &random_token(), CSRF_TTL_SECS));
    v
}

/// Set-Cookie headers that end the session (the CSRF cookie stays).
pub fn clear_tokens(secure: bool) -> Vec<HeaderValue> {
    vec![
        set_cookie(secure, ACCESS, "", 0),
        set_cookie(secure, REFRESH, "", 0),
    ]
}

/// The refresh token of a request, for logout.
pub fn refresh_token(headers: &HeaderMap) -> Option<String> {
    cookies(headers).remove(REFRESH).filter(|v| !v.is_empty())
}

async fn refresh(
    s: &AppState,
    ctx: &Ctx,
    refresh_token: &str,
) -> Result<pb::TokenPair, tonic::Status> {
    let key: [u8; 32] = Sha256::digest(refresh_token.as_bytes()).into();
    let slot = {
        let mut slots = s
            .web
            .refresh
            .slots
            .lock()
            .expect("BUG: refresh slots lock poisoned");
        let now = Instant::now();
        if slots.len() >= MAX_SLOTS {
            slots.retain(|_, (at, _)| now.duration_since(*at) < REUSE_WINDOW);
            if slots.len() >= MAX_SLOTS {
                slots.clear();
            }
        }
        slots
            .entry(key)
            .or_insert_with(|| (now, Slot::default()))
            .1
            .clone()
    };
    let mut cached = slot.lock().await;
    if let Some((at, pair)) = cached.as_ref()
        && at.elapsed() < REUSE_WINDOW
    {
        return Ok(pair.clone());
    }
    let pair = s
        .identity
        .clone()
        .refresh(ctx.request(pb::RefreshRequest {
            refresh_token: refresh_token.to_owned(),
        }))
        .await?
        .into_inner();
    *cached = Some((Instant::now(), pair.clone()));
    Ok(pair)
}

/// The CSRF token a state-changing request carries: header, else the urlencoded form field.
/// Returns the request rebuilt (its body was read to find the field).
async fn presented_csrf(req: Request) -> (Option<String>, Request) {
    if let Some(v) = req
        .headers()
        .get("x-csrf-token")
        .and_then(|v| v.to_str().ok())
    {
        return (Some(v.to_owned()), req);
    }
    let is_form = req
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/x-www-form-urlencoded"));
    if !is_form {
        return (None, req);
    }
    let (parts, body) = req.into_parts();
    // The CSV import is the one form that carries a file's text (its route bounds it).
    let limit = if parts.uri.path() == "/pustakawan/impor" {
        IMPORT_FORM_LIMIT
    } else {
        FORM_LIMIT
    };
    let Ok(bytes) = axum::body::to_bytes(body, limit).await else {
        return (None, Request::from_parts(parts, Body::empty()));
    };
    let token = form_urlencoded_field(&bytes, "csrf");
    (token, Request::from_parts(parts, Body::from(bytes)))
}

fn form_urlencoded_field(body: &[u8], name: &str) -> Option<String> {
    serde_urlencoded::from_bytes::<Vec<(String, String)>>(body)
        .ok()?
        .into_iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v)
}

fn same(a: &str, b: &str) -> bool {
    a.len() == b.len() && bool::from(a.as_bytes().ct_eq(b.as_bytes()))
}

/// Runs around every web page: CSRF check, session from cookies (refreshed when needed),
/// cookies set on the way out, and a sign-in redirect that comes back to this page.
pub async fn middleware(State(s): State<AppState>, req: Request, next: Next) -> Response {
    let secure = s.web.secure_cookies;
    let jar = cookies(req.headers());
    let mut set: Vec<HeaderValue> = Vec::new();
    let csrf = match jar.get(CSRF).filter(|v| v.len() >= 32) {
        Some(v) => v.clone(),
        None => {
            let t = random_token();
            set.push(set_cookie(secure, CSRF, &t, CSRF_TTL_SECS));
            t
        }
    };
    let safe = matches!(*req.method(), Method::GET | Method::HEAD | Method::OPTIONS);
    let req = if safe {
        req
    } else {
        // Without the CSRF cookie nothing can match: refused before the body is read.
        let (token, req) = if jar.contains_key(CSRF) {
            presented_csrf(req).await
        } else {
            (None, req)
        };
        if !token.is_some_and(|t| same(&t, &csrf)) || !jar.contains_key(CSRF) {
            tracing::info!(path = %req.uri().path(), "web form refused: CSRF token missing or wrong");
            let mut res = PageError::Csrf.into_response();
            append(&mut res, set);
            return res;
        }
        req
    };
    let (mut parts, body) = req.into_parts();
    let now = chrono::Utc::now().timestamp();
    let mut session = Session {
        csrf,
        access: None,
        user: None,
        refresh_unavailable: false,
    };
    if let Some(at) = jar.get(ACCESS).filter(|v| !v.is_empty())
        && let Some((exp, user)) = claims(at)
        && exp - EXPIRY_MARGIN_SECS > now
    {
        session.access = Some(at.clone());
        session.user = Some(user);
    } else if let Some(rt) = jar.get(REFRESH).filter(|v| !v.is_empty()) {
        let ctx = match Ctx::from_request_parts(&mut parts, &s).await {
            Ok(c) => c,
            Err(e) => return e.into_response(),
        };
        match refresh(&s, &ctx, rt).await {
            Ok(pair) => {
                session.user = claims(&pair.access_token).map(|(_, u)| u);
                set.extend(store_tokens(secure, s.web.refresh_ttl_secs, &pair));
                session.access = Some(pair.access_token);
            }
            Err(e) if e.code() == tonic::Code::Unauthenticated => {
                tracing::info!("web session ended: refresh token refused");
                set.extend(clear_tokens(secure));
            }
            Err(e) => {
                tracing::warn!(error = %e.message(), "web session could not be refreshed");
                session.refresh_unavailable = true;
            }
        }
    }
    let back = back_target(&parts);
    parts.extensions.insert(session);
    let mut res = next.run(Request::from_parts(parts, body)).await;
    if res.extensions().get::<NeedsSignIn>().is_some() {
        res = super::error::to_sign_in(&back);
    }
    // Pages carry the user's data and the CSRF token: never kept by a shared cache.
    if !res.headers().contains_key(header::CACHE_CONTROL) {
        res.headers_mut().insert(
            header::CACHE_CONTROL,
            HeaderValue::from_static("private, no-store"),
        );
    }
    append(&mut res, set);
    res
}

/// Where to come back to after signing in: this page for a GET, the page the form was on
/// for a POST (its same-origin Referer path), else the home page.
fn back_target(parts: &Parts) -> String {
    if parts.method == Method::GET {
        return parts
            .uri
            .path_and_query()
            .map_or("/".to_owned(), |p| p.as_str().to_owned());
    }
    parts
        .headers
        .get(header::REFERER)
        .and_then(|v| v.to_str().ok())
        .and_then(|r| r.parse::<axum::http::Uri>().ok())
        .filter(|u| {
            u.host().is_none()
                || u.authority().map(|a| a.as_str())
                    == parts
                        .headers
                        .get(header::HOST)
                        .and_then(|h| h.to_str().ok())
        })
        .and_then(|u| u.path_and_query().map(|p| p.as_str().to_owned()))
        .unwrap_or_else(|| "/".to_owned())
}

/// Adds the middleware's cookies, except those the page set itself (a sign-in's new
/// tokens must win over a refresh of the session it replaces).
fn append(res: &mut Response, set: Vec<HeaderValue>) {
    let name = |v: &HeaderValue| {
        v.as_bytes()
            .split(|b| *b == b'=')
            .next()
            .map(<[u8]>::to_vec)
            .unwrap_or_default()
    };
    let taken: Vec<Vec<u8>> = res
        .headers()
        .get_all(header::SET_COOKIE)
        .iter()
        .map(name)
        .collect();
    for c in set {
        if !taken.contains(&name(&c)) {
            res.headers_mut().append(header::SET_COOKIE, c);
        }
    }
}

/// A local path safe to redirect to after sign-in (no other origin, no scheme tricks).
pub fn safe_back(v: &str) -> String {
    // Visible ASCII only: browsers drop tabs and newlines from URLs, so "/\t/evil" would
    // become "//evil"; and no backslash, which some read as a slash.
    let ok = v.starts_with('/')
        && !v.starts_with("//")
        && v.bytes().all(|b| b.is_ascii_graphic())
        && !v.contains('\\')
        && v.len() < 2000;
    if ok { v.to_owned() } else { "/".to_owned() }
}

/// 303 See Other to a local path, with cookies to set.
pub fn see_other(to: &str, set: Vec<HeaderValue>) -> Response {
    let mut res = StatusCode::SEE_OTHER.into_response();
    if let Ok(v) = HeaderValue::from_str(to) {
        res.headers_mut().insert(header::LOCATION, v);
    }
    append(&mut res, set);
    res
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_page_s_own_cookies_win_and_sign_in_renews_the_csrf_token() {
        let pair = pb::TokenPair {
            access_token: "new.at".into(),
            refresh_token: "new-rt".into(),
            token_type: "Bearer".into(),
            expires_in: 900,
        };
        let started = start_session(false, 60, &pair);
        assert_eq!(started.len(), 3);
        assert!(started[2].to_str().expect("ascii").starts_with("pst_csrf="));
        let mut res = see_other("/", started);
        append(
            &mut res,
            vec![
                set_cookie(false, ACCESS, "old.at", 10),
                set_cookie(false, "x", "1", 10),
            ],
        );
        let all: Vec<String> = res
            .headers()
            .get_all(header::SET_COOKIE)
            .iter()
            .map(|v| v.to_str().expect("ascii").to_owned())
            .collect();
        assert_eq!(all.iter().filter(|c| c.starts_with("pst_at=")).count(), 1);
        assert!(all.iter().any(|c| c.starts_with("pst_at=new.at")));
        assert!(all.iter().any(|c| c.starts_with("x=1")));
    }

    #[test]
    fn redirect_targets_stay_on_this_site() {
        assert_eq!(safe_back("/akun?tab=1"), "/akun?tab=1");
        assert_eq!(safe_back("//evil.example/x"), "/");
        assert_eq!(safe_back("https://evil.example/"), "/");
        assert_eq!(safe_back("/\\evil.example"), "/");
        assert_eq!(safe_back("/a\r\nSet-Cookie: x=1"), "/");
        assert_eq!(safe_back("/\t/evil.example"), "/");
        assert_eq!(
            safe_back("/%09/evil.example"),
            "/%09/evil.example",
            "encoded stays a path"
        );
        assert_eq!(safe_back("/a\\b"), "/");
    }

    #[test]
    fn claims_are_read_from_the_payload() {
        let payload = base64::engine::general_purpose::URL_SAFE_NO_PAD
            .encode(br#"{"sub":"x","role":"visitor","exp":1234,"iat":1,"iss":"pst"}"#);
        let (exp, user) = claims(&format!("h.{payload}.s")).expect("claims");
        assert_eq!(
            (exp, user.role.as_str(), user.office.as_str()),
            (1234, "visitor", "")
        );
        assert!(claims("not-a-token").is_none());
    }

    #[test]
    fn csrf_field_is_found_in_a_form_body() {
        assert_eq!(
            form_urlencoded_field(b"a=1&csrf=abc%2Bd&b=2", "csrf").as_deref(),
            Some("abc+d")
        );
        assert!(form_urlencoded_field(b"a=1", "csrf").is_none());
        assert!(same("abc", "abc") && !same("abc", "abd") && !same("abc", "abcd"));
    }
}
