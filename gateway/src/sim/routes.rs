//! The simulated panel's routes. Texts, status codes and shapes follow `shared/3x-ui-api.md`.

use std::sync::Arc;
use std::time::{Duration, Instant};

use salvo::catcher::Catcher;
use salvo::http::StatusCode;
use salvo::http::cookie::Cookie;
use salvo::prelude::*;
use serde_json::{Value, json};

use super::{Counters, Fault, Generation, Shared, State, client3};

const COOKIE: &str = "3x-ui";
const LOGIN_OK: &str = "You have successfully logged into your account.";
const LOGIN_BAD: &str = "Invalid username or password or two-factor code.";

struct Inject(Arc<Shared>);

#[handler]
impl Inject {
    async fn handle(&self, depot: &mut Depot) {
        depot.insert_typed(self.0.clone());
    }
}

fn shared(depot: &Depot) -> Arc<Shared> {
    depot.get_typed::<Arc<Shared>>().cloned().expect("injected")
}

fn now_ms() -> i64 {
    jiff::Timestamp::now().as_millisecond()
}

fn random_token(len: usize) -> String {
    nebula_common::random_token(nebula_common::BASE64URL, len)
}

fn ok_obj(res: &mut Response, obj: Value) {
    res.render(Json(json!({"success": true, "msg": "", "obj": obj})));
}

fn ok_msg(res: &mut Response, msg: &str) {
    res.render(Json(json!({"success": true, "msg": msg, "obj": null})));
}

fn fail(res: &mut Response, msg: String) {
    res.render(Json(json!({"success": false, "msg": msg, "obj": null})));
}

fn empty(res: &mut Response, status: StatusCode) {
    res.status_code(status);
    res.body(salvo::http::ResBody::None);
}

/// `Something went wrong (<err>)` with the panel's trailing newline inside the parentheses.
fn wrong(err: &str) -> String {
    format!("Something went wrong ({err}\n)")
}

pub(crate) fn router(shared: Arc<Shared>) -> Router {
    let base = shared.config.base_path.trim_matches('/').to_owned();
    Router::new().push(
        Router::with_path(base)
            .hoop(Inject(shared))
            .hoop(faults)
            .push(Router::with_path("csrf-token").get(csrf_token))
            .push(Router::with_path("login").post(login))
            .push(Router::with_path("logout").post(logout))
            .push(
                Router::with_path("panel/api")
                    .hoop(api_auth)
                    .push(Router::with_path("inbounds/list").get(inbounds_list))
                    .push(Router::with_path("inbounds/get/{id}").get(inbound_get))
                    .push(Router::with_path("inbounds/addClient").post(v2_add))
                    .push(Router::with_path("inbounds/updateClient/{client_id}").post(v2_update))
                    .push(Router::with_path("inbounds/getClientTraffics/{email}").get(v2_traffic))
                    .push(Router::with_path("inbounds/{id}/delClient/{client_id}").post(v2_del))
                    .push(
                        Router::with_path("inbounds/{id}/resetClientTraffic/{email}")
                            .post(v2_reset),
                    )
                    .push(Router::with_path("clients/list").get(v3_list))
                    .push(Router::with_path("clients/get/{email}").get(v3_get))
                    .push(Router::with_path("clients/traffic/{email}").get(v3_traffic))
                    .push(Router::with_path("clients/add").post(v3_add))
                    .push(Router::with_path("clients/update/{email}").post(v3_update))
                    .push(Router::with_path("clients/del/{email}").post(v3_del))
                    .push(Router::with_path("clients/resetTraffic/{email}").post(v3_reset))
                    .push(Router::with_path("server/status").get(server_status)),
            ),
    )
}

/// The panel answers unknown routes (and hidden ones) 404 with an empty body.
pub(crate) fn catcher() -> Catcher {
    Catcher::default().hoop(empty_errors)
}

#[handler]
async fn empty_errors(res: &mut Response, ctrl: &mut FlowCtrl) {
    let status = res.status_code.unwrap_or(StatusCode::NOT_FOUND);
    empty(res, status);
    ctrl.skip_rest();
}

#[handler]
async fn faults(req: &mut Request, depot: &mut Depot, res: &mut Response, ctrl: &mut FlowCtrl) {
    let fault = shared(depot).lock().fault;
    match fault {
        Fault::None => {}
        Fault::SlowWrites(d) => {
            if req.method() == salvo::http::Method::POST {
                let busy = Busy::enter(shared(depot));
                ctrl.call_next(req, depot, res).await;
                // The panel's own work goes on when its caller hangs up (Go's handlers do not
                // stop with the connection): the write stays in flight until it is done.
                let _ = tokio::spawn(async move {
                    tokio::time::sleep(d).await;
                    drop(busy);
                })
                .await;
            }
        }
        Fault::Slow(d) => tokio::time::sleep(d).await,
        Fault::ServerError => {
            empty(res, StatusCode::INTERNAL_SERVER_ERROR);
            ctrl.skip_rest();
        }
        Fault::Garbage => {
            res.status_code(StatusCode::OK);
            res.render(Text::Plain("{\"success\":tru\u{0}\u{1}"));
            ctrl.skip_rest();
        }
        Fault::Chaos(chaos) => match draw(&shared(depot), chaos) {
            Some(Drawn::Refused) => {
                empty(res, StatusCode::INTERNAL_SERVER_ERROR);
                ctrl.skip_rest();
            }
            Some(Drawn::Lost) => {
                ctrl.call_next(req, depot, res).await;
                *res = Response::new();
                empty(res, StatusCode::INTERNAL_SERVER_ERROR);
            }
            Some(Drawn::Slow) => tokio::time::sleep(chaos.delay).await,
            None => {}
        },
    }
}

/// One of [`Fault::Chaos`]'s faults.
enum Drawn {
    Refused,
    Lost,
    Slow,
}

fn draw(shared: &Shared, chaos: super::Chaos) -> Option<Drawn> {
    let roll = rand::Rng::random_range(&mut shared.lock().chaos, 0..1000u16);
    let (refused, lost) = (chaos.refused, chaos.refused + chaos.lost);
    if roll < refused {
        Some(Drawn::Refused)
    } else if roll < lost {
        Some(Drawn::Lost)
    } else if roll < lost + chaos.slow {
        Some(Drawn::Slow)
    } else {
        None
    }
}

/// A write the panel is working on, counted while it lasts.
struct Busy(Arc<Shared>);

impl Busy {
    fn enter(shared: Arc<Shared>) -> Busy {
        let mut s = shared.lock();
        s.writes_in_flight += 1;
        s.most_writes_in_flight = s.most_writes_in_flight.max(s.writes_in_flight);
        drop(s);
        Busy(shared)
    }
}

impl Drop for Busy {
    fn drop(&mut self) {
        self.0.lock().writes_in_flight -= 1;
    }
}

fn session_id(req: &Request) -> Option<String> {
    req.cookie(COOKIE).map(|c| c.value().to_owned())
}

fn set_session_cookie(res: &mut Response, shared: &Shared, sid: &str) {
    let path = match shared.config.generation {
        Generation::V3 => shared.config.base_path.clone(),
        Generation::V2 => "/".to_owned(),
    };
    res.add_cookie(
        Cookie::build((COOKIE, sid.to_owned()))
            .path(path)
            .http_only(true)
            .build(),
    );
}

#[handler]
async fn csrf_token(req: &mut Request, depot: &mut Depot, res: &mut Response) {
    let shared = shared(depot);
    if shared.config.generation == Generation::V2 {
        return empty(res, StatusCode::NOT_FOUND);
    }
    let mut s = shared.lock();
    let sid = session_id(req)
        .filter(|sid| s.sessions.contains_key(sid))
        .unwrap_or_else(|| random_token(32));
    let csrf = s
        .sessions
        .entry(sid.clone())
        .or_insert_with(|| (random_token(43), false))
        .0
        .clone();
    drop(s);
    set_session_cookie(res, &shared, &sid);
    res.render(Json(json!({"success": true, "obj": csrf})));
}

async fn body_fields(req: &mut Request) -> Value {
    let is_json = req.content_type().is_some_and(|m| m.subtype() == "json");
    if is_json {
        req.parse_json::<Value>().await.unwrap_or(Value::Null)
    } else {
        match req.form_data().await {
            Ok(form) => Value::Object(
                form.fields
                    .iter()
                    .map(|(k, v)| (k.clone(), Value::String(v.clone())))
                    .collect(),
            ),
            Err(_) => Value::Null,
        }
    }
}

#[handler]
async fn login(req: &mut Request, depot: &mut Depot, res: &mut Response) {
    let shared = shared(depot);
    let sid = session_id(req);
    let body = body_fields(req).await;
    if shared.config.generation == Generation::V3 {
        let header = req
            .headers()
            .get("x-csrf-token")
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned);
        let given = header.or_else(|| body.get("_csrf").and_then(Value::as_str).map(str::to_owned));
        let s = shared.lock();
        let valid = sid
            .as_ref()
            .and_then(|sid| s.sessions.get(sid))
            .is_some_and(|(csrf, _)| Some(csrf) == given.as_ref());
        drop(s);
        if !valid {
            return empty(res, StatusCode::FORBIDDEN);
        }
    }
    let username = body.get("username").and_then(Value::as_str).unwrap_or("");
    let password = body.get("password").and_then(Value::as_str).unwrap_or("");
    if username.is_empty() {
        return fail(res, "Username is required".into());
    }
    if password.is_empty() {
        return fail(res, "Password is required".into());
    }
    let mut s = shared.lock();
    s.logins += 1;
    let now = Instant::now();
    if s.blocked_until.is_some_and(|until| now < until) {
        return fail(res, LOGIN_BAD.into());
    }
    if username != shared.config.username || password != shared.config.password {
        s.failed_logins
            .retain(|t| now.duration_since(*t) < Duration::from_secs(300));
        s.failed_logins.push(now);
        if s.failed_logins.len() >= 5 && shared.config.generation == Generation::V3 {
            s.blocked_until = Some(now + Duration::from_secs(900));
        }
        return fail(res, LOGIN_BAD.into());
    }
    s.failed_logins.clear();
    let sid = sid
        .filter(|sid| s.sessions.contains_key(sid))
        .unwrap_or_else(|| random_token(32));
    let entry = s
        .sessions
        .entry(sid.clone())
        .or_insert_with(|| (random_token(43), false));
    entry.1 = true;
    drop(s);
    set_session_cookie(res, &shared, &sid);
    ok_msg(res, LOGIN_OK);
}

#[handler]
async fn logout(req: &mut Request, depot: &mut Depot, res: &mut Response) {
    let shared = shared(depot);
    if let Some(sid) = session_id(req) {
        shared.lock().sessions.remove(&sid);
    }
    res.render(Json(json!({"success": true})));
}

/// Bearer token (3.x), or a logged-in cookie session (with the CSRF token on writes in 3.x).
#[handler]
async fn api_auth(req: &mut Request, depot: &mut Depot, res: &mut Response, ctrl: &mut FlowCtrl) {
    let shared = shared(depot);
    let v3 = shared.config.generation == Generation::V3;
    let bearer = req
        .headers()
        .get("authorization")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "));
    let token_ok =
        v3 && shared.config.api_token.is_some() && bearer == shared.config.api_token.as_deref();
    let mut s = shared.lock();
    if !token_ok {
        let session = session_id(req)
            .and_then(|sid| s.sessions.get(&sid).cloned())
            .filter(|(_, logged_in)| *logged_in);
        let Some((csrf, _)) = session else {
            drop(s);
            let xhr = req.headers().get("x-requested-with").is_some();
            empty(
                res,
                if v3 && xhr {
                    StatusCode::UNAUTHORIZED
                } else {
                    StatusCode::NOT_FOUND
                },
            );
            return ctrl.skip_rest();
        };
        let write = req.method() != salvo::http::Method::GET;
        let given = req
            .headers()
            .get("x-csrf-token")
            .and_then(|v| v.to_str().ok());
        if v3 && write && given != Some(csrf.as_str()) {
            drop(s);
            empty(res, StatusCode::FORBIDDEN);
            return ctrl.skip_rest();
        }
    }
    s.api_calls += 1;
}

fn v2(depot: &Depot) -> bool {
    shared(depot).config.generation == Generation::V2
}

/// The inbound with its client, by email, case-sensitively.
pub(crate) fn find_client<'a>(inbound: &'a Value, email: &str) -> Option<(usize, &'a Value)> {
    inbound["settings"]["clients"]
        .as_array()?
        .iter()
        .enumerate()
        .find(|(_, c)| c["email"].as_str() == Some(email))
}

/// Which inbound holds a client with this email, ignoring case (the panel's duplicate rule).
fn holder(s: &State, email: &str) -> Option<(u32, String)> {
    s.inbounds.iter().find_map(|(id, i)| {
        i["settings"]["clients"].as_array()?.iter().find_map(|c| {
            let e = c["email"].as_str()?;
            e.eq_ignore_ascii_case(email).then(|| (*id, e.to_owned()))
        })
    })
}

fn counters(s: &State, email: &str) -> Counters {
    s.traffic.get(email).copied().unwrap_or_default()
}

fn client_stats(s: &State, inbound_id: u32, c: &Value, row: usize) -> Value {
    let email = c["email"].as_str().unwrap_or("");
    let t = counters(s, email);
    json!({
        "id": row, "inboundId": inbound_id, "enable": c["enable"], "email": email, "uuid": c["id"],
        "subId": c["subId"], "up": t.up, "down": t.down, "expiryTime": c["expiryTime"], "total": c["totalGB"],
        "reset": c["reset"], "lastOnline": 0,
    })
}

/// An inbound as the API answers it: with `clientStats`, JSON columns as text on 2.x.
fn inbound_view(s: &State, generation: Generation, inbound: &Value, with_stats: bool) -> Value {
    let id = inbound["id"].as_u64().unwrap_or(0) as u32;
    let mut v = inbound.clone();
    let stats: Vec<Value> = inbound["settings"]["clients"]
        .as_array()
        .map(|cs| {
            cs.iter()
                .enumerate()
                .map(|(i, c)| client_stats(s, id, c, id as usize * 1000 + i))
                .collect()
        })
        .unwrap_or_default();
    v["clientStats"] = if with_stats {
        Value::Array(stats)
    } else {
        Value::Null
    };
    if generation == Generation::V2 {
        for key in ["settings", "streamSettings", "sniffing"] {
            let text = serde_json::to_string_pretty(&v[key]).unwrap_or_default();
            v[key] = Value::String(text);
        }
    }
    v
}

#[handler]
async fn inbounds_list(depot: &mut Depot, res: &mut Response) {
    let shared = shared(depot);
    let s = shared.lock();
    let list: Vec<Value> = s
        .inbounds
        .values()
        .map(|i| inbound_view(&s, shared.config.generation, i, true))
        .collect();
    drop(s);
    ok_obj(res, Value::Array(list));
}

#[handler]
async fn inbound_get(req: &mut Request, depot: &mut Depot, res: &mut Response) {
    let shared = shared(depot);
    let id: u32 = req.param("id").unwrap_or(0);
    let s = shared.lock();
    let found = s.inbounds.get(&id).map(|i| {
        inbound_view(
            &s,
            shared.config.generation,
            i,
            shared.config.generation == Generation::V3,
        )
    });
    drop(s);
    match found {
        Some(v) => ok_obj(res, v),
        None => fail(res, "Obtain (record not found)".into()),
    }
}

// ---- 2.x: inbound-scoped client routes

/// `settings` must be JSON text in 2.x; an object is a bind error (with the legacy context).
fn v2_settings(body: &Value) -> Result<Vec<Value>, String> {
    match body.get("settings") {
        Some(Value::String(text)) => {
            let parsed: Value = serde_json::from_str(text).map_err(|e| format!("Inbound has been successfully updated. ({e})"))?;
            Ok(parsed["clients"].as_array().cloned().unwrap_or_default())
        }
        Some(_) => Err(
            "Inbound has been successfully updated. (json: cannot unmarshal object into Go struct field Inbound.settings of type string)"
                .into(),
        ),
        None => Err(wrong("empty client ID")),
    }
}

#[handler]
async fn v2_add(req: &mut Request, depot: &mut Depot, res: &mut Response) {
    if !v2(depot) {
        return empty(res, StatusCode::NOT_FOUND);
    }
    let shared = shared(depot);
    let body = body_fields(req).await;
    let inbound_id = body["id"]
        .as_u64()
        .or_else(|| body["id"].as_str().and_then(|s| s.parse().ok()))
        .unwrap_or(0) as u32;
    let clients = match v2_settings(&body) {
        Ok(c) => c,
        Err(msg) => return fail(res, msg),
    };
    let mut s = shared.lock();
    if !s.inbounds.contains_key(&inbound_id) {
        return fail(res, "Something went wrong (record not found)".into());
    }
    for c in &clients {
        let email = c["email"].as_str().unwrap_or("");
        if holder(&s, email).is_some() {
            return fail(res, wrong(&format!("Duplicate email: {email}")));
        }
        if c["id"].as_str().unwrap_or("").is_empty() {
            return fail(res, wrong("empty client ID"));
        }
    }
    let inbound = s.inbounds.get_mut(&inbound_id).expect("checked");
    let list = inbound["settings"]["clients"]
        .as_array_mut()
        .expect("clients is a list");
    list.extend(clients);
    drop(s);
    ok_msg(res, "Inbound client(s) have been added.");
}

#[handler]
async fn v2_update(req: &mut Request, depot: &mut Depot, res: &mut Response) {
    if !v2(depot) {
        return empty(res, StatusCode::NOT_FOUND);
    }
    let shared = shared(depot);
    let client_id: String = req.param("client_id").unwrap_or_default();
    let body = body_fields(req).await;
    let inbound_id = body["id"].as_u64().unwrap_or(0) as u32;
    let mut clients = match v2_settings(&body) {
        Ok(c) => c,
        Err(msg) => return fail(res, msg),
    };
    let mut s = shared.lock();
    let Some(inbound) = s.inbounds.get_mut(&inbound_id) else {
        return fail(res, "Something went wrong (record not found)".into());
    };
    let list = inbound["settings"]["clients"]
        .as_array_mut()
        .expect("clients is a list");
    let Some(at) = list
        .iter()
        .position(|c| c["id"].as_str() == Some(client_id.as_str()))
    else {
        return fail(res, wrong("empty client ID"));
    };
    if let Some(new) = clients.pop() {
        list[at] = new;
    }
    drop(s);
    ok_msg(res, "Inbound client has been updated.");
}

#[handler]
async fn v2_del(req: &mut Request, depot: &mut Depot, res: &mut Response) {
    if !v2(depot) {
        return empty(res, StatusCode::NOT_FOUND);
    }
    let shared = shared(depot);
    let inbound_id: u32 = req.param("id").unwrap_or(0);
    let client_id: String = req.param("client_id").unwrap_or_default();
    let mut s = shared.lock();
    let Some(inbound) = s.inbounds.get_mut(&inbound_id) else {
        return fail(res, "Something went wrong (record not found)".into());
    };
    let list = inbound["settings"]["clients"]
        .as_array_mut()
        .expect("clients is a list");
    // 2.8.x: an unknown client is silently a success.
    if let Some(at) = list
        .iter()
        .position(|c| c["id"].as_str() == Some(client_id.as_str()))
    {
        if list.len() == 1 {
            return fail(res, wrong("no client remained in Inbound"));
        }
        let gone = list.remove(at);
        let email = gone["email"].as_str().unwrap_or("").to_owned();
        s.traffic.remove(&email);
    }
    drop(s);
    ok_msg(res, "Inbound client has been deleted.");
}

#[handler]
async fn v2_traffic(req: &mut Request, depot: &mut Depot, res: &mut Response) {
    if !v2(depot) {
        return empty(res, StatusCode::NOT_FOUND);
    }
    let shared = shared(depot);
    let email: String = req.param("email").unwrap_or_default();
    let s = shared.lock();
    let found = s.inbounds.values().find_map(|i| {
        let (row, c) = find_client(i, &email)?;
        Some(client_stats(
            &s,
            i["id"].as_u64().unwrap_or(0) as u32,
            c,
            row,
        ))
    });
    drop(s);
    match found {
        Some(v) => ok_obj(res, v),
        None => fail(
            res,
            format!("Error getting traffics. (Inbound Not Found For Email: {email}\n)"),
        ),
    }
}

#[handler]
async fn v2_reset(req: &mut Request, depot: &mut Depot, res: &mut Response) {
    if !v2(depot) {
        return empty(res, StatusCode::NOT_FOUND);
    }
    let shared = shared(depot);
    let email: String = req.param("email").unwrap_or_default();
    let mut s = shared.lock();
    if holder(&s, &email).is_none() {
        return fail(res, wrong(&format!("Inbound Not Found For Email: {email}")));
    }
    s.traffic.insert(email, Counters::default());
    drop(s);
    ok_msg(res, "Traffic has been reset.");
}

// ---- 3.1+: the clients API

/// Every (inbound id, row, client) holding this exact email.
fn holders<'a>(s: &'a State, email: &str) -> Vec<(u32, usize, &'a Value)> {
    s.inbounds
        .iter()
        .filter_map(|(id, i)| {
            find_client(i, email).map(|(row, c)| (*id, *id as usize * 1000 + row, c))
        })
        .collect()
}

#[handler]
async fn v3_list(depot: &mut Depot, res: &mut Response) {
    if v2(depot) {
        return empty(res, StatusCode::NOT_FOUND);
    }
    let shared = shared(depot);
    let s = shared.lock();
    let mut out: Vec<Value> = Vec::new();
    for (id, inbound) in &s.inbounds {
        for (row, c) in inbound["settings"]["clients"]
            .as_array()
            .into_iter()
            .flatten()
            .enumerate()
        {
            let row = *id as usize * 1000 + row;
            let mut r = client3::record(c, row);
            r["inboundIds"] = json!([id]);
            r["traffic"] = client_stats(&s, *id, c, row);
            out.push(r);
        }
    }
    drop(s);
    ok_obj(res, Value::Array(out));
}

#[handler]
async fn v3_get(req: &mut Request, depot: &mut Depot, res: &mut Response) {
    if v2(depot) {
        return empty(res, StatusCode::NOT_FOUND);
    }
    let shared = shared(depot);
    let email: String = req.param("email").unwrap_or_default();
    let s = shared.lock();
    let found = holders(&s, &email);
    let answer = found.first().map(|(_, row, c)| {
        let t = counters(&s, &email);
        json!({
            "client": client3::record(c, *row),
            "inboundIds": found.iter().map(|(id, _, _)| *id).collect::<Vec<_>>(),
            "externalLinks": [],
            "usedTraffic": t.up + t.down,
        })
    });
    drop(s);
    match answer {
        Some(v) => ok_obj(res, v),
        None => fail(res, "Obtain (record not found)".into()),
    }
}

#[handler]
async fn v3_traffic(req: &mut Request, depot: &mut Depot, res: &mut Response) {
    if v2(depot) {
        return empty(res, StatusCode::NOT_FOUND);
    }
    let shared = shared(depot);
    let email: String = req.param("email").unwrap_or_default();
    let s = shared.lock();
    let found = holders(&s, &email)
        .first()
        .map(|(id, row, c)| client_stats(&s, *id, c, *row));
    drop(s);
    ok_obj(res, found.unwrap_or(Value::Null));
}

fn email_ok(email: &str) -> bool {
    !email.is_empty()
        && !email
            .chars()
            .any(|c| c == '/' || c == '\\' || c.is_whitespace() || c.is_control())
}

#[handler]
async fn v3_add(req: &mut Request, depot: &mut Depot, res: &mut Response) {
    if v2(depot) {
        return empty(res, StatusCode::NOT_FOUND);
    }
    let shared = shared(depot);
    let body: Value = match req.parse_json().await {
        Ok(v) => v,
        Err(e) => return fail(res, wrong(&e.to_string())),
    };
    let client = body["client"].clone();
    let email = client["email"].as_str().unwrap_or("").to_owned();
    if !email_ok(&email) {
        return fail(
            res,
            wrong("email is required and may not contain /, \\, spaces or control characters"),
        );
    }
    let ids: Vec<u32> = body["inboundIds"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(Value::as_u64)
        .map(|i| i as u32)
        .collect();
    if ids.is_empty() {
        return fail(res, wrong("at least one inbound is required"));
    }
    let mut client = match client3::bind(&client, None) {
        Ok(c) => c,
        Err(e) => return fail(res, wrong(&e)),
    };
    let mut s = shared.lock();
    if ids.iter().any(|id| !s.inbounds.contains_key(id)) {
        return fail(res, "Something went wrong (record not found)".into());
    }
    let sub_id = client["subId"].as_str().unwrap_or("").to_owned();
    if let Some((_, existing)) = holder(&s, &email) {
        if existing != email {
            return fail(res, wrong(&format!("Duplicate email: {email}")));
        }
        let same_sub = holders(&s, &email)
            .first()
            .is_some_and(|(_, _, c)| !sub_id.is_empty() && c["subId"].as_str() == Some(&sub_id));
        if !same_sub {
            return fail(res, wrong(&format!("email already in use: {email}")));
        }
        // The same email with the same subId: an idempotent re-add; inbounds holding it are skipped.
        let held: Vec<u32> = holders(&s, &email).iter().map(|(id, _, _)| *id).collect();
        let template = holders(&s, &email)[0].2.clone();
        for id in ids.into_iter().filter(|id| !held.contains(id)) {
            let inbound = s.inbounds.get_mut(&id).expect("checked");
            inbound["settings"]["clients"]
                .as_array_mut()
                .expect("list")
                .push(template.clone());
        }
        drop(s);
        return ok_msg(res, "Inbound client(s) have been added.");
    }
    if !sub_id.is_empty() {
        let taken = s.inbounds.values().any(|i| {
            i["settings"]["clients"]
                .as_array()
                .into_iter()
                .flatten()
                .any(|c| c["subId"].as_str() == Some(&sub_id))
        });
        if taken {
            return fail(res, wrong(&format!("subId already in use: {sub_id}")));
        }
    }
    if client["id"].as_str().unwrap_or("").is_empty() {
        client["id"] = Value::String(uuid::Uuid::new_v4().to_string());
    }
    if sub_id.is_empty() {
        client["subId"] = Value::String(uuid::Uuid::new_v4().to_string());
    }
    // A client cannot be created disabled.
    client["enable"] = Value::Bool(true);
    let now = now_ms();
    client["created_at"] = json!(now);
    client["updated_at"] = json!(now);
    for id in ids {
        let inbound = s.inbounds.get_mut(&id).expect("checked");
        let mut entry = client.clone();
        // The flow is dropped silently where the inbound cannot carry Vision.
        if !client3::keeps_flow(inbound) {
            entry["flow"] = json!("");
        }
        inbound["settings"]["clients"]
            .as_array_mut()
            .expect("list")
            .push(entry);
    }
    drop(s);
    ok_msg(res, "Inbound client(s) have been added.");
}

#[handler]
async fn v3_update(req: &mut Request, depot: &mut Depot, res: &mut Response) {
    if v2(depot) {
        return empty(res, StatusCode::NOT_FOUND);
    }
    let shared = shared(depot);
    let email: String = req.param("email").unwrap_or_default();
    let body: Value = match req.parse_json().await {
        Ok(v) => v,
        Err(e) => return fail(res, wrong(&e.to_string())),
    };
    let mut s = shared.lock();
    let ids: Vec<u32> = holders(&s, &email).iter().map(|(id, _, _)| *id).collect();
    if ids.is_empty() {
        return fail(res, "Something went wrong (record not found)".into());
    }
    for id in ids {
        let inbound = s.inbounds.get_mut(&id).expect("exists");
        let list = inbound["settings"]["clients"].as_array_mut().expect("list");
        let at = list
            .iter()
            .position(|c| c["email"].as_str() == Some(email.as_str()))
            .expect("holder");
        let old = list[at].clone();
        // Replace, not patch: what the body leaves out becomes zero (`enable` false); only the
        // credentials and the subId are kept.
        let mut new = match client3::bind(&body, Some(&old)) {
            Ok(c) => c,
            Err(e) => return fail(res, wrong(&e)),
        };
        if new["email"].as_str().unwrap_or("").is_empty() {
            new["email"] = json!(email);
        }
        new["created_at"] = old["created_at"].clone();
        new["updated_at"] = json!(now_ms());
        if !client3::keeps_flow(inbound) {
            new["flow"] = json!("");
        }
        inbound["settings"]["clients"].as_array_mut().expect("list")[at] = new;
    }
    drop(s);
    ok_msg(res, "Inbound client has been updated.");
}

#[handler]
async fn v3_del(req: &mut Request, depot: &mut Depot, res: &mut Response) {
    if v2(depot) {
        return empty(res, StatusCode::NOT_FOUND);
    }
    let shared = shared(depot);
    let email: String = req.param("email").unwrap_or_default();
    let mut s = shared.lock();
    let ids: Vec<u32> = holders(&s, &email).iter().map(|(id, _, _)| *id).collect();
    if ids.is_empty() {
        return fail(
            res,
            wrong(&format!(
                "client \"{email}\" not found in any inbound or client record"
            )),
        );
    }
    for id in ids {
        let list = s.inbounds.get_mut(&id).expect("exists")["settings"]["clients"]
            .as_array_mut()
            .expect("list");
        list.retain(|c| c["email"].as_str() != Some(email.as_str()));
    }
    s.traffic.remove(&email);
    drop(s);
    ok_msg(res, "Inbound client has been deleted.");
}

#[handler]
async fn v3_reset(req: &mut Request, depot: &mut Depot, res: &mut Response) {
    if v2(depot) {
        return empty(res, StatusCode::NOT_FOUND);
    }
    let shared = shared(depot);
    let email: String = req.param("email").unwrap_or_default();
    let mut s = shared.lock();
    let ids: Vec<u32> = holders(&s, &email).iter().map(|(id, _, _)| *id).collect();
    if ids.is_empty() {
        return fail(res, "Something went wrong (record not found)".into());
    }
    s.traffic.insert(email.clone(), Counters::default());
    // A reset also re-enables a disabled client.
    for id in ids {
        let list = s.inbounds.get_mut(&id).expect("exists")["settings"]["clients"]
            .as_array_mut()
            .expect("list");
        for c in list
            .iter_mut()
            .filter(|c| c["email"].as_str() == Some(email.as_str()))
        {
            c["enable"] = Value::Bool(true);
        }
    }
    drop(s);
    ok_msg(res, "Traffic has been reset.");
}

#[handler]
async fn server_status(depot: &mut Depot, res: &mut Response) {
    let shared = shared(depot);
    let mut obj = json!({
        "cpu": 12.5, "cpuCores": 2, "logicalPro": 2, "cpuSpeedMhz": 2400,
        "mem": {"current": 536_870_912u64, "total": 2_147_483_648u64},
        "swap": {"current": 0, "total": 0}, "disk": {"current": 4_294_967_296u64, "total": 21_474_836_480u64},
        "xray": {"state": "running", "errorMsg": "", "version": "25.10.1"},
        "uptime": 86_400, "loads": [0.1, 0.2, 0.3], "tcpCount": 12, "udpCount": 3,
        "netIO": {"up": 1000, "down": 2000}, "netTraffic": {"sent": 1, "recv": 2},
        "publicIP": {"ipv4": "203.0.113.7", "ipv6": ""}, "appStats": {"threads": 9, "mem": 1, "uptime": 1},
    });
    if shared.config.generation == Generation::V3 {
        obj["panelVersion"] = json!("3.6.0");
    }
    ok_obj(res, obj);
}
