//! A VLESS endpoint read back from the share link the gateway built (`vless://uuid@host:port?…`,
//! the share-link standard of XTLS/Xray-core discussion #716, as 3x-ui writes it), so that every
//! format is written from the same facts the link carries.

use std::collections::BTreeMap;

use serde_json::Value;
use url::Url;

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum LinkError {
    #[error("not a URL: {0}")]
    NotAUrl(String),
    #[error("not a VLESS link (scheme {0:?})")]
    NotVless(String),
    #[error("the link has no {0}")]
    Missing(&'static str),
    #[error("the link's {field} is {value:?}, which no client understands")]
    Unknown { field: &'static str, value: String },
}

/// How the bytes travel.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Transport {
    /// Raw TCP; `http` is the HTTP header camouflage (path, host), if any.
    Tcp {
        http: Option<(String, String)>,
    },
    Ws {
        path: String,
        host: String,
    },
    HttpUpgrade {
        path: String,
        host: String,
    },
    Grpc {
        service_name: String,
        authority: String,
        multi: bool,
    },
    /// `extra` is the link's JSON of further XHTTP fields.
    Xhttp {
        path: String,
        host: String,
        mode: String,
        extra: Option<Value>,
    },
    Kcp {
        header: String,
        seed: String,
    },
}

impl Transport {
    /// Its name in the share link's `type`.
    pub fn name(&self) -> &'static str {
        match self {
            Transport::Tcp { .. } => "tcp",
            Transport::Ws { .. } => "ws",
            Transport::HttpUpgrade { .. } => "httpupgrade",
            Transport::Grpc { .. } => "grpc",
            Transport::Xhttp { .. } => "xhttp",
            Transport::Kcp { .. } => "kcp",
        }
    }
}

/// How the connection is protected.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Security {
    None,
    Tls {
        sni: String,
        alpn: Vec<String>,
        fingerprint: String,
    },
    Reality {
        sni: String,
        fingerprint: String,
        public_key: String,
        short_id: String,
        spider_x: String,
    },
}

/// One way to reach one client on one server.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Endpoint {
    /// The link's remark: what apps show in their list.
    pub name: String,
    pub server: String,
    pub port: u16,
    pub uuid: String,
    /// `xtls-rprx-vision` or empty.
    pub flow: String,
    /// VLESS encryption (`none` unless the inbound uses VLESS encryption).
    pub encryption: String,
    pub transport: Transport,
    pub security: Security,
    /// The share link as the gateway built it (what the link list serves, untouched).
    pub link: String,
}

impl Endpoint {
    /// Reads a share link.
    pub fn parse(link: &str) -> Result<Endpoint, LinkError> {
        let url = Url::parse(link).map_err(|e| LinkError::NotAUrl(e.to_string()))?;
        if url.scheme() != "vless" {
            return Err(LinkError::NotVless(url.scheme().to_owned()));
        }
        let q: BTreeMap<String, String> = url.query_pairs().into_owned().collect();
        let get = |k: &str| q.get(k).cloned().unwrap_or_default();
        let uuid = url.username().to_owned();
        if uuid.is_empty() {
            return Err(LinkError::Missing("user id"));
        }
        let server = url
            .host_str()
            .ok_or(LinkError::Missing("host"))?
            .trim_matches(['[', ']'])
            .to_owned();
        let port = url.port().ok_or(LinkError::Missing("port"))?;
        let transport = match get("type").as_str() {
            "tcp" | "raw" | "" => Transport::Tcp {
                http: (get("headerType") == "http").then(|| (get("path"), get("host"))),
            },
            "ws" => Transport::Ws {
                path: get("path"),
                host: get("host"),
            },
            "httpupgrade" => Transport::HttpUpgrade {
                path: get("path"),
                host: get("host"),
            },
            "grpc" => Transport::Grpc {
                service_name: get("serviceName"),
                authority: get("authority"),
                multi: get("mode") == "multi",
            },
            "xhttp" | "splithttp" => Transport::Xhttp {
                path: get("path"),
                host: get("host"),
                mode: get("mode"),
                extra: q.get("extra").and_then(|e| serde_json::from_str(e).ok()),
            },
            "kcp" | "mkcp" => Transport::Kcp {
                header: get("headerType"),
                seed: get("seed"),
            },
            other => {
                return Err(LinkError::Unknown {
                    field: "type",
                    value: other.to_owned(),
                });
            }
        };
        let security = match get("security").as_str() {
            "none" | "" => Security::None,
            "tls" => Security::Tls {
                sni: get("sni"),
                alpn: get("alpn")
                    .split(',')
                    .filter(|a| !a.is_empty())
                    .map(str::to_owned)
                    .collect(),
                fingerprint: get("fp"),
            },
            "reality" => {
                let public_key = get("pbk");
                if public_key.is_empty() {
                    return Err(LinkError::Missing("REALITY public key (pbk)"));
                }
                Security::Reality {
                    sni: get("sni"),
                    fingerprint: get("fp"),
                    public_key,
                    short_id: get("sid"),
                    spider_x: get("spx"),
                }
            }
            other => {
                return Err(LinkError::Unknown {
                    field: "security",
                    value: other.to_owned(),
                });
            }
        };
        let name = url
            .fragment()
            .map(|f| {
                url::form_urlencoded::parse(format!("n={}", f.replace('+', "%2B")).as_bytes())
                    .next()
                    .map(|(_, v)| v.into_owned())
                    .unwrap_or_default()
            })
            .filter(|n| !n.is_empty())
            .unwrap_or_else(|| format!("{server}:{port}"));
        Ok(Endpoint {
            link: link.to_owned(),
            name,
            server,
            port,
            uuid,
            flow: get("flow"),
            encryption: q
                .get("encryption")
                .cloned()
                .filter(|e| !e.is_empty())
                .unwrap_or_else(|| "none".into()),
            transport,
            security,
        })
    }

    /// An entry that carries a message in its name and leads nowhere: how a subscription that
    /// is expired or used up says so inside the app, in every format.
    pub fn notice(message: &str) -> Endpoint {
        let mut e = Endpoint {
            name: message.to_owned(),
            server: "0.0.0.0".into(),
            port: 1,
            uuid: "00000000-0000-0000-0000-000000000000".into(),
            flow: String::new(),
            encryption: "none".into(),
            transport: Transport::Tcp { http: None },
            security: Security::None,
            link: String::new(),
        };
        e.link = crate::render::share_link(&e);
        e
    }

    /// The TLS server name the client sends, if the connection uses TLS or REALITY.
    pub fn sni(&self) -> Option<&str> {
        match &self.security {
            Security::None => None,
            Security::Tls { sni, .. } | Security::Reality { sni, .. } => Some(sni),
        }
    }

    /// The uTLS fingerprint, if any.
    pub fn fingerprint(&self) -> Option<&str> {
        match &self.security {
            Security::None => None,
            Security::Tls { fingerprint, .. } | Security::Reality { fingerprint, .. } => {
                Some(fingerprint)
                    .filter(|f| !f.is_empty())
                    .map(String::as_str)
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_reality_vision_link_reads_back_whole() {
        let e = Endpoint::parse(
            "vless://0f8f1c9e-6d0e-4f55-9d8e-0b7d7c8f2a11@203.0.113.7:443?encryption=none&flow=xtls-rprx-vision&fp=chrome&pbk=Ro8zz__nu5Yt-BTXZOw9x3zNhrPfMR3wdLQAe7_PZxI&security=reality&sid=6ba85179e30d4fc2&sni=www.example.com&spx=%2F&type=tcp#fra-1-nl%20shopper",
        )
        .unwrap();
        assert_eq!(e.name, "fra-1-nl shopper");
        assert_eq!((e.server.as_str(), e.port), ("203.0.113.7", 443));
        assert_eq!(e.flow, "xtls-rprx-vision");
        assert_eq!(e.transport, Transport::Tcp { http: None });
        assert_eq!(
            e.security,
            Security::Reality {
                sni: "www.example.com".into(),
                fingerprint: "chrome".into(),
                public_key: "Ro8zz__nu5Yt-BTXZOw9x3zNhrPfMR3wdLQAe7_PZxI".into(),
                short_id: "6ba85179e30d4fc2".into(),
                spider_x: "/".into(),
            }
        );
    }

    #[test]
    fn ipv6_hosts_websocket_and_refusals() {
        let e = Endpoint::parse(
            "vless://id@[2001:db8::1]:8443?type=ws&path=%2Fws&host=cdn.example.com&security=tls&sni=cdn.example.com&alpn=h2%2Chttp%2F1.1",
        )
        .unwrap();
        assert_eq!(e.server, "2001:db8::1");
        assert_eq!(e.name, "2001:db8::1:8443");
        assert_eq!(
            e.transport,
            Transport::Ws {
                path: "/ws".into(),
                host: "cdn.example.com".into()
            }
        );
        assert!(matches!(&e.security, Security::Tls { alpn, .. } if alpn == &["h2", "http/1.1"]));
        for (link, error) in [
            ("vmess://abc", LinkError::NotVless("vmess".into())),
            ("vless://@host:1", LinkError::Missing("user id")),
            ("vless://id@host", LinkError::Missing("port")),
            (
                "vless://id@host:1?type=quic",
                LinkError::Unknown {
                    field: "type",
                    value: "quic".into(),
                },
            ),
            (
                "vless://id@host:1?security=reality",
                LinkError::Missing("REALITY public key (pbk)"),
            ),
        ] {
            assert_eq!(Endpoint::parse(link), Err(error), "{link}");
        }
    }
}
