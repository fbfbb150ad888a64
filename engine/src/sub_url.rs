//! The shopper's personal subscription URL: one secret token that serves all of their access,
//! the same across renewals, new purchases and server moves, until they reset it.

use std::fmt;

use crate::ids::UserId;
use crate::subscription::Subscription;

/// Characters in a token: 32 from a 62-letter alphabet, about 190 random bits.
pub const TOKEN_LEN: usize = 32;

/// The secret in a subscription URL. Stored and shown to its owner, never printed: `Debug`
/// and `Display` redact it.
#[derive(Clone, PartialEq, Eq)]
pub struct SubToken(String);

impl SubToken {
    /// A new random token.
    pub fn generate() -> Self {
        SubToken(nebula_common::random_token(
            nebula_common::ALPHANUMERIC,
            TOKEN_LEN,
        ))
    }

    /// A token as it arrives in a URL, if it has a token's shape (anything else is refused
    /// before it is looked up).
    pub fn parse(s: &str) -> Option<Self> {
        (s.len() == TOKEN_LEN && s.bytes().all(|b| b.is_ascii_alphanumeric()))
            .then(|| SubToken(s.to_owned()))
    }

    /// The token itself, for the URL shown to its owner.
    pub fn expose(&self) -> &str {
        &self.0
    }

    /// Its lookup key: the hex SHA-256, so the index never holds the token.
    pub(crate) fn lookup_key(&self) -> String {
        nebula_common::hex_sha256(&self.0)
    }
}

impl fmt::Debug for SubToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("SubToken(<redacted>)")
    }
}

impl fmt::Display for SubToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("<redacted token>")
    }
}

/// A device as its app describes itself (`x-hwid`, `x-device-os`, `x-ver-os`,
/// `x-device-model`), cut to sane lengths.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct DeviceInfo {
    pub hwid: String,
    pub os: String,
    pub os_version: String,
    pub model: String,
}

/// Longest device id kept; longer ones are refused, not cut (two could collide).
pub const MAX_HWID: usize = 128;
const MAX_FIELD: usize = 64;

impl DeviceInfo {
    /// The device, if its id is 1 to [`MAX_HWID`] printable ASCII characters; the descriptive
    /// fields are cut and stripped of control characters.
    pub fn new(hwid: &str, os: &str, os_version: &str, model: &str) -> Option<DeviceInfo> {
        let hwid = hwid.trim();
        if hwid.is_empty() || hwid.len() > MAX_HWID || !hwid.bytes().all(|b| b.is_ascii_graphic()) {
            return None;
        }
        let clean = |s: &str| -> String {
            s.chars()
                .filter(|c| !c.is_control())
                .take(MAX_FIELD)
                .collect::<String>()
                .trim()
                .to_owned()
        };
        Some(DeviceInfo {
            hwid: hwid.to_owned(),
            os: clean(os),
            os_version: clean(os_version),
            model: clean(model),
        })
    }
}

/// A device that fetched a shopper's subscription.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Device {
    pub info: DeviceInfo,
    pub first_seen: jiff::Timestamp,
    pub last_seen: jiff::Timestamp,
}

/// What a fetch of a subscription URL gets.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Fetch {
    /// No shopper holds the token.
    Unknown,
    Served(SubFeed),
    /// A new device, and the shopper's devices are all in use (the shopper is told).
    TooManyDevices {
        limit: u32,
    },
}

/// The most devices a shopper's live subscriptions allow: the largest limit among them, 0
/// (any number) if any allows any number.
pub fn device_limit(subscriptions: &[Subscription]) -> u32 {
    subscriptions
        .iter()
        .filter(|s| s.status != crate::subscription::SubscriptionStatus::Deleted)
        .try_fold(0, |most, s| {
            (s.device_limit != 0).then(|| most.max(s.device_limit))
        })
        .unwrap_or(0)
}

/// What a subscription URL serves: the shopper's subscriptions, newest first.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SubFeed {
    pub shopper: UserId,
    /// Shared with the shop's kept copy (a fetch of an unchanged subscription copies nothing).
    pub subscriptions: std::sync::Arc<[Subscription]>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_device_id_is_printable_and_bounded_and_its_description_is_cleaned() {
        assert!(DeviceInfo::new("", "a", "b", "c").is_none());
        assert!(DeviceInfo::new("has space", "", "", "").is_none());
        assert!(DeviceInfo::new(&"x".repeat(MAX_HWID + 1), "", "", "").is_none());
        let d = DeviceInfo::new(" abc-123 ", "Android\u{7}", "15", &"M".repeat(300)).unwrap();
        assert_eq!((d.hwid.as_str(), d.os.as_str()), ("abc-123", "Android"));
        assert_eq!(d.model.len(), 64);
    }

    #[test]
    fn the_device_limit_is_the_largest_of_the_live_subscriptions() {
        use crate::subscription::SubscriptionStatus::*;
        let now = jiff::Timestamp::UNIX_EPOCH;
        let sub = |limit: u32, status| {
            let mut s = crate::testing::seeded_subscription(1, "fra-1", now, now);
            s.device_limit = limit;
            s.status = status;
            s
        };
        for (subs, limit) in [
            (vec![], 0),
            (vec![sub(2, Active), sub(3, Expired)], 3),
            (vec![sub(2, Active), sub(0, Active)], 0),
            (vec![sub(2, Active), sub(9, Deleted)], 2),
        ] {
            assert_eq!(device_limit(&subs), limit);
        }
    }

    #[test]
    fn only_a_token_shaped_string_parses() {
        let token = SubToken::generate();
        assert_eq!(SubToken::parse(token.expose()), Some(token.clone()));
        assert_ne!(SubToken::generate(), token);
        for bad in [
            "",
            "short",
            &"a".repeat(TOKEN_LEN + 1),
            &format!("{}/", &"a".repeat(TOKEN_LEN - 1)),
            &"é".repeat(TOKEN_LEN / 2),
        ] {
            assert_eq!(SubToken::parse(bad), None, "{bad:?}");
        }
        assert_eq!(
            format!("{token:?} {token}"),
            "SubToken(<redacted>) <redacted token>"
        );
    }
}
