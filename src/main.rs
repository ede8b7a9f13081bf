//! `pst all` runs every component in one process; `pst <component>` runs one.

use std::path::PathBuf;

use clap::{Parser, Subcommand};
use pst::Component;
use pst_kit::shutdown::{cancel_on_signal, CancellationToken};

#[derive(Debug, Parser)]
#[command(name = "pst", version, about = "PST Pustaka — layanan perpustakaan PST BPS")]
struct Cli {
    /// Optional settings file (TOML), applied over the built-in defaults.
    #[arg(long, global = true, env = "PST_CONFIG")]
    config: Option<PathBuf>,
    #[command(subcommand)]
    command: Cmd,
}

#[derive(Debug, Subcommand)]
enum Cmd {
    /// Every service and the gateway in one process.
    All {
        /// Load the demo office, staff accounts and data (never in production).
        #[arg(long)]
        demo: bool,
    },
    /// One component, as a Kubernetes deployment runs it.
    #[command(flatten)]
    One(One),
}

#[derive(Debug, Subcommand)]
enum One {
    Identity,
    Visit,
    Catalogue,
    Watermark,
    Feedback,
    Gateway,
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let cli = Cli::parse();
    let mut settings = pst_kit::Settings::load(cli.config.as_deref())?;
    let _telemetry = pst_kit::telemetry::init(&settings.telemetry, settings.is_production())?;
    let components: Vec<Component> = match cli.command {
        Cmd::All { demo } => {
            settings.demo |= demo;
            if !settings.is_production() {
                pst::local_stack::ensure(&settings)?;
            }
            Component::ALL.to_vec()
        }
        Cmd::One(one) => vec![match one {
            One::Identity => Component::Identity,
            One::Visit => Component::Visit,
            One::Catalogue => Component::Catalogue,
            One::Watermark => Component::Watermark,
            One::Feedback => Component::Feedback,
            One::Gateway => Component::Gateway,
        }],
    };
    pst_kit::secrets::ensure_dev_secrets(&mut settings)?;
    let shutdown = CancellationToken::new();
    cancel_on_signal(shutdown.clone());
    let has_gateway = components.contains(&Component::Gateway);
    let url = format!("http://{}", settings.gateway.addr);
    pst::run(&components, &settings, shutdown, || {
        if has_gateway {
            println!("PST Pustaka berjalan di {url}  (API: {url}/api/v1, OpenAPI: {url}/api/openapi.json)");
        }
    })
    .await
}
