//! The panel misbehaves: down, slow, 500, expired sessions, garbage, a refused login. Each gives
//! a clear error within a bounded time; re-login works and happens once; retries never make a
//! second client.

mod common;

use std::time::{Duration, Instant};

use common::{Options, PanelAuth, Stack, new_client};
use nebula_gateway::api::ErrorCode;
use nebula_gateway::client::ClientError;
use nebula_gateway::sim::{Fault, Generation};

fn code(e: &ClientError) -> ErrorCode {
    match e {
        ClientError::Api { code, .. } => *code,
        other => panic!("expected a gateway error, got {other:?}"),
    }
}

/// Within three attempts of the client, each bounded by the panel timeout, plus backoff.
const BOUND: Duration = Duration::from_secs(8);

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_panel_that_is_down_is_reported_and_work_resumes_when_it_is_back() {
    for generation in [Generation::V2, Generation::V3] {
        let stack = Stack::start(generation).await;
        stack
            .client
            .create_client(stack.target(), &new_client("nl-early"))
            .await
            .unwrap();
        stack.sim.go_down().await;
        let started = Instant::now();
        let e = stack
            .client
            .create_client(stack.target(), &new_client("nl-a"))
            .await
            .unwrap_err();
        assert_eq!(code(&e), ErrorCode::PanelUnavailable);
        assert!(started.elapsed() < BOUND);
        let status = stack.client.status(stack.target()).await.unwrap();
        assert!(
            !status.panel_reachable,
            "status reports a down panel instead of failing"
        );

        stack.sim.resume().await.unwrap();
        assert!(
            stack
                .client
                .create_client(stack.target(), &new_client("nl-a"))
                .await
                .unwrap()
                .created
        );
        assert_eq!(stack.sim.client_count(), 2);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_slow_panel_times_out() {
    let o = Options {
        panel_timeout: Duration::from_millis(500),
        ..Options::new(Generation::V3)
    };
    let stack = Stack::with(o).await;
    stack
        .client
        .get_client(stack.target(), "nl-warmup")
        .await
        .unwrap_err();
    stack.sim.set_fault(Fault::Slow(Duration::from_secs(2)));
    let started = Instant::now();
    let e = stack
        .client
        .get_client(stack.target(), "nl-a")
        .await
        .unwrap_err();
    assert_eq!(code(&e), ErrorCode::PanelTimeout);
    assert!(matches!(e, ClientError::Api { status: 504, .. }));
    assert!(started.elapsed() < BOUND, "{:?}", started.elapsed());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_panel_error_and_garbage_are_reported_as_such() {
    let stack = Stack::start(Generation::V3).await;
    // Even a login meeting a failing panel is a panel error, not a refusal (no cooldown).
    stack.sim.set_fault(Fault::ServerError);
    let e = stack
        .client
        .get_client(stack.target(), "nl-a")
        .await
        .unwrap_err();
    assert_eq!(code(&e), ErrorCode::PanelProtocol);
    stack.sim.set_fault(Fault::None);
    let e = stack
        .client
        .get_client(stack.target(), "nl-warmup")
        .await
        .unwrap_err();
    assert_eq!(
        code(&e),
        ErrorCode::NotFound,
        "logged in as soon as the panel is back"
    );
    stack.sim.set_fault(Fault::ServerError);
    let e = stack
        .client
        .get_client(stack.target(), "nl-a")
        .await
        .unwrap_err();
    assert_eq!(code(&e), ErrorCode::PanelProtocol);
    stack.sim.set_fault(Fault::Garbage);
    let e = stack
        .client
        .get_client(stack.target(), "nl-a")
        .await
        .unwrap_err();
    assert_eq!(code(&e), ErrorCode::PanelProtocol);
    // The message says what kind of trouble it is, not what the panel said.
    assert_eq!(
        e.to_string(),
        "the gateway answered 502 PanelProtocol: the panel answered something unexpected"
    );
    stack.sim.set_fault(Fault::None);
    assert!(
        stack
            .client
            .create_client(stack.target(), &new_client("nl-a"))
            .await
            .unwrap()
            .created
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_expired_session_is_renewed_once() {
    for generation in [Generation::V2, Generation::V3] {
        let stack = Stack::start(generation).await;
        stack
            .client
            .create_client(stack.target(), &new_client("nl-a"))
            .await
            .unwrap();
        assert_eq!(stack.sim.logins(), 1);
        for round in 2..=4 {
            stack.sim.expire_sessions();
            stack
                .client
                .get_client(stack.target(), "nl-a")
                .await
                .unwrap();
            assert_eq!(
                stack.sim.logins(),
                round,
                "{generation:?}: exactly one new login per lost session"
            );
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_refused_login_is_not_retried_in_a_loop() {
    let stack = Stack::with(Options {
        auth: PanelAuth::WrongPassword,
        ..Options::new(Generation::V3)
    })
    .await;
    for _ in 0..10 {
        let e = stack
            .client
            .get_client(stack.target(), "nl-a")
            .await
            .unwrap_err();
        assert_eq!(code(&e), ErrorCode::PanelAuth);
    }
    assert_eq!(
        stack.sim.logins(),
        1,
        "one refused login, then a cooldown: the panel never locks the account"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_lost_answer_and_a_retry_make_one_client() {
    for generation in [Generation::V2, Generation::V3] {
        let o = Options {
            panel_timeout: Duration::from_millis(400),
            ..Options::new(generation)
        };
        let stack = Stack::with(o).await;
        stack.client.inbounds(stack.target()).await.unwrap();
        // The panel creates the client but answers too late; the gateway reports a timeout,
        // the client retries, and the retry finds the client the first attempt made.
        stack
            .sim
            .set_fault(Fault::SlowWrites(Duration::from_millis(800)));
        let result = stack
            .client
            .create_client(stack.target(), &new_client("nl-a"))
            .await;
        stack.sim.set_fault(Fault::None);
        let created = match result {
            Ok(c) => c,
            Err(e) => {
                assert!(e.retryable(), "{e:?}");
                stack
                    .client
                    .create_client(stack.target(), &new_client("nl-a"))
                    .await
                    .unwrap()
            }
        };
        assert!(!created.created, "{generation:?}: found, not made again");
        assert_eq!(stack.sim.client_count(), 1, "{generation:?}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_login_after_garbage_fetches_a_fresh_csrf_token() {
    let stack = Stack::start(Generation::V3).await;
    // The first login meets garbage (its CSRF token route included)...
    stack.sim.set_fault(Fault::Garbage);
    let e = stack
        .client
        .get_client(stack.target(), "nl-a")
        .await
        .unwrap_err();
    assert_eq!(code(&e), ErrorCode::PanelProtocol);
    // ...and the next one, on a panel that answers again, logs in with a new token.
    stack.sim.set_fault(Fault::None);
    let made = stack
        .client
        .create_client(stack.target(), &new_client("nl-a"))
        .await
        .unwrap();
    assert!(made.created);
    // Later garbage and lost sessions never stick either.
    for _ in 0..2 {
        stack.sim.set_fault(Fault::Garbage);
        stack.sim.expire_sessions();
        let e = stack
            .client
            .get_client(stack.target(), "nl-a")
            .await
            .unwrap_err();
        assert_eq!(code(&e), ErrorCode::PanelProtocol);
        stack.sim.set_fault(Fault::None);
        stack
            .client
            .get_client(stack.target(), "nl-a")
            .await
            .unwrap();
    }
}
