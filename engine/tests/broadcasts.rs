//! Broadcasts through the engine on a real redb file: each segment reaches whom it says, a
//! draft is counted and sent once, its DMs go out one at a time through the outbox and are
//! counted as they finish (sent, refused, skipped after an opt-out), a restart midway loses
//! and repeats nothing, and bad input is refused with nothing written.

mod common;

use common::{Harness, SHOPPER};
use jiff::SignedDuration;
use nebula_engine::actor::Actor;
use nebula_engine::broadcast::{BroadcastStatus, Segment};
use nebula_engine::effect::DiscordEffect;
use nebula_engine::error::{Rejection, ShopError};
use nebula_engine::executor::ExecError;
use nebula_engine::ids::UserId;
use nebula_engine::testing::ADMIN;

const A: UserId = SHOPPER;
const B: UserId = UserId(200);
const C: UserId = UserId(300);
const CHANNEL: u64 = 4242;

/// A and B hold a month's access; C opened an order and never paid.
async fn shop_with_shoppers() -> Harness {
    let h = Harness::new().await;
    for shopper in [A, B] {
        let id = h.order_under_review_for(shopper).await;
        h.shop().approve(ADMIN, id).await.unwrap();
    }
    h.open_order_for(C).await;
    h.worker().run_until_idle().await.unwrap();
    h
}

async fn reach(h: &Harness, segment: Segment) -> u64 {
    h.shop()
        .draft_broadcast(ADMIN, CHANNEL, segment, "Hello".into())
        .await
        .unwrap()
        .recipients
}

fn dms(h: &Harness) -> Vec<UserId> {
    h.discord
        .calls()
        .into_iter()
        .filter_map(|(_, e)| match e {
            DiscordEffect::BroadcastDm { shopper, .. } => Some(shopper),
            _ => None,
        })
        .collect()
}

#[tokio::test]
async fn each_segment_reaches_whom_it_says() {
    let h = shop_with_shoppers().await;
    let table = [
        (Segment::All, 3),
        (Segment::Active, 2),
        (Segment::ExpiringWithin { days: 7 }, 0),
        (Segment::Expired, 0),
        (
            Segment::Plan {
                plan: "month-50gb".parse().unwrap(),
            },
            2,
        ),
    ];
    for (segment, n) in table {
        assert_eq!(reach(&h, segment.clone()).await, n, "{segment:?}");
    }
    h.advance(SignedDuration::from_hours(24 * 25));
    assert_eq!(reach(&h, Segment::ExpiringWithin { days: 7 }).await, 2);
    h.advance(SignedDuration::from_hours(24 * 6));
    assert_eq!(reach(&h, Segment::Active).await, 0);
    assert_eq!(reach(&h, Segment::Expired).await, 2);
}

#[tokio::test]
async fn a_broadcast_goes_out_once_counted_and_resumes_after_a_restart() {
    let mut h = shop_with_shoppers().await;
    // A opted out before: not a recipient.
    assert!(h.shop().opt_out_of_broadcasts(A).await.unwrap());
    assert!(!h.shop().opt_out_of_broadcasts(A).await.unwrap(), "once");
    let draft = h
        .shop()
        .draft_broadcast(
            ADMIN,
            CHANNEL,
            Segment::All,
            "  New servers in Tokyo!  ".into(),
        )
        .await
        .unwrap();
    assert_eq!(draft.recipients, 2);
    assert_eq!(draft.message, "New servers in Tokyo!");
    let sent = h.shop().send_broadcast(ADMIN, draft.id).await.unwrap();
    assert_eq!(sent.status, BroadcastStatus::Sending);
    let again = h.shop().send_broadcast(ADMIN, draft.id).await;
    assert!(matches!(again, Err(ShopError::Invalid(_))), "{again:?}");

    // One pass sends one DM (one stream), then the shop restarts.
    h.worker().run_once().await.unwrap();
    assert_eq!(dms(&h).len(), 1);
    h.reopen().await;
    h.worker().run_until_idle().await.unwrap();
    let mut reached = dms(&h);
    reached.sort();
    assert_eq!(reached, vec![B, C], "each once");
    let done = h.shop().broadcast(draft.id).await.unwrap();
    assert_eq!(
        (
            done.status,
            done.sent,
            done.failed,
            done.skipped,
            done.left()
        ),
        (BroadcastStatus::Done, 2, 0, 0, 0)
    );
    assert!(
        h.discord.names().contains(&"broadcast_progress"),
        "the admin's message follows"
    );
    let audit = h.shop().audit(Default::default(), None, 100).await.unwrap();
    for action in ["broadcast.draft", "broadcast.send", "broadcast.opt_out"] {
        assert!(audit.entries.iter().any(|e| e.action == action), "{action}");
    }
}

#[tokio::test]
async fn refused_dms_and_late_opt_outs_are_counted_not_alerted() {
    let h = shop_with_shoppers().await;
    let draft = h
        .shop()
        .draft_broadcast(
            ADMIN,
            CHANNEL,
            Segment::Active,
            "Maintenance tonight".into(),
        )
        .await
        .unwrap();
    h.shop().send_broadcast(ADMIN, draft.id).await.unwrap();
    // B opts out after it was sent: their DM is skipped.
    h.shop().opt_out_of_broadcasts(B).await.unwrap();
    h.worker().run_once().await.unwrap(); // the progress message
    h.discord
        .fail_with(ExecError::permanent("Cannot send messages to this user"));
    h.worker().run_until_idle().await.unwrap();
    let b = h.shop().broadcast(draft.id).await.unwrap();
    assert_eq!(b.sent + b.failed + b.skipped, 2, "{b:?}");
    assert_eq!(b.status, BroadcastStatus::Done);
    assert!(b.failed >= 1, "{b:?}");
    let alerts = h
        .discord
        .calls()
        .into_iter()
        .filter(|(_, e)| matches!(e, DiscordEffect::AlertAdmins { .. }))
        .count();
    assert_eq!(alerts, 0);
}

#[tokio::test]
async fn bad_broadcasts_are_refused_and_write_nothing() {
    let h = shop_with_shoppers().await;
    let before = h.size("broadcasts_v1").await;
    let cases = [
        (Actor::Shopper(A), Segment::All, "Hi".to_owned()),
        (ADMIN, Segment::All, "   ".to_owned()),
        (ADMIN, Segment::All, "x".repeat(1801)),
        (ADMIN, Segment::ExpiringWithin { days: 0 }, "Hi".to_owned()),
    ];
    for (actor, segment, message) in cases {
        let refused = h
            .shop()
            .draft_broadcast(actor, CHANNEL, segment.clone(), message)
            .await;
        assert!(
            matches!(
                refused,
                Err(ShopError::Invalid(_)) | Err(ShopError::Rejected(Rejection::AdminOnly))
            ),
            "{segment:?}: {refused:?}"
        );
    }
    assert_eq!(h.size("broadcasts_v1").await, before);
}
