//! Forms: field errors shown next to their fields, and one-time form tokens so a second
//! click on "Kirim" does not create a second account, complaint or rating.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use base64::Engine as _;

use crate::error::ApiError;

/// Field errors by field name, in Indonesian, plus a message for the whole form.
#[derive(Debug, Default, Clone)]
pub struct FieldErrors {
    pub summary: String,
    fields: HashMap<String, String>,
}

impl FieldErrors {
    pub fn get(&self, field: &str) -> Option<&str> {
        self.fields.get(field).map(String::as_str)
    }

    /// The error of one SKM element, named `scores.U3` by the service.
    pub fn score(&self, code: &str) -> Option<&str> {
        self.get(&format!("scores.{code}"))
    }

    pub fn any(&self) -> bool {
        !self.summary.is_empty() || !self.fields.is_empty()
    }

    pub fn add(&mut self, field: &str, message: impl Into<String>) {
        self.fields
            .entry(field.to_owned())
            .or_insert(message.into());
    }

    /// The errors of a refused request: each field's own message next to it (the service
    /// names fields as the JSON body does, e.g. `profile.sex` or `scores.U3`), the detail
    /// on top.
    pub fn from_api(e: &ApiError) -> Self {
        let mut out = Self {
            summary: e.1.detail.clone(),
            fields: HashMap::new(),
        };
        for f in &e.1.errors {
            out.add(&f.field, f.message.clone());
        }
        // The service's detail names fields by their code; the form shows each message
        // next to its field, so the summary only counts them.
        if !out.fields.is_empty() {
            out.summary = format!("Periksa {} isian yang ditandai di bawah.", out.fields.len());
        }
        out
    }

    /// The same errors with `prefix` taken off field names (`guest_book.name` -> `name`).
    pub fn without_prefix(mut self, prefix: &str) -> Self {
        self.fields = self
            .fields
            .into_iter()
            .map(|(k, v)| (k.strip_prefix(prefix).map_or(k.clone(), str::to_owned), v))
            .collect();
        self
    }

    /// Field-level errors are shown on the form; anything else (403, 503, ...) is a page.
    pub fn is_form_error(e: &ApiError) -> bool {
        matches!(e.0.as_u16(), 409 | 422 | 429)
    }
}

/// A form's fields as sent (repeated names keep the last value; at most 100 fields).
#[derive(Debug, Default, Clone)]
pub struct Values(HashMap<String, String>);

impl Values {
    pub fn from_pairs(pairs: Vec<(String, String)>) -> Self {
        Self(pairs.into_iter().take(100).collect())
    }

    pub fn get(&self, name: &str) -> &str {
        self.0.get(name).map_or("", String::as_str)
    }

    pub fn is(&self, name: &str, value: &str) -> bool {
        self.get(name) == value
    }

    pub fn set(&mut self, name: &str, value: impl Into<String>) {
        self.0.insert(name.to_owned(), value.into());
    }
}

/// One-time form tokens: the first submission of a token acts; later ones (a double click,
/// a resubmitted page) are sent where the first one went.
#[derive(Debug, Default)]
pub struct Once {
    seen: Mutex<HashMap<String, (Instant, Option<String>)>>,
}

/// What to do with a submission.
#[derive(Debug)]
pub enum Submission<'a> {
    /// First time: act, then say where the user went ([`Pending::done`]); a submission
    /// that is refused or cut off is forgotten when its `Pending` is dropped, so the same
    /// form may be sent again.
    First(Pending<'a>),
    /// The same form is being handled right now.
    InProgress,
    /// Already done: go where the first submission went.
    Done(String),
}

/// A first submission being handled.
#[derive(Debug)]
pub struct Pending<'a> {
    once: &'a Once,
    token: String,
    finished: bool,
}

impl Pending<'_> {
    /// The submission acted and sent the user to `to`: a repeat goes there too.
    pub fn done(mut self, to: &str) {
        self.finished = true;
        if let Some(e) = self
            .once
            .seen
            .lock()
            .expect("BUG: form token lock poisoned")
            .get_mut(&self.token)
        {
            e.1 = Some(to.to_owned());
        }
    }
}

impl Drop for Pending<'_> {
    fn drop(&mut self) {
        if !self.finished {
            self.once
                .seen
                .lock()
                .expect("BUG: form token lock poisoned")
                .remove(&self.token);
        }
    }
}

const KEEP: Duration = Duration::from_secs(30 * 60);
/// A form still "in progress" after this long was abandoned mid-request.
const STUCK_AFTER: Duration = Duration::from_secs(60);
const MAX_TRACKED: usize = 50_000;

impl Once {
    pub fn token() -> String {
        let mut b = [0u8; 16];
        rand::Rng::fill(&mut rand::thread_rng(), &mut b);
        base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(b)
    }

    pub fn begin(&self, token: &str) -> Submission<'_> {
        let first = |token: &str| {
            Submission::First(Pending {
                once: self,
                token: token.to_owned(),
                finished: false,
            })
        };
        // Not a token of ours: nothing to remember (the Pending forgets an absent entry).
        if token.is_empty() || token.len() > 64 {
            return first("");
        }
        let mut seen = self.seen.lock().expect("BUG: form token lock poisoned");
        let now = Instant::now();
        if seen.len() >= MAX_TRACKED {
            seen.retain(|_, (at, _)| now.duration_since(*at) < KEEP);
            if seen.len() >= MAX_TRACKED {
                seen.clear();
            }
        }
        match seen.get(token) {
            Some((_, Some(to))) => Submission::Done(to.clone()),
            // A submission whose request was cut off never finished: the form may act again.
            Some((at, None)) if now.duration_since(*at) < STUCK_AFTER => Submission::InProgress,
            _ => {
                seen.insert(token.to_owned(), (now, None));
                drop(seen);
                first(token)
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_second_submission_follows_the_first() {
        let once = Once::default();
        let t = Once::token();
        let Submission::First(first) = once.begin(&t) else {
            panic!("a new form acts")
        };
        assert!(matches!(once.begin(&t), Submission::InProgress));
        first.done("/pengaduan/1");
        assert!(matches!(once.begin(&t), Submission::Done(to) if to == "/pengaduan/1"));
        let u = Once::token();
        let refused = once.begin(&u);
        assert!(matches!(refused, Submission::First(_)));
        drop(refused);
        assert!(
            matches!(once.begin(&u), Submission::First(_)),
            "a refused (or cut-off) form may be sent again"
        );
    }
}

/// `axum::Form` whose rejections are pages.
#[derive(Debug)]
pub struct WebForm<T>(pub T);

impl<S, T> axum::extract::FromRequest<S> for WebForm<T>
where
    T: serde::de::DeserializeOwned,
    S: Send + Sync,
{
    type Rejection = super::PageError;

    async fn from_request(req: axum::extract::Request, state: &S) -> Result<Self, Self::Rejection> {
        match axum::Form::<T>::from_request(req, state).await {
            Ok(axum::Form(v)) => Ok(Self(v)),
            Err(r) => Err(super::PageError::from(ApiError::new(
                r.status(),
                "INVALID_FORM",
                "Isian formulir tidak dapat dibaca. Muat ulang halaman lalu coba lagi.",
            ))),
        }
    }
}
