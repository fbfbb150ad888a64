//! What adapters keep beside the engine: the ids they created in the outside world (so an
//! effect done again finds them instead of doing it twice), and operator settings made at
//! runtime (channels, roles), which are audited.

use super::records::{OrderRecord, load_order};
use super::{Core, Shop};
use crate::actor::Actor;
use crate::audit;
use crate::error::{Invalid, ShopError};
use crate::ids::OrderId;
use crate::store::{self, tables::*};

impl Shop {
    /// An id recorded under `key` (`order:<id>:channel`), if any.
    pub async fn external_ref(&self, key: impl Into<String>) -> Result<Option<String>, ShopError> {
        let key = key.into();
        self.blocking(move |core| {
            Ok(store::get(
                &store::begin_read(&core.db)?.open_table(EXTERNAL_REFS)?,
                EXTERNAL_REFS_NAME,
                key.as_str(),
            )?)
        })
        .await
    }

    pub async fn set_external_ref(
        &self,
        key: impl Into<String>,
        value: impl Into<String>,
    ) -> Result<(), ShopError> {
        self.set_external_refs(vec![(key.into(), value.into())])
            .await
    }

    /// Records several ids in one transaction, all or none: an order's channel and the way
    /// back from the channel to the order must not be found one without the other after a
    /// crash.
    pub async fn set_external_refs(&self, refs: Vec<(String, String)>) -> Result<(), ShopError> {
        self.blocking(move |core| {
            let txn = core.db.begin()?;
            {
                let mut table = txn.open_table(EXTERNAL_REFS)?;
                for (key, value) in &refs {
                    store::put(&mut table, key.as_str(), value)?;
                }
            }
            core.db.commit(txn)?;
            Ok(())
        })
        .await
    }

    pub async fn remove_external_ref(&self, key: impl Into<String>) -> Result<(), ShopError> {
        let key = key.into();
        self.blocking(move |core| {
            let txn = core.db.begin()?;
            txn.open_table(EXTERNAL_REFS)?.remove(key.as_str())?;
            core.db.commit(txn)?;
            Ok(())
        })
        .await
    }

    /// A runtime setting (`discord.review_channel`).
    pub async fn setting(&self, key: impl Into<String>) -> Result<Option<String>, ShopError> {
        let key = key.into();
        self.blocking(move |core| {
            Ok(store::get(
                &store::begin_read(&core.db)?.open_table(SETTINGS)?,
                SETTINGS_NAME,
                key.as_str(),
            )?)
        })
        .await
    }

    /// Changes a runtime setting; admin only, audited.
    pub async fn set_setting(
        &self,
        actor: Actor,
        key: impl Into<String>,
        value: impl Into<String>,
    ) -> Result<(), ShopError> {
        let (key, value) = (key.into(), value.into());
        self.blocking(move |core| core.set_setting(actor, key, value))
            .await
    }

    /// An order by the code shoppers quote (`NL-7K3F9Q2A`, any case).
    pub async fn order_by_code(&self, code: impl Into<String>) -> Result<OrderRecord, ShopError> {
        let code = code.into().trim().to_ascii_uppercase();
        self.blocking(move |core| {
            let read = store::begin_read(&core.db)?;
            let id = read
                .open_table(ORDER_CODES)?
                .get(code.as_str())?
                .map(|v| OrderId::from_key(v.value()))
                .ok_or_else(|| ShopError::NotFound {
                    what: "order",
                    id: code.clone(),
                })?;
            load_order(&read.open_table(ORDERS)?, id)
        })
        .await
    }
}

impl Core {
    fn set_setting(&self, actor: Actor, key: String, value: String) -> Result<(), ShopError> {
        actor.require_operator()?;
        if key.is_empty() || key.len() > 64 || value.len() > 1024 {
            return Err(Invalid::new(
                "setting",
                "keys are 1 to 64 characters, values at most 1024",
            )
            .into());
        }
        let txn = self.db.begin()?;
        store::put(&mut txn.open_table(SETTINGS)?, key.as_str(), &value)?;
        audit::record(
            &txn,
            self.now(),
            actor,
            "setting.set",
            format!("setting:{key}"),
            value,
        )?;
        self.db.commit(txn)?;
        Ok(())
    }
}
