//! What the gateway does with its panel: idempotent create, and the rest. Writes to the panel are
//! serialised (older panels lose concurrent edits; G3 does not lock across emails).

use std::collections::HashMap;
use std::time::{Duration, Instant};

use jiff::Timestamp;
use rand::Rng;
use tokio::sync::Mutex;
use tracing::info;

use crate::api::{
    ClientTraffic, ClientView, CreateClient, Created, Deleted, InboundView, PanelApi, Status,
    TrafficQuery, TrafficReport, UpdateClient, Usage, valid_email, valid_sub_id,
};
use crate::links::{LinkClient, LinkInbound, vless_link};
use crate::panel::{Panel, PanelClient, PanelError, PanelInbound};
use crate::server::config::LinkSettings;
use crate::server::error::ApiError;

/// How long an inbound's settings are reused for building links.
const INBOUND_TTL: Duration = Duration::from_secs(30);

pub struct Gateway {
    pub panel: Panel,
    links: LinkSettings,
    writes: Mutex<()>,
    inbounds: Mutex<HashMap<u32, (Instant, PanelInbound)>>,
}

fn expiry_ms(t: Timestamp) -> i64 {
    t.as_millisecond()
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
            "email must be 1 to 64 characters of A-Z a-z 0-9 . _ - @ +",
        ))
    }
}

fn check_future(t: Timestamp) -> Result<(), ApiError> {
    if t <= Timestamp::now() {
        return Err(ApiError::invalid("expires_at must be in the future"));
    }
    Ok(())
}

/// A 16-character lowercase alphanumeric subId, as the panel's UI makes them.
fn new_sub_id() -> String {
    const ALPHABET: &[u8] = b"abcdefghijklmnopqrstuvwxyz0123456789";
    let mut rng = rand::rng();
    (0..16)
        .map(|_| ALPHABET[rng.random_range(0..ALPHABET.len())] as char)
        .collect()
}

impl Gateway {
    pub fn new(panel: Panel, links: LinkSettings) -> Gateway {
        Gateway {
            panel,
            links,
            writes: Mutex::new(()),
            inbounds: Mutex::new(HashMap::new()),
        }
    }

    async fn inbound(&self, id: u32) -> Result<PanelInbound, ApiError> {
        if let Some((at, inbound)) = self.inbounds.lock().await.get(&id)
            && at.elapsed() < INBOUND_TTL
        {
            return Ok(inbound.clone());
        }
        let inbound = self
            .panel
            .inbound(id)
            .await?
            .ok_or_else(|| ApiError::invalid(format!("inbound {id} does not exist")))?;
        self.inbounds
            .lock()
            .await
            .insert(id, (Instant::now(), inbound.clone()));
        Ok(inbound)
    }

    async fn view(&self, c: &PanelClient) -> Result<ClientView, ApiError> {
        let inbound = self.inbound(c.inbound_id).await?;
        let link = vless_link(
            &LinkInbound {
                remark: &inbound.remark,
                port: inbound.port,
                settings: &inbound.settings,
                stream_settings: &inbound.stream_settings,
                disable_flow: inbound.disable_flow,
            },
            &LinkClient {
                uuid: &c.uuid,
                email: &c.email,
                flow: &c.flow,
                sub_id: &c.sub_id,
            },
            &self.links.public_host,
        );
        Ok(ClientView {
            email: c.email.clone(),
            inbound_id: c.inbound_id,
            uuid: c.uuid.clone(),
            sub_id: c.sub_id.clone(),
            enable: c.enable,
            expires_at: expires_at(c.expiry_ms),
            traffic_limit_bytes: c.total_bytes,
            ip_limit: c.limit_ip,
            up_bytes: c.up,
            down_bytes: c.down,
            link,
            subscription_url: self
                .links
                .subscription_base
                .as_ref()
                .map(|base| format!("{base}{}", c.sub_id)),
        })
    }

    async fn existing(&self, email: &str) -> Result<PanelClient, ApiError> {
        self.panel
            .find_client(email)
            .await?
            .ok_or_else(|| ApiError::new(crate::api::ErrorCode::NotFound))
    }

    /// Makes the client exist: returns the existing one if the email is taken (also when a
    /// retried create meets the client its first attempt made), so retries never duplicate.
    pub async fn create(&self, req: CreateClient) -> Result<Created, ApiError> {
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
        let _serial = self.writes.lock().await;
        if let Some(existing) = self.panel.find_client(&req.email).await? {
            return Ok(Created {
                created: false,
                client: self.view(&existing).await?,
            });
        }
        // Fail early, with a clear message, on an inbound that does not exist.
        self.inbound(req.inbound_id).await?;
        let client = PanelClient {
            email: req.email.clone(),
            uuid: uuid::Uuid::new_v4().to_string(),
            sub_id: req.sub_id.clone().unwrap_or_else(new_sub_id),
            flow: req
                .flow
                .clone()
                .or_else(|| self.links.default_flow.clone())
                .unwrap_or_default(),
            limit_ip: req.ip_limit,
            total_bytes: req.traffic_limit_bytes,
            expiry_ms: expiry_ms(req.expires_at),
            enable: true,
            inbound_id: req.inbound_id,
            comment: String::new(),
            up: 0,
            down: 0,
        };
        let created = match self.panel.add_client(req.inbound_id, &client).await {
            Ok(()) => true,
            // Someone (an earlier attempt whose answer was lost) made it: read it back.
            Err(e) if e.is_duplicate() => false,
            Err(e) => return Err(e.into()),
        };
        let stored = self.existing(&req.email).await?;
        if created {
            info!(email = %req.email, inbound = req.inbound_id, "client created");
        }
        Ok(Created {
            created,
            client: self.view(&stored).await?,
        })
    }

    pub async fn get(&self, email: &str) -> Result<ClientView, ApiError> {
        check_email(email)?;
        let c = self.existing(email).await?;
        self.view(&c).await
    }

    pub async fn update(&self, email: &str, patch: UpdateClient) -> Result<ClientView, ApiError> {
        check_email(email)?;
        if let Some(t) = patch.expires_at {
            check_future(t)?;
        }
        let _serial = self.writes.lock().await;
        let mut c = self.existing(email).await?;
        if let Some(t) = patch.expires_at {
            c.expiry_ms = expiry_ms(t);
        }
        if let Some(b) = patch.traffic_limit_bytes {
            c.total_bytes = b;
        }
        if let Some(n) = patch.ip_limit {
            c.limit_ip = n;
        }
        if let Some(e) = patch.enable {
            c.enable = e;
        }
        // The panel replaces, never patches: send the whole client.
        self.panel.update_client(&c).await?;
        let c = self.existing(email).await?;
        self.view(&c).await
    }

    pub async fn delete(&self, email: &str) -> Result<Deleted, ApiError> {
        check_email(email)?;
        let _serial = self.writes.lock().await;
        let Some(c) = self.panel.find_client(email).await? else {
            return Ok(Deleted { deleted: false });
        };
        let deleted = self.panel.delete_client(&c).await?;
        Ok(Deleted { deleted })
    }

    pub async fn reset_traffic(&self, email: &str) -> Result<ClientView, ApiError> {
        check_email(email)?;
        let _serial = self.writes.lock().await;
        let c = self.existing(email).await?;
        self.panel.reset_traffic(&c).await?;
        let c = self.existing(email).await?;
        self.view(&c).await
    }

    /// Usage of many clients with one panel call.
    pub async fn traffic(&self, query: TrafficQuery) -> Result<TrafficReport, ApiError> {
        let wanted: Option<Vec<String>> = match &query {
            TrafficQuery::Emails(emails) => {
                if emails.len() > 10_000 {
                    return Err(ApiError::invalid("at most 10000 emails per call"));
                }
                for e in emails {
                    check_email(e)?;
                }
                Some(emails.clone())
            }
            TrafficQuery::Inbound(_) => None,
        };
        let all = self.panel.all_traffic().await?;
        let as_view = |t: &crate::panel::PanelTraffic| ClientTraffic {
            email: t.email.clone(),
            up_bytes: t.up,
            down_bytes: t.down,
            traffic_limit_bytes: t.total_bytes,
            enable: t.enable,
            expires_at: expires_at(t.expiry_ms),
        };
        Ok(match (query, wanted) {
            (TrafficQuery::Inbound(id), _) => TrafficReport {
                clients: all
                    .iter()
                    .filter(|t| t.inbound_id == id)
                    .map(as_view)
                    .collect(),
                missing: vec![],
            },
            (_, Some(emails)) => {
                let by_email: HashMap<&str, &crate::panel::PanelTraffic> =
                    all.iter().map(|t| (t.email.as_str(), t)).collect();
                let mut report = TrafficReport {
                    clients: vec![],
                    missing: vec![],
                };
                for e in emails {
                    match by_email.get(e.as_str()) {
                        Some(t) => report.clients.push(as_view(t)),
                        None => report.missing.push(e),
                    }
                }
                report
            }
            (TrafficQuery::Emails(_), None) => unreachable!("emails always give a list"),
        })
    }

    pub async fn inbounds(&self) -> Result<Vec<InboundView>, ApiError> {
        Ok(self
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
        let api = self.panel.api().await;
        match (api, self.panel.status().await) {
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
                    tracing::warn!(error = %e, "panel status unavailable");
                }
                Status {
                    panel_reachable: false,
                    panel_version: None,
                    panel_api: None::<PanelApi>,
                    xray_state: None,
                    xray_version: None,
                    cpu_percent: None,
                    mem: None,
                }
            }
        }
    }
}
