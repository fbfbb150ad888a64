//! When a failed effect is tried again: exponential backoff with jitter, capped.

use std::time::Duration;

use rand::Rng;

use super::OutboxSettings;

/// The delay before attempt `attempts + 1`, after `attempts` failures (1 or more):
/// `base · 2^(attempts-1)`, capped at `max`, then scaled by a random factor in [0.8, 1.2] so
/// that many rows failing together do not all come back at once.
pub fn delay(settings: &OutboxSettings, attempts: u32, rng: &mut impl Rng) -> Duration {
    let exp = attempts.saturating_sub(1).min(30);
    let raw = settings
        .base_delay
        .saturating_mul(1u32 << exp)
        .min(settings.max_delay);
    raw.mul_f64(rng.random_range(0.8..=1.2))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn grows_exponentially_within_jitter_and_stays_capped() {
        let s = OutboxSettings::default();
        let mut rng = rand::rng();
        for attempts in 1..=20u32 {
            let d = delay(&s, attempts, &mut rng);
            let nominal = s
                .base_delay
                .saturating_mul(1 << (attempts - 1).min(30))
                .min(s.max_delay);
            assert!(
                d >= nominal.mul_f64(0.8) && d <= nominal.mul_f64(1.2),
                "attempt {attempts}: {d:?}"
            );
        }
    }
}
