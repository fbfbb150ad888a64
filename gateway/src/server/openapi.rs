//! The gateway's `/v1` described as OpenAPI 3.1, built from the routes themselves (salvo's
//! `#[endpoint]`s and the `ToSchema`s of `api.rs`), so the description cannot drift from what
//! answers. Served at `/v1/openapi.json` to callers the address allowlist admits, unsigned: it
//! holds nothing secret, and a client needs it before it can sign.
//!
//! What the macros cannot say is added here, once for every route: the signing headers as a
//! security scheme, and the refusals each route can answer with, all in the one error shape.

use salvo::oapi::security::{ApiKey, ApiKeyValue, SecurityScheme};
use salvo::oapi::{Components, Info, OpenApi, RefOr, SecurityRequirement, ToSchema};
use salvo::prelude::*;
use serde_json::{Value, json};

use crate::api::{ErrorBody, ErrorCode};
use crate::server::error::{ApiError, error_code_name};
use crate::signing::{HEADER_KEY, HEADER_NONCE, HEADER_SIGNATURE, HEADER_TIMESTAMP};

/// Where the description is served.
pub const PATH: &str = "v1/openapi.json";

/// The four signing headers, each an `apiKey` scheme; a request needs all four.
const SCHEMES: [(&str, &str, &str); 4] = [
    (
        "nebulaKey",
        HEADER_KEY,
        "The key id, as configured on the gateway.",
    ),
    (
        "nebulaTimestamp",
        HEADER_TIMESTAMP,
        "Unix seconds; at most 300 s from the gateway's clock.",
    ),
    (
        "nebulaNonce",
        HEADER_NONCE,
        "16 to 64 characters of A-Z a-z 0-9 - _, never reused within the window.",
    ),
    (
        "nebulaSignature",
        HEADER_SIGNATURE,
        "hex(HMAC-SHA256(secret, canonical)), where canonical is the lines \"v1\", the \
         timestamp, the nonce, the method in capitals, the path with its query, and \
         hex(SHA-256(body)), joined by \\n.",
    ),
];

/// Refusals any signed route can answer with, before it runs.
const GUARD_REFUSALS: &[ErrorCode] = &[
    ErrorCode::MissingAuth,
    ErrorCode::AddressNotAllowed,
    ErrorCode::RateLimited,
    ErrorCode::BodyTooLarge,
    ErrorCode::InvalidRequest,
    ErrorCode::Internal,
];

/// Refusals of the routes that call the panel.
const PANEL_REFUSALS: &[ErrorCode] = &[
    ErrorCode::PanelRejected,
    ErrorCode::PanelUnavailable,
    ErrorCode::PanelTimeout,
];

/// The description of `v1` (the router of the signed routes, before its guard and its
/// catch-all are added).
pub fn document(v1: &Router) -> Value {
    let info = Info::new("NebulaLinks gateway", env!("CARGO_PKG_VERSION")).description(
        "The signed service next to a 3x-ui panel: the shop makes, changes and reads VLESS \
         clients through it. Every request is signed (see the security schemes); every error \
         answers the one shape `ErrorBody`, whose `error` code says what went wrong.",
    );
    let mut doc = OpenApi::with_info(info).security([SecurityRequirement::default()
        .add::<_, _, &str>(SCHEMES[0].0, [])
        .add::<_, _, &str>(SCHEMES[1].0, [])
        .add::<_, _, &str>(SCHEMES[2].0, [])
        .add::<_, _, &str>(SCHEMES[3].0, [])]);
    for (name, header, description) in SCHEMES {
        doc = doc.add_security_scheme(
            name,
            SecurityScheme::ApiKey(ApiKey::Header(ApiKeyValue::with_description(
                header,
                description,
            ))),
        );
    }
    let mut components = Components::new();
    let error_ref = match ErrorBody::to_schema(&mut components) {
        RefOr::Ref(r) => r.ref_location,
        RefOr::Type(_) => unreachable!("a derived struct schema is referenced"),
    };
    let doc = doc.merge_router(v1);
    let mut value = serde_json::to_value(&doc).expect("an OpenAPI document serializes");
    merge_schemas(&mut value, &components);
    add_refusals(&mut value, &error_ref);
    value
}

fn merge_schemas(doc: &mut Value, components: &Components) {
    let extra = serde_json::to_value(components).expect("components serialize");
    let schemas = doc["components"]["schemas"]
        .as_object_mut()
        .expect("the routes' bodies are in components");
    if let Some(more) = extra["schemas"].as_object() {
        for (name, schema) in more {
            schemas
                .entry(name.clone())
                .or_insert_with(|| schema.clone());
        }
    }
}

/// Adds each refusal a route can give to its responses, grouped by status (several codes share
/// one status: 401 is any of five signing failures).
fn add_refusals(doc: &mut Value, error_ref: &str) {
    let Some(paths) = doc["paths"].as_object_mut() else {
        return;
    };
    for (path, item) in paths.iter_mut() {
        let Some(operations) = item.as_object_mut() else {
            continue;
        };
        for (method, operation) in operations.iter_mut() {
            let mut codes: Vec<ErrorCode> = GUARD_REFUSALS.to_vec();
            codes.extend(signing_failures());
            if !path.ends_with("/ping") {
                codes.extend(PANEL_REFUSALS);
                codes.push(ErrorCode::PanelAuth);
                codes.push(ErrorCode::PanelProtocol);
            }
            if path.contains("{email}") && method != "delete" {
                codes.push(ErrorCode::NotFound);
            }
            let responses = operation["responses"]
                .as_object_mut()
                .expect("every endpoint has responses");
            for code in codes {
                let status = code.status().to_string();
                let entry = responses.entry(status).or_insert_with(|| {
                    json!({
                        "description": "",
                        "content": { "application/json": { "schema": { "$ref": error_ref } } },
                    })
                });
                let line = format!(
                    "`{}`: {}",
                    error_code_name(code),
                    ApiError::new(code).message
                );
                let description = entry["description"].as_str().unwrap_or_default();
                entry["description"] = if description.is_empty() {
                    Value::String(line)
                } else {
                    Value::String(format!("{description}; {line}"))
                };
                if code == ErrorCode::RateLimited {
                    entry["headers"] = json!({
                        "retry-after": {
                            "description": "Seconds until the key may call again.",
                            "schema": { "type": "integer", "minimum": 0 },
                        }
                    });
                }
            }
        }
    }
}

fn signing_failures() -> [ErrorCode; 4] {
    [
        ErrorCode::UnknownKey,
        ErrorCode::ClockSkew,
        ErrorCode::ReplayedNonce,
        ErrorCode::BadSignature,
    ]
}

/// Serves the description, built once at start.
pub struct Serve(pub String);

#[handler]
impl Serve {
    async fn handle(&self, res: &mut Response) {
        res.render(Text::Json(self.0.clone()));
    }
}
