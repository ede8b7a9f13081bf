//! Demo data for a local run: office 1674 and one staff account per role, all with the
//! development password. Idempotent; refused in production.

use pst_kit::AppError;
use uuid::Uuid;

use crate::service::Identity;
use crate::store::offices::{self, OfficeRow};
use crate::store::users::{self, NewUserRow};

pub const DEMO_PASSWORD: &str = "Demo-Pustaka-1674";

/// (e-mail, name, role, office)
const STAFF: [(&str, &str, &str, Option<&str>); 4] = [
    ("admin@pst.test", "Admin PST", "admin", None),
    (
        "fo@pst.test",
        "Petugas Front Office",
        "front_office",
        Some("1674"),
    ),
    (
        "pustakawan@pst.test",
        "Pustakawan PST",
        "librarian",
        Some("1674"),
    ),
    (
        "supervisor@pst.test",
        "Supervisor PST",
        "supervisor",
        Some("1674"),
    ),
];

pub async fn seed(identity: &Identity) -> Result<(), AppError> {
    let pool = identity.pool();
    offices::upsert(
        pool,
        &OfficeRow {
            code: "1674".into(),
            name: "BPS Kota Lubuklinggau".into(),
            time_zone: "Asia/Jakarta".into(),
        },
    )
    .await?;
    offices::upsert(
        pool,
        &OfficeRow {
            code: "1600".into(),
            name: "BPS Provinsi Sumatera Selatan".into(),
            time_zone: "Asia/Jakarta".into(),
        },
    )
    .await?;
    let hash = identity.hasher.hash(DEMO_PASSWORD.to_owned()).await?;
    for (email, name, role, office) in STAFF {
        if users::by_email(pool, email).await?.is_some() {
            continue;
        }
        let row = NewUserRow {
            id: Uuid::now_v7(),
            full_name: name,
            email,
            password_hash: &hash,
            phone: "",
            institution: "BPS Kota Lubuklinggau",
            occupation: "Pegawai BPS",
            id_type: 0,
            id_number_enc: None,
            id_number_masked: "",
            role,
            office_code: office,
            verified: true,
        };
        match users::insert(pool, &row).await {
            Ok(()) | Err(AppError::Conflict { .. }) => {}
            Err(e) => return Err(e),
        }
    }
    tracing::info!("demo data loaded: office 1674 and staff accounts (password {DEMO_PASSWORD})");
    Ok(())
}
