//! Discord's permission rules, as the fake enforces them (developer docs: Topics → Permissions,
//! and Interactions → Application Commands → Permissions). Written from Discord's documentation,
//! not from the bot's code, so that the bot's own checks are tested against it.

use serde_json::Value;

pub const MANAGE_CHANNELS: u64 = 1 << 4;
pub const ADMINISTRATOR: u64 = 1 << 3;
pub const MANAGE_GUILD: u64 = 1 << 5;
pub const VIEW_CHANNEL: u64 = 1 << 10;
pub const SEND_MESSAGES: u64 = 1 << 11;
pub const MANAGE_MESSAGES: u64 = 1 << 13;
pub const EMBED_LINKS: u64 = 1 << 14;
pub const ATTACH_FILES: u64 = 1 << 15;
pub const READ_MESSAGE_HISTORY: u64 = 1 << 16;
pub const MANAGE_ROLES: u64 = 1 << 28;
/// Every permission bit Discord defines today.
pub const ALL: u64 = (1 << 51) - 1;

/// A snowflake in a JSON field (a string, or a number).
pub fn id_of(v: &Value) -> Option<u64> {
    v.as_str()
        .and_then(|s| s.parse().ok())
        .or_else(|| v.as_u64())
}

/// A permission bitset in a JSON field (Discord sends strings; integers are read too).
pub fn bits_of(v: &Value) -> u64 {
    v.as_str()
        .and_then(|s| s.parse().ok())
        .or_else(|| v.as_u64())
        .unwrap_or(0)
}

/// A member's server-wide permissions: `@everyone`'s and every role's; everything for the owner
/// and for Administrator.
pub fn base(everyone: u64, role_permissions: impl IntoIterator<Item = u64>, owner: bool) -> u64 {
    let perms = role_permissions.into_iter().fold(everyone, |p, r| p | r);
    if owner || perms & ADMINISTRATOR != 0 {
        ALL
    } else {
        perms
    }
}

/// A member's permissions in a channel: the base, then the channel's overwrites in Discord's
/// order (`@everyone`, then all the member's roles together, then the member).
pub fn in_channel(base: u64, guild: u64, roles: &[u64], member: u64, overwrites: &Value) -> u64 {
    if base & ADMINISTRATOR != 0 {
        return ALL;
    }
    let list = overwrites.as_array().map(Vec::as_slice).unwrap_or(&[]);
    let of = |id: u64| {
        list.iter()
            .filter(move |o| id_of(&o["id"]) == Some(id))
            .map(|o| (bits_of(&o["allow"]), bits_of(&o["deny"])))
    };
    let mut perms = base;
    for (allow, deny) in of(guild) {
        perms = (perms & !deny) | allow;
    }
    let (mut allow, mut deny) = (0, 0);
    for role in roles {
        for (a, d) in of(*role) {
            allow |= a;
            deny |= d;
        }
    }
    perms = (perms & !deny) | allow;
    for (allow, deny) in of(member) {
        perms = (perms & !deny) | allow;
    }
    perms
}

/// One application command permission override (`{id, type, permission}`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Override {
    pub id: u64,
    /// 1 a role, 2 a user, 3 a channel.
    pub kind: u8,
    pub allow: bool,
}

impl Override {
    pub fn parse(v: &Value) -> Option<Override> {
        Some(Override {
            id: id_of(&v["id"])?,
            kind: v["type"].as_u64()? as u8,
            allow: v["permission"].as_bool()?,
        })
    }
}

/// What one level of overrides (a command's, or the application's) says for a member in a
/// channel: a channel it is denied in settles it; then the member; then the roles (one allow
/// wins over denies); then `@everyone` (the guild's id). `None`: this level says nothing.
fn level(
    overrides: &[Override],
    guild: u64,
    roles: &[u64],
    member: u64,
    channel: u64,
) -> Option<bool> {
    let all_channels = guild.wrapping_sub(1);
    let channel_rule = overrides
        .iter()
        .find(|o| o.kind == 3 && o.id == channel)
        .or_else(|| {
            overrides
                .iter()
                .find(|o| o.kind == 3 && o.id == all_channels)
        });
    if channel_rule.is_some_and(|o| !o.allow) {
        return Some(false);
    }
    if let Some(o) = overrides.iter().find(|o| o.kind == 2 && o.id == member) {
        return Some(o.allow);
    }
    let mine: Vec<&Override> = overrides
        .iter()
        .filter(|o| o.kind == 1 && roles.contains(&o.id))
        .collect();
    if mine.iter().any(|o| o.allow) {
        return Some(true);
    }
    if !mine.is_empty() {
        return Some(false);
    }
    overrides
        .iter()
        .find(|o| o.kind == 1 && o.id == guild)
        .map(|o| o.allow)
}

/// Whether a member may use (and sees) a command: the command's overrides, then the
/// application's, then the command's `default_member_permissions` (`None`: everyone; `0`:
/// administrators only), which Administrator always satisfies.
pub fn may_use_command(
    default_member_permissions: Option<u64>,
    command_overrides: &[Override],
    app_overrides: &[Override],
    guild: u64,
    member: (u64, &[u64], u64),
    channel: u64,
) -> bool {
    let (id, roles, base) = member;
    if let Some(decided) = level(command_overrides, guild, roles, id, channel)
        .or_else(|| level(app_overrides, guild, roles, id, channel))
    {
        return decided;
    }
    match default_member_permissions {
        None => true,
        Some(_) if base & ADMINISTRATOR != 0 => true,
        Some(0) => false,
        Some(needed) => base & needed == needed,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    const GUILD: u64 = 100;
    const ROLE: u64 = 7;
    const USER: u64 = 42;

    #[test]
    fn overwrites_apply_everyone_then_roles_then_the_member() {
        let hidden =
            json!([{"id": "100", "type": 0, "allow": "0", "deny": VIEW_CHANNEL.to_string()}]);
        let base = base(VIEW_CHANNEL | SEND_MESSAGES, [], false);
        assert_eq!(
            in_channel(base, GUILD, &[ROLE], USER, &hidden) & VIEW_CHANNEL,
            0
        );
        let role_sees = json!([{"id": "100", "type": 0, "allow": "0", "deny": VIEW_CHANNEL.to_string()},
            {"id": "7", "type": 0, "allow": VIEW_CHANNEL.to_string(), "deny": "0"}]);
        assert_ne!(
            in_channel(base, GUILD, &[ROLE], USER, &role_sees) & VIEW_CHANNEL,
            0
        );
        let member_denied = json!([{"id": "7", "type": 0, "allow": VIEW_CHANNEL.to_string(), "deny": "0"},
            {"id": "42", "type": 1, "allow": "0", "deny": VIEW_CHANNEL.to_string()}]);
        assert_eq!(
            in_channel(base, GUILD, &[ROLE], USER, &member_denied) & VIEW_CHANNEL,
            0
        );
        assert_eq!(
            in_channel(
                super::base(0, [ADMINISTRATOR], false),
                GUILD,
                &[],
                USER,
                &hidden
            ),
            ALL
        );
    }

    #[test]
    fn command_permissions_follow_discords_order() {
        let role = Override {
            id: ROLE,
            kind: 1,
            allow: true,
        };
        let member = (USER, &[ROLE][..], 0);
        // default_member_permissions alone: Manage Server is needed, and missing.
        assert!(!may_use_command(
            Some(MANAGE_GUILD),
            &[],
            &[],
            GUILD,
            member,
            1
        ));
        assert!(may_use_command(
            Some(MANAGE_GUILD),
            &[],
            &[],
            GUILD,
            (USER, &[], MANAGE_GUILD),
            1
        ));
        assert!(may_use_command(
            Some(0),
            &[],
            &[],
            GUILD,
            (USER, &[], ADMINISTRATOR),
            1
        ));
        // An override for the role, on the command or for the whole application.
        assert!(may_use_command(
            Some(MANAGE_GUILD),
            &[role],
            &[],
            GUILD,
            member,
            1
        ));
        assert!(may_use_command(
            Some(MANAGE_GUILD),
            &[],
            &[role],
            GUILD,
            member,
            1
        ));
        // The member's own override beats the role's; a channel denied settles it.
        let deny_user = Override {
            id: USER,
            kind: 2,
            allow: false,
        };
        assert!(!may_use_command(
            None,
            &[role, deny_user],
            &[],
            GUILD,
            member,
            1
        ));
        let deny_channel = Override {
            id: 9,
            kind: 3,
            allow: false,
        };
        assert!(!may_use_command(
            None,
            &[role, deny_channel],
            &[],
            GUILD,
            member,
            9
        ));
        // A command-level override wins over the application's.
        let app_deny = Override {
            id: ROLE,
            kind: 1,
            allow: false,
        };
        assert!(may_use_command(
            Some(0),
            &[role],
            &[app_deny],
            GUILD,
            member,
            1
        ));
        assert!(!may_use_command(None, &[], &[app_deny], GUILD, member, 1));
    }
}
