//! The small helpers every NebulaLinks crate shares, one of each, so that no crate keeps a copy
//! that drifts: exponential backoff with jitter, random tokens, poison-tolerant locks, and hex
//! SHA-256.

#[cfg(feature = "fuzzing")]
pub mod fuzz_inputs;
#[cfg(feature = "metrics")]
pub mod metrics;
#[cfg(feature = "signals")]
pub mod signals;

use std::sync::{Mutex, MutexGuard};
use std::time::Duration;

use rand::Rng;
use sha2::{Digest, Sha256};

/// The delay before attempt `failures + 1`, after `failures` failures (1 or more):
/// `base · 2^(failures-1)`, capped at `max`, then scaled by a random factor in [0.8, 1.2] so
/// that many callers failing together do not all come back at once.
pub fn backoff(base: Duration, max: Duration, failures: u32, rng: &mut impl Rng) -> Duration {
    let exp = failures.saturating_sub(1).min(30);
    let raw = base.saturating_mul(1u32 << exp).min(max);
    raw.mul_f64(rng.random_range(0.8..=1.2))
}

/// Letters and digits: what nonces, session ids and subscription ids are made of.
pub const ALPHANUMERIC: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
/// Lowercase letters and digits (3x-ui's subscription ids).
pub const LOWER_ALPHANUMERIC: &[u8] = b"abcdefghijklmnopqrstuvwxyz0123456789";
/// The base64url alphabet (3x-ui's session and CSRF tokens).
pub const BASE64URL: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

/// `len` characters drawn uniformly from `alphabet` by the thread's cryptographic RNG.
pub fn random_token(alphabet: &[u8], len: usize) -> String {
    let mut rng = rand::rng();
    (0..len)
        .map(|_| alphabet[rng.random_range(0..alphabet.len())] as char)
        .collect()
}

/// Locks a mutex, taking the data even if a holder panicked: the state the shop keeps behind
/// these locks is always whole (each change is one assignment or push), so a panic elsewhere
/// must not stop every later caller.
pub fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

/// The lowercase hex SHA-256 of `bytes`.
pub fn hex_sha256(bytes: impl AsRef<[u8]>) -> String {
    format!("{:x}", Sha256::digest(bytes))
}

/// Lowercase hex HMAC-SHA256 of `message` under `key`: the gateway's request signatures and
/// the payment providers' webhook signatures.
pub fn hex_hmac_sha256(key: &[u8], message: &[u8]) -> String {
    use hmac::Mac;
    let mut mac = hmac::Hmac::<Sha256>::new_from_slice(key).expect("HMAC takes keys of any length");
    mac.update(message);
    format!("{:x}", mac.finalize().into_bytes())
}

/// Whether `signature_hex` (64 hex digits, either case) is the HMAC-SHA256 of `message` under
/// `key`, compared in constant time.
pub fn verify_hmac_sha256(key: &[u8], message: &[u8], signature_hex: &str) -> bool {
    use hmac::Mac;
    let bytes = signature_hex.as_bytes();
    if bytes.len() != 64 || !bytes.iter().all(u8::is_ascii_hexdigit) {
        return false;
    }
    let Some(expected) = (0..64)
        .step_by(2)
        .map(|i| u8::from_str_radix(&signature_hex[i..i + 2], 16).ok())
        .collect::<Option<Vec<u8>>>()
    else {
        return false;
    };
    let mut mac = hmac::Hmac::<Sha256>::new_from_slice(key).expect("HMAC takes keys of any length");
    mac.update(message);
    mac.verify_slice(&expected).is_ok()
}

/// Whether two secrets are equal, in time that does not depend on where they differ.
pub fn same_secret(a: &[u8], b: &[u8]) -> bool {
    use subtle::ConstantTimeEq;
    a.ct_eq(b).into()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_grows_exponentially_within_jitter_and_stays_capped() {
        let (base, max) = (Duration::from_secs(2), Duration::from_secs(600));
        let mut rng = rand::rng();
        for failures in 1..=20u32 {
            let d = backoff(base, max, failures, &mut rng);
            let nominal = base.saturating_mul(1 << (failures - 1).min(30)).min(max);
            assert!(
                d >= nominal.mul_f64(0.8) && d <= nominal.mul_f64(1.2),
                "after {failures} failures: {d:?}"
            );
        }
    }

    #[test]
    fn tokens_use_their_alphabet_and_hashes_are_lowercase_hex() {
        let t = random_token(LOWER_ALPHANUMERIC, 16);
        assert_eq!(t.len(), 16);
        assert!(t.bytes().all(|b| LOWER_ALPHANUMERIC.contains(&b)));
        assert_ne!(t, random_token(LOWER_ALPHANUMERIC, 16));
        assert_eq!(
            hex_sha256(b"abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }
}
