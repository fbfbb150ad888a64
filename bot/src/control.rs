//! The admin verbs of the command line (`nebula backup`, `export`, `audit`) against a running
//! shop. One process owns the database file, so while `nebula run` runs, the command line asks
//! it over a Unix socket beside the database (owner-only permissions); when the shop is
//! stopped, the command line opens the database itself. Both ways run the same [`handle`].

use std::path::{Path, PathBuf};

use nebula_engine::Shop;
use nebula_engine::audit::AuditFilter;
use nebula_engine::ids::UserId;
use nebula_engine::reports::{ExportKind, Format};
use serde::{Deserialize, Serialize};
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tracing::{info, warn};

/// What the command line asks for.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "verb", rename_all = "snake_case")]
pub enum Request {
    /// A consistent copy of the database, written by the shop to `path`.
    Backup { path: PathBuf },
    Export {
        what: ExportKind,
        format: Format,
        from: Option<String>,
        to: Option<String>,
    },
    Audit {
        actor: Option<u64>,
        order: Option<String>,
        action: Option<String>,
        before: Option<u64>,
        limit: usize,
    },
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Response {
    pub ok: bool,
    /// The result (an export's text, the audit lines) or what went wrong.
    pub output: String,
}

/// Where a running shop listens: beside its database.
pub fn socket_path(database: &Path) -> PathBuf {
    database.with_extension("sock")
}

/// Carries out a request on an open shop.
pub async fn handle(shop: &Shop, request: Request) -> Result<String, String> {
    match request {
        Request::Backup { path } => {
            let path = std::path::absolute(&path).map_err(|e| e.to_string())?;
            let r = shop.backup(path.clone()).await.map_err(|e| e.to_string())?;
            Ok(format!(
                "backed up {} rows in {} tables to {} ({} bytes)",
                r.rows,
                r.tables,
                path.display(),
                r.bytes
            ))
        }
        Request::Export {
            what,
            format,
            from,
            to,
        } => {
            let (from, to) = crate::discord::commands::export_range(
                crate::i18n::Locale::En,
                from.as_deref(),
                to.as_deref(),
                shop.now(),
            )
            .map_err(|e| e.polite(crate::i18n::Locale::En))?;
            let export = shop
                .export(what, from, to, format)
                .await
                .map_err(|e| e.to_string())?;
            String::from_utf8(export.bytes).map_err(|e| e.to_string())
        }
        Request::Audit {
            actor,
            order,
            action,
            before,
            limit,
        } => {
            let target = match order {
                Some(code) => Some(format!(
                    "order:{}",
                    shop.order_by_code(&code)
                        .await
                        .map_err(|e| e.to_string())?
                        .order
                        .id
                )),
                None => None,
            };
            let filter = AuditFilter {
                actor: actor.map(UserId),
                target,
                action,
            };
            let page = shop
                .audit(filter, before, limit.clamp(1, 1000))
                .await
                .map_err(|e| e.to_string())?;
            let mut out: Vec<String> = page
                .entries
                .iter()
                .map(|e| {
                    format!(
                        "#{}\t{}\t{}\t{}\t{}\t{}",
                        e.id, e.at, e.actor, e.action, e.target, e.details
                    )
                })
                .collect();
            if out.is_empty() {
                return Ok("no audit entries match".into());
            }
            if let Some(next) = page.next_before {
                out.push(format!("(older: --before {next})"));
            }
            Ok(out.join("\n"))
        }
    }
}

/// Serves requests until `shutdown` resolves.
pub async fn serve(shop: Shop, path: PathBuf, shutdown: impl std::future::Future<Output = ()>) {
    let _ = std::fs::remove_file(&path);
    let listener = match tokio::net::UnixListener::bind(&path) {
        Ok(l) => l,
        Err(e) => {
            warn!(path = %path.display(), error = %e, "no control socket; `nebula backup` needs the shop stopped");
            return;
        }
    };
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let _ = std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o600));
    }
    info!(path = %path.display(), "control socket ready");
    tokio::pin!(shutdown);
    loop {
        tokio::select! {
            () = &mut shutdown => break,
            accepted = listener.accept() => {
                let Ok((stream, _)) = accepted else { continue };
                let shop = shop.clone();
                tokio::spawn(async move {
                    let (read, mut write) = stream.into_split();
                    let mut line = String::new();
                    if BufReader::new(read).read_line(&mut line).await.is_err() {
                        return;
                    }
                    let response = match serde_json::from_str::<Request>(&line) {
                        Ok(request) => match handle(&shop, request).await {
                            Ok(output) => Response { ok: true, output },
                            Err(output) => Response { ok: false, output },
                        },
                        Err(e) => Response { ok: false, output: format!("bad request: {e}") },
                    };
                    let mut bytes = serde_json::to_vec(&response).unwrap_or_default();
                    bytes.push(b'\n');
                    let _ = write.write_all(&bytes).await;
                });
            }
        }
    }
    let _ = std::fs::remove_file(&path);
}

/// Asks the shop listening at `path`. `None`: nobody listens there.
pub async fn ask(path: &Path, request: &Request) -> Option<Result<String, String>> {
    let stream = tokio::net::UnixStream::connect(path).await.ok()?;
    let (read, mut write) = stream.into_split();
    let mut line = serde_json::to_vec(request).ok()?;
    line.push(b'\n');
    if let Err(e) = write.write_all(&line).await {
        return Some(Err(e.to_string()));
    }
    let mut answer = String::new();
    if let Err(e) = BufReader::new(read).read_line(&mut answer).await {
        return Some(Err(e.to_string()));
    }
    Some(match serde_json::from_str::<Response>(&answer) {
        Ok(Response { ok: true, output }) => Ok(output),
        Ok(Response { ok: false, output }) => Err(output),
        Err(e) => Err(format!("the shop's answer was unreadable: {e}")),
    })
}
