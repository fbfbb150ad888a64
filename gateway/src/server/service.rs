//! What the gateway does with its panel: idempotent create, and the rest.
//!
//! - Writes are serialised (older panels lose concurrent edits; 3.x does not lock across
//!   emails), and each runs to its end in a task of its own that holds the lock, whatever
//!   happens to the request that asked for it.
//! - An update sends the client back exactly as the panel returned it, with only the named
//!   fields changed: 3x-ui replaces the whole client.
//! - XTLS Vision is set only where it can run ([`vision_allowed`]), on create and on update.
//! - 3x-ui 2.x refuses to delete an inbound's last client: the gateway disables it and marks it
//!   retired instead, treats it as gone from then on, and deletes it as soon as the inbound
//!   holds another client.

use std::collections::HashMap;
use std::future::Future;
use std::sync::Arc;
use std::time::{Duration, Instant};

use jiff::Timestamp;
use tokio::sync::Mutex;
use tracing::{error, info, warn};

use crate::api::{
    ClientTraffic, ClientView, CreateClient, Created, Deleted, ErrorCode, InboundView, PanelApi,
    Status, TrafficQuery, TrafficReport, UpdateClient, Usage, valid_email, valid_sub_id,
};
use crate::links::{LinkClient, vision_allowed, vless_links};
use crate::panel::{
    NewClient, Panel, PanelClient, PanelError, PanelInbound, PanelTraffic, RETIRED,
};
use crate::server::config::LinkSettings;
use crate::server::error::ApiError;

/// How long an inbound's settings are reused for building links.
const INBOUND_TTL: Duration = Duration::from_secs(30);

/// The flows a VLESS client may carry (besides none).
const FLOWS: [&str; 2] = ["xtls-rprx-vision", "xtls-rprx-vision-udp443"];

/// The gateway's service; clones share everything.
#[derive(Clone)]
pub struct Gateway {
    inner: Arc<Inner>,
}

struct Inner {
    panel: Panel,
    links: LinkSettings,
    writes: Arc<Mutex<()>>,
    inbounds: Mutex<HashMap<u32, (Instant, PanelInbound)>>,
}

fn expires_at(ms: i64) -> Option<Timestamp> {
    (ms > 0)
        .then(|| Timestamp::from_millisecond(ms).ok())
        .flatten()
}

fn check_email(email: &str) -> Result<(), ApiError> {
    if valid_email(email) {
        Ok(())
    } else {
        Err(ApiError::invalid(
            "email must be 1 to 64 characters of A-Z a-z 0-9 . _ - @ +, and not . or ..",
        ))
    }
}

fn check_future(t: Timestamp) -> Result<(), ApiError> {
    if t <= Timestamp::now() {
        return Err(ApiError::invalid("expires_at must be in the future"));
    }
    Ok(())
}

fn check_create(req: &CreateClient) -> Result<(), ApiError> {
    check_email(&req.email)?;
    check_future(req.expires_at)?;
    if req.sub_id.as_deref().is_some_and(|s| !valid_sub_id(s)) {
        return Err(ApiError::invalid(
            "sub_id must be 1 to 64 characters of A-Z a-z 0-9 _ -",
        ));
    }
    if req.inbound_id == 0 {
        return Err(ApiError::invalid("inbound_id must be 1 or more"));
    }
    if let Some(flow) = req.flow.as_deref().filter(|f| !f.is_empty())
        && !FLOWS.contains(&flow)
    {
        return Err(ApiError::invalid(format!(
            "flow must be one of {}, or left out",
            FLOWS.join(", ")
        )));
    }
    Ok(())
}

/// The flow a new client gets on this inbound: the one asked for, else the gateway's default,
/// and none where Vision cannot run (asking for one there is an error).
fn flow_for(
    inbound: &PanelInbound,
    asked: Option<&str>,
    default: Option<&str>,
) -> Result<String, ApiError> {
    let allowed = vision_allowed(&inbound.link_inbound());
    match asked.filter(|f| !f.is_empty()) {
        Some(_) if !allowed => Err(ApiError::invalid(format!(
            "inbound {} cannot carry XTLS Vision (only raw TCP with TLS or REALITY, or XHTTP \
             with VLESS encryption, can): leave flow out",
            inbound.id
        ))),
        Some(flow) => Ok(flow.to_owned()),
        None if allowed => Ok(default.unwrap_or_default().to_owned()),
        None => Ok(String::new()),
    }
}

/// A 16-character lowercase alphanumeric subId, as the panel's UI makes them.
fn new_sub_id() -> String {
    nebula_common::random_token(nebula_common::LOWER_ALPHANUMERIC, 16)
}

fn traffic_view(t: &PanelTraffic) -> ClientTraffic {
    ClientTraffic {
        email: t.email.clone(),
        up_bytes: t.up,
        down_bytes: t.down,
        traffic_limit_bytes: t.total_bytes,
        enable: t.enable,
        expires_at: expires_at(t.expiry_ms),
    }
}

impl Gateway {
    pub fn new(panel: Panel, links: LinkSettings) -> Gateway {
        Gateway {
            inner: Arc::new(Inner {
                panel,
                links,
                writes: Arc::new(Mutex::new(())),
                inbounds: Mutex::new(HashMap::new()),
            }),
        }
    }

    pub fn panel(&self) -> &Panel {
        &self.inner.panel
    }

    /// Runs one panel write in a task of its own that holds the write lock until the panel has
    /// answered. When the caller goes away (a dropped connection, a timeout) the write still
    /// runs to its end and the next one waits for it, so a retry never reaches the panel beside
    /// the attempt it retries.
    async fn serialised<T, F, Fut>(&self, write: F) -> Result<T, ApiError>
    where
        T: Send + 'static,
        F: FnOnce(Gateway) -> Fut + Send + 'static,
        Fut: Future<Output = Result<T, ApiError>> + Send + 'static,
    {
        let this = self.clone();
        let lock = self.inner.writes.clone();
        let task = tokio::spawn(async move {
            let _serial = lock.lock_owned().await;
            write(this).await
        });
        task.await.unwrap_or_else(|e| {
            error!(error = %e, "a panel write task failed");
            Err(ApiError::new(ErrorCode::Internal))
        })
    }

    async fn inbound(&self, id: u32) -> Result<PanelInbound, ApiError> {
        if let Some((at, inbound)) = self.inner.inbounds.lock().await.get(&id)
            && at.elapsed() < INBOUND_TTL
        {
            return Ok(inbound.clone());
        }
        let inbound = self
            .inner
            .panel
            .inbound(id)
            .await?
            .ok_or_else(|| ApiError::invalid(format!("inbound {id} does not exist")))?;
        self.inner
            .inbounds
            .lock()
            .await
            .insert(id, (Instant::now(), inbound.clone()));
        Ok(inbound)
    }

    async fn view(&self, c: &PanelClient) -> Result<ClientView, ApiError> {
        let inbound = self.inbound(c.inbound_id).await?;
        let links = vless_links(
            &inbound.link_inbound(),
            &LinkClient {
                uuid: c.uuid(),
                email: c.email(),
                flow: c.flow(),
                sub_id: c.sub_id(),
            },
            &self.inner.links.public_host,
        );
        Ok(ClientView {
            email: c.email().to_owned(),
            inbound_id: c.inbound_id,
            uuid: c.uuid().to_owned(),
            sub_id: c.sub_id().to_owned(),
            enable: c.enable(),
            expires_at: expires_at(c.expiry_ms()),
            traffic_limit_bytes: c.total_bytes(),
            ip_limit: c.limit_ip(),
            up_bytes: c.up,
            down_bytes: c.down,
            link: links.first().cloned().unwrap_or_default(),
            links,
            subscription_url: self
                .inner
                .links
                .subscription_base
                .as_ref()
                .map(|base| format!("{base}{}", c.sub_id())),
        })
    }

    /// The client with this email, unless it is missing or retired.
    async fn live(&self, email: &str) -> Result<Option<PanelClient>, ApiError> {
        Ok(self
            .inner
            .panel
            .find_client(email)
            .await?
            .filter(|c| !c.is_retired()))
    }

    async fn existing(&self, email: &str) -> Result<PanelClient, ApiError> {
        self.live(email)
            .await?
            .ok_or_else(|| ApiError::new(ErrorCode::NotFound))
    }

    /// Makes the client exist: returns the existing one if the email is taken (also when a
    /// retried create meets the client its first attempt made), so retries never duplicate.
    pub async fn create(&self, req: CreateClient) -> Result<Created, ApiError> {
        check_create(&req)?;
        self.serialised(move |g| async move { g.create_now(req).await })
            .await
    }

    async fn create_now(&self, req: CreateClient) -> Result<Created, ApiError> {
        let panel = &self.inner.panel;
        if let Some(existing) = panel.find_client(&req.email).await? {
            if existing.is_retired() {
                return self.revive(existing, &req).await;
            }
            return Ok(Created {
                created: false,
                client: self.view(&existing).await?,
            });
        }
        // Fails early, with a clear message, on an inbound that does not exist.
        let inbound = self.inbound(req.inbound_id).await?;
        let flow = flow_for(
            &inbound,
            req.flow.as_deref(),
            self.inner.links.default_flow.as_deref(),
        )?;
        let client = PanelClient::new(
            &NewClient {
                email: req.email.clone(),
                uuid: uuid::Uuid::new_v4().to_string(),
                sub_id: req.sub_id.clone().unwrap_or_else(new_sub_id),
                flow,
                limit_ip: req.ip_limit,
                total_bytes: req.traffic_limit_bytes,
                expiry_ms: req.expires_at.as_millisecond(),
            },
            req.inbound_id,
        );
        let created = match panel.add_client(req.inbound_id, &client).await {
            Ok(()) => true,
            // Someone (an earlier attempt whose answer was lost) made it: read it back.
            Err(e) if e.is_duplicate() => false,
            Err(e) => return Err(e.into()),
        };
        if created {
            info!(email = %req.email, inbound = req.inbound_id, "client created");
            self.sweep_retired(req.inbound_id).await;
        }
        let stored = self.existing(&req.email).await?;
        Ok(Created {
            created,
            client: self.view(&stored).await?,
        })
    }

    /// A create for a client the shop once deleted and the panel kept: it becomes that client
    /// again, as asked.
    async fn revive(&self, mut c: PanelClient, req: &CreateClient) -> Result<Created, ApiError> {
        let inbound = self.inbound(c.inbound_id).await?;
        let flow = flow_for(
            &inbound,
            req.flow.as_deref(),
            self.inner.links.default_flow.as_deref(),
        )?;
        c.set_expiry_ms(req.expires_at.as_millisecond());
        c.set_total_bytes(req.traffic_limit_bytes);
        c.set_limit_ip(req.ip_limit);
        c.set_flow(&flow);
        c.set_comment("");
        c.set_enable(true);
        self.inner.panel.update_client(&c).await?;
        let stored = self.existing(&req.email).await?;
        Ok(Created {
            created: false,
            client: self.view(&stored).await?,
        })
    }

    pub async fn get(&self, email: &str) -> Result<ClientView, ApiError> {
        check_email(email)?;
        let c = self.existing(email).await?;
        self.view(&c).await
    }

    /// Changes the named fields and nothing else (but a flow where Vision cannot run, which no
    /// client can use); a patch that changes nothing writes nothing.
    pub async fn update(&self, email: &str, patch: UpdateClient) -> Result<ClientView, ApiError> {
        check_email(email)?;
        if let Some(t) = patch.expires_at {
            check_future(t)?;
        }
        let email = email.to_owned();
        self.serialised(move |g| async move { g.update_now(&email, patch).await })
            .await
    }

    async fn update_now(&self, email: &str, patch: UpdateClient) -> Result<ClientView, ApiError> {
        let before = self.existing(email).await?;
        let mut c = before.clone();
        if let Some(t) = patch.expires_at {
            c.set_expiry_ms(t.as_millisecond());
        }
        if let Some(b) = patch.traffic_limit_bytes {
            c.set_total_bytes(b);
        }
        if let Some(n) = patch.ip_limit {
            c.set_limit_ip(n);
        }
        if let Some(e) = patch.enable {
            c.set_enable(e);
        }
        let inbound = self.inbound(c.inbound_id).await?;
        if !c.flow().is_empty() && !vision_allowed(&inbound.link_inbound()) {
            c.set_flow("");
        }
        if c == before {
            return self.view(&c).await;
        }
        self.inner.panel.update_client(&c).await?;
        let c = self.existing(email).await?;
        self.view(&c).await
    }

    pub async fn delete(&self, email: &str) -> Result<Deleted, ApiError> {
        check_email(email)?;
        let email = email.to_owned();
        self.serialised(move |g| async move { g.delete_now(&email).await })
            .await
    }

    async fn delete_now(&self, email: &str) -> Result<Deleted, ApiError> {
        let panel = &self.inner.panel;
        let Some(c) = panel.find_client(email).await? else {
            return Ok(Deleted::default());
        };
        if c.is_retired() {
            return Ok(Deleted {
                deleted: false,
                retired: true,
            });
        }
        self.sweep_retired(c.inbound_id).await;
        match panel.delete_client(&c).await {
            Ok(deleted) => Ok(Deleted {
                deleted,
                retired: false,
            }),
            Err(e) if e.is_last_client() => {
                let mut retired = c.clone();
                retired.set_enable(false);
                retired.set_comment(RETIRED);
                panel.update_client(&retired).await?;
                info!(
                    email,
                    inbound = c.inbound_id,
                    "the panel keeps an inbound's last client: disabled and retired; deleted \
                     once the inbound holds another client"
                );
                Ok(Deleted {
                    deleted: false,
                    retired: true,
                })
            }
            Err(e) => Err(e.into()),
        }
    }

    /// Deletes the retired clients of an inbound that are no longer its last (2.x only; a
    /// failure is logged and left for the next write).
    async fn sweep_retired(&self, inbound_id: u32) {
        let panel = &self.inner.panel;
        if !matches!(panel.api().await, Ok(PanelApi::InboundScoped)) {
            return;
        }
        let inbound = match panel.inbound(inbound_id).await {
            Ok(Some(inbound)) => inbound,
            Ok(None) => return,
            Err(e) => {
                warn!(error = %e, inbound = inbound_id, "cannot look for retired clients");
                return;
            }
        };
        let clients = inbound.clients();
        let mut left = clients.len();
        for c in clients.iter().filter(|c| c.is_retired()) {
            if left <= 1 {
                break;
            }
            match panel.delete_client(c).await {
                Ok(_) => {
                    left -= 1;
                    info!(
                        email = c.email(),
                        inbound = inbound_id,
                        "retired client deleted"
                    );
                }
                Err(e) => warn!(error = %e, email = c.email(), "cannot delete a retired client"),
            }
        }
    }

    pub async fn reset_traffic(&self, email: &str) -> Result<ClientView, ApiError> {
        check_email(email)?;
        let email = email.to_owned();
        self.serialised(move |g| async move {
            let c = g.existing(&email).await?;
            g.inner.panel.reset_traffic(&c).await?;
            let c = g.existing(&email).await?;
            g.view(&c).await
        })
        .await
    }

    /// Usage of many clients with one panel call (retired clients count as missing).
    pub async fn traffic(&self, query: TrafficQuery) -> Result<TrafficReport, ApiError> {
        if let TrafficQuery::Emails(emails) = &query {
            if emails.len() > 10_000 {
                return Err(ApiError::invalid("at most 10000 emails per call"));
            }
            for e in emails {
                check_email(e)?;
            }
        }
        let all = self.inner.panel.all_traffic().await?;
        Ok(match query {
            TrafficQuery::Inbound(id) => TrafficReport {
                clients: all
                    .iter()
                    .filter(|t| t.inbound_id == id)
                    .map(traffic_view)
                    .collect(),
                missing: vec![],
            },
            TrafficQuery::Emails(emails) => {
                let by_email: HashMap<&str, &PanelTraffic> =
                    all.iter().map(|t| (t.email.as_str(), t)).collect();
                let mut report = TrafficReport {
                    clients: vec![],
                    missing: vec![],
                };
                for e in emails {
                    match by_email.get(e.as_str()) {
                        Some(t) => report.clients.push(traffic_view(t)),
                        None => report.missing.push(e),
                    }
                }
                report
            }
        })
    }

    pub async fn inbounds(&self) -> Result<Vec<InboundView>, ApiError> {
        Ok(self
            .inner
            .panel
            .inbounds()
            .await?
            .into_iter()
            .map(|i| InboundView {
                id: i.id,
                clients: i.client_count(),
                remark: i.remark,
                protocol: i.protocol,
                port: i.port,
                enable: i.enable,
            })
            .collect())
    }

    /// The panel's health; an unreachable panel is a status, not an error.
    pub async fn status(&self) -> Status {
        let panel = &self.inner.panel;
        match (panel.api().await, panel.status().await) {
            (Ok(api), Ok(s)) => Status {
                panel_reachable: true,
                panel_version: s.panel_version,
                panel_api: Some(api),
                xray_state: s.xray_state,
                xray_version: s.xray_version,
                cpu_percent: s.cpu_percent,
                mem: s.mem.map(|(current, total)| Usage { current, total }),
            },
            (api, status) => {
                let e: Option<PanelError> = api.err().or(status.err());
                if let Some(e) = e {
                    warn!(error = %e, "panel status unavailable");
                }
                Status {
                    panel_reachable: false,
                    panel_version: None,
                    panel_api: None,
                    xray_state: None,
                    xray_version: None,
                    cpu_percent: None,
                    mem: None,
                }
            }
        }
    }
}
