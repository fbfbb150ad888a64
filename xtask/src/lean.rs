//! `cargo xtask lean`: the shop's own build (`nebula-bot` without the `demo` feature) carries no
//! fakes (salvo it has, for its subscription service; the gateway service and the simulated
//! panel it must not), and compiles and lints clean that way. The tests and the demo turn the
//! feature on, so nothing else would notice if the plain build broke or grew a server.

use std::path::Path;
use std::process::Command;

use anyhow::{Context, Result, bail, ensure};

/// Crates that only the fakes (fake Discord, gateway service, simulated panel) bring in
/// (`salvo-oapi`: the gateway service's OpenAPI description).
const FAKES_ONLY: &[&str] = &["jsonschema", "salvo-oapi"];

pub fn check(root: &Path) -> Result<()> {
    let packages = cargo_tree(root, &["-e", "normal,build", "--format", "{p}"])?;
    let mut found: Vec<&str> = packages
        .lines()
        .filter_map(|line| line.split_whitespace().next())
        .filter(|name| FAKES_ONLY.contains(name))
        .collect();
    found.sort_unstable();
    found.dedup();
    if !found.is_empty() {
        bail!(
            "the shop's build pulls in {} (only the demo feature may)",
            found.join(", ")
        );
    }
    let features = cargo_tree(root, &["-e", "features,normal", "--format", "{p}"])?;
    let gateway: Vec<&str> = features
        .lines()
        .filter(|l| l.starts_with("nebula-gateway feature"))
        .collect();
    ensure!(
        gateway
            .iter()
            .all(|l| l.contains("\"client\"") || l.contains("\"default\"")),
        "the shop's build turns on gateway features beyond the client: {gateway:?}"
    );
    crate::cargo(
        root,
        &[
            "clippy",
            "--locked",
            "-p",
            "nebula-bot",
            "--bin",
            "nebula",
            "--",
            "-D",
            "warnings",
        ],
        &[],
    )
    .context("the shop's build without the demo does not lint clean")?;
    println!("xtask lean: the shop's build has no fakes and lints clean");
    Ok(())
}

fn cargo_tree(root: &Path, args: &[&str]) -> Result<String> {
    let out = Command::new(env!("CARGO"))
        .current_dir(root)
        .args(["tree", "--locked", "-p", "nebula-bot", "--prefix", "none"])
        .args(args)
        .output()
        .context("running cargo tree")?;
    ensure!(
        out.status.success(),
        "cargo tree failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    Ok(String::from_utf8(out.stdout)?)
}
