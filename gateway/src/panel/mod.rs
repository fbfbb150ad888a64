//! The gateway's client for its 3x-ui panel (`shared/3x-ui-api.md`).
//!
//! - Both client APIs in use: `/panel/api/clients/*` (3x-ui 3.1+) and the inbound-scoped routes
//!   (2.x up to 3.0.2), detected after login unless configured.
//! - A Bearer API token where configured (preferred: no session, no CSRF); otherwise one login
//!   whose cookie is reused, with the CSRF token where the panel wants one. A session that is
//!   gone (401, 404 on a known route, a redirect, a non-JSON body) is re-established once per
//!   request, never in a loop; after a refused login no new login is tried for a cooldown, so the
//!   panel's lockout (5 failures in 5 minutes) is never reached.
//! - Every call has a timeout; the service serialises writes (older panels lose concurrent edits).

#[cfg(feature = "fuzzing")]
pub mod fuzzing;
mod model;

use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

pub use model::{NewClient, PanelClient, PanelInbound, PanelStatus, PanelTraffic, RETIRED};
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use tokio::sync::Mutex;
use tracing::{debug, warn};

use crate::api::PanelApi;

/// How the gateway proves itself to the panel.
#[derive(Clone)]
pub enum PanelCredentials {
    Token(String),
    Login { username: String, password: String },
}

impl std::fmt::Debug for PanelCredentials {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            PanelCredentials::Token(_) => f.write_str("Token(<redacted>)"),
            PanelCredentials::Login { username, .. } => write!(f, "Login({username}, <redacted>)"),
        }
    }
}

#[derive(Debug, Clone)]
pub struct PanelConfig {
    /// `scheme://host:port/<webBasePath>/`.
    pub url: String,
    pub credentials: PanelCredentials,
    /// `None`: detect after login.
    pub api: Option<PanelApi>,
    pub timeout: Duration,
    /// Trust a self-signed certificate on the panel.
    pub accept_invalid_certs: bool,
    /// How long after a refused login no new login is tried.
    pub login_cooldown: Duration,
}

/// What went wrong talking to the panel. Messages are for logs; the service maps each to one
/// error code without the detail.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PanelError {
    #[error("the panel cannot be reached: {0}")]
    Unreachable(String),
    #[error("the panel did not answer in time")]
    Timeout,
    #[error("the panel refused the gateway's credentials: {0}")]
    Auth(String),
    #[error("the panel refused: {0}")]
    Rejected(String),
    #[error("the panel answered something that is not its API: {0}")]
    Protocol(String),
}

impl PanelError {
    /// The panel says the email is taken (both generations' wordings).
    pub fn is_duplicate(&self) -> bool {
        matches!(self, PanelError::Rejected(m) if m.contains("Duplicate email") || m.contains("email already in use"))
    }

    fn is_not_found(&self) -> bool {
        matches!(self, PanelError::Rejected(m) if m.contains("record not found") || m.contains("not found in any inbound") || m.contains("Not Found"))
    }

    /// 3x-ui 2.x refuses to delete an inbound's last client.
    pub fn is_last_client(&self) -> bool {
        matches!(self, PanelError::Rejected(m) if m.contains("no client remained"))
    }
}

/// The panel's `{success, msg, obj}` envelope.
#[derive(Debug, serde::Deserialize)]
struct Envelope {
    success: bool,
    #[serde(default)]
    msg: String,
    #[serde(default)]
    obj: Value,
}

#[derive(Debug, Default)]
struct Session {
    logged_in: bool,
    csrf: Option<String>,
    api: Option<PanelApi>,
    refused_at: Option<Instant>,
}

enum Outcome {
    Ok(Envelope),
    /// The session is gone (or the CSRF token stale): log in again and retry once.
    SessionGone,
}

pub struct Panel {
    cfg: PanelConfig,
    base: String,
    http: reqwest::Client,
    session: Mutex<Session>,
    logins: AtomicU64,
}

impl Panel {
    pub fn new(cfg: PanelConfig) -> Result<Panel, PanelError> {
        let mut base = cfg.url.trim().to_owned();
        if !base.ends_with('/') {
            base.push('/');
        }
        let http = reqwest::Client::builder()
            .cookie_store(true)
            .redirect(reqwest::redirect::Policy::none())
            .timeout(cfg.timeout)
            .danger_accept_invalid_certs(cfg.accept_invalid_certs)
            .build()
            .map_err(|e| PanelError::Unreachable(e.to_string()))?;
        let session = Session {
            api: cfg.api,
            ..Session::default()
        };
        Ok(Panel {
            cfg,
            base,
            http,
            session: Mutex::new(session),
            logins: AtomicU64::new(0),
        })
    }

    /// Logins performed so far (a well-behaved gateway logs in rarely).
    pub fn logins(&self) -> u64 {
        self.logins.load(Ordering::Relaxed)
    }

    fn token(&self) -> Option<&str> {
        match &self.cfg.credentials {
            PanelCredentials::Token(t) => Some(t),
            PanelCredentials::Login { .. } => None,
        }
    }

    /// One HTTP exchange, classified. `path` is relative to the base path.
    async fn exchange(
        &self,
        method: Method,
        path: &str,
        body: Option<&Value>,
        csrf: Option<&str>,
    ) -> Result<Outcome, PanelError> {
        let mut req = self
            .http
            .request(method.clone(), format!("{}{path}", self.base))
            .header("X-Requested-With", "XMLHttpRequest")
            .header("Accept-Language", "en-US")
            .header("Accept", "application/json");
        if let Some(token) = self.token() {
            req = req.bearer_auth(token);
        } else if let Some(csrf) = csrf.filter(|_| method != Method::GET) {
            req = req.header("X-CSRF-Token", csrf);
        }
        if let Some(body) = body {
            req = req.json(body);
        }
        let started = Instant::now();
        let sent = req.send().await;
        metrics::histogram!("nebula_gateway_panel_seconds", "method" => method.as_str().to_owned())
            .record(started.elapsed().as_secs_f64());
        let res = sent.map_err(transport)?;
        let status = res.status();
        let bytes = res.bytes().await.map_err(transport)?;
        if status.is_redirection()
            || status == StatusCode::UNAUTHORIZED
            || status == StatusCode::NOT_FOUND
        {
            return Ok(Outcome::SessionGone);
        }
        if status == StatusCode::FORBIDDEN && bytes.is_empty() {
            // A cookie call without a valid CSRF token.
            return Ok(Outcome::SessionGone);
        }
        if !status.is_success() {
            return Err(PanelError::Protocol(format!("HTTP {status}")));
        }
        match serde_json::from_slice::<Envelope>(&bytes) {
            Ok(env) => Ok(Outcome::Ok(env)),
            // A login page or garbage where JSON was expected: treat as a lost session once.
            Err(_) if bytes.starts_with(b"<") => Ok(Outcome::SessionGone),
            Err(e) => Err(PanelError::Protocol(format!(
                "not the panel's JSON envelope ({e})"
            ))),
        }
    }

    /// A new CSRF token for a login (3.0+), fetched for every login so that nothing a failed
    /// exchange left behind is reused; `None` where the panel has no CSRF flow (2.x answers
    /// the route 404, or with its login page). Anything else (a 5xx, garbage) is an error, not
    /// a conclusion about the panel.
    async fn fresh_csrf(&self) -> Result<Option<String>, PanelError> {
        let res = self
            .http
            .get(format!("{}csrf-token", self.base))
            .header("Accept", "application/json")
            .send()
            .await
            .map_err(transport)?;
        let status = res.status();
        let bytes = res.bytes().await.map_err(transport)?;
        if status == StatusCode::NOT_FOUND || status.is_redirection() || bytes.starts_with(b"<") {
            return Ok(None);
        }
        if !status.is_success() {
            return Err(PanelError::Protocol(format!(
                "csrf-token answered HTTP {status}"
            )));
        }
        let body: Value = serde_json::from_slice(&bytes).map_err(|e| {
            PanelError::Protocol(format!("csrf-token is not the panel's JSON ({e})"))
        })?;
        match body.get("obj").and_then(Value::as_str) {
            Some(token) if !token.is_empty() => Ok(Some(token.to_owned())),
            _ => Err(PanelError::Protocol("csrf-token answered no token".into())),
        }
    }

    /// Logs in (cookie + CSRF where the panel uses it). Refuses to try again within the cooldown
    /// after a refused login.
    /// Logs in, counting each attempt by how it went.
    async fn login(&self, s: &mut Session) -> Result<(), PanelError> {
        let result = self.login_once(s).await;
        let outcome = match &result {
            Ok(()) => "ok",
            Err(PanelError::Auth(_)) => "refused",
            Err(_) => "error",
        };
        metrics::counter!("nebula_gateway_panel_logins_total", "outcome" => outcome).increment(1);
        result
    }

    async fn login_once(&self, s: &mut Session) -> Result<(), PanelError> {
        let PanelCredentials::Login { username, password } = &self.cfg.credentials else {
            return Err(PanelError::Auth(
                "the panel did not accept the API token".into(),
            ));
        };
        if let Some(at) = s.refused_at
            && at.elapsed() < self.cfg.login_cooldown
        {
            return Err(PanelError::Auth(
                "a recent login was refused; waiting before trying again".into(),
            ));
        }
        s.logged_in = false;
        s.csrf = self.fresh_csrf().await?;
        self.logins.fetch_add(1, Ordering::Relaxed);
        let mut req = self
            .http
            .post(format!("{}login", self.base))
            .header("X-Requested-With", "XMLHttpRequest")
            .header("Accept-Language", "en-US")
            .json(&json!({ "username": username, "password": password }));
        if let Some(csrf) = &s.csrf {
            req = req.header("X-CSRF-Token", csrf);
        }
        let res = req.send().await.map_err(transport)?;
        let status = res.status();
        let env: Option<Envelope> = res.json().await.ok();
        match env {
            Some(env) if env.success => {
                debug!("logged in to the panel");
                s.logged_in = true;
                s.refused_at = None;
                Ok(())
            }
            Some(env) => {
                s.refused_at = Some(Instant::now());
                warn!("the panel refused the login");
                Err(PanelError::Auth(env.msg))
            }
            // Not a refusal (the panel failing, or a CSRF token gone stale in between): no
            // cooldown, so the next request may log in again, with a new CSRF token.
            None if status == StatusCode::FORBIDDEN => Err(PanelError::Auth(
                "the panel refused the login's CSRF token".into(),
            )),
            None => Err(PanelError::Protocol(format!(
                "login answered HTTP {status}"
            ))),
        }
    }

    /// A call with the session handled: logs in first if needed, and on a lost session logs in
    /// again and retries once.
    async fn call(
        &self,
        method: Method,
        path: &str,
        body: Option<Value>,
    ) -> Result<Envelope, PanelError> {
        let csrf = {
            let mut s = self.session.lock().await;
            if self.token().is_none() && !s.logged_in {
                self.login(&mut s).await?;
            }
            s.csrf.clone()
        };
        match self
            .exchange(method.clone(), path, body.as_ref(), csrf.as_deref())
            .await?
        {
            Outcome::Ok(env) => Ok(env),
            Outcome::SessionGone if self.token().is_some() => Err(PanelError::Auth(
                "the panel did not accept the API token".into(),
            )),
            Outcome::SessionGone => {
                let csrf = {
                    let mut s = self.session.lock().await;
                    // Another call may have logged in again meanwhile.
                    if s.csrf == csrf || !s.logged_in {
                        self.login(&mut s).await?;
                    }
                    s.csrf.clone()
                };
                match self
                    .exchange(method, path, body.as_ref(), csrf.as_deref())
                    .await?
                {
                    Outcome::Ok(env) => Ok(env),
                    Outcome::SessionGone => Err(PanelError::Auth(
                        "the session was refused right after a new login".into(),
                    )),
                }
            }
        }
    }

    /// A call whose `success:false` is an error.
    async fn ok(
        &self,
        method: Method,
        path: &str,
        body: Option<Value>,
    ) -> Result<Value, PanelError> {
        let env = self.call(method, path, body).await?;
        if env.success {
            Ok(env.obj)
        } else {
            Err(PanelError::Rejected(env.msg.trim().to_owned()))
        }
    }

    /// Which client API the panel speaks (configured, or detected once).
    pub async fn api(&self) -> Result<PanelApi, PanelError> {
        if let Some(api) = self.session.lock().await.api {
            return Ok(api);
        }
        // 3.1+ answers `clients/list`; older panels 404 it. A 404 is also what a lost session
        // looks like, so confirm with a route every version has.
        let csrf = {
            let mut s = self.session.lock().await;
            if self.token().is_none() && !s.logged_in {
                self.login(&mut s).await?;
            }
            s.csrf.clone()
        };
        let api = match self
            .exchange(Method::GET, "panel/api/clients/list", None, csrf.as_deref())
            .await?
        {
            Outcome::Ok(_) => PanelApi::Clients,
            Outcome::SessionGone => {
                self.ok(Method::GET, "panel/api/inbounds/list", None)
                    .await?;
                let csrf = self.session.lock().await.csrf.clone();
                match self
                    .exchange(Method::GET, "panel/api/clients/list", None, csrf.as_deref())
                    .await?
                {
                    Outcome::Ok(_) => PanelApi::Clients,
                    Outcome::SessionGone => PanelApi::InboundScoped,
                }
            }
        };
        self.session.lock().await.api = Some(api);
        Ok(api)
    }

    /// The client with this email, with its traffic, or `None`.
    pub async fn find_client(&self, email: &str) -> Result<Option<PanelClient>, PanelError> {
        match self.api().await? {
            PanelApi::Clients => {
                let obj = match self
                    .ok(
                        Method::GET,
                        &format!("panel/api/clients/get/{}", segment(email)?),
                        None,
                    )
                    .await
                {
                    Ok(obj) => obj,
                    Err(e) if e.is_not_found() => return Ok(None),
                    Err(e) => return Err(e),
                };
                let mut client = PanelClient::from_g3(&obj)?;
                let traffic = self
                    .ok(
                        Method::GET,
                        &format!("panel/api/clients/traffic/{}", segment(email)?),
                        None,
                    )
                    .await?;
                if !traffic.is_null() {
                    client.up = traffic.get("up").and_then(Value::as_u64).unwrap_or(0);
                    client.down = traffic.get("down").and_then(Value::as_u64).unwrap_or(0);
                }
                Ok(Some(client))
            }
            PanelApi::InboundScoped => {
                let list = self.inbounds_raw().await?;
                Ok(list.iter().find_map(|i| i.client(email)))
            }
        }
    }

    /// Creates a client on `inbound_id`. Whether the email existed is for the caller to check.
    pub async fn add_client(
        &self,
        inbound_id: u32,
        client: &PanelClient,
    ) -> Result<(), PanelError> {
        match self.api().await? {
            PanelApi::Clients => {
                let body = json!({ "client": client.body(), "inboundIds": [inbound_id] });
                self.ok(Method::POST, "panel/api/clients/add", Some(body))
                    .await
                    .map(drop)
            }
            PanelApi::InboundScoped => {
                let settings = json!({ "clients": [client.body()] }).to_string();
                let body = json!({ "id": inbound_id, "settings": settings });
                self.ok(Method::POST, "panel/api/inbounds/addClient", Some(body))
                    .await
                    .map(drop)
            }
        }
    }

    /// Replaces a client (both APIs replace, never patch): sends it whole, as read.
    pub async fn update_client(&self, client: &PanelClient) -> Result<(), PanelError> {
        match self.api().await? {
            PanelApi::Clients => {
                let path = format!("panel/api/clients/update/{}", segment(client.email())?);
                self.ok(Method::POST, &path, Some(client.body()))
                    .await
                    .map(drop)
            }
            PanelApi::InboundScoped => {
                let settings = json!({ "clients": [client.body()] }).to_string();
                let body = json!({ "id": client.inbound_id, "settings": settings });
                let path = format!(
                    "panel/api/inbounds/updateClient/{}",
                    segment(client.uuid())?
                );
                self.ok(Method::POST, &path, Some(body)).await.map(drop)
            }
        }
    }

    /// Deletes a client; `false` if it was already gone.
    pub async fn delete_client(&self, client: &PanelClient) -> Result<bool, PanelError> {
        let path = match self.api().await? {
            PanelApi::Clients => format!("panel/api/clients/del/{}", segment(client.email())?),
            PanelApi::InboundScoped => format!(
                "panel/api/inbounds/{}/delClient/{}",
                client.inbound_id,
                segment(client.uuid())?
            ),
        };
        match self.ok(Method::POST, &path, None).await {
            Ok(_) => Ok(true),
            Err(e) if e.is_not_found() => Ok(false),
            Err(e) => Err(e),
        }
    }

    pub async fn reset_traffic(&self, client: &PanelClient) -> Result<(), PanelError> {
        let path = match self.api().await? {
            PanelApi::Clients => format!(
                "panel/api/clients/resetTraffic/{}",
                segment(client.email())?
            ),
            PanelApi::InboundScoped => format!(
                "panel/api/inbounds/{}/resetClientTraffic/{}",
                client.inbound_id,
                segment(client.email())?
            ),
        };
        self.ok(Method::POST, &path, None).await.map(drop)
    }

    /// Traffic of every client on the panel, in one call.
    pub async fn all_traffic(&self) -> Result<Vec<PanelTraffic>, PanelError> {
        match self.api().await? {
            PanelApi::Clients => {
                let list = self.ok(Method::GET, "panel/api/clients/list", None).await?;
                Ok(list
                    .as_array()
                    .ok_or_else(|| PanelError::Protocol("clients/list is not a list".into()))?
                    .iter()
                    .filter_map(PanelTraffic::from_g3_record)
                    .collect())
            }
            PanelApi::InboundScoped => Ok(self
                .inbounds_raw()
                .await?
                .iter()
                .flat_map(PanelInbound::traffic)
                .collect()),
        }
    }

    async fn inbounds_raw(&self) -> Result<Vec<PanelInbound>, PanelError> {
        let list = self
            .ok(Method::GET, "panel/api/inbounds/list", None)
            .await?;
        list.as_array()
            .ok_or_else(|| PanelError::Protocol("inbounds/list is not a list".into()))?
            .iter()
            .map(PanelInbound::parse)
            .collect()
    }

    pub async fn inbounds(&self) -> Result<Vec<PanelInbound>, PanelError> {
        self.inbounds_raw().await
    }

    pub async fn inbound(&self, id: u32) -> Result<Option<PanelInbound>, PanelError> {
        match self
            .ok(Method::GET, &format!("panel/api/inbounds/get/{id}"), None)
            .await
        {
            Ok(obj) => PanelInbound::parse(&obj).map(Some),
            Err(e) if e.is_not_found() => Ok(None),
            Err(e) => Err(e),
        }
    }

    pub async fn status(&self) -> Result<PanelStatus, PanelError> {
        let obj = self
            .ok(Method::GET, "panel/api/server/status", None)
            .await?;
        Ok(PanelStatus::parse(&obj))
    }
}

fn transport(e: reqwest::Error) -> PanelError {
    if e.is_timeout() {
        return PanelError::Timeout;
    }
    // Without the URL: it carries the panel's secret base path.
    let e = e.without_url();
    let mut msg = e.to_string();
    let mut source = std::error::Error::source(&e);
    while let Some(s) = source {
        msg = format!("{msg}: {s}");
        source = s.source();
    }
    PanelError::Unreachable(msg)
}

/// A value as one path segment of a panel URL (emails may hold `@` and `+`).
fn segment(value: &str) -> Result<String, PanelError> {
    crate::api::path_segment(value)
        .ok_or_else(|| PanelError::Protocol(format!("{value:?} cannot be placed in a panel URL")))
}
