//! Orders through the whole engine on a real redb file: every step committed, survived across
//! restarts, replayed after a crash, raced by two admins.

mod common;

use common::{Harness, SHOPPER, png, t0};
use jiff::SignedDuration;
use nebula_engine::actor::Actor;
use nebula_engine::audit::AuditFilter;
use nebula_engine::effect::{DiscordEffect, Effect};
use nebula_engine::error::{Rejection, ShopError};
use nebula_engine::executor::ExecError;
use nebula_engine::ids::UserId;
use nebula_engine::order::{ReviewOutcome, State};
use nebula_engine::outbox::OutboxStatus;
use nebula_engine::shop::{EffectOutcome, RenewOrder};
use nebula_engine::subscription::SubscriptionStatus;
use nebula_engine::testing::ADMIN;

const SHOPPER_ACTOR: Actor = Actor::Shopper(SHOPPER);

/// After each step: the order's state, its history, its outbox rows and the audit log, all read
/// back from a freshly reopened database.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_full_order_survives_a_restart_after_every_step() {
    let mut h = Harness::new().await;
    let id = h.open_order().await.order.id;

    async fn check(
        h: &Harness,
        id: nebula_engine::ids::OrderId,
        state: &str,
        history: &[&str],
        audit: &[&str],
    ) {
        let (record, events) = h.shop().order_history(id).await.unwrap();
        assert_eq!(record.state.name(), state);
        let names: Vec<&str> = events.iter().map(|e| e.name.as_str()).collect();
        assert_eq!(names, history, "history");
        assert_eq!(events.last().unwrap().to, state, "the last event led here");
        assert!(
            events
                .windows(2)
                .all(|w| w[1].seq == w[0].seq + 1 && w[1].from.as_deref() == Some(&w[0].to))
        );
        assert_eq!(record.order.events as usize, history.len());
        let page = h
            .shop()
            .audit(
                AuditFilter {
                    target: Some(format!("order:{id}")),
                    ..Default::default()
                },
                None,
                50,
            )
            .await
            .unwrap();
        let mut actions: Vec<&str> = page.entries.iter().map(|e| e.action.as_str()).collect();
        actions.reverse();
        assert_eq!(actions, audit, "audit");
    }

    h.reopen().await;
    check(&h, id, "awaiting_method", &["open"], &["order.open"]).await;
    assert_eq!(
        h.size("outbox_v1").await,
        3,
        "2 panel refreshes from setup (plan, method), and the order channel"
    );

    h.shop()
        .choose_method(SHOPPER_ACTOR, id, "wallet".parse().unwrap())
        .await
        .unwrap();
    h.reopen().await;
    check(
        &h,
        id,
        "awaiting_proof",
        &["open", "choose_method"],
        &["order.open", "order.choose_method"],
    )
    .await;

    h.shop()
        .submit_proof(SHOPPER_ACTOR, id, png(b"receipt-1"))
        .await
        .unwrap();
    h.reopen().await;
    check(
        &h,
        id,
        "under_review",
        &["open", "choose_method", "submit_proof"],
        &["order.open", "order.choose_method", "order.submit_proof"],
    )
    .await;
    let (proof, bytes) = h
        .shop()
        .proof_image(id)
        .await
        .unwrap()
        .expect("the screenshot is kept");
    assert_eq!(bytes, png(b"receipt-1").bytes);
    assert_eq!(proof.size, bytes.len() as u64);

    h.shop().approve(ADMIN, id).await.unwrap();
    h.reopen().await;
    check(
        &h,
        id,
        "provisioning",
        &["open", "choose_method", "submit_proof", "approve"],
        &[
            "order.open",
            "order.choose_method",
            "order.submit_proof",
            "order.approve",
        ],
    )
    .await;

    // Nothing has left the process yet; now the worker carries everything out.
    assert!(h.discord.calls().is_empty() && h.panel.calls().is_empty());
    let ran = h.worker().run_until_idle().await.unwrap();
    assert_eq!(
        ran,
        2 + 7,
        "2 refreshes; channel, instructions, review, under-review notice, close-review, provision, access"
    );
    h.reopen().await;
    check(
        &h,
        id,
        "fulfilled",
        &[
            "open",
            "choose_method",
            "submit_proof",
            "approve",
            "provisioned",
        ],
        &[
            "order.open",
            "order.choose_method",
            "order.submit_proof",
            "order.approve",
            "order.provisioned",
        ],
    )
    .await;
    assert_eq!(
        h.discord.names(),
        [
            "refresh_panel",
            "refresh_panel",
            "open_order_channel",
            "show_payment_instructions",
            "request_review",
            "notify_shopper",
            "close_review",
            "deliver_access",
        ]
    );
    let subs = h.shop().subscriptions_of(SHOPPER).await.unwrap();
    assert_eq!(subs.len(), 1);
    assert_eq!(subs[0].status, SubscriptionStatus::Active);
    assert_eq!(
        subs[0].expires_at,
        t0() + SignedDuration::from_hours(24 * 30)
    );
    assert_eq!(h.panel.clients().len(), 1);

    // The channel closes an hour later, not before.
    assert_eq!(h.worker().run_until_idle().await.unwrap(), 0);
    h.advance(SignedDuration::from_mins(61));
    assert_eq!(h.worker().run_until_idle().await.unwrap(), 1);
    assert_eq!(h.discord.names().last(), Some(&"close_order_channel"));
}

/// The process dies after the panel made the client but before the result was recorded: the
/// effect runs again after the restart, finds the same client, and one subscription results.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_crash_between_commit_and_effect_replays_the_effect_once_more() {
    let mut h = Harness::new().await;
    let id = h.order_under_review().await;
    h.worker().run_until_idle().await.unwrap();
    h.shop().approve(ADMIN, id).await.unwrap();

    // Do the provisioning by hand and "crash" before reporting it.
    let due = h.shop().due_effects(10).await.unwrap();
    let provision = due
        .iter()
        .find(|r| matches!(r.effect, Effect::Provision { .. }))
        .unwrap()
        .clone();
    let Effect::Provision { request } = &provision.effect else {
        unreachable!()
    };
    let server = h
        .shop()
        .server(request.server.clone())
        .await
        .unwrap()
        .unwrap();
    use nebula_engine::executor::Provisioner;
    h.panel.provision(&server, request).await.unwrap();
    h.reopen().await;

    assert_eq!(
        h.state(id).await,
        "provisioning",
        "the result never reached the engine"
    );
    h.worker().run_until_idle().await.unwrap();
    assert_eq!(h.state(id).await, "fulfilled");
    let calls = h.panel.calls();
    assert_eq!(calls.len(), 2, "the effect ran again");
    assert_eq!(
        calls[0].client_email, calls[1].client_email,
        "under the same client email"
    );
    assert_eq!(h.panel.clients().len(), 1, "one client on the panel");
    assert_eq!(h.shop().subscriptions_of(SHOPPER).await.unwrap().len(), 1);

    // The same result delivered twice more changes nothing.
    let access = h.panel.provision(&server, request).await.unwrap();
    for _ in 0..2 {
        let row = h
            .shop()
            .complete_effect(
                provision.id,
                EffectOutcome::Provisioned(vec![access.clone()]),
            )
            .await
            .unwrap();
        assert_eq!(row.status, OutboxStatus::Done);
    }
    assert_eq!(h.shop().subscriptions_of(SHOPPER).await.unwrap().len(), 1);
    assert_eq!(
        h.shop().order_history(id).await.unwrap().1.len(),
        5,
        "no extra event"
    );
}

/// Two admins press Approve at once, many times over: one wins, the other is told who did.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn two_admins_approving_at_once_make_exactly_one_provisioning() {
    let h = Harness::new().await;
    let (alice, bob) = (Actor::Admin(UserId(901)), Actor::Admin(UserId(902)));
    for _ in 0..20 {
        let id = h.order_under_review().await;
        let (a, b) = tokio::join!(h.shop().approve(alice, id), h.shop().approve(bob, id));
        let (winner, loser) = match (a, b) {
            (Ok(_), Err(e)) => (alice, e),
            (Err(e), Ok(_)) => (bob, e),
            other => panic!("expected one approval, got {other:?}"),
        };
        match loser {
            ShopError::Rejected(Rejection::AlreadyDecided {
                outcome: ReviewOutcome::Approved,
                by,
            }) => {
                assert_eq!(Some(by), winner.user());
            }
            other => panic!("expected 'already approved', got {other:?}"),
        }
        let provisions = h
            .shop()
            .due_effects(1000)
            .await
            .unwrap()
            .into_iter()
            .filter(|r| matches!(&r.effect, Effect::Provision { request } if request.order == id))
            .count();
        assert_eq!(provisions, 1);
        let history = h.shop().order_history(id).await.unwrap().1;
        assert_eq!(history.iter().filter(|e| e.name == "approve").count(), 1);
    }
}

/// Two approvals at once for the last slot of a server: one takes it, the other is refused
/// (no server with room), never both. Repeated, so the two really overlap.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_approvals_never_take_the_same_last_slot() {
    use nebula_engine::server::{ServerEdit, ServerStatus};
    let h = Harness::new().await;
    // One server only.
    h.shop()
        .edit_server(
            ADMIN,
            "ams-1".parse().unwrap(),
            ServerEdit {
                status: Some(ServerStatus::Draining),
                ..ServerEdit::default()
            },
        )
        .await
        .unwrap();
    for round in 0..12u32 {
        // Room for exactly one more: the orders of earlier rounds hold their slots.
        h.shop()
            .edit_server(
                ADMIN,
                "fra-1".parse().unwrap(),
                ServerEdit {
                    capacity: Some(round + 1),
                    ..ServerEdit::default()
                },
            )
            .await
            .unwrap();
        let a = h
            .order_under_review_for(UserId(1_000 + u64::from(round) * 2))
            .await;
        let b = h
            .order_under_review_for(UserId(1_001 + u64::from(round) * 2))
            .await;
        let (x, y) = tokio::join!(
            {
                let shop = h.shop().clone();
                async move { shop.approve(ADMIN, a).await }
            },
            {
                let shop = h.shop().clone();
                async move { shop.approve(ADMIN, b).await }
            },
        );
        let taken = [&x, &y].iter().filter(|r| r.is_ok()).count();
        assert_eq!(taken, 1, "round {round}: {x:?} / {y:?}");
        let refused = if x.is_err() { x } else { y };
        assert!(
            matches!(
                refused,
                Err(ShopError::Rejected(Rejection::NoServer { .. }))
            ),
            "round {round}: {refused:?}"
        );
    }
}

/// A refused command leaves every table exactly as it was.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn refused_commands_write_nothing() {
    let h = Harness::new().await;
    let id = h.order_under_review().await;
    let before = h.dump().await;
    let stranger = Actor::Shopper(UserId(555));

    let refusals = [
        h.shop().approve(SHOPPER_ACTOR, id).await.unwrap_err(),
        h.shop().decline(ADMIN, id, "  ".into()).await.unwrap_err(),
        h.shop().cancel(stranger, id).await.unwrap_err(),
        h.shop()
            .submit_proof(SHOPPER_ACTOR, id, png(b"again"))
            .await
            .unwrap_err(),
        h.shop().time_out(id).await.unwrap_err(),
        h.shop().retry(ADMIN, id).await.unwrap_err(),
    ];
    for r in &refusals {
        assert!(matches!(r, ShopError::Rejected(_)), "{r:?}");
    }
    assert_eq!(refusals[0].to_string(), "only an admin can do that");
    assert!(
        h.dump().await == before,
        "a refused command wrote something"
    );
    assert_eq!(h.state(id).await, "under_review");
}

/// The panel keeps failing: the outbox retries with backoff, gives up, the order fails and the
/// admins get an alert with a Retry button; the retry provisions the same client.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn provisioning_that_keeps_failing_alerts_the_admins_and_can_be_retried() {
    let h = Harness::new().await;
    let id = h.order_under_review().await;
    h.worker().run_until_idle().await.unwrap();
    h.shop().approve(ADMIN, id).await.unwrap();
    let max = h.settings.outbox.max_attempts as usize;
    h.panel
        .fail_next((0..max).map(|_| ExecError::transient("connection refused")));

    for attempt in 1..=max {
        assert!(
            h.worker().run_until_idle().await.unwrap() >= 1,
            "attempt {attempt} ran"
        );
        assert_eq!(h.panel.calls().len(), attempt);
        if attempt < max {
            assert_eq!(h.state(id).await, "provisioning");
            // Not before the backoff has passed.
            let before = h.panel.calls().len();
            h.worker().run_until_idle().await.unwrap();
            assert_eq!(h.panel.calls().len(), before);
            h.advance(SignedDuration::from_secs(700));
        }
    }
    let record = h.shop().order(id).await.unwrap();
    assert!(
        matches!(&record.state, State::Failed { error, attempts: 1 } if error == "connection refused")
    );
    h.worker().run_until_idle().await.unwrap();
    let alert = h.discord.calls().into_iter().find_map(|(_, e)| match e {
        DiscordEffect::AlertAdmins { alert } => Some(alert),
        _ => None,
    });
    let alert = alert.expect("admins alerted");
    assert!(alert.retry && alert.order == Some(id), "{alert:?}");
    let gave_up = h.shop().audit(
        AuditFilter {
            action: Some("outbox.gave_up".into()),
            ..Default::default()
        },
        None,
        5,
    );
    assert_eq!(gave_up.await.unwrap().entries.len(), 1);

    h.shop().retry(ADMIN, id).await.unwrap();
    h.worker().run_until_idle().await.unwrap();
    assert_eq!(h.state(id).await, "fulfilled");
    let calls = h.panel.calls();
    assert_eq!(calls.last().unwrap().attempt, 2);
    assert_eq!(
        calls.first().unwrap().client_email,
        calls.last().unwrap().client_email
    );
    assert_eq!(
        calls.first().unwrap().subscription,
        calls.last().unwrap().subscription
    );
}

/// A permanent error is not retried.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_permanent_provisioning_error_fails_at_once() {
    let h = Harness::new().await;
    let id = h.order_under_review().await;
    h.shop().approve(ADMIN, id).await.unwrap();
    h.panel
        .fail_next([ExecError::permanent("inbound 1 does not exist")]);
    h.worker().run_until_idle().await.unwrap();
    assert_eq!(h.panel.calls().len(), 1);
    assert_eq!(h.state(id).await, "failed");
}

/// A Discord effect that fails holds back the later effects of its order (they would land in a
/// channel that does not exist yet) but not other orders' effects, and is retried.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn effects_of_one_order_run_in_order() {
    let h = Harness::new().await;
    h.worker().run_until_idle().await.unwrap();
    let first = h.open_order().await.order.id;
    h.discord.fail_with(ExecError::transient("discord 502"));
    h.worker().run_until_idle().await.unwrap();
    h.discord.heal();
    h.shop()
        .choose_method(SHOPPER_ACTOR, first, "wallet".parse().unwrap())
        .await
        .unwrap();
    let second = h.open_order().await.order.id;

    h.worker().run_until_idle().await.unwrap();
    let orders: Vec<_> = h
        .discord
        .calls()
        .into_iter()
        .filter_map(|(_, e)| e.order().map(|o| (o, e.name())))
        .collect();
    assert_eq!(
        orders,
        [(second, "open_order_channel")],
        "the first order waits for its channel"
    );

    h.advance(SignedDuration::from_secs(5));
    h.worker().run_until_idle().await.unwrap();
    let firsts: Vec<_> = h
        .discord
        .calls()
        .into_iter()
        .filter(|(_, e)| e.order() == Some(first))
        .map(|(_, e)| e.name())
        .collect();
    assert_eq!(firsts, ["open_order_channel", "show_payment_instructions"]);
}

/// Unpaid orders time out from the deadline index: exactly the due ones.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn unpaid_orders_time_out_when_due() {
    let h = Harness::new().await;
    let early = h.open_order().await.order.id;
    h.advance(SignedDuration::from_mins(10));
    let late = h.open_order().await.order.id;
    let paid = h.order_under_review().await;

    h.advance(SignedDuration::from_mins(25)); // early is 35 min old, late 25.
    let due = h.shop().overdue_orders(h.shop().now(), 100).await.unwrap();
    assert_eq!(due, [early]);
    assert!(matches!(
        h.shop().time_out(late).await,
        Err(ShopError::Rejected(Rejection::NotDue))
    ));
    h.shop().time_out(early).await.unwrap();
    assert_eq!(h.state(early).await, "timed_out");
    assert!(
        h.shop()
            .overdue_orders(h.shop().now(), 100)
            .await
            .unwrap()
            .is_empty()
    );

    h.advance(SignedDuration::from_hours(1));
    assert_eq!(
        h.shop().overdue_orders(h.shop().now(), 100).await.unwrap(),
        [late],
        "orders under review never time out"
    );
    let _ = paid;
}

/// A renewal extends the same subscription: same client, same link, later end.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_renewal_keeps_the_client_and_the_link() {
    let h = Harness::new().await;
    let id = h.order_under_review().await;
    h.shop().approve(ADMIN, id).await.unwrap();
    h.worker().run_until_idle().await.unwrap();
    let sub = h.shop().subscriptions_of(SHOPPER).await.unwrap().remove(0);

    h.advance(SignedDuration::from_hours(24 * 20));
    let renewal = h
        .shop()
        .renew(RenewOrder {
            shopper: SHOPPER,
            roles: vec![],
            subscription: sub.id,
            coupon: None,
        })
        .await
        .unwrap()
        .order
        .id;
    h.shop()
        .choose_method(SHOPPER_ACTOR, renewal, "wallet".parse().unwrap())
        .await
        .unwrap();
    h.shop()
        .submit_proof(SHOPPER_ACTOR, renewal, png(b"renewal"))
        .await
        .unwrap();
    h.shop().approve(ADMIN, renewal).await.unwrap();
    h.worker().run_until_idle().await.unwrap();

    assert_eq!(h.state(renewal).await, "fulfilled");
    let subs = h.shop().subscriptions_of(SHOPPER).await.unwrap();
    assert_eq!(subs.len(), 1, "no second subscription");
    let renewed = &subs[0];
    assert_eq!(renewed.id, sub.id);
    assert_eq!(renewed.client_email, sub.client_email);
    assert_eq!(renewed.access, sub.access);
    assert_eq!(
        renewed.expires_at,
        sub.expires_at + SignedDuration::from_hours(24 * 30),
        "counted from the old end"
    );
    assert_eq!(renewed.orders, [id, renewal]);
    assert_eq!(h.panel.clients().len(), 1);

    // Someone else's subscription cannot be renewed.
    let theirs = h
        .shop()
        .renew(RenewOrder {
            shopper: UserId(7),
            roles: vec![],
            subscription: sub.id,
            coupon: None,
        })
        .await;
    assert!(matches!(
        theirs,
        Err(ShopError::NotFound {
            what: "subscription",
            ..
        })
    ));
}

/// The same screenshot on a second order is flagged to the reviewers.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_reused_screenshot_is_flagged() {
    let h = Harness::new().await;
    let first = h.open_order().await.order.id;
    let second = h.open_order().await.order.id;
    for id in [first, second] {
        h.shop()
            .choose_method(SHOPPER_ACTOR, id, "wallet".parse().unwrap())
            .await
            .unwrap();
        h.shop()
            .submit_proof(SHOPPER_ACTOR, id, png(b"same bytes"))
            .await
            .unwrap();
    }
    let proof = |r: nebula_engine::shop::OrderRecord| match r.state {
        State::UnderReview {
            proof: Some(proof), ..
        } => proof,
        other => panic!("{other:?}"),
    };
    assert_eq!(
        proof(h.shop().order(first).await.unwrap()).duplicate_of,
        None
    );
    assert_eq!(
        proof(h.shop().order(second).await.unwrap()).duplicate_of,
        Some(first)
    );
}

/// The outbox worker stops on shutdown, after finishing and recording the row in hand.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_worker_finishes_the_row_in_hand_on_shutdown() {
    use std::sync::Arc;
    use tokio::sync::{Notify, oneshot};

    /// Blocks in `execute` until released, so the test can shut down mid-row.
    #[derive(Default)]
    struct Slow {
        entered: Notify,
        release: Notify,
    }
    impl nebula_engine::executor::DiscordEffects for Slow {
        async fn execute(&self, _key: &str, _effect: &DiscordEffect) -> Result<(), ExecError> {
            self.entered.notify_one();
            self.release.notified().await;
            Ok(())
        }
    }

    let mut settings = nebula_engine::Settings::default();
    settings.outbox.concurrency = 1;
    settings.outbox.batch = 1;
    let h = Harness::with(
        Arc::new(nebula_engine::policy::NativePolicies::default()),
        settings,
    )
    .await;
    let slow = Arc::new(Slow::default());
    let worker = nebula_engine::outbox::worker::OutboxWorker::new(
        h.shop().clone(),
        slow.clone(),
        h.panel.clone(),
    );
    let (stop, stopped) = oneshot::channel::<()>();
    let running = tokio::spawn(worker.run(async move {
        let _ = stopped.await;
    }));
    slow.entered.notified().await;
    stop.send(()).unwrap();
    slow.release.notify_one();
    running.await.unwrap();

    let rows: Vec<_> = futures_status(&h).await;
    assert_eq!(
        rows.iter().filter(|s| **s == OutboxStatus::Done).count(),
        1,
        "the row in hand was recorded"
    );
    assert_eq!(
        rows.iter().filter(|s| **s == OutboxStatus::Pending).count(),
        1,
        "no new row was started"
    );
}

async fn futures_status(h: &Harness) -> Vec<OutboxStatus> {
    let mut out = Vec::new();
    for id in 1..=2 {
        out.push(h.shop().outbox_row(id).await.unwrap().unwrap().status);
    }
    out
}

/// The servers' slot counts (what placement reads instead of scanning) follow every move: an
/// approval takes a slot, provisioning turns it into the subscription's, a failure gives it
/// back, a retry takes it again; and a restart keeps them.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn slot_counts_follow_every_move() {
    let mut h = Harness::new().await;
    async fn taken(h: &Harness) -> u32 {
        let (kept, counted) = h.shop().slot_counts().await.unwrap();
        assert_eq!(kept, counted, "the kept counts agree with the indexes");
        kept.values().sum()
    }
    let ok = h.order_under_review().await;
    h.shop().approve(ADMIN, ok).await.unwrap();
    assert_eq!(taken(&h).await, 1, "in flight");
    h.worker().run_until_idle().await.unwrap();
    assert_eq!(h.state(ok).await, "fulfilled");
    assert_eq!(taken(&h).await, 1, "now the subscription's");

    let bad = h.order_under_review_for(UserId(7)).await;
    h.shop().approve(ADMIN, bad).await.unwrap();
    assert_eq!(taken(&h).await, 2);
    h.panel
        .fail_next([ExecError::permanent("inbound 1 does not exist")]);
    h.worker().run_until_idle().await.unwrap();
    assert_eq!(h.state(bad).await, "failed");
    assert_eq!(taken(&h).await, 1, "a failure gives the slot back");
    h.shop().retry(ADMIN, bad).await.unwrap();
    assert_eq!(taken(&h).await, 2, "a retry takes one again");
    h.worker().run_until_idle().await.unwrap();
    assert_eq!(h.state(bad).await, "fulfilled");
    h.reopen().await;
    assert_eq!(taken(&h).await, 2);
}

/// One URL per shopper: issued once, the same on every ask and after a restart, serving every
/// subscription; a reset makes the old token unknown at once; nothing else finds a shopper.
#[tokio::test]
async fn a_shoppers_subscription_token_serves_their_access_until_it_is_reset() {
    let mut h = Harness::new().await;
    let id = h.order_under_review().await;
    h.shop().approve(ADMIN, id).await.unwrap();
    h.worker().run_until_idle().await.unwrap();

    let token = h.shop().sub_token(SHOPPER).await.unwrap();
    assert_eq!(h.shop().sub_token(SHOPPER).await.unwrap(), token);
    let feed = h
        .shop()
        .sub_feed(token.expose())
        .await
        .unwrap()
        .expect("served");
    assert_eq!(feed.shopper, SHOPPER);
    assert_eq!(feed.subscriptions.len(), 1);
    // The shop keeps the feed in memory, but a change to the subscription shows at once.
    let email = feed.subscriptions[0].client_email.clone();
    h.panel.add_usage(&email, 5 << 30);
    nebula_engine::jobs::Jobs::new(
        h.shop().clone(),
        h.panel.clone(),
        nebula_engine::jobs::JobsConfig::default(),
    )
    .run(nebula_engine::jobs::JobKind::Traffic)
    .await
    .unwrap();
    let feed = h.shop().sub_feed(token.expose()).await.unwrap().unwrap();
    assert_eq!(
        feed.subscriptions[0].used_bytes,
        5 << 30,
        "not the kept copy"
    );
    h.reopen().await;
    assert_eq!(h.shop().sub_token(SHOPPER).await.unwrap(), token);

    let fresh = h.shop().reset_sub_token(SHOPPER).await.unwrap();
    assert_ne!(fresh, token);
    assert_eq!(h.shop().sub_feed(token.expose()).await.unwrap(), None);
    assert!(h.shop().sub_feed(fresh.expose()).await.unwrap().is_some());
    // A token-shaped guess, a malformed one, another shopper's nothing.
    let guess = "A".repeat(nebula_engine::sub_url::TOKEN_LEN);
    for bad in [guess.as_str(), "", "../../etc/passwd", &fresh.expose()[1..]] {
        assert_eq!(h.shop().sub_feed(bad).await.unwrap(), None, "{bad:?}");
    }
    let other = h.shop().sub_token(UserId(999)).await.unwrap();
    let feed = h.shop().sub_feed(other.expose()).await.unwrap().unwrap();
    assert!(feed.subscriptions.is_empty());

    let audit = h
        .shop()
        .audit(
            AuditFilter {
                action: Some("sub_link.".into()),
                ..AuditFilter::default()
            },
            None,
            10,
        )
        .await
        .unwrap();
    let actions: Vec<&str> = audit.entries.iter().map(|e| e.action.as_str()).collect();
    assert_eq!(
        actions,
        ["sub_link.issue", "sub_link.reset", "sub_link.issue"]
    );
    assert!(
        audit
            .entries
            .iter()
            .all(|e| !e.details.contains(fresh.expose())),
        "no token in the audit log"
    );
}

/// An order being provisioned on several servers holds a slot on each of them: a second order
/// cannot be placed on a server the first has claimed but not yet filled.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_order_on_two_servers_holds_both_slots_while_it_is_set_up() {
    use nebula_engine::plan::PlanEdit;
    use nebula_engine::server::ServerEdit;
    let h = Harness::new().await;
    let shop = h.shop();
    let two = PlanEdit {
        servers: Some(2),
        ..PlanEdit::default()
    };
    shop.edit_plan(ADMIN, "month-50gb".parse().unwrap(), two)
        .await
        .unwrap();
    for id in ["fra-1", "ams-1"] {
        let one_slot = ServerEdit {
            capacity: Some(1),
            ..ServerEdit::default()
        };
        shop.edit_server(ADMIN, id.parse().unwrap(), one_slot)
            .await
            .unwrap();
    }
    shop.add_server(ADMIN, nebula_engine::testing::server("par-1", "eu", 1))
        .await
        .unwrap();

    let first = h.order_under_review_for(UserId(1)).await;
    shop.approve(ADMIN, first).await.unwrap();
    // Three servers of one slot, two claimed by the first order: the second needs two.
    let second = h.order_under_review_for(UserId(2)).await;
    let refused = shop.approve(ADMIN, second).await.unwrap_err();
    assert!(
        matches!(refused, ShopError::Rejected(Rejection::NoServer { .. })),
        "{refused}"
    );
    assert_eq!(
        h.state(second).await,
        "under_review",
        "the refusal changed nothing"
    );

    // Fulfilled, the two slots pass from the order to its two subscriptions.
    h.worker().run_until_idle().await.unwrap();
    assert_eq!(h.state(first).await, "fulfilled");
    let subs = shop.subscriptions_of(UserId(1)).await.unwrap();
    assert_eq!(subs.len(), 2);
    assert_ne!(subs[0].server, subs[1].server);
    assert!(shop.approve(ADMIN, second).await.is_err());
}
