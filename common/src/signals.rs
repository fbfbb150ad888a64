//! How a long-running process learns it should stop: Ctrl-C at a terminal, SIGTERM from
//! systemd (`systemctl stop`) or a container runtime (`docker stop`). Both mean "finish what
//! is in flight and exit"; without SIGTERM a service manager's stop would kill the process
//! mid-write after its timeout.

/// Resolves when the process is asked to stop, with the signal's name.
pub async fn stop_requested() -> &'static str {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        match signal(SignalKind::terminate()) {
            Ok(mut term) => tokio::select! {
                _ = tokio::signal::ctrl_c() => "SIGINT",
                _ = term.recv() => "SIGTERM",
            },
            Err(_) => {
                let _ = tokio::signal::ctrl_c().await;
                "SIGINT"
            }
        }
    }
    #[cfg(not(unix))]
    {
        let _ = tokio::signal::ctrl_c().await;
        "Ctrl-C"
    }
}
