//! Discord's documented limits that its OpenAPI description does not express (or states more
//! loosely than Discord enforces for bots): message content, the embed total, the number of
//! action rows, and the rules for slash commands.

use serde_json::Value;

/// Message content a bot may send (the description allows 4000, which only Nitro users get).
pub const CONTENT: usize = 2000;
/// All embeds of a message together: titles, descriptions, field names and values, footers
/// and author names.
pub const EMBED_TOTAL: usize = 6000;
/// Action rows of a message or modal without the components-v2 flag.
pub const ROWS: usize = 5;
const COMPONENTS_V2: u64 = 1 << 15;
/// A command's names, descriptions and choice names and values together.
pub const COMMAND_TOTAL: usize = 4000;

fn chars(v: &Value) -> usize {
    v.as_str().map_or(0, |s| s.chars().count())
}

/// The problems with a body sent to this operation of the description (`openapi::operation`).
pub fn check(template: &str, body: &Value) -> Vec<String> {
    let mut problems = Vec::new();
    match template {
        "/interactions/{interaction_id}/{interaction_token}/callback" => {
            let data = &body["data"];
            match body["type"].as_u64() {
                Some(4 | 7) => message(data, &mut problems),
                Some(9) => rows(data, "the modal", &mut problems),
                Some(8) => autocomplete(data, &mut problems),
                _ => {}
            }
        }
        "/applications/{application_id}/guilds/{guild_id}/commands"
        | "/applications/{application_id}/commands" => {
            for command in body.as_array().into_iter().flatten() {
                self::command(command, &mut problems);
            }
        }
        "/guilds/{guild_id}/channels" | "/users/@me/channels" => {}
        _ => message(body, &mut problems),
    }
    problems
}

fn message(m: &Value, problems: &mut Vec<String>) {
    let content = chars(&m["content"]);
    if content > CONTENT {
        problems.push(format!(
            "content is {content} characters; the limit is {CONTENT}"
        ));
    }
    let total: usize = m["embeds"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|e| {
            chars(&e["title"])
                + chars(&e["description"])
                + chars(&e["footer"]["text"])
                + chars(&e["author"]["name"])
                + e["fields"]
                    .as_array()
                    .into_iter()
                    .flatten()
                    .map(|f| chars(&f["name"]) + chars(&f["value"]))
                    .sum::<usize>()
        })
        .sum();
    if total > EMBED_TOTAL {
        problems.push(format!(
            "the embeds hold {total} characters; the limit is {EMBED_TOTAL}"
        ));
    }
    if m["flags"].as_u64().unwrap_or(0) & COMPONENTS_V2 == 0 {
        rows(m, "the message", problems);
    }
}

fn rows(v: &Value, what: &str, problems: &mut Vec<String>) {
    let n = v["components"].as_array().map_or(0, Vec::len);
    if n > ROWS {
        problems.push(format!("{what} has {n} action rows; the limit is {ROWS}"));
    }
}

fn autocomplete(data: &Value, problems: &mut Vec<String>) {
    for c in data["choices"].as_array().into_iter().flatten() {
        let name = chars(&c["name"]);
        if !(1..=100).contains(&name) {
            problems.push(format!(
                "an autocomplete choice's name is {name} characters (1 to 100)"
            ));
        }
        if c["value"].is_string() && chars(&c["value"]) > 100 {
            problems.push("an autocomplete choice's value is over 100 characters".into());
        }
    }
}

/// A command or option name: 1 to 32 letters, digits, `-` or `_`, lowercase.
fn valid_name(name: &str) -> bool {
    (1..=32).contains(&name.chars().count())
        && name
            .chars()
            .all(|c| c == '-' || c == '_' || c.is_alphanumeric())
        && name.to_lowercase() == name
}

fn command(c: &Value, problems: &mut Vec<String>) {
    let name = c["name"].as_str().unwrap_or("");
    let mut total = 0;
    let chat_input = c["type"].as_u64().unwrap_or(1) == 1;
    named(c, &format!("/{name}"), chat_input, &mut total, problems);
    if total > COMMAND_TOTAL {
        problems.push(format!(
            "/{name} holds {total} characters of names, descriptions and choices; the limit is \
             {COMMAND_TOTAL}"
        ));
    }
}

/// A command or an option: its name and description, its choices, and its options (required
/// ones first, as Discord demands).
fn named(v: &Value, path: &str, described: bool, total: &mut usize, problems: &mut Vec<String>) {
    let name = v["name"].as_str().unwrap_or("");
    if !valid_name(name) {
        problems.push(format!(
            "{path}: {name:?} is not a command name (1 to 32 lowercase letters, digits, - or _)"
        ));
    }
    let description = chars(&v["description"]);
    if described && !(1..=100).contains(&description) {
        problems.push(format!(
            "{path}: the description is {description} characters (1 to 100)"
        ));
    }
    localized(v, "name_localizations", path, problems, |n| {
        valid_name(n).then_some(()).ok_or("is not a command name")
    });
    localized(v, "description_localizations", path, problems, |d| {
        (1..=100)
            .contains(&d.chars().count())
            .then_some(())
            .ok_or("is not 1 to 100 characters")
    });
    *total += name.chars().count() + description;
    for choice in v["choices"].as_array().into_iter().flatten() {
        let n = chars(&choice["name"]);
        if !(1..=100).contains(&n) {
            problems.push(format!(
                "{path}: a choice's name is {n} characters (1 to 100)"
            ));
        }
        *total += n + choice["value"].as_str().map_or(0, |s| s.chars().count());
        localized(
            choice,
            "name_localizations",
            &format!("{path} choice"),
            problems,
            |c| {
                (1..=100)
                    .contains(&c.chars().count())
                    .then_some(())
                    .ok_or("is not 1 to 100 characters")
            },
        );
    }
    let options = v["options"].as_array().map(Vec::as_slice).unwrap_or(&[]);
    let mut optional_seen = false;
    for o in options {
        let required = o["required"].as_bool().unwrap_or(false);
        let sub = matches!(o["type"].as_u64(), Some(1 | 2));
        if required && optional_seen && !sub {
            problems.push(format!(
                "{path}: required option {:?} comes after an optional one",
                o["name"]
            ));
        }
        optional_seen |= !required && !sub;
        let child = format!("{path} {}", o["name"].as_str().unwrap_or(""));
        named(o, &child, true, total, problems);
    }
}

/// A command's translations: keyed by Discord's own locales only (a key Discord does not
/// know fails the whole registration), each value valid by `rule`.
fn localized(
    v: &Value,
    field: &str,
    path: &str,
    problems: &mut Vec<String>,
    rule: impl Fn(&str) -> Result<(), &'static str>,
) {
    let Some(map) = v[field].as_object() else {
        return;
    };
    for (locale, text) in map {
        if !super::openapi::locales().contains(locale) {
            problems.push(format!(
                "{path}: {field} has {locale:?}, which is not a Discord locale"
            ));
        }
        match text.as_str().map(&rule) {
            Some(Ok(())) => {}
            Some(Err(why)) => problems.push(format!("{path}: {field}[{locale}] {text} {why}")),
            None => problems.push(format!("{path}: {field}[{locale}] is not a string")),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn each_limit_is_enforced() {
        let table = [
            (
                "/channels/{channel_id}/messages",
                json!({"content": "x".repeat(2001)}),
                "content is 2001",
            ),
            (
                "/channels/{channel_id}/messages",
                json!({"embeds": [{"description": "x".repeat(4000)}, {"description": "y".repeat(2001)}]}),
                "the embeds hold 6001",
            ),
            (
                "/channels/{channel_id}/messages",
                json!({"components": [{}, {}, {}, {}, {}, {}]}),
                "6 action rows",
            ),
            (
                "/applications/{application_id}/commands",
                json!([{"name": "Plan", "description": "d"}]),
                "is not a command name",
            ),
            (
                "/applications/{application_id}/commands",
                json!([{"name": "plan", "description": "d", "name_localizations": {"fa": "طرح"}}]),
                "not a Discord locale",
            ),
            (
                "/applications/{application_id}/commands",
                json!([{"name": "plan", "description": "d", "name_localizations": {"ru": "Тариф"}}]),
                "is not a command name",
            ),
            (
                "/applications/{application_id}/commands",
                json!([{"name": "plan", "description": "d", "description_localizations": {"tr": ""}}]),
                "is not 1 to 100 characters",
            ),
            (
                "/applications/{application_id}/commands",
                json!([{"name": "plan", "description": "d", "options": [
                    {"name": "a", "description": "d", "type": 3},
                    {"name": "b", "description": "d", "type": 3, "required": true}]}]),
                "comes after an optional one",
            ),
            (
                "/interactions/{interaction_id}/{interaction_token}/callback",
                json!({"type": 8, "data": {"choices": [{"name": "", "value": "v"}]}}),
                "choice's name is 0",
            ),
        ];
        for (template, body, says) in table {
            let problems = check(template, &body);
            assert!(
                problems.iter().any(|p| p.contains(says)),
                "{body}: {problems:?}"
            );
        }
        assert!(
            check(
                "/channels/{channel_id}/messages",
                &json!({"content": "x".repeat(2000)})
            )
            .is_empty()
        );
    }
}
