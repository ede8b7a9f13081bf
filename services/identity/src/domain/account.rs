//! Registrations and staff accounts, parsed so they cannot exist invalid.

use pst_kit::AppError;
use pst_kit::auth::Role;
use pst_kit::validate::{self, Violations};

use super::password::Password;
use pst_kit::id_document::{IdNumber, IdType};

/// What a visitor sends to register (wire-independent).
#[derive(Debug, Default)]
pub struct RegistrationInput<'a> {
    pub full_name: &'a str,
    pub email: &'a str,
    pub password: &'a str,
    pub phone: &'a str,
    pub institution: &'a str,
    pub occupation: &'a str,
    pub id_type: i32,
    pub id_number: &'a str,
}

#[derive(Debug)]
pub struct NewVisitor {
    pub full_name: String,
    pub email: String,
    pub password: Password,
    pub phone: String,
    pub institution: String,
    pub occupation: String,
    pub id_type: IdType,
    pub id_number: IdNumber,
}

impl NewVisitor {
    /// Checks every field and reports all violations at once.
    pub fn parse(input: &RegistrationInput<'_>) -> Result<Self, AppError> {
        let mut v = Violations::new();
        let full_name = v.check("full_name", validate::text(input.full_name, 2, 120));
        let email = v.check("email", validate::email(input.email));
        let password = v.check(
            "password",
            Password::parse(input.password, input.email.trim()),
        );
        let phone = v.check("phone", validate::phone(input.phone));
        let institution = v.check("institution", validate::text(input.institution, 1, 200));
        let occupation = v.check("occupation", validate::text(input.occupation, 1, 100));
        let id_type = v.check(
            "id_type",
            IdType::from_i32(input.id_type)
                .ok_or_else(|| "Pilih jenis identitas: KTP, SIM, paspor, atau lainnya.".to_owned()),
        );
        let id_number =
            id_type.and_then(|t| v.check("id_number", IdNumber::parse(t, input.id_number)));
        v.into_result()?;
        match (
            full_name,
            email,
            password,
            phone,
            institution,
            occupation,
            id_type,
            id_number,
        ) {
            (
                Some(full_name),
                Some(email),
                Some(password),
                Some(phone),
                Some(institution),
                Some(occupation),
                Some(id_type),
                Some(id_number),
            ) => Ok(Self {
                full_name,
                email,
                password,
                phone,
                institution,
                occupation,
                id_type,
                id_number,
            }),
            _ => Err(AppError::internal(anyhow::anyhow!(
                "BUG: validation passed with a missing field"
            ))),
        }
    }
}

/// A staff account an admin creates.
#[derive(Debug)]
pub struct NewStaff {
    pub full_name: String,
    pub email: String,
    pub password: Password,
    pub role: Role,
    pub office_code: Option<String>,
    pub phone: String,
}

impl NewStaff {
    pub fn parse(
        full_name: &str,
        email: &str,
        password: &str,
        role: &str,
        office: &str,
        phone: &str,
    ) -> Result<Self, AppError> {
        let mut v = Violations::new();
        let full_name = v.check("full_name", validate::text(full_name, 2, 120));
        let email_ok = v.check("email", validate::email(email));
        let password = v.check("password", Password::parse(password, email.trim()));
        let role = v.check("role", staff_role(role));
        let office_code = match role {
            Some(Role::Admin) if office.trim().is_empty() => Some(None),
            _ => v
                .check("office_code", validate::office_code(office))
                .map(Some),
        };
        let phone = v.check("phone", validate::phone(phone));
        v.into_result()?;
        match (full_name, email_ok, password, role, office_code, phone) {
            (
                Some(full_name),
                Some(email),
                Some(password),
                Some(role),
                Some(office_code),
                Some(phone),
            ) => Ok(Self {
                full_name,
                email,
                password,
                role,
                office_code,
                phone,
            }),
            _ => Err(AppError::internal(anyhow::anyhow!(
                "BUG: validation passed with a missing field"
            ))),
        }
    }
}

/// Staff roles only: visitors register themselves.
pub fn staff_role(raw: &str) -> Result<Role, String> {
    match raw.parse::<Role>()? {
        Role::Visitor => Err("Akun staf tidak boleh berperan visitor.".to_owned()),
        r => Ok(r),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input() -> RegistrationInput<'static> {
        RegistrationInput {
            full_name: "Siti Aminah",
            email: "siti@example.id",
            password: "Buku-Statistik-2024",
            phone: "081234567890",
            institution: "Universitas Musi Rawas",
            occupation: "Mahasiswa",
            id_type: 1,
            id_number: "1674010101900001",
        }
    }

    #[test]
    fn a_valid_registration_parses() {
        let v = NewVisitor::parse(&input()).expect("valid");
        assert_eq!(v.email, "siti@example.id");
        assert_eq!(v.id_number.masked(), "16**********0001");
    }

    #[test]
    fn every_bad_field_is_reported_at_once() {
        let bad = RegistrationInput {
            email: "siti",
            password: "short",
            id_number: "123",
            full_name: "",
            ..input()
        };
        let AppError::Validation(violations) = NewVisitor::parse(&bad).unwrap_err() else {
            panic!("expected validation")
        };
        let fields: Vec<_> = violations.iter().map(|v| v.field.as_str()).collect();
        assert_eq!(fields, ["full_name", "email", "password", "id_number"]);
    }

    #[test]
    fn staff_must_have_an_office_except_admins() {
        assert!(
            NewStaff::parse(
                "Petugas FO",
                "fo@pst.test",
                "Demo-Pustaka-1674",
                "front_office",
                "",
                ""
            )
            .is_err()
        );
        assert!(
            NewStaff::parse("Admin", "a@pst.test", "Demo-Pustaka-1674", "admin", "", "").is_ok()
        );
        assert!(
            NewStaff::parse(
                "X",
                "v@pst.test",
                "Demo-Pustaka-1674",
                "visitor",
                "1674",
                ""
            )
            .is_err()
        );
    }
}
