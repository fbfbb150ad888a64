//! A fake Discord on loopback (REST + gateway websocket) that drives the real serenity client,
//! for the end-to-end tests and `nebula demo` (`shared/discord-harness.md`).
//!
//! It records every request, answers the routes the bot uses, and records any other route as
//! unmodelled (tests assert there were none). Every event it dispatches is first read back with
//! serenity's own types, so a payload serenity could not read fails at once.

mod gateway;
pub mod limits;
mod openapi;
pub mod payloads;
mod rest;

use std::collections::{BTreeMap, HashMap};
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use serde_json::{Value, json};
use tokio::sync::mpsc;

/// Discord's permission bit for administrators.
pub const ADMINISTRATOR: u64 = 1 << 3;

/// One request the bot made.
#[derive(Debug, Clone)]
pub struct Recorded {
    pub method: String,
    pub path: String,
    /// The JSON body (`payload_json` for multipart).
    pub body: Value,
    /// Files of a multipart body: (filename, bytes).
    pub files: Vec<(String, Vec<u8>)>,
    pub status: u16,
}

#[derive(Debug, Clone)]
pub struct Channel {
    pub id: u64,
    pub name: String,
    pub kind: u8,
    pub parent: Option<u64>,
    pub guild: bool,
    pub deleted: bool,
    pub overwrites: Value,
    pub messages: Vec<Value>,
}

#[derive(Debug, Clone)]
struct Person {
    name: String,
    roles: Vec<u64>,
    permissions: u64,
    accepts_dms: bool,
}

/// An interaction the fake dispatched, and how the bot answered it.
#[derive(Debug, Clone, Default)]
pub struct InteractionLog {
    pub id: u64,
    pub user: u64,
    pub channel: u64,
    /// Interaction callbacks (`{type, data}`), in order.
    pub callbacks: Vec<Value>,
    /// The original response as last edited (for deferred answers).
    pub edited: Option<Value>,
    /// Files sent with the callbacks or edits.
    pub files: Vec<(String, Vec<u8>)>,
    /// When the fake dispatched the interaction.
    pub sent_at: Option<Instant>,
    /// The first callback: what Discord's three-second limit measures.
    pub answered_at: Option<Instant>,
    /// The full answer: a message callback, or the edit of a deferred one.
    pub completed_at: Option<Instant>,
}

impl InteractionLog {
    /// The text of the answer: the edit of a deferred response, or the message callback.
    pub fn text(&self) -> Option<String> {
        if let Some(e) = &self.edited {
            return e.get("content").and_then(Value::as_str).map(str::to_owned);
        }
        self.callbacks.iter().find_map(|c| {
            c.pointer("/data/content")
                .and_then(Value::as_str)
                .map(str::to_owned)
        })
    }

    /// The answer's data (the message callback's, or the edit).
    pub fn data(&self) -> Option<Value> {
        self.edited.clone().or_else(|| {
            self.callbacks
                .iter()
                .find_map(|c| c.get("data").cloned().filter(|d| !d.is_null()))
        })
    }

    /// The callback type: 4 message, 5 deferred, 9 modal, 8 autocomplete...
    pub fn kind(&self) -> Option<u64> {
        self.callbacks
            .first()
            .and_then(|c| c.get("type"))
            .and_then(Value::as_u64)
    }
}

pub(crate) struct State {
    next_id: u64,
    pub(crate) app: u64,
    pub(crate) bot: u64,
    pub(crate) guild: u64,
    people: BTreeMap<u64, Person>,
    roles: Vec<Value>,
    pub(crate) channels: BTreeMap<u64, Channel>,
    /// DM channel id → the user it reaches.
    dms: HashMap<u64, u64>,
    pub(crate) requests: Vec<Recorded>,
    pub(crate) unmodelled: Vec<String>,
    /// Bodies refused as Discord would refuse them (its OpenAPI description, its limits).
    pub(crate) invalid: Vec<String>,
    pub(crate) interactions: HashMap<String, InteractionLog>,
    pub(crate) attachments: HashMap<u64, (String, Vec<u8>)>,
    pub(crate) commands: Vec<Value>,
    pub(crate) connection: Option<mpsc::UnboundedSender<String>>,
    pub(crate) seq: u64,
    pub(crate) readies: u32,
    pub(crate) rest_addr: Option<SocketAddr>,
    pub(crate) gateway_addr: Option<SocketAddr>,
}

impl State {
    pub(crate) fn id(&mut self) -> u64 {
        self.next_id += 1;
        self.next_id
    }

    /// The guild a channel belongs to (`None` for a DM channel), as message payloads carry it.
    pub(crate) fn guild_of(&self, channel: u64) -> Option<u64> {
        self.channels
            .get(&channel)
            .is_some_and(|c| c.guild)
            .then_some(self.guild)
    }

    fn person(&self, id: u64) -> Value {
        let p = self.people.get(&id);
        payloads::user(id, p.map_or("someone", |p| p.name.as_str()), id == self.bot)
    }

    pub(crate) fn member(&self, id: u64) -> Value {
        let p = self.people.get(&id);
        payloads::member(
            self.person(id),
            p.map_or(&[][..], |p| &p.roles),
            Some(p.map_or(0, |p| p.permissions)),
        )
    }

    pub(crate) fn bot_user(&self) -> Value {
        payloads::user(self.bot, "NebulaShop", true)
    }

    pub(crate) fn guild_create(&self) -> Value {
        let channels: Vec<Value> = self
            .channels
            .values()
            .filter(|c| c.guild && !c.deleted)
            .map(|c| payloads::channel(c.id, None, &c.name, c.kind, c.parent))
            .collect();
        let members: Vec<Value> = self
            .people
            .keys()
            .map(|id| {
                let mut m = self.member(*id);
                if let Some(o) = m.as_object_mut() {
                    o.remove("permissions");
                }
                m
            })
            .collect();
        json!({
            "id": self.guild.to_string(), "name": "Nebula Test Server", "owner_id": self.people.keys().next().copied().unwrap_or(1).to_string(),
            "joined_at": payloads::TIMESTAMP, "large": false, "member_count": members.len(), "verification_level": 0,
            "default_message_notifications": 0, "explicit_content_filter": 0, "mfa_level": 0, "nsfw_level": 0,
            "premium_tier": 0, "preferred_locale": "en-US", "premium_progress_bar_enabled": false,
            "system_channel_flags": 0, "afk_timeout": 300, "icon": null, "splash": null, "discovery_splash": null,
            "roles": self.roles, "emojis": [], "features": [], "stickers": [], "members": members,
            "channels": channels, "threads": [], "presences": [], "voice_states": [], "stage_instances": [],
            "guild_scheduled_events": [],
        })
    }
}

pub(crate) type Shared = Arc<Mutex<State>>;

pub(crate) fn lock(s: &Shared) -> std::sync::MutexGuard<'_, State> {
    s.lock().unwrap_or_else(|e| e.into_inner())
}

/// A running fake Discord.
pub struct FakeDiscord {
    shared: Shared,
    rest: SocketAddr,
    gateway: SocketAddr,
}

/// A component a test clicks: where it is and its `custom_id`.
#[derive(Debug, Clone)]
pub struct Found {
    pub channel: u64,
    pub message: Value,
    pub custom_id: String,
}

impl FakeDiscord {
    pub async fn start() -> std::io::Result<FakeDiscord> {
        let shared: Shared = Arc::new(Mutex::new(State {
            next_id: 1_300_000_000_000_000_000,
            app: 0,
            bot: 0,
            guild: 0,
            people: BTreeMap::new(),
            roles: Vec::new(),
            channels: BTreeMap::new(),
            dms: HashMap::new(),
            requests: Vec::new(),
            unmodelled: Vec::new(),
            invalid: Vec::new(),
            interactions: HashMap::new(),
            attachments: HashMap::new(),
            commands: Vec::new(),
            connection: None,
            seq: 0,
            readies: 0,
            rest_addr: None,
            gateway_addr: None,
        }));
        {
            let mut s = lock(&shared);
            s.app = s.id();
            s.bot = s.app;
            s.guild = s.id();
            let guild = s.guild;
            s.roles.push(payloads::role(guild, "@everyone", 0, 0));
        }
        let gateway = gateway::start(shared.clone()).await?;
        let rest = rest::start(shared.clone()).await?;
        {
            let mut s = lock(&shared);
            s.rest_addr = Some(rest);
            s.gateway_addr = Some(gateway);
        }
        Ok(FakeDiscord {
            shared,
            rest,
            gateway,
        })
    }

    /// The API base to give serenity (`HttpBuilder::proxy`).
    pub fn api_base(&self) -> String {
        format!("http://{}", self.rest)
    }

    pub fn gateway_addr(&self) -> SocketAddr {
        self.gateway
    }

    pub fn guild_id(&self) -> u64 {
        lock(&self.shared).guild
    }

    pub fn bot_id(&self) -> u64 {
        lock(&self.shared).bot
    }

    /// Adds a member (`permissions` is the Discord bitfield; [`ADMINISTRATOR`] for an owner).
    pub fn add_member(&self, name: &str, roles: &[u64], permissions: u64) -> u64 {
        let mut s = lock(&self.shared);
        let id = s.id();
        s.people.insert(
            id,
            Person {
                name: name.into(),
                roles: roles.to_vec(),
                permissions,
                accepts_dms: true,
            },
        );
        id
    }

    /// Makes a user refuse DMs (Discord answers 403, code 50007).
    pub fn refuse_dms(&self, user: u64) {
        if let Some(p) = lock(&self.shared).people.get_mut(&user) {
            p.accepts_dms = false;
        }
    }

    pub(crate) fn accepts_dms(s: &State, user: u64) -> bool {
        s.people.get(&user).is_none_or(|p| p.accepts_dms)
    }

    pub(crate) fn dm_user(s: &State, channel: u64) -> Option<u64> {
        s.dms.get(&channel).copied()
    }

    pub(crate) fn open_dm(s: &mut State, user: u64) -> u64 {
        if let Some((c, _)) = s.dms.iter().find(|(_, u)| **u == user) {
            return *c;
        }
        let id = s.id();
        s.dms.insert(id, user);
        s.channels.insert(
            id,
            Channel {
                id,
                name: String::new(),
                kind: 1,
                parent: None,
                guild: false,
                deleted: false,
                overwrites: json!([]),
                messages: vec![],
            },
        );
        id
    }

    pub fn add_role(&self, name: &str, permissions: u64) -> u64 {
        let mut s = lock(&self.shared);
        let id = s.id();
        let position = s.roles.len() as u32;
        s.roles
            .push(payloads::role(id, name, permissions, position));
        id
    }

    /// Adds a guild channel (`kind` 0 text, 4 category).
    pub fn add_channel(&self, name: &str, kind: u8) -> u64 {
        let mut s = lock(&self.shared);
        let id = s.id();
        s.channels.insert(
            id,
            Channel {
                id,
                name: name.into(),
                kind,
                parent: None,
                guild: true,
                deleted: false,
                overwrites: json!([]),
                messages: vec![],
            },
        );
        id
    }

    pub fn channel(&self, id: u64) -> Option<Channel> {
        lock(&self.shared).channels.get(&id).cloned()
    }

    /// Channels the bot created under a category.
    pub fn channels_in(&self, category: u64) -> Vec<Channel> {
        lock(&self.shared)
            .channels
            .values()
            .filter(|c| c.parent == Some(category))
            .cloned()
            .collect()
    }

    /// Messages in a channel (the bot's and the users'), oldest first.
    pub fn messages(&self, channel: u64) -> Vec<Value> {
        lock(&self.shared)
            .channels
            .get(&channel)
            .map(|c| c.messages.clone())
            .unwrap_or_default()
    }

    /// Messages sent to a user by DM.
    pub fn dms_to(&self, user: u64) -> Vec<Value> {
        let s = lock(&self.shared);
        s.dms
            .iter()
            .filter(|(_, u)| **u == user)
            .flat_map(|(c, _)| {
                s.channels
                    .get(c)
                    .map(|c| c.messages.clone())
                    .unwrap_or_default()
            })
            .collect()
    }

    pub fn requests(&self) -> Vec<Recorded> {
        lock(&self.shared).requests.clone()
    }

    /// Routes the fake does not model that the bot called (should be none).
    pub fn unmodelled(&self) -> Vec<String> {
        lock(&self.shared).unmodelled.clone()
    }

    /// What real Discord would not have taken from the bot: routes the fake does not model and
    /// bodies Discord refuses (both should be empty).
    pub fn problems(&self) -> Vec<String> {
        let s = lock(&self.shared);
        let routes = s
            .unmodelled
            .iter()
            .map(|r| format!("an unmodelled route: {r}"));
        let bodies = s
            .invalid
            .iter()
            .map(|b| format!("a body Discord refuses: {b}"));
        routes.chain(bodies).collect()
    }

    /// Requests refused because real Discord would refuse their body (should be none).
    pub fn invalid(&self) -> Vec<String> {
        lock(&self.shared).invalid.clone()
    }

    pub fn commands(&self) -> Vec<Value> {
        lock(&self.shared).commands.clone()
    }

    /// How many times the bot identified (a restart identifies again).
    pub fn readies(&self) -> u32 {
        lock(&self.shared).readies
    }

    pub fn interaction(&self, token: &str) -> Option<InteractionLog> {
        lock(&self.shared).interactions.get(token).cloned()
    }

    pub fn interactions(&self) -> Vec<InteractionLog> {
        lock(&self.shared).interactions.values().cloned().collect()
    }

    /// Polls until `f` returns something, or fails after `timeout`.
    pub async fn wait_for<T>(
        &self,
        what: &str,
        timeout: Duration,
        mut f: impl FnMut(&FakeDiscord) -> Option<T>,
    ) -> T {
        let started = Instant::now();
        loop {
            if let Some(v) = f(self) {
                return v;
            }
            if started.elapsed() > timeout {
                panic!("timed out waiting for {what} ({:?})", self.problems());
            }
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
    }

    /// Waits until the bot is connected (READY handled and commands registered).
    pub async fn wait_ready(&self, readies: u32) {
        self.wait_for("the bot to connect", Duration::from_secs(20), |f| {
            let s = lock(&f.shared);
            (s.readies >= readies && !s.commands.is_empty() && s.connection.is_some()).then_some(())
        })
        .await;
    }

    /// Finds the newest component with this `custom_id` (or starting with it) in a channel.
    pub fn find_component(&self, channel: u64, prefix: &str) -> Option<Found> {
        let s = lock(&self.shared);
        let c = s.channels.get(&channel)?;
        for m in c.messages.iter().rev() {
            for row in m["components"].as_array().into_iter().flatten() {
                for comp in row["components"].as_array().into_iter().flatten() {
                    let id = comp["custom_id"].as_str().unwrap_or("");
                    if id.starts_with(prefix) {
                        return Some(Found {
                            channel,
                            message: m.clone(),
                            custom_id: id.to_owned(),
                        });
                    }
                }
            }
        }
        None
    }

    /// Finds a component in an interaction's (ephemeral) answer.
    pub fn find_in_answer(&self, token: &str, prefix: &str) -> Option<Found> {
        let log = self.interaction(token)?;
        let data = log.data()?;
        for row in data["components"].as_array().into_iter().flatten() {
            for comp in row["components"].as_array().into_iter().flatten() {
                let id = comp["custom_id"].as_str().unwrap_or("");
                if id.starts_with(prefix) {
                    // An ephemeral message: an id of its own, in the interaction's channel.
                    let mut s = lock(&self.shared);
                    let message_id = s.id();
                    let bot = s.bot_user();
                    let message = payloads::message(
                        message_id,
                        log.channel,
                        Some(s.guild),
                        bot,
                        &data,
                        vec![],
                    );
                    return Some(Found {
                        channel: log.channel,
                        message,
                        custom_id: id.to_owned(),
                    });
                }
            }
        }
        None
    }

    fn dispatch(&self, event: &str, d: Value) -> Result<(), String> {
        payloads::check(event, &d)?;
        let mut s = lock(&self.shared);
        s.seq += 1;
        let frame = json!({"op": 0, "s": s.seq, "t": event, "d": d}).to_string();
        match &s.connection {
            Some(tx) => tx
                .send(frame)
                .map_err(|_| "the bot is not connected".to_owned()),
            None => Err("the bot is not connected".into()),
        }
    }

    fn interact(
        &self,
        user: u64,
        channel: u64,
        kind: u8,
        data: Value,
        message: Option<Value>,
    ) -> String {
        let (payload, token) = {
            let mut s = lock(&self.shared);
            let id = s.id();
            let token = format!("token-{id}");
            let origin = payloads::Origin {
                app: s.app,
                guild: s.guild,
                channel,
                member: s.member(user),
            };
            let mut p = payloads::interaction(id, kind, &token, origin, data);
            if let Some(m) = message {
                p["message"] = m;
            }
            s.interactions.insert(
                token.clone(),
                InteractionLog {
                    id,
                    user,
                    channel,
                    sent_at: Some(Instant::now()),
                    ..InteractionLog::default()
                },
            );
            (p, token)
        };
        self.dispatch("INTERACTION_CREATE", payload)
            .unwrap_or_else(|e| panic!("{e}"));
        token
    }

    /// A user clicks a button. Returns the interaction's token.
    pub fn click(&self, user: u64, found: &Found) -> String {
        let data = json!({"custom_id": found.custom_id, "component_type": 2});
        self.interact(user, found.channel, 3, data, Some(found.message.clone()))
    }

    /// A user picks values in a string select.
    pub fn select(&self, user: u64, found: &Found, values: &[&str]) -> String {
        let data = json!({"custom_id": found.custom_id, "component_type": 3, "values": values});
        self.interact(user, found.channel, 3, data, Some(found.message.clone()))
    }

    /// A user submits a modal.
    pub fn submit_modal(
        &self,
        user: u64,
        channel: u64,
        custom_id: &str,
        fields: &[(&str, &str)],
    ) -> String {
        let rows: Vec<Value> = fields
            .iter()
            .map(|(id, value)| json!({"type": 1, "components": [{"type": 4, "custom_id": id, "value": value}]}))
            .collect();
        self.interact(
            user,
            channel,
            5,
            json!({"custom_id": custom_id, "components": rows}),
            None,
        )
    }

    /// A user runs a slash command (`options` as Discord sends them; `resolved` for channels,
    /// roles and attachments).
    pub fn command(
        &self,
        user: u64,
        channel: u64,
        name: &str,
        options: Value,
        resolved: Option<Value>,
    ) -> String {
        let mut data = json!({"id": "1", "name": name, "type": 1, "options": options, "guild_id": self.guild_id().to_string()});
        if let Some(r) = resolved {
            data["resolved"] = r;
        }
        self.interact(user, channel, 2, data, None)
    }

    /// Stores bytes the bot can download, and returns an attachment object for them.
    pub fn attachment(&self, filename: &str, content_type: &str, bytes: Vec<u8>) -> Value {
        let mut s = lock(&self.shared);
        let id = s.id();
        let url = format!(
            "http://{}/attachments/{id}/{filename}",
            s.rest_addr.expect("started")
        );
        let size = bytes.len();
        s.attachments.insert(id, (content_type.to_owned(), bytes));
        payloads::attachment(id, filename, size, &url, Some(content_type))
    }

    /// A user posts a message (with attachments) in a channel.
    pub fn post(&self, user: u64, channel: u64, content: &str, attachments: Vec<Value>) {
        let payload = {
            let mut s = lock(&self.shared);
            let id = s.id();
            let guild = s.guild_of(channel);
            let mut m = payloads::message(
                id,
                channel,
                guild,
                s.person(user),
                &json!({"content": content}),
                attachments,
            );
            if guild.is_some() {
                let mut member = s.member(user);
                if let Some(o) = member.as_object_mut() {
                    o.remove("user");
                    o.remove("permissions");
                }
                m["member"] = member;
            }
            if let Some(c) = s.channels.get_mut(&channel) {
                c.messages.push(m.clone());
            }
            m
        };
        self.dispatch("MESSAGE_CREATE", payload)
            .unwrap_or_else(|e| panic!("{e}"));
    }

    /// Deletes a message as a user would (and tells the bot).
    pub fn delete_message(&self, channel: u64, message: u64) {
        {
            let mut s = lock(&self.shared);
            if let Some(c) = s.channels.get_mut(&channel) {
                c.messages
                    .retain(|m| m["id"].as_str() != Some(&message.to_string()));
            }
        }
        let guild = self.guild_id();
        let d = json!({"id": message.to_string(), "channel_id": channel.to_string(), "guild_id": guild.to_string()});
        self.dispatch("MESSAGE_DELETE", d)
            .unwrap_or_else(|e| panic!("{e}"));
    }

    /// Asks the bot to reconnect (op 7); it resumes.
    pub fn ask_reconnect(&self) {
        if let Some(tx) = &lock(&self.shared).connection {
            let _ = tx.send(json!({"op": 7, "d": null}).to_string());
        }
    }
}
