//! In-memory executors and a small catalogue, for tests of the engine and of its adapters.
//! Enabled by the `testing` feature; never part of the shop itself.

use std::collections::HashMap;
use std::sync::Mutex;

use crate::actor::Actor;
use crate::effect::{DiscordEffect, PanelAction, PanelOp};
use crate::executor::{DiscordEffects, ExecError, PanelClient, Panels, Provisioner};
use crate::ids::{MethodId, PlanId, ServerId, UserId};
use crate::money::{Currency, Money};
use crate::order::{ProvisionMode, ProvisionRequest, ProvisionedAccess};
use crate::payment_method::{MethodKind, PaymentMethod};
use crate::plan::{Plan, TrafficLimit};
use crate::server::{Server, ServerStatus};
use crate::subscription::AccessLink;

/// The admin every test fixture uses.
pub const ADMIN: Actor = Actor::Admin(UserId(900));

use nebula_common::lock;

/// Records every Discord effect it is handed; can be told to fail.
#[derive(Debug, Default)]
pub struct RecordingDiscord {
    calls: Mutex<Vec<(String, DiscordEffect)>>,
    failures: Mutex<Option<ExecError>>,
}

impl RecordingDiscord {
    /// Every call so far: (idempotency key, effect).
    pub fn calls(&self) -> Vec<(String, DiscordEffect)> {
        lock(&self.calls).clone()
    }

    /// The names of the effects handed over so far, in order.
    pub fn names(&self) -> Vec<&'static str> {
        lock(&self.calls).iter().map(|(_, e)| e.name()).collect()
    }

    /// The subscriber notices handed over so far, in order.
    pub fn notices(&self) -> Vec<crate::effect::SubscriptionNotice> {
        lock(&self.calls)
            .iter()
            .filter_map(|(_, e)| match e {
                DiscordEffect::NotifySubscriber { notice, .. } => Some(notice.clone()),
                _ => None,
            })
            .collect()
    }

    /// Fail every call with `error` until [`RecordingDiscord::heal`].
    pub fn fail_with(&self, error: ExecError) {
        *lock(&self.failures) = Some(error);
    }

    pub fn heal(&self) {
        *lock(&self.failures) = None;
    }
}

impl DiscordEffects for RecordingDiscord {
    async fn execute(&self, key: &str, effect: &DiscordEffect) -> Result<(), ExecError> {
        if let Some(error) = lock(&self.failures).clone() {
            return Err(error);
        }
        lock(&self.calls).push((key.to_owned(), effect.clone()));
        Ok(())
    }
}

/// A client on the in-memory panel.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MemoryClient {
    pub server: ServerId,
    pub expires_at: jiff::Timestamp,
    pub link: String,
    pub enabled: bool,
    pub used_bytes: u64,
    pub traffic_limit_bytes: u64,
}

/// A provisioner that keeps clients in memory, keyed by email like a real panel: creating an
/// email that exists returns the existing client.
#[derive(Debug, Default)]
pub struct MemoryPanel {
    clients: Mutex<HashMap<String, MemoryClient>>,
    calls: Mutex<Vec<ProvisionRequest>>,
    failures: Mutex<Vec<ExecError>>,
    managed: Mutex<Vec<PanelOp>>,
    bulk_calls: Mutex<HashMap<ServerId, u32>>,
    down: Mutex<std::collections::HashSet<ServerId>>,
}

impl MemoryPanel {
    pub fn clients(&self) -> HashMap<String, MemoryClient> {
        lock(&self.clients).clone()
    }

    pub fn calls(&self) -> Vec<ProvisionRequest> {
        lock(&self.calls).clone()
    }

    /// The next calls fail with these errors, in order.
    pub fn fail_next(&self, errors: impl IntoIterator<Item = ExecError>) {
        lock(&self.failures).extend(errors);
    }

    /// Every disable and delete asked of the panel, in order.
    pub fn managed(&self) -> Vec<PanelOp> {
        lock(&self.managed).clone()
    }

    /// Bulk usage calls per server.
    pub fn bulk_calls(&self) -> HashMap<ServerId, u32> {
        lock(&self.bulk_calls).clone()
    }

    /// Traffic flows: a client's counter goes up.
    pub fn add_usage(&self, email: &str, bytes: u64) {
        if let Some(c) = lock(&self.clients).get_mut(email) {
            c.used_bytes += bytes;
        }
    }

    /// Puts a client on a panel behind the shop's back (or changes one), for drift tests.
    pub fn put_client(&self, email: &str, client: MemoryClient) {
        lock(&self.clients).insert(email.to_owned(), client);
    }

    pub fn remove_client(&self, email: &str) {
        lock(&self.clients).remove(email);
    }

    /// A server's panel stops (or starts) answering.
    pub fn set_down(&self, server: &ServerId, down: bool) {
        let mut set = lock(&self.down);
        if down {
            set.insert(server.clone());
        } else {
            set.remove(server);
        }
    }
}

impl Panels for MemoryPanel {
    async fn clients(&self, server: &Server) -> Result<Vec<PanelClient>, ExecError> {
        *lock(&self.bulk_calls).entry(server.id.clone()).or_insert(0) += 1;
        if lock(&self.down).contains(&server.id) {
            return Err(ExecError::transient("the panel does not answer"));
        }
        Ok(lock(&self.clients)
            .iter()
            .filter(|(_, c)| c.server == server.id)
            .map(|(email, c)| PanelClient {
                email: email.clone(),
                used_bytes: c.used_bytes,
                traffic_limit_bytes: c.traffic_limit_bytes,
                enabled: c.enabled,
                expires_at: Some(c.expires_at),
            })
            .collect())
    }

    async fn health(&self, server: &Server) -> Result<(), ExecError> {
        if lock(&self.down).contains(&server.id) {
            Err(ExecError::transient("the panel does not answer"))
        } else {
            Ok(())
        }
    }
}

impl Provisioner for MemoryPanel {
    async fn provision(
        &self,
        server: &Server,
        request: &ProvisionRequest,
    ) -> Result<ProvisionedAccess, ExecError> {
        lock(&self.calls).push(request.clone());
        {
            let mut failures = lock(&self.failures);
            if !failures.is_empty() {
                return Err(failures.remove(0));
            }
        }
        let mut clients = lock(&self.clients);
        let client = clients
            .entry(request.client_email.clone())
            .or_insert_with(|| MemoryClient {
                server: server.id.clone(),
                expires_at: request.expires_at,
                link: format!(
                    "vless://{}@{}:443?type=tcp&security=reality#{}",
                    request.order, server.public_host, request.client_email
                ),
                enabled: true,
                used_bytes: 0,
                traffic_limit_bytes: request.traffic.bytes().unwrap_or(0),
            });
        if request.mode == ProvisionMode::Extend {
            client.expires_at = request.expires_at;
            client.enabled = true;
            client.used_bytes = 0;
            client.traffic_limit_bytes = request.traffic.bytes().unwrap_or(0);
        }
        Ok(ProvisionedAccess {
            access: AccessLink::new(client.link.clone()),
            alternatives: Vec::new(),
            subscription_url: None,
            expires_at: client.expires_at,
        })
    }

    async fn manage(&self, _server: &Server, op: &PanelOp) -> Result<(), ExecError> {
        lock(&self.managed).push(op.clone());
        let mut clients = lock(&self.clients);
        match op.action {
            PanelAction::Disable => {
                if let Some(c) = clients.get_mut(&op.client_email) {
                    c.enabled = false;
                }
            }
            PanelAction::Delete => {
                clients.remove(&op.client_email);
            }
            PanelAction::ResetTraffic => {
                if let Some(c) = clients.get_mut(&op.client_email) {
                    c.enabled = true;
                    c.used_bytes = 0;
                }
            }
        }
        Ok(())
    }
}

pub fn egp(minor: i64) -> Money {
    Money::new(minor, Currency::from_code("EGP").expect("EGP is ISO 4217"))
}

/// A 30-day, 50 GB plan at 250.00 EGP.
pub fn month_plan() -> Plan {
    Plan {
        id: PlanId::new("month-50gb").expect("valid id"),
        name: "Month, 50 GB".into(),
        duration_days: 30,
        traffic: TrafficLimit::Bytes(50_000_000_000),
        device_limit: 2,
        price: egp(25_000),
        active: true,
        sort_key: 1,
        servers: 1,
        regions: Vec::new(),
        trial: None,
    }
}

/// A free 3-day, 1 GB trial, for everyone.
pub fn trial_plan() -> Plan {
    Plan {
        id: PlanId::new("trial-3d").expect("valid id"),
        name: "Trial, 3 days".into(),
        duration_days: 3,
        traffic: TrafficLimit::Bytes(1_000_000_000),
        device_limit: 1,
        price: egp(0),
        sort_key: 0,
        trial: Some(crate::trial::Trial::default()),
        ..month_plan()
    }
}

pub fn wallet_method() -> PaymentMethod {
    PaymentMethod {
        id: MethodId::new("wallet").expect("valid id"),
        label: "Mobile wallet".into(),
        kind: MethodKind::MobileWallet,
        instructions: "Send {amount} to 0100 000 0000 with reference {order}.".into(),
        min: None,
        max: None,
        enabled: true,
        provider: None,
    }
}

/// A method paid automatically through `provider`.
pub fn automatic_method(id: &str, provider: crate::payment::Provider) -> PaymentMethod {
    PaymentMethod {
        id: MethodId::new(id).expect("valid id"),
        label: provider.label().into(),
        kind: MethodKind::Crypto,
        instructions: "Pay {amount} for {order} on the page below.".into(),
        min: None,
        max: None,
        enabled: true,
        provider: Some(provider),
    }
}

/// Opens checkouts in memory: one per order (a second call finds the first), references
/// `inv-1`, `inv-2`, … in the order they were opened.
#[derive(Default)]
pub struct MemoryCheckouts {
    pub opened: Mutex<Vec<crate::payment::CheckoutRequest>>,
}

impl crate::executor::Checkouts for MemoryCheckouts {
    fn open<'a>(
        &'a self,
        request: &'a crate::payment::CheckoutRequest,
    ) -> futures_util::future::BoxFuture<'a, Result<crate::payment::Checkout, ExecError>> {
        Box::pin(async move {
            let mut opened = nebula_common::lock(&self.opened);
            let n = match opened.iter().position(|r| r.order == request.order) {
                Some(at) => at + 1,
                None => {
                    opened.push(request.clone());
                    opened.len()
                }
            };
            Ok(crate::payment::Checkout {
                provider: request.provider,
                reference: format!("inv-{n}"),
                url: format!("https://pay.example/i/inv-{n}"),
            })
        })
    }
}

pub fn server(id: &str, region: &str, capacity: u32) -> Server {
    Server {
        id: ServerId::new(id).expect("valid id"),
        name: format!("Server {id}"),
        region: region.into(),
        gateway_url: format!("http://127.0.0.1:1/{id}"),
        gateway_key_id: "k1".into(),
        inbound_id: 1,
        public_host: format!("{id}.vpn.example"),
        capacity,
        status: ServerStatus::Up,
        tags: vec![],
    }
}

/// Subscription number `i`: active on `server` since `now`, on the month plan, ending at `ends`,
/// with its reminders already sent (its next appointment is the expiry). For scale tests and
/// benchmarks that seed many at once with `Shop::seed_subscriptions`.
pub fn seeded_subscription(
    i: u64,
    server: &str,
    ends: jiff::Timestamp,
    now: jiff::Timestamp,
) -> crate::subscription::Subscription {
    use crate::ids::{OrderId, SubscriptionId};
    let key = ulid::Ulid::from_parts(now.as_millisecond() as u64, u128::from(i));
    let order = OrderId(key);
    let plan = month_plan();
    crate::subscription::Subscription {
        id: SubscriptionId(key),
        shopper: UserId(10_000 + i),
        server: ServerId::new(server).expect("valid id"),
        client_email: order.client_email(),
        access: AccessLink::new(format!("vless://{i}")),
        alternatives: Vec::new(),
        subscription_url: None,
        status: crate::subscription::SubscriptionStatus::Active,
        created_at: now,
        updated_at: now,
        expires_at: ends,
        traffic: plan.traffic,
        device_limit: plan.device_limit,
        plan,
        used_bytes: 0,
        orders: vec![order],
        reminders_sent: vec![72, 24],
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

/// A dump without what an admin alert writes (the outbox's tables): a refused command that
/// alerts the admins must leave everything else exactly as it was.
pub fn without_outbox(d: crate::store::backup::Dump) -> crate::store::backup::Dump {
    d.into_iter()
        .filter(|(t, _)| !t.starts_with("outbox"))
        .collect()
}
