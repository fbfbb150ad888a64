//! The gateway service: salvo routes under `/v1` behind the request guard, `/health` without.

pub mod config;
pub mod error;
#[cfg(feature = "fuzzing")]
pub mod fuzzing;
pub mod guard;
pub mod openapi;
pub mod service;

use std::net::SocketAddr;
use std::sync::Arc;

use jiff::Timestamp;
use salvo::catcher::Catcher;
use salvo::conn::Acceptor;
use salvo::conn::rustls::{Keycert, RustlsConfig};
use salvo::http::{ParseError, StatusCode};
use salvo::prelude::*;
use salvo::server::ServerHandle;
use serde::de::DeserializeOwned;

use crate::api::{
    ClientView, CreateClient, Created, Deleted, ErrorBody, ErrorCode, InboundView, Status,
    TrafficQuery, TrafficReport, UpdateClient,
};
use crate::panel::Panel;
use crate::signing::{self, HEADER_KEY, HEADER_NONCE, HEADER_SIGNATURE, HEADER_TIMESTAMP};
use config::Resolved;
use error::ApiError;
use guard::{Guard, Signed};
use service::Gateway;

/// Everything a request needs.
pub struct AppState {
    pub guard: Guard,
    pub gateway: Gateway,
}

struct Inject(Arc<AppState>);

#[handler]
impl Inject {
    async fn handle(&self, depot: &mut Depot) {
        depot.insert_typed(self.0.clone());
    }
}

fn state(depot: &Depot) -> Arc<AppState> {
    depot
        .get_typed::<Arc<AppState>>()
        .cloned()
        .expect("the state is injected before every route")
}

/// Runs the guard's checks in order; on a refusal the route never runs.
#[handler]
async fn authenticate(
    req: &mut Request,
    depot: &mut Depot,
    res: &mut Response,
    ctrl: &mut FlowCtrl,
) {
    let state = state(depot);
    if let Err(e) = check(req, &state.guard).await {
        res.render(e);
        ctrl.skip_rest();
    }
}

/// The address allowlist alone: what the unsigned description asks of a caller.
#[handler]
async fn allowed_address(
    req: &mut Request,
    depot: &mut Depot,
    res: &mut Response,
    ctrl: &mut FlowCtrl,
) {
    let state = state(depot);
    if let Err(e) = check_address(req, &state.guard) {
        res.render(e);
        ctrl.skip_rest();
    }
}

fn check_address(req: &Request, guard: &Guard) -> Result<(), ApiError> {
    let peer = req
        .remote_addr()
        .clone()
        .into_std()
        .map(|a| a.ip())
        .ok_or_else(|| ApiError::new(ErrorCode::AddressNotAllowed))?;
    let forwarded = req
        .headers()
        .get("x-forwarded-for")
        .and_then(|v| v.to_str().ok());
    guard.check_address(peer, forwarded).map(|_| ())
}

async fn check(req: &mut Request, guard: &Guard) -> Result<(), ApiError> {
    check_address(req, guard)?;
    let header = |name: &str| {
        req.headers()
            .get(name)
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned)
    };
    let (key, ts, nonce, sig) = (
        header(HEADER_KEY),
        header(HEADER_TIMESTAMP),
        header(HEADER_NONCE),
        header(HEADER_SIGNATURE),
    );
    let signed = Guard::parse(
        key.as_deref(),
        ts.as_deref(),
        nonce.as_deref(),
        sig.as_deref(),
    )?;
    guard.check_key_and_rate(signed.key_id)?;
    let now = Timestamp::now().as_second();
    guard.check_clock(signed.timestamp, now)?;
    let signed = Signed {
        key_id: signed.key_id,
        timestamp: signed.timestamp,
        nonce: signed.nonce,
        signature: signed.signature,
    };
    let method = req.method().as_str().to_owned();
    let path = req
        .uri()
        .path_and_query()
        .map_or_else(|| req.uri().path().to_owned(), |p| p.as_str().to_owned());
    let body = match req.payload_with_max_size(guard.max_body_bytes()).await {
        Ok(b) => b.clone(),
        Err(ParseError::PayloadTooLarge) => return Err(ApiError::new(ErrorCode::BodyTooLarge)),
        Err(_) => return Err(ApiError::invalid("the body could not be read")),
    };
    let canonical = signing::canonical(signed.timestamp, signed.nonce, &method, &path, &body);
    guard.check_signature(&signed, &canonical, now)
}

async fn json_body<T: DeserializeOwned>(req: &mut Request) -> Result<T, ApiError> {
    let body = req
        .payload()
        .await
        .map_err(|_| ApiError::invalid("the body could not be read"))?;
    serde_json::from_slice(body).map_err(|e| ApiError::invalid(format!("invalid body: {e}")))
}

fn email(req: &Request) -> Result<String, ApiError> {
    req.param::<String>("email")
        .ok_or_else(|| ApiError::invalid("missing email"))
}

fn answer<T: serde::Serialize + Send>(res: &mut Response, result: Result<T, ApiError>) {
    match result {
        Ok(v) => res.render(Json(v)),
        Err(e) => res.render(e),
    }
}

/// Makes a VLESS client exist
///
/// Creating an email that exists returns the existing client (200) instead of a second one
/// (201 when this call created it), so a retried create never makes two.
#[endpoint(
    operation_id = "createClient",
    tags("clients"),
    request_body = CreateClient,
    responses(
        (status_code = 201, description = "created by this call", body = Created),
        (status_code = 200, description = "the client existed already", body = Created),
    )
)]
async fn create_client(req: &mut Request, depot: &mut Depot, res: &mut Response) {
    let state = state(depot);
    let result = match json_body::<CreateClient>(req).await {
        Ok(body) => state.gateway.create(body).await,
        Err(e) => Err(e),
    };
    match result {
        Ok(created) => {
            res.status_code(if created.created {
                StatusCode::CREATED
            } else {
                StatusCode::OK
            });
            res.render(Json(created));
        }
        Err(e) => res.render(e),
    }
}

/// A client, with its share links
#[endpoint(
    operation_id = "getClient",
    tags("clients"),
    parameters(("email" = String, Path, description = "the client's email on the panel")),
    responses((status_code = 200, description = "the client", body = ClientView))
)]
async fn get_client(req: &mut Request, depot: &mut Depot, res: &mut Response) {
    let state = state(depot);
    let result = match email(req) {
        Ok(email) => state.gateway.get(&email).await,
        Err(e) => Err(e),
    };
    answer(res, result);
}

/// Changes a client's expiry, traffic limit, IP limit or enabled flag
///
/// Absent fields stay as they are.
#[endpoint(
    operation_id = "updateClient",
    tags("clients"),
    parameters(("email" = String, Path, description = "the client's email on the panel")),
    request_body = UpdateClient,
    responses((status_code = 200, description = "the client as changed", body = ClientView))
)]
async fn update_client(req: &mut Request, depot: &mut Depot, res: &mut Response) {
    let state = state(depot);
    let result = match (email(req), json_body::<UpdateClient>(req).await) {
        (Ok(email), Ok(patch)) => state.gateway.update(&email, patch).await,
        (Err(e), _) | (_, Err(e)) => Err(e),
    };
    answer(res, result);
}

/// Deletes a client
///
/// Deleting an email that is already gone is not an error.
#[endpoint(
    operation_id = "deleteClient",
    tags("clients"),
    parameters(("email" = String, Path, description = "the client's email on the panel")),
    responses((status_code = 200, description = "what this call did", body = Deleted))
)]
async fn delete_client(req: &mut Request, depot: &mut Depot, res: &mut Response) {
    let state = state(depot);
    let result = match email(req) {
        Ok(email) => state.gateway.delete(&email).await,
        Err(e) => Err(e),
    };
    answer(res, result);
}

/// Starts a client's traffic count over
#[endpoint(
    operation_id = "resetTraffic",
    tags("clients"),
    parameters(("email" = String, Path, description = "the client's email on the panel")),
    responses((status_code = 200, description = "the client after the reset", body = ClientView))
)]
async fn reset_traffic(req: &mut Request, depot: &mut Depot, res: &mut Response) {
    let state = state(depot);
    let result = match email(req) {
        Ok(email) => state.gateway.reset_traffic(&email).await,
        Err(e) => Err(e),
    };
    answer(res, result);
}

/// Usage of many clients in one call: a list of emails, or a whole inbound
#[endpoint(
    operation_id = "traffic",
    tags("traffic"),
    request_body = TrafficQuery,
    responses((status_code = 200, description = "usage, and the emails the panel lacks", body = TrafficReport))
)]
async fn traffic(req: &mut Request, depot: &mut Depot, res: &mut Response) {
    let state = state(depot);
    let result = match json_body::<TrafficQuery>(req).await {
        Ok(q) => state.gateway.traffic(q).await,
        Err(e) => Err(e),
    };
    answer(res, result);
}

/// The panel's inbounds
#[endpoint(
    operation_id = "inbounds",
    tags("panel"),
    responses((status_code = 200, description = "every inbound", body = Vec<InboundView>))
)]
async fn inbounds(depot: &mut Depot, res: &mut Response) {
    let state = state(depot);
    answer(res, state.gateway.inbounds().await);
}

/// The panel's and Xray's state
///
/// Always answers: an unreachable panel is `panel_reachable: false`.
#[endpoint(
    operation_id = "status",
    tags("panel"),
    responses((status_code = 200, description = "the state", body = Status))
)]
async fn status(depot: &mut Depot, res: &mut Response) {
    let state = state(depot);
    res.render(Json(state.gateway.status().await));
}

/// Answers a signed request with nothing but "pong"
///
/// Lets a client check its signing without touching the panel.
#[endpoint(
    operation_id = "ping",
    tags("signing"),
    responses((status_code = 200, description = "the signature was good", body = Pong))
)]
async fn ping(res: &mut Response) {
    res.render(Json(Pong { pong: true }));
}

#[derive(serde::Serialize, salvo::oapi::ToSchema)]
#[salvo(schema(name = "Pong"))]
struct Pong {
    pong: bool,
}

#[handler]
async fn not_found(res: &mut Response) {
    res.render(ApiError::new(ErrorCode::NotFound));
}

/// Counts every answer by its status (after the route, or the guard's refusal, ran).
#[handler]
async fn count_requests(
    req: &mut Request,
    depot: &mut Depot,
    res: &mut Response,
    ctrl: &mut FlowCtrl,
) {
    let started = std::time::Instant::now();
    ctrl.call_next(req, depot, res).await;
    let code = res.status_code.map_or(200, |s| s.as_u16()).to_string();
    let method = req.method().as_str().to_owned();
    metrics::counter!("nebula_gateway_requests_total", "code" => code, "method" => method)
        .increment(1);
    metrics::histogram!("nebula_gateway_request_seconds").record(started.elapsed().as_secs_f64());
}

/// Says the gateway is up, and nothing else.
#[handler]
async fn health(res: &mut Response) {
    res.render(Json(serde_json::json!({ "status": "ok" })));
}

/// Errors salvo raises itself (no route, wrong method) in the gateway's JSON shape.
#[handler]
async fn json_errors(res: &mut Response, ctrl: &mut FlowCtrl) {
    let code = match res.status_code {
        Some(StatusCode::NOT_FOUND) | Some(StatusCode::METHOD_NOT_ALLOWED) => ErrorCode::NotFound,
        Some(StatusCode::PAYLOAD_TOO_LARGE) => ErrorCode::BodyTooLarge,
        Some(s) if s.is_client_error() => ErrorCode::InvalidRequest,
        _ => ErrorCode::Internal,
    };
    let e = ApiError::new(code);
    res.render(Json(ErrorBody {
        error: e.code,
        message: e.message,
    }));
    ctrl.skip_rest();
}

/// The signed routes, without their guard (the OpenAPI description is made from these).
fn v1_routes() -> Router {
    Router::with_path("v1")
        .push(Router::with_path("clients").post(create_client))
        .push(
            Router::with_path("clients/{email}")
                .get(get_client)
                .patch(update_client)
                .delete(delete_client),
        )
        .push(Router::with_path("clients/{email}/reset-traffic").post(reset_traffic))
        .push(Router::with_path("traffic").post(traffic))
        .push(Router::with_path("inbounds").get(inbounds))
        .push(Router::with_path("status").get(status))
        .push(Router::with_path("ping").get(ping))
}

/// The description of `/v1`, as served at `/v1/openapi.json`.
pub fn openapi_document() -> serde_json::Value {
    openapi::document(&v1_routes())
}

pub fn router(state: Arc<AppState>) -> Router {
    let description = openapi_document().to_string();
    Router::new()
        .hoop(Inject(state))
        .hoop(count_requests)
        .push(Router::with_path("health").get(health))
        .push(
            Router::with_path(openapi::PATH)
                .hoop(allowed_address)
                .get(openapi::Serve(description)),
        )
        .push(
            v1_routes()
                .hoop(authenticate)
                // Every other path under /v1 is authenticated too before it is a 404, so an
                // unsigned caller cannot probe which routes exist.
                .push(Router::with_path("{**rest}").goal(not_found)),
        )
}

/// The whole service: the routes, and JSON for every refusal salvo makes itself.
pub fn service(state: Arc<AppState>) -> Service {
    Service::new(router(state)).catcher(Catcher::default().hoop(json_errors))
}

#[derive(Debug, thiserror::Error)]
pub enum StartError {
    #[error("the panel client: {0}")]
    Panel(#[from] crate::panel::PanelError),
    #[error("TLS: {0}")]
    Tls(std::io::Error),
    #[error("cannot listen on {addr}: {error}")]
    Bind { addr: SocketAddr, error: String },
}

/// A started gateway.
pub struct Running {
    /// Where it listens (the real port when the config said 0).
    pub addr: SocketAddr,
    pub state: Arc<AppState>,
    handle: ServerHandle,
    task: tokio::task::JoinHandle<()>,
    metrics: Option<nebula_common::metrics::MetricsListener>,
}

impl Running {
    /// Where the metrics listener listens, if the config asked for one.
    pub fn metrics_addr(&self) -> Option<SocketAddr> {
        self.metrics.as_ref().map(|m| m.addr)
    }

    /// Stops accepting, lets requests in flight finish, and waits.
    pub async fn stop(self) {
        self.handle.stop_graceful(std::time::Duration::from_secs(5));
        let _ = self.task.await;
        if let Some(metrics) = self.metrics {
            metrics.stop().await;
        }
    }
}

/// Starts the gateway on `config.bind` (port 0 picks a free port).
pub async fn start(config: Resolved) -> Result<Running, StartError> {
    // One crypto provider for rustls, whoever installs it first.
    let _ = rustls::crypto::ring::default_provider().install_default();
    let panel = Panel::new(config.panel.clone())?;
    let state = Arc::new(AppState {
        guard: Guard::new(config.auth.clone()),
        gateway: Gateway::new(panel, config.links.clone()),
    });
    let service = service(state.clone());
    let bind_error = |error: salvo::Error| StartError::Bind {
        addr: config.bind,
        error: error.to_string(),
    };
    let (addr, handle, task) = match &config.tls {
        None => {
            let acceptor = TcpListener::new(config.bind)
                .try_bind()
                .await
                .map_err(bind_error)?;
            let addr = local_addr(acceptor.holdings())?;
            let server = Server::new(acceptor);
            let handle = server.handle();
            (addr, handle, tokio::spawn(server.serve(service)))
        }
        Some(tls) => {
            let keycert = Keycert::new()
                .cert_from_path(&tls.cert)
                .and_then(|k| k.key_from_path(&tls.key))
                .map_err(StartError::Tls)?;
            let acceptor = TcpListener::new(config.bind)
                .rustls(RustlsConfig::new(keycert))
                .try_bind()
                .await
                .map_err(bind_error)?;
            let addr = local_addr(acceptor.holdings())?;
            let server = Server::new(acceptor);
            let handle = server.handle();
            (addr, handle, tokio::spawn(server.serve(service)))
        }
    };
    let metrics = match config.metrics {
        Some(bind) => {
            Some(
                nebula_common::metrics::serve(bind)
                    .await
                    .map_err(|e| StartError::Bind {
                        addr: bind,
                        error: e.to_string(),
                    })?,
            )
        }
        None => None,
    };
    Ok(Running {
        addr,
        state,
        handle,
        task,
        metrics,
    })
}

fn local_addr(holdings: &[salvo::conn::Holding]) -> Result<SocketAddr, StartError> {
    holdings
        .first()
        .and_then(|h| h.local_addr.clone().into_std())
        .ok_or_else(|| StartError::Bind {
            addr: "0.0.0.0:0".parse().expect("addr"),
            error: "no local address".into(),
        })
}
