//! `pst first-admin`: the first administrator of a new installation, made from the
//! command line (a Kubernetes Job or `kubectl exec`), since no one can sign in yet to
//! make one in the admin pages. It works only while there is no administrator at all;
//! the password is random, shown once, and must be changed at the first sign-in.

use rand::Rng as _;
use uuid::Uuid;

use pst_kit::Settings;
use pst_kit::auth::{Caller, Role};

use crate::domain::password::Password;
use crate::store::users::{self, NewUserRow};

/// What was made: the account's id and its one-time password.
pub struct FirstAdmin {
    pub id: Uuid,
    pub password: String,
}

/// A random password of 20 letters and digits that passes the password rules.
fn random_password(email: &str) -> String {
    const ALPHABET: &[u8] = b"ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789";
    let mut rng = rand::rngs::OsRng;
    loop {
        let pw: String = (0..20)
            .map(|_| ALPHABET[rng.gen_range(0..ALPHABET.len())] as char)
            .collect();
        if Password::parse(&pw, email).is_ok() {
            return pw;
        }
    }
}

pub async fn create(settings: &Settings, email: &str, name: &str) -> anyhow::Result<FirstAdmin> {
    let email = pst_kit::validate::email(email).map_err(|e| anyhow::anyhow!("--email: {e}"))?;
    let name = pst_kit::validate::text(name, 3, 100).map_err(|e| anyhow::anyhow!("--name: {e}"))?;
    let pool = pst_kit::db::connect(&settings.database, "identity", &crate::MIGRATOR).await?;
    let mut tx = pool.begin().await?;
    // One at a time, and only the first.
    sqlx::query("SELECT pg_advisory_xact_lock(hashtextextended('pst first-admin', 0))")
        .execute(&mut *tx)
        .await?;
    let admins: i64 = sqlx::query_scalar("SELECT count(*) FROM users WHERE role = 'admin'")
        .fetch_one(&mut *tx)
        .await?;
    anyhow::ensure!(
        admins == 0,
        "an administrator already exists ({admins}); make more accounts in the admin pages (Admin > Petugas)"
    );
    let password = random_password(&email);
    let hash = crate::hashing::HashPool::per_core()
        .hash(password.clone())
        .await
        .map_err(|e| anyhow::anyhow!("hashing the password: {e}"))?;
    let id = Uuid::now_v7();
    users::insert(
        &mut *tx,
        &NewUserRow {
            id,
            full_name: &name,
            email: &email,
            password_hash: &hash,
            phone: "",
            institution: "BPS",
            occupation: "Pegawai BPS",
            id_type: 0,
            id_number_enc: None,
            id_number_masked: "",
            role: Role::Admin.as_str(),
            office_code: None,
            verified: true,
        },
    )
    .await
    .map_err(|e| anyhow::anyhow!("creating the administrator: {e}"))?;
    pst_kit::audit::record(
        &mut *tx,
        &Caller {
            user_id: id,
            role: Role::Admin,
            office: None,
        },
        None,
        "staff.first_admin",
        &id.to_string(),
        serde_json::json!({ "via": "pst first-admin" }),
    )
    .await
    .map_err(|e| anyhow::anyhow!("recording the audit row: {e}"))?;
    tx.commit().await?;
    Ok(FirstAdmin { id, password })
}
