//! Postgres: each service owns one database (`<prefix><service>`). Locally it is created
//! when missing and its embedded migrations applied at start; in production
//! (`database.migrate_on_start = false`) `pst migrate` does that once, and a component
//! only checks that the schema has every migration it needs, naming the missing one.

use std::str::FromStr;
use std::time::Duration;

use anyhow::Context as _;
use sqlx::migrate::Migrator;
use sqlx::postgres::{PgConnectOptions, PgPoolOptions};
use sqlx::{ConnectOptions as _, Connection as _, PgPool};

use crate::config::DatabaseSettings;

/// The database name of `service`, e.g. `pst_identity`.
pub fn database_name(settings: &DatabaseSettings, service: &str) -> String {
    format!("{}{}", settings.prefix, service)
}

/// Connects the service's pool. With `migrate_on_start` the database is created if
/// needed and `migrator` run; without, the schema must already have every migration.
pub async fn connect(
    settings: &DatabaseSettings,
    service: &str,
    migrator: &Migrator,
) -> anyhow::Result<PgPool> {
    let name = database_name(settings, service);
    if !settings.migrate_on_start {
        let pool = open_pool(settings, &name, settings.max_connections)
            .await
            .map_err(|e| missing_database(e, &name, service))?;
        require_schema(&pool, &name, service, migrator).await?;
        crate::metrics::get().watch_pool(service, &pool);
        return Ok(pool);
    }
    ensure_database(settings, &name).await?;
    let pool = open_pool(settings, &name, settings.max_connections).await?;
    migrator
        .run(&pool)
        .await
        .with_context(|| format!("migrating database {name}"))?;
    crate::metrics::get().watch_pool(service, &pool);
    Ok(pool)
}

/// `pst migrate`: creates the service's database if needed and applies its migrations.
/// Returns the migrations applied now (`0002_document_bases`), empty when up to date.
pub async fn migrate(
    settings: &DatabaseSettings,
    service: &str,
    migrator: &Migrator,
) -> anyhow::Result<Vec<String>> {
    let name = database_name(settings, service);
    ensure_database(settings, &name).await?;
    let pool = open_pool(settings, &name, 1).await?;
    let before = applied(&pool).await?;
    // sqlx takes an advisory lock: two runs at once apply each migration once.
    migrator
        .run(&pool)
        .await
        .with_context(|| format!("migrating database {name}"))?;
    let now = migrator
        .iter()
        .filter(|m| m.migration_type.is_up_migration() && !before.contains(&m.version))
        .map(|m| format!("{:04}_{}", m.version, m.description.replace(' ', "_")))
        .collect();
    pool.close().await;
    Ok(now)
}

/// The versions applied successfully to the database behind `pool`.
async fn applied(pool: &PgPool) -> anyhow::Result<std::collections::HashSet<i64>> {
    let table: Option<String> = sqlx::query_scalar("SELECT to_regclass('_sqlx_migrations')::text")
        .fetch_one(pool)
        .await?;
    if table.is_none() {
        return Ok(Default::default());
    }
    Ok(
        sqlx::query_scalar::<_, i64>("SELECT version FROM _sqlx_migrations WHERE success")
            .fetch_all(pool)
            .await?
            .into_iter()
            .collect(),
    )
}

/// Refuses a schema older than this build needs, naming the first missing migration.
async fn require_schema(
    pool: &PgPool,
    name: &str,
    service: &str,
    migrator: &Migrator,
) -> anyhow::Result<()> {
    let done = applied(pool).await?;
    if let Some(m) = migrator
        .iter()
        .find(|m| m.migration_type.is_up_migration() && !done.contains(&m.version))
    {
        anyhow::bail!(
            "database {name} lacks migration {:04}_{} that this build needs: run `pst migrate {service}` (a role that owns the schema) before starting {service}",
            m.version,
            m.description.replace(' ', "_")
        );
    }
    Ok(())
}

/// A database that does not exist yet, said as what to do.
fn missing_database(e: anyhow::Error, name: &str, service: &str) -> anyhow::Error {
    let missing = e.chain().any(|c| {
        c.downcast_ref::<sqlx::Error>()
            .and_then(|s| s.as_database_error())
            .and_then(|d| d.code())
            .as_deref()
            == Some("3D000")
    });
    if missing {
        anyhow::anyhow!(
            "database {name} does not exist: run `pst migrate {service}` (a role that owns the schema) before starting {service}"
        )
    } else {
        e
    }
}

async fn open_pool(
    settings: &DatabaseSettings,
    name: &str,
    max_connections: u32,
) -> anyhow::Result<PgPool> {
    // Custom plans for every execution: our queries carry optional filters and skewed
    // values (one office vs. all, a rare word vs. a common one), where a cached generic plan
    // picks a sequential scan; planning costs far less than that scan.
    let options = base_options(settings)?
        .database(name)
        .options([("plan_cache_mode", "force_custom_plan")]);
    PgPoolOptions::new()
        .max_connections(max_connections)
        .acquire_timeout(Duration::from_secs(5))
        .connect_with(options)
        .await
        .with_context(|| format!("connecting to database {name}"))
}

fn base_options(settings: &DatabaseSettings) -> anyhow::Result<PgConnectOptions> {
    Ok(PgConnectOptions::from_str(&settings.url)
        .context("database.url is not a valid Postgres URL")?
        .log_statements(tracing::log::LevelFilter::Trace))
}

async fn ensure_database(settings: &DatabaseSettings, name: &str) -> anyhow::Result<()> {
    if !name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_') || name.len() > 63 {
        anyhow::bail!("database name {name:?} must be 1-63 characters of [A-Za-z0-9_]");
    }
    let mut conn = sqlx::PgConnection::connect_with(&base_options(settings)?.database("postgres"))
        .await
        .with_context(|| {
            format!(
                "cannot reach Postgres at {} (is it running?)",
                redact(&settings.url)
            )
        })?;
    let exists: bool =
        sqlx::query_scalar("SELECT EXISTS (SELECT 1 FROM pg_database WHERE datname = $1)")
            .bind(name)
            .fetch_one(&mut conn)
            .await?;
    if !exists {
        // Two components starting together may race here; "already exists" is success.
        match sqlx::query(sqlx::AssertSqlSafe(format!("CREATE DATABASE \"{name}\"")))
            .execute(&mut conn)
            .await
        {
            Ok(_) => tracing::info!(database = name, "created database"),
            Err(sqlx::Error::Database(e))
                if matches!(e.code().as_deref(), Some("42P04" | "23505")) => {}
            Err(e) => return Err(e).with_context(|| format!("creating database {name}")),
        }
    }
    conn.close().await.ok();
    Ok(())
}

/// The URL without its password, for messages.
pub fn redact(url: &str) -> String {
    match url
        .split_once("://")
        .and_then(|(s, rest)| rest.split_once('@').map(|(cred, host)| (s, cred, host)))
    {
        Some((scheme, cred, host)) => {
            let user = cred.split(':').next().unwrap_or_default();
            format!("{scheme}://{user}@{host}")
        }
        None => url.to_owned(),
    }
}

/// Whether `e` is a unique-constraint violation on `constraint`.
pub fn is_unique_violation(e: &sqlx::Error, constraint: &str) -> bool {
    matches!(e, sqlx::Error::Database(d) if d.code().as_deref() == Some("23505") && d.constraint() == Some(constraint))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn redact_hides_passwords() {
        assert_eq!(redact("postgres://u:secret@h:5432"), "postgres://u@h:5432");
        assert_eq!(redact("postgres://h:5432"), "postgres://h:5432");
    }
}
