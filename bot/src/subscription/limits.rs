//! Fetches per minute, per token and per address: an app refreshes a few times a day, so a
//! burst means a leaked URL or a scanner. Fixed one-minute windows, forgotten when they pass.

use std::collections::HashMap;
use std::sync::Mutex;

/// Counts within the current minute, by key.
#[derive(Debug, Default)]
pub struct Limits {
    windows: Mutex<(i64, HashMap<String, u32>)>,
}

impl Limits {
    /// Counts one fetch for `key` in the minute `minute`; false once `per_minute` is passed.
    pub fn allow(&self, key: &str, per_minute: u32, minute: i64) -> bool {
        let mut guard = nebula_common::lock(&self.windows);
        let (current, counts) = &mut *guard;
        if *current != minute {
            *current = minute;
            counts.clear();
        }
        let n = counts.entry(key.to_owned()).or_insert(0);
        *n = n.saturating_add(1);
        *n <= per_minute
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_key_gets_its_allowance_each_minute_and_keys_do_not_share() {
        let l = Limits::default();
        assert!((0..3).all(|_| l.allow("a", 3, 7)));
        assert!(!l.allow("a", 3, 7));
        assert!(l.allow("b", 3, 7));
        assert!(l.allow("a", 3, 8));
    }
}
