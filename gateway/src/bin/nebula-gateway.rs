//! `nebula-gateway`: the service in front of one 3x-ui panel.
//!
//! `nebula-gateway init > gateway.toml` writes a commented config; `nebula-gateway run --config
//! gateway.toml` serves it until Ctrl-C (requests in flight finish).

use std::path::PathBuf;

use clap::{Parser, Subcommand};
use nebula_gateway::server::{self, config::GatewayConfig};

#[derive(Parser)]
#[command(
    name = "nebula-gateway",
    version,
    about = "The NebulaLinks gateway in front of a 3x-ui panel"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Print a commented config template.
    Init,
    /// Check the config and its secrets, then exit.
    Check {
        #[arg(long, default_value = "gateway.toml", env = "NEBULA_GATEWAY_CONFIG")]
        config: PathBuf,
    },
    /// Serve until Ctrl-C or SIGTERM.
    Run {
        #[arg(long, default_value = "gateway.toml", env = "NEBULA_GATEWAY_CONFIG")]
        config: PathBuf,
    },
}

#[tokio::main]
async fn main() -> std::process::ExitCode {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env().unwrap_or_else(|_| "info".into()),
        )
        .init();
    match Cli::parse().command {
        Command::Init => {
            print!("{}", server::config::TEMPLATE);
            std::process::ExitCode::SUCCESS
        }
        Command::Check { config } => {
            match GatewayConfig::load(&config).and_then(GatewayConfig::resolve) {
                Ok(_) => {
                    println!("{}: ok", config.display());
                    std::process::ExitCode::SUCCESS
                }
                Err(e) => {
                    eprintln!("{e}");
                    std::process::ExitCode::FAILURE
                }
            }
        }
        Command::Run { config } => {
            let resolved = match GatewayConfig::load(&config).and_then(GatewayConfig::resolve) {
                Ok(r) => r,
                Err(e) => {
                    eprintln!("{e}");
                    return std::process::ExitCode::FAILURE;
                }
            };
            let running = match server::start(resolved).await {
                Ok(r) => r,
                Err(e) => {
                    eprintln!("{e}");
                    return std::process::ExitCode::FAILURE;
                }
            };
            tracing::info!(addr = %running.addr, "gateway listening");
            let signal = nebula_common::signals::stop_requested().await;
            tracing::info!(%signal, "shutting down");
            running.stop().await;
            std::process::ExitCode::SUCCESS
        }
    }
}
