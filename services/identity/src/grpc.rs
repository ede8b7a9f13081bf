//! The wire edge: `pst.identity.v1.IdentityService` ⇄ the use cases in `service`.

use std::sync::Arc;

use tonic::{Request, Response, Status};

use pst_proto::common::Office;
use pst_proto::identity as pb;
use pst_proto::identity::identity_service_server::IdentityService;

use crate::domain::account::{NewStaff, RegistrationInput};
use crate::service::{Identity, ProfileInput, Tokens};
use crate::store::users::UserRow;

#[derive(Debug, Clone)]
pub struct IdentityApi(pub Arc<Identity>);

/// The client address the gateway forwards (signed), else the calling peer's.
fn client_ip<T>(req: &Request<T>) -> String {
    pst_kit::internal::client_ip(req)
}

fn user_to_pb(u: UserRow) -> pb::User {
    pb::User {
        id: u.id.to_string(),
        full_name: u.full_name,
        email: u.email,
        phone: u.phone,
        institution: u.institution,
        occupation: u.occupation,
        id_type: i32::from(u.id_type),
        id_number_masked: u.id_number_masked,
        role: u.role,
        office_code: u.office_code.unwrap_or_default(),
        email_verified: u.email_verified_at.is_some(),
        active: u.active,
        created_at: u.created_at.to_rfc3339(),
    }
}

fn tokens_to_pb(t: Tokens) -> pb::TokenPair {
    pb::TokenPair {
        access_token: t.access_token,
        refresh_token: t.refresh_token,
        expires_in: t.expires_in,
        token_type: "Bearer".to_owned(),
    }
}

type R<T> = Result<Response<T>, Status>;

#[tonic::async_trait]
impl IdentityService for IdentityApi {
    async fn register(&self, req: Request<pb::RegisterRequest>) -> R<pb::RegisterResponse> {
        let ip = client_ip(&req);
        let r = req.into_inner();
        let input = RegistrationInput {
            full_name: &r.full_name,
            email: &r.email,
            password: &r.password,
            phone: &r.phone,
            institution: &r.institution,
            occupation: &r.occupation,
            id_type: r.id_type,
            id_number: &r.id_number,
        };
        let id = self.0.register(&input, &ip).await?;
        Ok(Response::new(pb::RegisterResponse {
            user_id: id.to_string(),
            verification_sent: true,
        }))
    }

    async fn verify_email(
        &self,
        req: Request<pb::VerifyEmailRequest>,
    ) -> R<pb::VerifyEmailResponse> {
        let id = self.0.verify_email(&req.into_inner().token).await?;
        Ok(Response::new(pb::VerifyEmailResponse {
            user_id: id.to_string(),
        }))
    }

    async fn login(&self, req: Request<pb::LoginRequest>) -> R<pb::TokenPair> {
        let ip = client_ip(&req);
        let r = req.into_inner();
        Ok(Response::new(tokens_to_pb(
            self.0.login(&r.email, &r.password, &ip).await?,
        )))
    }

    async fn refresh(&self, req: Request<pb::RefreshRequest>) -> R<pb::TokenPair> {
        Ok(Response::new(tokens_to_pb(
            self.0.refresh(&req.into_inner().refresh_token).await?,
        )))
    }

    async fn logout(&self, req: Request<pb::LogoutRequest>) -> R<pb::LogoutResponse> {
        self.0.logout(&req.into_inner().refresh_token).await?;
        Ok(Response::new(pb::LogoutResponse {}))
    }

    async fn resend_verification(
        &self,
        req: Request<pb::ResendVerificationRequest>,
    ) -> R<pb::ResendVerificationResponse> {
        self.0.resend_verification(&req.into_inner().email).await?;
        Ok(Response::new(pb::ResendVerificationResponse {}))
    }

    async fn request_password_reset(
        &self,
        req: Request<pb::PasswordResetRequest>,
    ) -> R<pb::PasswordResetRequestResponse> {
        let ip = client_ip(&req);
        self.0
            .request_password_reset(&req.into_inner().email, &ip)
            .await?;
        Ok(Response::new(pb::PasswordResetRequestResponse {}))
    }

    async fn confirm_password_reset(
        &self,
        req: Request<pb::ConfirmPasswordResetRequest>,
    ) -> R<pb::ConfirmPasswordResetResponse> {
        let r = req.into_inner();
        self.0
            .confirm_password_reset(&r.token, &r.new_password)
            .await?;
        Ok(Response::new(pb::ConfirmPasswordResetResponse {}))
    }

    async fn change_password(
        &self,
        req: Request<pb::ChangePasswordRequest>,
    ) -> R<pb::ChangePasswordResponse> {
        let caller = self.0.verifier().caller(&req)?;
        let r = req.into_inner();
        self.0
            .change_password(&caller, &r.current_password, &r.new_password)
            .await?;
        Ok(Response::new(pb::ChangePasswordResponse {}))
    }

    async fn get_visitor_profile(
        &self,
        req: Request<pb::GetVisitorProfileRequest>,
    ) -> R<pb::VisitorProfile> {
        let caller = self.0.verifier().caller(&req)?;
        let u = self
            .0
            .visitor_profile(&caller, &req.into_inner().user_id)
            .await?;
        Ok(Response::new(pb::VisitorProfile {
            full_name: u.full_name,
            email: u.email,
            phone: u.phone,
            occupation: u.occupation,
            institution: u.institution,
        }))
    }

    async fn issue_visit_card(&self, req: Request<pb::IssueVisitCardRequest>) -> R<pb::VisitCard> {
        let caller = self.0.verifier().caller(&req)?;
        let (token, exp) = self.0.visit_card(&caller).await?;
        let expires_at = chrono::DateTime::from_timestamp(exp, 0)
            .map(|t| t.to_rfc3339_opts(chrono::SecondsFormat::Secs, true))
            .unwrap_or_default();
        Ok(Response::new(pb::VisitCard { token, expires_at }))
    }

    async fn get_me(&self, req: Request<pb::GetMeRequest>) -> R<pb::User> {
        let caller = self.0.verifier().caller(&req)?;
        Ok(Response::new(user_to_pb(self.0.me(&caller).await?)))
    }

    async fn update_me(&self, req: Request<pb::UpdateMeRequest>) -> R<pb::User> {
        let caller = self.0.verifier().caller(&req)?;
        let r = req.into_inner();
        let input = ProfileInput {
            full_name: r.full_name.as_deref(),
            phone: r.phone.as_deref(),
            institution: r.institution.as_deref(),
            occupation: r.occupation.as_deref(),
        };
        Ok(Response::new(user_to_pb(
            self.0.update_me(&caller, &input).await?,
        )))
    }

    async fn get_public_key(
        &self,
        _req: Request<pb::GetPublicKeyRequest>,
    ) -> R<pb::GetPublicKeyResponse> {
        Ok(Response::new(pb::GetPublicKeyResponse {
            algorithm: "EdDSA".to_owned(),
            public_key: pst_kit::auth::encode_key(self.0.public_key()),
        }))
    }

    async fn list_offices(
        &self,
        _req: Request<pb::ListOfficesRequest>,
    ) -> R<pb::ListOfficesResponse> {
        let offices = self.0.list_offices().await?;
        Ok(Response::new(pb::ListOfficesResponse {
            offices: offices
                .into_iter()
                .map(|o| Office {
                    code: o.code,
                    name: o.name,
                    time_zone: o.time_zone,
                })
                .collect(),
        }))
    }

    async fn upsert_office(&self, req: Request<pb::UpsertOfficeRequest>) -> R<Office> {
        let caller = self.0.verifier().caller(&req)?;
        let o = req.into_inner().office.unwrap_or_default();
        let saved = self
            .0
            .upsert_office(&caller, &o.code, &o.name, &o.time_zone)
            .await?;
        Ok(Response::new(Office {
            code: saved.code,
            name: saved.name,
            time_zone: saved.time_zone,
        }))
    }

    async fn create_staff(&self, req: Request<pb::CreateStaffRequest>) -> R<pb::User> {
        let caller = self.0.verifier().caller(&req)?;
        // Authorise before looking at the body, so a non-admin learns nothing from it.
        caller.require_role(&[pst_kit::auth::Role::Admin])?;
        let r = req.into_inner();
        let new = NewStaff::parse(
            &r.full_name,
            &r.email,
            &r.password,
            &r.role,
            &r.office_code,
            &r.phone,
        )?;
        Ok(Response::new(user_to_pb(
            self.0.create_staff(&caller, new).await?,
        )))
    }

    async fn update_staff(&self, req: Request<pb::UpdateStaffRequest>) -> R<pb::User> {
        let caller = self.0.verifier().caller(&req)?;
        let r = req.into_inner();
        let row = self
            .0
            .update_staff(
                &caller,
                &r.user_id,
                r.role.as_deref(),
                r.office_code.as_deref(),
                r.active,
                r.full_name.as_deref(),
            )
            .await?;
        Ok(Response::new(user_to_pb(row)))
    }

    async fn list_staff(&self, req: Request<pb::ListStaffRequest>) -> R<pb::ListStaffResponse> {
        let caller = self.0.verifier().caller(&req)?;
        let r = req.into_inner();
        let page = r.page.unwrap_or_default();
        let result = self
            .0
            .list_staff(&caller, &r.office_code, &page.cursor, page.limit)
            .await?;
        Ok(Response::new(pb::ListStaffResponse {
            staff: result.staff.into_iter().map(user_to_pb).collect(),
            page: Some(pst_proto::common::PageInfo {
                next_cursor: result.next_cursor,
            }),
        }))
    }

    async fn list_audit(&self, req: Request<pb::ListAuditRequest>) -> R<pb::ListAuditResponse> {
        let caller = self.0.verifier().caller(&req)?;
        let r = req.into_inner();
        let page = r.page.unwrap_or_default();
        let result = self
            .0
            .list_audit(
                &caller,
                crate::service::AuditQuery {
                    office: &r.office_code,
                    actor: &r.actor_id,
                    action: &r.action,
                    from: &r.from,
                    to: &r.to,
                },
                &page.cursor,
                page.limit,
            )
            .await?;
        Ok(Response::new(pb::ListAuditResponse {
            entries: result
                .entries
                .into_iter()
                .map(|e| pb::AuditEntry {
                    id: e.id.to_string(),
                    at: e.at.to_rfc3339(),
                    actor_id: e.actor_id.map(|a| a.to_string()).unwrap_or_default(),
                    actor_role: e.actor_role,
                    office_code: e.office_code.unwrap_or_default(),
                    action: e.action,
                    target: e.target,
                    detail: e.detail.to_string(),
                })
                .collect(),
            page: Some(pst_proto::common::PageInfo {
                next_cursor: result.next_cursor,
            }),
        }))
    }

    async fn reset_staff_password(
        &self,
        req: Request<pb::ResetStaffPasswordRequest>,
    ) -> R<pb::ResetStaffPasswordResponse> {
        let caller = self.0.verifier().caller(&req)?;
        let message = self
            .0
            .reset_staff_password(&caller, &req.into_inner().user_id)
            .await?;
        Ok(Response::new(pb::ResetStaffPasswordResponse { message }))
    }
}
