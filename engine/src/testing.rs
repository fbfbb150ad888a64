//! In-memory executors and a small catalogue, for tests of the engine and of its adapters.
//! Enabled by the `testing` feature; never part of the shop itself.

use std::collections::HashMap;
use std::sync::Mutex;

use crate::actor::Actor;
use crate::effect::DiscordEffect;
use crate::executor::{DiscordEffects, ExecError, Provisioner};
use crate::ids::{MethodId, PlanId, ServerId, UserId};
use crate::money::{Currency, Money};
use crate::order::{ProvisionMode, ProvisionRequest, ProvisionedAccess};
use crate::payment_method::{MethodKind, PaymentMethod};
use crate::plan::{Plan, TrafficLimit};
use crate::server::{Server, ServerStatus};
use crate::subscription::AccessLink;

/// The admin every test fixture uses.
pub const ADMIN: Actor = Actor::Admin(UserId(900));

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

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
}

/// A provisioner that keeps clients in memory, keyed by email like a real panel: creating an
/// email that exists returns the existing client.
#[derive(Debug, Default)]
pub struct MemoryPanel {
    clients: Mutex<HashMap<String, MemoryClient>>,
    calls: Mutex<Vec<ProvisionRequest>>,
    failures: Mutex<Vec<ExecError>>,
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
            });
        if request.mode == ProvisionMode::Extend {
            client.expires_at = request.expires_at;
        }
        Ok(ProvisionedAccess {
            access: AccessLink::new(client.link.clone()),
            subscription_url: None,
            expires_at: client.expires_at,
        })
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
