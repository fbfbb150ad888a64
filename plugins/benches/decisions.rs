//! Per-decision latency of each default policy through the wasm host (fresh store, fuel,
//! limits, conversion both ways), against the same logic called as plain Rust in the same run;
//! and how long a hot swap takes from a precompiled artifact and from raw wasm.
//!
//! `cargo bench -p nebula-plugins` (calls per policy: `NEBULA_BENCH_CALLS`, default 5000).

use std::hint::black_box;
use std::time::{Duration, Instant};

use nebula_engine::money::Money;
use nebula_engine::payment_method::MethodKind;
use nebula_engine::policy::{
    Candidate, MethodSummary, MethodsInput, Policies, PolicyKind, PricingInput, Purchase,
    SelectionInput, ShopperProfile,
};
use nebula_engine::server::ServerStatus;
use nebula_engine::testing::{egp, month_plan};
use nebula_plugins::{Limits, PolicyHost, builtin};
use policy_logic::{methods, pricing, selection};

fn main() {
    let calls: usize = std::env::var("NEBULA_BENCH_CALLS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(5000);
    let host = PolicyHost::new(Limits::default()).expect("host");
    let pricing_config: Vec<(String, String)> = [
        ("coupon.WELCOME", "percent=20; first-order-only"),
        ("coupon.FIVER", "fixed=500; until=2027-01-31"),
        ("first-order.percent", "10"),
        ("loyalty.after", "3"),
        ("loyalty.percent", "5"),
        ("plan.vip.roles", "42,43"),
    ]
    .iter()
    .map(|(k, v)| (k.to_string(), v.to_string()))
    .collect();
    let methods_config = vec![("order".to_string(), "bank,wallet,card".to_string())];
    let selection_config = vec![("weight.s3".to_string(), "2".to_string())];
    for b in builtin::DEFAULTS {
        let config = match b.kind {
            PolicyKind::Pricing => pricing_config.clone(),
            PolicyKind::PaymentMethods => methods_config.clone(),
            PolicyKind::ServerSelection => selection_config.clone(),
        };
        let component = host.compile(b.bytes).expect("compiles");
        host.swap(
            host.prepare(b.kind, b.name, "bench", component, config)
                .expect("a policy"),
        );
    }

    let pricing_input = PricingInput {
        plan: month_plan(),
        shopper: ShopperProfile {
            id: nebula_engine::ids::UserId(7),
            paid_orders: 0,
            first_seen: None,
            roles: vec![42],
        },
        coupon: Some("WELCOME".into()),
        purchase: Purchase::New,
        now: "2026-11-24T10:00:00Z".parse().unwrap(),
    };
    let method = |id: &str, min: Option<Money>, max: Option<Money>| MethodSummary {
        id: id.parse().unwrap(),
        label: id.into(),
        kind: MethodKind::MobileWallet,
        min,
        max,
    };
    let methods_input = MethodsInput {
        plan: month_plan(),
        price: egp(22_500),
        shopper: pricing_input.shopper.clone(),
        methods: vec![
            method("wallet", None, Some(egp(100_000))),
            method("bank", Some(egp(20_000)), None),
            method("card", None, None),
            method("crypto", Some(egp(50_000)), None),
        ],
    };
    let selection_input = SelectionInput {
        plan: month_plan(),
        preferred_region: Some("eu".into()),
        candidates: (0..10)
            .map(|i| Candidate {
                id: format!("s{i}").parse().unwrap(),
                region: if i % 2 == 0 { "eu" } else { "us" }.into(),
                capacity: 1000,
                active_clients: i * 70,
                status: ServerStatus::Up,
                load_permille: i * 70,
                tags: vec![],
            })
            .collect(),
    };

    println!("per-decision latency over {calls} calls (p50 / p99)");
    let rows = [
        (
            "pricing-default",
            measure(calls, || {
                black_box(host.price(black_box(&pricing_input)).unwrap());
            }),
            measure(calls, || {
                black_box(native_pricing(black_box(&pricing_input), &pricing_config));
            }),
        ),
        (
            "payment-default",
            measure(calls, || {
                black_box(host.payment_methods(black_box(&methods_input)).unwrap());
            }),
            measure(calls, || {
                black_box(native_methods(black_box(&methods_input), &methods_config));
            }),
        ),
        (
            "server-balanced",
            measure(calls, || {
                black_box(host.select_server(black_box(&selection_input)).unwrap());
            }),
            measure(calls, || {
                black_box(
                    native_selection(black_box(&selection_input), &selection_config).unwrap(),
                );
            }),
        ),
    ];
    for (name, wasm, native) in rows {
        println!(
            "  {name:<16} wasm host {:>9} / {:>9}   plain Rust {:>9} / {:>9}   wasm/native at p50: {:.0}x",
            fmt(wasm.0),
            fmt(wasm.1),
            fmt(native.0),
            fmt(native.1),
            wasm.0.as_secs_f64() / native.0.as_secs_f64().max(1e-9)
        );
    }

    // Hot swap: from raw wasm (compile) and from the precompiled artifact the host made.
    let bytes = builtin::DEFAULTS[0].bytes;
    let artifact = host.artifact(&host.compile(bytes).unwrap()).unwrap();
    let from_wasm = median((0..15).map(|_| {
        let t = Instant::now();
        let component = host.compile(bytes).unwrap();
        host.swap(
            host.prepare(
                PolicyKind::Pricing,
                "pricing-default",
                "bench",
                component,
                pricing_config.clone(),
            )
            .unwrap(),
        );
        t.elapsed()
    }));
    let from_artifact = median((0..15).map(|_| {
        let t = Instant::now();
        let component = host.from_artifact(&artifact).unwrap();
        host.swap(
            host.prepare(
                PolicyKind::Pricing,
                "pricing-default",
                "bench",
                component,
                pricing_config.clone(),
            )
            .unwrap(),
        );
        t.elapsed()
    }));
    println!(
        "hot swap (median of 15): from raw wasm {}, from precompiled artifact {}; raw/artifact = {:.0}x",
        fmt(from_wasm),
        fmt(from_artifact),
        from_wasm.as_secs_f64() / from_artifact.as_secs_f64()
    );
}

fn measure(calls: usize, mut f: impl FnMut()) -> (Duration, Duration) {
    for _ in 0..calls / 10 {
        f();
    }
    let mut samples: Vec<Duration> = (0..calls)
        .map(|_| {
            let t = Instant::now();
            f();
            t.elapsed()
        })
        .collect();
    samples.sort();
    (samples[calls / 2], samples[calls * 99 / 100])
}

fn median(samples: impl Iterator<Item = Duration>) -> Duration {
    let mut v: Vec<Duration> = samples.collect();
    v.sort();
    v[v.len() / 2]
}

fn fmt(d: Duration) -> String {
    if d < Duration::from_micros(10) {
        format!("{} ns", d.as_nanos())
    } else if d < Duration::from_millis(10) {
        format!("{:.1} µs", d.as_secs_f64() * 1e6)
    } else {
        format!("{:.1} ms", d.as_secs_f64() * 1e3)
    }
}

// The baseline: the very logic the guests run (`policies/logic`), called natively on the same
// engine input, with the same kind of conversion in and out.

fn native_pricing(input: &PricingInput, config: &[(String, String)]) -> pricing::Priced {
    pricing::price(&pricing::Order {
        config,
        plan_id: input.plan.id.as_str(),
        base: input.plan.price.minor,
        paid_orders: input.shopper.paid_orders,
        role_ids: &input.shopper.roles,
        coupon: input.coupon.as_deref(),
        new_order: input.purchase == Purchase::New,
        now_ms: input.now.as_millisecond(),
    })
}

fn native_methods(input: &MethodsInput, config: &[(String, String)]) -> Vec<methods::Op> {
    let bound = |m: Option<Money>| m.map(|m| (m.minor, m.currency.code()));
    let views: Vec<methods::Method<'_>> = input
        .methods
        .iter()
        .map(|m| methods::Method {
            id: m.id.as_str(),
            min: bound(m.min),
            max: bound(m.max),
        })
        .collect();
    methods::decide(
        config,
        (input.price.minor, input.price.currency.code()),
        &views,
    )
}

fn native_selection(
    input: &SelectionInput,
    config: &[(String, String)],
) -> Result<Vec<(String, u32)>, String> {
    let views: Vec<selection::Candidate<'_>> = input
        .candidates
        .iter()
        .map(|c| selection::Candidate {
            id: c.id.as_str(),
            region: &c.region,
            capacity: c.capacity,
            active_clients: c.active_clients,
            up: c.status == ServerStatus::Up,
        })
        .collect();
    selection::rank(config, input.preferred_region.as_deref(), &views)
}
