//! The default payment methods: hide what the price is outside of, order by config.

use crate::{get, list};

/// A method as the logic sees it: its id and bounds as (minor units, currency).
pub struct Method<'a> {
    pub id: &'a str,
    pub min: Option<(i64, &'a str)>,
    pub max: Option<(i64, &'a str)>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Op {
    Hide(String),
    MoveTo(String, u32),
}

fn within(price: (i64, &str), min: Option<(i64, &str)>, max: Option<(i64, &str)>) -> bool {
    let ok = |bound: Option<(i64, &str)>, cmp: fn(i64, i64) -> bool| {
        bound.is_none_or(|(minor, currency)| currency == price.1 && cmp(minor, price.0))
    };
    ok(min, |b, p| b <= p) && ok(max, |b, p| b >= p)
}

pub fn decide(config: &[(String, String)], price: (i64, &str), methods: &[Method<'_>]) -> Vec<Op> {
    let mut ops = Vec::new();
    let mut shown: Vec<&str> = Vec::new();
    for m in methods {
        if within(price, m.min, m.max) {
            shown.push(m.id);
        } else {
            ops.push(Op::Hide(m.id.to_owned()));
        }
    }
    if let Some(order) = get(config, "order") {
        let mut position = 0;
        for id in list(order) {
            if shown.contains(&id) {
                ops.push(Op::MoveTo(id.to_owned(), position));
                position += 1;
            }
        }
    }
    ops
}
