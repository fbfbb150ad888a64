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

    /// 404 with a header that says why to the app (`x-hwid-max-devices-reached: true`).
    pub fn not_found_because(header: &'static str) -> Answer {
        let mut answer = Answer::not_found();
        answer.headers.push((header, "true".into()));
        answer
    }
}

/// Why a subscription lists nothing, said inside the app.
fn notice(feed: &SubFeed) -> &'static str {
    let any = |status| feed.subscriptions.iter().any(|s| s.status == status);
    if any(SubscriptionStatus::Suspended) {
        "Traffic used up - renew in Discord"
    } else if any(SubscriptionStatus::Expired) {
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

/// Usage summed over the live subscriptions; the allowance counted once per group (a plan on
/// several servers shares one), unlimited (0) if any is; the end is the latest one's.
pub fn usage(feed: &SubFeed) -> Usage {
    let mut u = Usage::default();
    let mut unlimited = false;
    let mut groups = Vec::new();
    for s in live(feed) {
        u.download = u.download.saturating_add(s.usage_bytes());
        if !groups.contains(&s.group_id()) {
            groups.push(s.group_id());
            match s.traffic.bytes() {
                Some(b) => u.total = u.total.saturating_add(b),
                None => unlimited = true,
            }
        }
        u.expire = u.expire.max(s.expires_at.as_second());
    }
    if unlimited {
        u.total = 0;
    }
    u
}

/// The links of the active subscriptions (each link and its alternatives), in order.
fn active_links(feed: &SubFeed) -> impl Iterator<Item = (&Subscription, &str)> {
    live(feed)
        .filter(|s| s.status == SubscriptionStatus::Active)
        .flat_map(|s| {
            std::iter::once(&s.access)
                .chain(&s.alternatives)
                .map(move |l| (s, l.expose()))
        })
}

/// The endpoints of the active subscriptions, or one notice.
pub fn endpoints(feed: &SubFeed) -> Vec<Endpoint> {
    let mut out = Vec::new();
    for (s, link) in active_links(feed) {
        match Endpoint::parse(link) {
            Ok(e) => out.push(e),
            // The link itself is a secret: say which subscription, not what it holds.
            Err(e) => tracing::warn!(subscription = %s.id, "a stored link does not read back: {e}"),
        }
    }
    if out.is_empty() {
        out.push(Endpoint::notice(notice(feed)));
    }
    out
}

/// Profiles already written, by format and the exact entries they hold: an app refreshing an
/// unchanged subscription gets the same bytes without its links being parsed and written
/// again. The key is the content itself, so nothing is ever stale; the headers (usage) are
/// always fresh. Bounded: emptied when full.
#[derive(Debug, Default)]
pub struct Renders {
    map: std::sync::Mutex<std::collections::HashMap<String, std::sync::Arc<str>>>,
}

const RENDERS_KEPT: usize = 4096;

impl Renders {
    fn body(&self, format: Format, feed: &SubFeed, title: &str) -> std::sync::Arc<str> {
        let mut key = String::with_capacity(512);
        key.push_str(format.name());
        for (_, link) in active_links(feed) {
            key.push('\n');
            key.push_str(link);
        }
        if key.len() == format.name().len() {
            key.push_str("\nnotice:");
            key.push_str(notice(feed));
        }
        if let Some(hit) = nebula_common::lock(&self.map).get(&key) {
            return hit.clone();
        }
        let meta = ProfileMeta {
            title: title.to_owned(),
        };
        let body: std::sync::Arc<str> = render(format, &endpoints(feed), &meta).body.into();
        let mut map = nebula_common::lock(&self.map);
        if map.len() >= RENDERS_KEPT {
            map.clear();
        }
        map.insert(key, body.clone());
        body
    }
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
    l: crate::i18n::Locale,
    feed: &SubFeed,
    format: Format,
    settings: &SubscriptionSettings,
    page_url: &str,
    now: Timestamp,
    renders: &Renders,
) -> Answer {
    let usage = usage(feed);
    let body = match format {
        Format::Html => super::page::render(l, feed, &endpoints(feed), &usage, settings, now),
        _ => renders.body(format, feed, &settings.title).to_string(),
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

#[cfg(test)]
mod tests {
    use jiff::SignedDuration;
    use nebula_engine::ids::UserId;
    use nebula_engine::plan::TrafficLimit;
    use nebula_engine::subscription::AccessLink;
    use nebula_engine::testing::seeded_subscription;

    use super::*;

    const LINK: &str = "vless://0f8f1c9e-6d0e-4f55-9d8e-0b7d7c8f2a11@fra-1.vpn.example:443?type=tcp&security=reality&pbk=Ro8zz__nu5Yt-BTXZOw9x3zNhrPfMR3wdLQAe7_PZxI&sni=www.example.com&fp=chrome&sid=6b&flow=xtls-rprx-vision#fra-1";

    fn settings() -> SubscriptionSettings {
        SubscriptionSettings {
            bind: ([127, 0, 0, 1], 0).into(),
            public_url: "https://sub.example.com".into(),
            title: "Shop".into(),
            support_url: None,
            update_hours: 6,
            tls: None,
            per_token_per_minute: 30,
            per_address_per_minute: 60,
            trust_forwarded_for: false,
            hwid_required: false,
        }
    }

    fn feed(statuses: &[(SubscriptionStatus, Option<u64>, u64)]) -> (SubFeed, Timestamp) {
        let now: Timestamp = "2026-12-01T00:00:00Z".parse().unwrap();
        let subscriptions = statuses
            .iter()
            .enumerate()
            .map(|(i, (status, limit, used))| {
                let mut s = seeded_subscription(
                    i as u64,
                    "fra-1",
                    now + SignedDuration::from_hours(24 * (10 + i as i64)),
                    now,
                );
                s.status = *status;
                s.access = AccessLink::new(LINK);
                s.traffic = limit.map_or(TrafficLimit::Unlimited, TrafficLimit::Bytes);
                s.used_bytes = *used;
                s
            })
            .collect::<Vec<_>>()
            .into();
        (
            SubFeed {
                shopper: UserId(1),
                subscriptions,
            },
            now,
        )
    }

    /// Usage is summed over what still counts; any unlimited subscription makes the total
    /// unlimited; the end is the latest.
    #[test]
    fn usage_is_one_quota_over_the_shoppers_subscriptions() {
        use SubscriptionStatus::*;
        let (f, now) = feed(&[
            (Active, Some(100), 10),
            (Suspended, Some(50), 50),
            (Deleted, Some(999), 7),
        ]);
        let u = usage(&f);
        assert_eq!((u.download, u.total), (60, 150));
        assert_eq!(
            u.expire,
            (now + SignedDuration::from_hours(24 * 11)).as_second()
        );
        let (f, _) = feed(&[(Active, Some(100), 10), (Active, None, 5)]);
        assert_eq!(usage(&f).total, 0, "unlimited");
    }

    /// Used up, expired or nothing bought: every format still answers 200 with a valid
    /// profile whose one entry says why, never an error.
    #[test]
    fn a_subscription_that_serves_nothing_says_why_in_every_format() {
        use SubscriptionStatus::*;
        for (statuses, says) in [
            (vec![(Suspended, Some(10), 10)], "Traffic used up"),
            (vec![(Expired, Some(10), 1)], "Expired"),
            (vec![], "No active subscription"),
        ] {
            let (f, now) = feed(&statuses);
            let listed = endpoints(&f);
            assert_eq!(listed.len(), 1);
            assert!(listed[0].name.starts_with(says), "{}", listed[0].name);
            for format in Format::ALL {
                let renders = Renders::default();
                let page = "https://sub.example.com/sub/x?format=html";
                let ask = || {
                    let l = crate::i18n::Locale::En;
                    answer(l, &f, format, &settings(), page, now, &renders)
                };
                let (a, again) = (ask(), ask());
                assert_eq!(a, again, "the same answer from the kept profile");
                assert_eq!(a.status, 200, "{format:?}");
                if format == Format::Clash {
                    assert!(a.body.contains(says), "{}", a.body);
                }
            }
        }
        let (f, _) = feed(&[(Active, Some(10), 1), (Expired, Some(10), 1)]);
        assert_eq!(endpoints(&f).len(), 1, "only the active one's link");
        assert_eq!(endpoints(&f)[0].link, LINK);
    }

    #[test]
    fn a_format_named_in_the_url_wins_and_an_unknown_one_is_refused() {
        assert_eq!(format_of(Some("clash"), "v2rayNG/1.10"), Ok(Format::Clash));
        assert_eq!(format_of(None, "v2rayNG/1.10"), Ok(Format::Links));
        assert!(format_of(Some("exe"), "").unwrap_err().contains("sing-box"));
    }
}
