//! The page a browser gets at a subscription URL: the plan, usage and end of each
//! subscription, every link with its QR code, and which app to install on each platform. It
//! links nothing outside the shop and loads no script.

use base64::Engine;
use jiff::Timestamp;
use nebula_engine::sub_url::SubFeed;
use nebula_engine::subscription::SubscriptionStatus;
use nebula_profiles::Endpoint;
use nebula_profiles::userinfo::Usage;

use super::SubscriptionSettings;
use crate::discord::qr;

/// Apps per platform, the ones this shop's formats are tested with first.
const APPS: &[(&str, &str)] = &[
    (
        "Android",
        "v2rayNG, Hiddify, FlClash, NekoBox, sing-box (SFA)",
    ),
    (
        "iPhone and iPad",
        "Streisand, Happ, Shadowrocket, Hiddify, sing-box (SFI)",
    ),
    ("Windows", "v2rayN, Clash Verge, Hiddify, FlClash"),
    ("macOS", "Clash Verge, Hiddify, FlClash, sing-box (SFM)"),
    ("Linux", "Clash Verge, Hiddify, v2rayN, mihomo"),
];

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

fn gib(bytes: u64) -> String {
    format!("{:.2} GiB", bytes as f64 / (1u64 << 30) as f64)
}

fn status_name(s: SubscriptionStatus) -> &'static str {
    match s {
        SubscriptionStatus::Active => "active",
        SubscriptionStatus::Suspended => "traffic used up",
        SubscriptionStatus::Expired => "expired",
        SubscriptionStatus::Deleted => "ended",
    }
}

pub fn render(
    feed: &SubFeed,
    endpoints: &[Endpoint],
    usage: &Usage,
    settings: &SubscriptionSettings,
    now: Timestamp,
) -> String {
    let title = escape(&settings.title);
    let mut html = format!(
        "<!doctype html><html><head><meta charset=\"utf-8\"><meta name=\"viewport\" \
         content=\"width=device-width,initial-scale=1\"><meta name=\"referrer\" content=\"no-referrer\">\
         <title>{title}</title><style>body{{font-family:system-ui,sans-serif;max-width:44rem;margin:auto;\
         padding:1rem}}code{{word-break:break-all;unicode-bidi:isolate;direction:ltr;display:block}}\
         img{{width:14rem;height:14rem}}</style></head><body><h1>{title}</h1>"
    );
    let total = if usage.total == 0 {
        "unlimited".to_owned()
    } else {
        gib(usage.total)
    };
    html.push_str(&format!(
        "<p>Used {} of {total}.</p><h2>Subscriptions</h2><ul>",
        gib(usage.download)
    ));
    for s in feed
        .subscriptions
        .iter()
        .filter(|s| s.status != SubscriptionStatus::Deleted)
    {
        let days = (s.expires_at.as_second() - now.as_second()).max(0) / 86_400;
        html.push_str(&format!(
            "<li>{}: {}, until {} UTC ({days} days left)</li>",
            escape(&s.plan.name),
            status_name(s.status),
            s.expires_at.strftime("%Y-%m-%d %H:%M"),
        ));
    }
    html.push_str("</ul><h2>Links</h2>");
    for e in endpoints {
        html.push_str(&format!(
            "<h3>{}</h3><code>{}</code>",
            escape(&e.name),
            escape(&e.link)
        ));
        if let Some(png) = qr::png(&e.link) {
            html.push_str(&format!(
                "<img alt=\"QR code\" src=\"data:image/png;base64,{}\">",
                base64::engine::general_purpose::STANDARD.encode(png)
            ));
        }
    }
    html.push_str(
        "<h2>Apps</h2><p>Add this page's address as a subscription in one of these:</p><ul>",
    );
    for (platform, apps) in APPS {
        html.push_str(&format!("<li><b>{platform}</b>: {apps}</li>"));
    }
    html.push_str("</ul>");
    if let Some(url) = &settings.support_url {
        html.push_str(&format!("<p><a href=\"{}\">Support</a></p>", escape(url)));
    }
    html.push_str("</body></html>\n");
    html
}
