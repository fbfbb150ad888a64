//! Discord events in, engine commands out: the thin adapter. Every admin action is checked here,
//! on the server side, against the admin role; the engine checks again that the actor may act.

use std::sync::Arc;
use std::time::Duration;

use nebula_engine::Shop;
use nebula_engine::actor::Actor;
use nebula_engine::ids::{OrderId, UserId};
use nebula_engine::order::PROOF_CONTENT_TYPES;
use nebula_engine::shop::{OpenOrder, ProofUpload, RenewOrder};
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
use super::reply::{Answer, Reply, answer};

/// What the adapter works with.
pub struct Bot {
    pub shop: Shop,
    pub policies: PolicyAdmin,
    pub gateway: GatewayClient,
    pub guild: GuildId,
    pub executor: Arc<DiscordExecutor>,
    pub max_proof_bytes: u64,
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

    pub async fn admin(&self, member: Option<&Member>, user: u64) -> Result<Actor, BotError> {
        if self.is_admin(member).await? {
            Ok(Actor::Admin(UserId(user)))
        } else {
            Err(BotError::NotAdmin)
        }
    }

    /// Waits briefly for the order channel, to link it in the answer.
    async fn channel_of(&self, order: OrderId) -> Option<u64> {
        for _ in 0..30 {
            if let Ok(Some(c)) = self.shop.external_ref(refs::order_channel(order)).await {
                return c.parse().ok();
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        None
    }

    async fn opened(&self, code: &str, order: OrderId) -> Reply {
        match self.channel_of(order).await {
            Some(c) => Reply::text(format!(
                "Your order **{code}** is open in <#{c}>. Choose how to pay there."
            )),
            None => Reply::text(format!(
                "Your order **{code}** is open; your private channel will appear in a moment."
            )),
        }
    }

    async fn component(&self, c: &ComponentInteraction) -> Result<Answer, BotError> {
        let user = c.user.id.get();
        let roles: Vec<u64> = c
            .member
            .as_ref()
            .map(|m| m.roles.iter().map(|r| r.get()).collect())
            .unwrap_or_default();
        let action = Action::parse(&c.data.custom_id)
            .ok_or_else(|| BotError::Input("That button is no longer valid.".into()))?;
        match action {
            Action::Buy => {
                let plans = self.shop.catalogue(Some((UserId(user), roles))).await?;
                if plans.is_empty() {
                    return Ok(
                        Reply::text("Nothing is on sale right now. Check back soon.").into(),
                    );
                }
                Ok(render::plan_picker(&plans, None).into())
            }
            Action::Coupon => Ok(Answer::Modal(render::coupon_modal())),
            Action::Help => Ok(Reply::text(render::HELP).into()),
            Action::Subscriptions => {
                Ok(render::subscriptions(&self.shop.subscriptions_of(UserId(user)).await?).into())
            }
            Action::PickPlan { coupon } => {
                let ComponentInteractionDataKind::StringSelect { values } = &c.data.kind else {
                    return Err(BotError::Input("Please pick a plan from the list.".into()));
                };
                let plan = values
                    .first()
                    .ok_or_else(|| BotError::Input("Please pick a plan.".into()))?;
                let plan = plan
                    .parse()
                    .map_err(|_| BotError::Input("That plan is no longer on sale.".into()))?;
                let record = self
                    .shop
                    .open_order(OpenOrder {
                        shopper: UserId(user),
                        roles,
                        plan,
                        coupon,
                        preferred_region: None,
                    })
                    .await?;
                Ok(self
                    .opened(&record.order.code(), record.order.id)
                    .await
                    .into())
            }
            Action::Renew { subscription } => {
                let record = self
                    .shop
                    .renew(RenewOrder {
                        shopper: UserId(user),
                        roles,
                        subscription,
                        coupon: None,
                    })
                    .await?;
                Ok(self
                    .opened(&record.order.code(), record.order.id)
                    .await
                    .into())
            }
            Action::Method { order, method } => {
                let record = self
                    .shop
                    .choose_method(Actor::Shopper(UserId(user)), order, method.clone())
                    .await?;
                let label = record
                    .order
                    .offers
                    .methods
                    .iter()
                    .find(|m| m.id == method)
                    .map_or(method.to_string(), |m| m.label.clone());
                Ok(Reply::text(format!(
                    "The instructions for **{label}** are in the channel."
                ))
                .into())
            }
            Action::Cancel { order } => {
                let shopper = self.shop.order(order).await?.order.shopper;
                let actor = if shopper.0 == user {
                    Actor::Shopper(UserId(user))
                } else {
                    self.admin(c.member.as_ref(), user).await?
                };
                let record = self.shop.cancel(actor, order).await?;
                Ok(Reply::text(format!("Order **{}** is cancelled.", record.order.code())).into())
            }
            Action::Approve { order } => {
                let actor = self.admin(c.member.as_ref(), user).await?;
                let record = self.shop.approve(actor, order).await?;
                Ok(Reply::text(format!(
                    "Approved order **{}**; setting up the access.",
                    record.order.code()
                ))
                .into())
            }
            Action::Decline { order } => {
                self.admin(c.member.as_ref(), user).await?;
                Ok(Answer::Modal(render::decline_modal(order)))
            }
            Action::Retry { order } => {
                let actor = self.admin(c.member.as_ref(), user).await?;
                let record = self.shop.retry(actor, order).await?;
                Ok(Reply::text(format!("Trying order **{}** again.", record.order.code())).into())
            }
            Action::CouponSubmitted | Action::DeclineSubmitted { .. } => {
                Err(BotError::Input("That form has expired.".into()))
            }
        }
    }

    async fn modal(&self, m: &ModalInteraction) -> Result<Answer, BotError> {
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
                    return Err(BotError::Input("Please enter a coupon code.".into()));
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
                Ok(render::plan_picker(&plans, Some(&code)).into())
            }
            Some(Action::DeclineSubmitted { order }) => {
                let actor = self.admin(m.member.as_ref(), user).await?;
                let reason = field("reason").unwrap_or_default();
                let record = self.shop.decline(actor, order, reason).await?;
                Ok(Reply::text(format!(
                    "Declined order **{}**; the shopper has been told why.",
                    record.order.code()
                ))
                .into())
            }
            _ => Err(BotError::Input("That form has expired.".into())),
        }
    }

    /// A message in an order channel: the payment screenshot, or a polite no.
    async fn message(&self, ctx: &Context, msg: &Message) -> Result<(), BotError> {
        if msg.author.bot {
            return Ok(());
        }
        let Some(order) = self
            .shop
            .external_ref(refs::channel_order(msg.channel_id.get()))
            .await?
        else {
            return Ok(());
        };
        let Ok(order) = order.parse::<OrderId>() else {
            return Ok(());
        };
        let record = self.shop.order(order).await?;
        let author = msg.author.id.get();
        let say = |text: String| async move {
            msg.channel_id
                .send_message(
                    &ctx.http,
                    CreateMessage::new().content(text).reference_message(msg),
                )
                .await
                .map(drop)
        };
        if record.order.shopper.0 != author {
            if self.sent_by_admin(msg).await && msg.attachments.is_empty() {
                return Ok(()); // Admins may talk in the channel.
            }
            say(format!(
                "Only <@{}> can send the payment screenshot for this order.",
                record.order.shopper
            ))
            .await?;
            return Ok(());
        }
        if msg.attachments.is_empty() {
            return Ok(());
        }
        if record.state.name() != "awaiting_proof" {
            say(format!(
                "This order is {}; it is not waiting for a screenshot.",
                record.state.describe()
            ))
            .await?;
            return Ok(());
        }
        let attachment = &msg.attachments[0];
        let content_type = attachment.content_type.clone().unwrap_or_default();
        let content_type = content_type
            .split(';')
            .next()
            .unwrap_or("")
            .trim()
            .to_owned();
        if !PROOF_CONTENT_TYPES.contains(&content_type.as_str()) {
            say("Please upload the screenshot as an image (PNG, JPEG, WebP or GIF).".into())
                .await?;
            return Ok(());
        }
        if u64::from(attachment.size) > self.max_proof_bytes {
            say(format!(
                "That image is too large; the limit is {} MB.",
                self.max_proof_bytes / (1024 * 1024)
            ))
            .await?;
            return Ok(());
        }
        let bytes = attachment.download().await?;
        if bytes.len() as u64 > self.max_proof_bytes {
            say(format!(
                "That image is too large; the limit is {} MB.",
                self.max_proof_bytes / (1024 * 1024)
            ))
            .await?;
            return Ok(());
        }
        let upload = ProofUpload {
            filename: attachment.filename.clone(),
            content_type,
            bytes,
        };
        match self
            .shop
            .submit_proof(Actor::Shopper(UserId(author)), order, upload)
            .await
        {
            Ok(_) => Ok(()),
            Err(e) => {
                let e = BotError::from(e);
                e.log("proof upload");
                say(e.polite()).await?;
                Ok(())
            }
        }
    }

    /// Whether the author of a message holds the admin role (a guild message carries the
    /// author's roles).
    async fn sent_by_admin(&self, msg: &Message) -> bool {
        let Ok(Some(role)) = self.shop.setting(setting::ADMIN_ROLE).await else {
            return false;
        };
        let Ok(role) = role.parse::<u64>() else {
            return false;
        };
        msg.member
            .as_ref()
            .is_some_and(|m| m.roles.iter().any(|r| r.get() == role))
    }
}

#[async_trait]
impl EventHandler for Handler {
    async fn ready(&self, ctx: Context, ready: Ready) {
        info!(user = %ready.user.name, "connected to Discord");
        if let Err(e) = self
            .0
            .guild
            .set_commands(&ctx.http, commands::definitions())
            .await
        {
            warn!(error = %e, "could not register the slash commands");
        }
        if let Err(e) = self.0.executor.refresh_panel().await {
            warn!(error = %e, "could not show the shop panel");
        }
    }

    async fn interaction_create(&self, ctx: Context, interaction: Interaction) {
        let bot = &self.0;
        match interaction {
            Interaction::Component(c) => {
                answer(&ctx.http, c.id, &c.token, "button", bot.component(&c)).await;
            }
            Interaction::Modal(m) => {
                answer(&ctx.http, m.id, &m.token, "form", bot.modal(&m)).await;
            }
            Interaction::Command(cmd) => {
                let what = format!("/{}", cmd.data.name);
                answer(
                    &ctx.http,
                    cmd.id,
                    &cmd.token,
                    &what,
                    commands::run(bot, &cmd),
                )
                .await;
            }
            Interaction::Autocomplete(a) => {
                answer(
                    &ctx.http,
                    a.id,
                    &a.token,
                    "autocomplete",
                    commands::autocomplete(bot, &a),
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
