//! The policy host: one wasmtime engine, a pre-instantiated form of each loaded policy, a fresh
//! `Store` with every limit for each call, and one slot per policy kind that swaps atomically
//! (calls in flight finish on the version they started with).

use std::hash::{Hash, Hasher};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::thread::JoinHandle;

use arc_swap::ArcSwapOption;
use nebula_engine::policy::{
    MethodOp, MethodsDecision, MethodsInput, Policies, PolicyConfig, PolicyError, PolicyFailure,
    PolicyKind, PolicyStamp, PricingDecision, PricingInput, PricingOutcome, SelectionDecision,
    SelectionInput, SelectionOutcome, config_digest,
};
use sha2::{Digest, Sha256};
use tracing::warn;
use wasmtime::component::types::ComponentItem;
use wasmtime::component::{Component, Linker};
use wasmtime::{
    Config, Engine, InstanceAllocationStrategy, PoolingAllocationConfig, Store, StoreLimits,
    StoreLimitsBuilder, Trap,
};

use crate::bindings::payment_methods::PaymentMethodsPre;
use crate::bindings::pricing::PricingPre;
use crate::bindings::server_selection::ServerSelectionPre;
use crate::convert;
use crate::error::{CallError, InstallError};
use crate::limits::{EPOCH_TICK, Limits};

/// The WIT package this host speaks.
pub const PACKAGE: &str = "nebula:policy@1.0.0";
const PACKAGE_NAME: &str = "nebula:policy";
const VERSION: &str = "1.0.0";

/// What each call's store holds: its resource limits.
pub struct CallState {
    limits: StoreLimits,
}

/// A policy ready to be called: checked, pre-instantiated, with its config.
pub struct Loaded {
    pub kind: PolicyKind,
    pub name: String,
    pub sha256: String,
    pub config: PolicyConfig,
    pub config_digest: String,
    pub(crate) component: Component,
    pre: KindPre,
}

enum KindPre {
    Pricing(PricingPre<CallState>),
    PaymentMethods(PaymentMethodsPre<CallState>),
    ServerSelection(ServerSelectionPre<CallState>),
}

impl Loaded {
    fn stamp(&self, fuel: u64) -> PolicyStamp {
        PolicyStamp {
            name: self.name.clone(),
            hash: self.sha256.clone(),
            fuel,
            config: self.config_digest.clone(),
        }
    }

    /// The same policy with another config (no recompilation).
    pub fn with_config(&self, config: PolicyConfig) -> Loaded {
        Loaded {
            kind: self.kind,
            name: self.name.clone(),
            sha256: self.sha256.clone(),
            config_digest: config_digest(&config),
            config,
            component: self.component.clone(),
            pre: match &self.pre {
                KindPre::Pricing(p) => KindPre::Pricing(p.clone()),
                KindPre::PaymentMethods(p) => KindPre::PaymentMethods(p.clone()),
                KindPre::ServerSelection(p) => KindPre::ServerSelection(p.clone()),
            },
        }
    }
}

/// Ticks the engine's epoch, so a call past its deadline is interrupted.
struct Ticker {
    stop: Arc<AtomicBool>,
    thread: Option<JoinHandle<()>>,
}

impl Drop for Ticker {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

pub struct PolicyHost {
    engine: Engine,
    linker: Linker<CallState>,
    limits: Limits,
    slots: [ArcSwapOption<Loaded>; 3],
    _ticker: Ticker,
}

impl PolicyHost {
    pub fn new(limits: Limits) -> Result<PolicyHost, wasmtime::Error> {
        let mut pool = PoolingAllocationConfig::new();
        pool.total_component_instances(limits.instances)
            .total_core_instances(limits.instances)
            .total_memories(limits.instances)
            .total_tables(limits.instances)
            .max_memory_size(limits.memory_bytes);
        let mut config = Config::new();
        config
            .wasm_component_model(true)
            .consume_fuel(true)
            .epoch_interruption(true)
            .max_wasm_stack(limits.stack_bytes)
            .allocation_strategy(InstanceAllocationStrategy::Pooling(pool));
        let engine = Engine::new(&config)?;

        let mut linker = Linker::new(&engine);
        // The shared types interface: types only, no functions.
        linker.instance(&format!("{PACKAGE_NAME}/types@{VERSION}"))?;

        let stop = Arc::new(AtomicBool::new(false));
        let thread = {
            let (engine, stop) = (engine.clone(), stop.clone());
            std::thread::Builder::new()
                .name("policy-epoch".into())
                .spawn(move || {
                    while !stop.load(Ordering::Relaxed) {
                        std::thread::sleep(EPOCH_TICK);
                        engine.increment_epoch();
                    }
                })?
        };
        Ok(PolicyHost {
            engine,
            linker,
            limits,
            slots: Default::default(),
            _ticker: Ticker {
                stop,
                thread: Some(thread),
            },
        })
    }

    pub fn limits(&self) -> &Limits {
        &self.limits
    }

    /// Identifies this host's compiled code: artifacts are only reused under the same one.
    pub fn fingerprint(&self) -> u64 {
        let mut h = std::collections::hash_map::DefaultHasher::new();
        self.engine.precompile_compatibility_hash().hash(&mut h);
        self.limits.stack_bytes.hash(&mut h);
        h.finish()
    }

    /// Size check and compilation.
    pub fn compile(&self, bytes: &[u8]) -> Result<Component, InstallError> {
        if bytes.len() > self.limits.max_policy_bytes {
            return Err(InstallError::TooLarge {
                bytes: bytes.len(),
                max: self.limits.max_policy_bytes,
            });
        }
        Component::new(&self.engine, bytes).map_err(|e| InstallError::NotAComponent(root_cause(&e)))
    }

    /// The bytes to cache for a compiled component: its SHA-256, then wasmtime's serialization.
    pub fn artifact(&self, component: &Component) -> Result<Vec<u8>, InstallError> {
        let code = component
            .serialize()
            .map_err(|e| InstallError::Internal(root_cause(&e)))?;
        let mut out = Sha256::digest(&code).to_vec();
        out.extend_from_slice(&code);
        Ok(out)
    }

    /// Loads an artifact this host made (see [`PolicyHost::artifact`]); `None` if it does not
    /// check out, and the caller compiles from the wasm instead.
    pub fn from_artifact(&self, artifact: &[u8]) -> Option<Component> {
        let (sum, code) = artifact.split_at_checked(32)?;
        if Sha256::digest(code).as_slice() != sum {
            warn!("a cached policy artifact failed its checksum; recompiling");
            return None;
        }
        // SAFETY: the artifact was produced by `Component::serialize` of this service (it only
        // ever stores its own artifacts, under this host's fingerprint) and its checksum matches.
        unsafe { Component::deserialize(&self.engine, code) }.ok()
    }

    /// Checks the component is a policy of `kind` for this WIT version, importing nothing but
    /// the shared types, and pre-instantiates it.
    pub fn prepare(
        &self,
        kind: PolicyKind,
        name: &str,
        sha256: &str,
        component: Component,
        config: PolicyConfig,
    ) -> Result<Loaded, InstallError> {
        self.check_shape(kind, &component)?;
        let pre =
            self.linker
                .instantiate_pre(&component)
                .map_err(|e| InstallError::NotAPolicy {
                    expected: kind,
                    detail: root_cause(&e),
                })?;
        let not_policy = |e: wasmtime::Error| InstallError::NotAPolicy {
            expected: kind,
            detail: root_cause(&e),
        };
        let pre = match kind {
            PolicyKind::Pricing => KindPre::Pricing(PricingPre::new(pre).map_err(not_policy)?),
            PolicyKind::PaymentMethods => {
                KindPre::PaymentMethods(PaymentMethodsPre::new(pre).map_err(not_policy)?)
            }
            PolicyKind::ServerSelection => {
                KindPre::ServerSelection(ServerSelectionPre::new(pre).map_err(not_policy)?)
            }
        };
        Ok(Loaded {
            kind,
            name: name.to_owned(),
            sha256: sha256.to_owned(),
            config_digest: config_digest(&config),
            config,
            component,
            pre,
        })
    }

    fn check_shape(&self, kind: PolicyKind, component: &Component) -> Result<(), InstallError> {
        let ty = component.component_type();
        for (name, item) in ty.imports(&self.engine) {
            let types_only = match &item.ty {
                ComponentItem::ComponentInstance(i) => i
                    .exports(&self.engine)
                    .all(|(_, e)| matches!(e.ty, ComponentItem::Type(_))),
                _ => false,
            };
            match parse_interface(name) {
                Some(("types", version)) if types_only && version == VERSION => {}
                Some(("types", version)) if types_only => {
                    return Err(InstallError::WrongVersion {
                        expected: PACKAGE.into(),
                        found: format!("{PACKAGE_NAME}@{version}"),
                    });
                }
                _ => return Err(InstallError::Imports(name.to_owned())),
            }
        }
        let expected = format!("{}-policy", kind.name());
        let mut exported = Vec::new();
        for (name, _) in ty.exports(&self.engine) {
            match parse_interface(name) {
                Some((iface, version)) if iface == expected && version == VERSION => return Ok(()),
                Some((iface, version)) if iface == expected => {
                    return Err(InstallError::WrongVersion {
                        expected: PACKAGE.into(),
                        found: format!("{PACKAGE_NAME}@{version}"),
                    });
                }
                Some((iface, _)) => {
                    if let Some(found) = PolicyKind::ALL
                        .into_iter()
                        .find(|k| format!("{}-policy", k.name()) == iface)
                    {
                        return Err(InstallError::WrongWorld {
                            expected: kind,
                            found,
                        });
                    }
                    exported.push(name.to_owned());
                }
                None => exported.push(name.to_owned()),
            }
        }
        Err(InstallError::NotAPolicy {
            expected: kind,
            detail: if exported.is_empty() {
                "it exports nothing".into()
            } else {
                format!("it exports {}", exported.join(", "))
            },
        })
    }

    /// Makes `loaded` the live policy of its kind; returns the one it replaced.
    pub fn swap(&self, loaded: Loaded) -> Option<Arc<Loaded>> {
        self.slots[loaded.kind.key() as usize].swap(Some(Arc::new(loaded)))
    }

    /// The live policy of a kind.
    pub fn active(&self, kind: PolicyKind) -> Option<Arc<Loaded>> {
        self.slots[kind.key() as usize].load_full()
    }

    fn store(&self) -> Store<CallState> {
        let limits = StoreLimitsBuilder::new()
            .memory_size(self.limits.memory_bytes)
            .instances(8)
            .memories(8)
            .tables(8)
            .trap_on_grow_failure(true)
            .build();
        let mut store = Store::new(&self.engine, CallState { limits });
        store.limiter(|s| &mut s.limits);
        store
            .set_fuel(self.limits.fuel)
            .expect("fuel is enabled on this engine");
        store.set_epoch_deadline(self.limits.deadline_ticks());
        store
    }

    /// Runs `f` in a fresh store; returns its result and the fuel it used.
    fn call<R>(
        &self,
        f: impl FnOnce(&mut Store<CallState>) -> wasmtime::Result<R>,
    ) -> Result<(R, u64), CallError> {
        let mut store = self.store();
        let result = f(&mut store);
        let left = store.get_fuel().unwrap_or(0);
        let used = self.limits.fuel - left;
        match result {
            Ok(r) => Ok((r, used)),
            Err(e) => Err(match e.downcast_ref::<Trap>() {
                Some(Trap::OutOfFuel) => CallError::OutOfFuel {
                    fuel: self.limits.fuel,
                },
                Some(Trap::Interrupt) => CallError::Deadline,
                Some(Trap::StackOverflow) => CallError::StackOverflow,
                Some(trap) => CallError::Trap(format!("{trap}: {}", root_cause(&e))),
                None => CallError::Trap(root_cause(&e)),
            }),
        }
    }

    fn check_input(
        &self,
        engine_input: &impl serde::Serialize,
        config: &PolicyConfig,
    ) -> Result<(), CallError> {
        let bytes = serde_json::to_vec(engine_input)
            .map(|v| v.len())
            .unwrap_or(usize::MAX)
            + config
                .iter()
                .map(|(k, v)| k.len() + v.len() + 8)
                .sum::<usize>();
        if bytes > self.limits.max_input_bytes {
            return Err(CallError::InputTooLarge {
                bytes,
                max: self.limits.max_input_bytes,
            });
        }
        Ok(())
    }

    fn check_output(&self, bytes: usize) -> Result<(), CallError> {
        if bytes > self.limits.max_output_bytes {
            return Err(CallError::OutputTooLarge {
                bytes,
                max: self.limits.max_output_bytes,
            });
        }
        Ok(())
    }

    /// Runs a pricing policy on an engine input: the outcome and the fuel it used.
    pub fn decide_pricing(
        &self,
        loaded: &Loaded,
        input: &PricingInput,
    ) -> Result<(PricingOutcome, u64), CallError> {
        let KindPre::Pricing(pre) = &loaded.pre else {
            return Err(CallError::NotLoaded(PolicyKind::Pricing));
        };
        self.check_input(input, &loaded.config)?;
        let wit = convert::pricing_input(input, &loaded.config);
        let (out, fuel) = self.call(|s| {
            pre.instantiate(&mut *s)?
                .nebula_policy_pricing_policy()
                .call_decide(s, &wit)
        })?;
        self.check_output(convert::pricing_output_size(&out))?;
        Ok((
            convert::pricing_outcome(out, input.plan.price.currency)?,
            fuel,
        ))
    }

    pub fn decide_methods(
        &self,
        loaded: &Loaded,
        input: &MethodsInput,
    ) -> Result<(Vec<MethodOp>, u64), CallError> {
        let KindPre::PaymentMethods(pre) = &loaded.pre else {
            return Err(CallError::NotLoaded(PolicyKind::PaymentMethods));
        };
        self.check_input(input, &loaded.config)?;
        let wit = convert::methods_input(input, &loaded.config);
        let (out, fuel) = self.call(|s| {
            pre.instantiate(&mut *s)?
                .nebula_policy_payment_methods_policy()
                .call_decide(s, &wit)
        })?;
        self.check_output(convert::methods_output_size(&out))?;
        Ok((convert::method_ops(out)?, fuel))
    }

    pub fn decide_selection(
        &self,
        loaded: &Loaded,
        input: &SelectionInput,
    ) -> Result<(SelectionOutcome, u64), CallError> {
        let KindPre::ServerSelection(pre) = &loaded.pre else {
            return Err(CallError::NotLoaded(PolicyKind::ServerSelection));
        };
        self.check_input(input, &loaded.config)?;
        let wit = convert::selection_input(input, &loaded.config);
        let (out, fuel) = self.call(|s| {
            pre.instantiate(&mut *s)?
                .nebula_policy_server_selection_policy()
                .call_decide(s, &wit)
        })?;
        self.check_output(convert::selection_output_size(&out))?;
        Ok((convert::selection_outcome(out)?, fuel))
    }

    /// Runs the policy's own test vectors; returns how many passed (all, or an error).
    pub fn run_vectors(&self, loaded: &Loaded) -> Result<usize, InstallError> {
        macro_rules! vectors {
            ($pre:expr, $iface:ident) => {{
                let pre = $pre;
                let (vectors, _) = self
                    .call(|s| pre.instantiate(&mut *s)?.$iface().call_test_vectors(s))
                    .map_err(InstallError::VectorsFailed)?;
                for (index, v) in vectors.iter().enumerate() {
                    let (got, _) = self
                        .call(|s| pre.instantiate(&mut *s)?.$iface().call_decide(s, &v.input))
                        .map_err(InstallError::VectorsFailed)?;
                    if got != v.expected {
                        return Err(InstallError::VectorMismatch {
                            index,
                            expected: format!("{:?}", v.expected),
                            got: format!("{got:?}"),
                        });
                    }
                }
                Ok(vectors.len())
            }};
        }
        match &loaded.pre {
            KindPre::Pricing(pre) => vectors!(pre, nebula_policy_pricing_policy),
            KindPre::PaymentMethods(pre) => vectors!(pre, nebula_policy_payment_methods_policy),
            KindPre::ServerSelection(pre) => vectors!(pre, nebula_policy_server_selection_policy),
        }
    }

    fn live(&self, kind: PolicyKind) -> Result<Arc<Loaded>, PolicyError> {
        self.active(kind).ok_or_else(|| PolicyError {
            kind,
            policy_hash: "none".into(),
            failure: PolicyFailure::NotLoaded,
            message: CallError::NotLoaded(kind).to_string(),
        })
    }
}

/// Logs a failed call with the policy's hash and turns it into the engine's error.
fn failed(loaded: &Loaded, error: CallError) -> PolicyError {
    warn!(kind = %loaded.kind, policy = %loaded.sha256, name = %loaded.name, %error, "policy call failed");
    PolicyError {
        kind: loaded.kind,
        policy_hash: loaded.sha256.clone(),
        failure: error.failure(),
        message: error.to_string(),
    }
}

/// Runs one policy call and records it: calls by outcome, latency and fuel, labelled with the
/// policy's kind and hash (the version an operator activated).
fn observed<R>(
    loaded: &Loaded,
    call: impl FnOnce() -> Result<(R, u64), CallError>,
) -> Result<(R, u64), PolicyError> {
    let started = std::time::Instant::now();
    let result = call();
    let kind = loaded.kind.to_string();
    let policy = loaded.sha256.clone();
    let outcome = match &result {
        Ok(_) => "ok",
        Err(e) => e.failure().name(),
    };
    metrics::counter!("nebula_shop_policy_calls_total", "kind" => kind.clone(), "policy" => policy.clone(), "outcome" => outcome)
        .increment(1);
    metrics::histogram!("nebula_shop_policy_call_seconds", "kind" => kind.clone(), "policy" => policy.clone())
        .record(started.elapsed().as_secs_f64());
    if let Ok((_, fuel)) = &result {
        metrics::histogram!("nebula_shop_policy_fuel", "kind" => kind, "policy" => policy)
            .record(*fuel as f64);
    }
    result.map_err(|e| failed(loaded, e))
}

impl Policies for PolicyHost {
    fn price(&self, input: &PricingInput) -> Result<PricingDecision, PolicyError> {
        let loaded = self.live(PolicyKind::Pricing)?;
        let (outcome, fuel) = observed(&loaded, || self.decide_pricing(&loaded, input))?;
        Ok(PricingDecision {
            outcome,
            stamp: loaded.stamp(fuel),
        })
    }

    fn payment_methods(&self, input: &MethodsInput) -> Result<MethodsDecision, PolicyError> {
        let loaded = self.live(PolicyKind::PaymentMethods)?;
        let (ops, fuel) = observed(&loaded, || self.decide_methods(&loaded, input))?;
        Ok(MethodsDecision {
            ops,
            stamp: loaded.stamp(fuel),
        })
    }

    fn select_server(&self, input: &SelectionInput) -> Result<SelectionDecision, PolicyError> {
        let loaded = self.live(PolicyKind::ServerSelection)?;
        let (outcome, fuel) = observed(&loaded, || self.decide_selection(&loaded, input))?;
        Ok(SelectionDecision {
            outcome,
            stamp: loaded.stamp(fuel),
        })
    }
}

/// `nebula:policy/pricing-policy@1.0.0` → `("pricing-policy", "1.0.0")`.
fn parse_interface(name: &str) -> Option<(&str, &str)> {
    let rest = name.strip_prefix(PACKAGE_NAME)?.strip_prefix('/')?;
    rest.split_once('@')
}

/// The innermost cause of a wasmtime error: what an operator can act on.
fn root_cause(e: &wasmtime::Error) -> String {
    e.chain()
        .last()
        .map(ToString::to_string)
        .unwrap_or_else(|| e.to_string())
}
