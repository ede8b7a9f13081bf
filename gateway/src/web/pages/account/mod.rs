//! Account pages: registration and verification, sign-in and sign-out, password reset,
//! profile and password change.

mod password;
mod profile;
mod register;
mod sign_in;

pub(in crate::web::pages) use password::{
    forgot, forgot_form, resend, resend_form, reset, reset_form,
};
pub(in crate::web::pages) use profile::{password, password_form, profile, update_profile};
pub(in crate::web::pages) use register::{
    register, register_form, registered, verify, verify_form,
};
pub(in crate::web::pages) use sign_in::{sign_in, sign_in_form, sign_out};
