//! Registration, verification, sessions and password reset (public routes).

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use pst_proto::identity as pb;

use super::{Message, message};
use crate::ctx::Ctx;
use crate::error::{ApiError, ApiJson, Problem};
use crate::state::AppState;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(register))
        .routes(routes!(verify_email))
        .routes(routes!(resend_verification))
        .routes(routes!(login))
        .routes(routes!(refresh))
        .routes(routes!(logout))
        .routes(routes!(password_reset_request))
        .routes(routes!(password_reset_confirm))
}

#[derive(Debug, Clone, Copy, Deserialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum IdType {
    Ktp,
    Sim,
    Paspor,
    Lainnya,
}

impl IdType {
    fn to_pb(self) -> i32 {
        match self {
            Self::Ktp => pb::IdDocumentType::Ktp as i32,
            Self::Sim => pb::IdDocumentType::Sim as i32,
            Self::Paspor => pb::IdDocumentType::Paspor as i32,
            Self::Lainnya => pb::IdDocumentType::Lainnya as i32,
        }
    }
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RegisterBody {
    pub full_name: String,
    pub email: String,
    /// At least 10 characters with letters and digits.
    pub password: String,
    #[serde(default)]
    pub phone: String,
    pub institution: String,
    pub occupation: String,
    pub id_type: IdType,
    /// KTP: the 16-digit NIK.
    pub id_number: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Registered {
    pub user_id: String,
    pub message: String,
}

/// Register a visitor account; a verification link is mailed.
#[utoipa::path(post, path = "/api/v1/auth/register", tag = "auth", request_body = RegisterBody,
    responses((status = 201, body = Registered), (status = 409, body = Problem), (status = 422, body = Problem)))]
async fn register(
    State(s): State<AppState>,
    ctx: Ctx,
    ApiJson(b): ApiJson<RegisterBody>,
) -> Result<(StatusCode, Json<Registered>), ApiError> {
    Ok((
        StatusCode::CREATED,
        Json(register_account(&s, &ctx, b).await?),
    ))
}

/// Use case: register a visitor account (a verification link is mailed).
pub async fn register_account(
    s: &AppState,
    ctx: &Ctx,
    b: RegisterBody,
) -> Result<Registered, ApiError> {
    let req = pb::RegisterRequest {
        full_name: b.full_name,
        email: b.email,
        password: b.password,
        phone: b.phone,
        institution: b.institution,
        occupation: b.occupation,
        id_type: b.id_type.to_pb(),
        id_number: b.id_number,
    };
    let res = s
        .identity
        .clone()
        .register(ctx.request(req))
        .await?
        .into_inner();
    Ok(Registered {
        user_id: res.user_id,
        message: "Pendaftaran berhasil. Periksa e-mail Anda untuk memverifikasi akun.".to_owned(),
    })
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TokenBody {
    pub token: String,
}

/// Verify an e-mail address with the token from the mail.
#[utoipa::path(post, path = "/api/v1/auth/verify-email", tag = "auth", request_body = TokenBody,
    responses((status = 200, body = Message), (status = 409, body = Problem)))]
async fn verify_email(
    State(s): State<AppState>,
    ctx: Ctx,
    ApiJson(b): ApiJson<TokenBody>,
) -> Result<Json<Message>, ApiError> {
    Ok(Json(verify_address(&s, &ctx, b).await?))
}

/// Use case: verify an e-mail address with the token from the mail.
pub async fn verify_address(s: &AppState, ctx: &Ctx, b: TokenBody) -> Result<Message, ApiError> {
    s.identity
        .clone()
        .verify_email(ctx.request(pb::VerifyEmailRequest { token: b.token }))
        .await?;
    Ok(message("E-mail berhasil diverifikasi. Silakan masuk.").0)
}

/// Mail a new verification link. Answers the same whether or not the address has an
/// unverified account.
#[utoipa::path(post, path = "/api/v1/auth/verify-email/resend", tag = "auth", request_body = EmailBody,
    responses((status = 202, body = Message), (status = 422, body = Problem)))]
async fn resend_verification(
    State(s): State<AppState>,
    ctx: Ctx,
    ApiJson(b): ApiJson<EmailBody>,
) -> Result<(StatusCode, Json<Message>), ApiError> {
    Ok((StatusCode::ACCEPTED, Json(resend_link(&s, &ctx, b).await?)))
}

/// Use case: mail a new verification link (the same answer for any address).
pub async fn resend_link(s: &AppState, ctx: &Ctx, b: EmailBody) -> Result<Message, ApiError> {
    s.identity
        .clone()
        .resend_verification(ctx.request(pb::ResendVerificationRequest { email: b.email }))
        .await?;
    Ok(message(
        "Jika e-mail terdaftar dan belum diverifikasi, tautan verifikasi baru telah dikirim.",
    )
    .0)
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LoginBody {
    pub email: String,
    pub password: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct TokenResponse {
    pub access_token: String,
    pub refresh_token: String,
    pub token_type: String,
    /// Seconds until the access token expires.
    pub expires_in: u32,
}

impl From<pb::TokenPair> for TokenResponse {
    fn from(t: pb::TokenPair) -> Self {
        Self {
            access_token: t.access_token,
            refresh_token: t.refresh_token,
            token_type: t.token_type,
            expires_in: t.expires_in,
        }
    }
}

/// Sign in with e-mail and password.
#[utoipa::path(post, path = "/api/v1/auth/login", tag = "auth", request_body = LoginBody,
    responses((status = 200, body = TokenResponse), (status = 401, body = Problem), (status = 403, body = Problem), (status = 429, body = Problem)))]
async fn login(
    State(s): State<AppState>,
    ctx: Ctx,
    ApiJson(b): ApiJson<LoginBody>,
) -> Result<Json<TokenResponse>, ApiError> {
    Ok(Json(sign_in(&s, &ctx, b).await?.into()))
}

/// Use case: sign in; the token pair (the JSON route answers it, pages keep it in cookies).
pub async fn sign_in(s: &AppState, ctx: &Ctx, b: LoginBody) -> Result<pb::TokenPair, ApiError> {
    Ok(s.identity
        .clone()
        .login(ctx.request(pb::LoginRequest {
            email: b.email,
            password: b.password,
        }))
        .await?
        .into_inner())
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RefreshBody {
    pub refresh_token: String,
}

/// Swap a refresh token for a new pair. Re-using an old refresh token ends every session of its family.
#[utoipa::path(post, path = "/api/v1/auth/refresh", tag = "auth", request_body = RefreshBody,
    responses((status = 200, body = TokenResponse), (status = 401, body = Problem)))]
async fn refresh(
    State(s): State<AppState>,
    ctx: Ctx,
    ApiJson(b): ApiJson<RefreshBody>,
) -> Result<Json<TokenResponse>, ApiError> {
    let t = s
        .identity
        .clone()
        .refresh(ctx.request(pb::RefreshRequest {
            refresh_token: b.refresh_token,
        }))
        .await?;
    Ok(Json(t.into_inner().into()))
}

/// End the session the refresh token belongs to.
#[utoipa::path(post, path = "/api/v1/auth/logout", tag = "auth", request_body = RefreshBody,
    responses((status = 204)))]
async fn logout(
    State(s): State<AppState>,
    ctx: Ctx,
    ApiJson(b): ApiJson<RefreshBody>,
) -> Result<StatusCode, ApiError> {
    sign_out(&s, &ctx, b).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Use case: end the session the refresh token belongs to.
pub async fn sign_out(s: &AppState, ctx: &Ctx, b: RefreshBody) -> Result<(), ApiError> {
    s.identity
        .clone()
        .logout(ctx.request(pb::LogoutRequest {
            refresh_token: b.refresh_token,
        }))
        .await?;
    Ok(())
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct EmailBody {
    pub email: String,
}

/// Ask for a password-reset mail. Answers the same whether or not the address has an account.
#[utoipa::path(post, path = "/api/v1/auth/password-reset/request", tag = "auth", request_body = EmailBody,
    responses((status = 202, body = Message)))]
async fn password_reset_request(
    State(s): State<AppState>,
    ctx: Ctx,
    ApiJson(b): ApiJson<EmailBody>,
) -> Result<(StatusCode, Json<Message>), ApiError> {
    Ok((
        StatusCode::ACCEPTED,
        Json(request_reset(&s, &ctx, b).await?),
    ))
}

/// Use case: ask for a password-reset mail (the same answer whether or not the address has
/// an account).
pub async fn request_reset(s: &AppState, ctx: &Ctx, b: EmailBody) -> Result<Message, ApiError> {
    s.identity
        .clone()
        .request_password_reset(ctx.request(pb::PasswordResetRequest { email: b.email }))
        .await?;
    Ok(message("Jika e-mail terdaftar, tautan atur ulang kata sandi telah dikirim.").0)
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ResetConfirmBody {
    pub token: String,
    pub new_password: String,
}

/// Set a new password with the token from the reset mail; every session is ended.
#[utoipa::path(post, path = "/api/v1/auth/password-reset/confirm", tag = "auth", request_body = ResetConfirmBody,
    responses((status = 200, body = Message), (status = 409, body = Problem), (status = 422, body = Problem)))]
async fn password_reset_confirm(
    State(s): State<AppState>,
    ctx: Ctx,
    ApiJson(b): ApiJson<ResetConfirmBody>,
) -> Result<Json<Message>, ApiError> {
    Ok(Json(confirm_reset(&s, &ctx, b).await?))
}

/// Use case: set a new password with the token from the reset mail.
pub async fn confirm_reset(
    s: &AppState,
    ctx: &Ctx,
    b: ResetConfirmBody,
) -> Result<Message, ApiError> {
    s.identity
        .clone()
        .confirm_password_reset(ctx.request(pb::ConfirmPasswordResetRequest {
            token: b.token,
            new_password: b.new_password,
        }))
        .await?;
    Ok(message("Kata sandi telah diganti. Silakan masuk dengan kata sandi baru.").0)
}
