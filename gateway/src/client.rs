//! The shop's client for its gateways. It signs every request (a fresh timestamp and nonce per
//! attempt), retries network errors, 5xx and 429 with exponential backoff and jitter (3 attempts
//! and a 10 s timeout by default), never retries any other 4xx, and implements the engine's
//! [`Provisioner`].

use std::collections::HashMap;
use std::fmt;
use std::time::Duration;

use nebula_engine::effect::{PanelAction, PanelOp};
use nebula_engine::executor::{ExecError, PanelClient, Panels, Provisioner};
use nebula_engine::order::{ProvisionMode, ProvisionRequest, ProvisionedAccess};
use nebula_engine::server::Server;
use nebula_engine::subscription::AccessLink;
use reqwest::{Method, StatusCode};
use serde::Serialize;
use serde::de::DeserializeOwned;
use tracing::{info, warn};

use crate::api::{
    ClientView, CreateClient, Created, Deleted, ErrorBody, ErrorCode, InboundView, Status,
    TrafficQuery, TrafficReport, UpdateClient,
};
use crate::signing::{self, HEADER_KEY, HEADER_NONCE, HEADER_SIGNATURE, HEADER_TIMESTAMP};

/// How the client retries.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RetryPolicy {
    pub attempts: u32,
    pub timeout: Duration,
    pub base_delay: Duration,
    pub max_delay: Duration,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        RetryPolicy {
            attempts: 3,
            timeout: Duration::from_secs(10),
            base_delay: Duration::from_millis(250),
            max_delay: Duration::from_secs(5),
        }
    }
}

/// A signing key: its id and secret (never printed).
#[derive(Clone)]
pub struct Key {
    pub id: String,
    secret: Vec<u8>,
}

impl Key {
    pub fn new(id: impl Into<String>, secret: impl Into<Vec<u8>>) -> Key {
        Key {
            id: id.into(),
            secret: secret.into(),
        }
    }
}

impl fmt::Debug for Key {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Key({}, <redacted>)", self.id)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ClientError {
    /// The gateway answered with one of its error codes.
    #[error("the gateway answered {status} {code:?}: {message}")]
    Api {
        status: u16,
        code: ErrorCode,
        message: String,
    },
    #[error("the gateway answered HTTP {status} without its error body")]
    Http { status: u16 },
    #[error("the gateway cannot be reached: {0}")]
    Network(String),
    #[error("the gateway did not answer in time")]
    Timeout,
    #[error("the gateway's answer could not be read: {0}")]
    Decode(String),
    #[error("no signing key {0:?} is configured")]
    UnknownKey(String),
    /// The request cannot be sent as asked (nothing was sent).
    #[error("{0}")]
    Invalid(String),
}

impl ClientError {
    /// Whether trying again later can help.
    pub fn retryable(&self) -> bool {
        match self {
            ClientError::Api { code, status, .. } => code.retryable() || *status >= 500,
            ClientError::Http { status } => *status >= 500 || *status == 429,
            ClientError::Network(_) | ClientError::Timeout => true,
            ClientError::Decode(_) | ClientError::UnknownKey(_) | ClientError::Invalid(_) => false,
        }
    }
}

#[derive(Clone)]
pub struct GatewayClient {
    http: reqwest::Client,
    keys: HashMap<String, Key>,
    policy: RetryPolicy,
}

/// Where a gateway is and which key signs for it.
#[derive(Debug, Clone, Copy)]
pub struct Target<'a> {
    pub base_url: &'a str,
    pub key_id: &'a str,
}

impl<'a> From<&'a Server> for Target<'a> {
    fn from(s: &'a Server) -> Self {
        Target {
            base_url: &s.gateway_url,
            key_id: &s.gateway_key_id,
        }
    }
}

impl GatewayClient {
    pub fn new(
        keys: impl IntoIterator<Item = Key>,
        policy: RetryPolicy,
    ) -> Result<GatewayClient, ClientError> {
        GatewayClient::with_roots(keys, policy, &[])
    }

    /// Like [`GatewayClient::new`], also trusting these CA certificates (PEM), for gateways that
    /// serve TLS with a private CA.
    pub fn with_roots(
        keys: impl IntoIterator<Item = Key>,
        policy: RetryPolicy,
        roots_pem: &[Vec<u8>],
    ) -> Result<GatewayClient, ClientError> {
        let mut builder = reqwest::Client::builder()
            .timeout(policy.timeout)
            .redirect(reqwest::redirect::Policy::none());
        for pem in roots_pem {
            let cert = reqwest::Certificate::from_pem(pem)
                .map_err(|e| ClientError::Network(format!("a CA certificate: {e}")))?;
            builder = builder.add_root_certificate(cert);
        }
        let http = builder
            .build()
            .map_err(|e| ClientError::Network(e.to_string()))?;
        Ok(GatewayClient {
            http,
            keys: keys.into_iter().map(|k| (k.id.clone(), k)).collect(),
            policy,
        })
    }

    pub async fn create_client(
        &self,
        t: Target<'_>,
        req: &CreateClient,
    ) -> Result<Created, ClientError> {
        self.send(t, Method::POST, "/v1/clients", Some(req)).await
    }

    pub async fn get_client(&self, t: Target<'_>, email: &str) -> Result<ClientView, ClientError> {
        self.send(t, Method::GET, &client_path(email, "")?, None::<&()>)
            .await
    }

    pub async fn update_client(
        &self,
        t: Target<'_>,
        email: &str,
        patch: &UpdateClient,
    ) -> Result<ClientView, ClientError> {
        self.send(t, Method::PATCH, &client_path(email, "")?, Some(patch))
            .await
    }

    pub async fn delete_client(&self, t: Target<'_>, email: &str) -> Result<Deleted, ClientError> {
        self.send(t, Method::DELETE, &client_path(email, "")?, None::<&()>)
            .await
    }

    pub async fn reset_traffic(
        &self,
        t: Target<'_>,
        email: &str,
    ) -> Result<ClientView, ClientError> {
        self.send(
            t,
            Method::POST,
            &client_path(email, "/reset-traffic")?,
            None::<&()>,
        )
        .await
    }

    pub async fn traffic(
        &self,
        t: Target<'_>,
        query: &TrafficQuery,
    ) -> Result<TrafficReport, ClientError> {
        self.send(t, Method::POST, "/v1/traffic", Some(query)).await
    }

    pub async fn inbounds(&self, t: Target<'_>) -> Result<Vec<InboundView>, ClientError> {
        self.send(t, Method::GET, "/v1/inbounds", None::<&()>).await
    }

    /// Checks the key and the signing without touching the panel.
    pub async fn ping(&self, t: Target<'_>) -> Result<serde_json::Value, ClientError> {
        self.send(t, Method::GET, "/v1/ping", None::<&()>).await
    }

    pub async fn status(&self, t: Target<'_>) -> Result<Status, ClientError> {
        self.send(t, Method::GET, "/v1/status", None::<&()>).await
    }

    /// One signed request, retried as the policy says.
    async fn send<B: Serialize, T: DeserializeOwned>(
        &self,
        t: Target<'_>,
        method: Method,
        path: &str,
        body: Option<&B>,
    ) -> Result<T, ClientError> {
        let key = self
            .keys
            .get(t.key_id)
            .ok_or_else(|| ClientError::UnknownKey(t.key_id.to_owned()))?;
        let body = match body {
            Some(b) => serde_json::to_vec(b).map_err(|e| ClientError::Decode(e.to_string()))?,
            None => Vec::new(),
        };
        let url = format!("{}{path}", t.base_url.trim_end_matches('/'));
        let mut attempt = 0;
        loop {
            attempt += 1;
            let result = self.once(key, &method, &url, path, &body).await;
            match result {
                Ok(bytes) => {
                    return serde_json::from_slice(&bytes)
                        .map_err(|e| ClientError::Decode(e.to_string()));
                }
                // A Retry-After longer than we would wait anyway: give up now and let the
                // caller (the outbox) come back later.
                Err((e, Some(wait))) if wait > self.policy.max_delay => return Err(e),
                Err((e, retry_after)) if e.retryable() && attempt < self.policy.attempts => {
                    let delay = retry_after.unwrap_or_else(|| self.backoff(attempt));
                    warn!(%path, attempt, error = %e, ?delay, "gateway call failed; retrying");
                    tokio::time::sleep(delay).await;
                }
                Err((e, _)) => return Err(e),
            }
        }
    }

    fn backoff(&self, attempt: u32) -> Duration {
        nebula_common::backoff(
            self.policy.base_delay,
            self.policy.max_delay,
            attempt,
            &mut rand::rng(),
        )
    }

    async fn once(
        &self,
        key: &Key,
        method: &Method,
        url: &str,
        path: &str,
        body: &[u8],
    ) -> Result<Vec<u8>, (ClientError, Option<Duration>)> {
        let timestamp = jiff::Timestamp::now().as_second();
        let nonce = new_nonce();
        let canonical = signing::canonical(timestamp, &nonce, method.as_str(), path, body);
        let mut req = self
            .http
            .request(method.clone(), url)
            .header(HEADER_KEY, &key.id)
            .header(HEADER_TIMESTAMP, timestamp.to_string())
            .header(HEADER_NONCE, &nonce)
            .header(HEADER_SIGNATURE, signing::sign(&key.secret, &canonical));
        if !body.is_empty() {
            req = req
                .header("content-type", "application/json")
                .body(body.to_vec());
        }
        let res = req.send().await.map_err(|e| (transport(e), None))?;
        let status = res.status();
        let retry_after = res
            .headers()
            .get("retry-after")
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.parse::<u64>().ok())
            .map(Duration::from_secs);
        let bytes = res.bytes().await.map_err(|e| (transport(e), None))?;
        if status.is_success() {
            return Ok(bytes.to_vec());
        }
        let error = match serde_json::from_slice::<ErrorBody>(&bytes) {
            Ok(b) => ClientError::Api {
                status: status.as_u16(),
                code: b.error,
                message: b.message,
            },
            Err(_) => ClientError::Http {
                status: status.as_u16(),
            },
        };
        Err((
            error,
            if status == StatusCode::TOO_MANY_REQUESTS {
                retry_after
            } else {
                None
            },
        ))
    }
}

fn transport(e: reqwest::Error) -> ClientError {
    if e.is_timeout() {
        ClientError::Timeout
    } else {
        ClientError::Network(e.without_url().to_string())
    }
}

fn new_nonce() -> String {
    nebula_common::random_token(nebula_common::ALPHANUMERIC, 24)
}

/// A client's path under `/v1/clients/`, or an error for an email no path can carry.
fn client_path(email: &str, suffix: &str) -> Result<String, ClientError> {
    let segment = crate::api::path_segment(email)
        .ok_or_else(|| ClientError::Invalid(format!("{email:?} cannot be a client email")))?;
    Ok(format!("/v1/clients/{segment}{suffix}"))
}

fn exec_error(e: ClientError) -> ExecError {
    if e.retryable() {
        ExecError::transient(e.to_string())
    } else {
        ExecError::permanent(e.to_string())
    }
}

impl Provisioner for GatewayClient {
    /// Create: makes the client (the gateway returns the existing one for a replayed order).
    /// Extend (renewal): new expiry and allowance on the same client, enabled, traffic reset.
    async fn provision(
        &self,
        server: &Server,
        request: &ProvisionRequest,
    ) -> Result<ProvisionedAccess, ExecError> {
        let t = Target::from(server);
        let view = match request.mode {
            ProvisionMode::Create => {
                let req = CreateClient {
                    email: request.client_email.clone(),
                    inbound_id: server.inbound_id,
                    expires_at: request.expires_at,
                    traffic_limit_bytes: request.traffic.bytes().unwrap_or(0),
                    ip_limit: request.device_limit,
                    sub_id: None,
                    flow: None,
                };
                self.create_client(t, &req)
                    .await
                    .map_err(exec_error)?
                    .client
            }
            ProvisionMode::Extend => {
                let patch = UpdateClient {
                    expires_at: Some(request.expires_at),
                    traffic_limit_bytes: Some(request.traffic.bytes().unwrap_or(0)),
                    ip_limit: Some(request.device_limit),
                    enable: Some(true),
                };
                self.update_client(t, &request.client_email, &patch)
                    .await
                    .map_err(exec_error)?;
                self.reset_traffic(t, &request.client_email)
                    .await
                    .map_err(exec_error)?
            }
        };
        // A gateway from before `links` answers only `link`.
        let mut links = if view.links.is_empty() {
            vec![view.link]
        } else {
            view.links
        }
        .into_iter()
        .map(AccessLink::new);
        Ok(ProvisionedAccess {
            access: links
                .next()
                .ok_or_else(|| ExecError::permanent("the gateway answered no link"))?,
            alternatives: links.collect(),
            subscription_url: view.subscription_url.map(AccessLink::new),
            expires_at: view.expires_at.unwrap_or(request.expires_at),
        })
    }

    /// Disable: the client stays (renewable) but stops working; one already gone counts as
    /// done. Delete: deleting a deleted client is not an error at the gateway. Reset traffic:
    /// its counter zeroed, then enabled.
    async fn manage(&self, server: &Server, op: &PanelOp) -> Result<(), ExecError> {
        let t = Target::from(server);
        match op.action {
            PanelAction::Disable => {
                let patch = UpdateClient {
                    enable: Some(false),
                    ..UpdateClient::default()
                };
                match self.update_client(t, &op.client_email, &patch).await {
                    Ok(_) => Ok(()),
                    Err(ClientError::Api {
                        code: ErrorCode::NotFound,
                        ..
                    }) => Ok(()),
                    Err(e) => Err(exec_error(e)),
                }
            }
            // Counter first: a client enabled with its old count could be cut off again.
            PanelAction::ResetTraffic => {
                self.reset_traffic(t, &op.client_email)
                    .await
                    .map_err(exec_error)?;
                let patch = UpdateClient {
                    enable: Some(true),
                    ..UpdateClient::default()
                };
                self.update_client(t, &op.client_email, &patch)
                    .await
                    .map_err(exec_error)?;
                Ok(())
            }
            PanelAction::Delete => {
                let deleted = self
                    .delete_client(t, &op.client_email)
                    .await
                    .map_err(exec_error)?;
                if deleted.retired {
                    info!(
                        server = %server.id,
                        email = %op.client_email,
                        "the panel keeps an inbound's last client: the gateway disabled it and \
                         deletes it once the inbound holds another"
                    );
                }
                Ok(())
            }
        }
    }
}

impl Panels for GatewayClient {
    /// One `POST /v1/traffic` for the server's whole inbound.
    async fn clients(&self, server: &Server) -> Result<Vec<PanelClient>, ExecError> {
        let report = self
            .traffic(
                Target::from(server),
                &TrafficQuery::Inbound(server.inbound_id),
            )
            .await
            .map_err(exec_error)?;
        Ok(report
            .clients
            .into_iter()
            .map(|c| PanelClient {
                email: c.email,
                used_bytes: c.up_bytes.saturating_add(c.down_bytes),
                traffic_limit_bytes: c.traffic_limit_bytes,
                enabled: c.enable,
                expires_at: c.expires_at,
            })
            .collect())
    }

    /// `GET /v1/status`: the gateway answers, reaches its panel, and Xray runs.
    async fn health(&self, server: &Server) -> Result<(), ExecError> {
        let status = self
            .status(Target::from(server))
            .await
            .map_err(exec_error)?;
        if !status.panel_reachable {
            return Err(ExecError::transient("the gateway cannot reach its panel"));
        }
        match status.xray_state.as_deref() {
            Some("running") | None => Ok(()),
            Some(other) => Err(ExecError::transient(format!("Xray is {other}"))),
        }
    }
}
