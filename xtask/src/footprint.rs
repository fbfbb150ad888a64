//! `cargo xtask footprint`: what the shop costs a machine. Builds the release binaries the
//! operator ships (`nebula`, `nebula-gateway`), prints their sizes, then runs the `footprint`
//! example: the release `nebula run` idle against a fake Discord, empty and with 100k
//! subscriptions (`FOOTPRINT_SUBSCRIPTIONS` changes the count).

use std::path::Path;

use anyhow::{Context, Result};

use crate::{cargo, run_bot_example, target_dir};

pub fn run(root: &Path) -> Result<()> {
    cargo(
        root,
        &[
            "build",
            "--release",
            "--locked",
            "-p",
            "nebula-bot",
            "-p",
            "nebula-gateway",
            "--bin",
            "nebula",
            "--bin",
            "nebula-gateway",
        ],
        &[],
    )?;
    let target = target_dir(root);
    println!("release binaries (stripped, thin LTO):");
    for name in ["nebula", "nebula-gateway"] {
        let path = target.join("release").join(name);
        let bytes = std::fs::metadata(&path)
            .with_context(|| format!("read {}", path.display()))?
            .len();
        println!(
            "  {name:<15} {:>6.1} MiB ({bytes} bytes)",
            bytes as f64 / 1048576.0
        );
    }
    let bin = target.join("release/nebula");
    run_bot_example(
        root,
        "footprint",
        &[],
        &[("NEBULA_BIN", &bin.to_string_lossy())],
    )
}
