//! Servers: a 3x-ui panel behind one of our gateways, where VPN clients are created.

use serde::{Deserialize, Serialize};

use crate::error::Invalid;
use crate::ids::ServerId;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ServerStatus {
    /// Offered to server selection.
    Up,
    /// Failing health checks; not offered.
    Down,
    /// Keeps its clients but takes no new ones.
    Draining,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Server {
    pub id: ServerId,
    pub name: String,
    pub region: String,
    /// Base URL of the gateway in front of the panel (`https://fra-1.example.net:8443`).
    pub gateway_url: String,
    /// Which signing key the shop uses for this gateway (the secret itself lives in config).
    pub gateway_key_id: String,
    /// The 3x-ui inbound new clients are added to.
    pub inbound_id: u32,
    /// The host shoppers connect to, written into share links.
    pub public_host: String,
    /// How many active subscriptions the server takes.
    pub capacity: u32,
    pub status: ServerStatus,
    pub tags: Vec<String>,
}

impl Server {
    pub fn validate(&self) -> Result<(), Invalid> {
        if self.name.trim().is_empty() || self.name.chars().count() > 80 {
            return Err(Invalid::new("name", "must be 1 to 80 characters"));
        }
        if self.region.trim().is_empty() || self.region.len() > 32 {
            return Err(Invalid::new("region", "must be 1 to 32 characters"));
        }
        let url = self.gateway_url.as_str();
        let rest = url
            .strip_prefix("https://")
            .or_else(|| url.strip_prefix("http://"))
            .ok_or_else(|| Invalid::new("gateway_url", "must start with https:// or http://"))?;
        if rest.is_empty() || rest.contains(char::is_whitespace) {
            return Err(Invalid::new("gateway_url", "must name a host"));
        }
        if self.gateway_key_id.trim().is_empty() {
            return Err(Invalid::new("gateway_key_id", "must not be empty"));
        }
        if self.inbound_id == 0 {
            return Err(Invalid::new(
                "inbound_id",
                "must be a 3x-ui inbound id (1 or more)",
            ));
        }
        let host_ok = !self.public_host.is_empty()
            && self.public_host.len() <= 253
            && self.public_host.bytes().all(|b| {
                b.is_ascii_alphanumeric() || matches!(b, b'.' | b'-' | b':' | b'[' | b']')
            });
        if !host_ok {
            return Err(Invalid::new(
                "public_host",
                "must be a host name or IP address",
            ));
        }
        if self.capacity == 0 {
            return Err(Invalid::new("capacity", "must be at least 1"));
        }
        Ok(())
    }
}

/// A change to a server; `None` leaves a field as it is.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ServerEdit {
    pub name: Option<String>,
    pub region: Option<String>,
    pub gateway_url: Option<String>,
    pub gateway_key_id: Option<String>,
    pub inbound_id: Option<u32>,
    pub public_host: Option<String>,
    pub capacity: Option<u32>,
    pub status: Option<ServerStatus>,
    pub tags: Option<Vec<String>>,
}

impl ServerEdit {
    pub fn apply(self, mut s: Server) -> Server {
        if let Some(v) = self.name {
            s.name = v;
        }
        if let Some(v) = self.region {
            s.region = v;
        }
        if let Some(v) = self.gateway_url {
            s.gateway_url = v;
        }
        if let Some(v) = self.gateway_key_id {
            s.gateway_key_id = v;
        }
        if let Some(v) = self.inbound_id {
            s.inbound_id = v;
        }
        if let Some(v) = self.public_host {
            s.public_host = v;
        }
        if let Some(v) = self.capacity {
            s.capacity = v;
        }
        if let Some(v) = self.status {
            s.status = v;
        }
        if let Some(v) = self.tags {
            s.tags = v;
        }
        s
    }
}
