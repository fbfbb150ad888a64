//! The fake's gateway: HELLO, IDENTIFY → READY + GUILD_CREATE, heartbeat acks, RESUME →
//! RESUMED, and the events a test dispatches. Plain text frames; `TCP_NODELAY` on.

use std::net::SocketAddr;

use futures_util::{SinkExt, StreamExt};
use serde_json::{Value, json};
use tokio::net::TcpStream;
use tokio::sync::mpsc;
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::tungstenite::protocol::CloseFrame;
use tokio_tungstenite::tungstenite::protocol::frame::coding::CloseCode;

use super::{PRIVILEGED_INTENTS, Shared, lock, payloads};

/// Why Discord would close the connection on this IDENTIFY: a token that is not the
/// application's (4004), or a privileged intent not switched on in the developer portal (4014).
fn refusal(shared: &Shared, identify: &Value) -> Option<(u16, &'static str)> {
    let s = lock(shared);
    let token = identify["token"].as_str().unwrap_or("");
    let token = token.strip_prefix("Bot ").unwrap_or(token);
    if s.token.as_deref().is_some_and(|t| t != token) {
        return Some((4004, "Authentication failed."));
    }
    let asked = identify["intents"].as_u64().unwrap_or(0) & PRIVILEGED_INTENTS;
    if asked & !s.privileged_intents != 0 {
        return Some((4014, "Disallowed intent(s)."));
    }
    None
}

pub(crate) async fn start(shared: Shared) -> std::io::Result<SocketAddr> {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let addr = listener.local_addr()?;
    tokio::spawn(async move {
        while let Ok((stream, _)) = listener.accept().await {
            let _ = stream.set_nodelay(true);
            tokio::spawn(serve(shared.clone(), stream));
        }
    });
    Ok(addr)
}

fn dispatch_frame(shared: &Shared, event: &str, d: Value) -> Option<String> {
    if let Err(e) = payloads::check(event, &d) {
        lock(shared).unmodelled.push(e);
        return None;
    }
    let mut s = lock(shared);
    s.seq += 1;
    Some(json!({"op": 0, "s": s.seq, "t": event, "d": d}).to_string())
}

async fn serve(shared: Shared, stream: TcpStream) {
    let Ok(ws) = tokio_tungstenite::accept_async(stream).await else {
        return;
    };
    let (mut sink, mut incoming) = ws.split();
    let (tx, mut rx) = mpsc::unbounded_channel::<Message>();
    let writer = tokio::spawn(async move {
        while let Some(frame) = rx.recv().await {
            let close = matches!(frame, Message::Close(_));
            if sink.send(frame).await.is_err() || close {
                break;
            }
        }
        let _ = sink.close().await;
    });
    let frame_of = |v: Value| Message::Text(v.to_string());
    let _ = tx.send(frame_of(
        json!({"op": 10, "d": {"heartbeat_interval": 41_250}}),
    ));
    while let Some(Ok(msg)) = incoming.next().await {
        let text = match msg {
            Message::Text(t) => t,
            Message::Binary(b) => String::from_utf8_lossy(&b).into_owned(),
            Message::Close(_) => break,
            _ => continue,
        };
        let Ok(frame) = serde_json::from_str::<Value>(&text) else {
            continue;
        };
        match frame["op"].as_u64() {
            Some(1) => {
                let _ = tx.send(frame_of(json!({"op": 11})));
            }
            Some(2) => {
                if let Some((code, reason)) = refusal(&shared, &frame["d"]) {
                    let _ = tx.send(Message::Close(Some(CloseFrame {
                        code: CloseCode::from(code),
                        reason: reason.into(),
                    })));
                    break;
                }
                let (ready, guild) = {
                    let mut s = lock(&shared);
                    s.readies += 1;
                    s.connection = Some(tx.clone());
                    let gw = s.gateway_addr.expect("started");
                    let ready = json!({
                        "v": 10, "user": s.bot_user(), "guilds": [{"id": s.guild.to_string(), "unavailable": true}],
                        "session_id": "fake-session", "resume_gateway_url": format!("ws://{gw}"),
                        "application": {"id": s.app.to_string(), "flags": 0}, "private_channels": [], "shard": [0, 1],
                    });
                    (ready, s.guild_create())
                };
                for (event, d) in [("READY", ready), ("GUILD_CREATE", guild)] {
                    if let Some(f) = dispatch_frame(&shared, event, d) {
                        let _ = tx.send(Message::Text(f));
                    }
                }
            }
            Some(6) => {
                lock(&shared).connection = Some(tx.clone());
                if let Some(f) = dispatch_frame(&shared, "RESUMED", json!({})) {
                    let _ = tx.send(Message::Text(f));
                }
            }
            _ => {}
        }
    }
    {
        let mut s = lock(&shared);
        if s.connection.as_ref().is_some_and(|c| c.same_channel(&tx)) {
            s.connection = None;
        }
    }
    drop(tx);
    let _ = writer.await;
}
