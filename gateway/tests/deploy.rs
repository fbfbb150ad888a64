//! The gateway as an operator deploys it: its systemd unit passes systemd's own checks, and
//! `nebula-gateway run` stops cleanly on SIGTERM (what `systemctl stop` and `docker stop` send).

#[path = "deploy/units.rs"]
mod units;

use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

#[test]
fn the_systemd_unit_passes_systemds_checks() {
    let problems = units::check_unit(
        "nebula-gateway.service",
        "/usr/local/bin/nebula-gateway",
        env!("CARGO_BIN_EXE_nebula-gateway"),
    );
    assert!(problems.is_empty(), "{problems:#?}");
}

#[test]
fn run_stops_cleanly_on_sigterm() {
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("gateway.toml");
    std::fs::write(
        &config,
        r#"bind = "127.0.0.1:0"

[auth]
allow = ["127.0.0.0/8"]

[[auth.keys]]
id = "shop-1"
secret_env = "NEBULA_GATEWAY_KEY_SHOP_1"

[panel]
url = "http://127.0.0.1:9/panel/"
token_env = "NEBULA_PANEL_TOKEN"

[links]
public_host = "vpn.example.com"
"#,
    )
    .unwrap();
    let mut child = Command::new(env!("CARGO_BIN_EXE_nebula-gateway"))
        .args(["run", "--config"])
        .arg(&config)
        .env("NEBULA_GATEWAY_KEY_SHOP_1", "k".repeat(40))
        .env("NEBULA_PANEL_TOKEN", "t".repeat(40))
        .env("RUST_LOG", "info")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // Give it a second to start listening (the log says when); it must not exit by itself.
    std::thread::sleep(Duration::from_secs(1));
    if let Some(status) = child.try_wait().unwrap() {
        panic!("the gateway exited early: {status}");
    }
    let term = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(term.success());
    let deadline = Instant::now() + Duration::from_secs(10);
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        assert!(
            Instant::now() < deadline,
            "still running 10 s after SIGTERM"
        );
        std::thread::sleep(Duration::from_millis(50));
    };
    let out = child.wait_with_output().unwrap();
    let log = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(status.success(), "exit {status}: {log}");
    assert!(log.contains("gateway listening"), "{log}");
    assert!(
        log.contains("shutting down") && log.contains("SIGTERM"),
        "{log}"
    );
}

/// The compose example is valid Compose (the Compose Specification's own JSON schema, read
/// with PyPI `jsonschema`), and its gateway config passes `nebula-gateway check`.
#[test]
fn the_compose_example_is_valid_compose_and_its_gateway_config_checks() {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../deploy/compose");
    let script = r#"
import json, sys, yaml, jsonschema
schema = json.load(open(sys.argv[1]))
doc = yaml.safe_load(open(sys.argv[2]))
errors = [e.message for e in jsonschema.Draft7Validator(schema).iter_errors(doc)]
print("\n".join(errors))
sys.exit(1 if errors else 0)
"#;
    let out = Command::new("python3")
        .args(["-c", script])
        .arg(format!("{dir}/spec/compose-spec.json"))
        .arg(format!("{dir}/compose.yaml"))
        .output()
        .expect("python3 runs");
    assert!(
        out.status.success(),
        "compose.yaml: {}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    // The schema is really applied: a service with an unknown key is refused.
    let bad = tempfile::NamedTempFile::new().unwrap();
    std::fs::write(bad.path(), "services:\n  gateway:\n    imagee: x\n").unwrap();
    let refused = Command::new("python3")
        .args(["-c", script])
        .arg(format!("{dir}/spec/compose-spec.json"))
        .arg(bad.path())
        .output()
        .unwrap();
    assert!(
        !refused.status.success(),
        "the schema refuses an unknown key"
    );

    let check = Command::new(env!("CARGO_BIN_EXE_nebula-gateway"))
        .args(["check", "--config"])
        .arg(format!("{dir}/gateway.toml.example"))
        .env("NEBULA_GATEWAY_KEY_SHOP_1", "k".repeat(64))
        .env("NEBULA_PANEL_TOKEN", "t".repeat(40))
        .output()
        .unwrap();
    assert!(
        check.status.success(),
        "{}",
        String::from_utf8_lossy(&check.stderr)
    );
}
