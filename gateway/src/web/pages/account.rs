//! Registration, e-mail verification, sign-in and sign-out, password reset, profile and
//! password change.

use askama::Template;
use axum::extract::{Query, State};
use axum::http::HeaderMap;
use axum::response::Response;
use serde::Deserialize;

use super::{field, html};
use crate::ctx::Ctx;
use crate::routes::UserView;
use crate::routes::auth::{self as uc, IdType};
use crate::routes::me;
use crate::state::AppState;
use crate::web::forms::{FieldErrors, WebForm};
use crate::web::session::{clear_tokens, refresh_token, safe_back, see_other, store_tokens};
use crate::web::{Page, PageError, Session};

// ---------------------------------------------------------------- registration

#[derive(Debug, Default, Clone, Deserialize)]
#[serde(default)]
pub(super) struct RegisterForm {
    full_name: String,
    email: String,
    password: String,
    phone: String,
    institution: String,
    occupation: String,
    id_type: String,
    id_number: String,
    sekali: String,
}

#[derive(Template)]
#[template(path = "register.html")]
struct Register {
    page: Page,
    form: RegisterForm,
    errors: FieldErrors,
}

pub(super) async fn register_form(
    State(s): State<AppState>,
    session: Session,
) -> Result<Response, PageError> {
    html(&Register {
        page: Page::new(&s, &session, "Daftar").await,
        form: RegisterForm {
            id_type: "ktp".into(),
            ..RegisterForm::default()
        },
        errors: FieldErrors::default(),
    })
}

fn id_type(v: &str) -> Option<IdType> {
    match v {
        "ktp" => Some(IdType::Ktp),
        "sim" => Some(IdType::Sim),
        "paspor" => Some(IdType::Paspor),
        "lainnya" => Some(IdType::Lainnya),
        _ => None,
    }
}

pub(super) async fn register(
    State(s): State<AppState>,
    session: Session,
    ctx: Ctx,
    WebForm(mut form): WebForm<RegisterForm>,
) -> Result<Response, PageError> {
    if let Some(r) = super::repeated(&s, &form.sekali) {
        return r;
    }
    let mut errors = FieldErrors::default();
    let kind = id_type(&form.id_type);
    if kind.is_none() {
        errors.add("id_type", "Pilih jenis kartu identitas.");
    }
    let result = match kind {
        Some(id_type) => Some(
            uc::register_account(
                &s,
                &ctx,
                uc::RegisterBody {
                    full_name: field(&form.full_name, 200),
                    email: field(&form.email, 254),
                    password: form.password.chars().take(256).collect(),
                    phone: field(&form.phone, 30),
                    institution: field(&form.institution, 200),
                    occupation: field(&form.occupation, 100),
                    id_type,
                    id_number: field(&form.id_number, 40),
                },
            )
            .await,
        ),
        None => None,
    };
    match result {
        Some(Ok(_)) => {
            let to = format!(
                "/daftar/terkirim?{}",
                serde_urlencoded::to_string([("email", field(&form.email, 254))])
                    .unwrap_or_default()
            );
            s.web.once.done(&form.sekali, &to);
            Ok(see_other(&to, Vec::new()))
        }
        Some(Err(e)) if !FieldErrors::is_form_error(&e) => {
            s.web.once.forget(&form.sekali);
            Err(e.into())
        }
        other => {
            s.web.once.forget(&form.sekali);
            if let Some(Err(e)) = other {
                errors = FieldErrors::from_api(&e);
            } else {
                errors.summary = "Periksa isian yang ditandai.".into();
            }
            form.password.clear();
            html(&Register {
                page: Page::new(&s, &session, "Daftar").await,
                form,
                errors,
            })
        }
    }
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub(super) struct EmailQuery {
    email: String,
}

#[derive(Template)]
#[template(path = "registered.html")]
struct Registered {
    page: Page,
    email: String,
}

pub(super) async fn registered(
    State(s): State<AppState>,
    session: Session,
    Query(q): Query<EmailQuery>,
) -> Result<Response, PageError> {
    html(&Registered {
        page: Page::new(&s, &session, "Periksa e-mail Anda").await,
        email: field(&q.email, 254),
    })
}

// ---------------------------------------------------------------- verification

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub(super) struct TokenForm {
    token: String,
}

#[derive(Template)]
#[template(path = "verify.html")]
struct Verify {
    page: Page,
    token: String,
    done: bool,
    error: String,
}

/// The link in the mail opens a page with one button: mail scanners that follow links do
/// not verify an address on their own.
pub(super) async fn verify_form(
    State(s): State<AppState>,
    session: Session,
    Query(q): Query<TokenForm>,
) -> Result<Response, PageError> {
    html(&Verify {
        page: Page::new(&s, &session, "Verifikasi e-mail").await,
        token: field(&q.token, 200),
        done: false,
        error: String::new(),
    })
}

pub(super) async fn verify(
    State(s): State<AppState>,
    session: Session,
    ctx: Ctx,
    WebForm(f): WebForm<TokenForm>,
) -> Result<Response, PageError> {
    let token = field(&f.token, 200);
    let (done, error) = match uc::verify_address(
        &s,
        &ctx,
        uc::TokenBody {
            token: token.clone(),
        },
    )
    .await
    {
        Ok(_) => (true, String::new()),
        Err(e) if FieldErrors::is_form_error(&e) || e.0.as_u16() == 404 => (false, e.1.detail),
        Err(e) => return Err(e.into()),
    };
    html(&Verify {
        page: Page::new(&s, &session, "Verifikasi e-mail").await,
        token,
        done,
        error,
    })
}

// ---------------------------------------------------------------- sign in / out

#[derive(Debug, Default, Clone, Deserialize)]
#[serde(default)]
pub(super) struct SignInForm {
    email: String,
    password: String,
    kembali: String,
    pesan: String,
}

#[derive(Template)]
#[template(path = "sign_in.html")]
struct SignIn {
    page: Page,
    form: SignInForm,
    notice: &'static str,
    errors: FieldErrors,
}

fn notice(code: &str) -> &'static str {
    match code {
        "sandi-diganti" => "Kata sandi telah diganti. Silakan masuk dengan kata sandi baru.",
        "keluar" => "Anda telah keluar.",
        "terverifikasi" => "E-mail berhasil diverifikasi. Silakan masuk.",
        _ => "",
    }
}

pub(super) async fn sign_in_form(
    State(s): State<AppState>,
    session: Session,
    Query(mut form): Query<SignInForm>,
) -> Result<Response, PageError> {
    form.kembali = safe_back(&form.kembali);
    html(&SignIn {
        page: Page::new(&s, &session, "Masuk").await,
        notice: notice(&form.pesan),
        form,
        errors: FieldErrors::default(),
    })
}

pub(super) async fn sign_in(
    State(s): State<AppState>,
    session: Session,
    ctx: Ctx,
    WebForm(mut form): WebForm<SignInForm>,
) -> Result<Response, PageError> {
    let body = uc::LoginBody {
        email: field(&form.email, 254),
        password: form.password.chars().take(256).collect(),
    };
    match uc::sign_in(&s, &ctx, body).await {
        Ok(pair) => Ok(see_other(
            &safe_back(&form.kembali),
            store_tokens(s.web.secure_cookies, s.web.refresh_ttl_secs, &pair),
        )),
        Err(e) if matches!(e.0.as_u16(), 401 | 403 | 409 | 422 | 429) => {
            form.password.clear();
            form.kembali = safe_back(&form.kembali);
            html(&SignIn {
                page: Page::new(&s, &session, "Masuk").await,
                form,
                notice: "",
                errors: FieldErrors::from_api(&e),
            })
        }
        Err(e) => Err(e.into()),
    }
}

pub(super) async fn sign_out(
    State(s): State<AppState>,
    ctx: Ctx,
    headers: HeaderMap,
) -> Result<Response, PageError> {
    if let Some(rt) = refresh_token(&headers)
        && let Err(e) = uc::sign_out(&s, &ctx, uc::RefreshBody { refresh_token: rt }).await
    {
        // The cookies go anyway; the refresh token then expires on its own.
        tracing::warn!(code = %e.1.code, "logout could not revoke the refresh token");
    }
    Ok(see_other(
        "/masuk?pesan=keluar",
        clear_tokens(s.web.secure_cookies),
    ))
}

// ---------------------------------------------------------------- password reset

#[derive(Debug, Default, Clone, Deserialize)]
#[serde(default)]
pub(super) struct ForgotForm {
    email: String,
}

/// One form with one e-mail field: "forgot password" and "resend verification".
#[derive(Template)]
#[template(path = "email_form.html")]
struct EmailPage {
    page: Page,
    kind: &'static EmailKind,
    form: ForgotForm,
    sent: String,
    errors: FieldErrors,
}

struct EmailKind {
    title: &'static str,
    intro: &'static str,
    action: &'static str,
    button: &'static str,
}

const FORGOT: EmailKind = EmailKind {
    title: "Lupa kata sandi",
    intro: "Masukkan e-mail akun Anda. Kami akan mengirim tautan untuk membuat kata sandi baru.",
    action: "/lupa-sandi",
    button: "Kirim tautan",
};

const RESEND: EmailKind = EmailKind {
    title: "Kirim ulang verifikasi",
    intro: "Belum menerima e-mail verifikasi, atau tautannya kedaluwarsa? Masukkan e-mail yang Anda daftarkan.",
    action: "/kirim-ulang-verifikasi",
    button: "Kirim ulang tautan",
};

async fn email_page(
    s: &AppState,
    session: &Session,
    kind: &'static EmailKind,
    form: ForgotForm,
    outcome: Result<String, FieldErrors>,
) -> Result<Response, PageError> {
    let (sent, errors) = match outcome {
        Ok(m) => (m, FieldErrors::default()),
        Err(e) => (String::new(), e),
    };
    html(&EmailPage {
        page: Page::new(s, session, kind.title).await,
        kind,
        form,
        sent,
        errors,
    })
}

pub(super) async fn forgot_form(
    State(s): State<AppState>,
    session: Session,
) -> Result<Response, PageError> {
    email_page(
        &s,
        &session,
        &FORGOT,
        ForgotForm::default(),
        Ok(String::new()),
    )
    .await
}

pub(super) async fn resend_form(
    State(s): State<AppState>,
    session: Session,
    Query(form): Query<ForgotForm>,
) -> Result<Response, PageError> {
    email_page(&s, &session, &RESEND, form, Ok(String::new())).await
}

/// A refused address is shown on the form; anything else is a page.
fn email_outcome(
    r: Result<crate::routes::Message, crate::error::ApiError>,
) -> Result<Result<String, FieldErrors>, PageError> {
    match r {
        Ok(m) => Ok(Ok(m.message)),
        Err(e) if FieldErrors::is_form_error(&e) => Ok(Err(FieldErrors::from_api(&e))),
        Err(e) => Err(e.into()),
    }
}

pub(super) async fn forgot(
    State(s): State<AppState>,
    session: Session,
    ctx: Ctx,
    WebForm(form): WebForm<ForgotForm>,
) -> Result<Response, PageError> {
    let body = uc::EmailBody {
        email: field(&form.email, 254),
    };
    let outcome = email_outcome(uc::request_reset(&s, &ctx, body).await)?;
    email_page(&s, &session, &FORGOT, form, outcome).await
}

pub(super) async fn resend(
    State(s): State<AppState>,
    session: Session,
    ctx: Ctx,
    WebForm(form): WebForm<ForgotForm>,
) -> Result<Response, PageError> {
    let body = uc::EmailBody {
        email: field(&form.email, 254),
    };
    let outcome = email_outcome(uc::resend_link(&s, &ctx, body).await)?;
    email_page(&s, &session, &RESEND, form, outcome).await
}

#[derive(Debug, Default, Clone, Deserialize)]
#[serde(default)]
pub(super) struct ResetForm {
    token: String,
    new_password: String,
    confirm: String,
}

#[derive(Template)]
#[template(path = "reset.html")]
struct Reset {
    page: Page,
    token: String,
    errors: FieldErrors,
}

pub(super) async fn reset_form(
    State(s): State<AppState>,
    session: Session,
    Query(q): Query<TokenForm>,
) -> Result<Response, PageError> {
    html(&Reset {
        page: Page::new(&s, &session, "Atur ulang kata sandi").await,
        token: field(&q.token, 200),
        errors: FieldErrors::default(),
    })
}

pub(super) async fn reset(
    State(s): State<AppState>,
    session: Session,
    ctx: Ctx,
    WebForm(f): WebForm<ResetForm>,
) -> Result<Response, PageError> {
    let mut errors = FieldErrors::default();
    if f.new_password != f.confirm {
        errors.add("confirm", "Kedua kata sandi tidak sama.");
        errors.summary = "Periksa isian yang ditandai.".into();
    } else {
        let body = uc::ResetConfirmBody {
            token: field(&f.token, 200),
            new_password: f.new_password.chars().take(256).collect(),
        };
        match uc::confirm_reset(&s, &ctx, body).await {
            Ok(_) => return Ok(see_other("/masuk?pesan=sandi-diganti", Vec::new())),
            Err(e) if FieldErrors::is_form_error(&e) || e.0.as_u16() == 404 => {
                errors = FieldErrors::from_api(&e);
            }
            Err(e) => return Err(e.into()),
        }
    }
    html(&Reset {
        page: Page::new(&s, &session, "Atur ulang kata sandi").await,
        token: field(&f.token, 200),
        errors,
    })
}

// ---------------------------------------------------------------- profile and password

#[derive(Debug, Default, Clone, Deserialize)]
#[serde(default)]
pub(super) struct ProfileForm {
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
pub(super) struct NoticeQuery {
    pesan: String,
}

pub(super) async fn profile(
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

pub(super) async fn update_profile(
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
pub(super) struct PasswordForm {
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

pub(super) async fn password_form(
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
pub(super) async fn password(
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
                    Ok(pair) => store_tokens(s.web.secure_cookies, s.web.refresh_ttl_secs, &pair),
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
