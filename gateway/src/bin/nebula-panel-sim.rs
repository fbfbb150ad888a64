//! `nebula-panel-sim`: the simulated 3x-ui panel as its own process, for whole-shop tests that
//! run every part standalone (`cargo xtask soak`). Not shipped: the operator runs a real panel.
//!
//! It prints one JSON line, `{"url": …, "control": …}`, then serves until killed. `url` is the
//! panel (what a gateway's `[panel] url` names); `control` is the test's side door:
//! `GET /clients` lists the emails of every client the panel holds, `POST /calm` switches the
//! faults off.

use std::sync::Arc;
use std::time::Duration;

use clap::{Parser, ValueEnum};
use nebula_gateway::sim::{Chaos, Fault, Generation, SimConfig, SimPanel};
use salvo::conn::Acceptor;
use salvo::prelude::*;

#[derive(Parser)]
#[command(
    name = "nebula-panel-sim",
    about = "A simulated 3x-ui panel on loopback (tests only)"
)]
struct Cli {
    /// Which 3x-ui the simulator imitates.
    #[arg(long, value_enum, default_value = "v3")]
    generation: Gen,
    /// Per thousand calls, each of: refused with 500, carried out but answered 500, slowed.
    #[arg(long, default_value_t = 0)]
    chaos: u16,
    /// How long a slowed call waits, in milliseconds.
    #[arg(long, default_value_t = 1500)]
    slow_ms: u64,
    /// Seeds the faults' draws.
    #[arg(long, default_value_t = 0)]
    seed: u64,
}

#[derive(Clone, Copy, ValueEnum)]
enum Gen {
    V2,
    V3,
}

/// `GET /clients`.
struct Clients(Arc<SimPanel>);

#[handler]
impl Clients {
    async fn handle(&self, res: &mut Response) {
        res.render(Json(self.0.client_emails()));
    }
}

/// `POST /calm`.
struct Calm(Arc<SimPanel>);

#[handler]
impl Calm {
    async fn handle(&self, res: &mut Response) {
        self.0.set_fault(Fault::None);
        res.render(Text::Plain("calm"));
    }
}

#[tokio::main]
async fn main() -> std::io::Result<()> {
    let cli = Cli::parse();
    let generation = match cli.generation {
        Gen::V2 => Generation::V2,
        Gen::V3 => Generation::V3,
    };
    let panel = Arc::new(SimPanel::start(SimConfig::new(generation)).await?);
    if cli.chaos > 0 {
        let chaos = Chaos {
            refused: cli.chaos,
            lost: cli.chaos,
            slow: cli.chaos,
            delay: Duration::from_millis(cli.slow_ms),
        };
        panel.set_chaos(chaos, cli.seed);
    }
    let acceptor = TcpListener::new("127.0.0.1:0")
        .try_bind()
        .await
        .map_err(std::io::Error::other)?;
    let control = acceptor
        .holdings()
        .first()
        .and_then(|h| h.local_addr.clone().into_std())
        .ok_or_else(|| std::io::Error::other("no local address"))?;
    println!(
        "{}",
        serde_json::json!({"url": panel.url(), "control": format!("http://{control}")})
    );
    let router = Router::new()
        .push(Router::with_path("clients").get(Clients(panel.clone())))
        .push(Router::with_path("calm").post(Calm(panel)));
    Server::new(acceptor).serve(router).await;
    Ok(())
}
