//! The shop's subscription service: `GET /sub/{token}` answers with everything the token's
//! shopper may use, in the format their app reads, and `/health`; nothing else is served.
//!
//! Tokens are looked up by hash and compared in constant time by the engine; they are never
//! logged (the service logs no path, and says which shopper it served by id only). Fetches are
//! limited per token and per address. TLS is rustls, as the gateway's, or left to a reverse
//! proxy in front (then `trust_forwarded_for` takes the client's address from
//! `X-Forwarded-For`). See `docs/subscription.md`.

pub mod feed;
#[cfg(feature = "fuzzing")]
pub mod fuzzing;
mod limits;
mod page;

use std::net::{IpAddr, SocketAddr};
use std::path::PathBuf;
use std::sync::Arc;

use nebula_engine::Shop;
use nebula_engine::clock::Clock;
use nebula_engine::sub_url::{DeviceInfo, Fetch, SubToken};
use nebula_profiles::Format;
use salvo::catcher::Catcher;
use salvo::conn::Acceptor;
use salvo::conn::rustls::{Keycert, RustlsConfig};
use salvo::http::StatusCode;
use salvo::http::header::{HeaderName, HeaderValue};
use salvo::prelude::*;
use salvo::server::ServerHandle;

use feed::Answer;
use limits::Limits;

/// The operator's settings for the service (the config's `[subscription]`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SubscriptionSettings {
    pub bind: SocketAddr,
    /// Where shoppers reach the service (`https://sub.example.com`); URLs are
    /// `{public_url}/sub/{token}`.
    pub public_url: String,
    /// The profile's name in apps.
    pub title: String,
    pub support_url: Option<String>,
    /// How often apps should refresh, in hours.
    pub update_hours: u32,
    /// Certificate and key (PEM) to serve HTTPS itself.
    pub tls: Option<(PathBuf, PathBuf)>,
    pub per_token_per_minute: u32,
    pub per_address_per_minute: u32,
    /// Behind a reverse proxy: the client's address is the last `X-Forwarded-For` entry.
    pub trust_forwarded_for: bool,
    /// Serve only apps that say which device they are (`x-hwid`); others get 404 with
    /// `x-hwid-not-supported: true`.
    pub hwid_required: bool,
}

impl SubscriptionSettings {
    /// The URL a shopper adds to their app.
    pub fn url_of(&self, token: &SubToken) -> String {
        self.url_for(token.expose())
    }

    fn url_for(&self, token: &str) -> String {
        format!("{}/sub/{token}", self.public_url)
    }
}

struct State {
    shop: Shop,
    clock: Arc<dyn Clock>,
    /// `None`: the listener serves only webhooks.
    sub: Option<SubscriptionSettings>,
    webhooks: Option<Webhooks>,
    trust_forwarded_for: bool,
    limits: Limits,
    renders: feed::Renders,
}

/// The payment providers' webhooks, served by the same listener.
#[derive(Clone)]
pub struct Webhooks {
    pub payments: nebula_payments::Payments,
    /// Deliveries per minute from one address (providers send a few; more is an attack).
    pub per_address_per_minute: u32,
}

/// Where the shop's one HTTP listener listens.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ListenerSettings {
    pub bind: SocketAddr,
    pub tls: Option<(PathBuf, PathBuf)>,
    pub trust_forwarded_for: bool,
}

impl State {
    /// A listener's state, its rate limits and rendered profiles empty.
    fn new(
        shop: Shop,
        clock: Arc<dyn Clock>,
        sub: Option<SubscriptionSettings>,
        webhooks: Option<Webhooks>,
        trust_forwarded_for: bool,
    ) -> Arc<State> {
        Arc::new(State {
            shop,
            clock,
            sub,
            webhooks,
            trust_forwarded_for,
            limits: Limits::default(),
            renders: feed::Renders::default(),
        })
    }
}

struct Inject(Arc<State>);

#[handler]
impl Inject {
    async fn handle(&self, depot: &mut Depot) {
        depot.insert_typed(self.0.clone());
    }
}

fn write(res: &mut Response, answer: Answer) {
    res.status_code(StatusCode::from_u16(answer.status).unwrap_or(StatusCode::OK));
    for (name, value) in answer.headers {
        if let Ok(value) = HeaderValue::from_str(&value) {
            res.headers_mut()
                .insert(HeaderName::from_static(name), value);
        }
    }
    res.body(answer.body);
}

fn plain(status: u16, body: &str) -> Answer {
    Answer {
        status,
        headers: vec![("content-type", "text/plain; charset=utf-8".into())],
        body: body.into(),
    }
}

/// The client's address: the peer's, or behind a trusted proxy the last forwarded one.
fn client_address(req: &Request, trust_forwarded_for: bool) -> Option<IpAddr> {
    let forwarded = trust_forwarded_for
        .then(|| req.header::<String>("x-forwarded-for"))
        .flatten()
        .and_then(|v| v.rsplit(',').next().and_then(|a| a.trim().parse().ok()));
    forwarded.or_else(|| req.remote_addr().clone().into_std().map(|a| a.ip()))
}

/// The device an app says it is (`x-hwid` and its companions), if it says; a malformed id
/// is refused.
fn device_of(req: &Request) -> Result<Option<DeviceInfo>, &'static str> {
    let header = |name: &str| req.header::<String>(name).unwrap_or_default();
    let hwid = header("x-hwid");
    if hwid.is_empty() {
        return Ok(None);
    }
    DeviceInfo::new(
        &hwid,
        &header("x-device-os"),
        &header("x-ver-os"),
        &header("x-device-model"),
    )
    .map(Some)
    .ok_or("the x-hwid header must be 1 to 128 printable ASCII characters\n")
}

#[handler]
async fn fetch(req: &mut Request, depot: &mut Depot, res: &mut Response) {
    let state = depot
        .get_typed::<Arc<State>>()
        .cloned()
        .expect("the state is injected before every route");
    let Some(s) = &state.sub else {
        return write(res, Answer::not_found());
    };
    let now = state.clock.now();
    let minute = now.as_second().div_euclid(60);
    let address = client_address(req, s.trust_forwarded_for)
        .map_or_else(|| "unknown".to_owned(), |a| a.to_string());
    let token = req.param::<String>("token").unwrap_or_default();
    let token_key = format!("token:{}", nebula_common::hex_sha256(&token));
    if !state
        .limits
        .allow(&format!("addr:{address}"), s.per_address_per_minute, minute)
        || !state
            .limits
            .allow(&token_key, s.per_token_per_minute, minute)
    {
        let mut answer = plain(429, "too many requests\n");
        answer.headers.push(("retry-after", "60".into()));
        return write(res, answer);
    }
    let user_agent = req.header::<String>("user-agent").unwrap_or_default();
    let format = match feed::format_of(req.query::<String>("format").as_deref(), &user_agent) {
        Ok(f) => f,
        Err(why) => return write(res, plain(400, &why)),
    };
    let device = match device_of(req) {
        Ok(d) => d,
        Err(why) => return write(res, plain(400, why)),
    };
    if device.is_none() && s.hwid_required && format != Format::Html {
        return write(res, Answer::not_found_because("x-hwid-not-supported"));
    }
    // This runtime is the listener's own: the lookup runs right here (see `listener_runtime`).
    let answer = match state.shop.sub_fetch_here(&token, device) {
        Ok(Fetch::Served(feed)) => {
            tracing::info!(shopper = %feed.shopper, format = format.name(), "served a subscription");
            let page = format!("{}?format=html", s.url_for(&token));
            // Only a browser reads words; apps get the profile (no lookup for them).
            let l = if format == Format::Html {
                let stored = state.shop.shopper_locale(feed.shopper).await.ok().flatten();
                let accept = req.header::<String>("accept-language").unwrap_or_default();
                page::page_locale(stored.as_ref().map(|s| s.tag.as_str()), &accept)
            } else {
                crate::i18n::Locale::En
            };
            feed::answer(l, &feed, format, s, &page, now, &state.renders)
        }
        Ok(Fetch::TooManyDevices { limit }) => {
            tracing::info!(limit, "refused a device over the limit");
            Answer::not_found_because("x-hwid-max-devices-reached")
        }
        Ok(Fetch::Unknown) => Answer::not_found(),
        Err(e) => {
            tracing::error!("a subscription lookup failed: {e}");
            plain(503, "try again later\n")
        }
    };
    write(res, answer);
}

/// `POST /webhooks/{provider}`: a payment provider's event. The body is read raw (capped) for
/// the signature; nothing of it, nor the signature, is logged.
#[handler]
async fn webhook(req: &mut Request, depot: &mut Depot, res: &mut Response) {
    let state = depot
        .get_typed::<Arc<State>>()
        .cloned()
        .expect("the state is injected before every route");
    let provider = req
        .param::<String>("provider")
        .as_deref()
        .and_then(nebula_engine::payment::Provider::parse)
        .filter(|p| p.has_checkout());
    let (Some(hooks), Some(provider)) = (&state.webhooks, provider) else {
        return write(res, plain(404, "not found\n"));
    };
    let minute = state.clock.now().as_second().div_euclid(60);
    let address = client_address(req, state.trust_forwarded_for)
        .map_or_else(|| "unknown".to_owned(), |a| a.to_string());
    if !state.limits.allow(
        &format!("hook:{address}"),
        hooks.per_address_per_minute,
        minute,
    ) {
        let mut answer = plain(429, "too many requests\n");
        answer.headers.push(("retry-after", "60".into()));
        return write(res, answer);
    }
    let header = match provider {
        nebula_engine::payment::Provider::Btcpay => nebula_payments::btcpay::SIGNATURE_HEADER,
        _ => nebula_payments::stripe::SIGNATURE_HEADER,
    };
    let signature = req.header::<String>(header);
    let body = match req
        .payload_with_max_size(nebula_payments::webhook::MAX_BODY_BYTES)
        .await
    {
        Ok(body) => body.to_vec(),
        Err(_) => return write(res, plain(413, "body too large\n")),
    };
    let answer = match hooks
        .payments
        .webhook(&state.shop, provider, signature.as_deref(), &body)
        .await
    {
        Ok(nebula_payments::WebhookAnswer::Taken(taken)) => {
            plain(200, &format!("{}\n", taken_word(&taken)))
        }
        Ok(nebula_payments::WebhookAnswer::Ignored(why)) => {
            plain(200, &format!("ignored: {why}\n"))
        }
        Err(e) => {
            tracing::warn!(provider = %provider, error = %e, "refused a webhook");
            plain(e.status(), &format!("{e}\n"))
        }
    };
    write(res, answer);
}

fn taken_word(taken: &nebula_engine::payment::PaymentTaken) -> &'static str {
    use nebula_engine::payment::PaymentTaken as T;
    match taken {
        T::Paid => "paid",
        T::Review(_) => "sent to review",
        T::DuplicateEvent => "duplicate event",
        T::AlreadyTaken => "already taken",
        T::NotAwaiting => "order not awaiting payment",
    }
}

#[handler]
async fn health(res: &mut Response) {
    res.render(Text::Plain("ok\n"));
}

/// Everything that is not a route: 404, with no detail.
#[handler]
async fn nothing_else(res: &mut Response, ctrl: &mut FlowCtrl) {
    let status = match res.status_code {
        Some(s) if s == StatusCode::NOT_FOUND || s == StatusCode::METHOD_NOT_ALLOWED => 404,
        Some(s) if s.is_client_error() => s.as_u16(),
        _ => 500,
    };
    let body = if status == 404 {
        "not found\n"
    } else {
        "bad request\n"
    };
    write(res, plain(status, body));
    ctrl.skip_rest();
}

#[derive(Debug, thiserror::Error)]
pub enum StartError {
    #[error("TLS: {0}")]
    Tls(std::io::Error),
    #[error("cannot listen on {addr}: {error}")]
    Bind { addr: SocketAddr, error: String },
    #[error("cannot start the listener's threads: {0}")]
    Runtime(String),
}

/// A started subscription service.
pub struct Running {
    /// Where it listens (the real port when the config said 0).
    pub addr: SocketAddr,
    handle: ServerHandle,
    task: tokio::task::JoinHandle<()>,
    runtime: Option<tokio::runtime::Runtime>,
}

impl Running {
    /// Stops accepting, lets fetches in flight finish, and waits.
    pub async fn stop(mut self) {
        self.handle.stop_graceful(std::time::Duration::from_secs(5));
        let _ = (&mut self.task).await;
    }
}

impl Drop for Running {
    fn drop(&mut self) {
        // A runtime may not be dropped from async code; its threads are told to stop instead.
        if let Some(runtime) = self.runtime.take() {
            runtime.shutdown_background();
        }
    }
}

/// The threads the public listener runs on, apart from the bot's: a flood of fetches cannot
/// slow an interaction down, and a fetch reads redb on its own thread (a hop to a blocking
/// thread per fetch cost more than half the throughput). Also the benchmark's baseline.
pub fn listener_runtime() -> std::io::Result<tokio::runtime::Runtime> {
    let threads = std::thread::available_parallelism().map_or(2, |n| n.get().clamp(1, 4));
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(threads)
        .thread_name("nebula-sub")
        .enable_all()
        .build()
}

/// Serves `service` on a bound acceptor (plain or TLS): where it listens, its handle, its task.
fn serve<A: Acceptor + Send + 'static>(
    acceptor: Result<A, salvo::Error>,
    bind: SocketAddr,
    service: Service,
) -> Result<(SocketAddr, ServerHandle, tokio::task::JoinHandle<()>), StartError> {
    let acceptor = acceptor.map_err(|error| StartError::Bind {
        addr: bind,
        error: error.to_string(),
    })?;
    let addr = acceptor
        .holdings()
        .first()
        .and_then(|h| h.local_addr.clone().into_std())
        .unwrap_or(bind);
    let server = Server::new(acceptor);
    Ok((addr, server.handle(), tokio::spawn(server.serve(service))))
}

/// The routes, and nothing else served.
fn service(state: Arc<State>) -> Service {
    let router = Router::new()
        .hoop(Inject(state))
        .push(Router::with_path("health").get(health))
        .push(Router::with_path("sub/{token}").get(fetch))
        .push(Router::with_path("webhooks/{provider}").post(webhook));
    Service::new(router).catcher(Catcher::default().hoop(nothing_else))
}

/// Starts the service on `settings.bind`.
pub async fn start(
    settings: SubscriptionSettings,
    shop: Shop,
    clock: Arc<dyn Clock>,
) -> Result<Running, StartError> {
    let listener = ListenerSettings {
        bind: settings.bind,
        tls: settings.tls.clone(),
        trust_forwarded_for: settings.trust_forwarded_for,
    };
    start_listener(listener, Some(settings), None, shop, clock).await
}

/// Starts the shop's HTTP listener: the subscription service when `sub` is given, the
/// payment webhooks when `webhooks` is.
pub async fn start_listener(
    listener: ListenerSettings,
    sub: Option<SubscriptionSettings>,
    webhooks: Option<Webhooks>,
    shop: Shop,
    clock: Arc<dyn Clock>,
) -> Result<Running, StartError> {
    let _ = rustls::crypto::ring::default_provider().install_default();
    let (bind, tls) = (listener.bind, listener.tls.clone());
    let state = State::new(shop, clock, sub, webhooks, listener.trust_forwarded_for);
    let service = service(state);
    let runtime = listener_runtime().map_err(|e| StartError::Runtime(e.to_string()))?;
    // Bound and served on the listener's runtime, so its sockets belong to it.
    let started = runtime.spawn(async move {
        match tls {
            None => serve(TcpListener::new(bind).try_bind().await, bind, service),
            Some((cert, key)) => {
                let keycert = Keycert::new()
                    .cert_from_path(&cert)
                    .and_then(|k| k.key_from_path(&key))
                    .map_err(StartError::Tls)?;
                let acceptor = TcpListener::new(bind)
                    .rustls(RustlsConfig::new(keycert))
                    .try_bind()
                    .await;
                serve(acceptor, bind, service)
            }
        }
    });
    let started = started
        .await
        .map_err(|e| StartError::Runtime(e.to_string()));
    match started.and_then(|r| r) {
        Ok((addr, handle, task)) => Ok(Running {
            addr,
            handle,
            task,
            runtime: Some(runtime),
        }),
        Err(e) => {
            runtime.shutdown_background();
            Err(e)
        }
    }
}
