//! `cargo xtask policies [--check]`: builds every policy under `policies/` for
//! `wasm32-unknown-unknown`, wraps each core module as a component (no WASI: a policy imports
//! nothing), and writes the components with their SHA-256 into `policies/dist/`. The build is
//! reproducible: one codegen unit, no debug info, and every absolute path remapped, so the same
//! toolchain gives the same bytes on any machine. `--check` builds into a temporary folder
//! instead and fails if any byte differs from what is checked in (CI runs this).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::{Context, Result, bail, ensure};
use sha2::{Digest, Sha256};

/// (cargo package, file under `dist/`).
pub const POLICIES: &[(&str, &str)] = &[
    ("pricing-default", "pricing-default.wasm"),
    ("payment-default", "payment-default.wasm"),
    ("server-balanced", "server-balanced.wasm"),
    ("weekend-sale", "weekend-sale.wasm"),
    ("region-affinity", "region-affinity.wasm"),
    ("hostile-infinite-loop", "hostile/infinite-loop.wasm"),
    ("hostile-memory-bomb", "hostile/memory-bomb.wasm"),
    ("hostile-deep-recursion", "hostile/deep-recursion.wasm"),
    ("hostile-panic", "hostile/panic.wasm"),
    ("hostile-oversized-output", "hostile/oversized-output.wasm"),
    ("hostile-old-wit", "hostile/old-wit.wasm"),
];

const TARGET: &str = "wasm32-unknown-unknown";

pub fn repo_root() -> Result<PathBuf> {
    let manifest = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    Ok(manifest
        .parent()
        .context("xtask lives in the repository")?
        .canonicalize()?)
}

/// Builds every policy and writes the components and `SHA256SUMS` into `out`.
pub fn build_into(root: &Path, out: &Path) -> Result<()> {
    let policies = root.join("policies");
    let cargo_home = std::env::var("CARGO_HOME")
        .map(PathBuf::from)
        .or_else(|_| std::env::var("HOME").map(|h| PathBuf::from(h).join(".cargo")))
        .context("CARGO_HOME or HOME")?;
    // Remap every absolute path that could end up in the binaries (panic locations).
    let flags = [
        format!("--remap-path-prefix={}=/policies", policies.display()),
        format!("--remap-path-prefix={}=/cargo", cargo_home.display()),
        "-Cdebuginfo=0".to_owned(),
    ];
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let status = Command::new(cargo)
        .current_dir(&policies)
        .args(["build", "--release", "--locked", "--target", TARGET])
        .env_remove("RUSTFLAGS")
        .env("CARGO_ENCODED_RUSTFLAGS", flags.join("\u{1f}"))
        .env("CARGO_TARGET_DIR", policies.join("target"))
        .status()
        .context(
            "running cargo for the policies (is the wasm32-unknown-unknown target installed?)",
        )?;
    ensure!(status.success(), "building the policies failed");

    let mut sums = BTreeMap::new();
    for (package, file) in POLICIES {
        let core = policies
            .join("target")
            .join(TARGET)
            .join("release")
            .join(format!("{}.wasm", package.replace('-', "_")));
        let module = std::fs::read(&core).with_context(|| format!("reading {}", core.display()))?;
        let component = wit_component::ComponentEncoder::default()
            .validate(true)
            .module(&module)
            .with_context(|| format!("{package}: reading the component type"))?
            .encode()
            .with_context(|| format!("{package}: encoding the component"))?;
        let dest = out.join(file);
        std::fs::create_dir_all(dest.parent().context("a file has a folder")?)?;
        std::fs::write(&dest, &component)?;
        sums.insert(
            file.to_string(),
            format!("{:x}", Sha256::digest(&component)),
        );
    }
    let listing: String = sums
        .iter()
        .map(|(file, sum)| format!("{sum}  {file}\n"))
        .collect();
    std::fs::write(out.join("SHA256SUMS"), listing)?;
    Ok(())
}

/// Rebuilds into a temporary folder and compares with `policies/dist/`.
pub fn check(root: &Path) -> Result<()> {
    let fresh = root.join("target/xtask-policies-check");
    let _ = std::fs::remove_dir_all(&fresh);
    build_into(root, &fresh)?;
    let dist = root.join("policies/dist");
    let mut differ = Vec::new();
    for file in POLICIES.iter().map(|(_, f)| *f).chain(["SHA256SUMS"]) {
        let built = std::fs::read(fresh.join(file))?;
        match std::fs::read(dist.join(file)) {
            Ok(checked_in) if checked_in == built => {}
            Ok(_) => differ.push(format!("{file} differs")),
            Err(_) => differ.push(format!("{file} is not checked in")),
        }
    }
    if differ.is_empty() {
        println!(
            "policies/dist matches a fresh build ({} policies)",
            POLICIES.len()
        );
        Ok(())
    } else {
        bail!(
            "policies/dist does not match a fresh build; run `cargo xtask policies` and commit:\n  {}",
            differ.join("\n  ")
        )
    }
}
