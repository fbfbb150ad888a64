//! What the bot needs on a server, and the link that asks for it.
//!
//! Server-wide it needs View Channel, Send Messages, Embed Links, Attach Files and Read Message
//! History (the panel, order channels, reviews, QR codes, replies) and Manage Channels (a private
//! channel per order, closed later). It needs the privileged Message Content intent to read the
//! payment screenshots shoppers post. `nebula invite` prints the link.

use serenity::all::Permissions;

/// The permissions the invite link asks for.
pub const PERMISSIONS: Permissions = Permissions::VIEW_CHANNEL
    .union(Permissions::SEND_MESSAGES)
    .union(Permissions::EMBED_LINKS)
    .union(Permissions::ATTACH_FILES)
    .union(Permissions::READ_MESSAGE_HISTORY)
    .union(Permissions::MANAGE_CHANNELS);

/// Who may see and use the admin commands by default: members with Manage Server. An owner
/// gives the shop's admin role access in Server Settings → Integrations (the bot cannot: only
/// a person may change command permissions); the bot checks the role on every action anyway.
pub const ADMIN_COMMANDS: Permissions = Permissions::MANAGE_GUILD;

/// The OAuth2 link that adds the bot with its slash commands and [`PERMISSIONS`].
pub fn url(application_id: u64) -> String {
    format!(
        "https://discord.com/oauth2/authorize?client_id={application_id}&scope=bot+applications.commands&permissions={}",
        PERMISSIONS.bits()
    )
}

/// The application id a bot token carries: its first part is the bot user's id in base64
/// (the same id as the application's).
pub fn application_id(token: &str) -> Option<u64> {
    use base64::Engine;
    let first = token.split('.').next()?;
    let engine = base64::engine::general_purpose::STANDARD_NO_PAD;
    let bytes = engine
        .decode(first.trim_end_matches('='))
        .or_else(|_| base64::engine::general_purpose::URL_SAFE_NO_PAD.decode(first))
        .ok()?;
    std::str::from_utf8(&bytes).ok()?.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_link_asks_for_exactly_what_the_bot_uses() {
        // View Channel 1024 + Send Messages 2048 + Embed Links 16384 + Attach Files 32768 +
        // Read Message History 65536 + Manage Channels 16.
        assert_eq!(PERMISSIONS.bits(), 117_776);
        assert_eq!(
            url(1_234_567_890_123_456_789),
            "https://discord.com/oauth2/authorize?client_id=1234567890123456789&scope=bot+applications.commands&permissions=117776"
        );
    }

    #[test]
    fn a_token_names_its_application() {
        // "1234567890123456789" in base64, then two parts that do not matter here.
        let token = "MTIzNDU2Nzg5MDEyMzQ1Njc4OQ.GaBcDe.xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx";
        assert_eq!(application_id(token), Some(1_234_567_890_123_456_789));
        assert_eq!(application_id("not-a-token"), None);
    }
}
