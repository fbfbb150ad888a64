//! The wasmtime host for NebulaLinks policies.
//!
//! Empty on purpose: the policies issue fills it in. It will implement
//! [`nebula_engine::policy::Policies`] by calling WebAssembly components.
