//! Whether the shop's admins can reach its admin commands on a server, by Discord's rules for
//! application commands (developer docs: Interactions → Application Commands → Permissions):
//! a command's own overrides, then the application's, then its `default_member_permissions`.
//!
//! The admin commands are registered for members with Manage Server ([`ADMIN_COMMANDS`]);
//! members with the shop's admin role need an override that the owner sets in Server Settings →
//! Integrations (a bot cannot). `/setup` and `doctor` read the guild's overrides, which a bot
//! may, and say what is missing. The bot checks the role on every action regardless.

use serenity::all::{
    ApplicationId, Command, CommandPermissionId, CommandPermissionType, CommandPermissions,
    GuildId, Http, Permissions, RoleId,
};

pub use super::invite::ADMIN_COMMANDS;

/// What one level of overrides says for a member holding only `role` (and `@everyone`).
fn level(overrides: Option<&CommandPermissions>, guild: GuildId, role: RoleId) -> Option<bool> {
    let list = &overrides?.permissions;
    let for_role = |id: u64| {
        list.iter()
            .find(|p| p.kind == CommandPermissionType::Role && p.id == CommandPermissionId::new(id))
            .map(|p| p.permission)
    };
    for_role(role.get()).or_else(|| for_role(guild.get()))
}

/// The commands (by name) that a member holding the admin role, and nothing else, cannot use.
pub fn blocked_for_role(
    commands: &[Command],
    overrides: &[CommandPermissions],
    app: ApplicationId,
    guild: GuildId,
    role: (RoleId, Permissions),
    everyone: Permissions,
) -> Vec<String> {
    let of = |id: u64| overrides.iter().find(|o| o.id.get() == id);
    let base = everyone | role.1;
    commands
        .iter()
        .filter(|c| {
            let decided = level(of(c.id.get()), guild, role.0)
                .or_else(|| level(of(app.get()), guild, role.0));
            let allowed = decided.unwrap_or_else(|| match c.default_member_permissions {
                None => true,
                Some(_) if base.contains(Permissions::ADMINISTRATOR) => true,
                Some(needed) if needed.is_empty() => false,
                Some(needed) => base.contains(needed),
            });
            !allowed
        })
        .map(|c| c.name.clone())
        .collect()
}

/// Reads the guild's commands, their overrides and its roles (a bot token may), and returns the
/// commands a member with `role` cannot use.
pub async fn check(http: &Http, guild: GuildId, role: RoleId) -> Result<Vec<String>, String> {
    let app = http
        .application_id()
        .ok_or("the application id is not known yet")?;
    let commands = guild
        .get_commands(http)
        .await
        .map_err(|e| format!("reading the commands: {e}"))?;
    let overrides = guild
        .get_commands_permissions(http)
        .await
        .map_err(|e| format!("reading the command permissions: {e}"))?;
    let roles = guild
        .roles(http)
        .await
        .map_err(|e| format!("reading the roles: {e}"))?;
    let permissions = |id: RoleId| {
        roles
            .get(&id)
            .map_or(Permissions::empty(), |r| r.permissions)
    };
    let role_permissions = roles
        .get(&role)
        .map(|r| r.permissions)
        .ok_or_else(|| format!("the admin role {role} does not exist on the server"))?;
    Ok(blocked_for_role(
        &commands,
        &overrides,
        app,
        guild,
        (role, role_permissions),
        permissions(RoleId::new(guild.get())),
    ))
}

/// What to tell the owner when some admin commands are out of the admin role's reach.
pub fn advice(l: crate::i18n::Locale, blocked: &[String], role: RoleId) -> Option<String> {
    if blocked.is_empty() {
        return None;
    }
    let names: Vec<String> = blocked.iter().map(|n| format!("/{n}")).collect();
    Some(crate::tr!(
        l,
        "admin-role-cannot-use",
        role = format!("<@&{role}>"),
        commands = names.join(", ")
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    const GUILD: u64 = 100;
    const APP: u64 = 5;
    const ROLE: u64 = 7;

    fn command(id: u64, name: &str, default: Option<&str>) -> Command {
        serde_json::from_value(json!({
            "id": id.to_string(), "application_id": APP.to_string(), "guild_id": GUILD.to_string(),
            "name": name, "description": "d", "type": 1, "version": "1",
            "default_member_permissions": default,
        }))
        .unwrap()
    }

    fn overrides(id: u64, list: &[(u64, bool)]) -> CommandPermissions {
        serde_json::from_value(json!({
            "id": id.to_string(), "application_id": APP.to_string(), "guild_id": GUILD.to_string(),
            "permissions": list.iter().map(|(id, allow)| json!({"id": id.to_string(), "type": 1, "permission": allow})).collect::<Vec<_>>(),
        }))
        .unwrap()
    }

    #[test]
    fn the_admin_role_needs_an_override_or_manage_server() {
        let manage = ADMIN_COMMANDS.bits().to_string();
        let commands = [
            command(11, "plan", Some(&manage)),
            command(12, "stats", Some(&manage)),
        ];
        let role = |p: Permissions| (RoleId::new(ROLE), p);
        let blocked = |o: &[CommandPermissions], p: Permissions| {
            blocked_for_role(
                &commands,
                o,
                ApplicationId::new(APP),
                GuildId::new(GUILD),
                role(p),
                Permissions::empty(),
            )
        };
        assert_eq!(blocked(&[], Permissions::empty()), ["plan", "stats"]);
        assert!(blocked(&[], Permissions::MANAGE_GUILD).is_empty());
        assert!(blocked(&[], Permissions::ADMINISTRATOR).is_empty());
        // The owner allowed the role for every command, or for one.
        assert!(blocked(&[overrides(APP, &[(ROLE, true)])], Permissions::empty()).is_empty());
        assert_eq!(
            blocked(&[overrides(11, &[(ROLE, true)])], Permissions::empty()),
            ["stats"]
        );
        // A command's own override wins over the application's.
        assert_eq!(
            blocked(
                &[
                    overrides(APP, &[(ROLE, true)]),
                    overrides(12, &[(ROLE, false)])
                ],
                Permissions::empty()
            ),
            ["stats"]
        );
        let advice = advice(crate::i18n::Locale::En, &["plan".into()], RoleId::new(ROLE)).unwrap();
        assert!(
            advice.contains("/plan") && advice.contains("Integrations"),
            "{advice}"
        );
    }
}
