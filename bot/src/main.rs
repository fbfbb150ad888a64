//! `nebula`: the shop's binary.

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;

use clap::{Parser, Subcommand};
use nebula_bot::app;
use nebula_bot::config::{Config, TEMPLATE};
use nebula_bot::control::{self, Request};
use nebula_bot::policy_report as report;
use nebula_engine::actor::Actor;
use nebula_engine::clock::SystemClock;
use nebula_engine::policy::PolicyKind;
use nebula_engine::reports::Format;

#[derive(Parser)]
#[command(
    name = "nebula",
    version,
    about = "NebulaLinks: a shop that sells VPN access through Discord"
)]
struct Cli {
    /// The config file.
    #[arg(
        long,
        global = true,
        default_value = "nebula.toml",
        env = "NEBULA_CONFIG"
    )]
    config: PathBuf,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Run the shop: the Discord bot, the engine, the outbox worker and the jobs.
    Run,
    /// Run the whole shop offline (simulated Discord and 3x-ui panel) with a scripted shopper and
    /// admin, printing what each of them sees (only in builds with the `demo` feature).
    Demo,
    /// Write a commented config template.
    Init {
        /// Overwrite an existing file.
        #[arg(long)]
        force: bool,
    },
    /// Check the config, the token, the database, every gateway's status and signing, and on
    /// Discord the intent, the bot's permissions and who may use the admin commands.
    Doctor,
    /// Print the link that adds the bot to a server with the permissions it needs.
    Invite {
        /// The application's id (developer portal → General Information); by default read from
        /// the bot token.
        #[arg(long)]
        application_id: Option<u64>,
    },
    /// Manage policies from the command line (the shop must not be running: one process owns
    /// the database).
    Policy {
        #[command(subcommand)]
        command: PolicyCommand,
    },
    /// Write a consistent copy of the database to PATH (also while the shop runs).
    Backup { path: PathBuf },
    /// Replace the database with a backup (stop the shop first). The current file is kept as
    /// `<database>.before-restore`.
    Restore { backup: PathBuf },
    /// Orders or subscriptions as CSV or JSON, for a date range (UTC days, inclusive).
    Export {
        #[arg(value_parser = ["orders", "subscriptions"])]
        what: String,
        #[arg(long, value_enum, default_value = "csv")]
        format: ExportFormat,
        /// First day, YYYY-MM-DD (default: 30 days ago).
        #[arg(long)]
        from: Option<String>,
        /// Last day, YYYY-MM-DD (default: today).
        #[arg(long)]
        to: Option<String>,
        /// Write here instead of to standard output.
        #[arg(long)]
        out: Option<PathBuf>,
    },
    /// The audit log, newest first.
    Audit {
        /// Only what this Discord user did.
        #[arg(long)]
        actor: Option<u64>,
        /// Only this order (NL-…).
        #[arg(long)]
        order: Option<String>,
        /// Only actions starting with this (`order.`, `subscription.expire`).
        #[arg(long)]
        action: Option<String>,
        /// Entries older than this number (the next page).
        #[arg(long)]
        before: Option<u64>,
        #[arg(long, default_value_t = 50)]
        limit: usize,
    },
}

#[derive(Clone, Copy, clap::ValueEnum)]
enum ExportFormat {
    Csv,
    Json,
}

#[derive(Subcommand)]
enum PolicyCommand {
    /// Stored versions and which are live.
    List,
    /// Install a policy (.wasm): checks, test vectors, dry run, then live.
    Install {
        kind: PolicyKind,
        file: PathBuf,
        #[arg(long)]
        name: Option<String>,
    },
    /// What a policy would decide on recent real orders, without installing it.
    DryRun { kind: PolicyKind, file: PathBuf },
    /// Make a stored version live (by its sha256 or a prefix).
    Activate { kind: PolicyKind, version: String },
    /// Go back to an earlier version (the same as activate).
    Rollback { kind: PolicyKind, version: String },
    /// Set the live policy's config: `key = value` pairs separated by `;`.
    Config { kind: PolicyKind, settings: String },
    /// Run an order's recorded decisions again and say whether they are reproduced.
    Replay { order: String },
}

#[cfg(feature = "demo")]
async fn demo() -> ExitCode {
    match nebula_bot::demo::run().await {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => fail(format!("the demo failed: {e}")),
    }
}

/// The shop's own build carries no fakes and no salvo, so it has no demo to run.
#[cfg(not(feature = "demo"))]
async fn demo() -> ExitCode {
    fail(
        "this build of nebula leaves the demo out (it carries no fakes); run it with \
         `cargo run -p nebula-bot --features demo -- demo`",
    )
}

fn fail(message: impl std::fmt::Display) -> ExitCode {
    eprintln!("{message}");
    ExitCode::FAILURE
}

#[tokio::main]
async fn main() -> ExitCode {
    let cli = Cli::parse();
    // The demo prints a story on stdout; its log stays quiet unless asked for.
    let default_filter = match cli.command {
        Command::Demo => "warn",
        _ => "info,serenity=warn",
    };
    tracing_subscriber::fmt()
        .with_env_filter(nebula_bot::logging::filter(
            &std::env::var("RUST_LOG").unwrap_or_else(|_| default_filter.into()),
        ))
        .with_writer(std::io::stderr)
        .init();
    match cli.command {
        Command::Init { force } => init(&cli.config, force),
        Command::Run => run(&cli.config).await,
        Command::Demo => demo().await,
        Command::Doctor => nebula_bot::doctor::run(&cli.config).await,
        Command::Invite { application_id } => invite(&cli.config, application_id),
        Command::Policy { command } => policy(&cli.config, command).await,
        Command::Backup { path } => admin(&cli.config, Request::Backup { path }, None).await,
        // redb work stays off the async executor.
        Command::Restore { backup } => {
            let config = cli.config.clone();
            tokio::task::spawn_blocking(move || restore(&config, &backup))
                .await
                .unwrap_or_else(|e| fail(format!("the restore stopped: {e}")))
        }
        Command::Export {
            what,
            format,
            from,
            to,
            out,
        } => {
            let format = match format {
                ExportFormat::Csv => Format::Csv,
                ExportFormat::Json => Format::Json,
            };
            let what = match what.parse() {
                Ok(kind) => kind,
                Err(e) => return fail(e),
            };
            let request = Request::Export {
                what,
                format,
                from,
                to,
            };
            admin(&cli.config, request, out).await
        }
        Command::Audit {
            actor,
            order,
            action,
            before,
            limit,
        } => {
            let request = Request::Audit {
                actor,
                order,
                action,
                before,
                limit,
            };
            admin(&cli.config, request, None).await
        }
    }
}

/// Runs an admin verb: through the running shop's control socket, or on the database directly
/// when the shop is stopped.
async fn admin(path: &Path, request: Request, out: Option<PathBuf>) -> ExitCode {
    let config = match Config::load(path) {
        Ok(c) => c,
        Err(e) => return fail(e),
    };
    let socket = control::socket_path(&config.database);
    let result = match control::ask(&socket, &request).await {
        Some(answer) => answer,
        None => match nebula_engine::Shop::open(
            &config.database,
            Arc::new(nebula_engine::policy::NativePolicies::default()),
            Arc::new(SystemClock),
            config.shop.engine_settings(),
        )
        .await
        {
            Ok(shop) => control::handle(&shop, request).await,
            Err(e) => Err(format!("cannot open {}: {e}", config.database.display())),
        },
    };
    match (result, out) {
        (Ok(text), Some(file)) => match std::fs::write(&file, text) {
            Ok(()) => {
                println!("wrote {}", file.display());
                ExitCode::SUCCESS
            }
            Err(e) => fail(format!("cannot write {}: {e}", file.display())),
        },
        (Ok(text), None) => {
            println!("{text}");
            ExitCode::SUCCESS
        }
        (Err(e), _) => fail(e),
    }
}

fn restore(path: &Path, backup: &Path) -> ExitCode {
    let config = match Config::load(path) {
        Ok(c) => c,
        Err(e) => return fail(e),
    };
    // A socket that answers is a running shop; one left by a crash does not answer.
    if std::os::unix::net::UnixStream::connect(control::socket_path(&config.database)).is_ok() {
        return fail("the shop is running (its control socket answers): stop it first");
    }
    match nebula_engine::Shop::restore(backup, &config.database) {
        Ok(r) => {
            println!(
                "restored {} rows in {} tables into {}",
                r.rows,
                r.tables,
                config.database.display()
            );
            ExitCode::SUCCESS
        }
        Err(e) => fail(format!("the restore failed: {e} (nothing was changed)")),
    }
}

fn init(path: &Path, force: bool) -> ExitCode {
    if path.exists() && !force {
        return fail(format!(
            "{} exists; use --force to overwrite it",
            path.display()
        ));
    }
    match std::fs::write(path, TEMPLATE) {
        Ok(()) => {
            println!(
                "wrote {}: fill in guild_id, set the environment variables it names, then `nebula doctor`",
                path.display()
            );
            ExitCode::SUCCESS
        }
        Err(e) => fail(format!("cannot write {}: {e}", path.display())),
    }
}

fn invite(path: &Path, application_id: Option<u64>) -> ExitCode {
    use nebula_bot::discord::invite;
    let id = match application_id {
        Some(id) => id,
        None => {
            let from_token = Config::load(path)
                .map_err(|e| e.to_string())
                .and_then(|c| c.token().map_err(|e| e.to_string()))
                .map(|t| invite::application_id(&t));
            match from_token {
                Ok(Some(id)) => id,
                Ok(None) => {
                    return fail(
                        "the bot token does not name its application: pass --application-id \
                         (developer portal → General Information → Application ID)",
                    );
                }
                Err(e) => return fail(format!("{e}\n(or pass --application-id)")),
            }
        }
    };
    println!("{}", invite::url(id));
    println!(
        "\nOpen it as the server's owner (or with Manage Server) and pick the server. It asks for \
         View Channel, Send Messages, Embed Links, Attach Files, Read Message History and Manage \
         Channels, and adds the shop's slash commands. Also switch on the Message Content intent \
         (developer portal → Bot). See docs/setup.md."
    );
    ExitCode::SUCCESS
}

async fn run(path: &Path) -> ExitCode {
    let config = match Config::load(path) {
        Ok(c) => c,
        Err(e) => {
            return fail(format!(
                "{e}\n(`nebula init` writes a config template; `nebula demo` runs without one)"
            ));
        }
    };
    let resolved = match config.resolve() {
        Ok(r) => r,
        Err(e) => return fail(e),
    };
    let mut running = match app::start(&resolved, Arc::new(SystemClock)).await {
        Ok(r) => r,
        Err(e) => return fail(format!("could not start: {e}")),
    };
    let refused = tokio::select! {
        signal = nebula_common::signals::stop_requested() => {
            tracing::info!(%signal, "shutting down");
            None
        }
        why = running.discord_ended() => Some(why),
    };
    running.stop().await;
    match refused {
        None => ExitCode::SUCCESS,
        Some(why) => fail(why),
    }
}

async fn policy(path: &Path, command: PolicyCommand) -> ExitCode {
    let config = match Config::load(path) {
        Ok(c) => c,
        Err(e) => return fail(e),
    };
    let (shop, policies) = match app::open_shop(
        &config.database,
        config.shop.engine_settings(),
        Arc::new(SystemClock),
    )
    .await
    {
        Ok(p) => p,
        Err(e) => {
            return fail(format!(
                "{e} (is the shop running? Then use /policy in Discord)"
            ));
        }
    };
    let result = policy_verb(&shop, &policies, command).await;
    match result {
        Ok(text) => {
            println!("{}", report::plain(&text));
            ExitCode::SUCCESS
        }
        Err(e) => fail(report::plain(&e)),
    }
}

/// One `nebula policy` verb, said as `/policy` says it (`policy_report`). The command line acts
/// as the shop itself: whoever runs it owns the database file.
async fn policy_verb(
    shop: &nebula_engine::Shop,
    policies: &nebula_plugins::PolicyAdmin,
    command: PolicyCommand,
) -> Result<String, String> {
    let actor = Actor::System;
    let read = |file: &Path| {
        std::fs::read(file).map_err(|e| format!("cannot read {}: {e}", file.display()))
    };
    let e = |e: nebula_plugins::InstallError| e.to_string();
    Ok(match command {
        PolicyCommand::List => report::listing(
            nebula_bot::i18n::Locale::En,
            &policies.list().await.map_err(e)?,
        )
        .join("\n"),
        PolicyCommand::Install { kind, file, name } => {
            let bytes = read(&file)?;
            let name = name.unwrap_or_else(|| {
                file.file_stem()
                    .map_or_else(|| "policy".into(), |s| s.to_string_lossy().into_owned())
            });
            report::installed(
                nebula_bot::i18n::Locale::En,
                kind,
                &policies
                    .install(actor, kind, name, bytes, None)
                    .await
                    .map_err(e)?,
            )
        }
        PolicyCommand::DryRun { kind, file } => {
            let (vectors, r) = policies
                .dry_run(kind, read(&file)?, None)
                .await
                .map_err(e)?;
            report::dry_run(nebula_bot::i18n::Locale::En, vectors, &r)
        }
        PolicyCommand::Activate { kind, version } | PolicyCommand::Rollback { kind, version } => {
            let sha = report::version(nebula_bot::i18n::Locale::En, shop, kind, &version).await?;
            report::activated(
                nebula_bot::i18n::Locale::En,
                kind,
                &policies.activate(actor, kind, sha, None).await.map_err(e)?,
            )
        }
        PolicyCommand::Config { kind, settings } => {
            let config = nebula_bot::discord::commands::parse_config(
                nebula_bot::i18n::Locale::En,
                &settings,
            )
            .map_err(|e| e.polite(nebula_bot::i18n::Locale::En))?;
            report::configured(
                nebula_bot::i18n::Locale::En,
                kind,
                &policies.set_config(actor, kind, config).await.map_err(e)?,
            )
        }
        PolicyCommand::Replay { order } => {
            let record = shop.order_by_code(order).await.map_err(|e| e.to_string())?;
            report::replayed(&policies.replay(record.order.id).await.map_err(e)?).join("\n")
        }
    })
}
