//! What the policy verbs say, in one place for `/policy` in Discord and `nebula policy` on the
//! command line: the same sentences, with Discord's marks (`**bold**`, `` `code` ``), which the
//! command line strips ([`plain`]).

use nebula_engine::Shop;
use nebula_engine::policy::{ActivePolicy, PolicyKind};
use nebula_plugins::{DryRunReport, InstallReport, PolicyListing, Replayed};

fn short(sha256: &str) -> &str {
    sha256.get(..12).unwrap_or(sha256)
}

/// One line per stored version; the live ones marked.
pub fn listing(list: &[PolicyListing]) -> Vec<String> {
    list.iter()
        .map(|l| {
            let v = &l.version;
            format!(
                "{} `{}` {} ({} bytes, {}){}",
                v.kind,
                short(&v.sha256),
                v.name,
                v.size,
                crate::discord::render::when(v.installed_at),
                if l.active { " **live**" } else { "" }
            )
        })
        .collect()
}

fn examples(report: &DryRunReport) -> String {
    report
        .examples
        .iter()
        .take(3)
        .map(|e| format!("\n• {}: {} → {}", e.order.code(), e.before, e.after))
        .collect()
}

pub fn installed(kind: PolicyKind, r: &InstallReport) -> String {
    format!(
        "**{}** is now the live {kind} policy (`{}`). {} test vectors passed; on the last {} real orders it decides {} differently.{}",
        r.active.name,
        short(&r.version.sha256),
        r.vectors_passed,
        r.dry_run.checked,
        r.dry_run.changed,
        examples(&r.dry_run)
    )
}

pub fn dry_run(vectors: usize, r: &DryRunReport) -> String {
    format!(
        "Not installed. {vectors} test vectors passed; on the last {} real orders it would decide {} differently.{}",
        r.checked,
        r.changed,
        examples(r)
    )
}

pub fn activated(kind: PolicyKind, a: &ActivePolicy) -> String {
    format!(
        "**{}** (`{}`) is now the live {kind} policy.",
        a.name,
        short(&a.sha256)
    )
}

pub fn configured(kind: PolicyKind, a: &ActivePolicy) -> String {
    format!(
        "The {kind} policy **{}** now runs with {} setting(s).",
        a.name,
        a.config.len()
    )
}

/// One line per recorded decision of an order, run again.
pub fn replayed(rs: &[Replayed]) -> Vec<String> {
    rs.iter()
        .map(|r| {
            let verdict = match r.reproduced {
                Some(true) => "reproduced",
                Some(false) => "**DIFFERS**",
                None => "not replayable",
            };
            format!(
                "{} by {} (`{}`): {verdict}; {}",
                r.kind,
                r.stamp.name,
                short(&r.stamp.hash),
                r.detail
            )
        })
        .collect()
}

/// A stored version by its full sha256 or a prefix of it.
pub async fn version(shop: &Shop, kind: PolicyKind, prefix: &str) -> Result<String, String> {
    let prefix = prefix.trim();
    let versions = shop
        .policy_versions(Some(kind))
        .await
        .map_err(|e| e.to_string())?;
    let matching: Vec<_> = versions
        .iter()
        .filter(|v| v.sha256.starts_with(prefix))
        .collect();
    match matching.as_slice() {
        [one] => Ok(one.sha256.clone()),
        [] => Err(format!("No stored {kind} policy starts with `{prefix}`.")),
        _ => Err(format!(
            "`{prefix}` matches several versions; give more of the sha256."
        )),
    }
}

/// The text without Discord's marks, for a terminal.
pub fn plain(text: &str) -> String {
    text.replace("**", "").replace('`', "")
}
