//! `pst all` runs every component in one process; `pst <component>` runs one.

use std::path::PathBuf;

use clap::{Parser, Subcommand};
use pst::Component;
use pst_kit::shutdown::{CancellationToken, cancel_on_signal};

#[derive(Debug, Parser)]
#[command(
    name = "pst",
    version,
    about = "PST Pustaka — layanan perpustakaan PST BPS"
)]
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
    /// Print fresh production secrets (signing key, its public key, data key) as
    /// environment variables, for a Kubernetes Secret or a .env file.
    Keygen,
    /// Writes a generated BPS-style PDF (text, a table and an image per page): demo and
    /// benchmark softcopies.
    SamplePdf {
        /// Output file.
        out: std::path::PathBuf,
        #[arg(long, default_value_t = 300)]
        pages: usize,
        /// Bytes of image data per page (300 pages x 50,000 = a ~15 MB file).
        #[arg(long, default_value_t = 50_000)]
        image_bytes: usize,
        /// table, stream or objstm.
        #[arg(long, default_value = "table")]
        xref: String,
    },
    /// Creates the databases if needed and applies their migrations, then exits: run once
    /// per release (a Kubernetes Job) with a role that owns the schema.
    Migrate {
        /// identity, visit, catalogue, watermark, feedback or all.
        component: String,
    },
    /// The first administrator of a new installation (only while there is none): prints a
    /// one-time password to change at the first sign-in.
    FirstAdmin {
        #[arg(long)]
        email: String,
        #[arg(long)]
        name: String,
    },
    /// Exits 0 when the component in this container answers (gRPC health, or the
    /// gateway's /readyz): for container healthchecks.
    Health {
        /// identity, visit, catalogue, watermark, feedback or gateway.
        component: String,
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

impl One {
    fn name(&self) -> &'static str {
        match self {
            One::Identity => "identity",
            One::Visit => "visit",
            One::Catalogue => "catalogue",
            One::Watermark => "watermark",
            One::Feedback => "feedback",
            One::Gateway => "gateway",
        }
    }
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let cli = Cli::parse();
    let mut settings = pst_kit::Settings::load(cli.config.as_deref())?;
    // Each component's traces under its own name (`pst-visit`), unless one is configured.
    if let Cmd::One(one) = &cli.command
        && settings.telemetry.service_name == "pst"
    {
        settings.telemetry.service_name = format!("pst-{}", one.name());
    }
    let _telemetry = pst_kit::telemetry::init(&settings.telemetry, settings.is_production())?;
    let components: Vec<Component> = match cli.command {
        Cmd::All { demo } => {
            settings.demo |= demo;
            settings.demo_history |= demo;
            if !settings.is_production() {
                pst::local_stack::ensure(&settings)?;
            }
            Component::ALL.to_vec()
        }
        Cmd::Keygen => {
            keygen();
            return Ok(());
        }
        Cmd::Migrate { component } => return pst::ops::migrate(&settings, &component).await,
        Cmd::Health { component } => return pst::ops::health(&settings, &component).await,
        Cmd::FirstAdmin { email, name } => {
            let made = pst_identity::first_admin::create(&settings, &email, &name).await?;
            println!("admin {email} ({}) dibuat.", made.id);
            println!("kata sandi sementara: {}", made.password);
            println!("Masuk di /masuk lalu segera ganti kata sandi di Profil.");
            return Ok(());
        }
        Cmd::SamplePdf {
            out,
            pages,
            image_bytes,
            xref,
        } => {
            use pst_watermark::pdf::sample::{Layout, Sample, generate};
            let layout = match xref.as_str() {
                "table" => Layout::Table,
                "stream" => Layout::XrefStream,
                "objstm" => Layout::ObjectStreams,
                other => anyhow::bail!("--xref must be table, stream or objstm, not {other}"),
            };
            let pdf = generate(
                &Sample::new("Kota Lubuklinggau Dalam Angka 2024", pages, layout)
                    .with_images(image_bytes),
            );
            std::fs::write(&out, &pdf)?;
            println!("{} {} bytes, {pages} pages", out.display(), pdf.len());
            return Ok(());
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
    pst::run(&components, &settings, shutdown, |bound| {
        // Machine-readable lines on stdout (logs go to stderr), then the one for people.
        for (c, addr) in bound {
            println!("siap {} {addr}", c.name());
        }
        if let Some((_, addr)) = bound.iter().find(|(c, _)| *c == Component::Gateway) {
            let url = format!("http://{addr}");
            println!("PST Pustaka berjalan di {url}  (API: {url}/api/v1, OpenAPI: {url}/api/openapi.json)");
        }
    })
    .await
}

fn keygen() {
    let b64 = |k: [u8; 32]| base64::Engine::encode(&base64::engine::general_purpose::STANDARD, k);
    let seed = pst_kit::secrets::random_key32();
    println!("PST_AUTH__SIGNING_KEY={}", b64(seed));
    println!(
        "PST_AUTH__PUBLIC_KEY={}",
        b64(pst_kit::auth::public_key_of(&seed))
    );
    for key in [
        "PST_IDENTITY__DATA_KEY",
        "PST_VISIT__DATA_KEY",
        "PST_WATERMARK__MARK_KEY",
        "PST_AUTH__INTERNAL_KEY",
    ] {
        println!("{key}={}", b64(pst_kit::secrets::random_key32()));
    }
}
