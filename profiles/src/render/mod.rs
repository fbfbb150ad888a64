//! Writing endpoints in each format. Every writer takes the same list; an endpoint a format
//! cannot express (sing-box has no XHTTP, Clash no mKCP) is left out of that format and named
//! in [`Rendered::skipped`], never written half right.

mod clash;
mod links;
mod sing_box;
mod xray;

use std::collections::HashSet;

pub use links::share_link;

use crate::endpoint::Endpoint;
use crate::format::Format;

/// What the profile is called in apps, and where apps listen locally.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProfileMeta {
    /// The group apps show (`NebulaLinks`).
    pub title: String,
}

/// A written profile.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rendered {
    pub body: String,
    /// Endpoints this format cannot carry, by name.
    pub skipped: Vec<String>,
}

/// Writes `endpoints` in `format` (not [`Format::Html`], which the shop writes itself).
pub fn render(format: Format, endpoints: &[Endpoint], meta: &ProfileMeta) -> Rendered {
    let named = unique_names(endpoints);
    match format {
        Format::Links | Format::Html => links::render(&named),
        Format::Clash => clash::render(&named, meta),
        Format::SingBox => sing_box::render(&named, meta),
        Format::Xray => xray::render(&named),
    }
}

/// The endpoints with names made unique (`fra-1`, `fra-1 (2)`): Clash and sing-box refuse two
/// proxies of one name.
fn unique_names(endpoints: &[Endpoint]) -> Vec<Endpoint> {
    let mut seen = HashSet::new();
    endpoints
        .iter()
        .map(|e| {
            let mut e = e.clone();
            let base = e.name.clone();
            let mut n = 1;
            while !seen.insert(e.name.clone()) {
                n += 1;
                e.name = format!("{base} ({n})");
            }
            e
        })
        .collect()
}
