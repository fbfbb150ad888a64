//! Checks a shipped systemd unit with systemd's own tools: `systemd-analyze verify` (every
//! key known, in its right section, the program there) and `systemd-analyze security
//! --offline` (the sandbox's exposure score). Shared by the shop's and the gateway's tests.

#![allow(dead_code)]

use std::process::Command;

/// The most exposure a shipped unit may have, in systemd's 0–10 scale ("OK" is below 4.0).
pub const MAX_EXPOSURE: f64 = 2.0;

/// Copies `unit` (from `deploy/systemd`) with its installed program path replaced by
/// `binary`, so that `verify` finds the program, and runs both checks. Returns the problems.
pub fn check_unit(unit: &str, installed: &str, binary: &str) -> Vec<String> {
    let source = format!("{}/../deploy/systemd/{unit}", env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(&source).expect("the unit is shipped");
    assert!(text.contains(installed), "{unit} runs {installed}");
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(unit);
    std::fs::write(&path, text.replace(installed, binary)).unwrap();
    let mut problems = Vec::new();
    let verify = Command::new("systemd-analyze")
        .arg("verify")
        .arg(&path)
        .output()
        .expect("systemd-analyze runs (cargo xtask deps installs it)");
    let said = String::from_utf8_lossy(&verify.stderr).into_owned();
    if !verify.status.success() || !said.trim().is_empty() {
        problems.push(format!("verify: {said}"));
    }
    let security = Command::new("systemd-analyze")
        .args(["security", "--offline=yes", "--no-pager"])
        .arg(&path)
        .output()
        .expect("systemd-analyze runs");
    let report = String::from_utf8_lossy(&security.stdout);
    let exposure: f64 = report
        .lines()
        .find_map(|l| l.split("Overall exposure level for ").nth(1))
        .and_then(|rest| rest.split(": ").nth(1))
        .and_then(|v| v.split_whitespace().next())
        .and_then(|v| v.parse().ok())
        .unwrap_or_else(|| panic!("no exposure level in: {report}"));
    if exposure > MAX_EXPOSURE {
        problems.push(format!("exposure {exposure} > {MAX_EXPOSURE}:\n{report}"));
    }
    problems
}
