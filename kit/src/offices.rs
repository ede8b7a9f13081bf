//! The offices (name and time zone) as the identity service lists them, cached for a few
//! minutes: what stamps, reports and e-mails show about an office.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use chrono_tz::Tz;
use pst_proto::identity::identity_service_client::IdentityServiceClient;

use crate::grpc::TracedChannel;

const CACHE: Duration = Duration::from_secs(300);

/// What is shown about an office.
#[derive(Debug, Clone, PartialEq)]
pub struct OfficeInfo {
    pub name: String,
    pub tz: Tz,
}

/// Identity's office list, cached.
#[derive(Debug)]
pub struct OfficeDirectory {
    identity: IdentityServiceClient<TracedChannel>,
    cache: Mutex<Option<(Instant, HashMap<String, OfficeInfo>)>>,
}

impl OfficeDirectory {
    pub fn new(identity: IdentityServiceClient<TracedChannel>) -> Self {
        Self {
            identity,
            cache: Mutex::default(),
        }
    }

    /// The office's name and zone; when identity cannot say, "BPS <code>" in WIB (the
    /// zone of most offices), logged.
    pub async fn get(&self, code: &str) -> OfficeInfo {
        if let Some((at, map)) = self
            .cache
            .lock()
            .expect("BUG: office cache poisoned")
            .as_ref()
            && at.elapsed() < CACHE
            && let Some(o) = map.get(code)
        {
            return o.clone();
        }
        let fallback = OfficeInfo {
            name: format!("BPS {code}"),
            tz: chrono_tz::Asia::Jakarta,
        };
        let mut req = tonic::Request::new(pst_proto::identity::ListOfficesRequest {});
        req.set_timeout(Duration::from_secs(2));
        match self.identity.clone().list_offices(req).await {
            Ok(list) => {
                let map: HashMap<String, OfficeInfo> = list
                    .into_inner()
                    .offices
                    .into_iter()
                    .map(|o| {
                        let tz = o.time_zone.parse().unwrap_or(chrono_tz::Asia::Jakarta);
                        (o.code, OfficeInfo { name: o.name, tz })
                    })
                    .collect();
                let found = map.get(code).cloned();
                *self.cache.lock().expect("BUG: office cache poisoned") =
                    Some((Instant::now(), map));
                found.unwrap_or_else(|| {
                    tracing::warn!(office = code, "office not in identity's list; using WIB");
                    fallback
                })
            }
            Err(e) => {
                tracing::warn!(error = %e.message(), office = code, "office list unavailable; using WIB");
                fallback
            }
        }
    }
}
