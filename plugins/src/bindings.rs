//! Rust bindings for the three worlds of `nebula:policy` (`policies/wit/policy.wit`).

pub mod pricing {
    wasmtime::component::bindgen!({
        world: "pricing",
        path: "../policies/wit",
        additional_derives: [PartialEq],
    });
}

pub mod payment_methods {
    wasmtime::component::bindgen!({
        world: "payment-methods",
        path: "../policies/wit",
        additional_derives: [PartialEq],
    });
}

pub mod server_selection {
    wasmtime::component::bindgen!({
        world: "server-selection",
        path: "../policies/wit",
        additional_derives: [PartialEq],
    });
}
