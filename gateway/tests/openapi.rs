//! The gateway's `/v1` description: what `/v1/openapi.json` serves is a valid OpenAPI 3.1
//! document by an independent validator (PyPI `openapi-spec-validator`, installed by
//! `cargo xtask test`), and every route's real answers, its refusals included, are what the
//! document says (checked by `openapi-schema-validator`, not by our own reading).

mod common;

use std::collections::BTreeSet;
use std::process::Command;

use common::{KEY_ID, SECRET, Stack, new_client};
use nebula_gateway::signing::{self, HEADER_KEY, HEADER_NONCE, HEADER_SIGNATURE, HEADER_TIMESTAMP};
use nebula_gateway::sim::Generation;
use serde_json::{Value, json};

/// One real answer, with the route it came from as the document names it.
struct Answer {
    method: &'static str,
    template: &'static str,
    status: u16,
    body: Value,
    headers: Vec<String>,
}

struct Caller<'a> {
    stack: &'a Stack,
    http: reqwest::Client,
    answers: Vec<Answer>,
    nonce: u64,
}

impl Caller<'_> {
    async fn send(
        &mut self,
        method: &'static str,
        template: &'static str,
        path: &str,
        body: Option<Value>,
        sign: bool,
    ) -> u16 {
        let body = body.map(|b| b.to_string().into_bytes()).unwrap_or_default();
        let mut request = self
            .http
            .request(method.parse().unwrap(), format!("{}{path}", self.stack.url))
            .header("content-type", "application/json")
            .body(body.clone());
        if sign {
            self.nonce += 1;
            let nonce = format!("openapi-check-{:08}", self.nonce);
            let t = jiff::Timestamp::now().as_second();
            let canonical = signing::canonical(t, &nonce, method, path, &body);
            request = request
                .header(HEADER_KEY, KEY_ID)
                .header(HEADER_TIMESTAMP, t.to_string())
                .header(HEADER_NONCE, nonce)
                .header(HEADER_SIGNATURE, signing::sign(SECRET, &canonical));
        }
        let response = request.send().await.unwrap();
        let status = response.status().as_u16();
        let headers = response
            .headers()
            .keys()
            .map(|k| k.as_str().to_owned())
            .collect();
        let body: Value = response.json().await.unwrap_or(Value::Null);
        self.answers.push(Answer {
            method,
            template,
            status,
            body,
            headers,
        });
        status
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_description_is_valid_and_every_answer_matches_it() {
    let stack = Stack::start(Generation::V2).await;
    // Served unsigned, to allowed addresses.
    let spec: Value = reqwest::get(format!("{}/v1/openapi.json", stack.url))
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(spec["openapi"], "3.1.0");
    assert_eq!(
        spec["security"],
        json!([{"nebulaKey": [], "nebulaTimestamp": [], "nebulaNonce": [], "nebulaSignature": []}])
    );

    let mut c = Caller {
        stack: &stack,
        http: reqwest::Client::new(),
        answers: Vec::new(),
        nonce: 0,
    };
    let client = serde_json::to_value(new_client("oapi@example")).unwrap();
    let one = "/v1/clients/{email}";
    assert_eq!(
        c.send(
            "POST",
            "/v1/clients",
            "/v1/clients",
            Some(client.clone()),
            true
        )
        .await,
        201
    );
    assert_eq!(
        c.send("POST", "/v1/clients", "/v1/clients", Some(client), true)
            .await,
        200
    );
    assert_eq!(
        c.send("GET", one, "/v1/clients/oapi@example", None, true)
            .await,
        200
    );
    let patch = json!({ "enable": false, "ip_limit": 3 });
    assert_eq!(
        c.send("PATCH", one, "/v1/clients/oapi@example", Some(patch), true)
            .await,
        200
    );
    let reset = "/v1/clients/{email}/reset-traffic";
    assert_eq!(
        c.send(
            "POST",
            reset,
            "/v1/clients/oapi@example/reset-traffic",
            None,
            true
        )
        .await,
        200
    );
    let emails = json!({ "emails": ["oapi@example", "nobody@example"] });
    assert_eq!(
        c.send("POST", "/v1/traffic", "/v1/traffic", Some(emails), true)
            .await,
        200
    );
    let inbound = json!({ "inbound": 1 });
    assert_eq!(
        c.send("POST", "/v1/traffic", "/v1/traffic", Some(inbound), true)
            .await,
        200
    );
    assert_eq!(
        c.send("GET", "/v1/inbounds", "/v1/inbounds", None, true)
            .await,
        200
    );
    assert_eq!(
        c.send("GET", "/v1/status", "/v1/status", None, true).await,
        200
    );
    assert_eq!(c.send("GET", "/v1/ping", "/v1/ping", None, true).await, 200);
    assert_eq!(
        c.send("DELETE", one, "/v1/clients/oapi@example", None, true)
            .await,
        200
    );
    assert_eq!(
        c.send("DELETE", one, "/v1/clients/oapi@example", None, true)
            .await,
        200
    );

    // Refusals, each in the one error shape with the status the document gives it.
    assert_eq!(
        c.send("GET", one, "/v1/clients/oapi@example", None, true)
            .await,
        404
    );
    assert_eq!(
        c.send("GET", "/v1/ping", "/v1/ping", None, false).await,
        401
    );
    let bad = json!({ "email": "x", "inbound_id": "one" });
    assert_eq!(
        c.send("POST", "/v1/clients", "/v1/clients", Some(bad), true)
            .await,
        400
    );
    let huge = json!({ "emails": vec!["a".repeat(60); 2000] });
    assert_eq!(
        c.send("POST", "/v1/traffic", "/v1/traffic", Some(huge), true)
            .await,
        413
    );
    stack.sim.set_fault(nebula_gateway::sim::Fault::Garbage);
    assert_eq!(
        c.send("GET", "/v1/inbounds", "/v1/inbounds", None, true)
            .await,
        502
    );
    stack.sim.set_fault(nebula_gateway::sim::Fault::None);
    stack.sim.go_down().await;
    assert_eq!(
        c.send("GET", "/v1/inbounds", "/v1/inbounds", None, true)
            .await,
        503
    );

    // Every described operation was called and answered successfully at least once.
    let described: BTreeSet<(String, String)> = spec["paths"]
        .as_object()
        .unwrap()
        .iter()
        .flat_map(|(path, item)| {
            item.as_object()
                .unwrap()
                .keys()
                .map(move |m| (path.clone(), m.to_ascii_uppercase()))
        })
        .collect();
    let answered: BTreeSet<(String, String)> = c
        .answers
        .iter()
        .filter(|a| a.status < 300)
        .map(|a| (a.template.to_owned(), a.method.to_owned()))
        .collect();
    assert_eq!(described, answered);

    let dir = tempfile::tempdir().unwrap();
    let spec_file = dir.path().join("openapi.json");
    std::fs::write(&spec_file, spec.to_string()).unwrap();
    let answers: Vec<Value> = c
        .answers
        .iter()
        .map(|a| {
            json!({ "method": a.method, "path": a.template, "status": a.status,
                    "body": a.body, "headers": a.headers })
        })
        .collect();
    let answers_file = dir.path().join("answers.json");
    std::fs::write(&answers_file, Value::Array(answers).to_string()).unwrap();
    let check = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/openapi/check.py");
    let out = Command::new("python3")
        .arg(check)
        .arg(&spec_file)
        .arg(&answers_file)
        .output()
        .expect("python3 runs (cargo xtask test installs openapi-spec-validator)");
    let said = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(out.status.success(), "{said}");
    assert!(
        said.contains(&format!("checked {} answers", c.answers.len())),
        "{said}"
    );
}

/// The document is what the routes are: a checked-in copy would drift, so this only pins what
/// a client relies on.
#[test]
fn the_description_names_the_signing_headers_and_the_error_shape() {
    let doc = nebula_gateway::server::openapi_document();
    let schemes = &doc["components"]["securitySchemes"];
    for (name, header) in [
        ("nebulaKey", HEADER_KEY),
        ("nebulaTimestamp", HEADER_TIMESTAMP),
        ("nebulaNonce", HEADER_NONCE),
        ("nebulaSignature", HEADER_SIGNATURE),
    ] {
        assert_eq!(schemes[name]["type"], "apiKey");
        assert_eq!(schemes[name]["in"], "header");
        assert_eq!(schemes[name]["name"], header);
    }
    let refused = &doc["paths"]["/v1/clients"]["post"]["responses"]["401"];
    assert!(
        refused["description"]
            .as_str()
            .unwrap()
            .contains("bad_signature")
    );
    let error = refused["content"]["application/json"]["schema"]["$ref"]
        .as_str()
        .unwrap()
        .rsplit('/')
        .next()
        .unwrap()
        .to_owned();
    let shape = &doc["components"]["schemas"][&error];
    assert_eq!(shape["required"], json!(["error", "message"]));
}
