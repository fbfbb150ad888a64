//! The fake's REST side: the routes the bot uses, under `/api/v10`, and the attachment files.

use std::net::SocketAddr;
use std::time::Instant;

use salvo::conn::Acceptor;
use salvo::http::StatusCode;
use salvo::http::request::SecureMaxSize;
use salvo::prelude::*;
use serde_json::{Value, json};

use super::openapi::{self, Encoding};
use super::permissions::{
    ADMINISTRATOR, ATTACH_FILES, EMBED_LINKS, MANAGE_CHANNELS, MANAGE_MESSAGES, MANAGE_ROLES,
    READ_MESSAGE_HISTORY, SEND_MESSAGES, VIEW_CHANNEL, bits_of,
};
use super::{AfterWrite, Channel, FakeDiscord, Recorded, Shared, Write, limits, lock, payloads};

struct Inject(Shared);

#[handler]
impl Inject {
    async fn handle(&self, depot: &mut Depot) {
        depot.insert_typed(self.0.clone());
    }
}

fn shared(depot: &Depot) -> Shared {
    depot.get_typed::<Shared>().cloned().expect("injected")
}

pub(crate) async fn start(shared: Shared) -> std::io::Result<SocketAddr> {
    let api = Router::with_path("api/v10")
        .hoop(authorised)
        .hoop(as_discord_checks)
        .push(Router::with_path("gateway").get(gateway_url))
        .push(Router::with_path("gateway/bot").get(gateway_url))
        .push(Router::with_path("users/@me").get(current_user))
        .push(Router::with_path("users/@me/channels").post(open_dm))
        .push(Router::with_path("oauth2/applications/@me").get(application))
        .push(
            Router::with_path("applications/{app}/guilds/{guild}/commands")
                .put(put_commands)
                .get(get_commands),
        )
        .push(
            Router::with_path("applications/{app}/guilds/{guild}/commands/permissions")
                .get(command_permissions),
        )
        .push(Router::with_path("guilds/{guild}/roles").get(guild_roles))
        .push(Router::with_path("guilds/{guild}/members/{user}").get(guild_member))
        .push(Router::with_path("applications/{app}/commands").put(put_commands))
        .push(Router::with_path("interactions/{id}/{token}/callback").post(callback))
        .push(
            Router::with_path("webhooks/{app}/{token}/messages/@original")
                .patch(edit_original)
                .get(get_original),
        )
        .push(Router::with_path("webhooks/{app}/{token}").post(followup))
        .push(Router::with_path("channels/{channel}/messages").post(create_message))
        .push(
            Router::with_path("channels/{channel}/messages/{message}")
                .patch(edit_message)
                .delete(delete_message),
        )
        .push(
            Router::with_path("channels/{channel}")
                .get(get_channel)
                .delete(delete_channel),
        )
        .push(
            Router::with_path("guilds/{guild}/channels")
                .post(create_channel)
                .get(guild_channels),
        )
        .push(Router::with_path("{**rest}").goal(unmodelled));
    let router = Router::new()
        .hoop(SecureMaxSize::new(64 * 1024 * 1024))
        .hoop(Inject(shared))
        .push(Router::with_path("attachments/{id}/{name}").get(attachment_file))
        .push(api)
        .push(Router::with_path("{**rest}").goal(unmodelled));
    let acceptor = TcpListener::new("127.0.0.1:0")
        .try_bind()
        .await
        .map_err(std::io::Error::other)?;
    let addr = acceptor
        .holdings()
        .first()
        .and_then(|h| h.local_addr.clone().into_std())
        .ok_or_else(|| std::io::Error::other("no address"))?;
    tokio::spawn(Server::new(acceptor).serve(router));
    Ok(addr)
}

/// The body: JSON, or multipart with `payload_json` and files.
async fn body(req: &mut Request) -> (Value, Vec<(String, Vec<u8>)>) {
    let multipart = req.content_type().is_some_and(|m| m.type_() == "multipart");
    if multipart {
        let Ok(form) = req.form_data().await else {
            return (Value::Null, vec![]);
        };
        let json = form
            .fields
            .get("payload_json")
            .and_then(|p| serde_json::from_str(p).ok())
            .unwrap_or(Value::Null);
        let files = form
            .files
            .iter()
            .map(|(_, f)| {
                (
                    f.name().unwrap_or("file").to_owned(),
                    std::fs::read(f.path()).unwrap_or_default(),
                )
            })
            .collect();
        (json, files)
    } else {
        let bytes = req.payload().await.map(|b| b.to_vec()).unwrap_or_default();
        (
            serde_json::from_slice(&bytes).unwrap_or(Value::Null),
            vec![],
        )
    }
}

/// A bot token other than the application's is refused (401), as Discord refuses it.
#[handler]
async fn authorised(req: &mut Request, depot: &mut Depot, res: &mut Response, ctrl: &mut FlowCtrl) {
    let shared = shared(depot);
    let expected = lock(&shared).token.clone();
    let given = req
        .headers()
        .get("authorization")
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    let public = req.uri().path().ends_with("/gateway");
    if let Some(token) = expected
        && !public
        && given.as_deref() != Some(format!("Bot {token}").as_str())
    {
        record(&shared, req, Value::Null, vec![], 401);
        discord_error(res, StatusCode::UNAUTHORIZED, 0, "401: Unauthorized");
        ctrl.skip_rest();
    }
}

/// Refuses, as Discord does (400, code 50035), a body its OpenAPI description or its
/// documented limits do not allow; each refusal is kept for the tests to assert none.
#[handler]
async fn as_discord_checks(
    req: &mut Request,
    depot: &mut Depot,
    res: &mut Response,
    ctrl: &mut FlowCtrl,
) {
    let method = req.method().to_string();
    let path = req.uri().path().to_owned();
    let Some(template) = openapi::operation(&method, &path) else {
        return;
    };
    let encoding = if req.content_type().is_some_and(|m| m.type_() == "multipart") {
        Encoding::Multipart
    } else {
        Encoding::Json
    };
    let (b, files) = body(req).await;
    let mut problems = openapi::check(&method, template, encoding, &b)
        .err()
        .unwrap_or_default();
    problems.extend(limits::check(template, &b));
    if problems.is_empty() {
        return;
    }
    let shared = shared(depot);
    lock(&shared)
        .invalid
        .push(format!("{method} {path}: {}", problems.join("; ")));
    record(&shared, req, b, files, 400);
    res.status_code(StatusCode::BAD_REQUEST);
    res.render(Json(json!({"code": 50035, "message": "Invalid Form Body",
        "errors": {"_errors": problems.iter().map(|p| json!({"code": "BASE_TYPE_INVALID", "message": p})).collect::<Vec<_>>()}})));
    ctrl.skip_rest();
}

fn record(shared: &Shared, req: &Request, body: Value, files: Vec<(String, Vec<u8>)>, status: u16) {
    lock(shared).requests.push(Recorded {
        method: req.method().to_string(),
        path: req.uri().path().to_owned(),
        body,
        files,
        status,
    });
}

fn discord_error(res: &mut Response, status: StatusCode, code: u32, message: &str) {
    res.status_code(status);
    res.render(Json(
        json!({"code": code, "message": message, "errors": {}}),
    ));
}

/// Discord's answer to a request the bot lacks a permission for.
fn missing_permissions(res: &mut Response) {
    discord_error(res, StatusCode::FORBIDDEN, 50013, "Missing Permissions");
}

fn param(req: &Request, name: &str) -> u64 {
    req.param::<String>(name)
        .and_then(|v| v.parse().ok())
        .unwrap_or(0)
}

#[handler]
async fn unmodelled(req: &mut Request, depot: &mut Depot, res: &mut Response) {
    let shared = shared(depot);
    let (b, files) = body(req).await;
    lock(&shared)
        .unmodelled
        .push(format!("{} {}", req.method(), req.uri().path()));
    record(&shared, req, b, files, 404);
    discord_error(res, StatusCode::NOT_FOUND, 0, "404: Not Found");
}

#[handler]
async fn gateway_url(req: &mut Request, depot: &mut Depot, res: &mut Response) {
    let shared = shared(depot);
    record(&shared, req, Value::Null, vec![], 200);
    let gw = lock(&shared).gateway_addr.expect("started");
    res.render(Json(json!({
        "url": format!("ws://{gw}"), "shards": 1,
        "session_start_limit": {"total": 1000, "remaining": 1000, "reset_after": 0, "max_concurrency": 1},
    })));
}

#[handler]
async fn current_user(req: &mut Request, depot: &mut Depot, res: &mut Response) {
    let shared = shared(depot);
    record(&shared, req, Value::Null, vec![], 200);
    let mut me = lock(&shared).bot_user();
    me["verified"] = json!(true);
    me["mfa_enabled"] = json!(false);
    me["flags"] = json!(0);
    res.render(Json(me));
}

#[handler]
async fn application(req: &mut Request, depot: &mut Depot, res: &mut Response) {
    let shared = shared(depot);
    record(&shared, req, Value::Null, vec![], 200);
    let s = lock(&shared);
    res.render(Json(json!({
        "id": s.app.to_string(), "name": "NebulaShop", "description": "", "bot_public": false,
        "bot_require_code_grant": false, "verify_key": "00", "icon": null,
        // The switches of the developer portal's Bot page, as application flags.
        "flags": if s.privileged_intents & super::MESSAGE_CONTENT != 0 { 1u64 << 19 } else { 0 },
        "owner": payloads::user(1, "owner", false),
    })));
}

#[handler]
async fn open_dm(req: &mut Request, depot: &mut Depot, res: &mut Response) {
    let shared = shared(depot);
    let (b, _) = body(req).await;
    let user: u64 = b["recipient_id"]
        .as_str()
        .and_then(|v| v.parse().ok())
        .or_else(|| b["recipient_id"].as_u64())
        .unwrap_or(0);
    record(&shared, req, b, vec![], 200);
    let mut s = lock(&shared);
    let channel = FakeDiscord::open_dm(&mut s, user);
    let recipient = s.person(user);
    res.render(Json(payloads::dm_channel(channel, recipient)));
}

#[handler]
async fn put_commands(req: &mut Request, depot: &mut Depot, res: &mut Response) {
    let shared = shared(depot);
    let (b, _) = body(req).await;
    record(&shared, req, b.clone(), vec![], 200);
    let mut s = lock(&shared);
    let app = s.app;
    let guild = s.guild;
    let mut out = Vec::new();
    for cmd in b.as_array().cloned().unwrap_or_default() {
        let id = s.id();
        let mut c = cmd.clone();
        c["id"] = json!(id.to_string());
        c["application_id"] = json!(app.to_string());
        c["version"] = json!("1");
        c["guild_id"] = json!(guild.to_string());
        if c.get("type").is_none() {
            c["type"] = json!(1);
        }
        if c.get("description").is_none() {
            c["description"] = json!("");
        }
        out.push(c);
    }
    s.commands = out.clone();
    res.render(Json(Value::Array(out)));
}

#[handler]
async fn callback(req: &mut Request, depot: &mut Depot, res: &mut Response) {
    let shared = shared(depot);
    let token: String = req.param("token").unwrap_or_default();
    let (b, files) = body(req).await;
    record(&shared, req, b.clone(), files.clone(), 204);
    let mut s = lock(&shared);
    let Some(log) = s.interactions.get_mut(&token) else {
        drop(s);
        return discord_error(res, StatusCode::NOT_FOUND, 10062, "Unknown interaction");
    };
    let deferred = b["type"].as_u64() == Some(5) || b["type"].as_u64() == Some(6);
    log.callbacks.push(b);
    log.files.extend(files);
    let now = Instant::now();
    log.answered_at.get_or_insert(now);
    if !deferred {
        log.completed_at.get_or_insert(now);
    }
    res.status_code(StatusCode::NO_CONTENT);
}

fn as_message(s: &mut super::State, body: &Value, channel: u64) -> Value {
    let id = s.id();
    let bot = s.bot_user();
    payloads::message(id, channel, Some(s.guild), bot, body, vec![])
}

#[handler]
async fn edit_original(req: &mut Request, depot: &mut Depot, res: &mut Response) {
    let shared = shared(depot);
    let token: String = req.param("token").unwrap_or_default();
    let (b, files) = body(req).await;
    record(&shared, req, b.clone(), files.clone(), 200);
    let mut s = lock(&shared);
    // Discord answers with the edited message, in the interaction's channel; an unknown token
    // is an unknown webhook.
    let Some(channel) = s.interactions.get(&token).map(|log| log.channel) else {
        drop(s);
        return discord_error(res, StatusCode::NOT_FOUND, 10015, "Unknown Webhook");
    };
    let message = as_message(&mut s, &b, channel);
    if let Some(log) = s.interactions.get_mut(&token) {
        log.edited = Some(b);
        log.files.extend(files);
        let now = Instant::now();
        log.answered_at.get_or_insert(now);
        log.completed_at.get_or_insert(now);
        log.first_edit_at.get_or_insert(now);
    }
    res.render(Json(message));
}

#[handler]
async fn get_original(req: &mut Request, depot: &mut Depot, res: &mut Response) {
    let shared = shared(depot);
    record(&shared, req, Value::Null, vec![], 200);
    let token: String = req.param("token").unwrap_or_default();
    let mut s = lock(&shared);
    let Some(log) = s.interactions.get(&token) else {
        drop(s);
        return discord_error(res, StatusCode::NOT_FOUND, 10015, "Unknown Webhook");
    };
    let (channel, data) = (log.channel, log.data().unwrap_or(json!({})));
    let message = as_message(&mut s, &data, channel);
    res.render(Json(message));
}

#[handler]
async fn followup(req: &mut Request, depot: &mut Depot, res: &mut Response) {
    let shared = shared(depot);
    let (b, files) = body(req).await;
    record(&shared, req, b.clone(), files, 200);
    let mut s = lock(&shared);
    let message = as_message(&mut s, &b, 0);
    res.render(Json(message));
}

#[handler]
async fn create_message(req: &mut Request, depot: &mut Depot, res: &mut Response) {
    let shared = shared(depot);
    let channel = param(req, "channel");
    let (b, files) = body(req).await;
    let mut s = lock(&shared);
    let exists = s.channels.get(&channel).is_some_and(|c| !c.deleted);
    if !exists {
        drop(s);
        record(&shared, req, b, files, 404);
        return discord_error(res, StatusCode::NOT_FOUND, 10003, "Unknown Channel");
    }
    if s.guild_of(channel).is_some() {
        let mut needed = VIEW_CHANNEL | SEND_MESSAGES;
        if b["embeds"].as_array().is_some_and(|e| !e.is_empty()) {
            needed |= EMBED_LINKS;
        }
        if !files.is_empty() {
            needed |= ATTACH_FILES;
        }
        if !b["message_reference"].is_null() {
            needed |= READ_MESSAGE_HISTORY;
        }
        if s.bot_needs("sending a message", channel, needed).is_err() {
            drop(s);
            record(&shared, req, b, files, 403);
            return missing_permissions(res);
        }
    }
    if let Some(user) = FakeDiscord::dm_user(&s, channel)
        && !FakeDiscord::accepts_dms(&s, user)
    {
        drop(s);
        record(&shared, req, b, files, 403);
        return discord_error(
            res,
            StatusCode::FORBIDDEN,
            50007,
            "Cannot send messages to this user",
        );
    }
    // `enforce_nonce`: the same author's nonce again within Discord's window returns the
    // message it made, and nothing new is created.
    let nonce = match &b["nonce"] {
        Value::String(n) => Some(n.clone()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
    .filter(|_| b["enforce_nonce"].as_bool() == Some(true));
    let author = s.bot;
    s.nonces
        .retain(|_, (at, _)| at.elapsed() < super::NONCE_WINDOW);
    if let Some(n) = &nonce
        && let Some((_, earlier)) = s.nonces.get(&(author, n.clone()))
    {
        let earlier = earlier.clone();
        drop(s);
        record(&shared, req, b, files, 200);
        return res.render(Json(earlier));
    }
    let addr = s.rest_addr.expect("started");
    let mut attachments = Vec::new();
    for (name, bytes) in &files {
        let id = s.id();
        let url = format!("http://{addr}/attachments/{id}/{name}");
        let content_type = if name.ends_with(".png") {
            "image/png"
        } else {
            "application/octet-stream"
        };
        attachments.push(payloads::attachment(
            id,
            name,
            bytes.len(),
            &url,
            Some(content_type),
        ));
        s.attachments
            .insert(id, (content_type.to_owned(), bytes.clone()));
    }
    let id = s.id();
    let guild = s.guild_of(channel);
    let bot = s.bot_user();
    let mut message = payloads::message(id, channel, guild, bot, &b, attachments);
    if !b["nonce"].is_null() {
        message["nonce"] = b["nonce"].clone();
    }
    if let Some(c) = s.channels.get_mut(&channel) {
        c.messages.push(message.clone());
    }
    if let Some(n) = nonce {
        s.nonces
            .insert((author, n), (Instant::now(), message.clone()));
    }
    drop(s);
    answer_write(
        &shared,
        req,
        res,
        &Write::Message { channel },
        (b, files),
        StatusCode::OK,
        message,
    );
}

/// Answers a write the fake applied, unless the test's hook loses the answer.
fn answer_write(
    shared: &Shared,
    req: &Request,
    res: &mut Response,
    write: &Write,
    (body, files): (Value, Vec<(String, Vec<u8>)>),
    status: StatusCode,
    answer: Value,
) {
    let hook = lock(shared).after_write.clone();
    let after = hook.map_or(AfterWrite::Answer, |h| h(write));
    match after {
        AfterWrite::Answer => {
            record(shared, req, body, files, status.as_u16());
            res.status_code(status);
            res.render(Json(answer));
        }
        AfterWrite::LoseAnswer => {
            record(shared, req, body, files, 502);
            res.status_code(StatusCode::BAD_GATEWAY);
            res.render(Text::Plain("502 Bad Gateway"));
        }
    }
}

#[handler]
async fn edit_message(req: &mut Request, depot: &mut Depot, res: &mut Response) {
    let shared = shared(depot);
    let (channel, id) = (param(req, "channel"), param(req, "message"));
    let (b, files) = body(req).await;
    let mut s = lock(&shared);
    if s.guild_of(channel).is_some()
        && s.bot_needs("editing a message", channel, VIEW_CHANNEL)
            .is_err()
    {
        drop(s);
        record(&shared, req, b, files, 403);
        return missing_permissions(res);
    }
    let found = s.channels.get_mut(&channel).and_then(|c| {
        c.messages
            .iter_mut()
            .find(|m| m["id"].as_str() == Some(&id.to_string()))
    });
    let Some(m) = found else {
        drop(s);
        record(&shared, req, b, files, 404);
        return discord_error(res, StatusCode::NOT_FOUND, 10008, "Unknown Message");
    };
    for key in ["content", "embeds", "components"] {
        if let Some(v) = b.get(key) {
            m[key] = v.clone();
        }
    }
    m["edited_timestamp"] = json!(payloads::TIMESTAMP);
    let edited = m.clone();
    drop(s);
    record(&shared, req, b, files, 200);
    res.render(Json(edited));
}

#[handler]
async fn delete_message(req: &mut Request, depot: &mut Depot, res: &mut Response) {
    let shared = shared(depot);
    let (channel, id) = (param(req, "channel"), param(req, "message"));
    let mut s = lock(&shared);
    // Its own messages the bot may delete; anyone else's needs Manage Messages.
    let bot = s.bot.to_string();
    let others = s.channels.get(&channel).is_some_and(|c| {
        c.messages
            .iter()
            .any(|m| m["id"].as_str() == Some(&id.to_string()) && m["author"]["id"] != bot.as_str())
    });
    let needed = VIEW_CHANNEL | if others { MANAGE_MESSAGES } else { 0 };
    if s.guild_of(channel).is_some() && s.bot_needs("deleting a message", channel, needed).is_err()
    {
        drop(s);
        record(&shared, req, Value::Null, vec![], 403);
        return missing_permissions(res);
    }
    if let Some(c) = s.channels.get_mut(&channel) {
        c.messages
            .retain(|m| m["id"].as_str() != Some(&id.to_string()));
    }
    drop(s);
    record(&shared, req, Value::Null, vec![], 204);
    res.status_code(StatusCode::NO_CONTENT);
}

fn guild_channel(s: &super::State, c: &Channel) -> Value {
    let mut v = payloads::channel(c.id, Some(s.guild), &c.name, c.kind, c.parent);
    v["permission_overwrites"] = c.overwrites.clone();
    v
}

#[handler]
async fn create_channel(req: &mut Request, depot: &mut Depot, res: &mut Response) {
    let shared = shared(depot);
    let (b, _) = body(req).await;
    let mut s = lock(&shared);
    let parent = b["parent_id"]
        .as_str()
        .and_then(|p| p.parse().ok())
        .or_else(|| b["parent_id"].as_u64());
    // Manage Channels where the channel goes; overwrites may allow or deny only what the bot
    // itself has there, and Manage Roles only for administrators.
    let place = parent.unwrap_or(0);
    let mine = s.permissions_in(s.bot, place);
    let mut needed = MANAGE_CHANNELS;
    for o in b["permission_overwrites"].as_array().into_iter().flatten() {
        needed |= bits_of(&o["allow"]) | bits_of(&o["deny"]);
    }
    if needed & MANAGE_ROLES != 0 && mine & ADMINISTRATOR == 0 {
        s.missing_permissions
            .push("an overwrite with Manage Roles needs Administrator".into());
        drop(s);
        record(&shared, req, b, vec![], 403);
        return missing_permissions(res);
    }
    if s.bot_needs("creating a channel", place, needed).is_err() {
        drop(s);
        record(&shared, req, b, vec![], 403);
        return missing_permissions(res);
    }
    let id = s.id();
    let channel = Channel {
        id,
        name: b["name"].as_str().unwrap_or("channel").to_owned(),
        kind: b["type"].as_u64().unwrap_or(0) as u8,
        parent,
        guild: true,
        deleted: false,
        overwrites: b.get("permission_overwrites").cloned().unwrap_or(json!([])),
        messages: vec![],
    };
    let answer = guild_channel(&s, &channel);
    let write = Write::Channel {
        name: channel.name.clone(),
    };
    s.channels.insert(id, channel);
    drop(s);
    answer_write(
        &shared,
        req,
        res,
        &write,
        (b, vec![]),
        StatusCode::CREATED,
        answer,
    );
}

/// The server's channels (threads aside), as `GET /guilds/{guild}/channels` lists them.
#[handler]
async fn guild_channels(req: &mut Request, depot: &mut Depot, res: &mut Response) {
    let shared = shared(depot);
    let s = lock(&shared);
    if param(req, "guild") != s.guild {
        drop(s);
        record(&shared, req, Value::Null, vec![], 404);
        return discord_error(res, StatusCode::NOT_FOUND, 10004, "Unknown Guild");
    }
    let channels: Vec<Value> = s
        .channels
        .values()
        .filter(|c| c.guild && !c.deleted)
        .map(|c| guild_channel(&s, c))
        .collect();
    drop(s);
    record(&shared, req, Value::Null, vec![], 200);
    res.render(Json(channels));
}

#[handler]
async fn get_channel(req: &mut Request, depot: &mut Depot, res: &mut Response) {
    let shared = shared(depot);
    let channel = param(req, "channel");
    let mut s = lock(&shared);
    if s.guild_of(channel).is_some()
        && s.bot_needs("reading a channel", channel, VIEW_CHANNEL)
            .is_err()
    {
        drop(s);
        record(&shared, req, Value::Null, vec![], 403);
        return missing_permissions(res);
    }
    match s.channels.get(&channel).filter(|c| !c.deleted) {
        Some(c) => {
            let v = guild_channel(&s, c);
            drop(s);
            record(&shared, req, Value::Null, vec![], 200);
            res.render(Json(v));
        }
        None => {
            drop(s);
            record(&shared, req, Value::Null, vec![], 404);
            discord_error(res, StatusCode::NOT_FOUND, 10003, "Unknown Channel");
        }
    }
}

#[handler]
async fn delete_channel(req: &mut Request, depot: &mut Depot, res: &mut Response) {
    let shared = shared(depot);
    let channel = param(req, "channel");
    let mut s = lock(&shared);
    if s.channels
        .get(&channel)
        .is_some_and(|c| c.guild && !c.deleted)
        && s.bot_needs("deleting a channel", channel, MANAGE_CHANNELS)
            .is_err()
    {
        drop(s);
        record(&shared, req, Value::Null, vec![], 403);
        return missing_permissions(res);
    }
    let Some(c) = s.channels.get_mut(&channel).filter(|c| !c.deleted) else {
        drop(s);
        record(&shared, req, Value::Null, vec![], 404);
        return discord_error(res, StatusCode::NOT_FOUND, 10003, "Unknown Channel");
    };
    c.deleted = true;
    let c = c.clone();
    let v = guild_channel(&s, &c);
    drop(s);
    record(&shared, req, Value::Null, vec![], 200);
    res.render(Json(v));
}

#[handler]
async fn attachment_file(req: &mut Request, depot: &mut Depot, res: &mut Response) {
    let shared = shared(depot);
    let id = param(req, "id");
    let found = lock(&shared).attachments.get(&id).cloned();
    match found {
        Some((content_type, bytes)) => {
            let _ = res.add_header("content-type", content_type, true);
            res.body(bytes);
        }
        None => res
            .status_code(StatusCode::NOT_FOUND)
            .render(Text::Plain("no such attachment")),
    }
}

#[handler]
async fn get_commands(req: &mut Request, depot: &mut Depot, res: &mut Response) {
    let shared = shared(depot);
    record(&shared, req, Value::Null, vec![], 200);
    let commands = lock(&shared).commands.clone();
    res.render(Json(Value::Array(commands)));
}

/// The permission overrides of the application's commands in the guild (a bot token may read
/// them; only the owner, through the client, may change them).
#[handler]
async fn command_permissions(req: &mut Request, depot: &mut Depot, res: &mut Response) {
    let shared = shared(depot);
    record(&shared, req, Value::Null, vec![], 200);
    let s = lock(&shared);
    let list: Vec<Value> = s
        .command_overrides
        .iter()
        .map(|(id, permissions)| {
            json!({"id": id.to_string(), "application_id": s.app.to_string(),
                "guild_id": s.guild.to_string(), "permissions": permissions})
        })
        .collect();
    drop(s);
    res.render(Json(Value::Array(list)));
}

#[handler]
async fn guild_roles(req: &mut Request, depot: &mut Depot, res: &mut Response) {
    let shared = shared(depot);
    record(&shared, req, Value::Null, vec![], 200);
    let roles = lock(&shared).roles.clone();
    res.render(Json(Value::Array(roles)));
}

#[handler]
async fn guild_member(req: &mut Request, depot: &mut Depot, res: &mut Response) {
    let shared = shared(depot);
    let user = param(req, "user");
    let s = lock(&shared);
    if !s.is_member(user) {
        drop(s);
        record(&shared, req, Value::Null, vec![], 404);
        return discord_error(res, StatusCode::NOT_FOUND, 10007, "Unknown Member");
    }
    let mut member = s.member_in(user, 0);
    drop(s);
    if let Some(o) = member.as_object_mut() {
        o.remove("permissions");
    }
    record(&shared, req, Value::Null, vec![], 200);
    res.render(Json(member));
}
