//! The engine's Discord effects, carried out with serenity's HTTP client. Every Discord object
//! this creates is recorded in the engine's database before the next step, so an effect executed
//! again (after a crash, or a retry) finds what it made instead of posting twice. Between
//! Discord making an object and the shop recording it, the shop can die or the answer can be
//! lost: every message carries a nonce Discord enforces (the same nonce again returns the
//! message already made), and an order channel is looked for before it is made again.

use std::sync::Arc;

use nebula_engine::Shop;
use nebula_engine::effect::{AccessDetails, Alert, DiscordEffect, Notice, OrderSummary};
use nebula_engine::executor::{DiscordEffects, ExecError};
use nebula_engine::ids::{OrderId, UserId as ShopperId};
use nebula_engine::order::{Proof, ReviewOutcome};
use nebula_engine::policy::MethodOffer;
use serenity::all::{
    ChannelId, ChannelType, CreateChannel, CreateMessage, EditMessage, GuildChannel, GuildId, Http,
    Message, MessageId, Nonce, PermissionOverwrite, PermissionOverwriteType, Permissions, RoleId,
    UserId,
};
use tokio::sync::OnceCell;
use tracing::{info, warn};

use super::render;
use crate::i18n::{self, Locale};
use crate::tr;

/// The settings `/setup` writes.
pub mod setting {
    pub const SHOP_CHANNEL: &str = "discord.shop_channel";
    pub const REVIEW_CHANNEL: &str = "discord.review_channel";
    pub const ORDER_CATEGORY: &str = "discord.order_category";
    pub const ADMIN_ROLE: &str = "discord.admin_role";
}

/// Keys of the ids recorded in the engine.
pub mod refs {
    use nebula_engine::ids::OrderId;

    pub fn order_channel(order: OrderId) -> String {
        format!("order:{order}:channel")
    }
    pub fn channel_order(channel: u64) -> String {
        format!("channel:{channel}:order")
    }
    pub fn review_message(order: OrderId) -> String {
        format!("order:{order}:review")
    }
    pub fn effect(key: &str, part: &str) -> String {
        format!("effect:{key}:{part}")
    }
    pub const PANEL: &str = "panel:message";
}

pub struct DiscordExecutor {
    /// Serenity's client, shared with the gateway connection once it is built.
    http: std::sync::OnceLock<Arc<Http>>,
    shop: Shop,
    guild: GuildId,
    me: OnceCell<UserId>,
    /// Order channels as they are made: a shopper's "your order is open" answer links the
    /// channel as soon as it exists, without polling.
    channels_opened: tokio::sync::broadcast::Sender<(OrderId, u64)>,
    /// The subscription service, when the shop runs one: access messages lead with the
    /// shopper's personal URL.
    sub_urls: Option<crate::subscription::SubscriptionSettings>,
    /// Held while the panel is edited or posted: the outbox's refresh and the one a deleted
    /// panel starts could otherwise both find the old message gone and post two panels.
    panel: tokio::sync::Mutex<()>,
    /// The shop's configured language (`[shop] language`).
    language: Locale,
    /// The server's preferred locale, as the last interaction reported it.
    guild_locale: std::sync::Mutex<Option<String>>,
}

/// A Discord failure as the outbox sees it: 4xx (but 429) will not get better by trying again.
pub fn exec_error(e: serenity::Error) -> ExecError {
    let status = match &e {
        serenity::Error::Http(h) => h.status_code(),
        _ => None,
    };
    match status {
        Some(s) if s.is_client_error() && s.as_u16() != 429 => {
            ExecError::permanent(format!("Discord refused: {e}"))
        }
        _ => ExecError::transient(format!("Discord: {e}")),
    }
}

pub fn is_not_found(e: &serenity::Error) -> bool {
    matches!(e, serenity::Error::Http(h) if h.status_code().map(|s| s.as_u16()) == Some(404))
}

/// The nonce a message made once per `key` carries: Discord returns the message it already
/// made for the same nonce "in the past few minutes" (`enforce_nonce`), so a post retried after
/// a lost answer or a crash is not made twice. 25 characters, Discord's limit.
fn nonce_of(key: &str) -> Nonce {
    Nonce::String(nebula_common::hex_sha256(key)[..25].to_owned())
}

/// Sends `message` to `channel` as the one message for `key`: sent again for the same key
/// (the shop did not hear the answer, or died before recording it), Discord returns the
/// message it made.
async fn send_keyed(
    http: &Http,
    key: &str,
    channel: ChannelId,
    message: CreateMessage,
) -> Result<Message, serenity::Error> {
    channel
        .send_message(http, message.nonce(nonce_of(key)).enforce_nonce(true))
        .await
}

/// The order channel an earlier attempt made, if it made one: the channel's name and place
/// are the order's alone.
fn made_before<'a>(
    channels: impl IntoIterator<Item = &'a GuildChannel>,
    name: &str,
    category: Option<ChannelId>,
) -> Option<ChannelId> {
    channels
        .into_iter()
        .find(|c| c.name == name && c.kind == ChannelType::Text && c.parent_id == category)
        .map(|c| c.id)
}

fn shop_error(e: nebula_engine::ShopError) -> ExecError {
    ExecError::transient(format!("the shop's database: {e}"))
}

impl DiscordExecutor {
    pub fn new(shop: Shop, guild: GuildId) -> DiscordExecutor {
        DiscordExecutor {
            http: std::sync::OnceLock::new(),
            shop,
            guild,
            me: OnceCell::new(),
            channels_opened: tokio::sync::broadcast::channel(256).0,
            sub_urls: None,
            panel: tokio::sync::Mutex::new(()),
            language: Locale::En,
            guild_locale: std::sync::Mutex::new(None),
        }
    }

    /// The shop speaks `language` where nothing says otherwise.
    pub fn with_language(mut self, language: Locale) -> DiscordExecutor {
        self.language = language;
        self
    }

    /// Remembers the server's preferred locale (the guild and every interaction carry it).
    /// Whether the shop's own language changed with it (the panel is then shown again).
    pub fn saw_guild_locale(&self, tag: Option<&str>) -> bool {
        let Some(tag) = tag else {
            return false;
        };
        let before = self.shop_locale();
        {
            let mut known = nebula_common::lock(&self.guild_locale);
            if known.as_deref() == Some(tag) {
                return false;
            }
            *known = Some(tag.to_owned());
        }
        self.shop_locale() != before
    }

    /// The language of what everyone in the server reads (the panel) and of what the admins
    /// read in the review channel: the server's preferred locale, else the shop's.
    pub fn shop_locale(&self) -> Locale {
        let guild = nebula_common::lock(&self.guild_locale).clone();
        i18n::resolve(None, None, guild.as_deref(), self.language)
    }

    /// The language of an interaction: the shopper's choice, the interaction's locale, the
    /// server's, the shop's. The shopper's locale is remembered for their DMs. (The server's
    /// locale the interaction carries is the caller's to note: `saw_guild_locale`.)
    pub async fn interaction_locale(
        &self,
        shopper: ShopperId,
        discord: &str,
        guild: Option<&str>,
    ) -> Result<Locale, nebula_engine::ShopError> {
        let stored = self.shop.shopper_locale(shopper).await?;
        let chosen = stored
            .as_ref()
            .filter(|s| s.chosen)
            .and_then(|s| Locale::parse(&s.tag));
        let locale = i18n::resolve(chosen, Some(discord), guild, self.language);
        let seen_before = stored.as_ref().map(|s| s.tag.as_str()) == Some(locale.tag());
        if chosen.is_none() && !seen_before {
            // Off the answer's path: the answer needs only `locale`, and a shopper's first
            // click should not wait on a commit.
            let shop = self.shop.clone();
            tokio::spawn(async move {
                let seen = nebula_engine::shop::ShopperLocale {
                    tag: locale.tag().to_owned(),
                    chosen: false,
                };
                if let Err(e) = shop.remember_locale(shopper, seen).await {
                    warn!(error = %e, "could not keep a shopper's language");
                }
            });
        }
        Ok(locale)
    }

    /// The language of a shopper's DMs and order channel: the one they chose or last used,
    /// else the shop's.
    pub async fn locale_of(&self, shopper: ShopperId) -> Locale {
        match self.shop.shopper_locale(shopper).await {
            Ok(Some(stored)) => Locale::parse(&stored.tag).unwrap_or_else(|| self.shop_locale()),
            Ok(None) => self.shop_locale(),
            Err(e) => {
                warn!(error = %e, "could not read a shopper's language");
                self.shop_locale()
            }
        }
    }

    /// Access messages lead with each shopper's personal subscription URL from `settings`.
    pub fn with_subscription_urls(
        mut self,
        settings: Option<crate::subscription::SubscriptionSettings>,
    ) -> DiscordExecutor {
        self.sub_urls = settings;
        self
    }

    /// The subscription service's settings, when the shop runs one.
    pub fn subscription_settings(&self) -> Option<&crate::subscription::SubscriptionSettings> {
        self.sub_urls.as_ref()
    }

    /// The shopper's personal subscription URL, if the shop runs the service (issued on
    /// first use).
    pub async fn personal_url(
        &self,
        shopper: ShopperId,
    ) -> Result<Option<String>, nebula_engine::ShopError> {
        match &self.sub_urls {
            Some(settings) => Ok(Some(settings.url_of(&self.shop.sub_token(shopper).await?))),
            None => Ok(None),
        }
    }

    /// The order's channel: at once if it exists, else as soon as it is made, or none after
    /// `wait`.
    pub async fn order_channel_opened(
        &self,
        order: OrderId,
        wait: std::time::Duration,
    ) -> Option<u64> {
        // Subscribed before looking, so a channel made in between is not missed.
        let mut opened = self.channels_opened.subscribe();
        let made = async {
            loop {
                if let Ok(Some(c)) = self.order_channel(order).await {
                    return Some(c.get());
                }
                loop {
                    match opened.recv().await {
                        Ok((o, channel)) if o == order => return Some(channel),
                        Ok(_) => {}
                        // Missed some: look again.
                        Err(tokio::sync::broadcast::error::RecvError::Lagged(_)) => break,
                        Err(tokio::sync::broadcast::error::RecvError::Closed) => return None,
                    }
                }
            }
        };
        tokio::time::timeout(wait, made).await.ok().flatten()
    }

    /// Gives the executor serenity's HTTP client (the one the gateway connection uses, so both
    /// share one rate limiter).
    pub fn attach(&self, http: Arc<Http>) {
        let _ = self.http.set(http);
    }

    /// The connection to Discord, once attached.
    pub fn http_client(&self) -> Option<&Http> {
        self.http.get().map(|h| h.as_ref())
    }

    fn http(&self) -> Result<&Http, ExecError> {
        self.http
            .get()
            .map(|h| h.as_ref())
            .ok_or_else(|| ExecError::transient("not connected to Discord yet"))
    }

    async fn me(&self) -> Result<UserId, ExecError> {
        self.me
            .get_or_try_init(|| async {
                self.http()?
                    .get_current_user()
                    .await
                    .map(|u| u.id)
                    .map_err(exec_error)
            })
            .await
            .copied()
    }

    async fn recall(&self, key: &str) -> Result<Option<String>, ExecError> {
        self.shop.external_ref(key).await.map_err(shop_error)
    }

    async fn remember(&self, key: &str, value: impl ToString) -> Result<(), ExecError> {
        self.shop
            .set_external_ref(key, value.to_string())
            .await
            .map_err(shop_error)
    }

    async fn setting_id(&self, key: &str) -> Result<Option<u64>, ExecError> {
        Ok(self
            .shop
            .setting(key)
            .await
            .map_err(shop_error)?
            .and_then(|v| v.parse().ok()))
    }

    async fn order_channel(&self, order: OrderId) -> Result<Option<ChannelId>, ExecError> {
        Ok(self
            .recall(&refs::order_channel(order))
            .await?
            .and_then(|v| v.parse().ok())
            .map(ChannelId::new))
    }

    /// Posts `message` in `channel` once per `key`.
    async fn post_once(
        &self,
        key: &str,
        channel: ChannelId,
        message: CreateMessage,
    ) -> Result<(), ExecError> {
        if self.recall(key).await?.is_some() {
            return Ok(());
        }
        let posted = send_keyed(self.http()?, key, channel, message)
            .await
            .map_err(exec_error)?;
        self.remember(key, posted.id).await
    }

    async fn open_order_channel(
        &self,
        key: &str,
        order: &OrderSummary,
        methods: &[MethodOffer],
    ) -> Result<(), ExecError> {
        let channel = match self.order_channel(order.id).await? {
            Some(c) => c,
            None => self.make_order_channel(key, order).await?,
        };
        self.post_once(
            &refs::effect(key, "summary"),
            channel,
            render::order_opened(self.locale_of(order.shopper).await, order, methods),
        )
        .await
    }

    /// Makes the order's private channel, or finds the one an attempt that did not hear
    /// Discord's answer made, and records it.
    async fn make_order_channel(
        &self,
        key: &str,
        order: &OrderSummary,
    ) -> Result<ChannelId, ExecError> {
        let name = format!("order-{}", order.code.to_ascii_lowercase());
        let category = self
            .setting_id(setting::ORDER_CATEGORY)
            .await?
            .map(ChannelId::new);
        let attempted = refs::effect(key, "attempted");
        let earlier = if self.recall(&attempted).await?.is_some() {
            let channels = self
                .guild
                .channels(self.http()?)
                .await
                .map_err(exec_error)?;
            made_before(channels.values(), &name, category)
        } else {
            self.remember(&attempted, "1").await?;
            None
        };
        let channel = match earlier {
            Some(c) => {
                info!(order = %order.code, channel = %c, "found the order channel an earlier attempt made");
                c
            }
            None => self.create_order_channel(order, name, category).await?,
        };
        // Both ways at once: a channel known to the order but not to the message handler
        // would take no screenshot.
        self.shop
            .set_external_refs(vec![
                (refs::order_channel(order.id), channel.to_string()),
                (refs::channel_order(channel.get()), order.id.to_string()),
            ])
            .await
            .map_err(shop_error)?;
        let _ = self.channels_opened.send((order.id, channel.get()));
        Ok(channel)
    }

    /// Creates the order's private channel: only the shopper, the admins and the bot see it.
    async fn create_order_channel(
        &self,
        order: &OrderSummary,
        name: String,
        category: Option<ChannelId>,
    ) -> Result<ChannelId, ExecError> {
        let me = self.me().await?;
        let shopper = UserId::new(order.shopper.0);
        let member = |id: UserId, allow: Permissions| PermissionOverwrite {
            allow,
            deny: Permissions::empty(),
            kind: PermissionOverwriteType::Member(id),
        };
        let talk = Permissions::VIEW_CHANNEL
            | Permissions::SEND_MESSAGES
            | Permissions::READ_MESSAGE_HISTORY;
        let mut overwrites = vec![
            // Nobody but the shopper, the admins and the bot sees the channel.
            PermissionOverwrite {
                allow: Permissions::empty(),
                deny: Permissions::VIEW_CHANNEL,
                kind: PermissionOverwriteType::Role(RoleId::new(self.guild.get())),
            },
            member(shopper, talk | Permissions::ATTACH_FILES),
            member(
                me,
                talk | Permissions::ATTACH_FILES
                    | Permissions::EMBED_LINKS
                    | Permissions::MANAGE_CHANNELS,
            ),
        ];
        if let Some(role) = self.setting_id(setting::ADMIN_ROLE).await? {
            overwrites.push(PermissionOverwrite {
                allow: talk,
                deny: Permissions::empty(),
                kind: PermissionOverwriteType::Role(RoleId::new(role)),
            });
        }
        let mut builder = CreateChannel::new(name)
            .kind(ChannelType::Text)
            .topic(tr!(
                self.locale_of(order.shopper).await,
                "order-channel-topic",
                code = &order.code,
                plan = &order.plan_name
            ))
            .permissions(overwrites);
        if let Some(category) = category {
            builder = builder.category(category);
        }
        let created = self
            .guild
            .create_channel(self.http()?, builder)
            .await
            .map_err(exec_error)?;
        info!(order = %order.code, channel = %created.id, "order channel opened");
        Ok(created.id)
    }

    async fn require_channel(&self, order: OrderId) -> Result<ChannelId, ExecError> {
        self.order_channel(order)
            .await?
            .ok_or_else(|| ExecError::transient("the order channel does not exist yet"))
    }

    async fn review_channel(&self) -> Result<ChannelId, ExecError> {
        self.setting_id(setting::REVIEW_CHANNEL)
            .await?
            .map(ChannelId::new)
            .ok_or_else(|| ExecError::transient("no review channel: an admin must run /setup"))
    }

    async fn request_review(
        &self,
        key: &str,
        order: &OrderSummary,
        method_label: &str,
        proof: Option<&Proof>,
        payment: Option<&nebula_engine::payment::FlaggedPayment>,
    ) -> Result<(), ExecError> {
        let channel = self.review_channel().await?;
        let marker = refs::effect(key, "post");
        if self.recall(&marker).await?.is_some() {
            return Ok(());
        }
        let image = self
            .shop
            .proof_image(order.id)
            .await
            .map_err(shop_error)?
            .map(|(_, bytes)| bytes);
        let posted = send_keyed(
            self.http()?,
            &marker,
            channel,
            render::review(
                self.shop_locale(),
                order,
                method_label,
                proof,
                payment,
                image,
            ),
        )
        .await
        .map_err(exec_error)?;
        self.shop
            .set_external_refs(vec![
                (
                    refs::review_message(order.id),
                    format!("{}:{}", channel, posted.id),
                ),
                (marker, posted.id.to_string()),
            ])
            .await
            .map_err(shop_error)
    }

    async fn close_review(
        &self,
        order: OrderId,
        outcome: ReviewOutcome,
        by: ShopperId,
    ) -> Result<(), ExecError> {
        self.edit_review(
            order,
            render::review_closed(self.shop_locale(), outcome, UserId::new(by.0)),
        )
        .await
    }

    /// Edits the review message of an order (gone: nothing to do).
    async fn edit_review(&self, order: OrderId, edit: EditMessage) -> Result<(), ExecError> {
        let Some(at) = self.recall(&refs::review_message(order)).await? else {
            return Ok(());
        };
        let Some((channel, message)) = parse_pair(&at) else {
            return Ok(());
        };
        match ChannelId::new(channel)
            .edit_message(self.http()?, MessageId::new(message), edit)
            .await
        {
            Ok(_) => Ok(()),
            Err(e) if is_not_found(&e) => Ok(()),
            Err(e) => Err(exec_error(e)),
        }
    }

    /// Sends to the order channel and, when the shopper allows DMs, privately too.
    async fn deliver_access(
        &self,
        key: &str,
        order: OrderId,
        shopper: ShopperId,
        access: &AccessDetails,
    ) -> Result<(), ExecError> {
        let personal = self.personal_url(shopper).await.map_err(shop_error)?;
        let personal = personal.as_deref();
        let l = self.locale_of(shopper).await;
        if let Some(channel) = self.order_channel(order).await? {
            self.post_once(
                &refs::effect(key, "channel"),
                channel,
                render::access(l, access, personal),
            )
            .await?;
        }
        self.dm_once(
            &refs::effect(key, "dm"),
            shopper,
            render::access(l, access, personal),
        )
        .await
    }

    async fn dm_once(
        &self,
        marker: &str,
        shopper: ShopperId,
        message: CreateMessage,
    ) -> Result<(), ExecError> {
        if self.recall(marker).await?.is_some() {
            return Ok(());
        }
        let dm = match UserId::new(shopper.0).create_dm_channel(self.http()?).await {
            Ok(dm) => dm,
            Err(e) => {
                warn!(shopper = shopper.0, error = %e, "cannot open a DM with the shopper");
                return self.remember(marker, "unavailable").await;
            }
        };
        match send_keyed(self.http()?, marker, dm.id, message).await {
            Ok(m) => self.remember(marker, m.id).await,
            // The shopper does not accept DMs (Discord answers 403): the channel has it.
            Err(e) if matches!(&e, serenity::Error::Http(h) if h.status_code().is_some_and(|s| s.is_client_error())) =>
            {
                info!(shopper = shopper.0, "the shopper does not accept DMs");
                self.remember(marker, "refused").await
            }
            Err(e) => Err(exec_error(e)),
        }
    }

    async fn notify(
        &self,
        key: &str,
        order: OrderId,
        shopper: ShopperId,
        notice: &Notice,
    ) -> Result<(), ExecError> {
        let message = render::notice(self.locale_of(shopper).await, notice);
        match self.order_channel(order).await? {
            Some(channel) => {
                self.post_once(&refs::effect(key, "post"), channel, message)
                    .await
            }
            None => {
                self.dm_once(&refs::effect(key, "dm"), shopper, message)
                    .await
            }
        }
    }

    async fn close_channel(&self, order: OrderId) -> Result<(), ExecError> {
        let Some(channel) = self.order_channel(order).await? else {
            return Ok(());
        };
        match channel.delete(self.http()?).await {
            Ok(_) => {}
            Err(e) if is_not_found(&e) => {}
            Err(e) => return Err(exec_error(e)),
        }
        self.shop
            .remove_external_ref(refs::order_channel(order))
            .await
            .map_err(shop_error)?;
        self.shop
            .remove_external_ref(refs::channel_order(channel.get()))
            .await
            .map_err(shop_error)
    }

    async fn alert(&self, key: &str, alert: &Alert) -> Result<(), ExecError> {
        let channel = self.review_channel().await?;
        self.post_once(
            &refs::effect(key, "post"),
            channel,
            render::alert(self.shop_locale(), alert),
        )
        .await
    }

    /// Shows the catalogue in the shop channel: edits the panel, or posts it again if it was
    /// deleted. Nothing to do before `/setup`.
    pub async fn refresh_panel(&self) -> Result<(), ExecError> {
        let _one_at_a_time = self.panel.lock().await;
        let Some(channel) = self
            .setting_id(setting::SHOP_CHANNEL)
            .await?
            .map(ChannelId::new)
        else {
            return Ok(());
        };
        let plans = self.shop.catalogue(None).await.map_err(shop_error)?;
        let (embed, rows) = render::panel(self.shop_locale(), &plans);
        let recorded = self.recall(refs::PANEL).await?;
        if let Some((at, message)) = recorded.as_deref().and_then(parse_pair)
            && at == channel.get()
        {
            let edit = EditMessage::new()
                .embed(embed.clone())
                .components(rows.clone());
            match channel
                .edit_message(self.http()?, MessageId::new(message), edit)
                .await
            {
                Ok(_) => return Ok(()),
                Err(e) if is_not_found(&e) => {
                    info!("the shop panel was deleted; posting it again")
                }
                Err(e) => return Err(exec_error(e)),
            }
        }
        // One panel per channel and per panel it replaces (none, or the deleted one).
        let replaces = recorded.as_deref().unwrap_or("none");
        let posted = send_keyed(
            self.http()?,
            &format!("{}:{channel}:after:{replaces}", refs::PANEL),
            channel,
            CreateMessage::new().embed(embed).components(rows),
        )
        .await
        .map_err(exec_error)?;
        self.remember(refs::PANEL, format!("{}:{}", channel, posted.id))
            .await
    }

    /// Whether a deleted message was the shop panel.
    pub async fn is_panel(&self, channel: ChannelId, message: MessageId) -> bool {
        matches!(self.recall(refs::PANEL).await, Ok(Some(v)) if parse_pair(&v) == Some((channel.get(), message.get())))
    }
}

fn parse_pair(v: &str) -> Option<(u64, u64)> {
    let (a, b) = v.split_once(':')?;
    Some((a.parse().ok()?, b.parse().ok()?))
}

impl DiscordEffects for DiscordExecutor {
    async fn execute(&self, key: &str, effect: &DiscordEffect) -> Result<(), ExecError> {
        match effect {
            DiscordEffect::OpenOrderChannel { order, methods } => {
                self.open_order_channel(key, order, methods).await
            }
            DiscordEffect::ShowPaymentInstructions {
                order,
                shopper,
                label,
                instructions,
                provider,
                ..
            } => {
                let channel = self.require_channel(*order).await?;
                let l = self.locale_of(*shopper).await;
                self.post_once(
                    &refs::effect(key, "post"),
                    channel,
                    render::instructions(l, *order, label, instructions, *provider),
                )
                .await
            }
            DiscordEffect::ShowCheckout {
                order,
                shopper,
                label,
                amount,
                url,
            } => {
                let channel = self.require_channel(*order).await?;
                let l = self.locale_of(*shopper).await;
                self.post_once(
                    &refs::effect(key, "post"),
                    channel,
                    render::checkout(l, label, *amount, url),
                )
                .await
            }
            DiscordEffect::RequestReview {
                order,
                method_label,
                proof,
                payment,
                ..
            } => {
                self.request_review(key, order, method_label, proof.as_ref(), payment.as_deref())
                    .await
            }
            DiscordEffect::ReviewPaid { order, provider } => {
                self.edit_review(*order, render::review_paid(self.shop_locale(), *provider))
                    .await
            }
            DiscordEffect::CloseReview { order, outcome, by } => {
                self.close_review(*order, *outcome, *by).await
            }
            DiscordEffect::DeliverAccess {
                order,
                shopper,
                access,
            } => self.deliver_access(key, *order, *shopper, access).await,
            DiscordEffect::NotifyShopper {
                order,
                shopper,
                notice,
            } => self.notify(key, *order, *shopper, notice).await,
            DiscordEffect::CloseOrderChannel { order } => self.close_channel(*order).await,
            DiscordEffect::AlertAdmins { alert } => self.alert(key, alert).await,
            DiscordEffect::RefreshPanel => self.refresh_panel().await,
            DiscordEffect::NotifySubscriber {
                shopper,
                subscription,
                plan_name,
                notice,
            } => {
                self.dm_once(
                    &refs::effect(key, "dm"),
                    *shopper,
                    render::subscriber_notice(
                        self.locale_of(*shopper).await,
                        *subscription,
                        plan_name,
                        notice,
                    ),
                )
                .await
            }
            DiscordEffect::BroadcastDm { broadcast, shopper } => {
                self.broadcast_dm(key, *broadcast, *shopper).await
            }
            DiscordEffect::BroadcastProgress { broadcast } => {
                self.broadcast_progress(*broadcast).await
            }
        }
    }
}

impl DiscordExecutor {
    /// One DM of a broadcast, once; skipped for a shopper who opted out since it was sent. A
    /// shopper who does not accept DMs fails it for good (the broadcast counts it).
    async fn broadcast_dm(
        &self,
        key: &str,
        id: nebula_engine::ids::BroadcastId,
        shopper: ShopperId,
    ) -> Result<(), ExecError> {
        let marker = refs::effect(key, "dm");
        if self.recall(&marker).await?.is_some()
            || self
                .shop
                .opted_out_of_broadcasts(shopper)
                .await
                .map_err(shop_error)?
        {
            return Ok(());
        }
        let b = self.shop.broadcast(id).await.map_err(shop_error)?;
        let refused = |e: &serenity::Error| matches!(e, serenity::Error::Http(h) if h.status_code().is_some_and(|s| s.is_client_error()));
        let dm = match UserId::new(shopper.0).create_dm_channel(self.http()?).await {
            Ok(dm) => dm,
            Err(e) if refused(&e) => {
                return Err(ExecError::permanent("Discord refused a DM to this shopper"));
            }
            Err(e) => return Err(exec_error(e)),
        };
        match send_keyed(
            self.http()?,
            &marker,
            dm.id,
            render::broadcast_dm(self.locale_of(shopper).await, &b),
        )
        .await
        {
            Ok(m) => self.remember(&marker, m.id).await,
            Err(e) if refused(&e) => Err(ExecError::permanent(
                "the shopper does not accept DMs from the shop",
            )),
            Err(e) => Err(exec_error(e)),
        }
    }

    /// Posts the admin's progress message the first time, and edits it after.
    async fn broadcast_progress(
        &self,
        id: nebula_engine::ids::BroadcastId,
    ) -> Result<(), ExecError> {
        let b = self.shop.broadcast(id).await.map_err(shop_error)?;
        let text = render::broadcast_progress(self.shop_locale(), &b);
        let marker = format!("broadcast:{id}:progress-message");
        let channel = ChannelId::new(b.channel.max(1));
        if let Some(message) = self.recall(&marker).await?.and_then(|m| m.parse().ok()) {
            return match channel
                .edit_message(
                    self.http()?,
                    MessageId::new(message),
                    EditMessage::new().content(text),
                )
                .await
            {
                Ok(_) => Ok(()),
                Err(e) if is_not_found(&e) => Ok(()),
                Err(e) => Err(exec_error(e)),
            };
        }
        let posted = send_keyed(
            self.http()?,
            &marker,
            channel,
            CreateMessage::new().content(text),
        )
        .await
        .map_err(exec_error)?;
        self.remember(&marker, posted.id).await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn channel(id: u64, name: &str, kind: u8, parent: Option<u64>) -> GuildChannel {
        serde_json::from_value(serde_json::json!({
            "id": id.to_string(), "guild_id": "1", "name": name, "type": kind, "position": 0,
            "parent_id": parent.map(|p| p.to_string()), "permission_overwrites": [],
        }))
        .expect("a guild channel")
    }

    #[test]
    fn an_earlier_attempts_channel_is_the_text_channel_of_that_name_in_that_category() {
        let category = Some(ChannelId::new(40));
        let channels = [
            channel(10, "order-nl-abc", 0, Some(41)),
            channel(11, "order-nl-abc", 2, Some(40)),
            channel(12, "order-nl-abcd", 0, Some(40)),
            channel(13, "order-nl-abc", 0, Some(40)),
        ];
        assert_eq!(
            made_before(&channels, "order-nl-abc", category),
            Some(ChannelId::new(13))
        );
        assert_eq!(made_before(&channels, "order-nl-xyz", category), None);
        assert_eq!(made_before(&channels, "order-nl-abc", None), None);
    }

    #[test]
    fn a_nonce_is_the_same_for_the_same_key_and_fits_discords_limit() {
        let Nonce::String(a) = nonce_of("effect:01J:summary") else {
            panic!("a string nonce")
        };
        let Nonce::String(b) = nonce_of("effect:01J:summary") else {
            panic!("a string nonce")
        };
        let Nonce::String(c) = nonce_of("effect:01J:post") else {
            panic!("a string nonce")
        };
        assert_eq!(a, b);
        assert_ne!(a, c);
        assert_eq!(a.len(), 25);
    }
}
