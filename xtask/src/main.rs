//! Project tasks, one module each:
//!
//! - `cargo xtask policies [--check]` (`policies.rs`): the wasm policies, built reproducibly.
//! - `cargo xtask deps` (`deps.rs`): installs the real programs the tests run against.
//! - `cargo xtask test [ARGS]`: `deps`, then `cargo test --workspace --locked [ARGS]` (the
//!   README's test command).
//! - `cargo xtask lean` (`lean.rs`): the shop's own build carries no salvo and no fakes.
//! - `cargo xtask footprint` (`footprint.rs`): release binary sizes and the shop's idle memory.
//! - `cargo xtask fuzz [--seconds N] [--runs M] [--cmin] [TARGET...]` (`fuzz.rs`): the fuzz targets.
//! - `cargo xtask soak [--trials N] [--seed S]` (`soak.rs`): the whole shop killed with SIGKILL
//!   at random moments, checked for anything lost or done twice.

mod deps;
mod footprint;
mod fuzz;
mod lean;
mod policies;
mod soak;

use std::path::Path;
use std::process::Command;

use anyhow::{Context, Result, bail, ensure};

/// Runs the cargo that runs this xtask in the workspace (`cargo ARGS` with `env`); fails,
/// naming the command, if it does.
pub fn cargo(root: &Path, args: &[&str], env: &[(&str, &str)]) -> Result<()> {
    let status = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()))
        .args(args)
        .envs(env.iter().copied())
        .current_dir(root)
        .status()
        .with_context(|| format!("run cargo {}", args.join(" ")))?;
    ensure!(status.success(), "cargo {} failed", args.join(" "));
    Ok(())
}

/// Runs one of `nebula-bot`'s examples (they need its `demo` feature) with `args`.
pub fn run_bot_example(
    root: &Path,
    example: &str,
    args: &[&str],
    env: &[(&str, &str)],
) -> Result<()> {
    let mut run = vec![
        "run",
        "--locked",
        "-p",
        "nebula-bot",
        "--features",
        "demo",
        "--example",
        example,
        "--",
    ];
    run.extend_from_slice(args);
    cargo(root, &run, env)
}

/// Where cargo puts what it builds: `CARGO_TARGET_DIR`, else the workspace's `target/`.
pub fn target_dir(root: &Path) -> std::path::PathBuf {
    std::env::var("CARGO_TARGET_DIR")
        .map(std::path::PathBuf::from)
        .unwrap_or_else(|_| root.join("target"))
}

const USAGE: &str = "usage: cargo xtask policies [--check] | deps | test [cargo test args] | lean | footprint | \
     fuzz [--seconds N] [--runs M] [--cmin] [TARGET...] | soak [--trials N] [--seed S] [--shoppers K]";

fn main() -> Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let root = policies::repo_root()?;
    match args
        .iter()
        .map(String::as_str)
        .collect::<Vec<_>>()
        .as_slice()
    {
        ["policies"] => {
            let dist = root.join("policies/dist");
            policies::build_into(&root, &dist)?;
            println!(
                "wrote {} policies to {}",
                policies::POLICIES.len(),
                dist.display()
            );
            Ok(())
        }
        ["policies", "--check"] => policies::check(&root),
        ["deps"] => deps::install(),
        ["lean"] => lean::check(&root),
        ["footprint"] => footprint::run(&root),
        ["fuzz", rest @ ..] => fuzz::main(&root, rest),
        ["soak", rest @ ..] => soak::run(&root, rest),
        ["test", rest @ ..] => {
            deps::install()?;
            deps::test(&root, rest)
        }
        _ => bail!(USAGE),
    }
}
