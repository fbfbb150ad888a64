//! The default pricing: coupons, a first-order discount, a loyalty discount, plans by role.
//! See the `pricing-default` policy for the config keys.

use crate::{end_of_day_ms, get, list, percent_of};

/// What pricing looks at.
pub struct Order<'a> {
    pub config: &'a [(String, String)],
    pub plan_id: &'a str,
    /// The plan's price in minor units.
    pub base: i64,
    pub paid_orders: u32,
    pub role_ids: &'a [u64],
    pub coupon: Option<&'a str>,
    pub new_order: bool,
    pub now_ms: i64,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Priced {
    /// (label, amount in minor units; a discount is negative).
    Adjust(Vec<(String, i64)>),
    Reject(String),
}

enum Off {
    Percent(u32),
    Fixed(i64),
}

struct Coupon {
    off: Off,
    until_ms: Option<i64>,
    until: String,
    first_order_only: bool,
}

fn parse_coupon(spec: &str) -> Option<Coupon> {
    let mut coupon = Coupon {
        off: Off::Percent(0),
        until_ms: None,
        until: String::new(),
        first_order_only: false,
    };
    let mut has_off = false;
    for part in spec.split(';').map(str::trim).filter(|p| !p.is_empty()) {
        match part.split_once('=') {
            Some(("percent", v)) => {
                coupon.off = Off::Percent(v.trim().parse().ok().filter(|p| *p <= 100)?);
                has_off = true;
            }
            Some(("fixed", v)) => {
                coupon.off = Off::Fixed(v.trim().parse().ok().filter(|f: &i64| *f >= 0)?);
                has_off = true;
            }
            Some(("until", v)) => {
                coupon.until_ms = Some(end_of_day_ms(v)?);
                coupon.until = v.trim().to_owned();
            }
            None if part == "first-order-only" => coupon.first_order_only = true,
            _ => return None,
        }
    }
    has_off.then_some(coupon)
}

pub fn price(order: &Order<'_>) -> Priced {
    let config = order.config;
    let base = order.base;

    if let Some(roles) = get(config, &format!("plan.{}.roles", order.plan_id)) {
        let allowed =
            list(roles).any(|r| r.parse::<u64>().is_ok_and(|r| order.role_ids.contains(&r)));
        if !allowed {
            return Priced::Reject("This plan is not offered to you.".into());
        }
    }

    let first_order = order.new_order && order.paid_orders == 0;
    let mut adjustments = Vec::new();

    if let Some(code) = order.coupon.map(str::trim).filter(|c| !c.is_empty()) {
        let upper = code.to_ascii_uppercase();
        let spec = config
            .iter()
            .rev()
            .find(|(k, _)| {
                k.strip_prefix("coupon.")
                    .is_some_and(|c| c.to_ascii_uppercase() == upper)
            })
            .map(|(_, v)| v.as_str());
        let Some(spec) = spec else {
            return Priced::Reject(format!("Unknown coupon {code}."));
        };
        let Some(coupon) = parse_coupon(spec) else {
            return Priced::Reject(format!("Coupon {code} cannot be used right now."));
        };
        if coupon.until_ms.is_some_and(|until| order.now_ms >= until) {
            return Priced::Reject(format!("Coupon {code} expired on {}.", coupon.until));
        }
        if coupon.first_order_only && !first_order {
            return Priced::Reject(format!("Coupon {code} is for first orders only."));
        }
        adjustments.push(match coupon.off {
            Off::Percent(p) => (format!("Coupon {upper} (-{p}%)"), -percent_of(base, p)),
            Off::Fixed(f) => (format!("Coupon {upper}"), -f.min(base)),
        });
    }

    if first_order {
        if let Some(p) = get(config, "first-order.percent")
            .and_then(|v| v.parse::<u32>().ok())
            .filter(|p| *p > 0)
        {
            adjustments.push((format!("First order (-{p}%)"), -percent_of(base, p)));
        }
    }

    let after = get(config, "loyalty.after").and_then(|v| v.parse::<u32>().ok());
    let loyalty = get(config, "loyalty.percent")
        .and_then(|v| v.parse::<u32>().ok())
        .filter(|p| *p > 0);
    if let (Some(after), Some(p)) = (after, loyalty) {
        if order.paid_orders >= after {
            adjustments.push((format!("Loyalty (-{p}%)"), -percent_of(base, p)));
        }
    }
    Priced::Adjust(adjustments)
}
