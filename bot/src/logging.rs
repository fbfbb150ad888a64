//! The log filter of every `nebula` command. Whatever level the operator asks for, serenity's
//! HTTP layer stays at warn: its `request` span (at info) records whole request bodies, which
//! every event inside it then prints, and the shop's messages carry access links and
//! subscription URLs, which must never reach a log.

use tracing_subscriber::EnvFilter;

/// Targets capped whatever is asked, and the level they keep.
pub const CAPPED: &[&str] = &["serenity::http=warn"];

/// `requested` (`RUST_LOG`'s syntax) with the caps applied on top.
pub fn filter(requested: &str) -> EnvFilter {
    let mut filter = EnvFilter::try_new(requested).unwrap_or_else(|_| EnvFilter::new("info"));
    for cap in CAPPED {
        filter = filter.add_directive(cap.parse().expect("a valid directive"));
    }
    filter
}
