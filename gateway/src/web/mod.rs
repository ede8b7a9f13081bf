//! The web app, served by the gateway from the same origin as `/api/v1`: server-rendered
//! pages (askama templates, checked at compile time) progressively enhanced with htmx, in
//! Bahasa Indonesia. Pages call the same use-case functions as the JSON routes and render
//! the same views; they never talk to the services any other way.

pub mod assets;
pub mod error;
pub mod forms;
pub mod offices;
mod pages;
pub mod qr;
pub mod session;
pub mod voice;

use std::sync::Arc;

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::routing::get;

use pst_kit::Settings;

use crate::rate_limit::RateLimiter;
use crate::state::AppState;

pub use error::PageError;
pub use offices::OfficeMap;
pub use session::Session;

/// What the web app keeps between requests in one gateway process.
#[derive(Debug)]
pub struct WebState {
    /// Cookies get `Secure` when the public URL is HTTPS.
    pub secure_cookies: bool,
    /// The address users see (QR codes on tickets and checkout point there).
    pub public_url: String,
    pub refresh_ttl_secs: u64,
    pub refresh: session::RefreshCache,
    pub once: forms::Once,
    pub offices: offices::OfficeCache,
}

impl WebState {
    pub fn new(settings: &Settings) -> Self {
        Self {
            secure_cookies: settings.gateway.public_url.starts_with("https://"),
            public_url: settings.gateway.public_url.trim_end_matches('/').to_owned(),
            refresh_ttl_secs: u64::from(settings.auth.refresh_ttl_secs),
            refresh: session::RefreshCache::default(),
            once: forms::Once::default(),
            offices: offices::OfficeCache::default(),
        }
    }
}

/// What every page's layout needs: its title, the CSRF token for forms, who is signed in,
/// a fresh one-time token for forms (a second submit does not act twice), and the offices
/// (names and time zones) to show times in the office's zone.
#[derive(Debug, Clone)]
pub struct Page {
    pub title: String,
    pub csrf: String,
    pub signed_in: bool,
    /// The signed-in user's role (empty when signed out): staff see their back-office menu.
    pub role: String,
    pub once: String,
    offices: Arc<OfficeMap>,
}

impl Page {
    pub async fn new(s: &AppState, session: &Session, title: impl Into<String>) -> Self {
        Self {
            title: title.into(),
            csrf: session.csrf.clone(),
            signed_in: session.user.is_some(),
            role: session
                .user
                .as_ref()
                .map(|u| u.role.clone())
                .unwrap_or_default(),
            once: forms::Once::token(),
            offices: s.web.offices.get(s).await,
        }
    }

    /// For error pages, which may be drawn without a session or backends.
    pub fn bare(title: &str) -> Self {
        Self {
            title: title.to_owned(),
            csrf: String::new(),
            signed_in: false,
            role: String::new(),
            once: String::new(),
            offices: Arc::default(),
        }
    }

    pub fn asset(&self, name: &str) -> &'static str {
        assets::url(name)
    }

    /// An RFC 3339 instant in the office's time zone, e.g. `7 Des 2026 10.15 WIB`.
    pub fn time(&self, instant: &str, office: &str) -> String {
        self.offices.local_time(instant, office)
    }

    /// A search snippet as HTML: only its `<mark>` tags are kept, the rest escaped.
    pub fn marked(&self, snippet: &str) -> String {
        pages::marked(snippet)
    }

    /// A code as words: `tanaman_pangan` -> `Tanaman pangan`.
    pub fn words(&self, code: &str) -> String {
        pages::humanize(code)
    }

    /// A date `YYYY-MM-DD` in words, e.g. `14 Des 2026`.
    pub fn date(&self, day: &str) -> String {
        OfficeMap::date(day)
    }

    /// Is the signed-in user one of these roles?
    pub fn is(&self, roles: &[&str]) -> bool {
        roles.contains(&self.role.as_str())
    }

    /// Every known office as (code, label), by code.
    pub fn office_list(&self) -> Vec<(String, String)> {
        self.offices.list()
    }

    /// `1674 · Kota Lubuklinggau`, or just the code of an office not (yet) known.
    pub fn office(&self, code: &str) -> String {
        self.offices.label(code)
    }
}

/// Every page and the embedded assets. Pages have their own rate limit (as `/api` has),
/// a small body limit (forms only), and turn any problem document into a page.
pub fn router(settings: &Settings, state: &AppState) -> Router<AppState> {
    let limiter = RateLimiter::new(
        settings.gateway.rate_limit_per_minute,
        state.trusted_proxies.clone(),
    );
    let documents = pages::document_routes()
        .layer(DefaultBodyLimit::disable())
        .layer(tower_http::timeout::TimeoutLayer::with_status_code(
            axum::http::StatusCode::GATEWAY_TIMEOUT,
            std::time::Duration::from_secs(30 * 60),
        ));
    let pages = pages::routes()
        .layer(DefaultBodyLimit::max(FORM_BODY_LIMIT))
        .merge(documents)
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            session::middleware,
        ))
        .layer(axum::middleware::from_fn_with_state(
            limiter,
            crate::rate_limit::middleware,
        ))
        .layer(axum::middleware::from_fn(error::problems_as_pages));
    Router::new()
        .merge(pages)
        .route("/aset/{*path}", get(assets::serve))
}

/// Forms are small; nothing a visitor types needs more.
const FORM_BODY_LIMIT: usize = 256 * 1024;
