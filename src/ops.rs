//! One-shot operations of the `pst` binary: `pst migrate` and `pst health`.

use pst_kit::Settings;

/// The services that own a database, with their migrations.
const MIGRATED: [(&str, &sqlx::migrate::Migrator); 5] = [
    ("identity", &pst_identity::MIGRATOR),
    ("visit", &pst_visit::MIGRATOR),
    ("catalogue", &pst_catalogue::MIGRATOR),
    ("watermark", &pst_watermark::MIGRATOR),
    ("feedback", &pst_feedback::MIGRATOR),
];

/// `pst migrate <component|all>`: applies the migrations of one service (or of all, one
/// after another) and says what it applied.
pub async fn migrate(settings: &Settings, component: &str) -> anyhow::Result<()> {
    let chosen: Vec<_> = MIGRATED
        .iter()
        .filter(|(name, _)| component == "all" || component == *name)
        .collect();
    anyhow::ensure!(
        !chosen.is_empty(),
        "pst migrate: {component:?} is not identity, visit, catalogue, watermark, feedback or all"
    );
    for (name, migrator) in chosen {
        let db = pst_kit::db::database_name(&settings.database, name);
        let applied = pst_kit::db::migrate(&settings.database, name, migrator).await?;
        if applied.is_empty() {
            println!("migrasi {name} ({db}): sudah terbaru");
        } else {
            println!("migrasi {name} ({db}): diterapkan {}", applied.join(", "));
        }
    }
    Ok(())
}

/// `pst health <component>`: Ok when the component bound by these settings answers on
/// this host.
pub async fn health(settings: &Settings, component: &str) -> anyhow::Result<()> {
    let s = &settings.services;
    let bind = match component {
        "identity" => &s.identity_addr,
        "visit" => &s.visit_addr,
        "catalogue" => &s.catalogue_addr,
        "watermark" => &s.watermark_addr,
        "feedback" => &s.feedback_addr,
        "gateway" => &settings.gateway.addr,
        other => anyhow::bail!(
            "pst health: {other:?} is not identity, visit, catalogue, watermark, feedback or gateway"
        ),
    };
    let addr = pst_kit::health::local(bind)?;
    if component == "gateway" {
        pst_kit::health::http_ready(&addr).await
    } else {
        pst_kit::health::grpc(&addr).await
    }
}
