//! What a button, select or modal acts on, carried in its `custom_id` so it keeps working after
//! a restart. At most 100 characters, as Discord allows.

use nebula_engine::ids::{BroadcastId, MethodId, OrderId, SubscriptionId};

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Action {
    Buy,
    Subscriptions,
    Help,
    /// Opens the coupon modal.
    Coupon,
    /// The coupon modal was submitted.
    CouponSubmitted,
    /// The plan select, priced with a coupon if one was given.
    PickPlan {
        coupon: Option<String>,
    },
    Method {
        order: OrderId,
        method: MethodId,
    },
    Cancel {
        order: OrderId,
    },
    Approve {
        order: OrderId,
    },
    /// Opens the decline modal.
    Decline {
        order: OrderId,
    },
    DeclineSubmitted {
        order: OrderId,
    },
    Retry {
        order: OrderId,
    },
    Renew {
        subscription: SubscriptionId,
    },
    /// Asks to confirm a new subscription URL.
    ResetLink,
    /// Confirmed: the old URL stops working.
    ResetLinkConfirmed,
    /// My devices.
    Devices,
    /// Forget one device (by its short key).
    RemoveDevice {
        device: String,
    },
    /// Opens the modal for a TRON transaction id.
    Transfer {
        order: OrderId,
    },
    TransferSubmitted {
        order: OrderId,
    },
    /// An admin sends a previewed broadcast.
    BroadcastSend {
        broadcast: BroadcastId,
    },
    /// A shopper wants no more broadcasts (the button in every one).
    BroadcastOptOut,
    /// Opens the language picker.
    Language,
    /// The language select (its value is the locale's tag).
    LanguagePicked,
}

impl Action {
    pub fn id(&self) -> String {
        match self {
            Action::Buy => "shop:buy".into(),
            Action::Subscriptions => "shop:subs".into(),
            Action::Help => "shop:help".into(),
            Action::Coupon => "shop:coupon".into(),
            Action::CouponSubmitted => "coupon-modal".into(),
            Action::PickPlan { coupon: None } => "plan".into(),
            Action::PickPlan { coupon: Some(c) } => format!("plan:{c}"),
            Action::Method { order, method } => format!("method:{order}:{method}"),
            Action::Cancel { order } => format!("cancel:{order}"),
            Action::Approve { order } => format!("approve:{order}"),
            Action::Decline { order } => format!("decline:{order}"),
            Action::DeclineSubmitted { order } => format!("decline-modal:{order}"),
            Action::Retry { order } => format!("retry:{order}"),
            Action::Renew { subscription } => format!("renew:{subscription}"),
            Action::ResetLink => "shop:reset-link".into(),
            Action::ResetLinkConfirmed => "shop:reset-link-yes".into(),
            Action::Devices => "shop:devices".into(),
            Action::RemoveDevice { device } => format!("device-rm:{device}"),
            Action::Transfer { order } => format!("transfer:{order}"),
            Action::TransferSubmitted { order } => format!("transfer-modal:{order}"),
            Action::BroadcastSend { broadcast } => format!("broadcast-send:{broadcast}"),
            Action::BroadcastOptOut => "broadcast-optout".into(),
            Action::Language => "shop:language".into(),
            Action::LanguagePicked => "language".into(),
        }
    }

    pub fn parse(id: &str) -> Option<Action> {
        let (head, rest) = id.split_once(':').unwrap_or((id, ""));
        let order = || rest.parse::<OrderId>().ok();
        Some(match head {
            "shop" => match rest {
                "buy" => Action::Buy,
                "subs" => Action::Subscriptions,
                "help" => Action::Help,
                "coupon" => Action::Coupon,
                "reset-link" => Action::ResetLink,
                "reset-link-yes" => Action::ResetLinkConfirmed,
                "devices" => Action::Devices,
                "language" => Action::Language,
                _ => return None,
            },
            "coupon-modal" => Action::CouponSubmitted,
            "plan" if rest.is_empty() => Action::PickPlan { coupon: None },
            "plan" => Action::PickPlan {
                coupon: Some(rest.to_owned()),
            },
            "method" => {
                let (order, method) = rest.split_once(':')?;
                Action::Method {
                    order: order.parse().ok()?,
                    method: method.parse().ok()?,
                }
            }
            "cancel" => Action::Cancel { order: order()? },
            "approve" => Action::Approve { order: order()? },
            "decline" => Action::Decline { order: order()? },
            "decline-modal" => Action::DeclineSubmitted { order: order()? },
            "retry" => Action::Retry { order: order()? },
            "transfer" => Action::Transfer { order: order()? },
            "transfer-modal" => Action::TransferSubmitted { order: order()? },
            "device-rm" if rest.len() == 16 && rest.bytes().all(|b| b.is_ascii_hexdigit()) => {
                Action::RemoveDevice {
                    device: rest.to_owned(),
                }
            }
            "renew" => Action::Renew {
                subscription: rest.parse().ok()?,
            },
            "broadcast-send" => Action::BroadcastSend {
                broadcast: rest.parse().ok()?,
            },
            "broadcast-optout" if rest.is_empty() => Action::BroadcastOptOut,
            "language" if rest.is_empty() => Action::LanguagePicked,
            _ => return None,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_action_round_trips_within_100_characters() {
        let order: OrderId = "01JD0ZZZZZZZZZZZZZZZZZZZZZ".parse().unwrap();
        let actions = [
            Action::Buy,
            Action::Subscriptions,
            Action::Help,
            Action::Coupon,
            Action::CouponSubmitted,
            Action::PickPlan { coupon: None },
            Action::PickPlan {
                coupon: Some("WELCOME-2026".into()),
            },
            Action::Method {
                order,
                method: "a-very-long-method-id-of-32-char".parse().unwrap(),
            },
            Action::Cancel { order },
            Action::Approve { order },
            Action::Decline { order },
            Action::DeclineSubmitted { order },
            Action::Retry { order },
            Action::Renew {
                subscription: SubscriptionId(order.0),
            },
            Action::ResetLink,
            Action::ResetLinkConfirmed,
            Action::Devices,
            Action::RemoveDevice {
                device: "0123456789abcdef".into(),
            },
            Action::BroadcastSend {
                broadcast: BroadcastId(order.0),
            },
            Action::BroadcastOptOut,
            Action::Language,
            Action::LanguagePicked,
        ];
        for a in actions {
            let id = a.id();
            assert!(id.len() <= 100, "{id}");
            assert_eq!(Action::parse(&id), Some(a));
        }
        assert_eq!(Action::parse("approve:not-an-id"), None);
        assert_eq!(Action::parse("whatever"), None);
    }
}
