//! `cargo xtask fuzz [--seconds N] [--runs M] [--cmin] [TARGET...]`: every fuzz target (`fuzz/`),
//! or the ones named, each for N seconds (default 600; CI runs 30) or M inputs if that comes
//! first, one after another, with cargo-fuzz
//! and libFuzzer on the machine's stable toolchain (`RUSTC_BOOTSTRAP=1`: cargo-fuzz passes
//! unstable flags, and no nightly can be fetched here). It installs cargo-fuzz if it is missing,
//! prints each target's inputs, time and crashes, and fails if any target crashed; the crashing
//! input is in `fuzz/artifacts/TARGET/`, to be copied to `fuzz/regressions/TARGET/` with the fix.
//!
//! New inputs that reach new code are added to `fuzz/corpus/TARGET/`. `--cmin` minimizes each
//! corpus instead of fuzzing (before checking it in).
//!
//! No sanitizer: the shop is safe Rust, so what fuzzing finds is panics, overflow (debug
//! assertions are on) and broken properties, which need none, and ASan would double the build.

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::Instant;

use anyhow::{Context, Result, bail, ensure};

pub const TARGETS: [&str; 7] = [
    "gateway_request",
    "panel_response",
    "stored_value",
    "custom_id",
    "config",
    "shop_listener",
    "policy_output",
];

/// The cargo-fuzz this task installs when there is none.
const CARGO_FUZZ: &str = "0.13.2";

const ENV: [(&str, &str); 1] = [("RUSTC_BOOTSTRAP", "1")];

/// What one target's run came to.
struct Run {
    target: &'static str,
    seconds: f64,
    inputs: u64,
    crashed: bool,
}

pub fn main(root: &Path, args: &[&str]) -> Result<()> {
    let mut seconds = 600u64;
    let mut runs: Option<u64> = None;
    let mut cmin = false;
    let mut targets = Vec::new();
    let mut rest = args.iter();
    while let Some(arg) = rest.next() {
        match *arg {
            "--seconds" => {
                seconds = rest
                    .next()
                    .context("--seconds needs a number")?
                    .parse()
                    .context("--seconds needs a number")?;
            }
            "--runs" => {
                runs = Some(
                    rest.next()
                        .context("--runs needs a number")?
                        .parse()
                        .context("--runs needs a number")?,
                );
            }
            "--cmin" => cmin = true,
            name => match TARGETS.iter().find(|t| **t == name) {
                Some(t) => targets.push(*t),
                None => bail!(
                    "no fuzz target {name:?}; the targets are {}",
                    TARGETS.join(", ")
                ),
            },
        }
    }
    if targets.is_empty() {
        targets = TARGETS.to_vec();
    }
    install_cargo_fuzz(root)?;
    crate::cargo(root, &["fuzz", "build", "-s", "none"], &ENV)?;
    if cmin {
        for target in targets {
            let corpus = format!("fuzz/corpus/{target}");
            crate::cargo(root, &["fuzz", "cmin", "-s", "none", target, &corpus], &ENV)?;
        }
        return Ok(());
    }
    let mut done = Vec::new();
    for target in targets {
        let r = run(root, target, seconds, runs)?;
        // Each target's line as it finishes (a long run can be stopped part way).
        println!("done: {}", row(&r));
        done.push(r);
    }
    println!(
        "\n{:<16} {:>8} {:>12} {:>10} {:>8}",
        "target", "seconds", "inputs", "inputs/s", "crashes"
    );
    for r in &done {
        println!("{}", row(r));
    }
    let crashed: Vec<_> = done
        .iter()
        .filter(|r| r.crashed)
        .map(|r| r.target)
        .collect();
    ensure!(
        crashed.is_empty(),
        "fuzz targets crashed: {} (inputs in fuzz/artifacts/)",
        crashed.join(", ")
    );
    Ok(())
}

fn row(r: &Run) -> String {
    format!(
        "{:<16} {:>8.0} {:>12} {:>10.0} {:>8}",
        r.target,
        r.seconds,
        r.inputs,
        r.inputs as f64 / r.seconds.max(0.001),
        u8::from(r.crashed)
    )
}

fn install_cargo_fuzz(root: &Path) -> Result<()> {
    let present = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()))
        .args(["fuzz", "--version"])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    if present {
        return Ok(());
    }
    crate::cargo(
        root,
        &["install", "cargo-fuzz", "--locked", "--version", CARGO_FUZZ],
        &[],
    )
}

/// Fuzzes one target for `seconds` (or `runs` inputs); libFuzzer's final stats give the inputs
/// it ran.
fn run(root: &Path, target: &'static str, seconds: u64, runs: Option<u64>) -> Result<Run> {
    let corpus = root.join("fuzz/corpus").join(target);
    let artifacts = root.join("fuzz/artifacts").join(target);
    std::fs::create_dir_all(&corpus)?;
    std::fs::create_dir_all(&artifacts)?;
    println!("fuzzing {target} for {seconds} s");
    let started = Instant::now();
    let output = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()))
        .args(["fuzz", "run", "-s", "none", target])
        .arg(&corpus)
        .arg("--")
        .arg(format!("-max_total_time={seconds}"))
        .arg(format!("-artifact_prefix={}/", artifacts.display()))
        .args(["-print_final_stats=1", "-timeout=30", "-rss_limit_mb=4096"])
        .args(runs.map(|n| format!("-runs={n}")))
        .envs(ENV)
        .current_dir(root)
        .stdout(Stdio::inherit())
        .stderr(Stdio::piped())
        .output()
        .with_context(|| format!("run cargo fuzz run {target}"))?;
    let log = String::from_utf8_lossy(&output.stderr);
    let inputs = log
        .lines()
        .find_map(|l| l.strip_prefix("stat::number_of_executed_units:"))
        .and_then(|n| n.trim().parse().ok())
        .unwrap_or(0);
    let crashed = !output.status.success();
    if crashed {
        // The crash report: the panic, and where libFuzzer wrote the input.
        let lines: Vec<&str> = log.lines().collect();
        let from = lines
            .iter()
            .position(|l| l.contains("panicked") || l.contains("ERROR: libFuzzer"))
            .unwrap_or(lines.len().saturating_sub(20));
        for line in lines[from..].iter().take(12) {
            eprintln!("{line}");
        }
        for line in lines.iter().filter(|l| l.contains("Test unit written to")) {
            eprintln!("{line}");
        }
    }
    Ok(Run {
        target,
        seconds: started.elapsed().as_secs_f64(),
        inputs,
        crashed,
    })
}
