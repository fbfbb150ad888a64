//! The simulators' HTTP routes.

use std::collections::HashMap;
use std::sync::Arc;

use nebula_common::lock;
use salvo::http::StatusCode;
use salvo::prelude::*;
use serde_json::{Value, json};

use super::{BTCPAY_KEY, BTCPAY_STORE, Invoice, STRIPE_KEY, Session, Shared};

struct Inject(Arc<Shared>);

#[handler]
impl Inject {
    async fn handle(&self, depot: &mut Depot) {
        lock(&self.0.state).requests += 1;
        depot.insert_typed(self.0.clone());
    }
}

fn shared(depot: &Depot) -> Arc<Shared> {
    depot.get_typed::<Arc<Shared>>().cloned().expect("injected")
}

fn answer(res: &mut Response, status: u16, body: Value) {
    res.status_code(StatusCode::from_u16(status).unwrap_or(StatusCode::OK));
    res.render(Json(body));
}

pub(crate) fn router(shared: Arc<Shared>) -> Router {
    Router::new()
        .hoop(Inject(shared))
        .push(
            Router::with_path("api/v1/stores/{store}/invoices")
                .hoop(btcpay_auth)
                .get(btcpay_list)
                .post(btcpay_create)
                .push(Router::with_path("{id}").get(btcpay_get))
                .push(Router::with_path("{id}/payment-methods").get(btcpay_methods)),
        )
        .push(
            Router::with_path("v1/checkout/sessions")
                .hoop(stripe_auth)
                .post(stripe_create)
                .push(Router::with_path("{id}").get(stripe_get))
                .push(Router::with_path("{id}/expire").post(stripe_expire)),
        )
        .push(Router::with_path("wallet/gettransactioninfobyid").post(tron_info))
        .push(Router::with_path("walletsolidity/gettransactioninfobyid").post(tron_solid_info))
        .push(Router::with_path("wallet/getnowblock").post(tron_now_block))
}

// --- BTCPay Greenfield ---

#[handler]
async fn btcpay_auth(req: &mut Request, res: &mut Response, ctrl: &mut FlowCtrl) {
    let ok =
        req.header::<String>("authorization").as_deref() == Some(&format!("token {BTCPAY_KEY}"));
    let store = req.param::<String>("store").unwrap_or_default();
    if !ok {
        answer(
            res,
            401,
            json!({"code": "unauthenticated", "message": "Authentication is required for accessing this endpoint"}),
        );
        ctrl.skip_rest();
    } else if store != BTCPAY_STORE {
        answer(
            res,
            403,
            json!({"code": "missing-permission", "missingPermission": "btcpay.store.canviewinvoices", "message": "Insufficient API Permissions. Please use an API key with permission \"btcpay.store.canviewinvoices\"."}),
        );
        ctrl.skip_rest();
    }
}

fn invoice_json(i: &Invoice) -> Value {
    json!({
        "id": i.id, "storeId": BTCPAY_STORE, "amount": i.amount, "currency": i.currency,
        "type": "Standard", "checkoutLink": format!("https://btcpay.example/i/{}", i.id),
        "createdTime": i.created, "expirationTime": i.expires, "monitoringExpiration": i.expires + 3600,
        "status": i.status, "additionalStatus": i.additional, "metadata": i.metadata,
        "archived": false,
    })
}

#[handler]
async fn btcpay_list(req: &mut Request, depot: &mut Depot, res: &mut Response) {
    let order = req.query::<String>("orderId");
    let s = shared(depot);
    let st = lock(&s.state);
    let found: Vec<Value> = st
        .invoices
        .iter()
        .filter(|i| {
            order
                .as_deref()
                .is_none_or(|o| i.metadata["orderId"].as_str() == Some(o))
        })
        .map(invoice_json)
        .collect();
    answer(res, 200, Value::Array(found));
}

#[handler]
async fn btcpay_create(req: &mut Request, depot: &mut Depot, res: &mut Response) {
    let body: Value = match req
        .payload()
        .await
        .ok()
        .and_then(|b| serde_json::from_slice(b).ok())
    {
        Some(v) => v,
        None => {
            return answer(
                res,
                400,
                json!({"code": "invalid-json", "message": "The request body is not valid JSON"}),
            );
        }
    };
    let amount = body["amount"]
        .as_str()
        .map(str::to_owned)
        .or_else(|| body["amount"].as_f64().map(|f| f.to_string()));
    let valid = amount
        .as_deref()
        .and_then(|a| a.parse::<rust_decimal::Decimal>().ok())
        .is_some_and(|a| a >= rust_decimal::Decimal::ZERO);
    if !valid {
        return answer(
            res,
            422,
            json!([{"path": "amount", "message": "The amount should be 0 or more."}]),
        );
    }
    let Some(currency) = body["currency"].as_str().filter(|c| c.len() == 3) else {
        return answer(
            res,
            422,
            json!([{"path": "currency", "message": "Currency is required"}]),
        );
    };
    let s = shared(depot);
    let now = s.now();
    let minutes = body["checkout"]["expirationMinutes"].as_i64().unwrap_or(15);
    let id = nebula_common::random_token(
        b"ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789",
        22,
    );
    let invoice = Invoice {
        id,
        amount: amount.unwrap_or_default(),
        currency: currency.to_ascii_uppercase(),
        status: "New",
        additional: "None",
        metadata: body["metadata"].clone(),
        created: now,
        expires: now + minutes * 60,
        payments: Vec::new(),
    };
    let out = invoice_json(&invoice);
    let hook = {
        let mut state = lock(&s.state);
        state.invoices.push(invoice);
        state.after_create.clone()
    };
    if let Some(hook) = hook {
        hook();
    }
    answer(res, 200, out);
}

#[handler]
async fn btcpay_get(req: &mut Request, depot: &mut Depot, res: &mut Response) {
    let id = req.param::<String>("id").unwrap_or_default();
    let s = shared(depot);
    let st = lock(&s.state);
    match st.invoices.iter().find(|i| i.id == id) {
        Some(i) => answer(res, 200, invoice_json(i)),
        None => answer(
            res,
            404,
            json!({"code": "invoice-not-found", "message": "The invoice was not found"}),
        ),
    }
}

#[handler]
async fn btcpay_methods(req: &mut Request, depot: &mut Depot, res: &mut Response) {
    let id = req.param::<String>("id").unwrap_or_default();
    let s = shared(depot);
    let st = lock(&s.state);
    let Some(i) = st.invoices.iter().find(|i| i.id == id) else {
        return answer(
            res,
            404,
            json!({"code": "invoice-not-found", "message": "The invoice was not found"}),
        );
    };
    answer(res, 200, payment_methods_json(i));
}

/// The invoice's two payment methods as BTCPay lists them: each one's `totalPaid` is what was
/// paid by **all** methods (in its currency), `paymentMethodPaid` what was paid by it, and
/// `payments` its own payments with their status.
fn payment_methods_json(i: &Invoice) -> Value {
    use rust_decimal::Decimal;
    let rate = Decimal::from(super::BTC_RATE);
    let amount = i.amount.parse::<Decimal>().unwrap_or_default() / rate;
    let total: Decimal = i.payments.iter().map(|p| p.btc).sum();
    let method = |id: &str, destination: &str| {
        let own: Vec<&super::SimPayment> = i.payments.iter().filter(|p| p.method == id).collect();
        let paid: Decimal = own.iter().map(|p| p.btc).sum();
        json!({
            "paymentMethodId": id, "currency": "BTC", "destination": destination,
            "rate": rate.to_string(), "amount": amount.to_string(),
            "paymentMethodPaid": paid.to_string(), "totalPaid": total.to_string(),
            "due": (amount - total).max(Decimal::ZERO).to_string(),
            "paymentMethodFee": "0", "activated": true,
            "payments": own.iter().enumerate().map(|(n, p)| json!({
                "id": format!("{}-{n}", i.id), "receivedDate": p.received,
                "value": p.btc.to_string(), "fee": "0",
                "status": if p.settled { "Settled" } else { "Processing" },
                "destination": destination,
            })).collect::<Vec<_>>(),
        })
    };
    json!([
        method("BTC-CHAIN", "bc1qsim"),
        method("BTC-LN", "lnbcrt1sim")
    ])
}

// --- Stripe Checkout ---

fn stripe_error(res: &mut Response, status: u16, kind: &str, param: Option<&str>, message: &str) {
    answer(
        res,
        status,
        json!({"error": {"type": kind, "param": param, "message": message}}),
    );
}

#[handler]
async fn stripe_auth(req: &mut Request, res: &mut Response, ctrl: &mut FlowCtrl) {
    if req.header::<String>("authorization").as_deref() != Some(&format!("Bearer {STRIPE_KEY}")) {
        stripe_error(
            res,
            401,
            "invalid_request_error",
            None,
            "Invalid API Key provided",
        );
        ctrl.skip_rest();
    }
}

pub(crate) fn session_json(s: &Session) -> Value {
    json!({
        "id": s.id, "object": "checkout.session", "mode": "payment",
        "url": (s.status == "open").then(|| format!("https://checkout.stripe.com/c/pay/{}", s.id)),
        "status": s.status, "payment_status": s.payment_status, "amount_total": s.amount_total,
        "currency": s.currency, "metadata": s.metadata, "created": s.created, "expires_at": s.expires_at,
        "livemode": false,
    })
}

#[handler]
async fn stripe_create(req: &mut Request, depot: &mut Depot, res: &mut Response) {
    let raw = req.payload().await.map(|b| b.to_vec()).unwrap_or_default();
    let form: HashMap<String, String> = url::form_urlencoded::parse(&raw).into_owned().collect();
    let idempotency = req.header::<String>("idempotency-key");
    let s = shared(depot);
    let now = s.now();
    let params = String::from_utf8_lossy(&raw).into_owned();
    if let Some(key) = &idempotency {
        let st = lock(&s.state);
        if let Some(first) = st
            .sessions
            .iter()
            .find(|x| x.idempotency.as_ref().is_some_and(|(k, _)| k == key))
        {
            if first
                .idempotency
                .as_ref()
                .is_some_and(|(_, p)| *p != params)
            {
                return stripe_error(
                    res,
                    400,
                    "idempotency_error",
                    None,
                    "Keys for idempotent requests can only be used with the same parameters they were first used with.",
                );
            }
            return answer(res, 200, session_json(first));
        }
    }
    if form.get("mode").map(String::as_str) != Some("payment") {
        return stripe_error(
            res,
            400,
            "invalid_request_error",
            Some("mode"),
            "Missing required param: mode.",
        );
    }
    if !form.contains_key("success_url") {
        return stripe_error(
            res,
            400,
            "invalid_request_error",
            Some("success_url"),
            "Missing required param: success_url.",
        );
    }
    let amount = form
        .get("line_items[0][price_data][unit_amount]")
        .and_then(|a| a.parse::<i64>().ok());
    let currency = form
        .get("line_items[0][price_data][currency]")
        .filter(|c| c.len() == 3 && c.chars().all(|ch| ch.is_ascii_lowercase()));
    let (Some(amount), Some(currency)) = (amount.filter(|a| *a >= 0), currency) else {
        return stripe_error(
            res,
            400,
            "invalid_request_error",
            Some("line_items[0][price_data]"),
            "Invalid price_data: unit_amount and a lowercase ISO currency are required.",
        );
    };
    let quantity = form
        .get("line_items[0][quantity]")
        .and_then(|q| q.parse::<i64>().ok())
        .unwrap_or(0);
    if quantity < 1 {
        return stripe_error(
            res,
            400,
            "invalid_request_error",
            Some("line_items[0][quantity]"),
            "Quantity must be at least 1.",
        );
    }
    let expires_at = form
        .get("expires_at")
        .and_then(|e| e.parse::<i64>().ok())
        .unwrap_or(now + 24 * 3600);
    if expires_at < now + 30 * 60 || expires_at > now + 24 * 3600 {
        return stripe_error(
            res,
            400,
            "invalid_request_error",
            Some("expires_at"),
            "The `expires_at` timestamp must be between 30 minutes and 24 hours from Checkout Session creation.",
        );
    }
    let metadata = form
        .iter()
        .filter_map(|(k, v)| {
            Some((
                k.strip_prefix("metadata[")?.strip_suffix(']')?.to_owned(),
                v.clone(),
            ))
        })
        .collect();
    let session = Session {
        id: format!(
            "cs_test_{}",
            nebula_common::random_token(
                b"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789",
                58
            )
        ),
        status: "open",
        payment_status: "unpaid",
        amount_total: amount * quantity,
        currency: currency.clone(),
        metadata,
        created: now,
        expires_at,
        idempotency: idempotency.map(|k| (k, params)),
    };
    let out = session_json(&session);
    let hook = {
        let mut state = lock(&s.state);
        state.sessions.push(session);
        state.after_create.clone()
    };
    if let Some(hook) = hook {
        hook();
    }
    answer(res, 200, out);
}

#[handler]
async fn stripe_get(req: &mut Request, depot: &mut Depot, res: &mut Response) {
    let id = req.param::<String>("id").unwrap_or_default();
    let s = shared(depot);
    let now = s.now();
    let mut st = lock(&s.state);
    match st.sessions.iter_mut().find(|x| x.id == id) {
        Some(sess) => {
            if sess.status == "open" && now >= sess.expires_at {
                sess.status = "expired";
            }
            answer(res, 200, session_json(sess));
        }
        None => stripe_error(
            res,
            404,
            "invalid_request_error",
            Some("id"),
            &format!("No such checkout.session: '{id}'"),
        ),
    }
}

#[handler]
async fn stripe_expire(req: &mut Request, depot: &mut Depot, res: &mut Response) {
    let id = req.param::<String>("id").unwrap_or_default();
    let s = shared(depot);
    let now = s.now();
    let mut st = lock(&s.state);
    let Some(sess) = st.sessions.iter_mut().find(|x| x.id == id) else {
        return stripe_error(
            res,
            404,
            "invalid_request_error",
            Some("id"),
            &format!("No such checkout.session: '{id}'"),
        );
    };
    if sess.status == "open" && now >= sess.expires_at {
        sess.status = "expired";
    }
    if sess.status != "open" {
        return stripe_error(
            res,
            400,
            "invalid_request_error",
            None,
            "Only Checkout Sessions with a status in [\"open\"] can be expired.",
        );
    }
    sess.status = "expired";
    answer(res, 200, session_json(sess));
}

// --- TRON node ---

async fn txid_of(req: &mut Request) -> String {
    req.payload()
        .await
        .ok()
        .and_then(|b| serde_json::from_slice::<Value>(b).ok())
        .and_then(|v| v["value"].as_str().map(str::to_ascii_lowercase))
        .unwrap_or_default()
}

#[handler]
async fn tron_info(req: &mut Request, depot: &mut Depot, res: &mut Response) {
    let txid = txid_of(req).await;
    let s = shared(depot);
    let st = lock(&s.state);
    answer(
        res,
        200,
        st.transactions
            .get(&txid)
            .map_or(json!({}), |(info, _)| info.clone()),
    );
}

#[handler]
async fn tron_solid_info(req: &mut Request, depot: &mut Depot, res: &mut Response) {
    let txid = txid_of(req).await;
    let s = shared(depot);
    let st = lock(&s.state);
    let found = st
        .transactions
        .get(&txid)
        .filter(|(_, solid)| *solid)
        .map(|(i, _)| i.clone());
    answer(res, 200, found.unwrap_or(json!({})));
}

#[handler]
async fn tron_now_block(depot: &mut Depot, res: &mut Response) {
    let s = shared(depot);
    let block = lock(&s.state).block;
    answer(
        res,
        200,
        json!({"blockID": format!("{block:064x}"), "block_header": {"raw_data": {"number": block, "timestamp": s.clock.now().as_millisecond()}}}),
    );
}
