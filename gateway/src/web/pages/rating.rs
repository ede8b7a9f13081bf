//! Rating a finished visit or a download: the nine SKM elements with the regulation's
//! 1-4 labels, the respondent's profile and the integrity questions.

use askama::Template;
use axum::extract::{Query, State};
use axum::response::Response;
use serde::Deserialize;

use super::{field, html};
use crate::ctx::Ctx;
use crate::routes::feedback::{self as uc, QuestionnaireView};
use crate::state::AppState;
use crate::web::forms::{FieldErrors, Values, WebForm};
use crate::web::{Page, PageError, Session};

// ---------------------------------------------------------------- rating (SKM)

#[derive(Template)]
#[template(path = "rate.html")]
struct Rate {
    page: Page,
    action: &'static str,
    q: QuestionnaireView,
    values: Values,
    errors: FieldErrors,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub(super) struct RateQuery {
    unduhan: String,
    kunjungan: String,
}

pub(super) async fn rate_form(
    State(s): State<AppState>,
    session: Session,
    ctx: Ctx,
    Query(q): Query<RateQuery>,
) -> Result<Response, PageError> {
    session.require_user()?;
    let questions = uc::questions(&s, &session.ctx(ctx)).await?;
    let mut values = Values::default();
    values.set("download_id", field(&q.unduhan, 64));
    values.set("visit_id", field(&q.kunjungan, 64));
    html(&Rate {
        page: Page::new(&s, &session, "Beri penilaian").await,
        action: "/nilai",
        q: questions,
        values,
        errors: FieldErrors::default(),
    })
}

#[derive(Template)]
#[template(path = "thanks.html")]
struct Thanks {
    page: Page,
    message: String,
}

pub(super) async fn rate(
    State(s): State<AppState>,
    session: Session,
    ctx: Ctx,
    WebForm(pairs): WebForm<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    session.require_user()?;
    let ctx = session.ctx(ctx);
    let v = Values::from_pairs(pairs);
    let token = v.get("sekali").to_owned();
    let pending = match super::first_submission(&s, &token) {
        super::Posted::Act(p) => p,
        super::Posted::Answered(answer) => return Ok(answer),
    };
    let body = response_body(&v);
    match uc::rate(&s, &ctx, body).await {
        Ok(done) => {
            let to = "/nilai/terima-kasih";
            pending.done(to);
            html(&Thanks {
                page: Page::new(&s, &session, "Terima kasih").await,
                message: done.message,
            })
        }
        Err(e) => {
            if !FieldErrors::is_form_error(&e) {
                return Err(e.into());
            }
            let mut errors = FieldErrors::from_api(&e);
            if errors.summary.is_empty() {
                errors.summary = "Periksa isian yang ditandai.".into();
            }
            html(&Rate {
                page: Page::new(&s, &session, "Beri penilaian").await,
                action: "/nilai",
                q: uc::questions(&s, &ctx).await?,
                values: v,
                errors,
            })
        }
    }
}

/// The SKM answer a form sent (portal or kiosk): scores U1-U9, profile, integrity.
pub(in crate::web::pages) fn response_body(v: &Values) -> uc::ResponseBody {
    let scores = (1..=9)
        .filter_map(|i| {
            let code = format!("U{i}");
            v.get(&code).parse::<u32>().ok().map(|n| (code, n))
        })
        .collect();
    uc::ResponseBody {
        visit_id: field(v.get("visit_id"), 64),
        download_id: field(v.get("download_id"), 64),
        visit_code: field(v.get("visit_code"), 16),
        scores,
        comment: field(v.get("comment"), 2000),
        profile: uc::ProfileBody {
            sex: v.get("sex").to_owned(),
            age_group: v.get("age_group").to_owned(),
            education: v.get("education").to_owned(),
            occupation: v.get("occupation").to_owned(),
        },
        integrity: uc::IntegrityBody {
            fee_asked: v.is("fee_asked", "1"),
            gratuity_offered: v.is("gratuity_offered", "1"),
            favour_asked: v.is("favour_asked", "1"),
            discrimination: v.is("discrimination", "1"),
        },
    }
}

pub(super) async fn thanks(
    State(s): State<AppState>,
    session: Session,
) -> Result<Response, PageError> {
    html(&Thanks {
        page: Page::new(&s, &session, "Terima kasih").await,
        message: "Penilaian Anda telah kami terima.".into(),
    })
}
