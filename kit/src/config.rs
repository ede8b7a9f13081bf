//! Layered settings: built-in defaults (`config/default.toml`), an optional file, then
//! `PST_<SECTION>__<KEY>` environment variables.

use std::path::Path;

use secrecy::SecretString;
use serde::Deserialize;

const DEFAULTS: &str = include_str!("../../config/default.toml");

#[derive(Debug, Clone, Deserialize)]
pub struct Settings {
    pub environment: String,
    pub demo: bool,
    /// With `demo`: also a month of past visits, survey answers and complaints for the demo
    /// office (what `pst all --demo` shows); tests that count rows leave it off.
    #[serde(default)]
    pub demo_history: bool,
    pub gateway: GatewaySettings,
    pub services: ServiceSettings,
    pub database: DatabaseSettings,
    pub redis: RedisSettings,
    pub auth: AuthSettings,
    pub identity: IdentitySettings,
    pub visit: VisitSettings,
    pub catalogue: CatalogueSettings,
    pub feedback: FeedbackSettings,
    pub watermark: WatermarkSettings,
    pub mail: MailSettings,
    pub telemetry: TelemetrySettings,
    pub metrics: MetricsSettings,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MetricsSettings {
    /// Where `GET /metrics` (Prometheus text) is served, apart from the component's own
    /// port, e.g. `0.0.0.0:9464`; empty: not served.
    pub addr: String,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GatewaySettings {
    pub addr: String,
    pub public_url: String,
    pub cors_origins: Vec<String>,
    pub body_limit_bytes: usize,
    pub rate_limit_per_minute: u32,
    pub backend_timeout_ms: u64,
    /// Address ranges (CIDR) of the proxies in front of the gateway (the ingress): only
    /// requests from them may name the client in X-Forwarded-For. Empty: nobody may.
    #[serde(default)]
    pub trusted_proxies: Vec<String>,
    pub document_delivery: DocumentDelivery,
    /// Live streams (display boards, the supervisor's tiles) open at once from one client
    /// address, and for one office: hundreds of idle connections cannot lock out the real
    /// boards.
    #[serde(default = "streams_per_client")]
    pub streams_per_client: usize,
    #[serde(default = "streams_per_office")]
    pub streams_per_office: usize,
}

fn streams_per_client() -> usize {
    // An office's PCs and TVs may share one address behind its NAT.
    20
}

fn streams_per_office() -> usize {
    100
}

/// How the gateway sends a stamped copy (`gateway.document_delivery`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum DocumentDelivery {
    /// `direct` when the gateway runs in the same process as the watermark service
    /// (`pst all`, which shares one storage), `stream` otherwise.
    Auto,
    /// The watermark service streams every byte of the copy over gRPC; the gateway needs
    /// no access to document storage.
    Stream,
    /// The watermark service checks and logs the copy and answers with its stamp; the
    /// gateway reads the original from document storage itself (the `watermark.storage_*`
    /// settings; read-only access is enough).
    Direct,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ServiceSettings {
    pub identity_addr: String,
    pub visit_addr: String,
    pub catalogue_addr: String,
    pub watermark_addr: String,
    pub feedback_addr: String,
    pub identity_url: String,
    pub visit_url: String,
    pub catalogue_url: String,
    pub watermark_url: String,
    pub feedback_url: String,
    pub request_timeout_secs: u64,
    pub concurrency_per_connection: usize,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DatabaseSettings {
    pub url: String,
    pub prefix: String,
    pub max_connections: u32,
    /// Create the database and apply migrations when a component starts (local runs).
    /// Off in production: `pst migrate` runs them once, with a role that owns the schema,
    /// and a component refuses to start on a schema older than it needs.
    pub migrate_on_start: bool,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RedisSettings {
    /// `redis://host:6379`, or `rediss://host:6380` for TLS.
    pub url: String,
    pub prefix: String,
    /// PEM file of the CA that signed the Redis server's certificate (`rediss://`); empty:
    /// the system's trusted roots.
    pub ca_file: String,
    /// A Redis Cluster: `url` lists one or more of its nodes, separated by commas.
    pub cluster: bool,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AuthSettings {
    pub signing_key: SecretString,
    /// Base64 of 32 random bytes shared by the gateway and the services: signs what the
    /// gateway tells them about a request (the client's address). See `kit::internal`.
    pub internal_key: SecretString,
    pub public_key: String,
    pub issuer: String,
    pub access_ttl_secs: u32,
    pub refresh_ttl_secs: u32,
    pub dev_secrets_dir: String,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct IdentitySettings {
    pub data_key: SecretString,
    pub max_failed_logins: u32,
    pub lockout_secs: u32,
    pub max_failed_logins_per_ip: u32,
    pub ip_window_secs: u32,
    pub verify_token_ttl_secs: u32,
    pub reset_token_ttl_secs: u32,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct VisitSettings {
    pub data_key: SecretString,
    pub kiosk_tickets_per_minute: u32,
    pub max_calls: u32,
    pub skip_grace_secs: u32,
    pub promise_secs: u32,
    pub at_risk_secs: u32,
    pub board_refresh_secs: u64,
    pub max_streams: usize,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FeedbackSettings {
    pub verify_days: u32,
    pub follow_up_days: u32,
    pub reopen_days: u32,
    pub holidays: Vec<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CatalogueSettings {
    /// `index` (the in-memory search index, followed from Postgres) or `postgres` (the
    /// database's own full-text search, planned from its statistics).
    pub search_engine: SearchEngine,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum SearchEngine {
    Index,
    Postgres,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WatermarkSettings {
    pub mark_key: SecretString,
    pub storage_url: String,
    pub storage_dir: String,
    pub max_upload_bytes: u64,
    pub max_pages: usize,
    pub max_stream_inflated_mib: u64,
    pub chunk_kib: usize,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MailSettings {
    pub from: String,
    pub smtp_url: SecretString,
    pub outbox_dir: String,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TelemetrySettings {
    pub log_format: String,
    pub log_level: String,
    pub otlp_endpoint: String,
    pub service_name: String,
}

/// `PST_<SECTION>__<KEY>` variables.
fn env_source() -> config::Environment {
    config::Environment::with_prefix("PST")
        .prefix_separator("_")
        .separator("__")
}

impl Settings {
    /// Defaults, then `file` if given, then the environment.
    pub fn load(file: Option<&Path>) -> Result<Self, config::ConfigError> {
        Self::load_with(file, env_source())
    }

    /// Like [`Settings::load`] but with an explicit environment source, so tests can pass
    /// their own variables without touching the process environment.
    pub fn load_with(
        file: Option<&Path>,
        env: config::Environment,
    ) -> Result<Self, config::ConfigError> {
        let mut builder = config::Config::builder()
            .add_source(config::File::from_str(DEFAULTS, config::FileFormat::Toml));
        if let Some(path) = file {
            builder = builder.add_source(config::File::from(path).required(true));
        }
        builder
            .add_source(
                env.list_separator(",")
                    .with_list_parse_key("gateway.cors_origins")
                    .with_list_parse_key("gateway.trusted_proxies")
                    .with_list_parse_key("feedback.holidays")
                    .try_parsing(true),
            )
            .build()?
            .try_deserialize()
    }

    /// Defaults with `overrides` given as `PST_...` variable names and values, and without
    /// reading the process environment (tests, tools).
    pub fn with_overrides<K: AsRef<str>, V: AsRef<str>>(
        overrides: &[(K, V)],
    ) -> Result<Self, config::ConfigError> {
        let map: std::collections::HashMap<String, String> = overrides
            .iter()
            .map(|(k, v)| (k.as_ref().to_owned(), v.as_ref().to_owned()))
            .collect();
        Self::load_with(None, env_source().source(Some(map)))
    }

    pub fn is_production(&self) -> bool {
        self.environment.eq_ignore_ascii_case("production")
    }

    /// Whether a component loads its demo data: when `demo` is set, and never in
    /// production (an error there, not a silent skip).
    pub fn load_demo(&self) -> anyhow::Result<bool> {
        anyhow::ensure!(
            !(self.demo && self.is_production()),
            "demo data is never loaded in production"
        );
        Ok(self.demo)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn env(vars: &[(&str, &str)]) -> config::Environment {
        let map: HashMap<String, String> = vars
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect();
        env_source().source(Some(map))
    }

    #[test]
    fn defaults_load_without_any_file_or_environment() {
        let s = Settings::load_with(None, env(&[])).expect("defaults parse");
        assert_eq!(s.gateway.addr, "127.0.0.1:8080");
        assert_eq!(s.services.identity_addr, "127.0.0.1:50051");
        assert_eq!(s.services.feedback_addr, "127.0.0.1:50055");
        assert!(!s.is_production());
    }

    #[test]
    fn environment_overrides_defaults_and_parses_lists_and_numbers() {
        let s = Settings::load_with(
            None,
            env(&[
                ("PST_DATABASE__PREFIX", "x_"),
                ("PST_GATEWAY__RATE_LIMIT_PER_MINUTE", "7"),
                ("PST_GATEWAY__CORS_ORIGINS", "https://a.test,https://b.test"),
                ("PST_ENVIRONMENT", "production"),
            ]),
        )
        .expect("env parses");
        assert_eq!(s.database.prefix, "x_");
        assert_eq!(s.gateway.rate_limit_per_minute, 7);
        assert_eq!(
            s.gateway.cors_origins,
            vec!["https://a.test", "https://b.test"]
        );
        assert!(s.is_production());
    }

    #[test]
    fn a_misspelt_setting_is_an_error_not_silently_ignored() {
        let err =
            Settings::load_with(None, env(&[("PST_DATABASE__URLL", "postgres://x")])).unwrap_err();
        assert!(err.to_string().contains("urll"), "{err}");
    }
}
