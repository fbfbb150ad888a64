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
pub mod permissions;
mod rest;

use std::collections::{BTreeMap, HashMap};
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use serde_json::{Value, json};
use tokio::sync::mpsc;
use tokio_tungstenite::tungstenite::Message;

pub use permissions::{ADMINISTRATOR, MANAGE_GUILD};
use permissions::{Override, bits_of, id_of};

/// What `@everyone` may do on a new Discord server (Discord's defaults, the ones that matter
/// here): see channels, talk, embed, attach, read the history, use application commands.
pub const EVERYONE_DEFAULT: u64 = permissions::VIEW_CHANNEL
    | permissions::SEND_MESSAGES
    | permissions::EMBED_LINKS
    | permissions::ATTACH_FILES
    | permissions::READ_MESSAGE_HISTORY
    | USE_APPLICATION_COMMANDS;
pub const USE_APPLICATION_COMMANDS: u64 = 1 << 31;
/// The privileged intent the shop needs (a switch in the developer portal).
pub const MESSAGE_CONTENT: u64 = 1 << 15;
/// The privileged intents: guild members, presences, message content.
pub const PRIVILEGED_INTENTS: u64 = (1 << 1) | (1 << 8) | MESSAGE_CONTENT;

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
    /// The language of their Discord client, sent with each of their interactions.
    locale: String,
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
    /// The first edit of the original response.
    pub first_edit_at: Option<Instant>,
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
    /// The server's preferred locale.
    guild_locale: String,
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
    /// Application command permission overrides the owner set (Server Settings →
    /// Integrations), by command id, or by the application's id for all its commands.
    pub(crate) command_overrides: HashMap<u64, Vec<Value>>,
    /// Requests refused for a permission the bot lacks (403, code 50013).
    pub(crate) missing_permissions: Vec<String>,
    /// The privileged intents switched on for the application in the developer portal.
    pub(crate) privileged_intents: u64,
    /// The bot token the application has; another one is refused (close 4004).
    pub(crate) token: Option<String>,
    /// The bot's managed role (its permissions are what the invite granted).
    pub(crate) bot_role: u64,
    pub(crate) connection: Option<mpsc::UnboundedSender<Message>>,
    pub(crate) seq: u64,
    pub(crate) readies: u32,
    pub(crate) rest_addr: Option<SocketAddr>,
    pub(crate) gateway_addr: Option<SocketAddr>,
    /// Messages created with `enforce_nonce`: (author, nonce) → (when, the message), so the
    /// same nonce again within [`NONCE_WINDOW`] returns that message instead of a new one.
    pub(crate) nonces: HashMap<(u64, String), (std::time::Instant, Value)>,
    /// Told of every message or channel created, after it is stored and before the answer.
    pub(crate) after_write: Option<AfterWriteHook>,
}

/// How long Discord remembers an enforced nonce: "the past few minutes", so the fake keeps
/// it for less than that and a caller cannot lean on a longer memory than Discord's.
pub(crate) const NONCE_WINDOW: std::time::Duration = std::time::Duration::from_secs(120);

/// A write the fake applied: what it was and where.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Write {
    Message { channel: u64 },
    Channel { name: String },
}

/// What becomes of the answer to a write the fake applied.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AfterWrite {
    Answer,
    /// The write stands but the caller hears 502 Bad Gateway, as when Discord's edge loses
    /// the answer: the caller cannot know the message or channel exists.
    LoseAnswer,
}

pub(crate) type AfterWriteHook = Arc<dyn Fn(&Write) -> AfterWrite + Send + Sync>;

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

    /// A member with the permissions they have in `channel` (as interactions carry them).
    pub(crate) fn member_in(&self, id: u64, channel: u64) -> Value {
        let p = self.people.get(&id);
        payloads::member(
            self.person(id),
            p.map_or(&[][..], |p| &p.roles),
            Some(self.permissions_in(id, channel)),
        )
    }

    pub(crate) fn is_member(&self, user: u64) -> bool {
        self.people.contains_key(&user)
    }

    fn role_permissions(&self, role: u64) -> u64 {
        self.roles
            .iter()
            .find(|r| id_of(&r["id"]) == Some(role))
            .map_or(0, |r| bits_of(&r["permissions"]))
    }

    fn owner(&self) -> u64 {
        self.people
            .iter()
            .find(|(_, p)| p.permissions & ADMINISTRATOR != 0)
            .map_or(1, |(id, _)| *id)
    }

    /// A member's server-wide permissions.
    pub(crate) fn base_permissions(&self, user: u64) -> u64 {
        let Some(p) = self.people.get(&user) else {
            return 0;
        };
        let roles = p.roles.iter().map(|r| self.role_permissions(*r));
        permissions::base(
            self.role_permissions(self.guild),
            roles.chain([p.permissions]),
            user == self.owner(),
        )
    }

    /// A member's permissions in a channel (a DM lets both sides talk). A channel created
    /// without overwrites inside a category keeps the category's.
    pub(crate) fn permissions_in(&self, user: u64, channel: u64) -> u64 {
        let base = self.base_permissions(user);
        let Some(c) = self.channels.get(&channel).filter(|c| c.guild) else {
            return base;
        };
        let overwrites = match (c.overwrites.as_array().is_some_and(Vec::is_empty), c.parent) {
            (true, Some(parent)) => self
                .channels
                .get(&parent)
                .map_or(&c.overwrites, |p| &p.overwrites),
            _ => &c.overwrites,
        };
        let roles = self.people.get(&user).map_or(&[][..], |p| &p.roles);
        permissions::in_channel(base, self.guild, roles, user, overwrites)
    }

    /// The permissions of `needed` that the bot lacks in a channel (none: `Ok`); a refusal is
    /// kept for the tests.
    pub(crate) fn bot_needs(&mut self, what: &str, channel: u64, needed: u64) -> Result<(), u64> {
        let missing = needed & !self.permissions_in(self.bot, channel);
        if missing == 0 {
            return Ok(());
        }
        self.missing_permissions.push(format!(
            "{what} in channel {channel}: missing permissions {missing:#x}"
        ));
        Err(missing)
    }

    /// Whether a member may use a registered command (by name) in a channel, as Discord
    /// decides who sees it.
    fn may_use(&self, user: u64, channel: u64, name: &str) -> Result<(), String> {
        let Some(command) = self
            .commands
            .iter()
            .find(|c| c["name"].as_str() == Some(name))
        else {
            return Err(format!("/{name} is not registered"));
        };
        let in_channel = self.permissions_in(user, channel);
        if in_channel & USE_APPLICATION_COMMANDS == 0 {
            return Err(format!(
                "it cannot use application commands in channel {channel}"
            ));
        }
        let overrides = |id: u64| -> Vec<Override> {
            self.command_overrides
                .get(&id)
                .into_iter()
                .flatten()
                .filter_map(Override::parse)
                .collect()
        };
        let default = match &command["default_member_permissions"] {
            Value::Null => None,
            v => Some(bits_of(v)),
        };
        let roles = self.people.get(&user).map_or(&[][..], |p| &p.roles);
        let allowed = permissions::may_use_command(
            default,
            &overrides(id_of(&command["id"]).unwrap_or(0)),
            &overrides(self.app),
            self.guild,
            (user, roles, self.base_permissions(user)),
            channel,
        );
        if allowed {
            Ok(())
        } else {
            Err(format!(
                "/{name} needs permissions {:#x} (default_member_permissions) or an override in \
                 Server Settings → Integrations",
                default.unwrap_or(0)
            ))
        }
    }

    pub(crate) fn bot_user(&self) -> Value {
        payloads::user(self.bot, "NebulaShop", true)
    }

    pub(crate) fn guild_create(&self) -> Value {
        let channels: Vec<Value> = self
            .channels
            .values()
            .filter(|c| c.guild && !c.deleted)
            .map(|c| {
                let mut v = payloads::channel(c.id, None, &c.name, c.kind, c.parent);
                v["permission_overwrites"] = c.overwrites.clone();
                v
            })
            .collect();
        let members: Vec<Value> = self
            .people
            .keys()
            .map(|id| {
                let mut m = self.member_in(*id, 0);
                if let Some(o) = m.as_object_mut() {
                    o.remove("permissions");
                }
                m
            })
            .collect();
        json!({
            "id": self.guild.to_string(), "name": "Nebula Test Server", "owner_id": self.owner().to_string(),
            "joined_at": payloads::TIMESTAMP, "large": false, "member_count": members.len(), "verification_level": 0,
            "default_message_notifications": 0, "explicit_content_filter": 0, "mfa_level": 0, "nsfw_level": 0,
            "premium_tier": 0, "preferred_locale": self.guild_locale, "premium_progress_bar_enabled": false,
            "system_channel_flags": 0, "afk_timeout": 300, "icon": null, "splash": null, "discovery_splash": null,
            "roles": self.roles, "emojis": [], "features": [], "stickers": [], "members": members,
            "channels": channels, "threads": [], "presences": [], "voice_states": [], "stage_instances": [],
            "guild_scheduled_events": [],
        })
    }
}

/// A token in Discord's shape: the bot's id in base64, a timestamp part, a secret part.
fn bot_token(app: u64, salt: u64) -> String {
    use base64::Engine;
    let id = base64::engine::general_purpose::STANDARD_NO_PAD.encode(app.to_string());
    format!("{id}.GfAkE{salt:x}.fake-secret-part-of-a-bot-token-000000")
}

pub(crate) type Shared = Arc<Mutex<State>>;

pub(crate) fn lock(s: &Shared) -> std::sync::MutexGuard<'_, State> {
    nebula_common::lock(s)
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
            guild_locale: "en-US".into(),
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
            command_overrides: HashMap::new(),
            missing_permissions: Vec::new(),
            privileged_intents: 0,
            token: None,
            bot_role: 0,
            connection: None,
            seq: 0,
            readies: 0,
            rest_addr: None,
            gateway_addr: None,
            nonces: HashMap::new(),
            after_write: None,
        }));
        {
            let mut s = lock(&shared);
            s.app = s.id();
            s.bot = s.app;
            s.guild = s.id();
            let guild = s.guild;
            s.roles
                .push(payloads::role(guild, "@everyone", EVERYONE_DEFAULT, 0));
            // The bot is a member with its managed role: what the invite granted (nothing until
            // a test grants it, as an operator does with the invite link).
            s.token = Some(bot_token(s.app, 0));
            s.bot_role = s.id();
            let (bot, bot_role) = (s.bot, s.bot_role);
            let mut role = payloads::role(bot_role, "NebulaShop", 0, 1);
            role["managed"] = json!(true);
            role["tags"] = json!({"bot_id": bot.to_string()});
            s.roles.push(role);
            s.people.insert(
                bot,
                Person {
                    name: "NebulaShop".into(),
                    roles: vec![bot_role],
                    permissions: 0,
                    accepts_dms: false,
                    locale: "en-US".into(),
                },
            );
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

    /// Calls `hook` after each message or channel the bot creates is stored and before it is
    /// answered: a test loses the answer, the soak kills the shop at that very instant.
    pub fn after_write(&self, hook: impl Fn(&Write) -> AfterWrite + Send + Sync + 'static) {
        lock(&self.shared).after_write = Some(Arc::new(hook));
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
                locale: "en-US".into(),
            },
        );
        id
    }

    /// Sets the language of a user's Discord client (Settings → Language): one of Discord's
    /// locales, as its description lists them; Discord has no other.
    pub fn set_locale(&self, user: u64, locale: &str) {
        assert!(
            openapi::locales().iter().any(|l| l == locale),
            "Discord has no locale {locale:?}"
        );
        if let Some(p) = lock(&self.shared).people.get_mut(&user) {
            p.locale = locale.into();
        }
    }

    /// Sets the server's preferred locale (Server Settings → Community → Overview).
    pub fn set_guild_locale(&self, locale: &str) {
        assert!(
            openapi::locales().iter().any(|l| l == locale),
            "Discord has no locale {locale:?}"
        );
        lock(&self.shared).guild_locale = locale.into();
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
        let missing = s
            .missing_permissions
            .iter()
            .map(|m| format!("a request the bot lacks the permission for: {m}"));
        routes.chain(bodies).chain(missing).collect()
    }

    /// Requests refused because real Discord would refuse their body (should be none).
    pub fn invalid(&self) -> Vec<String> {
        lock(&self.shared).invalid.clone()
    }

    pub fn commands(&self) -> Vec<Value> {
        lock(&self.shared).commands.clone()
    }

    /// Whether the bot is connected to the gateway now.
    pub fn connected(&self) -> bool {
        lock(&self.shared).connection.is_some()
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
                .send(Message::Text(frame))
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
    ) -> Result<String, String> {
        let (payload, token) = {
            let mut s = lock(&self.shared);
            let id = s.id();
            let token = format!("token-{id}");
            let origin = payloads::Origin {
                app: s.app,
                guild: s.guild,
                channel,
                member: s.member_in(user, channel),
                app_permissions: s.permissions_in(s.bot, channel),
                locale: s
                    .people
                    .get(&user)
                    .map_or("en-US".into(), |p| p.locale.clone()),
                guild_locale: s.guild_locale.clone(),
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
        // Real Discord answers the user "This interaction failed" when no bot takes it.
        self.dispatch("INTERACTION_CREATE", payload)?;
        Ok(token)
    }

    /// Whether a user can see a channel (and so what is in it), as Discord decides.
    fn can_see(&self, user: u64, channel: u64) -> Result<(), String> {
        let s = lock(&self.shared);
        if let Some(dm_user) = FakeDiscord::dm_user(&s, channel) {
            return if dm_user == user {
                Ok(())
            } else {
                Err(format!("user {user} cannot see another user's DMs"))
            };
        }
        if s.permissions_in(user, channel) & permissions::VIEW_CHANNEL == 0 {
            return Err(format!(
                "user {user} cannot see channel {channel} on real Discord (its permissions and \
                 overwrites deny View Channel)"
            ));
        }
        Ok(())
    }

    /// A user clicks a button. Returns the interaction's token; panics where real Discord would
    /// not let them (see [`FakeDiscord::try_click`]).
    pub fn click(&self, user: u64, found: &Found) -> String {
        self.try_click(user, found)
            .unwrap_or_else(|e| panic!("{e}"))
    }

    /// A user clicks a button they can see.
    pub fn try_click(&self, user: u64, found: &Found) -> Result<String, String> {
        self.can_see(user, found.channel)?;
        let data = json!({"custom_id": found.custom_id, "component_type": 2});
        self.interact(user, found.channel, 3, data, Some(found.message.clone()))
    }

    /// A user picks values in a string select.
    pub fn select(&self, user: u64, found: &Found, values: &[&str]) -> String {
        self.try_select(user, found, values)
            .unwrap_or_else(|e| panic!("{e}"))
    }

    /// A user picks values in a string select they can see.
    pub fn try_select(&self, user: u64, found: &Found, values: &[&str]) -> Result<String, String> {
        self.can_see(user, found.channel)?;
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
        self.try_submit_modal(user, channel, custom_id, fields)
            .unwrap_or_else(|e| panic!("{e}"))
    }

    /// A user submits a modal, if a bot is there to take it.
    pub fn try_submit_modal(
        &self,
        user: u64,
        channel: u64,
        custom_id: &str,
        fields: &[(&str, &str)],
    ) -> Result<String, String> {
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
    /// roles and attachments); panics where real Discord would not show them the command (see
    /// [`FakeDiscord::try_command`]).
    pub fn command(
        &self,
        user: u64,
        channel: u64,
        name: &str,
        options: Value,
        resolved: Option<Value>,
    ) -> String {
        self.try_command(user, channel, name, options, resolved)
            .unwrap_or_else(|e| panic!("{e}"))
    }

    /// A user runs a slash command, if Discord lets them: it is registered, they may use
    /// application commands in the channel, and its permission overrides or its
    /// `default_member_permissions` allow them.
    pub fn try_command(
        &self,
        user: u64,
        channel: u64,
        name: &str,
        options: Value,
        resolved: Option<Value>,
    ) -> Result<String, String> {
        let data = self.command_data(user, channel, name, options)?;
        let mut data = data;
        if let Some(r) = resolved {
            data["resolved"] = r;
        }
        self.interact(user, channel, 2, data, None)
    }

    /// A user types into a command option that autocompletes: `options` as Discord sends
    /// them, one of them (or a sub-command's) `"focused": true`.
    pub fn autocomplete(&self, user: u64, channel: u64, name: &str, options: Value) -> String {
        let data = self
            .command_data(user, channel, name, options)
            .unwrap_or_else(|e| panic!("{e}"));
        self.interact(user, channel, 4, data, None)
            .unwrap_or_else(|e| panic!("{e}"))
    }

    fn command_data(
        &self,
        user: u64,
        channel: u64,
        name: &str,
        options: Value,
    ) -> Result<Value, String> {
        let s = lock(&self.shared);
        s.may_use(user, channel, name)
            .map_err(|why| format!("user {user} cannot use /{name} on real Discord: {why}"))?;
        let id = s
            .commands
            .iter()
            .find(|c| c["name"].as_str() == Some(name))
            .map(|c| c["id"].clone())
            .unwrap_or(json!("1"));
        Ok(
            json!({"id": id, "name": name, "type": 1, "options": options, "guild_id": s.guild.to_string()}),
        )
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

    /// A user posts a message (with attachments) in a channel; panics where real Discord would
    /// not let them (see [`FakeDiscord::try_post`]).
    pub fn post(&self, user: u64, channel: u64, content: &str, attachments: Vec<Value>) {
        self.try_post(user, channel, content, attachments)
            .unwrap_or_else(|e| panic!("{e}"));
    }

    /// A user posts a message, if they may: they see the channel and may send messages there
    /// (and attach files, for attachments).
    pub fn try_post(
        &self,
        user: u64,
        channel: u64,
        content: &str,
        attachments: Vec<Value>,
    ) -> Result<(), String> {
        self.can_see(user, channel)?;
        {
            let s = lock(&self.shared);
            let needed = permissions::SEND_MESSAGES
                | if attachments.is_empty() {
                    0
                } else {
                    permissions::ATTACH_FILES
                };
            if s.guild_of(channel).is_some() && s.permissions_in(user, channel) & needed != needed {
                return Err(format!(
                    "user {user} may not post that in channel {channel} on real Discord"
                ));
            }
        }
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
                let mut member = s.member_in(user, channel);
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
            let _ = tx.send(Message::Text(json!({"op": 7, "d": null}).to_string()));
        }
    }

    /// Grants the bot's role these permissions, as the invite link does when the owner
    /// accepts it.
    pub fn grant_bot(&self, permissions: u64) {
        let mut s = lock(&self.shared);
        let role = s.bot_role;
        if let Some(r) = s.roles.iter_mut().find(|r| id_of(&r["id"]) == Some(role)) {
            r["permissions"] = json!(permissions.to_string());
        }
    }

    /// Switches privileged intents on for the application, as its owner does in the developer
    /// portal (Bot → Privileged Gateway Intents). A bot asking for one that is off is closed
    /// with 4014.
    pub fn enable_intents(&self, intents: u64) {
        lock(&self.shared).privileged_intents |= intents & PRIVILEGED_INTENTS;
    }

    /// Switches privileged intents off again.
    pub fn disable_intents(&self, intents: u64) {
        lock(&self.shared).privileged_intents &= !intents;
    }

    /// The application's bot token, as the developer portal shows it (its first part is the
    /// application's id in base64); any other is refused (401, and 4004 when identifying).
    pub fn token(&self) -> String {
        lock(&self.shared).token.clone().expect("made at start")
    }

    /// Resets the bot token, as the owner does in the developer portal; the old one stops
    /// working.
    pub fn reset_token(&self) -> String {
        let mut s = lock(&self.shared);
        let token = bot_token(s.app, s.next_id);
        s.token = Some(token.clone());
        token
    }

    /// Sets the permission overrides of a command (by name), or of all the application's
    /// commands (`None`), as the owner does in Server Settings → Integrations: each is
    /// (role or user id, 1 role / 2 user / 3 channel, allowed).
    pub fn set_command_permissions(&self, command: Option<&str>, overrides: &[(u64, u8, bool)]) {
        let mut s = lock(&self.shared);
        let id = match command {
            None => s.app,
            Some(name) => s
                .commands
                .iter()
                .find(|c| c["name"].as_str() == Some(name))
                .and_then(|c| id_of(&c["id"]))
                .unwrap_or_else(|| panic!("/{name} is not registered")),
        };
        let list = overrides
            .iter()
            .map(|(id, kind, allow)| json!({"id": id.to_string(), "type": kind, "permission": allow}))
            .collect();
        s.command_overrides.insert(id, list);
    }
}
