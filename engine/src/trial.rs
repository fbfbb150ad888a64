//! Trials: a free plan a shopper may take once per Discord account, optionally only with a
//! role, and not with an account younger than the operator's minimum (a Discord id carries
//! its creation time, so a fresh account made for a second trial is refused without asking
//! Discord). A trial has no payment step: its order is opened and provisioned in one write
//! transaction (`shop/orders.rs`), and the shopper's use of it is recorded in the same one
//! (`trials_v1`), so two clicks at once cannot both take it.

use jiff::{SignedDuration, Timestamp};
use serde::{Deserialize, Serialize};

use crate::ids::UserId;
use crate::money::Money;

/// What makes a plan a trial.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Trial {
    /// Only members with this Discord role may take it (`None`: everyone).
    #[serde(default)]
    pub role: Option<u64>,
}

/// The longest a trial may last: it is a taste, not a free plan.
pub const MAX_TRIAL_DAYS: u32 = 14;

/// Why a shopper cannot have this trial; shown to them as it reads.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TrialRefusal {
    #[error("you have already had your free trial (order {order_code})")]
    AlreadyUsed { order_code: String },
    #[error("this trial is only for members with the <@&{role}> role")]
    RoleRequired { role: u64 },
    #[error(
        "your Discord account is {age_days} days old; a trial needs an account at least {min_days} days old"
    )]
    AccountTooYoung { age_days: i64, min_days: i64 },
    #[error(
        "the pricing policy priced this trial at {total}, and a trial is free: an admin has to fix the policy"
    )]
    NotFree { total: Money },
    #[error("a trial cannot be renewed; choose a plan to keep your access")]
    NotRenewable,
}

/// Whether `shopper` (with `roles`) may take `trial` at `now`, before anything is read or
/// written; whether they had one already is checked in the write transaction. Pure.
pub fn check_trial(
    trial: &Trial,
    shopper: UserId,
    roles: &[u64],
    now: Timestamp,
    min_account_age: SignedDuration,
) -> Result<(), TrialRefusal> {
    if let Some(role) = trial.role
        && !roles.contains(&role)
    {
        return Err(TrialRefusal::RoleRequired { role });
    }
    let age = now.duration_since(shopper.created_at());
    if age < min_account_age {
        return Err(TrialRefusal::AccountTooYoung {
            age_days: age.as_hours().max(0) / 24,
            min_days: min_account_age.as_hours() / 24,
        });
    }
    Ok(())
}

/// A shopper's trial, once taken (`trials_v1`, keyed by the shopper).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TrialUse {
    pub order: crate::ids::OrderId,
    pub at: Timestamp,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(s: &str) -> Timestamp {
        s.parse().unwrap()
    }

    #[test]
    fn a_snowflake_carries_its_accounts_creation_time() {
        // Discord's documented example: 175928847299117063 was made 2016-04-30T11:18:25.796Z.
        assert_eq!(
            UserId(175_928_847_299_117_063).created_at(),
            at("2016-04-30T11:18:25.796Z")
        );
        let now = at("2026-12-03T10:00:00Z");
        assert_eq!(UserId::created(now).created_at(), now);
    }

    #[test]
    fn who_may_take_a_trial() {
        let now = at("2026-12-03T10:00:00Z");
        let week = SignedDuration::from_hours(7 * 24);
        let days_old = |d: i64| UserId::created(now - SignedDuration::from_hours(24 * d));
        let everyone = Trial { role: None };
        let members = Trial { role: Some(42) };
        let table = [
            (&everyone, days_old(30), &[][..], Ok(())),
            (&everyone, days_old(7), &[], Ok(())),
            (
                &everyone,
                days_old(2),
                &[],
                Err(TrialRefusal::AccountTooYoung {
                    age_days: 2,
                    min_days: 7,
                }),
            ),
            (&members, days_old(30), &[7, 42], Ok(())),
            (
                &members,
                days_old(30),
                &[7],
                Err(TrialRefusal::RoleRequired { role: 42 }),
            ),
        ];
        for (trial, shopper, roles, expected) in table {
            assert_eq!(
                check_trial(trial, shopper, roles, now, week),
                expected,
                "{shopper:?}"
            );
        }
    }
}
