//! The gateway that runs next to each 3x-ui panel, and the shop's signing client for it.
//!
//! Empty on purpose: the gateway issue fills it in. Its client will implement
//! [`nebula_engine::executor::Provisioner`].
