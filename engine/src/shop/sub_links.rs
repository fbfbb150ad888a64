//! Personal subscription URLs: issuing a shopper's token, resetting it, and finding what a
//! token serves.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use redb::ReadableTable;

use super::{Core, Shop};
use crate::actor::Actor;
use crate::audit;
use crate::effect::{DiscordEffect, Scheduled, SubscriptionNotice};
use crate::error::ShopError;
use crate::ids::UserId;
use crate::outbox;
use crate::store::{self, tables::*};
use crate::sub_url::{Device, DeviceInfo, Fetch, SubFeed, SubToken, device_limit};
use crate::subscription::{Subscription, SubscriptionStatus};

impl Shop {
    /// The shopper's subscription token, issued on first use (audited).
    pub async fn sub_token(&self, shopper: UserId) -> Result<SubToken, ShopError> {
        self.blocking(move |core| core.sub_token(shopper, false))
            .await
    }

    /// A new token for the shopper; the old one stops working at once (audited).
    pub async fn reset_sub_token(&self, shopper: UserId) -> Result<SubToken, ShopError> {
        self.blocking(move |core| core.sub_token(shopper, true))
            .await
    }

    /// What `token` serves, or `None` if no shopper holds it (malformed, unknown or reset).
    pub async fn sub_feed(&self, token: &str) -> Result<Option<SubFeed>, ShopError> {
        Ok(match self.sub_fetch(token, None).await? {
            Fetch::Served(feed) => Some(feed),
            Fetch::Unknown | Fetch::TooManyDevices { .. } => None,
        })
    }

    /// A fetch by an app: what `token` serves, with `device` (if the app names itself)
    /// counted against the shopper's device limit. A new device over the limit is refused and
    /// the shopper told (once a day per device); a known one is served and its last fetch kept
    /// (at most once an hour, so refreshes do not write).
    pub async fn sub_fetch(
        &self,
        token: &str,
        device: Option<DeviceInfo>,
    ) -> Result<Fetch, ShopError> {
        let token = token.to_owned();
        self.blocking(move |core| fetch_now(core, &token, device))
            .await
    }

    /// [`Shop::sub_fetch`] on the calling thread, for a listener on a runtime of its own: it
    /// reads (and, for a new device, writes) redb right there, without the hop to a blocking
    /// thread that costs more than the lookup. Never call it on the bot's runtime.
    pub fn sub_fetch_here(
        &self,
        token: &str,
        device: Option<DeviceInfo>,
    ) -> Result<Fetch, ShopError> {
        fetch_now(&self.core, token, device)
    }

    /// The devices that fetched the shopper's subscription, most recent first.
    pub async fn devices(&self, shopper: UserId) -> Result<Vec<Device>, ShopError> {
        self.blocking(move |core| {
            let read = store::begin_read(&core.db)?;
            let mut out: Vec<Device> = Vec::new();
            for row in read.open_table(SUB_DEVICES)?.range((shopper.0, "")..)? {
                let (key, value) = row?;
                if key.value().0 != shopper.0 {
                    break;
                }
                out.push(store::envelope::decode(SUB_DEVICES_NAME, value.value())?);
            }
            out.sort_by_key(|d| std::cmp::Reverse(d.last_seen));
            Ok(out)
        })
        .await
    }

    /// Forgets one of the shopper's devices, freeing its place (audited); false if unknown.
    pub async fn remove_device(&self, shopper: UserId, hwid: String) -> Result<bool, ShopError> {
        self.blocking(move |core| {
            let txn = core.db.begin()?;
            let removed = txn
                .open_table(SUB_DEVICES)?
                .remove((shopper.0, hwid.as_str()))?
                .is_some();
            if removed {
                audit::record(
                    &txn,
                    core.now(),
                    Actor::Shopper(shopper),
                    "sub_link.device_removed",
                    format!("shopper:{shopper}"),
                    String::new(),
                )?;
            }
            core.db.commit(txn)?;
            Ok(removed)
        })
        .await
    }
}

/// Shoppers' subscriptions by the version they were read at. An entry is used only while the
/// snapshot a fetch reads holds the same version, so it is never stale; bounded, emptied when
/// full.
#[derive(Debug, Default)]
pub(crate) struct Feeds(Mutex<HashMap<u64, KeptFeed>>);

/// A shopper's subscriptions and the version they were read at.
type KeptFeed = (u64, Arc<[Subscription]>);

const FEEDS_KEPT: usize = 10_000;

impl Feeds {
    fn get(&self, shopper: UserId, version: u64) -> Option<Arc<[Subscription]>> {
        nebula_common::lock(&self.0)
            .get(&shopper.0)
            .filter(|(v, _)| *v == version)
            .map(|(_, subs)| subs.clone())
    }

    fn keep(&self, shopper: UserId, version: u64, subs: Arc<[Subscription]>) {
        let mut map = nebula_common::lock(&self.0);
        if map.len() >= FEEDS_KEPT {
            map.clear();
        }
        map.insert(shopper.0, (version, subs));
    }
}

/// A known device's last fetch is written again only after this long.
const SEEN_AGAIN_AFTER: jiff::SignedDuration = jiff::SignedDuration::from_hours(1);

fn fetch_now(core: &Core, token: &str, device: Option<DeviceInfo>) -> Result<Fetch, ShopError> {
    let Some(token) = SubToken::parse(token) else {
        return Ok(Fetch::Unknown);
    };
    let Some(feed) = read_feed(core, &token)? else {
        return Ok(Fetch::Unknown);
    };
    let Some(device) = device else {
        return Ok(Fetch::Served(feed));
    };
    let now = core.now();
    let read = store::begin_read(&core.db)?;
    let known: Option<Device> = store::get(
        &read.open_table(SUB_DEVICES)?,
        SUB_DEVICES_NAME,
        (feed.shopper.0, device.hwid.as_str()),
    )?;
    drop(read);
    if known
        .as_ref()
        .is_some_and(|d| now.duration_since(d.last_seen) < SEEN_AGAIN_AFTER)
    {
        return Ok(Fetch::Served(feed));
    }
    core.count_device(feed, device, now)
}

fn read_feed(core: &Core, token: &SubToken) -> Result<Option<SubFeed>, ShopError> {
    let read = store::begin_read(&core.db)?;
    let Some(shopper) = read
        .open_table(SUB_TOKEN_HASHES)?
        .get(token.lookup_key().as_str())?
        .map(|v| UserId(v.value()))
    else {
        return Ok(None);
    };
    let held = stored_token(&read.open_table(SUB_TOKENS)?, shopper)?;
    if !held.is_some_and(|held| {
        nebula_common::same_secret(held.expose().as_bytes(), token.expose().as_bytes())
    }) {
        return Ok(None);
    }
    let version = read
        .open_table(SHOPPER_FEED_VERSIONS)?
        .get(shopper.0)?
        .map_or(0, |v| v.value());
    let subscriptions = match core.feeds.get(shopper, version) {
        Some(kept) => kept,
        None => {
            let read_now: Arc<[Subscription]> =
                super::records::subscriptions_of_shopper(&read, shopper)?.into();
            core.feeds.keep(shopper, version, read_now.clone());
            read_now
        }
    };
    Ok(Some(SubFeed {
        shopper,
        subscriptions,
    }))
}

fn stored_token(
    table: &impl ReadableTable<u64, &'static [u8]>,
    shopper: UserId,
) -> Result<Option<SubToken>, ShopError> {
    let token: Option<String> = store::get(table, SUB_TOKENS_NAME, shopper.0)?;
    Ok(token.as_deref().and_then(SubToken::parse))
}

impl Core {
    /// Counts `device` for the feed's shopper in one write transaction (so two new devices at
    /// once cannot both take the last place), or refuses it and tells the shopper.
    fn count_device(
        &self,
        feed: SubFeed,
        device: DeviceInfo,
        now: jiff::Timestamp,
    ) -> Result<Fetch, ShopError> {
        let shopper = feed.shopper;
        let limit = device_limit(&feed.subscriptions);
        let txn = self.db.begin()?;
        let refused = {
            let mut devices = txn.open_table(SUB_DEVICES)?;
            let known: Option<Device> = store::get(
                &devices,
                SUB_DEVICES_NAME,
                (shopper.0, device.hwid.as_str()),
            )?;
            let held = devices
                .range((shopper.0, "")..)?
                .take_while(|r| r.as_ref().is_ok_and(|(k, _)| k.value().0 == shopper.0))
                .count() as u32;
            if known.is_none() && limit > 0 && held >= limit {
                true
            } else {
                let record = Device {
                    first_seen: known.map_or(now, |d| d.first_seen),
                    last_seen: now,
                    info: device.clone(),
                };
                store::put(&mut devices, (shopper.0, device.hwid.as_str()), &record)?;
                false
            }
        };
        if refused
            && let Some(sub) = feed
                .subscriptions
                .iter()
                .find(|s| s.status != SubscriptionStatus::Deleted)
        {
            let day = now.as_second().div_euclid(86_400);
            let key = format!(
                "device-limit:{shopper}:{}:{day}",
                nebula_common::hex_sha256(&device.hwid)
            );
            let effect = Scheduled::now(DiscordEffect::NotifySubscriber {
                shopper,
                subscription: sub.id,
                plan_name: sub.plan.name.clone(),
                notice: SubscriptionNotice::DeviceLimit {
                    limit,
                    model: device.model.clone(),
                },
            });
            outbox::enqueue(&txn, key, effect, now)?;
        }
        self.db.commit(txn)?;
        if refused {
            self.outbox_written.notify_one();
        }
        Ok(if refused {
            Fetch::TooManyDevices { limit }
        } else {
            Fetch::Served(feed)
        })
    }

    fn sub_token(&self, shopper: UserId, reset: bool) -> Result<SubToken, ShopError> {
        let txn = self.db.begin()?;
        let token = {
            let mut tokens = txn.open_table(SUB_TOKENS)?;
            let mut hashes = txn.open_table(SUB_TOKEN_HASHES)?;
            let old = stored_token(&tokens, shopper)?;
            match old {
                Some(old) if !reset => return Ok(old),
                Some(old) => {
                    hashes.remove(old.lookup_key().as_str())?;
                }
                None => {}
            }
            let token = SubToken::generate();
            store::put(&mut tokens, shopper.0, &token.expose())?;
            hashes.insert(token.lookup_key().as_str(), shopper.0)?;
            token
        };
        audit::record(
            &txn,
            self.now(),
            Actor::Shopper(shopper),
            if reset {
                "sub_link.reset"
            } else {
                "sub_link.issue"
            },
            format!("shopper:{shopper}"),
            String::new(),
        )?;
        self.db.commit(txn)?;
        Ok(token)
    }
}
