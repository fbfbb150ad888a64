//! Discord events in, engine commands out: the thin adapter. Every admin action is checked here,
//! on the server side, against the admin role; the engine checks again that the actor may act.

use std::sync::Arc;
use std::time::Duration;

use nebula_engine::actor::Actor;
use nebula_engine::error::Rejection;
use nebula_engine::ids::{MethodId, OrderId, UserId};
use nebula_engine::shop::{OpenOrder, OrderRecord, ProofUpload, RenewOrder};
use nebula_engine::{Shop, ShopError};
use nebula_gateway::client::GatewayClient;
use nebula_plugins::PolicyAdmin;
use serenity::all::{
    ActionRowComponent, ChannelId, ComponentInteraction, ComponentInteractionDataKind, Context,
    CreateMessage, EventHandler, GuildId, Interaction, Member, Message, MessageId,
    ModalInteraction, Permissions, Ready,
};
use serenity::async_trait;
use tracing::{info, warn};

use super::commands;
use super::effects::{DiscordExecutor, refs, setting};
use super::errors::BotError;
use super::ids::Action;
use super::render;
use super::reply::{Answer, Later, Reply, Update, answer};
use crate::i18n::Locale;
use crate::tr;

/// What the adapter works with.
pub struct Bot {
    pub shop: Shop,
    pub policies: PolicyAdmin,
    pub gateway: GatewayClient,
    pub guild: GuildId,
    pub executor: Arc<DiscordExecutor>,
    /// The automatic payment providers, when configured.
    pub payments: Option<nebula_payments::Payments>,
}

pub struct Handler(pub Arc<Bot>);

impl Bot {
    /// Whether a member is an admin of the shop: the role from `/setup`, or, before any role
    /// is set, Discord's Administrator permission.
    pub async fn is_admin(&self, member: Option<&Member>) -> Result<bool, BotError> {
        let Some(member) = member else {
            return Ok(false);
        };
        match self
            .shop
            .setting(setting::ADMIN_ROLE)
            .await?
            .and_then(|r| r.parse::<u64>().ok())
        {
            Some(role) => Ok(member.roles.iter().any(|r| r.get() == role)),
            None => Ok(member
                .permissions
                .is_some_and(|p| p.contains(Permissions::ADMINISTRATOR))),
        }
    }

    /// The language to answer this interaction in (and, remembered, the user's DMs').
    async fn locale(
        &self,
        user: &serenity::all::User,
        discord: &str,
        guild: Option<&str>,
    ) -> Locale {
        if self.executor.saw_guild_locale(guild) {
            // The panel follows the server's language, but this answer does not wait for it.
            let executor = Arc::clone(&self.executor);
            tokio::spawn(async move {
                if let Err(e) = executor.refresh_panel().await {
                    warn!(error = %e, "could not show the shop panel in the server's language");
                }
            });
        }
        match self
            .executor
            .interaction_locale(UserId(user.id.get()), discord, guild)
            .await
        {
            Ok(l) => l,
            Err(e) => {
                warn!(error = %e, "could not read or keep a user's language");
                self.executor.shop_locale()
            }
        }
    }

    pub async fn admin(&self, member: Option<&Member>, user: u64) -> Result<Actor, BotError> {
        if self.is_admin(member).await? {
            Ok(Actor::Admin(UserId(user)))
        } else {
            Err(BotError::NotAdmin)
        }
    }

    /// Opening an order is answered at once ("Opening your order…"); the answer is edited
    /// when the order is open, and again to link its channel as soon as the outbox has made
    /// it. Nothing the shopper sees waits on a commit or on Discord.
    fn opening(
        &self,
        l: Locale,
        open: impl Future<Output = Result<OrderRecord, ShopError>> + Send + 'static,
    ) -> Answer {
        /// Longer than the outbox takes to make a channel, well inside an interaction
        /// token's fifteen minutes.
        const CHANNEL_WAIT: Duration = Duration::from_secs(30);
        let executor = Arc::clone(&self.executor);
        // Started now, not after the first answer went out: the two overlap.
        let open = tokio::spawn(open);
        Answer::Then(
            Reply::text(tr!(l, "order-opening")),
            Box::pin(async move {
                let opened = open.await.unwrap_or_else(|e| {
                    Err(ShopError::Store(nebula_engine::error::StoreError::Join(
                        e.to_string(),
                    )))
                });
                let record = match opened {
                    Ok(record) => record,
                    Err(e) => {
                        let e = BotError::from(e);
                        e.log("opening an order");
                        return Update::last(Reply::text(e.polite(l)));
                    }
                };
                let (code, order) = (record.order.code(), record.order.id);
                let then = if record.order.plan.trial.is_some() {
                    tr!(l, "order-open-then-trial")
                } else {
                    tr!(l, "order-open-then-pay")
                };
                let soon = tr!(l, "order-open-soon", code = &code);
                let linked: Later = Box::pin(async move {
                    let channel = executor.order_channel_opened(order, CHANNEL_WAIT).await?;
                    let open = tr!(
                        l,
                        "order-open-in",
                        code = code,
                        channel = format!("<#{channel}>")
                    );
                    Update::last(Reply::text(format!("{open} {then}")))
                });
                Some(Update {
                    reply: Reply::text(soon),
                    next: Some(linked),
                })
            }),
        )
    }

    async fn devices(&self, l: Locale, shopper: UserId) -> Result<Answer, BotError> {
        let subs = self.shop.subscriptions_of(shopper).await?;
        let limit = nebula_engine::sub_url::device_limit(&subs);
        Ok(render::devices_list(l, &self.shop.devices(shopper).await?, limit).into())
    }

    async fn reset_link(&self, l: Locale, shopper: UserId) -> Result<Answer, BotError> {
        let settings = self
            .executor
            .subscription_settings()
            .ok_or_else(|| BotError::Input(tr!(l, "reset-link-none")))?;
        let token = self.shop.reset_sub_token(shopper).await?;
        Ok(Reply::text(format!(
            "{}\n{}",
            tr!(l, "reset-link-done"),
            settings.url_of(&token)
        ))
        .into())
    }

    /// The shopper picked a language: kept until they pick another; the answer is already in
    /// it.
    async fn choose_language(
        &self,
        c: &ComponentInteraction,
        shopper: UserId,
    ) -> Result<Answer, BotError> {
        let ComponentInteractionDataKind::StringSelect { values } = &c.data.kind else {
            return Err(BotError::Input(tr!(Locale::En, "form-expired")));
        };
        let locale = values
            .first()
            .and_then(|v| Locale::parse(v))
            .ok_or_else(|| BotError::Input(tr!(Locale::En, "form-expired")))?;
        self.shop
            .remember_locale(
                shopper,
                nebula_engine::shop::ShopperLocale {
                    tag: locale.tag().to_owned(),
                    chosen: true,
                },
            )
            .await?;
        Ok(Reply::text(tr!(locale, "language-chosen")).into())
    }

    async fn component(&self, l: Locale, c: &ComponentInteraction) -> Result<Answer, BotError> {
        let user = c.user.id.get();
        let roles: Vec<u64> = c
            .member
            .as_ref()
            .map(|m| m.roles.iter().map(|r| r.get()).collect())
            .unwrap_or_default();
        let action = Action::parse(&c.data.custom_id)
            .ok_or_else(|| BotError::Input(tr!(l, "button-expired")))?;
        match action {
            Action::Buy => self.buy(l, UserId(user), roles).await,
            Action::Coupon => Ok(Answer::Modal(render::coupon_modal(l))),
            Action::Help => Ok(Reply::text(render::help(l)).into()),
            Action::Language => Ok(render::language_picker(l).into()),
            Action::LanguagePicked => self.choose_language(c, UserId(user)).await,
            Action::Subscriptions => {
                let subs = self.shop.subscriptions_of(UserId(user)).await?;
                let url = match subs.is_empty() {
                    true => None,
                    false => self.executor.personal_url(UserId(user)).await?,
                };
                Ok(render::subscriptions(l, &subs, url.as_deref()).into())
            }
            Action::ResetLink => Ok(render::confirm_reset_link(l).into()),
            Action::ResetLinkConfirmed => self.reset_link(l, UserId(user)).await,
            Action::Devices => self.devices(l, UserId(user)).await,
            Action::RemoveDevice { device } => {
                let shopper = UserId(user);
                let hwid = self
                    .shop
                    .devices(shopper)
                    .await?
                    .into_iter()
                    .map(|d| d.info.hwid)
                    .find(|h| render::device_key(h) == device);
                if let Some(hwid) = hwid {
                    self.shop.remove_device(shopper, hwid).await?;
                }
                self.devices(l, shopper).await
            }
            Action::PickPlan { coupon } => self.pick_plan(l, c, UserId(user), roles, coupon).await,
            Action::Renew { subscription } => {
                let shop = self.shop.clone();
                let renewal = RenewOrder {
                    shopper: UserId(user),
                    roles,
                    subscription,
                    coupon: None,
                };
                Ok(self.opening(l, async move { shop.renew(renewal).await }))
            }
            Action::Method { order, method } => {
                self.choose_method(l, UserId(user), order, method).await
            }
            Action::Cancel { order } => {
                // The engine decides whether this shopper or admin may cancel it.
                let actor = if self.is_admin(c.member.as_ref()).await? {
                    Actor::Admin(UserId(user))
                } else {
                    Actor::Shopper(UserId(user))
                };
                let record = self.shop.cancel(actor, order).await?;
                Ok(Reply::text(tr!(l, "order-cancelled", code = record.order.code())).into())
            }
            Action::Approve { order } => {
                let actor = self.admin(c.member.as_ref(), user).await?;
                let record = self.shop.approve(actor, order).await?;
                Ok(Reply::text(tr!(l, "order-approved", code = record.order.code())).into())
            }
            Action::Decline { order } => {
                self.admin(c.member.as_ref(), user).await?;
                Ok(Answer::Modal(render::decline_modal(l, order)))
            }
            Action::Retry { order } => {
                let actor = self.admin(c.member.as_ref(), user).await?;
                let record = self.shop.retry(actor, order).await?;
                Ok(Reply::text(tr!(l, "order-retrying", code = record.order.code())).into())
            }
            Action::Transfer { order } => Ok(Answer::Modal(render::transfer_modal(l, order))),
            Action::BroadcastSend { broadcast } => {
                let actor = self.admin(c.member.as_ref(), user).await?;
                let b = self.shop.send_broadcast(actor, broadcast).await?;
                Ok(Reply::text(tr!(l, "broadcast-sending", count = b.recipients)).into())
            }
            Action::BroadcastOptOut => {
                self.shop.opt_out_of_broadcasts(UserId(user)).await?;
                Ok(Reply::text(tr!(l, "broadcast-opted-out")).into())
            }
            Action::CouponSubmitted
            | Action::DeclineSubmitted { .. }
            | Action::TransferSubmitted { .. } => Err(BotError::Input(tr!(l, "form-expired"))),
        }
    }

    /// "Buy access": the plans this shopper may buy.
    async fn buy(&self, l: Locale, user: UserId, roles: Vec<u64>) -> Result<Answer, BotError> {
        let plans = self.shop.catalogue(Some((user, roles))).await?;
        if plans.is_empty() {
            return Ok(Reply::text(tr!(l, "nothing-on-sale")).into());
        }
        Ok(render::plan_picker(l, &plans, None).into())
    }

    /// A plan picked from the list opens an order for it.
    async fn pick_plan(
        &self,
        l: Locale,
        c: &ComponentInteraction,
        user: UserId,
        roles: Vec<u64>,
        coupon: Option<String>,
    ) -> Result<Answer, BotError> {
        let ComponentInteractionDataKind::StringSelect { values } = &c.data.kind else {
            return Err(BotError::Input(tr!(l, "pick-plan-from-list")));
        };
        let plan = values
            .first()
            .ok_or_else(|| BotError::Input(tr!(l, "pick-plan")))?
            .parse()
            .map_err(|_| BotError::Input(tr!(l, "plan-gone")))?;
        let shop = self.shop.clone();
        let request = OpenOrder {
            shopper: user,
            roles,
            plan,
            coupon,
            preferred_region: None,
        };
        Ok(self.opening(l, async move { shop.open_order(request).await }))
    }

    async fn choose_method(
        &self,
        l: Locale,
        user: UserId,
        order: OrderId,
        method: MethodId,
    ) -> Result<Answer, BotError> {
        let record = self
            .shop
            .choose_method(Actor::Shopper(user), order, method.clone())
            .await?;
        let label = record
            .order
            .offers
            .methods
            .iter()
            .find(|m| m.id == method)
            .map_or(method.to_string(), |m| m.label.clone());
        Ok(Reply::text(tr!(l, "method-chosen", method = label)).into())
    }

    /// A shopper's TRON transaction id: read from the chain and checked; a refusal says why
    /// and leaves the screenshot route open.
    async fn submit_transfer(
        &self,
        l: Locale,
        user: UserId,
        order: OrderId,
        txid: &str,
    ) -> Result<Answer, BotError> {
        use nebula_engine::payment::PaymentTaken;
        use nebula_payments::TransferError;
        let payments = self
            .payments
            .as_ref()
            .ok_or_else(|| BotError::Input(tr!(l, "usdt-not-set-up")))?;
        let taken = match payments
            .submit_transfer(&self.shop, user, order, txid)
            .await
        {
            Ok(taken) => taken,
            Err(TransferError::Shop(e)) => return Err(e.into()),
            Err(e) => {
                return Err(BotError::Input(tr!(
                    l,
                    "transfer-refused",
                    why = transfer_problem(l, &e)
                )));
            }
        };
        let text = match taken {
            PaymentTaken::Paid => tr!(l, "transfer-paid"),
            PaymentTaken::Review(why) => {
                tr!(l, "transfer-review", why = render::differences(l, &why))
            }
            PaymentTaken::AlreadyTaken | PaymentTaken::DuplicateEvent => {
                tr!(l, "transfer-already")
            }
            PaymentTaken::NotAwaiting => tr!(l, "transfer-not-awaiting"),
        };
        Ok(Reply::text(text).into())
    }

    async fn modal(&self, l: Locale, m: &ModalInteraction) -> Result<Answer, BotError> {
        let user = m.user.id.get();
        let field = |name: &str| {
            m.data
                .components
                .iter()
                .flat_map(|row| &row.components)
                .find_map(|c| match c {
                    ActionRowComponent::InputText(t) if t.custom_id == name => t.value.clone(),
                    _ => None,
                })
        };
        match Action::parse(&m.data.custom_id) {
            Some(Action::CouponSubmitted) => {
                let code = field("code").unwrap_or_default().trim().to_owned();
                if code.is_empty() {
                    return Err(BotError::Input(tr!(l, "coupon-empty")));
                }
                let roles = m
                    .member
                    .as_ref()
                    .map(|mm| mm.roles.iter().map(|r| r.get()).collect())
                    .unwrap_or_default();
                let plans = self
                    .shop
                    .catalogue_with_coupon(Some((UserId(user), roles)), Some(code.clone()))
                    .await?;
                Ok(render::plan_picker(l, &plans, Some(&code)).into())
            }
            Some(Action::DeclineSubmitted { order }) => {
                let actor = self.admin(m.member.as_ref(), user).await?;
                let reason = field("reason").unwrap_or_default();
                let record = self.shop.decline(actor, order, reason).await?;
                Ok(Reply::text(tr!(l, "order-declined", code = record.order.code())).into())
            }
            Some(Action::TransferSubmitted { order }) => {
                let txid = field("txid").unwrap_or_default();
                self.submit_transfer(l, UserId(user), order, &txid).await
            }
            _ => Err(BotError::Input(tr!(l, "form-expired"))),
        }
    }

    /// A message in an order channel: the payment screenshot, or a polite no. The engine decides
    /// whose order it is, whether it waits for a screenshot, and what a screenshot may be; the
    /// bot only declines to download a file over the shop's size limit.
    async fn message(&self, ctx: &Context, msg: &Message) -> Result<(), BotError> {
        if msg.author.bot || msg.attachments.is_empty() {
            return Ok(()); // People may talk in the channel.
        }
        let Some(order) = self
            .shop
            .external_ref(refs::channel_order(msg.channel_id.get()))
            .await?
            .and_then(|o| o.parse::<OrderId>().ok())
        else {
            return Ok(());
        };
        let say = |text: String| async move {
            msg.channel_id
                .send_message(
                    &ctx.http,
                    CreateMessage::new().content(text).reference_message(msg),
                )
                .await
                .map(drop)
                .map_err(BotError::from)
        };
        let attachment = &msg.attachments[0];
        let l = self.executor.locale_of(UserId(msg.author.id.get())).await;
        let max_bytes = self.shop.settings().rules.max_proof_bytes;
        if u64::from(attachment.size) > max_bytes {
            return say(proof_refusal(l, &Rejection::ProofTooLarge { max_bytes })).await;
        }
        let upload = ProofUpload {
            filename: attachment.filename.clone(),
            content_type: media_type(attachment.content_type.as_deref()),
            bytes: attachment.download().await?,
        };
        let author = Actor::Shopper(UserId(msg.author.id.get()));
        match self.shop.submit_proof(author, order, upload).await {
            Ok(_) => Ok(()),
            Err(ShopError::Rejected(r)) => say(proof_refusal(l, &r)).await,
            Err(e) => {
                let e = BotError::from(e);
                e.log("proof upload");
                say(e.polite(l)).await
            }
        }
    }
}

/// `image/png; charset=…` → `image/png`.
fn media_type(content_type: Option<&str>) -> String {
    content_type
        .unwrap_or("")
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_owned()
}

/// What the shop says when the engine refuses a screenshot, in the order channel.
fn proof_refusal(l: Locale, r: &Rejection) -> String {
    match r {
        Rejection::NotYourOrder { owner } => {
            tr!(l, "proof-not-yours", owner = format!("<@{owner}>"))
        }
        Rejection::NotAllowedNow { state, .. } => {
            tr!(l, "proof-not-now", state = render::state_text(l, *state))
        }
        other => super::errors::rejection(l, other),
    }
}

/// Why a submitted TRON transaction did not pay the order, in the shopper's words.
fn transfer_problem(l: Locale, e: &nebula_payments::TransferError) -> String {
    use nebula_payments::TransferError as E;
    use nebula_payments::TransferRefusal as R;
    match e {
        E::NotConfigured => tr!(l, "usdt-not-set-up"),
        E::Provider(_) => tr!(l, "transfer-network-down"),
        E::Shop(ShopError::Rejected(r)) => super::errors::rejection(l, r),
        E::Shop(_) => tr!(l, "error-store"),
        E::Refused(r) => match r {
            R::NotATransactionId => tr!(l, "transfer-not-a-txid"),
            R::NotFound => tr!(l, "transfer-not-found"),
            R::Failed => tr!(l, "transfer-failed"),
            R::NotConfirmed { have, need } => {
                tr!(l, "transfer-not-confirmed", have = *have, need = *need)
            }
            R::NotSolidified => tr!(l, "transfer-not-solidified"),
            R::NotATransfer => tr!(l, "transfer-not-a-transfer"),
            R::WrongToken { symbol } => tr!(l, "transfer-wrong-token", symbol = symbol),
            R::WrongRecipient => tr!(l, "transfer-wrong-recipient"),
            R::BeforeOrder => tr!(l, "transfer-before-order"),
            R::WrongCurrency {
                symbol,
                rate,
                order,
            } => tr!(
                l,
                "transfer-wrong-currency",
                symbol = symbol,
                rate = rate,
                order = order
            ),
        },
    }
}

#[async_trait]
impl EventHandler for Handler {
    async fn ready(&self, ctx: Context, ready: Ready) {
        info!(user = %ready.user.name, "connected to Discord");
        if let Err(e) = ctx
            .http
            .create_guild_commands(self.0.guild, &commands::localized_definitions())
            .await
        {
            warn!(error = %e, "could not register the slash commands");
        }
        if let Err(e) = self.0.executor.refresh_panel().await {
            warn!(error = %e, "could not show the shop panel");
        }
    }

    /// The server's preferred locale arrives with the guild: the panel follows it.
    async fn guild_create(&self, _ctx: Context, guild: serenity::all::Guild, _new: Option<bool>) {
        if guild.id != self.0.guild {
            return;
        }
        if self
            .0
            .executor
            .saw_guild_locale(Some(&guild.preferred_locale))
            && let Err(e) = self.0.executor.refresh_panel().await
        {
            warn!(error = %e, "could not show the shop panel in the server's language");
        }
    }

    async fn interaction_create(&self, ctx: Context, interaction: Interaction) {
        let bot = &self.0;
        match interaction {
            Interaction::Component(c) => {
                let l = bot
                    .locale(&c.user, &c.locale, c.guild_locale.as_deref())
                    .await;
                answer(&ctx.http, c.id, &c.token, "button", l, bot.component(l, &c)).await;
            }
            Interaction::Modal(m) => {
                let l = bot
                    .locale(&m.user, &m.locale, m.guild_locale.as_deref())
                    .await;
                answer(&ctx.http, m.id, &m.token, "form", l, bot.modal(l, &m)).await;
            }
            Interaction::Command(cmd) => {
                let what = format!("/{}", cmd.data.name);
                let l = bot
                    .locale(&cmd.user, &cmd.locale, cmd.guild_locale.as_deref())
                    .await;
                answer(
                    &ctx.http,
                    cmd.id,
                    &cmd.token,
                    &what,
                    l,
                    commands::run(bot, l, &cmd),
                )
                .await;
            }
            Interaction::Autocomplete(a) => {
                let l = bot
                    .locale(&a.user, &a.locale, a.guild_locale.as_deref())
                    .await;
                answer(
                    &ctx.http,
                    a.id,
                    &a.token,
                    "autocomplete",
                    l,
                    commands::autocomplete(bot, l, &a),
                )
                .await;
            }
            _ => {}
        }
    }

    async fn message(&self, ctx: Context, msg: Message) {
        if let Err(e) = self.0.message(&ctx, &msg).await {
            e.log("message");
        }
    }

    async fn message_delete(
        &self,
        _ctx: Context,
        channel: ChannelId,
        message: MessageId,
        _guild: Option<GuildId>,
    ) {
        if self.0.executor.is_panel(channel, message).await
            && let Err(e) = self.0.executor.refresh_panel().await
        {
            warn!(error = %e, "could not post the shop panel again");
        }
    }
}
