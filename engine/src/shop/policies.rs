//! Where policies live: versions and their bytes (opaque to the engine), which version is active
//! with which config, compiled artifacts the host cached, and the decisions recorded on orders.

use redb::ReadableTable;

use super::{Core, Shop};
use crate::actor::Actor;
use crate::audit;
use crate::effect::{DiscordEffect, Scheduled};
use crate::error::{Invalid, ShopError};
use crate::ids::OrderId;
use crate::outbox;
use crate::policy::{
    ActivePolicy, DecisionRecord, PolicyConfig, PolicyKind, PolicyVersion, config_digest,
};
use crate::store::{self, Txn, tables::*};

/// Largest policy accepted, in bytes.
pub const MAX_POLICY_BYTES: usize = 4 * 1024 * 1024;

impl Shop {
    /// Stores a policy's bytes as a version of `kind` (the same bytes again return the stored
    /// version). Checking that the bytes are a valid policy is the host's job, before this.
    pub async fn store_policy(
        &self,
        actor: Actor,
        kind: PolicyKind,
        name: String,
        bytes: Vec<u8>,
    ) -> Result<PolicyVersion, ShopError> {
        self.blocking(move |core| core.store_policy(actor, kind, name, bytes))
            .await
    }

    /// Makes a stored version the live one for its kind, with `config`.
    pub async fn activate_policy(
        &self,
        actor: Actor,
        kind: PolicyKind,
        sha256: String,
        config: PolicyConfig,
    ) -> Result<ActivePolicy, ShopError> {
        self.blocking(move |core| core.activate_policy(actor, kind, sha256, config))
            .await
    }

    /// Stored versions, oldest first (all kinds, or one).
    pub async fn policy_versions(
        &self,
        kind: Option<PolicyKind>,
    ) -> Result<Vec<PolicyVersion>, ShopError> {
        self.blocking(move |core| {
            let read = store::begin_read(&core.db)?;
            let mut all: Vec<PolicyVersion> =
                store::all(&read.open_table(POLICY_VERSIONS)?, POLICY_VERSIONS_NAME)?;
            all.retain(|v| kind.is_none_or(|k| v.kind == k));
            all.sort_by_key(|v| v.installed_at);
            Ok(all)
        })
        .await
    }

    pub async fn active_policy(&self, kind: PolicyKind) -> Result<Option<ActivePolicy>, ShopError> {
        self.blocking(move |core| {
            Ok(store::get(
                &store::begin_read(&core.db)?.open_table(POLICY_ACTIVE)?,
                POLICY_ACTIVE_NAME,
                kind.name(),
            )?)
        })
        .await
    }

    /// A stored version's bytes.
    pub async fn policy_bytes(&self, sha256: String) -> Result<Option<Vec<u8>>, ShopError> {
        self.blocking(move |core| {
            let read = store::begin_read(&core.db)?;
            let table = read.open_table(POLICY_BYTES)?;
            let Some(v) = table.get(sha256.as_str())? else {
                return Ok(None);
            };
            Ok(Some(store::envelope::decode_blob(
                POLICY_BYTES_NAME,
                v.value(),
            )?))
        })
        .await
    }

    /// A config by its digest (every config ever activated is kept).
    pub async fn policy_config(&self, digest: String) -> Result<Option<PolicyConfig>, ShopError> {
        self.blocking(move |core| {
            Ok(store::get(
                &store::begin_read(&core.db)?.open_table(POLICY_CONFIGS)?,
                POLICY_CONFIGS_NAME,
                digest.as_str(),
            )?)
        })
        .await
    }

    /// A compiled artifact the policy host stored for `sha256` under its `fingerprint`.
    pub async fn policy_artifact(
        &self,
        sha256: String,
        fingerprint: u64,
    ) -> Result<Option<Vec<u8>>, ShopError> {
        self.blocking(move |core| {
            let read = store::begin_read(&core.db)?;
            let table = read.open_table(POLICY_ARTIFACTS)?;
            let Some(v) = table.get((sha256.as_str(), fingerprint))? else {
                return Ok(None);
            };
            Ok(Some(store::envelope::decode_blob(
                POLICY_ARTIFACTS_NAME,
                v.value(),
            )?))
        })
        .await
    }

    pub async fn put_policy_artifact(
        &self,
        sha256: String,
        fingerprint: u64,
        artifact: Vec<u8>,
    ) -> Result<(), ShopError> {
        self.blocking(move |core| {
            let txn = core.db.begin()?;
            txn.open_table(POLICY_ARTIFACTS)?.insert(
                (sha256.as_str(), fingerprint),
                store::envelope::encode_blob(&artifact).as_slice(),
            )?;
            core.db.commit(txn)?;
            Ok(())
        })
        .await
    }

    /// The most recent decisions of one kind, newest first: the inputs a dry run replays.
    pub async fn recent_decisions(
        &self,
        kind: PolicyKind,
        limit: usize,
    ) -> Result<Vec<DecisionRecord>, ShopError> {
        self.blocking(move |core| {
            let read = store::begin_read(&core.db)?;
            let mut out = Vec::new();
            for row in read.open_table(DECISIONS)?.iter()?.rev() {
                if out.len() == limit {
                    break;
                }
                let (key, value) = row?;
                if key.value().2 == kind.key() {
                    out.push(store::envelope::decode(DECISIONS_NAME, value.value())?);
                }
            }
            Ok(out)
        })
        .await
    }

    /// Every decision recorded for an order, in the order they were made.
    pub async fn order_decisions(&self, order: OrderId) -> Result<Vec<DecisionRecord>, ShopError> {
        self.blocking(move |core| {
            let read = store::begin_read(&core.db)?;
            let mut out = Vec::new();
            let k = order.key();
            for row in read
                .open_table(DECISIONS)?
                .range((k, 0, 0)..=(k, u32::MAX, u8::MAX))?
            {
                out.push(store::envelope::decode(DECISIONS_NAME, row?.1.value())?);
            }
            Ok(out)
        })
        .await
    }
}

impl Core {
    fn store_policy(
        &self,
        actor: Actor,
        kind: PolicyKind,
        name: String,
        bytes: Vec<u8>,
    ) -> Result<PolicyVersion, ShopError> {
        actor.require_operator()?;
        if bytes.is_empty() || bytes.len() > MAX_POLICY_BYTES {
            return Err(
                Invalid::new("policy", format!("must be 1 to {MAX_POLICY_BYTES} bytes")).into(),
            );
        }
        let name = name.trim().to_owned();
        if name.is_empty() || name.len() > 64 {
            return Err(Invalid::new("name", "must be 1 to 64 characters").into());
        }
        let sha256 = nebula_common::hex_sha256(&bytes);
        let now = self.now();
        let txn = self.db.begin()?;
        let existing: Option<PolicyVersion> = store::get(
            &txn.open_table(POLICY_VERSIONS)?,
            POLICY_VERSIONS_NAME,
            sha256.as_str(),
        )?;
        if let Some(v) = existing {
            if v.kind != kind {
                return Err(Invalid::new(
                    "policy",
                    format!("these bytes are stored as a {} policy", v.kind),
                )
                .into());
            }
            return Ok(v);
        }
        let version = PolicyVersion {
            kind,
            name,
            sha256: sha256.clone(),
            size: bytes.len() as u64,
            installed_at: now,
            installed_by: actor,
        };
        store::put(
            &mut txn.open_table(POLICY_VERSIONS)?,
            sha256.as_str(),
            &version,
        )?;
        txn.open_table(POLICY_BYTES)?.insert(
            sha256.as_str(),
            store::envelope::encode_blob(&bytes).as_slice(),
        )?;
        audit::record(
            &txn,
            now,
            actor,
            "policy.store",
            format!("policy:{sha256}"),
            format!("{kind} {} ({} bytes)", version.name, version.size),
        )?;
        self.db.commit(txn)?;
        Ok(version)
    }

    fn activate_policy(
        &self,
        actor: Actor,
        kind: PolicyKind,
        sha256: String,
        config: PolicyConfig,
    ) -> Result<ActivePolicy, ShopError> {
        actor.require_operator()?;
        let now = self.now();
        let txn = self.db.begin()?;
        let version: PolicyVersion = store::get(
            &txn.open_table(POLICY_VERSIONS)?,
            POLICY_VERSIONS_NAME,
            sha256.as_str(),
        )?
        .ok_or_else(|| ShopError::NotFound {
            what: "policy version",
            id: sha256.clone(),
        })?;
        if version.kind != kind {
            return Err(Invalid::new(
                "policy",
                format!("{sha256} is a {} policy, not {kind}", version.kind),
            )
            .into());
        }
        let digest = config_digest(&config);
        store::put(
            &mut txn.open_table(POLICY_CONFIGS)?,
            digest.as_str(),
            &config,
        )?;
        let active = ActivePolicy {
            kind,
            name: version.name,
            sha256,
            config,
            activated_at: now,
            activated_by: actor,
        };
        store::put(&mut txn.open_table(POLICY_ACTIVE)?, kind.name(), &active)?;
        let audit_id = audit::record(
            &txn,
            now,
            actor,
            "policy.activate",
            format!("policy:{}", active.sha256),
            format!("{kind} {} with config {}", active.name, &digest[..12]),
        )?;
        // Prices and methods on the panel may change with the policy.
        outbox::enqueue(
            &txn,
            format!("panel/audit{audit_id}"),
            Scheduled::now(DiscordEffect::RefreshPanel),
            now,
        )?;
        self.db.commit(txn)?;
        self.outbox_written.notify_one();
        Ok(active)
    }
}

/// Writes the decisions a command made, in its transaction.
pub(super) fn record_decisions(txn: &Txn, records: &[DecisionRecord]) -> Result<(), ShopError> {
    let mut table = txn.open_table(DECISIONS)?;
    for r in records {
        store::put(
            &mut table,
            (r.order.key(), r.seq, r.decision.kind().key()),
            r,
        )?;
    }
    Ok(())
}
