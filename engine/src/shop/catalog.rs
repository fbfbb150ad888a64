//! Managing the catalogue: plans, payment methods, servers. Admin only; each change is audited,
//! and a change shoppers can see refreshes the shop panel.

use redb::ReadableTable;
use serde::Serialize;
use serde::de::DeserializeOwned;

use super::records::slots_taken;
use super::{Core, Shop};
use crate::actor::Actor;
use crate::audit;
use crate::effect::{DiscordEffect, Scheduled};
use crate::error::{Invalid, ShopError};
use crate::ids::{MethodId, PlanId, ServerId};
use crate::outbox;
use crate::payment_method::{MethodEdit, PaymentMethod};
use crate::plan::{Plan, PlanEdit};
use crate::server::{Server, ServerEdit};
use crate::store::{self, Txn, tables::*};

type Catalogue = redb::TableDefinition<'static, &'static str, &'static [u8]>;

/// One kind of catalogue entry and where it lives.
trait Entry: Serialize + DeserializeOwned + Send + 'static {
    const WHAT: &'static str;
    const TABLE: Catalogue;
    const TABLE_NAME: &'static str;
    /// Whether shoppers see it on the panel (a change refreshes the panel).
    const ON_PANEL: bool;
    fn id(&self) -> &str;
    fn validate(&self) -> Result<(), Invalid>;
}

impl Entry for Plan {
    const WHAT: &'static str = "plan";
    const TABLE: Catalogue = PLANS;
    const TABLE_NAME: &'static str = PLANS_NAME;
    const ON_PANEL: bool = true;
    fn id(&self) -> &str {
        self.id.as_str()
    }
    fn validate(&self) -> Result<(), Invalid> {
        Plan::validate(self)
    }
}

impl Entry for PaymentMethod {
    const WHAT: &'static str = "method";
    const TABLE: Catalogue = METHODS;
    const TABLE_NAME: &'static str = METHODS_NAME;
    const ON_PANEL: bool = true;
    fn id(&self) -> &str {
        self.id.as_str()
    }
    fn validate(&self) -> Result<(), Invalid> {
        PaymentMethod::validate(self)
    }
}

impl Entry for Server {
    const WHAT: &'static str = "server";
    const TABLE: Catalogue = SERVERS;
    const TABLE_NAME: &'static str = SERVERS_NAME;
    const ON_PANEL: bool = false;
    fn id(&self) -> &str {
        self.id.as_str()
    }
    fn validate(&self) -> Result<(), Invalid> {
        Server::validate(self)
    }
}

impl Shop {
    pub async fn add_plan(&self, actor: Actor, plan: Plan) -> Result<Plan, ShopError> {
        self.blocking(move |core| core.add(actor, plan)).await
    }

    pub async fn edit_plan(
        &self,
        actor: Actor,
        id: PlanId,
        edit: PlanEdit,
    ) -> Result<Plan, ShopError> {
        self.blocking(move |core| {
            core.edit(actor, id.as_str(), "edit", |p: Plan| Ok(edit.apply(p)))
        })
        .await
    }

    pub async fn add_method(
        &self,
        actor: Actor,
        method: PaymentMethod,
    ) -> Result<PaymentMethod, ShopError> {
        self.blocking(move |core| core.add(actor, method)).await
    }

    pub async fn edit_method(
        &self,
        actor: Actor,
        id: MethodId,
        edit: MethodEdit,
    ) -> Result<PaymentMethod, ShopError> {
        self.blocking(move |core| {
            core.edit(actor, id.as_str(), "edit", |m: PaymentMethod| {
                Ok(edit.apply(m))
            })
        })
        .await
    }

    pub async fn add_server(&self, actor: Actor, server: Server) -> Result<Server, ShopError> {
        self.blocking(move |core| core.add(actor, server)).await
    }

    pub async fn edit_server(
        &self,
        actor: Actor,
        id: ServerId,
        edit: ServerEdit,
    ) -> Result<Server, ShopError> {
        self.blocking(move |core| {
            core.edit(actor, id.as_str(), "edit", |s: Server| Ok(edit.apply(s)))
        })
        .await
    }

    /// Removes a server that no longer holds any active subscription (drain it first).
    pub async fn remove_server(&self, actor: Actor, id: ServerId) -> Result<Server, ShopError> {
        self.blocking(move |core| core.remove_server(actor, id))
            .await
    }
}

impl Core {
    fn add<E: Entry>(&self, actor: Actor, entry: E) -> Result<E, ShopError> {
        actor.require_admin()?;
        entry.validate()?;
        let txn = self.db.begin()?;
        {
            let mut table = txn.open_table(E::TABLE)?;
            if table.get(entry.id())?.is_some() {
                return Err(ShopError::AlreadyExists {
                    what: E::WHAT,
                    id: entry.id().to_owned(),
                });
            }
            store::put(&mut table, entry.id(), &entry)?;
        }
        self.audit_change::<E>(&txn, actor, "add", entry.id())?;
        self.db.commit(txn)?;
        self.outbox_written.notify_one();
        Ok(entry)
    }

    fn edit<E: Entry>(
        &self,
        actor: Actor,
        id: &str,
        verb: &str,
        change: impl FnOnce(E) -> Result<E, ShopError>,
    ) -> Result<E, ShopError> {
        actor.require_admin()?;
        let txn = self.db.begin()?;
        let entry = {
            let mut table = txn.open_table(E::TABLE)?;
            let current: E =
                store::get(&table, E::TABLE_NAME, id)?.ok_or_else(|| ShopError::NotFound {
                    what: E::WHAT,
                    id: id.to_owned(),
                })?;
            let entry = change(current)?;
            entry.validate()?;
            store::put(&mut table, id, &entry)?;
            entry
        };
        self.audit_change::<E>(&txn, actor, verb, id)?;
        self.db.commit(txn)?;
        self.outbox_written.notify_one();
        Ok(entry)
    }

    fn audit_change<E: Entry>(
        &self,
        txn: &Txn,
        actor: Actor,
        verb: &str,
        id: &str,
    ) -> Result<(), ShopError> {
        let now = self.now();
        let audit_id = audit::record(
            txn,
            now,
            actor,
            &format!("{}.{verb}", E::WHAT),
            format!("{}:{id}", E::WHAT),
            String::new(),
        )?;
        if E::ON_PANEL {
            outbox::enqueue(
                txn,
                format!("panel/audit{audit_id}"),
                Scheduled::now(DiscordEffect::RefreshPanel),
                now,
            )?;
        }
        Ok(())
    }

    fn remove_server(&self, actor: Actor, id: ServerId) -> Result<Server, ShopError> {
        actor.require_admin()?;
        let txn = self.db.begin()?;
        let server = {
            let mut table = txn.open_table(SERVERS)?;
            let server: Server =
                store::get(&table, SERVERS_NAME, id.as_str())?.ok_or_else(|| {
                    ShopError::NotFound {
                        what: "server",
                        id: id.to_string(),
                    }
                })?;
            let active = slots_taken(&txn.open_table(SERVER_SLOTS)?, id.as_str())?;
            if active > 0 {
                return Err(Invalid::new(
                    "server",
                    format!("still holds {active} slot(s) (active subscriptions or orders being set up); drain it and let them move or expire first"),
                )
                .into());
            }
            table.remove(id.as_str())?;
            server
        };
        self.audit_change::<Server>(&txn, actor, "remove", id.as_str())?;
        self.db.commit(txn)?;
        Ok(server)
    }
}
