//! Which format a client gets: from its User-Agent by a table (first match wins), or named in
//! the URL's `?format=`. The table is the documentation: `docs/subscription.md` lists it.

/// What a subscription URL can answer with.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Format {
    /// Share links, one per line, base64 as a whole: what most apps read.
    Links,
    /// A Clash/Mihomo configuration (YAML).
    Clash,
    /// A sing-box configuration (JSON).
    SingBox,
    /// Xray configurations, one per endpoint (a JSON array, as v2rayN and v2rayNG import).
    Xray,
    /// The shopper's page: plan, usage, expiry, each link with its QR code, apps to install.
    Html,
}

impl Format {
    pub const ALL: [Format; 5] = [
        Format::Links,
        Format::Clash,
        Format::SingBox,
        Format::Xray,
        Format::Html,
    ];

    /// Its name in `?format=`.
    pub fn name(self) -> &'static str {
        match self {
            Format::Links => "links",
            Format::Clash => "clash",
            Format::SingBox => "sing-box",
            Format::Xray => "xray",
            Format::Html => "html",
        }
    }

    /// The format a `?format=` value names (a few common spellings accepted).
    pub fn named(name: &str) -> Option<Format> {
        match name.to_ascii_lowercase().as_str() {
            "links" | "base64" | "v2ray" => Some(Format::Links),
            "clash" | "mihomo" | "clash-meta" | "yaml" => Some(Format::Clash),
            "sing-box" | "singbox" => Some(Format::SingBox),
            "xray" | "xray-json" | "json" => Some(Format::Xray),
            "html" => Some(Format::Html),
            _ => None,
        }
    }

    /// The format for a client that says `user_agent`.
    pub fn for_user_agent(user_agent: &str) -> Format {
        let ua = user_agent.to_ascii_lowercase();
        USER_AGENTS
            .iter()
            .find(|(needle, _)| ua.contains(needle))
            .map_or(Format::Links, |(_, format)| *format)
    }

    pub fn content_type(self) -> &'static str {
        match self {
            Format::Links => "text/plain; charset=utf-8",
            Format::Clash => "text/yaml; charset=utf-8",
            Format::SingBox | Format::Xray => "application/json; charset=utf-8",
            Format::Html => "text/html; charset=utf-8",
        }
    }

    /// The file name apps save it under (`content-disposition`).
    pub fn file_extension(self) -> &'static str {
        match self {
            Format::Links => "txt",
            Format::Clash => "yaml",
            Format::SingBox | Format::Xray => "json",
            Format::Html => "html",
        }
    }
}

/// User-Agent fragments (lowercase) and the format for them, first match wins. Apps that
/// mention several cores (Hiddify says "ClashMeta v2ray sing-box") come before the cores.
pub const USER_AGENTS: &[(&str, Format)] = &[
    ("hiddify", Format::Links),
    ("v2rayng", Format::Links),
    ("v2rayn", Format::Links),
    ("streisand", Format::Links),
    ("shadowrocket", Format::Links),
    ("happ", Format::Links),
    ("nekobox", Format::Links),
    ("nekoray", Format::Links),
    ("foxray", Format::Links),
    ("v2box", Format::Links),
    ("flclash", Format::Clash),
    ("clash", Format::Clash),
    ("mihomo", Format::Clash),
    ("stash", Format::Clash),
    ("sfa/", Format::SingBox),
    ("sfi/", Format::SingBox),
    ("sfm/", Format::SingBox),
    ("sft/", Format::SingBox),
    ("sing-box", Format::SingBox),
    ("xray", Format::Xray),
    ("mozilla/", Format::Html),
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_format_is_reachable_by_its_name() {
        for f in Format::ALL {
            assert_eq!(Format::named(f.name()), Some(f));
        }
        assert_eq!(Format::named("pdf"), None);
    }
}
