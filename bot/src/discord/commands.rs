//! Admin slash commands, registered per guild and shown by default to members with Manage Server
//! (the owner adds the admin role in Server Settings → Integrations; `/setup` says so); every
//! one checks the admin role again on the server side. Ids are autocompleted.

use nebula_engine::actor::Actor;
use nebula_engine::ids::{MethodId, PlanId, ServerId, UserId};
use nebula_engine::money::Money;
use nebula_engine::order::{OrderKind, State};
use nebula_engine::payment_method::{MethodEdit, MethodKind, PaymentMethod};
use nebula_engine::plan::{Plan, PlanEdit, TrafficLimit};
use nebula_engine::policy::{PolicyConfig, PolicyKind};
use nebula_engine::server::{Server, ServerEdit, ServerStatus};
use nebula_gateway::client::Target;
use serenity::all::{
    AutocompleteChoice, ChannelType, CommandInteraction, CommandOptionType,
    CreateAutocompleteResponse, CreateCommand, CreateCommandOption, CreateEmbed, Permissions,
    ResolvedOption, ResolvedValue,
};

use super::effects::setting;
use super::errors::BotError;
use super::handler::Bot;
use super::render;
use super::reply::{Answer, Reply};

fn sub(name: &str, description: &str) -> CreateCommandOption {
    CreateCommandOption::new(CommandOptionType::SubCommand, name, description)
}

fn text(name: &str, description: &str, required: bool) -> CreateCommandOption {
    CreateCommandOption::new(CommandOptionType::String, name, description).required(required)
}

fn int(name: &str, description: &str, required: bool) -> CreateCommandOption {
    CreateCommandOption::new(CommandOptionType::Integer, name, description).required(required)
}

fn id_option(name: &str, description: &str) -> CreateCommandOption {
    text(name, description, true).set_autocomplete(true)
}

fn kind_option() -> CreateCommandOption {
    text("kind", "pricing, payment-methods or server-selection", true)
        .add_string_choice("pricing", "pricing")
        .add_string_choice("payment-methods", "payment-methods")
        .add_string_choice("server-selection", "server-selection")
}

fn method_kind_option(required: bool) -> CreateCommandOption {
    let mut o = text("kind", "How shoppers pay", required);
    for k in ["bank_transfer", "mobile_wallet", "card", "crypto", "other"] {
        o = o.add_string_choice(k, k);
    }
    o
}

fn plan_fields(required: bool) -> Vec<CreateCommandOption> {
    vec![
        text("name", "Shown to shoppers", required),
        int("days", "Duration in days", required),
        int(
            "traffic_gb",
            "Traffic allowance in GB (0 = unlimited)",
            required,
        ),
        int("devices", "Simultaneous devices (0 = no limit)", required),
        text("price", "Like `250 EGP` or `9.99 USD`", required),
        int("sort", "Position on the panel (lower first)", false),
    ]
}

fn server_fields(required: bool) -> Vec<CreateCommandOption> {
    vec![
        text("name", "A name admins recognise", required),
        text("region", "Like `eu`, `us-east`", required),
        text("gateway_url", "The gateway's base URL", required),
        text("key_id", "Which signing key the shop uses for it", required),
        int(
            "inbound_id",
            "The 3x-ui inbound new clients go to",
            required,
        ),
        text("public_host", "The host shoppers connect to", required),
        int(
            "capacity",
            "How many active subscriptions it takes",
            required,
        ),
        text("tags", "Comma-separated", false),
    ]
}

/// Every command, for registration.
pub fn definitions() -> Vec<CreateCommand> {
    let admin = |c: CreateCommand| {
        c.default_member_permissions(super::access::ADMIN_COMMANDS)
            .dm_permission(false)
    };
    let with = |mut s: CreateCommandOption, opts: Vec<CreateCommandOption>| {
        for o in opts {
            s = s.add_sub_option(o);
        }
        s
    };
    vec![
        admin(
            CreateCommand::new("setup")
                .description("Set the shop's channels and admin role, and post the panel"),
        )
        .add_option(
            CreateCommandOption::new(
                CommandOptionType::Channel,
                "shop_channel",
                "Where the shop panel lives",
            )
            .required(true)
            .channel_types(vec![ChannelType::Text]),
        )
        .add_option(
            CreateCommandOption::new(
                CommandOptionType::Channel,
                "review_channel",
                "Where admins review payments",
            )
            .required(true)
            .channel_types(vec![ChannelType::Text]),
        )
        .add_option(
            CreateCommandOption::new(
                CommandOptionType::Channel,
                "order_category",
                "The category for private order channels",
            )
            .required(true)
            .channel_types(vec![ChannelType::Category]),
        )
        .add_option(
            CreateCommandOption::new(
                CommandOptionType::Role,
                "admin_role",
                "Who may approve, decline and manage",
            )
            .required(true),
        ),
        admin(CreateCommand::new("plan").description("Manage plans"))
            .add_option(with(
                sub("add", "Add a plan").add_sub_option(text("id", "Like `month-50gb`", true)),
                plan_fields(true),
            ))
            .add_option(
                with(
                    sub("edit", "Change a plan").add_sub_option(id_option("id", "The plan")),
                    plan_fields(false),
                )
                .add_sub_option(
                    CreateCommandOption::new(CommandOptionType::Boolean, "active", "On sale")
                        .required(false),
                ),
            )
            .add_option(
                sub("disable", "Take a plan off sale").add_sub_option(id_option("id", "The plan")),
            )
            .add_option(sub("list", "Every plan")),
        admin(CreateCommand::new("method").description("Manage payment methods"))
            .add_option(
                sub("add", "Add a payment method")
                    .add_sub_option(text("id", "Like `vodafone-cash`", true))
                    .add_sub_option(text("label", "Shown on the button", true))
                    .add_sub_option(method_kind_option(true))
                    .add_sub_option(text(
                        "instructions",
                        "What to do; may use {amount} and {order}",
                        true,
                    ))
                    .add_sub_option(text("min", "Smallest amount, like `50 EGP`", false))
                    .add_sub_option(text("max", "Largest amount", false)),
            )
            .add_option(
                sub("edit", "Change a payment method")
                    .add_sub_option(id_option("id", "The method"))
                    .add_sub_option(text("label", "Shown on the button", false))
                    .add_sub_option(method_kind_option(false))
                    .add_sub_option(text("instructions", "May use {amount} and {order}", false))
                    .add_sub_option(text("min", "Smallest amount (`none` to remove)", false))
                    .add_sub_option(text("max", "Largest amount (`none` to remove)", false))
                    .add_sub_option(
                        CreateCommandOption::new(CommandOptionType::Boolean, "enabled", "Offered")
                            .required(false),
                    ),
            )
            .add_option(
                sub("disable", "Stop offering a method")
                    .add_sub_option(id_option("id", "The method")),
            )
            .add_option(sub("list", "Every payment method")),
        admin(CreateCommand::new("server").description("Manage VPN servers"))
            .add_option(with(
                sub("add", "Add a server").add_sub_option(text("id", "Like `fra-1`", true)),
                server_fields(true),
            ))
            .add_option(with(
                sub("edit", "Change a server").add_sub_option(id_option("id", "The server")),
                server_fields(false),
            ))
            .add_option(
                sub("drain", "Keep its clients, take no new ones")
                    .add_sub_option(id_option("id", "The server")),
            )
            .add_option(
                sub("remove", "Remove a server with no clients")
                    .add_sub_option(id_option("id", "The server")),
            )
            .add_option(sub("list", "Every server and its load"))
            .add_option(
                sub("status", "Ask a server's gateway how it is")
                    .add_sub_option(id_option("id", "The server")),
            ),
        admin(CreateCommand::new("order").description("Look after orders"))
            .add_option(
                sub("view", "An order and its history")
                    .add_sub_option(id_option("code", "Like NL-7K3F9Q2A")),
            )
            .add_option(
                sub("retry", "Provision a failed order again")
                    .add_sub_option(id_option("code", "Like NL-7K3F9Q2A")),
            )
            .add_option(
                sub("cancel", "Cancel an unpaid order")
                    .add_sub_option(id_option("code", "Like NL-7K3F9Q2A")),
            ),
        admin(
            CreateCommand::new("stats").description(
                "Revenue, orders, approval rate, review time, load, and a 30-day chart",
            ),
        ),
        admin(
            CreateCommand::new("export")
                .description("Orders or subscriptions as CSV or JSON, for a date range"),
        )
        .add_option(
            text("what", "orders or subscriptions", true)
                .add_string_choice("orders", "orders")
                .add_string_choice("subscriptions", "subscriptions"),
        )
        .add_option(
            text("format", "csv (default) or json", false)
                .add_string_choice("csv", "csv")
                .add_string_choice("json", "json"),
        )
        .add_option(text(
            "from",
            "First day, YYYY-MM-DD (default: 30 days ago)",
            false,
        ))
        .add_option(text("to", "Last day, YYYY-MM-DD (default: today)", false)),
        admin(CreateCommand::new("audit").description("Who did what, newest first"))
            .add_option(CreateCommandOption::new(
                CommandOptionType::User,
                "actor",
                "Only what this member did",
            ))
            .add_option(text("order", "Only this order (like NL-7K3F9Q2A)", false))
            .add_option(text(
                "action",
                "Only actions starting with this (like order.)",
                false,
            ))
            .add_option(int(
                "before",
                "Older than this entry number (the next page)",
                false,
            )),
        admin(
            CreateCommand::new("policy")
                .description("Pricing, payment-method and server-selection policies"),
        )
        .add_option(sub("list", "Stored versions and which are live"))
        .add_option(
            sub(
                "upload",
                "Install a policy (.wasm): checks, test vectors, dry run, then live",
            )
            .add_sub_option(kind_option())
            .add_sub_option(
                CreateCommandOption::new(
                    CommandOptionType::Attachment,
                    "file",
                    "The .wasm component",
                )
                .required(true),
            )
            .add_sub_option(text(
                "name",
                "A name for it (default: the file name)",
                false,
            )),
        )
        .add_option(
            sub(
                "dry-run",
                "What a policy would decide on recent real orders, without installing it",
            )
            .add_sub_option(kind_option())
            .add_sub_option(
                CreateCommandOption::new(
                    CommandOptionType::Attachment,
                    "file",
                    "The .wasm component",
                )
                .required(true),
            ),
        )
        .add_option(
            sub("activate", "Make a stored version live")
                .add_sub_option(kind_option())
                .add_sub_option(id_option("version", "Its sha256")),
        )
        .add_option(
            sub("rollback", "Go back to an earlier version")
                .add_sub_option(kind_option())
                .add_sub_option(id_option("version", "Its sha256")),
        )
        .add_option(
            sub("config", "Set the live policy's config")
                .add_sub_option(kind_option())
                .add_sub_option(text(
                    "settings",
                    "`key = value` pairs separated by `;` (empty to clear)",
                    true,
                )),
        ),
    ]
}

/// The sub-command and its options (no sub-command: all the options).
fn parts<'a>(cmd: &'a CommandInteraction) -> (&'a str, Vec<ResolvedOption<'a>>) {
    let mut options = cmd.data.options();
    if matches!(
        options.first(),
        Some(ResolvedOption {
            value: ResolvedValue::SubCommand(_),
            ..
        })
    ) && let ResolvedOption {
        name,
        value: ResolvedValue::SubCommand(opts),
        ..
    } = options.remove(0)
    {
        return (name, opts);
    }
    ("", options)
}

struct Opts<'a>(Vec<ResolvedOption<'a>>);

impl<'a> Opts<'a> {
    fn get(&self, name: &str) -> Option<&ResolvedValue<'a>> {
        self.0.iter().find(|o| o.name == name).map(|o| &o.value)
    }
    fn str(&self, name: &str) -> Option<&'a str> {
        match self.get(name) {
            Some(ResolvedValue::String(s)) => Some(s),
            _ => None,
        }
    }
    fn need(&self, name: &str) -> Result<&'a str, BotError> {
        self.str(name)
            .ok_or_else(|| BotError::Input(format!("`{name}` is required.")))
    }
    fn int(&self, name: &str) -> Option<i64> {
        match self.get(name) {
            Some(ResolvedValue::Integer(i)) => Some(*i),
            _ => None,
        }
    }
    fn bool(&self, name: &str) -> Option<bool> {
        match self.get(name) {
            Some(ResolvedValue::Boolean(b)) => Some(*b),
            _ => None,
        }
    }
    fn u32(&self, name: &str) -> Result<Option<u32>, BotError> {
        self.int(name)
            .map(|i| {
                u32::try_from(i)
                    .map_err(|_| BotError::Input(format!("`{name}` must be 0 or more.")))
            })
            .transpose()
    }
}

fn money(text: &str) -> Result<Money, BotError> {
    text.parse::<Money>()
        .map_err(|e| BotError::Input(format!("{e}. Write amounts like `250 EGP`.")))
}

fn traffic(gb: u32) -> TrafficLimit {
    if gb == 0 {
        TrafficLimit::Unlimited
    } else {
        TrafficLimit::Bytes(u64::from(gb) * 1_000_000_000)
    }
}

fn method_kind(text: &str) -> Result<MethodKind, BotError> {
    serde_json::from_value(serde_json::Value::String(text.into()))
        .map_err(|_| BotError::Input(format!("`{text}` is not a payment kind.")))
}

fn kind(opts: &Opts<'_>) -> Result<PolicyKind, BotError> {
    opts.need("kind")?
        .parse()
        .map_err(|e: nebula_engine::error::Invalid| BotError::Input(e.to_string()))
}

/// `key = value; key2 = value2` into a config.
pub fn parse_config(text: &str) -> Result<PolicyConfig, BotError> {
    text.split([';', '\n'])
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .map(|pair| {
            let (k, v) = pair
                .split_once('=')
                .ok_or_else(|| BotError::Input(format!("`{pair}` is not `key = value`.")))?;
            Ok((k.trim().to_owned(), v.trim().to_owned()))
        })
        .collect()
}

fn tags(text: Option<&str>) -> Option<Vec<String>> {
    text.map(|t| {
        t.split(',')
            .map(|s| s.trim().to_owned())
            .filter(|s| !s.is_empty())
            .collect()
    })
}

pub async fn run(bot: &Bot, cmd: &CommandInteraction) -> Result<Answer, BotError> {
    let user = cmd.user.id.get();
    let member = cmd.member.as_deref();
    let (subcommand, options) = parts(cmd);
    let o = Opts(options);
    if cmd.data.name == "setup" {
        return setup(bot, cmd, &o).await;
    }
    let actor = bot.admin(member, user).await?;
    match (cmd.data.name.as_str(), subcommand) {
        ("plan", "add") => {
            let plan = Plan {
                id: PlanId::new(o.need("id")?).map_err(|e| BotError::Input(e.to_string()))?,
                name: o.need("name")?.to_owned(),
                duration_days: o.u32("days")?.unwrap_or(0),
                traffic: traffic(o.u32("traffic_gb")?.unwrap_or(0)),
                device_limit: o.u32("devices")?.unwrap_or(0),
                price: money(o.need("price")?)?,
                active: true,
                sort_key: o.int("sort").unwrap_or(100) as i32,
            };
            let plan = bot.shop.add_plan(actor, plan).await?;
            Ok(Reply::text(format!(
                "Added plan `{}`: {} for {}.",
                plan.id, plan.name, plan.price
            ))
            .into())
        }
        ("plan", "edit") => {
            let edit = PlanEdit {
                name: o.str("name").map(str::to_owned),
                duration_days: o.u32("days")?,
                traffic: o.u32("traffic_gb")?.map(traffic),
                device_limit: o.u32("devices")?,
                price: o.str("price").map(money).transpose()?,
                active: o.bool("active"),
                sort_key: o.int("sort").map(|s| s as i32),
            };
            let plan = bot
                .shop
                .edit_plan(actor, parse_id(o.need("id")?)?, edit)
                .await?;
            Ok(Reply::text(format!("Updated plan `{}`.", plan.id)).into())
        }
        ("plan", "disable") => {
            let edit = PlanEdit {
                active: Some(false),
                ..PlanEdit::default()
            };
            let plan = bot
                .shop
                .edit_plan(actor, parse_id(o.need("id")?)?, edit)
                .await?;
            Ok(Reply::text(format!("Plan `{}` is off sale.", plan.id)).into())
        }
        ("plan", "list") => {
            let plans = bot.shop.plans().await?;
            let lines: Vec<String> = plans
                .iter()
                .map(|p| {
                    format!(
                        "`{}` {} — {} days, {}, {} {}",
                        p.id,
                        p.name,
                        p.duration_days,
                        p.traffic,
                        p.price,
                        if p.active { "" } else { "(off sale)" }
                    )
                })
                .collect();
            Ok(list("Plans", lines))
        }
        ("method", "add") => {
            let method = PaymentMethod {
                id: MethodId::new(o.need("id")?).map_err(|e| BotError::Input(e.to_string()))?,
                label: o.need("label")?.to_owned(),
                kind: method_kind(o.need("kind")?)?,
                instructions: o.need("instructions")?.to_owned(),
                min: o.str("min").map(money).transpose()?,
                max: o.str("max").map(money).transpose()?,
                enabled: true,
            };
            let method = bot.shop.add_method(actor, method).await?;
            Ok(Reply::text(format!(
                "Added payment method `{}` ({}).",
                method.id, method.label
            ))
            .into())
        }
        ("method", "edit") => {
            let bound = |name: &str| -> Result<Option<Option<Money>>, BotError> {
                match o.str(name) {
                    None => Ok(None),
                    Some("none") => Ok(Some(None)),
                    Some(t) => Ok(Some(Some(money(t)?))),
                }
            };
            let edit = MethodEdit {
                label: o.str("label").map(str::to_owned),
                kind: o.str("kind").map(method_kind).transpose()?,
                instructions: o.str("instructions").map(str::to_owned),
                min: bound("min")?,
                max: bound("max")?,
                enabled: o.bool("enabled"),
            };
            let method = bot
                .shop
                .edit_method(actor, parse_id(o.need("id")?)?, edit)
                .await?;
            Ok(Reply::text(format!("Updated payment method `{}`.", method.id)).into())
        }
        ("method", "disable") => {
            let edit = MethodEdit {
                enabled: Some(false),
                ..MethodEdit::default()
            };
            let method = bot
                .shop
                .edit_method(actor, parse_id(o.need("id")?)?, edit)
                .await?;
            Ok(Reply::text(format!(
                "Payment method `{}` is no longer offered.",
                method.id
            ))
            .into())
        }
        ("method", "list") => {
            let lines = bot
                .shop
                .methods()
                .await?
                .iter()
                .map(|m| {
                    format!(
                        "`{}` {} ({}){}",
                        m.id,
                        m.label,
                        m.kind.as_str(),
                        if m.enabled { "" } else { " (off)" }
                    )
                })
                .collect();
            Ok(list("Payment methods", lines))
        }
        ("server", "add") => {
            let server = Server {
                id: ServerId::new(o.need("id")?).map_err(|e| BotError::Input(e.to_string()))?,
                name: o.need("name")?.to_owned(),
                region: o.need("region")?.to_owned(),
                gateway_url: o.need("gateway_url")?.to_owned(),
                gateway_key_id: o.need("key_id")?.to_owned(),
                inbound_id: o.u32("inbound_id")?.unwrap_or(0),
                public_host: o.need("public_host")?.to_owned(),
                capacity: o.u32("capacity")?.unwrap_or(0),
                status: ServerStatus::Up,
                tags: tags(o.str("tags")).unwrap_or_default(),
            };
            let server = bot.shop.add_server(actor, server).await?;
            Ok(Reply::text(format!(
                "Added server `{}` in {}.",
                server.id, server.region
            ))
            .into())
        }
        ("server", "edit") => {
            let edit = ServerEdit {
                name: o.str("name").map(str::to_owned),
                region: o.str("region").map(str::to_owned),
                gateway_url: o.str("gateway_url").map(str::to_owned),
                gateway_key_id: o.str("key_id").map(str::to_owned),
                inbound_id: o.u32("inbound_id")?,
                public_host: o.str("public_host").map(str::to_owned),
                capacity: o.u32("capacity")?,
                status: None,
                tags: tags(o.str("tags")),
            };
            let server = bot
                .shop
                .edit_server(actor, parse_id(o.need("id")?)?, edit)
                .await?;
            Ok(Reply::text(format!("Updated server `{}`.", server.id)).into())
        }
        ("server", "drain") => {
            let edit = ServerEdit {
                status: Some(ServerStatus::Draining),
                ..ServerEdit::default()
            };
            let server = bot
                .shop
                .edit_server(actor, parse_id(o.need("id")?)?, edit)
                .await?;
            Ok(Reply::text(format!(
                "Server `{}` is draining: it keeps its clients and takes no new ones.",
                server.id
            ))
            .into())
        }
        ("server", "remove") => {
            let server = bot
                .shop
                .remove_server(actor, parse_id(o.need("id")?)?)
                .await?;
            Ok(Reply::text(format!("Removed server `{}`.", server.id)).into())
        }
        ("server", "list") => {
            let lines = bot
                .shop
                .servers()
                .await?
                .iter()
                .map(|s| {
                    format!(
                        "`{}` {} ({}) — {:?}, capacity {}, {}",
                        s.id, s.name, s.region, s.status, s.capacity, s.gateway_url
                    )
                })
                .collect();
            Ok(list("Servers", lines))
        }
        ("server", "status") => {
            let id: ServerId = parse_id(o.need("id")?)?;
            let server = bot
                .shop
                .server(id.clone())
                .await?
                .ok_or_else(|| BotError::Input(format!("No server `{id}`.")))?;
            let status = bot.gateway.status(Target::from(&server)).await?;
            let panel = if status.panel_reachable {
                "reachable"
            } else {
                "unreachable"
            };
            Ok(Reply::text(format!(
                "`{}`: gateway up, panel {panel}{}{}{}",
                server.id,
                status
                    .panel_version
                    .map(|v| format!(", 3x-ui {v}"))
                    .unwrap_or_default(),
                status
                    .xray_state
                    .map(|s| format!(", Xray {s}"))
                    .unwrap_or_default(),
                status
                    .cpu_percent
                    .map(|c| format!(", CPU {c:.0}%"))
                    .unwrap_or_default(),
            ))
            .into())
        }
        ("order", "view") => view_order(bot, o.need("code")?).await,
        ("order", "retry") => {
            let record = bot.shop.order_by_code(o.need("code")?).await?;
            let record = bot.shop.retry(actor, record.order.id).await?;
            Ok(Reply::text(format!("Trying order **{}** again.", record.order.code())).into())
        }
        ("order", "cancel") => {
            let record = bot.shop.order_by_code(o.need("code")?).await?;
            let record = bot.shop.cancel(actor, record.order.id).await?;
            Ok(Reply::text(format!("Order **{}** is cancelled.", record.order.code())).into())
        }
        ("policy", "list") => {
            let lines = bot
                .policies
                .list()
                .await?
                .iter()
                .map(|l| {
                    let v = &l.version;
                    format!(
                        "{} `{}` {} ({} bytes, {}){}",
                        v.kind,
                        &v.sha256[..12],
                        v.name,
                        v.size,
                        render::when(v.installed_at),
                        if l.active { " **live**" } else { "" }
                    )
                })
                .collect();
            Ok(list("Policies", lines))
        }
        ("policy", "upload") => {
            let kind = kind(&o)?;
            let Some(ResolvedValue::Attachment(file)) = o.get("file") else {
                return Err(BotError::Input("Attach the .wasm file.".into()));
            };
            let name = o
                .str("name")
                .map(str::to_owned)
                .unwrap_or_else(|| file.filename.trim_end_matches(".wasm").to_owned());
            let bytes = file.download().await?;
            let report = bot.policies.install(actor, kind, name, bytes, None).await?;
            Ok(Reply::text(format!(
                "**{}** is now the live {kind} policy (`{}`). {} test vectors passed; on the last {} real orders it decides {} differently.{}",
                report.active.name,
                &report.version.sha256[..12],
                report.vectors_passed,
                report.dry_run.checked,
                report.dry_run.changed,
                examples(&report.dry_run)
            ))
            .into())
        }
        ("policy", "dry-run") => {
            let kind = kind(&o)?;
            let Some(ResolvedValue::Attachment(file)) = o.get("file") else {
                return Err(BotError::Input("Attach the .wasm file.".into()));
            };
            let bytes = file.download().await?;
            let (vectors, report) = bot.policies.dry_run(kind, bytes, None).await?;
            Ok(Reply::text(format!(
                "Not installed. {vectors} test vectors passed; on the last {} real orders it would decide {} differently.{}",
                report.checked,
                report.changed,
                examples(&report)
            ))
            .into())
        }
        ("policy", "activate") | ("policy", "rollback") => {
            let kind = kind(&o)?;
            let sha = full_sha(bot, kind, o.need("version")?).await?;
            let active = bot.policies.activate(actor, kind, sha, None).await?;
            Ok(Reply::text(format!(
                "**{}** (`{}`) is now the live {kind} policy.",
                active.name,
                &active.sha256[..12]
            ))
            .into())
        }
        ("policy", "config") => {
            let kind = kind(&o)?;
            let config = parse_config(o.need("settings")?)?;
            let active = bot.policies.set_config(actor, kind, config).await?;
            Ok(Reply::text(format!(
                "The {kind} policy **{}** now runs with {} setting(s).",
                active.name,
                active.config.len()
            ))
            .into())
        }
        ("stats", _) => stats(bot).await,
        ("export", _) => export(bot, &o).await,
        ("audit", _) => audit(bot, &o).await,
        _ => Err(BotError::Input("I don't know that command.".into())),
    }
}

fn amounts(a: &nebula_engine::reports::Amounts) -> String {
    if a.is_empty() {
        return "—".into();
    }
    a.values()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join(", ")
}

async fn stats(bot: &Bot) -> Result<Answer, BotError> {
    let s = bot.shop.stats().await?;
    let states = s
        .orders_by_state
        .iter()
        .map(|(k, v)| format!("{k}: {v}"))
        .collect::<Vec<_>>()
        .join(", ");
    let servers = s
        .active_per_server
        .iter()
        .map(|(k, v)| format!("`{k}` {v}"))
        .collect::<Vec<_>>()
        .join(", ");
    let plans = s
        .top_plans
        .iter()
        .map(|p| {
            format!(
                "{} — {} order(s), {}",
                p.name,
                p.orders,
                amounts(&p.revenue)
            )
        })
        .collect::<Vec<_>>()
        .join("\n");
    let policies = s
        .revenue_by_policy
        .iter()
        .map(|(k, v)| format!("`{k}` {}", amounts(v)))
        .collect::<Vec<_>>()
        .join("\n");
    let or_none = |t: String| {
        if t.is_empty() {
            "none yet".to_owned()
        } else {
            t
        }
    };
    let mut embed = CreateEmbed::new()
        .title("Shop stats")
        .field("Today", amounts(&s.revenue_today), true)
        .field("7 days", amounts(&s.revenue_7d), true)
        .field("30 days", amounts(&s.revenue_30d), true)
        .field("All time", amounts(&s.revenue_all), true)
        .field(
            "Approval rate",
            s.approval_permille
                .map_or("—".into(), |p| format!("{}.{}%", p / 10, p % 10)),
            true,
        )
        .field(
            "Median review time",
            s.median_review.map_or("—".into(), |d| format!("{d:#}")),
            true,
        )
        .field("Orders by state", or_none(states), false)
        .field("Active subscriptions per server", or_none(servers), false)
        .field("Top plans", or_none(plans), false)
        .field("Revenue by pricing policy", or_none(policies), false)
        .footer(serenity::all::CreateEmbedFooter::new(format!(
            "As of {} (UTC). Revenue counts fulfilled orders.",
            render::when(s.at)
        )));
    let mut reply = Reply::default();
    // The chart shows the currency that earned most over the 30 days.
    let main = s
        .revenue_30d
        .iter()
        .max_by_key(|(_, m)| m.minor)
        .map(|(c, _)| c.clone())
        .or_else(|| s.revenue_all.keys().next().cloned());
    if let Some(currency) = main
        && let Some(png) = super::chart::revenue_png(&s.daily, &currency)
    {
        embed = embed.image("attachment://revenue.png");
        reply
            .files
            .push(serenity::all::CreateAttachment::bytes(png, "revenue.png"));
    }
    reply.embeds.push(embed);
    Ok(reply.into())
}

fn day_start(text: &str) -> Result<jiff::Timestamp, BotError> {
    let date: jiff::civil::Date = text
        .trim()
        .parse()
        .map_err(|_| BotError::Input(format!("`{text}` is not a date like 2026-11-24.")))?;
    date.to_zoned(jiff::tz::TimeZone::UTC)
        .map(|z| z.timestamp())
        .map_err(|_| BotError::Input(format!("`{text}` is out of range.")))
}

/// `[from, to)` from optional YYYY-MM-DD days (inclusive), 30 days up to today by default.
pub fn export_range(
    from: Option<&str>,
    to: Option<&str>,
    now: jiff::Timestamp,
) -> Result<(jiff::Timestamp, jiff::Timestamp), BotError> {
    let day = jiff::SignedDuration::from_hours(24);
    let today = now.to_zoned(jiff::tz::TimeZone::UTC).date();
    let end = match to {
        Some(t) => day_start(t)?,
        None => day_start(&today.to_string())?,
    } + day;
    let start = match from {
        Some(f) => day_start(f)?,
        None => end - jiff::SignedDuration::from_hours(24 * 30),
    };
    if start >= end {
        return Err(BotError::Input("`from` must be on or before `to`.".into()));
    }
    Ok((start, end))
}

async fn export(bot: &Bot, o: &Opts<'_>) -> Result<Answer, BotError> {
    use nebula_engine::reports::{ExportKind, Format};
    let format = match o.str("format").unwrap_or("csv") {
        "json" => Format::Json,
        _ => Format::Csv,
    };
    let kind: ExportKind = o.need("what")?.parse().map_err(BotError::Input)?;
    let (from, to) = export_range(o.str("from"), o.str("to"), bot.shop.now())?;
    let export = bot
        .shop
        .export(kind, from, to, format)
        .await
        .map_err(|e| match e {
            nebula_engine::reports::ExportError::Shop(e) => BotError::Shop(e),
            other => BotError::Input(format!("The export failed: {other}.")),
        })?;
    let ext = match format {
        Format::Csv => "csv",
        Format::Json => "json",
    };
    let name = format!(
        "{}-{}-{}.{ext}",
        kind.name(),
        from.to_zoned(jiff::tz::TimeZone::UTC).date(),
        (to - jiff::SignedDuration::from_hours(24))
            .to_zoned(jiff::tz::TimeZone::UTC)
            .date()
    );
    let mut reply = Reply::text(format!(
        "{} {} from {} to {} (UTC).",
        export.rows,
        kind.name(),
        render::when(from),
        render::when(to)
    ));
    reply
        .files
        .push(serenity::all::CreateAttachment::bytes(export.bytes, name));
    Ok(reply.into())
}

async fn audit(bot: &Bot, o: &Opts<'_>) -> Result<Answer, BotError> {
    let actor = match o.get("actor") {
        Some(ResolvedValue::User(u, _)) => Some(UserId(u.id.get())),
        _ => None,
    };
    let target = match o.str("order") {
        Some(code) => Some(format!(
            "order:{}",
            bot.shop.order_by_code(code).await?.order.id
        )),
        None => None,
    };
    let filter = nebula_engine::audit::AuditFilter {
        actor,
        target,
        action: o.str("action").map(str::to_owned),
    };
    let before = o.int("before").and_then(|b| u64::try_from(b).ok());
    let page = bot.shop.audit(filter, before, 15).await?;
    let lines: Vec<String> = page
        .entries
        .iter()
        .map(|e| {
            format!(
                "`#{}` {} **{}** {} by {} — {}",
                e.id,
                render::when(e.at),
                e.action,
                e.target,
                e.actor,
                e.details.chars().take(120).collect::<String>()
            )
        })
        .collect();
    let mut answer = list("Audit log", lines);
    if let (Answer::Reply(reply), Some(next)) = (&mut answer, page.next_before) {
        reply.content = Some(format!(
            "Older entries: `/audit before:{next}` (same filters)."
        ));
    }
    Ok(answer)
}

fn parse_id<T: std::str::FromStr<Err = nebula_engine::ids::InvalidId>>(
    s: &str,
) -> Result<T, BotError> {
    s.parse()
        .map_err(|e: nebula_engine::ids::InvalidId| BotError::Input(e.to_string()))
}

fn examples(report: &nebula_plugins::DryRunReport) -> String {
    report
        .examples
        .iter()
        .take(3)
        .map(|e| format!("\n• {}: {} → {}", e.order.code(), e.before, e.after))
        .collect()
}

/// A version by its full sha256 or a prefix of it.
async fn full_sha(bot: &Bot, kind: PolicyKind, prefix: &str) -> Result<String, BotError> {
    let versions = bot.shop.policy_versions(Some(kind)).await?;
    let matching: Vec<_> = versions
        .iter()
        .filter(|v| v.sha256.starts_with(prefix.trim()))
        .collect();
    match matching.as_slice() {
        [one] => Ok(one.sha256.clone()),
        [] => Err(BotError::Input(format!(
            "No stored {kind} policy starts with `{prefix}`."
        ))),
        _ => Err(BotError::Input(format!(
            "`{prefix}` matches several versions; give more of the sha256."
        ))),
    }
}

fn list(title: &str, lines: Vec<String>) -> Answer {
    let body = if lines.is_empty() {
        "none yet".to_owned()
    } else {
        lines.join("\n")
    };
    Reply {
        embeds: vec![
            CreateEmbed::new()
                .title(title)
                .description(body.chars().take(4000).collect::<String>()),
        ],
        ..Reply::default()
    }
    .into()
}

async fn view_order(bot: &Bot, code: &str) -> Result<Answer, BotError> {
    let record = bot.shop.order_by_code(code).await?;
    let (record, history) = bot.shop.order_history(record.order.id).await?;
    let o = &record.order;
    let events: Vec<String> = history
        .iter()
        .map(|e| {
            format!(
                "{} · {} by {} → {}",
                render::when(e.at),
                e.name,
                e.actor,
                e.to
            )
        })
        .collect();
    let state = match &record.state {
        State::Declined { reason, by } => format!("declined by <@{by}>: {reason}"),
        State::Failed { error, attempts } => format!("failed after {attempts} attempt(s): {error}"),
        other => other.describe().to_owned(),
    };
    let embed = CreateEmbed::new()
        .title(format!("Order {}", o.code()))
        .field("Shopper", format!("<@{}>", o.shopper), true)
        .field("State", state, true)
        .field(
            "Kind",
            if matches!(o.kind, OrderKind::New) {
                "new"
            } else {
                "renewal"
            },
            true,
        )
        .field("Plan", &o.plan.name, true)
        .field("Total", o.quote.total.to_string(), true)
        .field(
            "Pricing",
            format!(
                "{} (`{}`)",
                o.quote.policy.name,
                o.quote.policy.hash.chars().take(12).collect::<String>()
            ),
            true,
        )
        .field("History", events.join("\n"), false);
    Ok(Reply {
        embeds: vec![embed],
        ..Reply::default()
    }
    .into())
}

async fn setup(bot: &Bot, cmd: &CommandInteraction, o: &Opts<'_>) -> Result<Answer, BotError> {
    let member = cmd.member.as_deref();
    let allowed = member
        .and_then(|m| m.permissions)
        .is_some_and(|p| p.contains(Permissions::ADMINISTRATOR))
        || bot.is_admin(member).await?;
    if !allowed {
        return Err(BotError::NotAdmin);
    }
    let actor = Actor::Admin(UserId(cmd.user.id.get()));
    let channel = |name: &str| match o.get(name) {
        Some(ResolvedValue::Channel(c)) => Ok(c.id.get().to_string()),
        _ => Err(BotError::Input(format!("`{name}` is required."))),
    };
    let role_id = match o.get("admin_role") {
        Some(ResolvedValue::Role(r)) => r.id,
        _ => return Err(BotError::Input("`admin_role` is required.".into())),
    };
    let role = role_id.get().to_string();
    bot.shop
        .set_setting(actor, setting::SHOP_CHANNEL, channel("shop_channel")?)
        .await?;
    bot.shop
        .set_setting(actor, setting::REVIEW_CHANNEL, channel("review_channel")?)
        .await?;
    bot.shop
        .set_setting(actor, setting::ORDER_CATEGORY, channel("order_category")?)
        .await?;
    bot.shop
        .set_setting(actor, setting::ADMIN_ROLE, role)
        .await?;
    bot.executor
        .refresh_panel()
        .await
        .map_err(|e| BotError::Input(format!("Saved, but the panel could not be posted: {e}")))?;
    let mut said = "The shop is set up and the panel is posted.".to_owned();
    if let Some(http) = bot.executor.http_client() {
        match super::access::check(http, bot.guild, role_id).await {
            Ok(blocked) => {
                if let Some(advice) = super::access::advice(&blocked, role_id) {
                    said.push_str(&format!("\n⚠️ {advice}"));
                }
            }
            Err(e) => {
                tracing::warn!(error = %e, "could not check who may use the admin commands");
                said.push_str(
                    "\nI could not check whether the admin role can use the admin commands; \
                     `nebula doctor` checks it too.",
                );
            }
        }
    }
    Ok(Reply::text(said).into())
}

/// Suggests ids as the admin types.
pub async fn autocomplete(bot: &Bot, a: &CommandInteraction) -> Result<Answer, BotError> {
    let Some(focused) = a.data.autocomplete() else {
        return Ok(Answer::Autocomplete(CreateAutocompleteResponse::new()));
    };
    let typed = focused.value.to_ascii_lowercase();
    let (_, options) = parts(a);
    let o = Opts(options);
    let candidates: Vec<(String, String)> = match (a.data.name.as_str(), focused.name) {
        ("plan", "id") => bot
            .shop
            .plans()
            .await?
            .into_iter()
            .map(|p| (format!("{} — {}", p.id, p.name), p.id.to_string()))
            .collect(),
        ("method", "id") => bot
            .shop
            .methods()
            .await?
            .into_iter()
            .map(|m| (format!("{} — {}", m.id, m.label), m.id.to_string()))
            .collect(),
        ("server", "id") => bot
            .shop
            .servers()
            .await?
            .into_iter()
            .map(|s| (format!("{} — {}", s.id, s.region), s.id.to_string()))
            .collect(),
        ("order", "code") => {
            let mut out = Vec::new();
            use nebula_engine::order::StateKind;
            for state in [
                StateKind::UnderReview,
                StateKind::Failed,
                StateKind::AwaitingProof,
                StateKind::AwaitingMethod,
                StateKind::Provisioning,
            ] {
                for r in bot.shop.orders_in_state(state, 25).await? {
                    out.push((
                        format!(
                            "{} — {} ({})",
                            r.order.code(),
                            r.order.plan.name,
                            r.state.describe()
                        ),
                        r.order.code(),
                    ));
                }
            }
            out
        }
        ("policy", "version") => {
            let kind = o.str("kind").and_then(|k| k.parse().ok());
            bot.shop
                .policy_versions(kind)
                .await?
                .into_iter()
                .rev()
                .map(|v| {
                    (
                        format!("{} {} ({})", &v.sha256[..12], v.name, v.kind),
                        v.sha256,
                    )
                })
                .collect()
        }
        _ => vec![],
    };
    let choices = candidates
        .into_iter()
        .filter(|(label, _)| label.to_ascii_lowercase().contains(&typed))
        .take(25)
        .map(|(label, value)| {
            AutocompleteChoice::new(label.chars().take(100).collect::<String>(), value)
        })
        .collect();
    Ok(Answer::Autocomplete(
        CreateAutocompleteResponse::new().set_choices(choices),
    ))
}
