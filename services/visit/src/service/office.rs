//! Administration of an office's walk-in setup, and the floor as a supervisor watches it.

use chrono::Utc;

use pst_kit::AppError;
use pst_kit::auth::{Caller, Role};

use super::Visits;
use crate::domain::office::{RawSetup, validate};
use crate::store::{floor, setup};

/// The floor of an office right now.
#[derive(Debug, Clone)]
pub struct Floor {
    pub office: String,
    pub counts: floor::Counts,
    pub promise_secs: u32,
    pub as_of: String,
}

/// Visitors whose wait passed this share of the promise are "at risk".
const AT_RISK_SHARE: f64 = 0.8;

impl Visits {
    /// Creates or replaces an office's setup (admin), audited; the change is seen by this
    /// instance at once and by the others within the setup cache's 10 s.
    pub async fn save_setup(
        &self,
        caller: &Caller,
        raw: RawSetup,
    ) -> Result<setup::Setup, AppError> {
        caller.require_role(&[Role::Admin])?;
        let s = validate(raw)?;
        let mut tx = self.pool.begin().await?;
        setup::replace(&mut tx, &s).await?;
        pst_kit::audit::record(
            &mut *tx,
            caller,
            Some(&s.code),
            "office.setup",
            &s.code,
            serde_json::json!({
                "name": s.name,
                "lines": s.service_types.iter().map(|t| format!("{} ({})", t.code, t.prefix)).collect::<Vec<_>>(),
                "counters": s.counters.iter().map(|c| c.code.clone()).collect::<Vec<_>>(),
                "lockers": s.lockers,
                "holidays": s.holidays.len(),
            }),
        )
        .await?;
        tx.commit().await?;
        self.setups
            .lock()
            .expect("BUG: setup cache poisoned")
            .remove(&s.code);
        self.setup(&s.code).await
    }

    /// Waiting, being served, the promise at risk and past, and cards held (office staff).
    pub async fn floor(&self, caller: &Caller, office: &str) -> Result<Floor, AppError> {
        let s = self.setup(office).await?;
        caller
            .require_role_in_office(&[Role::Supervisor, Role::FrontOffice, Role::Admin], &s.code)?;
        let now = Utc::now();
        let promise = f64::from(self.cfg.promise_secs);
        let counts = floor::counts(
            &self.pool,
            &s.code,
            s.clock.day(now),
            promise * AT_RISK_SHARE,
            promise,
        )
        .await?;
        Ok(Floor {
            office: s.code,
            counts,
            promise_secs: self.cfg.promise_secs,
            as_of: s.clock.rfc3339(now),
        })
    }
}
