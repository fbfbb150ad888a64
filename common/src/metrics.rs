//! The process's Prometheus recorder, and the local listener that serves it as Prometheus
//! text at `GET /metrics` (the shop's and the gateway's). The crates record through the
//! `metrics` facade's macros; without a recorder those cost next to nothing.
//!
//! One recorder per process, installed on first use: in tests the shop and a gateway in one
//! process share it, so either listener serves both (their names start `nebula_shop_` and
//! `nebula_gateway_`). A process whose recorder was installed by someone else first still gets
//! a handle, which renders only what reached this recorder (nothing): the first install wins.

use std::net::SocketAddr;
use std::sync::OnceLock;

use metrics_exporter_prometheus::{PrometheusBuilder, PrometheusHandle};
use salvo::conn::Acceptor;
use salvo::prelude::*;
use salvo::server::ServerHandle;

/// Histogram buckets, in seconds: 1 ms to 10 s.
const BUCKETS: &[f64] = &[
    0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0,
];

static HANDLE: OnceLock<PrometheusHandle> = OnceLock::new();

/// The recorder's handle, installing the recorder on the first call.
pub fn recorder() -> PrometheusHandle {
    HANDLE
        .get_or_init(|| {
            let recorder = PrometheusBuilder::new()
                .set_buckets(BUCKETS)
                .expect("the buckets are not empty")
                .build_recorder();
            let handle = recorder.handle();
            let _ = metrics::set_global_recorder(recorder);
            handle
        })
        .clone()
}

/// What the listener answers: every metric, as Prometheus text (format 0.0.4).
pub fn render() -> String {
    let handle = recorder();
    handle.run_upkeep();
    handle.render()
}

/// A started `/metrics` listener.
pub struct MetricsListener {
    /// Where it listens (the real port when the config said 0).
    pub addr: SocketAddr,
    handle: ServerHandle,
    task: tokio::task::JoinHandle<()>,
}

impl MetricsListener {
    pub async fn stop(self) {
        self.handle.stop_graceful(std::time::Duration::from_secs(2));
        let _ = self.task.await;
    }
}

#[handler]
async fn scrape(res: &mut Response) {
    res.render(Text::Plain(render()));
    let _ = res.add_header(
        "content-type",
        "text/plain; version=0.0.4; charset=utf-8",
        true,
    );
}

/// Serves `GET /metrics` on `bind` (a loopback address unless the operator scrapes from
/// elsewhere: the numbers say how busy the shop is, not who buys).
pub async fn serve(bind: SocketAddr) -> std::io::Result<MetricsListener> {
    recorder();
    let acceptor = TcpListener::new(bind)
        .try_bind()
        .await
        .map_err(std::io::Error::other)?;
    let addr = acceptor
        .holdings()
        .first()
        .and_then(|h| h.local_addr.clone().into_std())
        .ok_or_else(|| std::io::Error::other("no local address"))?;
    let server = Server::new(acceptor);
    let handle = server.handle();
    let router = Router::new().push(Router::with_path("metrics").get(scrape));
    let task = tokio::spawn(server.serve(router));
    Ok(MetricsListener { addr, handle, task })
}
