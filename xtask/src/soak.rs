//! `cargo xtask soak [--trials N] [--seed S] [--shoppers K]`: the kill -9 soak. Builds the three
//! programs a trial runs as their own processes (`nebula`, `nebula-gateway`, and the simulated
//! panel `nebula-panel-sim`), then runs the `soak` example (`bot/examples/soak/`), which kills
//! the shop and the gateway at random moments and at the worst ones, checks that nothing was
//! lost or done twice, prints the table and fails on any violation.

use std::path::Path;

use anyhow::Result;

use crate::{cargo, run_bot_example, target_dir};

pub fn run(root: &Path, args: &[&str]) -> Result<()> {
    cargo(
        root,
        &["build", "--locked", "-p", "nebula-bot", "--bin", "nebula"],
        &[],
    )?;
    cargo(
        root,
        &[
            "build",
            "--locked",
            "-p",
            "nebula-gateway",
            "--features",
            "sim",
            "--bin",
            "nebula-gateway",
            "--bin",
            "nebula-panel-sim",
        ],
        &[],
    )?;
    let target = target_dir(root);
    let bins = target.join("debug");
    let bins = bins.to_string_lossy();
    let mut run = vec!["--bins", &*bins];
    run.extend_from_slice(args);
    run_bot_example(root, "soak", &run, &[])
}
