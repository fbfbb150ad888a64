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

/// What a subscription URL serves: the shopper's subscriptions, newest first.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SubFeed {
    pub shopper: UserId,
    pub subscriptions: Vec<Subscription>,
}

#[cfg(test)]
mod tests {
    use super::*;

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
