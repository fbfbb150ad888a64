//! Moving shoppers off servers that can no longer serve them: drained by an admin, or down for
//! longer than the operator allows. Each active client on such a server gets a new client on
//! another server (chosen by the server-selection policy, never one its group already uses);
//! the result retires the old subscription and deletes its client (see `effects`). The
//! subscription URL lists the new client at once; the shopper does nothing.

use std::collections::HashMap;

use jiff::Timestamp;
use serde::{Deserialize, Serialize};
use tracing::info;

use super::orders::{Settled, candidates};
use super::records::{group_members, panel_view, write_subscription};
use super::upkeep::{ServerHealth, alert_admins};
use super::{Core, Shop};
use crate::effect::{Effect, Scheduled};
use crate::error::ShopError;
use crate::ids::{ServerId, SubscriptionId};
use crate::order::{ProvisionMode, ProvisionRequest};
use crate::outbox;
use crate::policy::{Candidate, SelectionInput};
use crate::server::{Server, ServerStatus};
use crate::store::{self, millis, tables::*};
use crate::subscription::{Subscription, SubscriptionStatus};

/// What one planning run did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct MoveReport {
    /// Servers whose clients must move.
    pub servers: usize,
    /// Moves written to the outbox.
    pub planned: usize,
    /// Subscriptions no other server could take (the admins are told).
    pub stuck: usize,
}

/// Why a server's clients must move, if they must: drained, or down since `since` for longer
/// than `after` allows (`None`: never for being down). Pure.
pub fn must_move(
    server: &Server,
    health: Option<&ServerHealth>,
    after: Option<jiff::SignedDuration>,
    now: Timestamp,
) -> Option<&'static str> {
    if server.status == ServerStatus::Draining {
        return Some("drained");
    }
    let down_since = health.filter(|h| !h.up).map(|h| h.since)?;
    let limit = after?;
    (now.duration_since(down_since) >= limit).then_some("down too long")
}

/// One planned move.
struct Planned {
    from: SubscriptionId,
    request: ProvisionRequest,
}

impl Shop {
    /// Plans a move for every active client on a drained server or on one down too long.
    /// Run by the health job; a subscription already moving is left alone.
    pub async fn plan_moves(&self) -> Result<MoveReport, ShopError> {
        self.blocking(|core| core.plan_moves()).await
    }
}

impl Core {
    fn plan_moves(&self) -> Result<MoveReport, ShopError> {
        let now = self.now();
        let mut report = MoveReport::default();
        let read = store::begin_read(&self.db)?;
        let servers: Vec<Server> = store::all(&read.open_table(SERVERS)?, SERVERS_NAME)?;
        let health = read.open_table(SERVER_HEALTH)?;
        let mut sources = Vec::new();
        for s in &servers {
            let h: Option<ServerHealth> = store::get(&health, SERVER_HEALTH_NAME, s.id.as_str())?;
            if let Some(why) = must_move(s, h.as_ref(), self.settings.move_after_down, now) {
                sources.push((s, why));
            }
        }
        if sources.is_empty() {
            return Ok(report);
        }
        report.servers = sources.len();
        let mut pool: Vec<Candidate> = candidates(&read)?;
        pool.retain(|c| !sources.iter().any(|(s, _)| s.id == c.id));
        let subs = read.open_table(SUBSCRIPTIONS)?;
        let by_shopper = read.open_table(SUBS_BY_SHOPPER)?;
        let index = read.open_table(SUBS_BY_SERVER)?;
        let mut planned = Vec::new();
        let mut stuck: HashMap<ServerId, (usize, String)> = HashMap::new();
        for (source, why) in &sources {
            for row in index.range((source.id.as_str(), 0u128)..=(source.id.as_str(), u128::MAX))? {
                let (key, row) = row?;
                if panel_view(key.value().1, row.value())?.status != SubscriptionStatus::Active {
                    continue;
                }
                let Some(sub) =
                    store::get::<u128, Subscription>(&subs, SUBSCRIPTIONS_NAME, key.value().1)?
                else {
                    continue;
                };
                if sub.moving.is_some() {
                    continue;
                }
                let taken: Vec<ServerId> =
                    group_members(&subs, &by_shopper, sub.shopper, sub.group_id())?
                        .into_iter()
                        .map(|m| m.server)
                        .collect();
                match self.destination(&sub, source, &pool, &taken) {
                    Ok((server, region)) => {
                        if let Some(c) = pool.iter_mut().find(|c| c.id == server) {
                            c.take_slot();
                        }
                        let id = SubscriptionId(self.new_ulid(now));
                        info!(subscription = %sub.id, from = %source.id, to = %server, why, "planning a move");
                        planned.push(Planned {
                            from: sub.id,
                            request: ProvisionRequest {
                                order: *sub.orders.last().expect("a subscription has its order"),
                                attempt: 1,
                                subscription: id,
                                server,
                                region,
                                client_email: id.client_email(),
                                expires_at: sub.expires_at,
                                traffic: sub.traffic,
                                device_limit: sub.device_limit,
                                mode: ProvisionMode::Create,
                                also: Vec::new(),
                            },
                        });
                    }
                    Err(reason) => {
                        let entry = stuck.entry(source.id.clone()).or_insert((0, reason));
                        entry.0 += 1;
                    }
                }
            }
        }
        drop((subs, by_shopper, index, health));
        drop(read);
        report.stuck = stuck.values().map(|(n, _)| n).sum();
        report.planned = self.write_moves(planned, &stuck, now)?;
        Ok(report)
    }

    /// Where `sub` goes: a server with room that its group does not use yet, in one of its
    /// plan's regions if the plan names any, its own region preferred (asked first; a policy
    /// that finds nothing there is asked again without a preference).
    fn destination(
        &self,
        sub: &Subscription,
        source: &Server,
        pool: &[Candidate],
        taken: &[ServerId],
    ) -> Result<(ServerId, String), String> {
        let candidates: Vec<Candidate> = pool
            .iter()
            .filter(|c| !taken.contains(&c.id) && c.has_room())
            .filter(|c| sub.plan.regions.is_empty() || sub.plan.regions.contains(&c.region))
            .cloned()
            .collect();
        if candidates.is_empty() {
            return Err("no other server is up with room".into());
        }
        let mut plan = sub.plan.clone();
        plan.servers = 1;
        let mut input = SelectionInput {
            plan,
            preferred_region: Some(source.region.clone()),
            candidates,
        };
        let servers = match self.select(&input) {
            Settled::Chosen(servers, ..) => servers,
            Settled::NoServer(..) => {
                input.preferred_region = None;
                match self.select(&input) {
                    Settled::Chosen(servers, ..) => servers,
                    Settled::NoServer(reason, _) => return Err(reason),
                }
            }
        };
        let server = servers.into_iter().next().ok_or("no server chosen")?;
        let region = input
            .candidates
            .iter()
            .find(|c| c.id == server)
            .map(|c| c.region.clone())
            .unwrap_or_default();
        Ok((server, region))
    }

    /// Marks each subscription as moving and writes its move, in one transaction; one alert per
    /// server (and hour) for what could not move.
    fn write_moves(
        &self,
        planned: Vec<Planned>,
        stuck: &HashMap<ServerId, (usize, String)>,
        now: Timestamp,
    ) -> Result<usize, ShopError> {
        let rules = &self.settings.lifecycle;
        let txn = self.db.begin()?;
        let mut written = 0;
        for p in planned {
            let old: Option<Subscription> = store::get(
                &txn.open_table(SUBSCRIPTIONS)?,
                SUBSCRIPTIONS_NAME,
                p.from.key(),
            )?;
            // Changed since it was read: the next run looks again.
            let Some(old) =
                old.filter(|s| s.moving.is_none() && s.status == SubscriptionStatus::Active)
            else {
                continue;
            };
            let mut sub = old.clone();
            sub.moving = Some(p.request.subscription);
            write_subscription(&txn, &mut sub, Some(&old), rules)?;
            let key = format!("sub:{}/move/{}", p.from, p.request.subscription);
            let effect = Effect::Move {
                from: p.from,
                request: p.request,
            };
            if outbox::enqueue(&txn, key, Scheduled::now(effect), now)?.is_some() {
                written += 1;
            }
        }
        let hour = millis(now) / 3_600_000;
        for (server, (count, reason)) in stuck {
            alert_admins(
                &txn,
                format!("server:{server}/stuck/{hour}"),
                crate::alert::AlertKind::MovesStuck {
                    server: server.to_string(),
                    count: *count,
                    reason: reason.to_string(),
                },
                now,
            )?;
        }
        self.db.commit(txn)?;
        if written > 0 || !stuck.is_empty() {
            self.outbox_written.notify_one();
        }
        Ok(written)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::server;

    fn at(text: &str) -> Timestamp {
        text.parse().unwrap()
    }

    #[test]
    fn a_server_must_move_when_drained_or_down_too_long() {
        let now = at("2026-12-01T12:00:00Z");
        let up = server("fra-1", "eu", 10);
        let drained = Server {
            status: ServerStatus::Draining,
            ..up.clone()
        };
        let down_since = |since: &str| ServerHealth {
            up: false,
            since: at(since),
            checked_at: now,
            error: Some("no answer".into()),
        };
        let hour = Some(jiff::SignedDuration::from_hours(1));
        let long = down_since("2026-12-01T10:00:00Z");
        let short = down_since("2026-12-01T11:30:00Z");
        let table = [
            (&up, None, hour, None),
            (&drained, None, hour, Some("drained")),
            (&up, Some(&short), hour, None),
            (&up, Some(&long), hour, Some("down too long")),
            (&up, Some(&long), None, None),
        ];
        for (s, health, after, want) in table {
            assert_eq!(
                must_move(s, health, after, now),
                want,
                "{:?} {health:?}",
                s.status
            );
        }
    }
}
