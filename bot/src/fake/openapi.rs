//! Request bodies checked against Discord's own OpenAPI description (`bot/discord-api/`,
//! vendored with its licence), so a payload real Discord would refuse fails here too, not only
//! one serenity cannot build. What the description cannot express is in `limits.rs`.
//!
//! Every operation the fake models is compiled once into one validator over one copy of the
//! document: its root holds each operation's request schema under `$defs`, and a body is checked
//! as the value of that operation's property.

use std::collections::HashMap;
use std::sync::OnceLock;

use jsonschema::{Draft, Validator};
use serde_json::{Map, Value, json};

const SPEC: &str = include_str!("../../discord-api/openapi.json");

/// The operations the bot calls that carry a body: (method, the description's path template).
const OPERATIONS: &[(&str, &str)] = &[
    ("POST", "/channels/{channel_id}/messages"),
    ("PATCH", "/channels/{channel_id}/messages/{message_id}"),
    ("POST", "/guilds/{guild_id}/channels"),
    (
        "POST",
        "/interactions/{interaction_id}/{interaction_token}/callback",
    ),
    ("POST", "/webhooks/{webhook_id}/{webhook_token}"),
    (
        "PATCH",
        "/webhooks/{webhook_id}/{webhook_token}/messages/@original",
    ),
    (
        "PUT",
        "/applications/{application_id}/guilds/{guild_id}/commands",
    ),
    ("PUT", "/applications/{application_id}/commands"),
    ("POST", "/users/@me/channels"),
];

/// Discord's locales (`AvailableLocalesEnum` of the description): the only keys a command's
/// `name_localizations` may have, and what an interaction's `locale` can be.
pub fn locales() -> &'static [String] {
    static LOCALES: OnceLock<Vec<String>> = OnceLock::new();
    LOCALES.get_or_init(|| {
        let spec: Value = serde_json::from_str(SPEC).expect("the vendored description parses");
        spec["components"]["schemas"]["AvailableLocalesEnum"]["oneOf"]
            .as_array()
            .expect("the description lists Discord's locales")
            .iter()
            .filter_map(|l| l["const"].as_str().map(str::to_owned))
            .collect()
    })
}

/// How a body arrived.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Encoding {
    Json,
    /// `multipart/form-data`: the checked value is its `payload_json`.
    Multipart,
}

impl Encoding {
    fn media_type(self) -> &'static str {
        match self {
            Encoding::Json => "application/json",
            Encoding::Multipart => "multipart/form-data",
        }
    }
}

fn key(method: &str, template: &str, encoding: Encoding) -> String {
    format!("{method} {template} {}", encoding.media_type())
}

struct Checker {
    validator: Validator,
    /// A union of request types told apart by `type` (the interaction callback): for each
    /// operation, the `type` values of each alternative and its key, so a body is checked
    /// against the one it claims to be and the errors say what is wrong inside it.
    unions: HashMap<String, Vec<(Vec<u64>, String)>>,
}

fn checker() -> &'static Checker {
    static CHECKER: OnceLock<Checker> = OnceLock::new();
    CHECKER.get_or_init(|| {
        let mut spec: Value = serde_json::from_str(SPEC).expect("the vendored description is JSON");
        bitsets_as_strings(&mut spec["components"]);
        // Snowflakes: strings in the description, but Discord reads integers too, and its own
        // upload example numbers new attachments `"id": 0` (reference, Uploading Files).
        let snowflake = &mut spec["components"]["schemas"]["SnowflakeType"];
        let string = snowflake.take();
        *snowflake = json!({"anyOf": [string, {"type": "integer", "minimum": 0}]});
        let mut defs = Map::new();
        let mut properties = Map::new();
        let mut unions = HashMap::new();
        for (method, template) in OPERATIONS {
            let op = &spec["paths"][*template][method.to_ascii_lowercase()];
            for encoding in [Encoding::Json, Encoding::Multipart] {
                let schema = &op["requestBody"]["content"][encoding.media_type()]["schema"];
                if schema.is_null() {
                    continue;
                }
                let name = key(method, template, encoding);
                let mut add = |name: &str, schema: Value| {
                    defs.insert(name.to_owned(), schema);
                    properties.insert(
                        name.to_owned(),
                        json!({"$ref": format!("#/$defs/{}", pointer_escape(name))}),
                    );
                };
                add(&name, schema.clone());
                let mut alternatives = Vec::new();
                for alt in schema["anyOf"].as_array().into_iter().flatten() {
                    let Some(target) = alt["$ref"].as_str() else {
                        continue;
                    };
                    let resolved = target
                        .strip_prefix('#')
                        .and_then(|p| spec.pointer(p))
                        .cloned()
                        .unwrap_or(Value::Null);
                    let types: Vec<u64> = resolved["properties"]["type"]["enum"]
                        .as_array()
                        .into_iter()
                        .flatten()
                        .filter_map(Value::as_u64)
                        .collect();
                    if !types.is_empty() {
                        let alt_name = format!("{name} {target}");
                        add(&alt_name, json!({"$ref": target}));
                        alternatives.push((types, alt_name));
                    }
                }
                if !alternatives.is_empty() {
                    unions.insert(name, alternatives);
                }
            }
        }
        assert!(
            !defs.is_empty(),
            "the description lists the bot's operations"
        );
        let root = json!({
            "$schema": "https://json-schema.org/draft/2020-12/schema",
            "components": spec["components"],
            "$defs": defs,
            "type": "object",
            "properties": properties,
        });
        let validator = jsonschema::options()
            .with_draft(Draft::Draft202012)
            .build(&root)
            .expect("Discord's description compiles as JSON Schema 2020-12");
        Checker { validator, unions }
    })
}

/// Permission bitsets: Discord documents them as strings of digits (topics/permissions) and
/// takes either; its description types them as integers only. Both are accepted here.
const BITSETS: [&str; 4] = ["default_member_permissions", "permissions", "allow", "deny"];

fn bitsets_as_strings(v: &mut Value) {
    match v {
        Value::Object(o) => {
            if let Some(Value::Object(props)) = o.get_mut("properties") {
                for name in BITSETS {
                    if let Some(p) = props.get_mut(name)
                        && p.to_string().contains("\"integer\"")
                    {
                        let integer = p.take();
                        *p = json!({"anyOf": [integer, {"type": "string", "pattern": "^[0-9]+$"}]});
                    }
                }
            }
            o.values_mut().for_each(bitsets_as_strings);
        }
        Value::Array(a) => a.iter_mut().for_each(bitsets_as_strings),
        _ => {}
    }
}

/// A JSON pointer token, percent-encoded for a URI fragment.
fn pointer_escape(token: &str) -> String {
    let escaped = token.replace('~', "~0").replace('/', "~1");
    nebula_gateway::api::path_segment(&escaped).expect("an operation key is never a dot segment")
}

/// The description's path template for a request path under `/api/v10`, if the fake checks it.
pub fn operation(method: &str, path: &str) -> Option<&'static str> {
    let path = path.strip_prefix("/api/v10")?;
    let parts: Vec<&str> = path.trim_start_matches('/').split('/').collect();
    OPERATIONS.iter().find_map(|(m, template)| {
        let t: Vec<&str> = template.trim_start_matches('/').split('/').collect();
        let same = *m == method
            && t.len() == parts.len()
            && t.iter()
                .zip(&parts)
                .all(|(t, p)| t.starts_with('{') || t == p);
        same.then_some(*template)
    })
}

/// Whether Discord's description accepts `body` for this operation; the errors name where.
pub fn check(
    method: &str,
    template: &str,
    encoding: Encoding,
    body: &Value,
) -> Result<(), Vec<String>> {
    let checker = checker();
    let mut name = key(method, template, encoding);
    if let (Some(alternatives), Some(kind)) = (checker.unions.get(&name), body["type"].as_u64())
        && let Some((_, alt)) = alternatives.iter().find(|(types, _)| types.contains(&kind))
    {
        name = alt.clone();
    }
    let instance = json!({ name.clone(): body });
    let prefix = format!("/{}", name.replace('~', "~0").replace('/', "~1"));
    let errors: Vec<String> = checker
        .validator
        .iter_errors(&instance)
        .flat_map(|e| leaves(&e))
        .map(|(at, what)| {
            let at = at.strip_prefix(&prefix).unwrap_or(&at).to_owned();
            format!("{what} at {}", if at.is_empty() { "/" } else { &at })
        })
        .collect();
    if errors.is_empty() {
        Ok(())
    } else {
        Err(errors)
    }
}

/// The errors that say what is wrong: for a value matching none of a union's alternatives, those
/// of the alternative it came closest to, as (where, what). An alternative that fails at the
/// value itself (a `null`, another `type`) is not what the value was meant to be.
fn leaves(e: &jsonschema::ValidationError<'_>) -> Vec<(String, String)> {
    use jsonschema::error::ValidationErrorKind as Kind;
    let here = e.instance_path().to_string();
    match e.kind() {
        Kind::AnyOf { context } | Kind::OneOfNotValid { context } if !context.is_empty() => {
            let alternatives: Vec<Vec<(String, String)>> = context
                .iter()
                .map(|alt| alt.iter().flat_map(leaves).collect::<Vec<_>>())
                .filter(|l| !l.is_empty())
                .collect();
            let meant = alternatives
                .iter()
                .filter(|l| l.iter().any(|(at, _)| *at != here))
                .min_by_key(|l| l.len());
            meant
                .or_else(|| alternatives.iter().min_by_key(|l| l.len()))
                .cloned()
                .unwrap_or_default()
        }
        _ => {
            let mut what = e.to_string();
            if what.chars().count() > 300 {
                what = format!("{}…", what.chars().take(300).collect::<String>());
            }
            vec![(here, what)]
        }
    }
}
