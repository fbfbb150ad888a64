//! Request signing, as `gateway/README.md` documents it for clients in any language.
//!
//! ```text
//! canonical = "v1" \n timestamp \n nonce \n METHOD \n path-with-query \n hex(sha256(body))
//! signature = hex(hmac_sha256(secret, canonical))
//! ```
//!
//! sent as `X-Nebula-Key`, `X-Nebula-Timestamp` (unix seconds), `X-Nebula-Nonce` and
//! `X-Nebula-Signature`. The gateway compares signatures in constant time.

use crate::api::VERSION;

pub const HEADER_KEY: &str = "x-nebula-key";
pub const HEADER_TIMESTAMP: &str = "x-nebula-timestamp";
pub const HEADER_NONCE: &str = "x-nebula-nonce";
pub const HEADER_SIGNATURE: &str = "x-nebula-signature";

/// How far a request's timestamp may be from the gateway's clock.
pub const MAX_SKEW_SECS: i64 = 300;
/// The shortest key secret either side accepts (a gateway refuses to start with a shorter one).
pub const MIN_SECRET_BYTES: usize = 32;

/// The string that is signed.
pub fn canonical(
    timestamp: i64,
    nonce: &str,
    method: &str,
    path_and_query: &str,
    body: &[u8],
) -> String {
    format!(
        "{VERSION}\n{timestamp}\n{nonce}\n{}\n{path_and_query}\n{}",
        method.to_ascii_uppercase(),
        nebula_common::hex_sha256(body)
    )
}

/// Hex HMAC-SHA256 of `canonical` under `secret`.
pub fn sign(secret: &[u8], canonical: &str) -> String {
    nebula_common::hex_hmac_sha256(secret, canonical.as_bytes())
}

/// Whether `signature_hex` is the signature of `canonical` under `secret`, compared in
/// constant time.
pub fn verify(secret: &[u8], canonical: &str, signature_hex: &str) -> bool {
    valid_signature(signature_hex)
        && nebula_common::verify_hmac_sha256(secret, canonical.as_bytes(), signature_hex)
}

/// A nonce as the gateway accepts it: 16 to 64 of `A-Z a-z 0-9 _ -`.
pub fn valid_nonce(nonce: &str) -> bool {
    (16..=64).contains(&nonce.len())
        && nonce
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
}

/// A signature as the README documents it: 64 lowercase hex digits.
pub fn valid_signature(signature: &str) -> bool {
    signature.len() == 64
        && signature
            .bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
}

/// A timestamp as sent: unix seconds in ASCII digits (no sign, no leading zero, no spaces), so
/// that the number signed is written exactly as it was sent.
pub fn parse_timestamp(timestamp: &str) -> Option<i64> {
    let digits = timestamp.bytes().all(|b| b.is_ascii_digit());
    if !digits || !(1..=18).contains(&timestamp.len()) || timestamp.starts_with('0') {
        return None;
    }
    timestamp.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The worked example in `gateway/README.md`; if this changes, so must the README.
    #[test]
    fn the_documented_example() {
        let body = br#"{"email":"nl-01jd0example","inbound_id":1,"expires_at":"2026-12-24T10:00:00Z","traffic_limit_bytes":50000000000,"ip_limit":2}"#;
        let c = canonical(
            1_795_000_000,
            "3f1c2a9b8d7e6f50",
            "post",
            "/v1/clients",
            body,
        );
        assert_eq!(
            c,
            "v1\n1795000000\n3f1c2a9b8d7e6f50\nPOST\n/v1/clients\n\
             146b0a3a0d7441870338e7061dbf4094fae63cb3de782ef16626dcf71dd0efa1"
        );
        let sig = sign(b"example-secret-change-me", &c);
        assert_eq!(
            sig,
            "59811745e7f18f263036cf5d6246a8be970fb2dbf287726ad121b0c18e674078"
        );
        assert!(verify(b"example-secret-change-me", &c, &sig));
        assert!(!verify(b"another-secret", &c, &sig));
        assert!(!verify(
            b"example-secret-change-me",
            &c,
            &sig.replace('5', "6")
        ));
        assert!(!verify(b"example-secret-change-me", &c, "not hex"));
        // Exactly what the README documents: lowercase hex only.
        assert!(!verify(
            b"example-secret-change-me",
            &c,
            &sig.to_ascii_uppercase()
        ));
    }
}
