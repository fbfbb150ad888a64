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
use crate::i18n::{Locale, format};
use crate::tr;

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

/// A moment for the admins' own lists (stats, audit, exports): fixed, UTC, sortable.
pub fn when(t: Timestamp) -> String {
    t.strftime("%Y-%m-%d %H:%M UTC").to_string()
}

fn devices(l: Locale, n: u32) -> String {
    if n == 0 {
        tr!(l, "devices-any")
    } else {
        tr!(l, "devices-count", count = n)
    }
}

fn days(l: Locale, n: u32) -> String {
    tr!(l, "duration-days", days = n)
}

fn money(l: Locale, m: nebula_engine::money::Money) -> String {
    format::money(l, m)
}

fn traffic(l: Locale, t: nebula_engine::plan::TrafficLimit) -> String {
    format::traffic(l, t)
}

/// The shop panel: the plans and the three buttons.
pub fn panel(l: Locale, plans: &[PricedPlan]) -> (CreateEmbed, Vec<CreateActionRow>) {
    let mut embed = CreateEmbed::new()
        .title(tr!(l, "panel-title"))
        .colour(BRAND)
        .description(if plans.is_empty() {
            tr!(l, "panel-empty")
        } else {
            tr!(l, "panel-intro")
        });
    for p in plans.iter().take(25) {
        let price = if p.quote.total == p.plan.price {
            money(l, p.quote.total)
        } else {
            format!("~~{}~~ {}", money(l, p.plan.price), money(l, p.quote.total))
        };
        embed = embed.field(
            &p.plan.name,
            tr!(
                l,
                "plan-line",
                duration = days(l, p.plan.duration_days),
                traffic = traffic(l, p.plan.traffic),
                devices = devices(l, p.plan.device_limit),
                price = price,
            ),
            false,
        );
    }
    let row = CreateActionRow::Buttons(vec![
        button(Action::Buy, &tr!(l, "button-buy"), ButtonStyle::Success).disabled(plans.is_empty()),
        button(
            Action::Subscriptions,
            &tr!(l, "button-subscriptions"),
            ButtonStyle::Primary,
        ),
        button(Action::Help, &tr!(l, "button-help"), ButtonStyle::Secondary),
        button(
            Action::Language,
            &format!("🌐 {}", tr!(l, "button-language")),
            ButtonStyle::Secondary,
        ),
    ]);
    (embed, vec![row])
}

/// The language picker: each language in its own name.
pub fn language_picker(l: Locale) -> Reply {
    let options = Locale::ALL
        .iter()
        .map(|locale| {
            CreateSelectMenuOption::new(locale.native_name(), locale.tag())
                .default_selection(*locale == l)
        })
        .collect();
    let select = CreateSelectMenu::new(
        Action::LanguagePicked.id(),
        CreateSelectMenuKind::String { options },
    )
    .placeholder(tr!(l, "language-placeholder"));
    Reply {
        content: Some(tr!(l, "language-question")),
        components: vec![CreateActionRow::SelectMenu(select)],
        ..Reply::default()
    }
}

/// The ephemeral plan picker, with a coupon button.
pub fn plan_picker(l: Locale, plans: &[PricedPlan], coupon: Option<&str>) -> Reply {
    let options = plans
        .iter()
        .take(25)
        .map(|p| {
            let price = match &p.plan.trial {
                Some(_) => tr!(l, "picker-free-trial"),
                None => money(l, p.quote.total),
            };
            CreateSelectMenuOption::new(
                fit(&format!("{} — {price}", p.plan.name), OPTION_TEXT),
                p.plan.id.to_string(),
            )
            .description(fit(
                &tr!(
                    l,
                    "picker-option-detail",
                    duration = days(l, p.plan.duration_days),
                    traffic = traffic(l, p.plan.traffic),
                ),
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
    .placeholder(tr!(l, "picker-placeholder"));
    let mut rows = vec![CreateActionRow::SelectMenu(select)];
    let content = match coupon {
        Some(c) => tr!(l, "picker-with-coupon", coupon = c),
        None => {
            rows.push(CreateActionRow::Buttons(vec![button(
                Action::Coupon,
                &tr!(l, "button-coupon"),
                ButtonStyle::Secondary,
            )]));
            tr!(l, "picker-question")
        }
    };
    Reply {
        content: Some(content),
        components: rows,
        ..Reply::default()
    }
}

pub fn coupon_modal(l: Locale) -> CreateModal {
    CreateModal::new(Action::CouponSubmitted.id(), tr!(l, "coupon-modal-title")).components(vec![
        CreateActionRow::InputText(
            CreateInputText::new(InputTextStyle::Short, tr!(l, "coupon-modal-field"), "code")
                .min_length(1)
                .max_length(32),
        ),
    ])
}

/// The TRON transaction id modal.
pub fn transfer_modal(l: Locale, order: nebula_engine::ids::OrderId) -> CreateModal {
    CreateModal::new(
        Action::TransferSubmitted { order }.id(),
        tr!(l, "transfer-modal-title"),
    )
    .components(vec![CreateActionRow::InputText(
        CreateInputText::new(
            InputTextStyle::Short,
            tr!(l, "transfer-modal-field"),
            "txid",
        )
        .min_length(64)
        .max_length(66),
    )])
}

pub fn decline_modal(l: Locale, order: nebula_engine::ids::OrderId) -> CreateModal {
    CreateModal::new(
        Action::DeclineSubmitted { order }.id(),
        tr!(l, "decline-modal-title"),
    )
    .components(vec![CreateActionRow::InputText(
        CreateInputText::new(
            InputTextStyle::Paragraph,
            tr!(l, "decline-modal-field"),
            "reason",
        )
        .min_length(1)
        .max_length(500),
    )])
}

fn price_lines(l: Locale, summary: &OrderSummary) -> String {
    let q = &summary.quote;
    let mut lines = vec![format!("{}: {}", summary.plan_name, money(l, q.base))];
    lines.extend(
        q.adjustments
            .iter()
            .map(|a| format!("{}: {}", a.label, money(l, a.amount))),
    );
    lines.push(tr!(l, "price-total", total = money(l, q.total)));
    lines.join("\n")
}

fn order_fields(l: Locale, embed: CreateEmbed, summary: &OrderSummary) -> CreateEmbed {
    embed
        .field(
            tr!(l, "field-plan"),
            tr!(
                l,
                "plan-summary",
                plan = &summary.plan_name,
                duration = days(l, summary.duration_days),
                traffic = traffic(l, summary.traffic),
                devices = devices(l, summary.device_limit),
            ),
            false,
        )
        .field(tr!(l, "field-price"), price_lines(l, summary), false)
        .footer(CreateEmbedFooter::new(tr!(
            l,
            "order-footer",
            code = &summary.code
        )))
}

/// The first message in an order channel: the summary, the method buttons, Cancel.
pub fn order_opened(l: Locale, summary: &OrderSummary, methods: &[MethodOffer]) -> CreateMessage {
    if summary.trial {
        return trial_opened(l, summary);
    }
    let title = match summary.kind {
        OrderKind::New => tr!(l, "order-title-new"),
        OrderKind::Renewal { .. } => tr!(l, "order-title-renewal"),
    };
    let embed = order_fields(l, CreateEmbed::new().title(title).colour(BRAND), summary)
        .description(tr!(l, "order-choose-method"));
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
        &tr!(l, "button-cancel"),
        ButtonStyle::Danger,
    ));
    CreateMessage::new()
        .content(format!("<@{}>", summary.shopper))
        .embed(embed)
        .components(vec![CreateActionRow::Buttons(buttons)])
}

/// A trial's channel: nothing to pay and nothing to choose; the access follows here.
fn trial_opened(l: Locale, summary: &OrderSummary) -> CreateMessage {
    let embed = order_fields(
        l,
        CreateEmbed::new()
            .title(tr!(l, "trial-title"))
            .colour(BRAND),
        summary,
    )
    .description(tr!(l, "trial-description"));
    CreateMessage::new()
        .content(format!("<@{}>", summary.shopper))
        .embed(embed)
}

pub fn instructions(
    l: Locale,
    order: nebula_engine::ids::OrderId,
    label: &str,
    text: &str,
    provider: Option<nebula_engine::payment::Provider>,
) -> CreateMessage {
    use nebula_engine::payment::Provider;
    let then = match provider {
        None => tr!(l, "instructions-then-screenshot"),
        Some(Provider::Tron) => tr!(l, "instructions-then-tron"),
        Some(_) => tr!(l, "instructions-then-link"),
    };
    let message = CreateMessage::new().embed(
        CreateEmbed::new()
            .title(tr!(l, "instructions-title", method = label))
            .colour(BRAND)
            .description(format!("{text}\n\n{then}")),
    );
    match provider {
        Some(Provider::Tron) => message.components(vec![CreateActionRow::Buttons(vec![button(
            Action::Transfer { order },
            &tr!(l, "button-paid"),
            ButtonStyle::Success,
        )])]),
        _ => message,
    }
}

/// The provider's payment page for the order, as a link button.
pub fn checkout(
    l: Locale,
    label: &str,
    amount: nebula_engine::money::Money,
    url: &str,
) -> CreateMessage {
    let amount = money(l, amount);
    CreateMessage::new()
        .embed(
            CreateEmbed::new()
                .title(tr!(l, "checkout-title", amount = &amount, method = label))
                .colour(BRAND)
                .description(tr!(l, "checkout-description")),
        )
        .components(vec![CreateActionRow::Buttons(vec![
            CreateButton::new_link(url).label(fit(
                &tr!(l, "checkout-button", amount = &amount),
                BUTTON_LABEL,
            )),
        ])])
}

/// The review message of an order that was paid automatically meanwhile.
pub fn review_paid(l: Locale, provider: nebula_engine::payment::Provider) -> EditMessage {
    EditMessage::new()
        .content(tr!(l, "review-paid", provider = provider.label()))
        .components(vec![])
}

/// How a payment differs from its order, in words.
pub fn difference(l: Locale, d: &nebula_engine::payment::Difference) -> String {
    use nebula_engine::payment::Difference as D;
    match d {
        D::WrongCurrency { expected, got } => {
            tr!(
                l,
                "difference-wrong-currency",
                expected = expected,
                got = got
            )
        }
        D::Underpaid { expected, got } => {
            tr!(l, "difference-underpaid", expected = expected, got = got)
        }
        D::Overpaid { expected, got } => {
            tr!(l, "difference-overpaid", expected = expected, got = got)
        }
        D::PaidLate => tr!(l, "difference-paid-late"),
    }
}

pub fn differences(l: Locale, ds: &[nebula_engine::payment::Difference]) -> String {
    ds.iter()
        .map(|d| difference(l, d))
        .collect::<Vec<_>>()
        .join("; ")
}

/// The review embed for admins, with the screenshot re-uploaded (attachment URLs expire).
pub fn review(
    l: Locale,
    summary: &OrderSummary,
    method_label: &str,
    proof: Option<&Proof>,
    payment: Option<&nebula_engine::payment::FlaggedPayment>,
    image: Option<Vec<u8>>,
) -> CreateMessage {
    let mut flags = Vec::new();
    if summary.first_order {
        flags.push(tr!(l, "flag-first-order"));
    }
    if let Some(first) = proof.and_then(|p| p.duplicate_of) {
        flags.push(tr!(l, "flag-duplicate-proof", code = first.code()));
    }
    if let Some(flagged) = payment {
        let p = &flagged.payment;
        flags.push(tr!(
            l,
            "flag-payment",
            provider = p.provider.label(),
            reference = fit(&p.reference, 80),
            paid = p.paid.display(),
        ));
        flags.extend(
            flagged
                .differences
                .iter()
                .map(|d| format!("⚠️ {}", difference(l, d))),
        );
    }
    let filename = format!(
        "proof-{}.{}",
        summary.code.to_ascii_lowercase(),
        proof.map_or("png", |p| extension(&p.content_type))
    );
    let mut embed = order_fields(
        l,
        CreateEmbed::new()
            .title(tr!(l, "review-title"))
            .colour(BRAND),
        summary,
    )
    .field(
        tr!(l, "field-shopper"),
        format!("<@{}>", summary.shopper),
        true,
    )
    .field(tr!(l, "field-method"), method_label, true);
    if !flags.is_empty() {
        embed = embed.field(tr!(l, "field-flags"), flags.join("\n"), false);
    }
    let mut message = CreateMessage::new().components(vec![CreateActionRow::Buttons(vec![
        button(
            Action::Approve { order: summary.id },
            &tr!(l, "button-approve"),
            ButtonStyle::Success,
        ),
        button(
            Action::Decline { order: summary.id },
            &tr!(l, "button-decline"),
            ButtonStyle::Danger,
        ),
    ])]);
    match (image, proof) {
        (Some(bytes), _) => {
            embed = embed.image(format!("attachment://{filename}"));
            message = message.add_file(CreateAttachment::bytes(bytes, filename));
        }
        (None, Some(_)) => {
            embed = embed.field(tr!(l, "field-screenshot"), tr!(l, "screenshot-gone"), false)
        }
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
pub fn review_closed(l: Locale, outcome: ReviewOutcome, by: UserId) -> EditMessage {
    let admin = format!("<@{by}>");
    let line = match outcome {
        ReviewOutcome::Approved => tr!(l, "review-approved-by", admin = admin),
        ReviewOutcome::Declined => tr!(l, "review-declined-by", admin = admin),
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
fn server_links_block(l: Locale, servers: &[(String, &AccessLink)]) -> String {
    let mut out = String::new();
    for (i, (label, link)) in servers.iter().enumerate() {
        let block = format!("**{label}**\n```\n{}\n```\n", link.expose());
        if out.len() + block.len() + 64 > DESCRIPTION_MAX {
            out.push_str(&tr!(
                l,
                "links-more-in-subscription",
                count = servers.len() - i
            ));
            break;
        }
        out.push_str(&block);
    }
    out
}

fn links_block(
    l: Locale,
    link: &nebula_engine::subscription::AccessLink,
    alternatives: &[nebula_engine::subscription::AccessLink],
) -> String {
    let mut out = format!("```\n{}\n```", link.expose());
    if alternatives.is_empty() {
        return out;
    }
    let heading = tr!(l, "links-alternatives");
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
    out.push_str(&heading);
    out.push_str(&rest);
    if shown < alternatives.len() {
        out.push('\n');
        out.push_str(&tr!(
            l,
            "links-more-ask",
            count = alternatives.len() - shown
        ));
    }
    out
}

/// The access message: the shopper's personal subscription URL first (when the shop runs the
/// service; its QR code is the one shown), then plan, region, expiry, traffic and the link.
pub fn access(l: Locale, details: &AccessDetails, personal_url: Option<&str>) -> CreateMessage {
    let title = if details.renewal {
        tr!(l, "access-title-renewed")
    } else {
        tr!(l, "access-title-ready")
    };
    let (region, description) = if details.also.is_empty() {
        (
            details.region.clone(),
            format!(
                "{}\n{}",
                tr!(l, "access-import"),
                links_block(l, &details.link, &details.alternatives)
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
                "{}\n{}",
                tr!(l, "access-multi", count = servers.len()),
                server_links_block(l, &servers)
            ),
        )
    };
    let mut embed = CreateEmbed::new()
        .title(title)
        .colour(GOOD)
        .field(tr!(l, "field-plan"), &details.plan_name, true)
        .field(tr!(l, "field-region"), fit(&region, 256), true)
        .field(
            tr!(l, "field-expires"),
            format::when(details.expires_at),
            true,
        )
        .field(tr!(l, "field-traffic"), traffic(l, details.traffic), true)
        .field(
            tr!(l, "field-devices"),
            devices(l, details.device_limit),
            true,
        )
        .description(description);
    if let Some(url) = personal_url {
        embed = embed.field(
            tr!(l, "field-personal-url"),
            format!("{}\n{url}", tr!(l, "personal-url-explained")),
            false,
        );
    } else if let Some(url) = &details.subscription_url {
        embed = embed.field(tr!(l, "field-subscription-url"), url.expose(), false);
    }
    let mut message = CreateMessage::new();
    if let Some(png) = qr::png(personal_url.unwrap_or(details.link.expose())) {
        embed = embed.image("attachment://access-qr.png");
        message = message.add_file(CreateAttachment::bytes(png, "access-qr.png"));
    }
    message.embed(embed)
}

pub fn notice(l: Locale, notice: &Notice) -> CreateMessage {
    let (title, text, colour) = match notice {
        Notice::UnderReview => (
            tr!(l, "notice-under-review-title"),
            tr!(l, "notice-under-review"),
            BRAND,
        ),
        Notice::Declined { reason } => (
            tr!(l, "notice-declined-title"),
            tr!(l, "notice-declined", reason = reason),
            BAD,
        ),
        Notice::Cancelled { by_admin } => (
            tr!(l, "notice-cancelled-title"),
            if *by_admin {
                tr!(l, "notice-cancelled-by-admin")
            } else {
                tr!(l, "notice-cancelled-by-you")
            },
            BAD,
        ),
        Notice::TimedOut => (
            tr!(l, "notice-timed-out-title"),
            tr!(l, "notice-timed-out"),
            BAD,
        ),
        Notice::ProvisioningDelayed => (
            tr!(l, "notice-delayed-title"),
            tr!(l, "notice-delayed"),
            BRAND,
        ),
        Notice::PaymentReceived { provider } => (
            tr!(l, "notice-paid-title"),
            tr!(l, "notice-paid", provider = provider.label()),
            GOOD,
        ),
        Notice::PaymentNeedsReview {
            provider,
            differences: found,
        } => (
            tr!(l, "notice-paid-review-title"),
            tr!(
                l,
                "notice-paid-review",
                provider = provider.label(),
                why = differences(l, found),
            ),
            BRAND,
        ),
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
    l: Locale,
    subscription: nebula_engine::ids::SubscriptionId,
    plan_name: &str,
    notice: &nebula_engine::effect::SubscriptionNotice,
) -> CreateMessage {
    use nebula_engine::effect::SubscriptionNotice as N;
    use nebula_engine::plan::TrafficLimit;
    let (title, text, colour) = match notice {
        N::EndingSoon { expires_at } => (
            tr!(l, "sub-ending-title"),
            tr!(
                l,
                "sub-ending",
                plan = plan_name,
                when = format::when(*expires_at)
            ),
            BRAND,
        ),
        N::Expired { expires_at } => (
            tr!(l, "sub-expired-title"),
            tr!(
                l,
                "sub-expired",
                plan = plan_name,
                when = format::when(*expires_at)
            ),
            BAD,
        ),
        N::Traffic {
            percent,
            used_bytes,
            limit_bytes,
        } if *percent >= 100 => (
            tr!(l, "sub-traffic-out-title"),
            tr!(
                l,
                "sub-traffic-out",
                plan = plan_name,
                limit = traffic(l, TrafficLimit::Bytes(*limit_bytes)),
            ),
            BAD,
        ),
        N::DeviceLimit { limit, model } => {
            let model = if model.is_empty() {
                tr!(l, "sub-device-new")
            } else {
                fit(model, 64)
            };
            return CreateMessage::new()
                .embed(
                    CreateEmbed::new()
                        .title(tr!(l, "sub-device-limit-title"))
                        .description(tr!(
                            l,
                            "sub-device-limit",
                            device = model,
                            devices = devices(l, *limit),
                        ))
                        .colour(BAD),
                )
                .components(vec![CreateActionRow::Buttons(vec![button(
                    Action::Devices,
                    &tr!(l, "button-devices"),
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
                        .title(tr!(l, "sub-moved-title"))
                        .description(tr!(
                            l,
                            "sub-moved",
                            plan = plan_name,
                            from = region_note(l, from_region),
                            to = region_note(l, to_region),
                        ))
                        .colour(BRAND),
                )
                .components(vec![CreateActionRow::Buttons(vec![button(
                    Action::Subscriptions,
                    &tr!(l, "button-subscriptions"),
                    ButtonStyle::Primary,
                )])]);
        }
        N::Traffic {
            percent,
            used_bytes,
            limit_bytes,
        } => (
            tr!(l, "sub-traffic-low-title"),
            tr!(
                l,
                "sub-traffic-low",
                plan = plan_name,
                percent = *percent,
                used = traffic(l, TrafficLimit::Bytes(*used_bytes)),
                limit = traffic(l, TrafficLimit::Bytes(*limit_bytes)),
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
            &tr!(l, "button-renew", plan = plan_name),
            ButtonStyle::Success,
        )])])
}

/// `in eu` (`elsewhere` for an unknown region).
fn region_note(l: Locale, region: &str) -> String {
    if region.is_empty() {
        tr!(l, "region-unknown")
    } else {
        tr!(l, "region-in", region = fit(region, 32))
    }
}

/// What an alert says, in `l`, from its kind (an alert stored before kinds existed keeps its
/// English message). Errors quoted from a panel or a provider stay as they were given.
pub fn alert_text(l: Locale, alert: &Alert) -> String {
    use nebula_engine::alert::AlertKind as A;
    let Some(kind) = &alert.kind else {
        return alert.message.clone();
    };
    match kind {
        A::ProvisioningFailed {
            code,
            attempts,
            error,
        } => tr!(
            l,
            "alert-provisioning-failed",
            code = code,
            attempts = *attempts,
            error = error
        ),
        A::PaymentNotAwaited {
            provider,
            reference,
            paid,
            code,
            state,
        } => tr!(
            l,
            "alert-payment-not-awaited",
            provider = provider,
            reference = reference,
            paid = paid,
            code = code,
            state = state_text(l, *state),
        ),
        A::CheckoutFailed {
            provider,
            code,
            attempts,
            error,
        } => tr!(
            l,
            "alert-checkout-failed",
            provider = provider,
            code = code,
            attempts = *attempts,
            error = error
        ),
        A::MoveFailed {
            subscription,
            client,
            server,
            attempts,
            error,
        } => tr!(
            l,
            "alert-move-failed",
            subscription = subscription,
            client = client,
            server = server,
            attempts = *attempts,
            error = error
        ),
        A::PanelFailed {
            action,
            client,
            server,
            attempts,
            error,
        } => {
            use nebula_engine::effect::PanelAction as P;
            let what = match action {
                P::Disable => tr!(l, "alert-panel-disable", client = client),
                P::Delete => tr!(l, "alert-panel-delete", client = client),
                P::ResetTraffic => tr!(l, "alert-panel-reset", client = client),
            };
            tr!(
                l,
                "alert-panel-failed",
                what = what,
                server = server,
                attempts = *attempts,
                error = error
            )
        }
        A::DiscordFailed {
            effect,
            attempts,
            error,
        } => tr!(
            l,
            "alert-discord-failed",
            effect = effect,
            attempts = *attempts,
            error = error
        ),
        A::Drift {
            server,
            count,
            shown,
        } => {
            let mut text = tr!(l, "alert-drift", count = *count, server = server);
            for line in shown {
                text.push_str("\n- ");
                text.push_str(line);
            }
            let more = count.saturating_sub(shown.len());
            if more > 0 {
                text.push('\n');
                text.push_str(&tr!(l, "alert-drift-more", more = more));
            }
            text
        }
        A::ServerUp { server, down_for } => tr!(
            l,
            "alert-server-up",
            server = server,
            minutes = (down_for.as_secs() / 60).max(0)
        ),
        A::ServerDown {
            server,
            since,
            error,
        } => tr!(
            l,
            "alert-server-down",
            server = server,
            since = format::when(*since),
            error = error
        ),
        A::MovesStuck {
            server,
            count,
            reason,
        } => tr!(
            l,
            "alert-moves-stuck",
            count = *count,
            server = server,
            reason = reason
        ),
        A::PolicyFailed {
            policy,
            hash,
            error,
        } => tr!(
            l,
            "alert-policy-failed",
            policy = policy,
            hash = hash,
            error = error
        ),
    }
}

/// An alert for the admins, in the review channel's language.
pub fn alert(l: Locale, alert: &Alert) -> CreateMessage {
    let mut message = CreateMessage::new().embed(
        CreateEmbed::new()
            .title(tr!(l, "alert-title"))
            .description(fit(&alert_text(l, alert), DESCRIPTION_MAX))
            .colour(BAD),
    );
    if let (true, Some(order)) = (alert.retry, alert.order) {
        message = message.components(vec![CreateActionRow::Buttons(vec![button(
            Action::Retry { order },
            &tr!(l, "button-retry"),
            ButtonStyle::Primary,
        )])]);
    }
    message
}

/// A shopper's subscriptions: one embed each, with the link, QR, usage, expiry, Renew.
/// My subscriptions: the personal subscription URL first (with its QR code and Reset link,
/// when the shop runs the service), then each subscription with Renew.
pub fn subscriptions(l: Locale, subs: &[Subscription], personal_url: Option<&str>) -> Reply {
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
        return Reply::text(tr!(l, "subs-none"));
    }
    let mut message = Reply::default();
    if let Some(url) = personal_url {
        let mut embed = CreateEmbed::new()
            .title(tr!(l, "subs-url-title"))
            .colour(GOOD)
            .description(format!("{}\n{url}", tr!(l, "subs-url")));
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
        let used_text = traffic(l, nebula_engine::plan::TrafficLimit::Bytes(used_bytes));
        let used = match s.traffic.bytes() {
            Some(limit) => tr!(
                l,
                "used-of",
                used = used_text,
                limit = traffic(l, nebula_engine::plan::TrafficLimit::Bytes(limit)),
            ),
            None => tr!(l, "used-unlimited", used = used_text),
        };
        let status = group
            .iter()
            .map(|m| m.status)
            .min_by_key(|status| status.key())
            .unwrap_or(s.status);
        let description = if group.len() == 1 {
            links_block(l, &s.access, &s.alternatives)
        } else {
            let servers: Vec<(String, &AccessLink)> = group
                .iter()
                .map(|m| (m.server.to_string(), &m.access))
                .collect();
            server_links_block(l, &servers)
        };
        let mut embed = CreateEmbed::new()
            .title(&s.plan.name)
            .colour(BRAND)
            .field(tr!(l, "field-status"), status_text(l, status), true)
            .field(tr!(l, "field-expires"), format::when(s.expires_at), true)
            .field(tr!(l, "field-used"), used, true)
            .description(description);
        if let Some(png) = qr::png(s.access.expose()) {
            let name = format!("sub-{i}.png");
            embed = embed.thumbnail(format!("attachment://{name}"));
            message.files.push(CreateAttachment::bytes(png, name));
        }
        message.embeds.push(embed);
        buttons.push(button(
            Action::Renew { subscription: s.id },
            &tr!(l, "button-renew", plan = &s.plan.name),
            ButtonStyle::Success,
        ));
    }
    message.components = vec![CreateActionRow::Buttons(buttons)];
    if personal_url.is_some() {
        message.components.push(CreateActionRow::Buttons(vec![
            button(
                Action::Devices,
                &tr!(l, "button-devices"),
                ButtonStyle::Secondary,
            ),
            button(
                Action::ResetLink,
                &tr!(l, "button-reset-link"),
                ButtonStyle::Secondary,
            ),
        ]));
    }
    message
}

fn status_text(l: Locale, status: nebula_engine::subscription::SubscriptionStatus) -> String {
    use nebula_engine::subscription::SubscriptionStatus as S;
    match status {
        S::Active => tr!(l, "status-active"),
        S::Suspended => tr!(l, "status-suspended"),
        S::Expired => tr!(l, "status-expired"),
        S::Deleted => tr!(l, "status-deleted"),
    }
}

/// An order's state in a sentence ("under review").
pub fn state_text(l: Locale, state: nebula_engine::order::StateKind) -> String {
    use nebula_engine::order::StateKind as S;
    match state {
        S::AwaitingMethod => tr!(l, "state-awaiting_method"),
        S::AwaitingProof => tr!(l, "state-awaiting_proof"),
        S::UnderReview => tr!(l, "state-under_review"),
        S::Provisioning => tr!(l, "state-provisioning"),
        S::Fulfilled => tr!(l, "state-fulfilled"),
        S::Declined => tr!(l, "state-declined"),
        S::Cancelled => tr!(l, "state-cancelled"),
        S::TimedOut => tr!(l, "state-timed_out"),
        S::Failed => tr!(l, "state-failed"),
    }
}

/// My devices: each device that fetched the subscription, with a Remove button.
pub fn devices_list(l: Locale, list: &[nebula_engine::sub_url::Device], limit: u32) -> Reply {
    if list.is_empty() {
        return Reply::text(tr!(l, "devices-none"));
    }
    let mut lines = vec![tr!(l, "devices-allowed", devices = devices(l, limit))];
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
            tr!(l, "device-unnamed")
        } else {
            fit(&what, 80)
        };
        lines.push(tr!(
            l,
            "device-line",
            n = i + 1,
            what = what,
            when = format::when(d.last_seen),
        ));
        buttons.push(button(
            Action::RemoveDevice {
                device: device_key(&d.info.hwid),
            },
            &tr!(l, "button-remove-device", n = i + 1),
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
pub fn confirm_reset_link(l: Locale) -> Reply {
    let mut reply = Reply::text(tr!(l, "reset-confirm"));
    reply.components = vec![CreateActionRow::Buttons(vec![button(
        Action::ResetLinkConfirmed,
        &tr!(l, "button-reset-confirm"),
        ButtonStyle::Danger,
    )])];
    reply
}

pub fn help(l: Locale) -> String {
    tr!(l, "help-text")
}

/// A broadcast's audience in words.
pub fn segment(l: Locale, segment: &nebula_engine::broadcast::Segment) -> String {
    use nebula_engine::broadcast::Segment as S;
    match segment {
        S::All => tr!(l, "segment-all"),
        S::Active => tr!(l, "segment-active"),
        S::ExpiringWithin { days } => tr!(l, "segment-expiring", days = *days),
        S::Expired => tr!(l, "segment-expired"),
        S::Plan { plan } => tr!(l, "segment-plan", plan = plan.to_string()),
    }
}

/// A broadcast as its recipients read it, with the opt-out every broadcast carries.
/// A broadcast as a recipient reads it (the admin's message as written; the frame in the
/// recipient's language), with the opt-out every broadcast carries.
fn broadcast_embed(l: Locale, b: &nebula_engine::broadcast::Broadcast) -> CreateEmbed {
    CreateEmbed::new()
        .title(tr!(l, "broadcast-title"))
        .colour(BRAND)
        .description(b.message.clone())
        .footer(CreateEmbedFooter::new(tr!(l, "broadcast-footer")))
}

fn opt_out_row(l: Locale) -> CreateActionRow {
    CreateActionRow::Buttons(vec![button(
        Action::BroadcastOptOut,
        &tr!(l, "button-stop-broadcasts"),
        ButtonStyle::Secondary,
    )])
}

/// One DM of a broadcast.
pub fn broadcast_dm(l: Locale, b: &nebula_engine::broadcast::Broadcast) -> CreateMessage {
    CreateMessage::new()
        .embed(broadcast_embed(l, b))
        .components(vec![opt_out_row(l)])
}

/// The admin's preview: who it reaches, how it reads, and the button that sends it.
pub fn broadcast_preview(l: Locale, b: &nebula_engine::broadcast::Broadcast) -> Reply {
    let content = tr!(
        l,
        "broadcast-preview",
        count = b.recipients,
        segment = segment(l, &b.segment)
    );
    let mut components = Vec::new();
    if b.recipients > 0 {
        components.push(CreateActionRow::Buttons(vec![button(
            Action::BroadcastSend { broadcast: b.id },
            &tr!(l, "button-send-broadcast", count = b.recipients),
            ButtonStyle::Primary,
        )]));
    }
    Reply {
        content: Some(content),
        embeds: vec![broadcast_embed(l, b)],
        components,
        ..Reply::default()
    }
}

/// The admin's progress message, kept current while the DMs go out.
pub fn broadcast_progress(l: Locale, b: &nebula_engine::broadcast::Broadcast) -> String {
    use nebula_engine::broadcast::BroadcastStatus;
    let segment = segment(l, &b.segment);
    match b.status {
        BroadcastStatus::Done => tr!(
            l,
            "broadcast-progress-done",
            count = b.recipients,
            segment = segment,
            sent = b.sent,
            failed = b.failed,
            skipped = b.skipped,
            left = b.left(),
        ),
        _ => tr!(
            l,
            "broadcast-progress-going",
            count = b.recipients,
            segment = segment,
            sent = b.sent,
            failed = b.failed,
            skipped = b.skipped,
            left = b.left(),
        ),
    }
}
