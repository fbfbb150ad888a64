//! The subscription lifecycle as a table: every status against every event.

use jiff::{SignedDuration, Timestamp};
use nebula_engine::ids::{OrderId, ServerId, SubscriptionId, UserId};
use nebula_engine::plan::TrafficLimit;
use nebula_engine::subscription::{
    AccessLink, Subscription, SubscriptionEvent, SubscriptionRejection, SubscriptionStatus,
    period_end,
};
use nebula_engine::testing::month_plan;
use ulid::Ulid;

use SubscriptionStatus::*;

fn t0() -> Timestamp {
    "2026-11-24T10:00:00Z".parse().unwrap()
}

fn sub(status: SubscriptionStatus) -> Subscription {
    let plan = month_plan();
    Subscription {
        id: SubscriptionId(Ulid(1)),
        shopper: UserId(100),
        traffic: plan.traffic,
        device_limit: plan.device_limit,
        plan,
        server: ServerId::new("fra-1").unwrap(),
        client_email: "nl-x".into(),
        access: AccessLink::new("vless://secret"),
        alternatives: Vec::new(),
        subscription_url: None,
        status,
        created_at: t0(),
        updated_at: t0(),
        expires_at: t0() + SignedDuration::from_hours(24 * 30),
        used_bytes: 123,
        orders: vec![OrderId(Ulid(2))],
        reminders_sent: vec![],
        traffic_notice: 0,
        usage_read_at: None,
        timer: None,
        group: None,
        carried_bytes: 0,
        replaced_by: None,
        moving: None,
        traffic_resets: 0,
    }
}

/// The expiry job's next appointment with a subscription, by status and reminders sent.
#[test]
fn the_next_timer_follows_the_lifecycle() {
    use nebula_engine::subscription::{Lifecycle, TimerKind};
    let rules = Lifecycle::default();
    let end = t0() + SignedDuration::from_hours(24 * 30);
    let h = SignedDuration::from_hours;
    type Row = (
        SubscriptionStatus,
        Vec<u32>,
        Option<(TimerKind, jiff::Timestamp)>,
    );
    let table: [Row; 6] = [
        (
            SubscriptionStatus::Active,
            vec![],
            Some((TimerKind::Remind, end - h(72))),
        ),
        (
            SubscriptionStatus::Active,
            vec![72],
            Some((TimerKind::Remind, end - h(24))),
        ),
        (
            SubscriptionStatus::Active,
            vec![72, 24],
            Some((TimerKind::Expire, end)),
        ),
        (
            SubscriptionStatus::Suspended,
            vec![72, 24],
            Some((TimerKind::Expire, end)),
        ),
        (
            SubscriptionStatus::Expired,
            vec![72, 24],
            Some((TimerKind::Delete, end + h(24 * 7))),
        ),
        (SubscriptionStatus::Deleted, vec![], None),
    ];
    for (status, sent, expected) in table {
        let mut s = sub(status);
        s.reminders_sent = sent.clone();
        let got = s.next_timer(&rules).map(|t| (t.kind, t.at));
        assert_eq!(got, expected, "{status:?} with {sent:?} sent");
    }
    // Bought with two days left: the 72-hour reminder is not sent afterwards.
    let mut s = sub(SubscriptionStatus::Active);
    s.start_period(end - h(48), &rules);
    assert_eq!(s.reminders_sent, vec![72]);
    assert_eq!(s.due_reminders(end - h(30), &rules), Vec::<u32>::new());
    assert_eq!(s.due_reminders(end - h(23), &rules), vec![24]);
}

fn events() -> [(&'static str, SubscriptionEvent); 4] {
    let mut bigger = month_plan();
    bigger.traffic = TrafficLimit::Bytes(100_000_000_000);
    [
        (
            "renew",
            SubscriptionEvent::Renewed {
                order: OrderId(Ulid(3)),
                plan: bigger,
                expires_at: t0() + SignedDuration::from_hours(24 * 60),
            },
        ),
        (
            "suspend",
            SubscriptionEvent::TrafficExhausted {
                used_bytes: 50_000_000_000,
            },
        ),
        ("expire", SubscriptionEvent::Expire),
        ("delete", SubscriptionEvent::Delete),
    ]
}

#[test]
fn every_status_against_every_event() {
    // Rows: Active, Suspended, Expired, Deleted. Columns: renew, suspend, expire, delete.
    // `Some(next)` moves there; `None` is refused with nothing changed.
    let table: [(SubscriptionStatus, [Option<SubscriptionStatus>; 4]); 4] = [
        (Active, [Some(Active), Some(Suspended), Some(Expired), None]),
        (Suspended, [Some(Active), None, Some(Expired), None]),
        (Expired, [Some(Active), None, None, Some(Deleted)]),
        (Deleted, [None, None, None, None]),
    ];
    let after_the_end = t0() + SignedDuration::from_hours(24 * 31);
    for (status, row) in table {
        for ((name, event), expected) in events().into_iter().zip(row) {
            let mut s = sub(status);
            let before = s.clone();
            let result = s.apply(event, after_the_end);
            match expected {
                Some(next) => {
                    assert_eq!(result, Ok(()), "{status:?} + {name}");
                    assert_eq!(s.status, next, "{status:?} + {name}");
                    assert_eq!(s.updated_at, after_the_end);
                }
                None => {
                    assert!(
                        matches!(result, Err(SubscriptionRejection::NotAllowedNow { event, .. }) if event == name),
                        "{status:?} + {name}: {result:?}"
                    );
                    assert_eq!(s, before, "{status:?} + {name}: refused, unchanged");
                }
            }
        }
    }
}

#[test]
fn a_renewal_keeps_the_client_and_resets_the_allowance() {
    let mut s = sub(Suspended);
    let [(_, renew), ..] = events();
    s.apply(renew, t0()).unwrap();
    assert_eq!(s.status, Active);
    assert_eq!(s.client_email, "nl-x");
    assert_eq!(s.access, AccessLink::new("vless://secret"));
    assert_eq!(s.used_bytes, 0);
    assert_eq!(s.traffic, TrafficLimit::Bytes(100_000_000_000));
    assert_eq!(s.orders.len(), 2);
}

#[test]
fn nothing_expires_early_and_periods_never_start_in_the_past() {
    let mut s = sub(Active);
    assert_eq!(
        s.apply(SubscriptionEvent::Expire, t0()),
        Err(SubscriptionRejection::NotDue {
            expires_at: s.expires_at
        })
    );
    assert_eq!(s.status, Active);

    let day = SignedDuration::from_hours(24);
    assert_eq!(period_end(t0(), None, 30), t0() + day * 30);
    assert_eq!(
        period_end(t0(), Some(t0() + day * 5), 30),
        t0() + day * 35,
        "time left is kept"
    );
    assert_eq!(
        period_end(t0(), Some(t0() - day * 5), 30),
        t0() + day * 30,
        "a lapsed period starts now"
    );
}

#[test]
fn links_never_print() {
    let s = sub(Active);
    assert!(!format!("{s:?}").contains("secret"));
    assert_eq!(s.access.to_string(), "<redacted link>");
    assert_eq!(s.access.expose(), "vless://secret");
}
