//! The JSON a fake Discord sends, in the shapes serenity 0.12.5 accepts
//! (`shared/discord-harness.md`), and the check that serenity really reads each of them.

use serde_json::{Value, json};

pub const TIMESTAMP: &str = "2026-11-24T10:00:00.000000+00:00";

pub fn user(id: u64, name: &str, bot: bool) -> Value {
    json!({"id": id.to_string(), "username": name, "discriminator": "0", "global_name": name, "avatar": null, "bot": bot})
}

pub fn member(user: Value, roles: &[u64], permissions: Option<u64>) -> Value {
    let mut m = json!({
        "user": user, "roles": roles.iter().map(u64::to_string).collect::<Vec<_>>(),
        "deaf": false, "mute": false, "flags": 0, "joined_at": TIMESTAMP,
    });
    if let Some(p) = permissions {
        m["permissions"] = json!(p.to_string());
    }
    m
}

pub fn role(id: u64, name: &str, permissions: u64, position: u32) -> Value {
    json!({
        "id": id.to_string(), "name": name, "color": 0, "colors": {"primary_color": 0}, "hoist": false,
        "managed": false, "permissions": permissions.to_string(), "position": position, "mentionable": false,
    })
}

pub fn channel(id: u64, guild: Option<u64>, name: &str, kind: u8, parent: Option<u64>) -> Value {
    let mut c = json!({"id": id.to_string(), "name": name, "type": kind, "position": 0, "permission_overwrites": []});
    if let Some(g) = guild {
        c["guild_id"] = json!(g.to_string());
    }
    if let Some(p) = parent {
        c["parent_id"] = json!(p.to_string());
    }
    c
}

pub fn dm_channel(id: u64, recipient: Value) -> Value {
    json!({"id": id.to_string(), "type": 1, "recipients": [recipient], "last_message_id": null})
}

/// A message, as the REST side returns it and as MESSAGE_CREATE carries it.
pub fn message(
    id: u64,
    channel: u64,
    guild: Option<u64>,
    author: Value,
    body: &Value,
    attachments: Vec<Value>,
) -> Value {
    let mut m = json!({
        "id": id.to_string(), "channel_id": channel.to_string(), "author": author,
        "content": body.get("content").cloned().unwrap_or(json!("")),
        "timestamp": TIMESTAMP, "edited_timestamp": null, "tts": false, "mention_everyone": false,
        "mentions": [], "mention_roles": [], "attachments": attachments,
        "embeds": body.get("embeds").cloned().unwrap_or(json!([])),
        "components": body.get("components").cloned().unwrap_or(json!([])),
        "pinned": false, "type": 0,
    });
    if let Some(g) = guild {
        m["guild_id"] = json!(g.to_string());
    }
    m
}

pub fn attachment(
    id: u64,
    filename: &str,
    size: usize,
    url: &str,
    content_type: Option<&str>,
) -> Value {
    let mut a = json!({"id": id.to_string(), "filename": filename, "size": size, "url": url, "proxy_url": url});
    if let Some(ct) = content_type {
        a["content_type"] = json!(ct);
    }
    a
}

/// Who clicked, where: the context every interaction carries.
pub struct Origin {
    pub app: u64,
    pub guild: u64,
    pub channel: u64,
    pub member: Value,
    /// The bot's permissions in the channel.
    pub app_permissions: u64,
    /// The user's client language and the server's preferred locale.
    pub locale: String,
    pub guild_locale: String,
}

/// The fields every interaction needs.
pub fn interaction(id: u64, kind: u8, token: &str, origin: Origin, data: Value) -> Value {
    let Origin {
        app,
        guild,
        channel,
        member,
        app_permissions,
        locale,
        guild_locale,
    } = origin;
    json!({
        "id": id.to_string(), "application_id": app.to_string(), "type": kind, "token": token, "version": 1,
        "channel_id": channel.to_string(), "guild_id": guild.to_string(), "locale": locale, "guild_locale": guild_locale,
        "entitlements": [], "attachment_size_limit": 26_214_400, "app_permissions": app_permissions.to_string(),
        "member": member, "data": data,
    })
}

/// Fails loudly if serenity cannot read a dispatch: a payload serenity silently turns into
/// `Event::Unknown` would make a test time out instead of failing.
pub fn check(event: &str, d: &Value) -> Result<(), String> {
    use serenity::all::{Guild, Interaction, Message, Ready};
    let result = match event {
        "READY" => serde_json::from_value::<Ready>(d.clone()).map(drop),
        "GUILD_CREATE" => serde_json::from_value::<Guild>(d.clone()).map(drop),
        "INTERACTION_CREATE" => serde_json::from_value::<Interaction>(d.clone()).map(drop),
        "MESSAGE_CREATE" => serde_json::from_value::<Message>(d.clone()).map(drop),
        "MESSAGE_DELETE" | "RESUMED" => Ok(()),
        other => return Err(format!("the fake does not model the event {other}")),
    };
    result.map_err(|e| format!("serenity cannot read this {event}: {e}\n{d:#}"))
}
