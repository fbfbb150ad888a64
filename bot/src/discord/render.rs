//! How the shop looks in Discord: the panel, the order channel, the review embed, the access
//! message. Pure functions from engine data to serenity builders.

use jiff::Timestamp;
use nebula_engine::effect::{AccessDetails, Alert, Notice, OrderSummary};
use nebula_engine::order::{OrderKind, Proof, ReviewOutcome};
use nebula_engine::policy::MethodOffer;
use nebula_engine::shop::PricedPlan;
use nebula_engine::subscription::{AccessLink, Subscription};
use serenity::all::{
    ButtonStyle, Colour, CreateActionRow, CreateAttachment, CreateButton, CreateEmbed,
    CreateEmbedFooter, CreateInputText, CreateMessage, CreateModal, CreateSelectMenu,
    CreateSelectMenuKind, CreateSelectMenuOption, EditMessage, InputTextStyle, UserId,
};

use super::ids::Action;
use super::qr;
use super::reply::Reply;

const BRAND: Colour = Colour::new(0x5b_6e_f5);
const GOOD: Colour = Colour::new(0x2e_cc_71);
const BAD: Colour = Colour::new(0xe7_4c_3c);

/// Discord's limits on what a person reads in a component.
const BUTTON_LABEL: usize = 80;
const OPTION_TEXT: usize = 100;

/// `text` in at most `max` characters (what Discord counts), cut with an ellipsis.
pub fn fit(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_owned();
    }
    let mut cut: String = text.chars().take(max.saturating_sub(1)).collect();
    cut.push('…');
    cut
}

fn button(action: Action, label: &str, style: ButtonStyle) -> CreateButton {
    CreateButton::new(action.id())
        .label(fit(label, BUTTON_LABEL))
        .style(style)
}

pub fn when(t: Timestamp) -> String {
    t.strftime("%Y-%m-%d %H:%M UTC").to_string()
}

fn devices(n: u32) -> String {
    if n == 0 {
        "any number of devices".into()
    } else if n == 1 {
        "1 device".into()
    } else {
        format!("{n} devices")
    }
}

/// The shop panel: the plans and the three buttons.
pub fn panel(plans: &[PricedPlan]) -> (CreateEmbed, Vec<CreateActionRow>) {
    let mut embed = CreateEmbed::new()
        .title("VPN access")
        .colour(BRAND)
        .description(if plans.is_empty() {
            "No plans are on sale right now. Check back soon.".to_owned()
        } else {
            "Pick a plan with **Buy access**. You pay by one of our methods, upload a screenshot, and get your link as soon as an admin approves it.".to_owned()
        });
    for p in plans.iter().take(25) {
        let price = if p.quote.total == p.plan.price {
            p.quote.total.to_string()
        } else {
            format!("~~{}~~ {}", p.plan.price, p.quote.total)
        };
        embed = embed.field(
            &p.plan.name,
            format!(
                "{} days · {} · {} · **{price}**",
                p.plan.duration_days,
                p.plan.traffic,
                devices(p.plan.device_limit)
            ),
            false,
        );
    }
    let row = CreateActionRow::Buttons(vec![
        button(Action::Buy, "Buy access", ButtonStyle::Success).disabled(plans.is_empty()),
        button(
            Action::Subscriptions,
            "My subscriptions",
            ButtonStyle::Primary,
        ),
        button(Action::Help, "Help", ButtonStyle::Secondary),
    ]);
    (embed, vec![row])
}

/// The ephemeral plan picker, with a coupon button.
pub fn plan_picker(plans: &[PricedPlan], coupon: Option<&str>) -> Reply {
    let options = plans
        .iter()
        .take(25)
        .map(|p| {
            let price = match &p.plan.trial {
                Some(_) => "free trial".to_owned(),
                None => p.quote.total.to_string(),
            };
            CreateSelectMenuOption::new(
                fit(&format!("{} — {price}", p.plan.name), OPTION_TEXT),
                p.plan.id.to_string(),
            )
            .description(fit(
                &format!("{} days, {}", p.plan.duration_days, p.plan.traffic),
                OPTION_TEXT,
            ))
        })
        .collect();
    let select = CreateSelectMenu::new(
        Action::PickPlan {
            coupon: coupon.map(str::to_owned),
        }
        .id(),
        CreateSelectMenuKind::String { options },
    )
    .placeholder("Choose a plan");
    let mut rows = vec![CreateActionRow::SelectMenu(select)];
    let content = match coupon {
        Some(c) => format!("Prices with coupon **{c}**:"),
        None => {
            rows.push(CreateActionRow::Buttons(vec![button(
                Action::Coupon,
                "I have a coupon",
                ButtonStyle::Secondary,
            )]));
            "Which plan would you like?".to_owned()
        }
    };
    Reply {
        content: Some(content),
        components: rows,
        ..Reply::default()
    }
}

pub fn coupon_modal() -> CreateModal {
    CreateModal::new(Action::CouponSubmitted.id(), "Use a coupon").components(vec![
        CreateActionRow::InputText(
            CreateInputText::new(InputTextStyle::Short, "Coupon code", "code")
                .min_length(1)
                .max_length(32),
        ),
    ])
}

/// The TRON transaction id modal.
pub fn transfer_modal(order: nebula_engine::ids::OrderId) -> CreateModal {
    CreateModal::new(
        Action::TransferSubmitted { order }.id(),
        "Your USDT (TRC-20) transfer",
    )
    .components(vec![CreateActionRow::InputText(
        CreateInputText::new(InputTextStyle::Short, "Transaction id (hash)", "txid")
            .min_length(64)
            .max_length(66),
    )])
}

pub fn decline_modal(order: nebula_engine::ids::OrderId) -> CreateModal {
    CreateModal::new(
        Action::DeclineSubmitted { order }.id(),
        "Decline the payment",
    )
    .components(vec![CreateActionRow::InputText(
        CreateInputText::new(
            InputTextStyle::Paragraph,
            "Reason (the shopper sees it)",
            "reason",
        )
        .min_length(1)
        .max_length(500),
    )])
}

fn price_lines(summary: &OrderSummary) -> String {
    let q = &summary.quote;
    let mut lines = vec![format!("{}: {}", summary.plan_name, q.base)];
    lines.extend(
        q.adjustments
            .iter()
            .map(|a| format!("{}: {}", a.label, a.amount)),
    );
    lines.push(format!("**Total: {}**", q.total));
    lines.join("\n")
}

fn order_fields(embed: CreateEmbed, summary: &OrderSummary) -> CreateEmbed {
    embed
        .field(
            "Plan",
            format!(
                "{} ({} days, {}, {})",
                summary.plan_name,
                summary.duration_days,
                summary.traffic,
                devices(summary.device_limit)
            ),
            false,
        )
        .field("Price", price_lines(summary), false)
        .footer(CreateEmbedFooter::new(format!("Order {}", summary.code)))
}

/// The first message in an order channel: the summary, the method buttons, Cancel.
pub fn order_opened(summary: &OrderSummary, methods: &[MethodOffer]) -> CreateMessage {
    if summary.trial {
        return trial_opened(summary);
    }
    let title = match summary.kind {
        OrderKind::New => "Your order",
        OrderKind::Renewal { .. } => "Your renewal",
    };
    let embed = order_fields(CreateEmbed::new().title(title).colour(BRAND), summary).description(
        "Choose how you will pay. You can change your mind until you upload the screenshot.",
    );
    let mut buttons: Vec<CreateButton> = methods
        .iter()
        .take(4)
        .map(|m| {
            button(
                Action::Method {
                    order: summary.id,
                    method: m.id.clone(),
                },
                &m.label,
                ButtonStyle::Primary,
            )
        })
        .collect();
    buttons.push(button(
        Action::Cancel { order: summary.id },
        "Cancel",
        ButtonStyle::Danger,
    ));
    CreateMessage::new()
        .content(format!("<@{}>", summary.shopper))
        .embed(embed)
        .components(vec![CreateActionRow::Buttons(buttons)])
}

/// A trial's channel: nothing to pay and nothing to choose; the access follows here.
fn trial_opened(summary: &OrderSummary) -> CreateMessage {
    let embed = order_fields(
        CreateEmbed::new().title("Your free trial").colour(BRAND),
        summary,
    )
    .description("Nothing to pay: your access is being set up and will appear here in a moment.");
    CreateMessage::new()
        .content(format!("<@{}>", summary.shopper))
        .embed(embed)
}

pub fn instructions(
    order: nebula_engine::ids::OrderId,
    label: &str,
    text: &str,
    provider: Option<nebula_engine::payment::Provider>,
) -> CreateMessage {
    use nebula_engine::payment::Provider;
    let then = match provider {
        None => {
            "Then **upload a screenshot of your payment in this channel** (PNG, JPEG, WebP or GIF)."
        }
        Some(Provider::Tron) => {
            "Then press **I have paid** and paste the transaction id: the shop checks it on the network and sets up your access at once. (You can also upload a screenshot for an admin.)"
        }
        Some(_) => {
            "Your payment link follows in a moment; once you have paid there, your access is set up by itself."
        }
    };
    let message = CreateMessage::new().embed(
        CreateEmbed::new()
            .title(format!("Pay with {label}"))
            .colour(BRAND)
            .description(format!("{text}\n\n{then}")),
    );
    match provider {
        Some(Provider::Tron) => message.components(vec![CreateActionRow::Buttons(vec![button(
            Action::Transfer { order },
            "I have paid",
            ButtonStyle::Success,
        )])]),
        _ => message,
    }
}

/// The provider's payment page for the order, as a link button.
pub fn checkout(label: &str, amount: nebula_engine::money::Money, url: &str) -> CreateMessage {
    CreateMessage::new()
        .embed(
            CreateEmbed::new()
                .title(format!("Pay {amount} with {label}"))
                .colour(BRAND)
                .description("Open the payment page below. As soon as the payment is confirmed, your access is set up here by itself: no screenshot needed."),
        )
        .components(vec![CreateActionRow::Buttons(vec![
            CreateButton::new_link(url).label(format!("Pay {amount}")),
        ])])
}

/// The review message of an order that was paid automatically meanwhile.
pub fn review_paid(provider: nebula_engine::payment::Provider) -> EditMessage {
    EditMessage::new()
        .content(format!(
            "✅ Paid automatically through {}; no review needed.",
            provider.label()
        ))
        .components(vec![])
}

/// The review embed for admins, with the screenshot re-uploaded (attachment URLs expire).
pub fn review(
    summary: &OrderSummary,
    method_label: &str,
    proof: Option<&Proof>,
    payment: Option<&nebula_engine::payment::FlaggedPayment>,
    image: Option<Vec<u8>>,
) -> CreateMessage {
    let mut flags = Vec::new();
    if summary.first_order {
        flags.push("🆕 first order".to_owned());
    }
    if let Some(first) = proof.and_then(|p| p.duplicate_of) {
        flags.push(format!(
            "⚠️ the same screenshot was used for order {}",
            first.code()
        ));
    }
    if let Some(flagged) = payment {
        let p = &flagged.payment;
        flags.push(format!(
            "💳 {} {} paid {}",
            p.provider.label(),
            fit(&p.reference, 80),
            p.paid.display()
        ));
        flags.extend(flagged.differences.iter().map(|d| format!("⚠️ {d}")));
    }
    let filename = format!(
        "proof-{}.{}",
        summary.code.to_ascii_lowercase(),
        proof.map_or("png", |p| extension(&p.content_type))
    );
    let mut embed = order_fields(
        CreateEmbed::new().title("Payment to review").colour(BRAND),
        summary,
    )
    .field("Shopper", format!("<@{}>", summary.shopper), true)
    .field("Method", method_label, true);
    if !flags.is_empty() {
        embed = embed.field("Flags", flags.join("\n"), false);
    }
    let mut message = CreateMessage::new().components(vec![CreateActionRow::Buttons(vec![
        button(
            Action::Approve { order: summary.id },
            "Approve",
            ButtonStyle::Success,
        ),
        button(
            Action::Decline { order: summary.id },
            "Decline",
            ButtonStyle::Danger,
        ),
    ])]);
    match (image, proof) {
        (Some(bytes), _) => {
            embed = embed.image(format!("attachment://{filename}"));
            message = message.add_file(CreateAttachment::bytes(bytes, filename));
        }
        (None, Some(_)) => embed = embed.field("Screenshot", "no longer stored", false),
        (None, None) => {}
    }
    message.embed(embed)
}

fn extension(content_type: &str) -> &'static str {
    match content_type {
        "image/png" => "png",
        "image/jpeg" => "jpg",
        "image/webp" => "webp",
        "image/gif" => "gif",
        _ => "bin",
    }
}

/// The review message once decided: no more buttons.
pub fn review_closed(outcome: ReviewOutcome, by: UserId) -> EditMessage {
    let line = match outcome {
        ReviewOutcome::Approved => format!("✅ Approved by <@{by}>"),
        ReviewOutcome::Declined => format!("❌ Declined by <@{by}>"),
    };
    EditMessage::new().content(line).components(vec![])
}

/// The most an embed description holds (Discord's limit).
const DESCRIPTION_MAX: usize = 4096;

/// A subscription's link in a code block, then the same access through the server's other
/// addresses, as many as an embed description holds.
/// `eu · fra-1`: how one server of a plan is named beside its link.
fn server_label(region: &str, server: &str) -> String {
    if region.is_empty() {
        server.to_owned()
    } else {
        format!("{} · {}", fit(region, 32), fit(server, 32))
    }
}

/// One link per server under its name, as many as fit in a description.
fn server_links_block(servers: &[(String, &AccessLink)]) -> String {
    let mut out = String::new();
    for (i, (label, link)) in servers.iter().enumerate() {
        let block = format!("**{label}**\n```\n{}\n```\n", link.expose());
        if out.len() + block.len() + 64 > DESCRIPTION_MAX {
            out.push_str(&format!(
                "(and {} more in your subscription URL)",
                servers.len() - i
            ));
            break;
        }
        out.push_str(&block);
    }
    out
}

fn links_block(
    link: &nebula_engine::subscription::AccessLink,
    alternatives: &[nebula_engine::subscription::AccessLink],
) -> String {
    let mut out = format!("```\n{}\n```", link.expose());
    if alternatives.is_empty() {
        return out;
    }
    let heading = "If it does not connect, try another address of the same server:";
    let reserve = 64;
    let mut shown = 0;
    let mut rest = String::new();
    for alt in alternatives {
        let block = format!("\n```\n{}\n```", alt.expose());
        if out.len() + heading.len() + rest.len() + block.len() + reserve > DESCRIPTION_MAX {
            break;
        }
        rest.push_str(&block);
        shown += 1;
    }
    out.push('\n');
    out.push_str(heading);
    out.push_str(&rest);
    if shown < alternatives.len() {
        out.push_str(&format!(
            "\n(and {} more: ask an admin)",
            alternatives.len() - shown
        ));
    }
    out
}

/// The access message: the shopper's personal subscription URL first (when the shop runs the
/// service; its QR code is the one shown), then plan, region, expiry, traffic and the link.
pub fn access(details: &AccessDetails, personal_url: Option<&str>) -> CreateMessage {
    let title = if details.renewal {
        "Your access is renewed"
    } else {
        "Your access is ready"
    };
    let (region, description) = if details.also.is_empty() {
        (
            details.region.clone(),
            format!(
                "Import this link into your VLESS app (v2rayNG, Hiddify, Streisand, ...), or scan the QR code. Keep it private.\n{}",
                links_block(&details.link, &details.alternatives)
            ),
        )
    } else {
        let servers: Vec<(String, &AccessLink)> = std::iter::once((
            server_label(&details.region, details.server.as_str()),
            &details.link,
        ))
        .chain(
            details
                .also
                .iter()
                .map(|s| (server_label(&s.region, s.server.as_str()), &s.link)),
        )
        .collect();
        let mut regions: Vec<&str> = std::iter::once(details.region.as_str())
            .chain(details.also.iter().map(|s| s.region.as_str()))
            .collect();
        regions.dedup();
        (
            regions.join(", "),
            format!(
                "Your plan runs on {} servers with one shared allowance. The subscription URL below holds them all; or import one link per server. Keep them private.\n{}",
                servers.len(),
                server_links_block(&servers)
            ),
        )
    };
    let mut embed = CreateEmbed::new()
        .title(title)
        .colour(GOOD)
        .field("Plan", &details.plan_name, true)
        .field("Region", fit(&region, 256), true)
        .field("Expires", when(details.expires_at), true)
        .field("Traffic", details.traffic.to_string(), true)
        .field("Devices", devices(details.device_limit), true)
        .description(description);
    if let Some(url) = personal_url {
        embed = embed.field(
            "Your subscription URL",
            format!(
                "Add it to your app as a subscription: it carries all your access, refreshes by itself and stays the same when you renew.\n{url}"
            ),
            false,
        );
    } else if let Some(url) = &details.subscription_url {
        embed = embed.field("Subscription URL", url.expose(), false);
    }
    let mut message = CreateMessage::new();
    if let Some(png) = qr::png(personal_url.unwrap_or(details.link.expose())) {
        embed = embed.image("attachment://access-qr.png");
        message = message.add_file(CreateAttachment::bytes(png, "access-qr.png"));
    }
    message.embed(embed)
}

pub fn notice(notice: &Notice) -> CreateMessage {
    let (title, text, colour) = match notice {
        Notice::UnderReview => ("Under review", "Thanks! Your payment is under review. You will get your link here as soon as it is approved.".to_owned(), BRAND),
        Notice::Declined { reason } => ("Payment declined", format!("Your payment was declined: {reason}\nIf you think this is a mistake, contact an admin."), BAD),
        Notice::Cancelled { by_admin: true } => ("Order cancelled", "An admin cancelled this order.".to_owned(), BAD),
        Notice::Cancelled { by_admin: false } => ("Order cancelled", "You cancelled this order. Nothing was charged.".to_owned(), BAD),
        Notice::TimedOut => ("Order timed out", "This order was not paid in time and has been closed. You can start a new one from the shop.".to_owned(), BAD),
        Notice::ProvisioningDelayed => ("Almost there", "Your payment is approved, but setting up your access hit a problem. An admin has been alerted and will sort it out.".to_owned(), BRAND),
        Notice::PaymentReceived { provider } => ("Payment received", format!("Your {} payment is confirmed. Your access is being set up now.", provider.label()), GOOD),
        Notice::PaymentNeedsReview { provider, differences } => ("Payment under review", format!(
            "Your {} payment arrived, but {}. An admin will look at it and get back to you here.",
            provider.label(),
            differences.iter().map(ToString::to_string).collect::<Vec<_>>().join("; ")
        ), BRAND),
    };
    CreateMessage::new().embed(
        CreateEmbed::new()
            .title(title)
            .description(text)
            .colour(colour),
    )
}

/// A subscriber's notice (by DM): the end is near, it ended, or the traffic runs out. Each
/// offers Renew while renewing can help.
pub fn subscriber_notice(
    subscription: nebula_engine::ids::SubscriptionId,
    plan_name: &str,
    notice: &nebula_engine::effect::SubscriptionNotice,
) -> CreateMessage {
    use nebula_engine::effect::SubscriptionNotice as N;
    use nebula_engine::plan::TrafficLimit;
    let (title, text, colour) = match notice {
        N::EndingSoon { expires_at } => (
            "Your access ends soon",
            format!(
                "Your **{plan_name}** access ends {}. Renew now to keep the same link.",
                when(*expires_at)
            ),
            BRAND,
        ),
        N::Expired { expires_at } => (
            "Your access has ended",
            format!(
                "Your **{plan_name}** access ended {}. Renew to switch it back on with the same link.",
                when(*expires_at)
            ),
            BAD,
        ),
        N::Traffic {
            percent,
            used_bytes,
            limit_bytes,
        } if *percent >= 100 => (
            "Traffic used up",
            format!(
                "Your **{plan_name}** access has used all of its {} and is paused. Renew to get a fresh allowance on the same link.",
                TrafficLimit::Bytes(*limit_bytes)
            ),
            BAD,
        ),
        N::DeviceLimit { limit, model } => {
            let model = if model.is_empty() {
                "A new device"
            } else {
                model.as_str()
            };
            return CreateMessage::new()
                .embed(
                    CreateEmbed::new()
                        .title("Device limit reached")
                        .description(format!(
                            "{} tried to use your subscription, but your plan allows {} and they are all in use. Remove one you no longer use in **My devices**, then refresh the app.",
                            fit(model, 64),
                            devices(*limit)
                        ))
                        .colour(BAD),
                )
                .components(vec![CreateActionRow::Buttons(vec![button(
                    Action::Devices,
                    "My devices",
                    ButtonStyle::Primary,
                )])]);
        }
        N::Moved {
            from_region,
            to_region,
        } => {
            // Nothing to renew: a button to the new links instead.
            return CreateMessage::new()
                .embed(
                    CreateEmbed::new()
                        .title("Your access moved")
                        .description(format!(
                            "One of your **{plan_name}** servers{} was taken out of service, so your access now runs on another one{}. Apps that use your personal subscription link pick it up at their next refresh; a single link you copied by hand must be copied again from **My subscriptions**.",
                            region_note("in", from_region),
                            region_note("in", to_region),
                        ))
                        .colour(BRAND),
                )
                .components(vec![CreateActionRow::Buttons(vec![button(
                    Action::Subscriptions,
                    "My subscriptions",
                    ButtonStyle::Primary,
                )])]);
        }
        N::Traffic {
            percent,
            used_bytes,
            limit_bytes,
        } => (
            "Traffic running low",
            format!(
                "Your **{plan_name}** access has used {percent}% of its traffic ({} of {}).",
                TrafficLimit::Bytes(*used_bytes),
                TrafficLimit::Bytes(*limit_bytes)
            ),
            BRAND,
        ),
    };
    CreateMessage::new()
        .embed(
            CreateEmbed::new()
                .title(title)
                .description(text)
                .colour(colour),
        )
        .components(vec![CreateActionRow::Buttons(vec![button(
            Action::Renew { subscription },
            &format!("Renew {plan_name}"),
            ButtonStyle::Success,
        )])])
}

/// ` in eu` (nothing for an unknown region).
fn region_note(word: &str, region: &str) -> String {
    if region.is_empty() {
        String::new()
    } else {
        format!(" {word} {}", fit(region, 32))
    }
}

pub fn alert(alert: &Alert) -> CreateMessage {
    let mut message = CreateMessage::new().embed(
        CreateEmbed::new()
            .title("⚠️ Needs attention")
            .description(&alert.message)
            .colour(BAD),
    );
    if let (true, Some(order)) = (alert.retry, alert.order) {
        message = message.components(vec![CreateActionRow::Buttons(vec![button(
            Action::Retry { order },
            "Retry",
            ButtonStyle::Primary,
        )])]);
    }
    message
}

/// A shopper's subscriptions: one embed each, with the link, QR, usage, expiry, Renew.
/// My subscriptions: the personal subscription URL first (with its QR code and Reset link,
/// when the shop runs the service), then each subscription with Renew.
pub fn subscriptions(subs: &[Subscription], personal_url: Option<&str>) -> Reply {
    // One entry per group: a plan on several servers is one purchase to its shopper.
    let mut live: Vec<Vec<&Subscription>> = Vec::new();
    for s in subs
        .iter()
        .filter(|s| s.status != nebula_engine::subscription::SubscriptionStatus::Deleted)
    {
        match live.iter().position(|g| g[0].group_id() == s.group_id()) {
            Some(i) => live[i].push(s),
            None if live.len() < 5 => live.push(vec![s]),
            None => {}
        }
    }
    if live.is_empty() {
        return Reply::text("You have no subscriptions yet. Use **Buy access** to get one.");
    }
    let mut message = Reply::default();
    if let Some(url) = personal_url {
        let mut embed = CreateEmbed::new()
            .title("Your subscription URL")
            .colour(GOOD)
            .description(format!(
                "One URL for all your access: add it to your app as a subscription and it refreshes by itself. Keep it private.\n{url}"
            ));
        if let Some(png) = qr::png(url) {
            embed = embed.thumbnail("attachment://sub-url.png");
            message
                .files
                .push(CreateAttachment::bytes(png, "sub-url.png"));
        }
        message.embeds.push(embed);
    }
    let mut buttons = Vec::new();
    for (i, group) in live.iter().enumerate() {
        let s = group[0];
        let used_bytes = nebula_engine::subscription::group_usage(group.iter().copied());
        let used = match s.traffic.bytes() {
            Some(limit) => format!(
                "{} of {}",
                nebula_engine::plan::TrafficLimit::Bytes(used_bytes),
                nebula_engine::plan::TrafficLimit::Bytes(limit)
            ),
            None => format!(
                "{} (unlimited)",
                nebula_engine::plan::TrafficLimit::Bytes(used_bytes)
            ),
        };
        let status = group
            .iter()
            .map(|m| m.status)
            .min_by_key(|status| status.key())
            .unwrap_or(s.status);
        let description = if group.len() == 1 {
            links_block(&s.access, &s.alternatives)
        } else {
            let servers: Vec<(String, &AccessLink)> = group
                .iter()
                .map(|m| (m.server.to_string(), &m.access))
                .collect();
            server_links_block(&servers)
        };
        let mut embed = CreateEmbed::new()
            .title(&s.plan.name)
            .colour(BRAND)
            .field("Status", status.name(), true)
            .field("Expires", when(s.expires_at), true)
            .field("Used", used, true)
            .description(description);
        if let Some(png) = qr::png(s.access.expose()) {
            let name = format!("sub-{i}.png");
            embed = embed.thumbnail(format!("attachment://{name}"));
            message.files.push(CreateAttachment::bytes(png, name));
        }
        message.embeds.push(embed);
        buttons.push(button(
            Action::Renew { subscription: s.id },
            &format!("Renew {}", s.plan.name),
            ButtonStyle::Success,
        ));
    }
    message.components = vec![CreateActionRow::Buttons(buttons)];
    if personal_url.is_some() {
        message.components.push(CreateActionRow::Buttons(vec![
            button(Action::Devices, "My devices", ButtonStyle::Secondary),
            button(Action::ResetLink, "Reset link", ButtonStyle::Secondary),
        ]));
    }
    message
}

/// My devices: each device that fetched the subscription, with a Remove button.
pub fn devices_list(list: &[nebula_engine::sub_url::Device], limit: u32) -> Reply {
    if list.is_empty() {
        return Reply::text(
            "No device has fetched your subscription URL yet (apps that do not say which device they are, are not counted).",
        );
    }
    let mut lines = vec![format!("Your plan allows {}. In use:", devices(limit))];
    let mut buttons = Vec::new();
    for (i, d) in list.iter().take(25).enumerate() {
        let what = [
            d.info.model.as_str(),
            d.info.os.as_str(),
            d.info.os_version.as_str(),
        ]
        .iter()
        .filter(|s| !s.is_empty())
        .cloned()
        .collect::<Vec<_>>()
        .join(" · ");
        let what = if what.is_empty() {
            "Unnamed device".to_owned()
        } else {
            fit(&what, 80)
        };
        lines.push(format!(
            "{}. {what}, last seen {}",
            i + 1,
            when(d.last_seen)
        ));
        buttons.push(button(
            Action::RemoveDevice {
                device: device_key(&d.info.hwid),
            },
            &format!("Remove {}", i + 1),
            ButtonStyle::Danger,
        ));
    }
    let mut reply = Reply::text(lines.join("\n"));
    reply.components = buttons
        .chunks(5)
        .map(|row| CreateActionRow::Buttons(row.to_vec()))
        .collect();
    reply
}

/// A device's short key in a `custom_id` (its id may be 128 characters; a button's is 100).
pub fn device_key(hwid: &str) -> String {
    nebula_common::hex_sha256(hwid)[..16].to_owned()
}

/// Asks before the subscription URL changes: every app holding it must add the new one.
pub fn confirm_reset_link() -> Reply {
    let mut reply = Reply::text(
        "A new subscription URL stops the old one at once: every app and device that uses it must add the new one. Use this if the URL was shared or leaked.",
    );
    reply.components = vec![CreateActionRow::Buttons(vec![button(
        Action::ResetLinkConfirmed,
        "Yes, give me a new URL",
        ButtonStyle::Danger,
    )])];
    reply
}

pub const HELP: &str = "**How it works**\n1. **Buy access** and pick a plan (a coupon, if you have one).\n2. A private channel opens: choose how to pay and follow the instructions.\n3. Upload a screenshot of your payment there.\n4. An admin checks it; you get your link and QR code in the channel and by DM.\n\n**My subscriptions** shows your links, usage and expiry, and lets you renew: a renewal keeps the same link.";

/// A broadcast as its recipients read it, with the opt-out every broadcast carries.
fn broadcast_embed(b: &nebula_engine::broadcast::Broadcast) -> CreateEmbed {
    CreateEmbed::new()
        .title("Announcement")
        .colour(BRAND)
        .description(b.message.clone())
        .footer(CreateEmbedFooter::new(
            "You get this because you used this shop. Stop these messages with the button below.",
        ))
}

fn opt_out_row() -> CreateActionRow {
    CreateActionRow::Buttons(vec![button(
        Action::BroadcastOptOut,
        "Stop these messages",
        ButtonStyle::Secondary,
    )])
}

/// One DM of a broadcast.
pub fn broadcast_dm(b: &nebula_engine::broadcast::Broadcast) -> CreateMessage {
    CreateMessage::new()
        .embed(broadcast_embed(b))
        .components(vec![opt_out_row()])
}

/// The admin's preview: who it reaches, how it reads, and the button that sends it.
pub fn broadcast_preview(b: &nebula_engine::broadcast::Broadcast) -> Reply {
    let content = format!(
        "This goes to **{}** ({}), by DM, one at a time. This is how it reads:",
        b.recipients,
        b.segment.describe()
    );
    let mut components = Vec::new();
    if b.recipients > 0 {
        components.push(CreateActionRow::Buttons(vec![button(
            Action::BroadcastSend { broadcast: b.id },
            &format!("Send to {}", b.recipients),
            ButtonStyle::Primary,
        )]));
    }
    Reply {
        content: Some(content),
        embeds: vec![broadcast_embed(b)],
        components,
        ..Reply::default()
    }
}

/// The admin's progress message, kept current while the DMs go out.
pub fn broadcast_progress(b: &nebula_engine::broadcast::Broadcast) -> String {
    use nebula_engine::broadcast::BroadcastStatus;
    let head = match b.status {
        BroadcastStatus::Done => "Broadcast sent",
        _ => "Broadcast going out",
    };
    format!(
        "**{head}** to {} ({}): {} sent, {} failed, {} skipped (opted out), {} left.",
        b.recipients,
        b.segment.describe(),
        b.sent,
        b.failed,
        b.skipped,
        b.left()
    )
}
