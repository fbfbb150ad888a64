//! What operators do with policies: list, dry-run, install, activate (and roll back), change the
//! config, replay an order's decisions. The bot wires these to slash commands and the CLI.
//!
//! Install is a pipeline; any step that fails leaves everything as it was:
//! size check → compile → type-check against the world → the policy's own test vectors → a dry
//! run over the last N real inputs (how many decisions change, with examples) → store the bytes
//! and their sha256 in the engine's database → cache the compiled artifact → activate.

use std::sync::Arc;

use nebula_engine::actor::Actor;
use nebula_engine::ids::OrderId;
use nebula_engine::policy::{
    ActivePolicy, Decision, DecisionRecord, PolicyConfig, PolicyKind, PolicyStamp, PolicyVersion,
};
use nebula_engine::shop::Shop;
use tracing::{info, warn};

use crate::builtin;
use crate::error::{CallError, InstallError};
use crate::host::{Loaded, PolicyHost};

/// How a candidate policy would have decided the recent real inputs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DryRunReport {
    pub kind: PolicyKind,
    /// Recorded inputs replayed.
    pub checked: usize,
    /// Of those, how many would be decided differently.
    pub changed: usize,
    /// A few of the changes.
    pub examples: Vec<DryRunChange>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DryRunChange {
    pub order: OrderId,
    pub before: String,
    pub after: String,
}

/// What an install did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InstallReport {
    pub version: PolicyVersion,
    pub vectors_passed: usize,
    pub dry_run: DryRunReport,
    pub active: ActivePolicy,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PolicyListing {
    pub version: PolicyVersion,
    pub active: bool,
}

/// One recorded decision run again.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Replayed {
    pub kind: PolicyKind,
    pub stamp: PolicyStamp,
    /// Same outcome and same fuel as recorded (`None`: nothing to replay, see `detail`).
    pub reproduced: Option<bool>,
    pub detail: String,
}

/// How many changed decisions a dry run shows.
const EXAMPLES: usize = 5;

#[derive(Clone)]
pub struct PolicyAdmin {
    host: Arc<PolicyHost>,
    shop: Shop,
}

impl PolicyAdmin {
    pub fn new(host: Arc<PolicyHost>, shop: Shop) -> Self {
        PolicyAdmin { host, shop }
    }

    pub fn host(&self) -> &Arc<PolicyHost> {
        &self.host
    }

    /// At start: loads the active version of each kind from the database (from its cached
    /// artifact when there is one), or installs the built-in default where none is active.
    pub async fn bootstrap(&self) -> Result<(), InstallError> {
        for kind in PolicyKind::ALL {
            match self.shop.active_policy(kind).await? {
                Some(active) => {
                    let loaded = self
                        .load_version(kind, &active.sha256, active.config)
                        .await?;
                    info!(%kind, name = %loaded.name, policy = %loaded.sha256, "policy loaded");
                    self.host.swap(loaded);
                }
                None => {
                    let b = builtin::default_for(kind);
                    let report = self
                        .install(Actor::System, kind, b.name.into(), b.bytes.to_vec(), None)
                        .await?;
                    info!(%kind, name = b.name, policy = %report.version.sha256, "built-in policy installed");
                }
            }
        }
        Ok(())
    }

    /// Every stored version, and which are live.
    pub async fn list(&self) -> Result<Vec<PolicyListing>, InstallError> {
        let mut out = Vec::new();
        let versions = self.shop.policy_versions(None).await?;
        for kind in PolicyKind::ALL {
            let active = self.shop.active_policy(kind).await?.map(|a| a.sha256);
            for v in versions.iter().filter(|v| v.kind == kind) {
                out.push(PolicyListing {
                    active: active.as_deref() == Some(v.sha256.as_str()),
                    version: v.clone(),
                });
            }
        }
        Ok(out)
    }

    /// Everything install checks, without storing or activating: the number of test vectors
    /// passed and how the recent real inputs would be decided.
    pub async fn dry_run(
        &self,
        kind: PolicyKind,
        bytes: Vec<u8>,
        config: Option<PolicyConfig>,
    ) -> Result<(usize, DryRunReport), InstallError> {
        let config = self.config_for(kind, "", config).await?;
        let (_, vectors, report) = self.vet(kind, "dry-run".into(), bytes, config).await?;
        Ok((vectors, report))
    }

    /// The whole pipeline; on success the policy is live. With no `config`, a new version of
    /// the live policy keeps the live config; another policy starts with none.
    pub async fn install(
        &self,
        actor: Actor,
        kind: PolicyKind,
        name: String,
        bytes: Vec<u8>,
        config: Option<PolicyConfig>,
    ) -> Result<InstallReport, InstallError> {
        let config = self.config_for(kind, &name, config).await?;
        let (loaded, vectors_passed, dry_run) = self
            .vet(kind, name.clone(), bytes.clone(), config.clone())
            .await?;
        let version = self.shop.store_policy(actor, kind, name, bytes).await?;
        self.cache_artifact(&loaded).await;
        let active = self
            .shop
            .activate_policy(actor, kind, version.sha256.clone(), config)
            .await?;
        self.host.swap(loaded);
        Ok(InstallReport {
            version,
            vectors_passed,
            dry_run,
            active,
        })
    }

    /// Makes a stored version live (a rollback is the activation of an older one). With no
    /// `config`, keeps the live config if it is the same policy, else none.
    pub async fn activate(
        &self,
        actor: Actor,
        kind: PolicyKind,
        sha256: String,
        config: Option<PolicyConfig>,
    ) -> Result<ActivePolicy, InstallError> {
        let version = self
            .shop
            .policy_versions(Some(kind))
            .await?
            .into_iter()
            .find(|v| v.sha256 == sha256)
            .ok_or_else(|| InstallError::UnknownVersion {
                kind,
                sha256: sha256.clone(),
            })?;
        let config = self.config_for(kind, &version.name, config).await?;
        let loaded = self.load_version(kind, &sha256, config.clone()).await?;
        let host = self.host.clone();
        let loaded = blocking(move || host.run_vectors(&loaded).map(|_| loaded)).await?;
        let active = self
            .shop
            .activate_policy(actor, kind, sha256, config)
            .await?;
        self.host.swap(loaded);
        Ok(active)
    }

    /// Changes the live policy's config (its vectors run again first).
    pub async fn set_config(
        &self,
        actor: Actor,
        kind: PolicyKind,
        config: PolicyConfig,
    ) -> Result<ActivePolicy, InstallError> {
        let active = self
            .shop
            .active_policy(kind)
            .await?
            .ok_or(InstallError::Shop(nebula_engine::ShopError::NotFound {
                what: "active policy",
                id: kind.to_string(),
            }))?;
        self.activate(actor, kind, active.sha256, Some(config))
            .await
    }

    /// Runs each of an order's recorded decisions again on the version and config that made
    /// it, and says whether the outcome and the fuel are the same.
    pub async fn replay(&self, order: OrderId) -> Result<Vec<Replayed>, InstallError> {
        let mut out = Vec::new();
        for record in self.shop.order_decisions(order).await? {
            let stamp = record.decision.stamp().clone();
            let kind = record.decision.kind();
            if stamp.hash == "native" {
                out.push(Replayed {
                    kind,
                    stamp,
                    reproduced: None,
                    detail: "decided by built-in code".into(),
                });
                continue;
            }
            let config = if stamp.config.is_empty() {
                Some(Vec::new())
            } else {
                self.shop.policy_config(stamp.config.clone()).await?
            };
            let Some(config) = config else {
                out.push(Replayed {
                    kind,
                    stamp,
                    reproduced: None,
                    detail: "its config is no longer stored".into(),
                });
                continue;
            };
            let loaded = match self.load_version(kind, &stamp.hash, config).await {
                Ok(l) => l,
                Err(e) => {
                    out.push(Replayed {
                        kind,
                        stamp,
                        reproduced: None,
                        detail: e.to_string(),
                    });
                    continue;
                }
            };
            let host = self.host.clone();
            let again = blocking(move || Ok(decide(&host, &loaded, &record))).await?;
            let (reproduced, detail) = match again {
                Ok((same, fuel)) => (
                    same && fuel == stamp.fuel,
                    format!("fuel {} then, {fuel} now", stamp.fuel),
                ),
                Err(e) => (false, format!("failed now: {e}")),
            };
            out.push(Replayed {
                kind,
                stamp,
                reproduced: Some(reproduced),
                detail,
            });
        }
        Ok(out)
    }

    /// A stored version ready to call: from its cached artifact if this host made one, else
    /// compiled from its bytes (and the artifact cached for next time).
    pub async fn load_version(
        &self,
        kind: PolicyKind,
        sha256: &str,
        config: PolicyConfig,
    ) -> Result<Loaded, InstallError> {
        let name = self
            .shop
            .policy_versions(Some(kind))
            .await?
            .into_iter()
            .find(|v| v.sha256 == sha256)
            .map(|v| v.name)
            .ok_or_else(|| InstallError::UnknownVersion {
                kind,
                sha256: sha256.to_owned(),
            })?;
        let fingerprint = self.host.fingerprint();
        let artifact = self
            .shop
            .policy_artifact(sha256.to_owned(), fingerprint)
            .await?;
        let host = self.host.clone();
        let cached = match artifact {
            Some(a) => blocking(move || Ok(host.from_artifact(&a))).await?,
            None => None,
        };
        let (component, fresh) = match cached {
            Some(c) => (c, false),
            None => {
                let bytes = self
                    .shop
                    .policy_bytes(sha256.to_owned())
                    .await?
                    .ok_or_else(|| InstallError::UnknownVersion {
                        kind,
                        sha256: sha256.to_owned(),
                    })?;
                let host = self.host.clone();
                (blocking(move || host.compile(&bytes)).await?, true)
            }
        };
        let host = self.host.clone();
        let sha = sha256.to_owned();
        let loaded = blocking(move || host.prepare(kind, &name, &sha, component, config)).await?;
        if fresh {
            self.cache_artifact(&loaded).await;
        }
        Ok(loaded)
    }

    async fn cache_artifact(&self, loaded: &Loaded) {
        let host = self.host.clone();
        let component = loaded.component.clone();
        let artifact = match blocking(move || host.artifact(&component)).await {
            Ok(a) => a,
            Err(e) => {
                return warn!(policy = %loaded.sha256, error = %e, "could not serialise a compiled policy");
            }
        };
        if let Err(e) = self
            .shop
            .put_policy_artifact(loaded.sha256.clone(), self.host.fingerprint(), artifact)
            .await
        {
            warn!(policy = %loaded.sha256, error = %e, "could not cache a compiled policy");
        }
    }

    async fn config_for(
        &self,
        kind: PolicyKind,
        name: &str,
        config: Option<PolicyConfig>,
    ) -> Result<PolicyConfig, InstallError> {
        if let Some(c) = config {
            return Ok(c);
        }
        Ok(match self.shop.active_policy(kind).await? {
            Some(active) if active.name == name => active.config,
            _ => Vec::new(),
        })
    }

    /// Compile, type-check, vectors, dry run: everything but storing and activating.
    async fn vet(
        &self,
        kind: PolicyKind,
        name: String,
        bytes: Vec<u8>,
        config: PolicyConfig,
    ) -> Result<(Loaded, usize, DryRunReport), InstallError> {
        let recent = self
            .shop
            .recent_decisions(kind, self.host.limits().dry_run_inputs)
            .await?;
        let host = self.host.clone();
        blocking(move || {
            let sha256 = nebula_common::hex_sha256(&bytes);
            let component = host.compile(&bytes)?;
            let loaded = host.prepare(kind, &name, &sha256, component, config)?;
            let vectors = host.run_vectors(&loaded)?;
            let mut report = DryRunReport {
                kind,
                checked: 0,
                changed: 0,
                examples: Vec::new(),
            };
            for record in &recent {
                let (same, _) =
                    decide(&host, &loaded, record).map_err(|error| InstallError::DryRunFailed {
                        order: record.order.to_string(),
                        error,
                    })?;
                report.checked += 1;
                if !same {
                    report.changed += 1;
                    if report.examples.len() < EXAMPLES {
                        let after = describe_new(&host, &loaded, record);
                        report.examples.push(DryRunChange {
                            order: record.order,
                            before: describe(&record.decision),
                            after,
                        });
                    }
                }
            }
            Ok((loaded, vectors, report))
        })
        .await
    }
}

/// Runs `loaded` on a recorded decision's input: whether it decides the same, and the fuel.
fn decide(
    host: &PolicyHost,
    loaded: &Loaded,
    record: &DecisionRecord,
) -> Result<(bool, u64), CallError> {
    Ok(match &record.decision {
        Decision::Pricing { input, decision } => {
            let (outcome, fuel) = host.decide_pricing(loaded, input)?;
            (outcome == decision.outcome, fuel)
        }
        Decision::PaymentMethods { input, decision } => {
            let (ops, fuel) = host.decide_methods(loaded, input)?;
            (ops == decision.ops, fuel)
        }
        Decision::ServerSelection { input, decision } => {
            let (outcome, fuel) = host.decide_selection(loaded, input)?;
            (outcome == decision.outcome, fuel)
        }
    })
}

fn describe(decision: &Decision) -> String {
    match decision {
        Decision::Pricing { decision, .. } => format!("{:?}", decision.outcome),
        Decision::PaymentMethods { decision, .. } => format!("{:?}", decision.ops),
        Decision::ServerSelection { decision, .. } => format!("{:?}", decision.outcome),
    }
}

fn describe_new(host: &PolicyHost, loaded: &Loaded, record: &DecisionRecord) -> String {
    match &record.decision {
        Decision::Pricing { input, .. } => host
            .decide_pricing(loaded, input)
            .map(|(o, _)| format!("{o:?}")),
        Decision::PaymentMethods { input, .. } => host
            .decide_methods(loaded, input)
            .map(|(o, _)| format!("{o:?}")),
        Decision::ServerSelection { input, .. } => host
            .decide_selection(loaded, input)
            .map(|(o, _)| format!("{o:?}")),
    }
    .unwrap_or_else(|e| e.to_string())
}

/// CPU-heavy work (compiling, running policies) off the async executor.
async fn blocking<T: Send + 'static>(
    f: impl FnOnce() -> Result<T, InstallError> + Send + 'static,
) -> Result<T, InstallError> {
    tokio::task::spawn_blocking(f)
        .await
        .map_err(|e| InstallError::Internal(e.to_string()))?
}
