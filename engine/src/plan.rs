//! Plans: what a shopper buys (a duration, a traffic allowance, a device limit, a price).

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::error::Invalid;
use crate::ids::PlanId;
use crate::money::Money;
use crate::trial::{MAX_TRIAL_DAYS, Trial};

/// How much traffic a subscription may use per period.
#[derive(Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", content = "bytes", rename_all = "snake_case")]
pub enum TrafficLimit {
    Unlimited,
    Bytes(u64),
}

impl TrafficLimit {
    pub fn bytes(self) -> Option<u64> {
        match self {
            TrafficLimit::Unlimited => None,
            TrafficLimit::Bytes(b) => Some(b),
        }
    }
}

impl fmt::Display for TrafficLimit {
    /// `50 GB`, `1.5 GB`, `unlimited`: decimal units, as panels show them.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        const GB: u64 = 1_000_000_000;
        const MB: u64 = 1_000_000;
        match *self {
            TrafficLimit::Unlimited => f.write_str("unlimited"),
            TrafficLimit::Bytes(b) if b >= GB && b % GB == 0 => write!(f, "{} GB", b / GB),
            TrafficLimit::Bytes(b) if b >= GB => {
                write!(f, "{}.{} GB", b / GB, (b % GB) / (GB / 10))
            }
            TrafficLimit::Bytes(b) => write!(f, "{} MB", b / MB),
        }
    }
}

impl fmt::Debug for TrafficLimit {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self, f)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Plan {
    pub id: PlanId,
    pub name: String,
    pub duration_days: u32,
    pub traffic: TrafficLimit,
    /// Simultaneous devices (3x-ui's IP limit); `0` means no limit.
    pub device_limit: u32,
    pub price: Money,
    pub active: bool,
    /// Lower sorts first on the shop panel.
    pub sort_key: i32,
    /// On how many servers a purchase gives access (one client on each, one shared quota).
    #[serde(default = "one_server")]
    pub servers: u32,
    /// Only servers in these regions, one per region before any region gets a second
    /// (empty: any region).
    #[serde(default)]
    pub regions: Vec<String>,
    /// A free trial: once per Discord account, no payment step (`trial.rs`).
    #[serde(default)]
    pub trial: Option<Trial>,
}

fn one_server() -> u32 {
    1
}

/// The most servers one plan may span.
pub const MAX_PLAN_SERVERS: u32 = 10;

impl Plan {
    /// Checks what an operator typed before it reaches the catalogue.
    pub fn validate(&self) -> Result<(), Invalid> {
        if self.name.trim().is_empty() || self.name.chars().count() > 80 {
            return Err(Invalid::new("name", "must be 1 to 80 characters"));
        }
        if !(1..=3660).contains(&self.duration_days) {
            return Err(Invalid::new("duration_days", "must be between 1 and 3660"));
        }
        if self.traffic == TrafficLimit::Bytes(0) {
            return Err(Invalid::new(
                "traffic",
                "must be more than zero bytes, or unlimited",
            ));
        }
        if self.price.is_negative() {
            return Err(Invalid::new("price", "must not be negative"));
        }
        if !(1..=MAX_PLAN_SERVERS).contains(&self.servers) {
            return Err(Invalid::new(
                "servers",
                format!("must be between 1 and {MAX_PLAN_SERVERS}"),
            ));
        }
        if self.regions.len() > MAX_PLAN_SERVERS as usize
            || self
                .regions
                .iter()
                .any(|r| r.trim().is_empty() || r.len() > 32)
        {
            return Err(Invalid::new(
                "regions",
                format!("must be at most {MAX_PLAN_SERVERS} regions of 1 to 32 characters"),
            ));
        }
        if self.trial.is_some() && !self.price.is_zero() {
            return Err(Invalid::new("price", "must be 0 for a trial"));
        }
        if self.trial.is_some() && self.duration_days > MAX_TRIAL_DAYS {
            return Err(Invalid::new(
                "duration_days",
                format!("must be at most {MAX_TRIAL_DAYS} for a trial"),
            ));
        }
        if self.device_limit > 1000 {
            return Err(Invalid::new(
                "device_limit",
                "must be at most 1000 (0 = no limit)",
            ));
        }
        Ok(())
    }
}

/// A change to a plan; `None` leaves a field as it is.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlanEdit {
    pub name: Option<String>,
    pub duration_days: Option<u32>,
    pub traffic: Option<TrafficLimit>,
    pub device_limit: Option<u32>,
    pub price: Option<Money>,
    pub active: Option<bool>,
    pub sort_key: Option<i32>,
    pub servers: Option<u32>,
    pub regions: Option<Vec<String>>,
    /// `Some(None)` makes a trial an ordinary plan again.
    #[serde(default)]
    pub trial: Option<Option<Trial>>,
}

impl PlanEdit {
    pub fn apply(self, mut plan: Plan) -> Plan {
        if let Some(v) = self.name {
            plan.name = v;
        }
        if let Some(v) = self.duration_days {
            plan.duration_days = v;
        }
        if let Some(v) = self.traffic {
            plan.traffic = v;
        }
        if let Some(v) = self.device_limit {
            plan.device_limit = v;
        }
        if let Some(v) = self.price {
            plan.price = v;
        }
        if let Some(v) = self.active {
            plan.active = v;
        }
        if let Some(v) = self.sort_key {
            plan.sort_key = v;
        }
        if let Some(v) = self.servers {
            plan.servers = v;
        }
        if let Some(v) = self.regions {
            plan.regions = v;
        }
        if let Some(v) = self.trial {
            plan.trial = v;
        }
        plan
    }
}
