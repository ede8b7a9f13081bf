//! Profile (identity number masked) and password change.

use askama::Template;
use axum::extract::{Query, State};
use axum::response::Response;
use serde::Deserialize;

use super::super::{field, html};
use super::sign_in::notice;
use crate::ctx::Ctx;
use crate::routes::UserView;
use crate::routes::auth::{self as uc};
use crate::routes::me;
use crate::state::AppState;
use crate::web::forms::{FieldErrors, WebForm};
use crate::web::session::{clear_tokens, see_other, start_session};
use crate::web::{Page, PageError, Session};

#[derive(Debug, Default, Clone, Deserialize)]
#[serde(default)]
pub(in crate::web::pages) struct ProfileForm {
    full_name: String,
    phone: String,
    institution: String,
    occupation: String,
}

#[derive(Template)]
#[template(path = "profile.html")]
struct Profile {
    page: Page,
    user: UserView,
    form: ProfileForm,
    notice: &'static str,
    errors: FieldErrors,
}

impl ProfileForm {
    fn of(u: &UserView) -> Self {
        Self {
            full_name: u.full_name.clone(),
            phone: u.phone.clone(),
            institution: u.institution.clone(),
            occupation: u.occupation.clone(),
        }
    }
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub(in crate::web::pages) struct NoticeQuery {
    pesan: String,
}

pub(in crate::web::pages) async fn profile(
    State(s): State<AppState>,
    session: Session,
    ctx: Ctx,
    Query(q): Query<NoticeQuery>,
) -> Result<Response, PageError> {
    session.require_user()?;
    let user = me::profile(&s, &session.ctx(ctx)).await?;
    html(&Profile {
        page: Page::new(&s, &session, "Akun saya").await,
        form: ProfileForm::of(&user),
        user,
        notice: notice(&q.pesan),
        errors: FieldErrors::default(),
    })
}

pub(in crate::web::pages) async fn update_profile(
    State(s): State<AppState>,
    session: Session,
    ctx: Ctx,
    WebForm(form): WebForm<ProfileForm>,
) -> Result<Response, PageError> {
    session.require_user()?;
    let ctx = session.ctx(ctx);
    let body = me::PatchMeBody {
        full_name: Some(field(&form.full_name, 200)),
        phone: Some(field(&form.phone, 30)),
        institution: Some(field(&form.institution, 200)),
        occupation: Some(field(&form.occupation, 100)),
    };
    let page = Page::new(&s, &session, "Akun saya").await;
    match me::update_profile(&s, &ctx, body).await {
        Ok(user) => html(&Profile {
            page,
            form: ProfileForm::of(&user),
            user,
            notice: "Profil tersimpan.",
            errors: FieldErrors::default(),
        }),
        Err(e) if FieldErrors::is_form_error(&e) => html(&Profile {
            page,
            user: me::profile(&s, &ctx).await?,
            form,
            notice: "",
            errors: FieldErrors::from_api(&e),
        }),
        Err(e) => Err(e.into()),
    }
}

#[derive(Debug, Default, Clone, Deserialize)]
#[serde(default)]
pub(in crate::web::pages) struct PasswordForm {
    current_password: String,
    new_password: String,
    confirm: String,
}

#[derive(Template)]
#[template(path = "password.html")]
struct Password {
    page: Page,
    errors: FieldErrors,
}

pub(in crate::web::pages) async fn password_form(
    State(s): State<AppState>,
    session: Session,
) -> Result<Response, PageError> {
    session.require_user()?;
    html(&Password {
        page: Page::new(&s, &session, "Ganti kata sandi").await,
        errors: FieldErrors::default(),
    })
}

/// Changing the password ends every session (refresh tokens); this browser signs in again
/// with the new password so the user stays signed in here.
pub(in crate::web::pages) async fn password(
    State(s): State<AppState>,
    session: Session,
    ctx: Ctx,
    WebForm(f): WebForm<PasswordForm>,
) -> Result<Response, PageError> {
    session.require_user()?;
    let base = ctx.clone();
    let ctx = session.ctx(ctx);
    let mut errors = FieldErrors::default();
    if f.new_password != f.confirm {
        errors.add("confirm", "Kedua kata sandi baru tidak sama.");
        errors.summary = "Periksa isian yang ditandai.".into();
    } else {
        let user = me::profile(&s, &ctx).await?;
        let body = me::ChangePasswordBody {
            current_password: f.current_password.chars().take(256).collect(),
            new_password: f.new_password.chars().take(256).collect(),
        };
        match me::set_password(&s, &ctx, body).await {
            Ok(()) => {
                let login = uc::LoginBody {
                    email: user.email,
                    password: f.new_password,
                };
                let cookies = match uc::sign_in(&s, &base, login).await {
                    Ok(pair) => start_session(s.web.secure_cookies, s.web.refresh_ttl_secs, &pair),
                    Err(_) => clear_tokens(s.web.secure_cookies),
                };
                return Ok(see_other("/akun?pesan=sandi-diganti", cookies));
            }
            Err(e) if FieldErrors::is_form_error(&e) || e.0.as_u16() == 401 => {
                errors = FieldErrors::from_api(&e);
            }
            Err(e) => return Err(e.into()),
        }
    }
    html(&Password {
        page: Page::new(&s, &session, "Ganti kata sandi").await,
        errors,
    })
}
