//! The page a browser gets at a subscription URL: the plan, usage and end of each
//! subscription, every link with its QR code, and which app to install on each platform. It
//! links nothing outside the shop and loads no script. It is written in the shopper's language
//! ([`page_locale`]); links and codes stay left to right inside right-to-left text.

use base64::Engine;
use jiff::Timestamp;
use nebula_engine::sub_url::SubFeed;
use nebula_engine::subscription::SubscriptionStatus;
use nebula_profiles::Endpoint;
use nebula_profiles::userinfo::Usage;

use super::SubscriptionSettings;
use crate::discord::qr;
use crate::i18n::{Locale, format};
use crate::tr;

/// Apps per platform, the ones this shop's formats are tested with first (a platform's name
/// that needs words is a key of the `.ftl` files).
const APPS: &[(&str, &str)] = &[
    (
        "Android",
        "v2rayNG, Hiddify, FlClash, NekoBox, sing-box (SFA)",
    ),
    (
        "page-platform-ios",
        "Streisand, Happ, Shadowrocket, Hiddify, sing-box (SFI)",
    ),
    ("Windows", "v2rayN, Clash Verge, Hiddify, FlClash"),
    ("macOS", "Clash Verge, Hiddify, FlClash, sing-box (SFM)"),
    ("Linux", "Clash Verge, Hiddify, v2rayN, mihomo"),
];

/// The page's language: the one the shopper chose or last used in the shop, else the first
/// of the browser's `Accept-Language` the shop speaks, else English. Pure.
pub fn page_locale(stored: Option<&str>, accept_language: &str) -> Locale {
    stored
        .and_then(Locale::parse)
        .or_else(|| {
            accept_language
                .split(',')
                .filter_map(|part| part.split(';').next())
                .find_map(Locale::parse)
        })
        .unwrap_or(Locale::En)
}

/// Text made safe for HTML (element content and quoted attributes).
fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

fn status_name(l: Locale, s: SubscriptionStatus) -> String {
    match s {
        SubscriptionStatus::Active => tr!(l, "status-active"),
        SubscriptionStatus::Suspended => tr!(l, "page-status-used-up"),
        SubscriptionStatus::Expired => tr!(l, "status-expired"),
        SubscriptionStatus::Deleted => tr!(l, "status-deleted"),
    }
}

pub fn render(
    l: Locale,
    feed: &SubFeed,
    endpoints: &[Endpoint],
    usage: &Usage,
    settings: &SubscriptionSettings,
    now: Timestamp,
) -> String {
    let title = escape(&settings.title);
    let dir = if l.is_rtl() { "rtl" } else { "ltr" };
    let mut html = format!(
        "<!doctype html><html lang=\"{}\" dir=\"{dir}\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" \
         content=\"width=device-width,initial-scale=1\"><meta name=\"referrer\" content=\"no-referrer\">\
         <title>{title}</title><style>body{{font-family:system-ui,sans-serif;max-width:44rem;margin:auto;\
         padding:1rem}}code{{word-break:break-all;unicode-bidi:isolate;direction:ltr;display:block}}\
         img{{width:14rem;height:14rem}}</style></head><body><h1>{title}</h1>",
        l.tag()
    );
    let total = if usage.total == 0 {
        tr!(l, "traffic-unlimited")
    } else {
        format::gib(l, usage.total)
    };
    html.push_str(&format!(
        "<p>{}</p><h2>{}</h2><ul>",
        escape(&tr!(
            l,
            "page-used",
            used = format::gib(l, usage.download),
            total = total
        )),
        escape(&tr!(l, "page-subscriptions"))
    ));
    for s in feed
        .subscriptions
        .iter()
        .filter(|s| s.status != SubscriptionStatus::Deleted)
    {
        let days = (s.expires_at.as_second() - now.as_second()).max(0) / 86_400;
        html.push_str(&format!(
            "<li>{}</li>",
            escape(&tr!(
                l,
                "page-subscription",
                plan = &s.plan.name,
                status = status_name(l, s.status),
                until = s.expires_at.strftime("%Y-%m-%d %H:%M UTC").to_string(),
                days = days,
            ))
        ));
    }
    html.push_str(&format!("</ul><h2>{}</h2>", escape(&tr!(l, "page-links"))));
    for e in endpoints {
        html.push_str(&format!(
            "<h3>{}</h3><code>{}</code>",
            escape(&e.name),
            escape(&e.link)
        ));
        if let Some(png) = qr::png(&e.link) {
            html.push_str(&format!(
                "<img alt=\"{}\" src=\"data:image/png;base64,{}\">",
                escape(&tr!(l, "page-qr")),
                base64::engine::general_purpose::STANDARD.encode(png)
            ));
        }
    }
    html.push_str(&format!(
        "<h2>{}</h2><p>{}</p><ul>",
        escape(&tr!(l, "page-apps")),
        escape(&tr!(l, "page-apps-intro"))
    ));
    for (platform, apps) in APPS {
        let platform = if platform.starts_with("page-") {
            crate::i18n::text(l, platform, &[])
        } else {
            (*platform).to_owned()
        };
        html.push_str(&format!(
            "<li><b>{}</b>: <bdi>{apps}</bdi></li>",
            escape(&platform)
        ));
    }
    html.push_str("</ul>");
    if let Some(url) = &settings.support_url {
        html.push_str(&format!(
            "<p><a href=\"{}\">{}</a></p>",
            escape(url),
            escape(&tr!(l, "page-support"))
        ));
    }
    html.push_str("</body></html>\n");
    html
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_page_speaks_the_shoppers_language() {
        assert_eq!(page_locale(Some("fa"), "ru,en;q=0.8"), Locale::Fa);
        assert_eq!(page_locale(None, "de-DE,ru;q=0.9,en;q=0.8"), Locale::Ru);
        assert_eq!(page_locale(None, "zh-TW,ja"), Locale::En);
        assert_eq!(page_locale(Some("xx"), ""), Locale::En);
    }
}
