//! What the policy verbs say, in one place for `/policy` in Discord (in the admin's language)
//! and `nebula policy` on the command line (in English): the same sentences, with Discord's
//! marks (`**bold**`, `` `code` ``), which the command line strips ([`plain`]).

use crate::i18n::Locale;
use crate::tr;
use nebula_engine::Shop;
use nebula_engine::policy::{ActivePolicy, PolicyKind};
use nebula_plugins::{DryRunReport, InstallReport, PolicyListing, Replayed};

fn short(sha256: &str) -> &str {
    sha256.get(..12).unwrap_or(sha256)
}

/// One line per stored version; the live ones marked.
pub fn listing(l: Locale, list: &[PolicyListing]) -> Vec<String> {
    list.iter()
        .map(|entry| {
            let v = &entry.version;
            let mut line = tr!(
                l,
                "policy-line",
                kind = v.kind.to_string(),
                hash = short(&v.sha256),
                name = &v.name,
                bytes = v.size,
                installed = crate::discord::render::when(v.installed_at),
            );
            if entry.active {
                line.push_str(&format!(" **{}**", tr!(l, "policy-live")));
            }
            line
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

pub fn installed(l: Locale, kind: PolicyKind, r: &InstallReport) -> String {
    let said = tr!(
        l,
        "policy-installed",
        name = &r.active.name,
        kind = kind.to_string(),
        hash = short(&r.version.sha256),
        vectors = r.vectors_passed,
        checked = r.dry_run.checked,
        changed = r.dry_run.changed,
    );
    format!("{said}{}", examples(&r.dry_run))
}

pub fn dry_run(l: Locale, vectors: usize, r: &DryRunReport) -> String {
    let said = tr!(
        l,
        "policy-dry-run",
        vectors = vectors,
        checked = r.checked,
        changed = r.changed,
    );
    format!("{said}{}", examples(r))
}

pub fn activated(l: Locale, kind: PolicyKind, a: &ActivePolicy) -> String {
    tr!(
        l,
        "policy-activated",
        name = &a.name,
        hash = short(&a.sha256),
        kind = kind.to_string()
    )
}

pub fn configured(l: Locale, kind: PolicyKind, a: &ActivePolicy) -> String {
    tr!(
        l,
        "policy-configured",
        kind = kind.to_string(),
        name = &a.name,
        count = a.config.len()
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
pub async fn version(
    l: Locale,
    shop: &Shop,
    kind: PolicyKind,
    prefix: &str,
) -> Result<String, String> {
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
        [] => Err(tr!(
            l,
            "policy-no-match",
            kind = kind.to_string(),
            prefix = prefix
        )),
        _ => Err(tr!(l, "policy-ambiguous", prefix = prefix)),
    }
}

/// The text without Discord's marks, for a terminal.
pub fn plain(text: &str) -> String {
    text.replace("**", "").replace('`', "")
}
