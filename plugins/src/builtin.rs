//! The policies that ship with the shop, built from `policies/` and checked in as `.wasm` (so the
//! shop runs without any wasm toolchain; CI rebuilds them and fails if a byte differs).

use nebula_engine::policy::PolicyKind;

/// A policy shipped with the shop.
#[derive(Debug, Clone, Copy)]
pub struct Builtin {
    pub kind: PolicyKind,
    pub name: &'static str,
    pub bytes: &'static [u8],
}

/// What a new shop starts with, one per kind.
pub const DEFAULTS: [Builtin; 3] = [
    Builtin {
        kind: PolicyKind::Pricing,
        name: "pricing-default",
        bytes: include_bytes!("../../policies/dist/pricing-default.wasm"),
    },
    Builtin {
        kind: PolicyKind::PaymentMethods,
        name: "payment-default",
        bytes: include_bytes!("../../policies/dist/payment-default.wasm"),
    },
    Builtin {
        kind: PolicyKind::ServerSelection,
        name: "server-balanced",
        bytes: include_bytes!("../../policies/dist/server-balanced.wasm"),
    },
];

/// Examples of what operators can do, ready to install.
pub const EXAMPLES: [Builtin; 2] = [
    Builtin {
        kind: PolicyKind::Pricing,
        name: "weekend-sale",
        bytes: include_bytes!("../../policies/dist/weekend-sale.wasm"),
    },
    Builtin {
        kind: PolicyKind::ServerSelection,
        name: "region-affinity",
        bytes: include_bytes!("../../policies/dist/region-affinity.wasm"),
    },
];

pub fn default_for(kind: PolicyKind) -> Builtin {
    DEFAULTS[kind.key() as usize]
}
