//! What one fetch of a subscription URL answers, decided without I/O: the endpoints to list
//! (or the notice that says why there are none), the usage header, the status. The listener
//! only looks the token up and writes this out.

use jiff::Timestamp;
use nebula_engine::sub_url::SubFeed;
use nebula_engine::subscription::{Subscription, SubscriptionStatus};
use nebula_profiles::userinfo::Usage;
use nebula_profiles::{Endpoint, Format, ProfileMeta, render, userinfo};

use super::SubscriptionSettings;

/// A whole answer: status, headers and body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Answer {
    pub status: u16,
    pub headers: Vec<(&'static str, String)>,
    pub body: String,
}

impl Answer {
    pub fn not_found() -> Answer {
        Answer {
            status: 404,
            headers: vec![("content-type", "text/plain; charset=utf-8".into())],
            body: "not found\n".into(),
        }
    }

    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

/// Why a subscription lists nothing, said inside the app.
fn notice(feed: &SubFeed) -> &'static str {
    let statuses: Vec<SubscriptionStatus> = feed.subscriptions.iter().map(|s| s.status).collect();
    if statuses.contains(&SubscriptionStatus::Suspended) {
        "Traffic used up - renew in Discord"
    } else if statuses.contains(&SubscriptionStatus::Expired) {
        "Expired - renew in Discord"
    } else {
        "No active subscription - buy access in Discord"
    }
}

/// The subscriptions that still count (not deleted from their panels).
fn live(feed: &SubFeed) -> impl Iterator<Item = &Subscription> {
    feed.subscriptions
        .iter()
        .filter(|s| s.status != SubscriptionStatus::Deleted)
}

/// Usage summed over the live subscriptions; the total is unlimited (0) if any is; the end is
/// the latest one's.
pub fn usage(feed: &SubFeed) -> Usage {
    let mut u = Usage::default();
    let mut unlimited = false;
    for s in live(feed) {
        u.download = u.download.saturating_add(s.used_bytes);
        match s.traffic.bytes() {
            Some(b) => u.total = u.total.saturating_add(b),
            None => unlimited = true,
        }
        u.expire = u.expire.max(s.expires_at.as_second());
    }
    if unlimited {
        u.total = 0;
    }
    u
}

/// The endpoints of the active subscriptions (each link and its alternatives), or one notice.
pub fn endpoints(feed: &SubFeed) -> Vec<Endpoint> {
    let mut out = Vec::new();
    for s in live(feed).filter(|s| s.status == SubscriptionStatus::Active) {
        for link in std::iter::once(&s.access).chain(&s.alternatives) {
            match Endpoint::parse(link.expose()) {
                Ok(e) => out.push(e),
                // The link itself is a secret: say which subscription, not what it holds.
                Err(e) => {
                    tracing::warn!(subscription = %s.id, "a stored link does not read back: {e}")
                }
            }
        }
    }
    if out.is_empty() {
        out.push(Endpoint::notice(notice(feed)));
    }
    out
}

/// The format a request asks for: `?format=` wins, then the User-Agent. An unknown name is
/// refused rather than guessed.
pub fn format_of(query: Option<&str>, user_agent: &str) -> Result<Format, String> {
    match query {
        Some(name) => Format::named(name).ok_or_else(|| {
            let known: Vec<&str> = Format::ALL.iter().map(|f| f.name()).collect();
            format!("unknown format {name:?}; known: {}\n", known.join(", "))
        }),
        None => Ok(Format::for_user_agent(user_agent)),
    }
}

/// The answer to a fetch of `feed` in `format`.
/// `page_url` is this subscription's own page (its URL with `?format=html`).
pub fn answer(
    feed: &SubFeed,
    format: Format,
    settings: &SubscriptionSettings,
    page_url: &str,
    now: Timestamp,
) -> Answer {
    let endpoints = endpoints(feed);
    let usage = usage(feed);
    let body = match format {
        Format::Html => super::page::render(feed, &endpoints, &usage, settings, now),
        _ => {
            let meta = ProfileMeta {
                title: settings.title.clone(),
            };
            render(format, &endpoints, &meta).body
        }
    };
    let mut headers = vec![
        ("content-type", format.content_type().to_owned()),
        ("cache-control", "no-store".to_owned()),
    ];
    if format != Format::Html {
        headers.extend([
            ("subscription-userinfo", usage.header()),
            ("profile-update-interval", settings.update_hours.to_string()),
            ("profile-title", userinfo::profile_title(&settings.title)),
            (
                "content-disposition",
                userinfo::content_disposition(&settings.title, format),
            ),
        ]);
        if let Some(url) = &settings.support_url {
            headers.push(("support-url", url.clone()));
        }
        headers.push(("profile-web-page-url", page_url.to_owned()));
    }
    Answer {
        status: 200,
        headers,
        body,
    }
}
