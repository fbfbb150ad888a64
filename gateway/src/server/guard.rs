//! Who may call, and whether a request is what its signer sent. The cheap checks come first:
//! the address allowlist, then the per-key rate limit (before any HMAC work, so a flood costs no
//! hashing), then the clock, the body cap, the signature (constant time) and the nonce (recorded
//! only for valid signatures, so garbage cannot fill the replay cache).

use std::collections::{HashMap, VecDeque};
use std::net::IpAddr;
use std::sync::Mutex;
use std::time::Instant;

use crate::api::ErrorCode;
use crate::server::config::AuthSettings;
use crate::server::error::ApiError;
use crate::signing::{self, MAX_SKEW_SECS};

/// A token bucket: `capacity` requests, refilled evenly over a minute.
struct Bucket {
    tokens: f64,
    at: Instant,
}

/// Nonces seen within the window, per key; expired ones fall out in order.
#[derive(Default)]
struct Nonces {
    seen: HashMap<(String, String), i64>,
    order: VecDeque<(i64, String, String)>,
}

/// The most nonces remembered at once (100 per minute per key over a 10-minute window is far
/// below this); when full, requests are refused rather than replays risked.
const MAX_NONCES: usize = 200_000;

pub struct Guard {
    settings: AuthSettings,
    buckets: Mutex<HashMap<String, Bucket>>,
    nonces: Mutex<Nonces>,
}

/// The signing headers of a request, parsed.
pub struct Signed<'a> {
    pub key_id: &'a str,
    pub timestamp: i64,
    pub nonce: &'a str,
    pub signature: &'a str,
}

use nebula_common::lock;

impl Guard {
    pub fn new(settings: AuthSettings) -> Guard {
        Guard {
            settings,
            buckets: Mutex::default(),
            nonces: Mutex::default(),
        }
    }

    pub fn max_body_bytes(&self) -> usize {
        self.settings.max_body_bytes
    }

    /// The caller's address: the peer, or, when the peer is a trusted proxy, the nearest
    /// untrusted address in `X-Forwarded-For`. It must be in the allowlist.
    pub fn check_address(
        &self,
        peer: IpAddr,
        forwarded_for: Option<&str>,
    ) -> Result<IpAddr, ApiError> {
        let trusted = |ip: &IpAddr| self.settings.trusted_proxies.iter().any(|n| n.contains(ip));
        let mut caller = peer;
        if trusted(&peer)
            && let Some(chain) = forwarded_for
        {
            for hop in chain.rsplit(',').map(str::trim) {
                let Ok(ip) = hop.parse::<IpAddr>() else {
                    return Err(ApiError::new(ErrorCode::AddressNotAllowed));
                };
                caller = ip;
                if !trusted(&ip) {
                    break;
                }
            }
        }
        let caller = match caller {
            IpAddr::V6(v6) => v6.to_ipv4_mapped().map_or(caller, IpAddr::V4),
            v4 => v4,
        };
        if self.settings.allow.iter().any(|n| n.contains(&caller)) {
            Ok(caller)
        } else {
            Err(ApiError::new(ErrorCode::AddressNotAllowed))
        }
    }

    /// Parses the signing headers (without checking anything but their form).
    pub fn parse<'a>(
        key_id: Option<&'a str>,
        timestamp: Option<&'a str>,
        nonce: Option<&'a str>,
        signature: Option<&'a str>,
    ) -> Result<Signed<'a>, ApiError> {
        let missing = || ApiError::new(ErrorCode::MissingAuth);
        let key_id = key_id
            .filter(|k| !k.is_empty() && k.len() <= 64)
            .ok_or_else(missing)?;
        let timestamp = timestamp
            .and_then(signing::parse_timestamp)
            .ok_or_else(missing)?;
        let nonce = nonce
            .filter(|n| signing::valid_nonce(n))
            .ok_or_else(missing)?;
        let signature = signature
            .filter(|s| signing::valid_signature(s))
            .ok_or_else(missing)?;
        Ok(Signed {
            key_id,
            timestamp,
            nonce,
            signature,
        })
    }

    /// The key exists and is under its rate limit. No HMAC work has been done yet.
    pub fn check_key_and_rate(&self, key_id: &str) -> Result<(), ApiError> {
        if !self.settings.keys.contains_key(key_id) {
            return Err(ApiError::new(ErrorCode::UnknownKey));
        }
        let capacity = f64::from(self.settings.rate_limit_per_minute);
        let per_sec = capacity / 60.0;
        let mut buckets = lock(&self.buckets);
        let now = Instant::now();
        let b = buckets.entry(key_id.to_owned()).or_insert(Bucket {
            tokens: capacity,
            at: now,
        });
        b.tokens = (b.tokens + now.duration_since(b.at).as_secs_f64() * per_sec).min(capacity);
        b.at = now;
        if b.tokens >= 1.0 {
            b.tokens -= 1.0;
            Ok(())
        } else {
            let wait = ((1.0 - b.tokens) / per_sec).ceil().max(1.0) as u64;
            Err(ApiError::rate_limited(wait))
        }
    }

    pub fn check_clock(&self, timestamp: i64, now: i64) -> Result<(), ApiError> {
        if (now - timestamp).abs() > MAX_SKEW_SECS {
            return Err(ApiError::new(ErrorCode::ClockSkew));
        }
        Ok(())
    }

    /// The signature matches (constant-time), then the nonce is new within the window.
    pub fn check_signature(
        &self,
        signed: &Signed<'_>,
        canonical: &str,
        now: i64,
    ) -> Result<(), ApiError> {
        let secret = self
            .settings
            .keys
            .get(signed.key_id)
            .ok_or_else(|| ApiError::new(ErrorCode::UnknownKey))?;
        if !signing::verify(secret, canonical, signed.signature) {
            return Err(ApiError::new(ErrorCode::BadSignature));
        }
        let mut nonces = lock(&self.nonces);
        // A nonce can only be replayed while its timestamp passes the clock check.
        while nonces
            .order
            .front()
            .is_some_and(|(expires, _, _)| *expires < now)
        {
            let (_, key, nonce) = nonces.order.pop_front().expect("checked");
            nonces.seen.remove(&(key, nonce));
        }
        let entry = (signed.key_id.to_owned(), signed.nonce.to_owned());
        if nonces.seen.contains_key(&entry) {
            return Err(ApiError::new(ErrorCode::ReplayedNonce));
        }
        if nonces.seen.len() >= MAX_NONCES {
            return Err(ApiError::rate_limited(MAX_SKEW_SECS as u64));
        }
        let expires = signed.timestamp + MAX_SKEW_SECS;
        nonces.seen.insert(entry.clone(), expires);
        // Keep the queue ordered by expiry (timestamps arrive nearly in order).
        let at = nonces.order.partition_point(|(e, _, _)| *e <= expires);
        nonces.order.insert(at, (expires, entry.0, entry.1));
        Ok(())
    }
}
