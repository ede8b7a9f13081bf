//! Postgres: each service owns one database (`<prefix><service>`) that is created when
//! missing, then its embedded migrations are applied.

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

/// Creates the service's database if needed, connects a pool and runs `migrator`.
pub async fn connect(
    settings: &DatabaseSettings,
    service: &str,
    migrator: &Migrator,
) -> anyhow::Result<PgPool> {
    let name = database_name(settings, service);
    ensure_database(settings, &name).await?;
    // Custom plans for every execution: our queries carry optional filters and skewed
    // values (one office vs. all, a rare word vs. a common one), where a cached generic plan
    // picks a sequential scan; planning costs far less than that scan.
    let options = base_options(settings)?
        .database(&name)
        .options([("plan_cache_mode", "force_custom_plan")]);
    let pool = PgPoolOptions::new()
        .max_connections(settings.max_connections)
        .acquire_timeout(Duration::from_secs(5))
        .connect_with(options)
        .await
        .with_context(|| format!("connecting to database {name}"))?;
    migrator
        .run(&pool)
        .await
        .with_context(|| format!("migrating database {name}"))?;
    Ok(pool)
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
